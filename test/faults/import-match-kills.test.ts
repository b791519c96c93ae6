import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { lockPathOf } from '../../electron/core/db/workspace-lock';
import { EXIT_CODE } from '../../electron/core/cli/exit-codes';
import { tempDir, writeCsv } from '../helpers/files';
import { TEST_SEEDS } from '../helpers/seed';
import { importKillTrials, matchKillTrials, runCliProcess } from './import-match-kills';

const dir = tempDir('canbao-faults-');
const seed = TEST_SEEDS[TEST_SEEDS.length - 1]!;

function roll(path: string, rows: number): string {
  const lines = [['姓名', '身份证号码', '乡镇']];
  for (let i = 0; i < rows; i++) lines.push([`李${i}`, '', '城关镇']);
  return writeCsv(path, lines);
}

const records = (path: string) => {
  const ws = Workspace.open(path, { readonly: true });
  const n = (ws.db.prepare('SELECT count(*) AS n FROM record').get() as { n: number }).n;
  ws.close();
  return n;
};

describe(`导入和比对进程被强行结束（seed ${seed}）`, () => {
  it('a killed import leaves its roll whole or absent, the workspace sound and its lock recoverable', async () => {
    const r = await importKillTrials(5, seed);
    expect(r.problems).toEqual([]);
    expect(r).toMatchObject({ rowsLost: 0, partialStates: 0 });
  }, 600_000);

  it('a killed match leaves the workspace as before it or as a clean match leaves it', async () => {
    const r = await matchKillTrials(5, seed);
    expect(r.problems).toEqual([]);
    expect(r).toMatchObject({ rowsLost: 0, partialStates: 0 });
  }, 600_000);
});

describe('同一名册同时导入两次', () => {
  it('two CLI processes started together: exactly one imports, the other is told why in Chinese', async () => {
    const ws = join(dir, 'two-processes.canbao');
    const file = roll(join(dir, '职工两进程.csv'), 3000);
    expect((await runCliProcess(['status', '--workspace', ws])).code).toBe(EXIT_CODE.notFound);
    // created first, so both processes race for the same existing workspace
    Workspace.open(ws, { create: true }).close();
    const args = ['import', '--workspace', ws, '--kind', 'employee', '--year', '2026', file];
    const [a, b] = await Promise.all([runCliProcess(args), runCliProcess(args)]);
    const codes = [a.code, b.code].sort();
    expect(codes.filter((c) => c === 0)).toHaveLength(1);
    const loser = a.code === 0 ? b : a;
    expect([EXIT_CODE.alreadyImported, EXIT_CODE.workspaceLocked]).toContain(loser.code);
    expect(loser.err).toMatch(/导入过，未重复导入|同一时间只能有一处写入/);
    expect(records(ws)).toBe(3000);
    expect(existsSync(lockPathOf(ws))).toBe(false);
  }, 300_000);

  it('two connections of one process importing at once: the check under the write lock refuses the second', async () => {
    const ws = join(dir, 'two-threads.canbao');
    Workspace.open(ws, { create: true }).close();
    const file = roll(join(dir, '职工两线程.csv'), 3000);
    const go = new SharedArrayBuffer(4);
    const ready: Promise<void>[] = [];
    const answers = [0, 1].map(
      () =>
        new Promise<{ ok: boolean; kind?: string; message?: string }>((res, rej) => {
          const w = new Worker(new URL('./import-in-thread.mjs', import.meta.url), {
            workerData: { workspace: ws, file, go },
          });
          ready.push(new Promise((opened) => w.once('message', () => opened())));
          w.once('error', rej);
          w.on('message', (m: { ready?: boolean; ok: boolean }) => m.ready || res(m));
        }),
    );
    // both threads hold the workspace open before either starts
    await Promise.all(ready);
    Atomics.store(new Int32Array(go), 0, 1);
    Atomics.notify(new Int32Array(go), 0);
    const results = await Promise.all(answers);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refused = results.find((r) => !r.ok)!;
    expect(refused.kind).toBe('alreadyImported');
    expect(refused.message).toMatch(/同一文件已于.*作为2026年职工医保导入过，未重复导入/);
    expect(records(ws)).toBe(3000);
  }, 120_000);
});
