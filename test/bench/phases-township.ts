/**
 * Issue 12's benchmark: returns for a county (every township's 未参保 ledger sent back answered) imported at
 * rows/s next to the bare reading of the same files, and `rates` (both bases, every level) in seconds.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Workspace } from '../../electron/core/db/workspace';
import { readSettings } from '../../electron/core/settings';
import { readXlsx } from '../../electron/core/import/read-xlsx';
import { dispatchLedgers } from '../../electron/core/township/dispatch';
import { participation } from '../../electron/core/township/participation';
import { importReturns } from '../../electron/core/township/returns-import';
import { todayLocal } from '../../shared/text/clerk-format';
import type { CountyTruth } from '../fixtures/county-generator';
import { simulateReturn } from '../fixtures/returns-generator';
import { benchPassword } from './measure';

type Phase = (truth: CountyTruth, workspace: string) => Promise<{ items: number; extra?: Record<string, unknown> }>;

const returnsDir = (workspace: string) => join(workspace, '..', '回执');
const returnFiles = (workspace: string) =>
  readdirSync(returnsDir(workspace))
    .filter((f) => f.endsWith('.xlsx'))
    .map((f) => join(returnsDir(workspace), f));

/** Not timed: a fresh batch for every township of the matched workspace, and each ledger sent back answered. */
const prepare: Phase = async (truth, workspace) => {
  const ws = Workspace.open(workspace, { password: benchPassword() });
  ws.db.exec('DELETE FROM verification; DELETE FROM dispatch_batch; DELETE FROM rate_snapshot;');
  const out = join(workspace, '..', '下发');
  rmSync(out, { recursive: true, force: true });
  const sent = await dispatchLedgers(ws.db, { dir: out, mask: '6-4', format: 'xlsx', actor: 'bench' });
  ws.close();
  rmSync(returnsDir(workspace), { recursive: true, force: true });
  mkdirSync(returnsDir(workspace), { recursive: true });
  let rows = 0;
  for (const [i, f] of sent.files.entries()) {
    rows += simulateReturn(f.file, join(returnsDir(workspace), `回执${i + 1}.xlsx`), {
      seed: truth.seed + i,
      format: 'xlsx',
      today: todayLocal(),
    }).rows.length;
  }
  return { items: rows, extra: { dispatched: sent.persons, files: sent.files.length } };
};

/**
 * The floor: the same xlsx reader the import uses (its parts through the zip's central directory: exceljs's own
 * one-pass reader cannot open workbooks written with the worksheets first, as SheetJS writes them), rows counted.
 */
const baseline: Phase = async (_truth, workspace) => {
  let rows = 0;
  for (const path of returnFiles(workspace))
    for await (const sheet of readXlsx(path)) for await (const _ of sheet.rows) rows++;
  return { items: rows, extra: { label: "the import's xlsx reader alone, same files" } };
};

/** Also the CPU seconds the phase took: on a shared machine its wall time swings 2–4×, its CPU time much less. */
const returns: Phase = async (_truth, workspace) => {
  const cpu = process.cpuUsage();
  const ws = Workspace.open(workspace, { password: benchPassword() });
  const r = await importReturns(ws.db, returnFiles(workspace), { actor: 'bench' });
  ws.close();
  const used = process.cpuUsage(cpu);
  return {
    items: r.rows,
    extra: {
      applied: r.applied,
      unanswered: r.unanswered,
      problems: r.problems.length,
      files: r.files.length,
      cpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(3)),
    },
  };
};

/** Five answers of `rates` in a row on the open workspace: each, and the slowest. */
const rates: Phase = async (_truth, workspace) => {
  const ws = Workspace.open(workspace, { readonly: true, password: benchPassword() });
  const settings = readSettings(ws.db);
  const seconds: number[] = [];
  let villages = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    villages = participation(ws.db, settings).villages.length;
    seconds.push(Number(((performance.now() - t0) / 1000).toFixed(3)));
  }
  ws.close();
  return { items: 5, extra: { seconds, slowest: Math.max(...seconds), villages } };
};

export const townshipPhases: Record<string, Phase> = {
  'returns-prepare': prepare,
  'returns-baseline': baseline,
  returns,
  rates,
};
