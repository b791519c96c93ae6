import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch } from '../../electron/core/match/run-match';
import { dispatchLedgers, listBatches, type DispatchResult } from '../../electron/core/township/dispatch';
import { participation } from '../../electron/core/township/participation';
import { importReturns } from '../../electron/core/township/returns-import';
import { readSettings } from '../../electron/core/settings';
import { generateCounty, type CountyTruth } from '../fixtures/county-generator';
import { simulateReturn } from '../fixtures/returns-generator';
import { tempDir } from '../helpers/files';
import { TEST_SEEDS } from '../helpers/seed';
import { todayLocal } from '../../shared/text/clerk-format';

const dir = tempDir();
const seed = TEST_SEEDS.at(-1)!;
let ws: Workspace;
let truth: CountyTruth;
let sent: DispatchResult;

const state = () => ({
  answers: ws.db.prepare('SELECT count(*) FROM verification').pluck().get(),
  snapshots: ws.db.prepare('SELECT count(*) FROM rate_snapshot').pluck().get(),
  rates: participation(ws.db, readSettings(ws.db)),
});

beforeAll(async () => {
  ({ truth } = await generateCounty({ people: 600, seed, out: join(dir, 'county') }));
  ws = Workspace.open(join(dir, 'w.canbao'), { create: true });
  for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year, actor: '王芳' });
  runMatch(ws, { actor: '王芳' });
  sent = await dispatchLedgers(ws.db, { dir: join(dir, '下发'), mask: '6-4', format: 'xlsx', actor: '王芳' });
}, 300_000);

describe(`核实回执：拒收整个文件时工作区不变（seed ${seed}）`, () => {
  it('refuses a file that is no returned ledger, naming it, and applies nothing of the good files beside it', async () => {
    const good = simulateReturn(sent.files[0]!.file, join(dir, '好回执.xlsx'), {
      seed,
      format: 'xlsx',
      today: todayLocal(),
    });
    const wrong = join(dir, '户籍人口底册（不是回执）.xlsx');
    copyFileSync(truth.files.find((f) => f.kind === 'population')!.path, wrong);
    const before = state();
    await expect(importReturns(ws.db, [good.file, wrong], { actor: '王芳' })).rejects.toMatchObject({
      kind: 'badInput',
      message: expect.stringMatching(/户籍人口底册（不是回执）\.xlsx.*核实情况/),
    });
    expect(state()).toEqual(before);
  });

  it('refuses an empty file and a text file named .xlsx in Chinese, the workspace as it was', async () => {
    const empty = join(dir, '空文件.xlsx');
    writeFileSync(empty, '');
    const text = join(dir, '其实是文本.xlsx');
    writeFileSync(text, '这不是表格');
    const before = state();
    for (const f of [empty, text]) {
      const e = await importReturns(ws.db, [f], { actor: '王芳' }).then(
        () => null,
        (x: unknown) => x as Error,
      );
      expect(e?.message).toMatch(/[\u4e00-\u9fa5]/);
      // Product names a clerk knows are fine; program words are not.
      expect(e?.message.replace(/Excel|WPS|xlsx|xls|csv/g, '')).not.toMatch(/[A-Za-z]{3,}/);
    }
    expect(state()).toEqual(before);
  });

  it('lists the batch with how many of its persons have answered', async () => {
    const r = simulateReturn(sent.files[0]!.file, join(dir, '回执.xls'), {
      seed: seed + 1,
      format: 'xls',
      today: todayLocal(),
    });
    const done = await importReturns(ws.db, [r.file], { actor: '王芳' });
    const batch = listBatches(ws.db).find((b) => b.batchNo === sent.batchNo)!;
    expect(batch.persons).toBe(sent.persons);
    expect(batch.answered).toBe(
      new Set(r.rows.filter((t) => t.outcome === 'applied' && t.personId).map((t) => t.personId)).size,
    );
    expect(done.applied).toBeGreaterThan(0);
  });
});
