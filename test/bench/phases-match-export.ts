import Fuse from 'fuse.js';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Workspace } from '../../electron/core/db/workspace';
import { exportWorkbooks } from '../../electron/core/export/export-all';
import { runMatch } from '../../electron/core/match/run-match';
import { excelJS } from '../../electron/core/spreadsheet/exceljs';
import type { CountyTruth } from '../fixtures/county-generator';
import { scoreAgainstTruth } from '../helpers/truth';
import { benchPassword } from './measure';

type Phase = (truth: CountyTruth, workspace: string) => Promise<{ items: number; extra?: Record<string, unknown> }>;

/** Baseline 1: what clerks do today (VLOOKUP on the exact ID), as grouping by exact ID. Baseline 2: fuse.js per record. */
const matchBaseline: Phase = async (_truth, workspace) => {
  const ws = Workspace.open(workspace, { readonly: true, password: benchPassword() });
  const rows = ws.db
    .prepare('SELECT id, name_key AS k, name_pinyin AS py, coalesce(id_number, id_raw) AS idn FROM record')
    .all() as { id: number; k: string; py: string; idn: string }[];
  ws.close();
  const t0 = performance.now();
  const groups = new Map<string, number>();
  for (const r of rows) if (r.idn) groups.set(r.idn, (groups.get(r.idn) ?? 0) + 1);
  const exactSeconds = (performance.now() - t0) / 1000;
  const fuse = new Fuse(rows, { keys: ['k', 'py', 'idn'], threshold: 0.2, ignoreLocation: true });
  const sample = 20;
  const t1 = performance.now();
  for (let i = 0; i < sample; i++) fuse.search(rows[(i * 7919) % rows.length]!.k, { limit: 5 });
  const perQuery = (performance.now() - t1) / 1000 / sample;
  return {
    items: rows.length,
    extra: {
      label: 'exact-ID grouping (what VLOOKUP does)',
      exactIdGroupingSeconds: Number(exactSeconds.toFixed(2)),
      exactIdGroupingRecordsPerSecond: Math.round(rows.length / exactSeconds),
      fusePerQuerySeconds: Number(perQuery.toFixed(3)),
      fuseOneQueryPerRecordExtrapolatedHours: Number(((perQuery * rows.length) / 3600).toFixed(1)),
    },
  };
};

const match: Phase = async (_truth, workspace) => {
  const ws = Workspace.open(workspace, { password: benchPassword() });
  // A full match each time: on a workspace matched before, the default would re-match only what changed (nothing).
  // The first match after the import writes every record's person; a later one only the records whose person changed.
  const firstMatch = !ws.db.prepare('SELECT 1 FROM record WHERE person_id IS NOT NULL LIMIT 1').get();
  const s = runMatch(ws, { mode: 'full' });
  ws.close();
  return {
    items: s.records,
    extra: {
      firstMatch,
      persons: s.persons,
      links: s.links,
      duplicates: s.duplicates,
      uninsured: s.uninsured,
      notInBase: s.notInBase,
      reviewPending: s.reviewPending,
      candidatePairs: s.candidatePairs,
      capped: s.blocking.capped,
    },
  };
};

/** Not timed as part of the match: the match's result scored against the generator's truth. */
const matchAccuracy: Phase = async (truth, workspace) => {
  const ws = Workspace.open(workspace, { readonly: true, password: benchPassword() });
  const { personOfUid: _, ...score } = scoreAgainstTruth(ws.db, dirname(workspace), truth);
  ws.close();
  return {
    items: truth.people,
    extra: Object.fromEntries(Object.entries(score).map(([k, v]) => [k, Number(v.toFixed(5))])),
  };
};

/** Floor for export: exceljs's streaming writer writing the same number of plain 10-column rows. */
const exportBaseline: Phase = async (_truth, workspace) => {
  const ws = Workspace.open(workspace, { readonly: true, password: benchPassword() });
  const n = (ws.db.prepare('SELECT count(*) AS n FROM person_status').get() as { n: number }).n;
  ws.close();
  const dir = join(workspace + '-export-floor');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const wb = new (excelJS().stream.xlsx.WorkbookWriter)({
    filename: join(dir, 'floor.xlsx'),
    useSharedStrings: false,
    useStyles: true,
  });
  const sheet = wb.addWorksheet('s');
  for (let i = 0; i < n; i++)
    sheet
      .addRow([
        i,
        'P00000001',
        '张伟',
        '610923********1234',
        '有效',
        '是',
        '2026城乡居民医保（农村）',
        '城乡居民医保：农村.xlsx/江口镇第12行',
        '',
        '自动（匹配分值 30.1）',
      ])
      .commit();
  sheet.commit();
  await wb.commit();
  return { items: n, extra: { label: 'exceljs streaming writer, same row count' } };
};

const exportAll: Phase = async (_truth, workspace) => {
  const ws = Workspace.open(workspace, { password: benchPassword() });
  const dir = join(workspace + '-export');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const r = await exportWorkbooks(ws.db, {
    dir,
    what: ['ledger', 'duplicates', 'persons', 'rates'],
    mask: '6-4',
    format: 'xlsx',
    actor: 'bench',
    workspacePath: workspace,
    workspacePassword: benchPassword(),
  });
  const persons = (ws.db.prepare('SELECT count(*) AS n FROM person_status').get() as { n: number }).n;
  ws.close();
  return { items: persons, extra: { files: r.files.length, rowsWritten: r.files.reduce((a, f) => a + f.rows, 0) } };
};

export const extraPhases: Record<string, Phase> = {
  'match-baseline': matchBaseline,
  match,
  'match-accuracy': matchAccuracy,
  'export-baseline': exportBaseline,
  export: exportAll,
};
