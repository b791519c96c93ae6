import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent, JobDoneEvent } from '../../shared/ipc/jobs';
import { Workspace } from '../../electron/core/db/workspace';
import { LOCK_TOUCH_MS, lockPathOf } from '../../electron/core/db/workspace-lock';
import { Service } from '../../electron/core/service/service';
import { tempDir, writeCsv } from '../helpers/files';

/**
 * A PC put to sleep in the middle of a long job (a county's match, a big import) wakes inside it. If a colleague took
 * the workspace over meanwhile (the lock untouched for 15 minutes), the job must stop before it commits anything, and
 * the clerk be told why, as a request is (workspace-lock.test.ts). And while a match holds the engine's thread, which
 * the lock's timer then does not get, the job itself keeps the lock fresh.
 */
const dir = tempDir('canbao-lock-job-');
let n = 0;
const theirs = { owner: '赵六', host: 'PC-财务科', pid: 4242, since: new Date().toISOString(), tokens: ['theirs'] };

function roll(rows: number): string {
  const lines = [['姓名', '身份证号码', '出生日期', '乡镇', '村（社区）']];
  for (let i = 0; i < rows; i++)
    lines.push([`张${i}`, '', `1980-01-${String(1 + (i % 28)).padStart(2, '0')}`, '城关镇', `村${i % 3}`]);
  return writeCsv(join(dir, `roll-${++n}.csv`), lines);
}

/**
 * A service whose events are kept (each progress event as `stage done`); `onStage` runs when a job first reports that
 * stage (a colleague's PC acting).
 */
function service(onStage: Record<string, () => void> = {}) {
  const done: JobDoneEvent[] = [];
  const progress: string[] = [];
  const seen = new Set<string>();
  const emit = (e: EngineEvent) => {
    if (e.type === 'done') return void done.push(e.event);
    progress.push(`${e.event.stage} ${e.event.done}`);
    const key = `${e.event.jobId}|${e.event.stage}`;
    if (seen.has(key)) return;
    seen.add(key);
    onStage[e.event.stage]?.();
  };
  const flag = { aborted: false, set: () => undefined, clear: () => undefined };
  const s = new Service({ recentFile: join(dir, `recent-${++n}.json`), actor: '王芳', emit, cancel: flag as never });
  return { s, done, progress };
}

/**
 * The colleague's PC writes its lock; this PC's clock moves past the half second between the job's reads of the lock
 * (LOCK_CHECK_MS), as after a sleep.
 */
const takeOver = (path: string) => {
  writeFileSync(lockPathOf(path), JSON.stringify(theirs));
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + 1000);
};

describe('长时间任务进行中，工作区被同事接管', () => {
  afterEach(() => vi.useRealTimers());

  it('a match stopped by a takeover while it writes commits nothing, and says who has the workspace', async () => {
    const path = join(dir, `w${++n}.canbao`);
    const { s, done } = service({ outcomes: () => takeOver(path) });
    await s.handle('workspace.open', { path, create: true });
    await s.handle('import.run', { path: roll(60), kind: 'population', year: 2026 });
    await expect.poll(() => done.length).toBe(1);
    expect(done[0]!.ok).toBe(true);

    await s.handle('match.run', {});
    await expect.poll(() => done.length).toBe(2);
    const failed = done[1]!;
    expect(failed.ok).toBe(false);
    expect(!failed.ok && failed.error.kind).toBe('workspaceLocked');
    expect(!failed.ok && failed.error.message).toMatch(/已由计算机“PC-财务科”上的用户“赵六”打开.*这次操作没有执行/);
    // Closed here, the colleague's lock left as it is, and nothing of the match in the file.
    expect((await s.handle('workspace.status', {})).path).toBeNull();
    expect(JSON.parse(readFileSync(lockPathOf(path), 'utf8'))).toEqual(theirs);
    const ws = Workspace.open(path, { readonly: true });
    expect(ws.db.prepare('SELECT count(*) FROM record WHERE person_id IS NOT NULL').pluck().get()).toBe(0);
    expect(ws.db.prepare('SELECT count(*) FROM person').pluck().get()).toBe(0);
    ws.close();
  });

  it('a match goes on to commit nothing when the colleague who took the workspace over has closed it again', async () => {
    const path = join(dir, `w${++n}.canbao`);
    const { s, done } = service({ outcomes: () => rmSync(lockPathOf(path)) });
    await s.handle('workspace.open', { path, create: true });
    await s.handle('import.run', { path: roll(60), kind: 'population', year: 2026 });
    await s.handle('match.run', {});
    await expect.poll(() => done.length).toBe(2);
    expect(!done[1]!.ok && done[1]!.error.message).toMatch(/已被另一处打开过（本机的锁文件已不在）.*这次操作没有执行/);
    expect((await s.handle('workspace.status', {})).path).toBeNull();
    const ws = Workspace.open(path, { readonly: true });
    expect(ws.db.prepare('SELECT count(*) FROM person').pluck().get()).toBe(0);
    ws.close();
  });

  it('a dispatch stopped by a takeover while it writes the ledgers writes nothing more to the workspace', async () => {
    const path = join(dir, `w${++n}.canbao`);
    const { s, done } = service({ export: () => takeOver(path) });
    await s.handle('workspace.open', { path, create: true });
    await s.handle('import.run', { path: roll(60), kind: 'population', year: 2026 });
    await s.handle('match.run', {});
    await expect.poll(() => done.length).toBe(2);
    expect(done[1]!.ok).toBe(true);
    await s.handle('dispatch.run', { dir: join(dir, `ledgers-${n}`) });
    await expect.poll(() => done.length).toBe(3);
    expect(!done[2]!.ok && done[2]!.error.kind).toBe('workspaceLocked');
    // The batch row written before the takeover is left 'writing' (it never counts; the next dispatch removes it):
    // removing it now would be a write beside the colleague.
    const ws = Workspace.open(path, { readonly: true });
    expect(ws.db.prepare('SELECT state FROM dispatch_batch').pluck().all()).toEqual(['writing']);
    ws.close();
  });

  it('an import stopped by a takeover while it reads stops at its next check, and leaves the workspace without the roll', async () => {
    const path = join(dir, `w${++n}.canbao`);
    const { s, done, progress } = service({ read: () => takeOver(path) });
    await s.handle('workspace.open', { path, create: true });
    await s.handle('import.run', { path: roll(10_000), kind: 'population', year: 2026 });
    await expect.poll(() => done.length).toBe(1);
    expect(!done[0]!.ok && done[0]!.error.kind).toBe('workspaceLocked');
    // Rows are read 4,096 between checks: the one after the takeover stopped it, so no further count was reported.
    const reads = progress.filter((p) => p.startsWith('read '));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.filter((p) => p !== reads[0])).toEqual([]);
    const ws = Workspace.open(path, { readonly: true });
    expect(ws.db.prepare('SELECT count(*) FROM roll').pluck().get()).toBe(0);
    expect(ws.db.prepare('SELECT count(*) FROM record').pluck().get()).toBe(0);
    ws.close();
  });

  it('a job keeps the lock fresh while it holds the thread, which the lock timer then does not get', () => {
    const path = join(dir, `w${++n}.canbao`);
    const ws = Workspace.open(path, { create: true });
    const lockPath = lockPathOf(path);
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(lockPath, old, old);
    const signal = ws.jobSignal({ aborted: false });
    // Within the minute: not touched.
    expect(signal.aborted).toBe(false);
    expect(Math.abs(statSync(lockPath).mtimeMs - old.getTime())).toBeLessThan(1000);
    // A minute on, in the same job: the next check touches it.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + LOCK_TOUCH_MS + 1000);
    expect(signal.aborted).toBe(false);
    expect(statSync(lockPath).mtimeMs).toBeGreaterThan(Date.now() - 5000);
    ws.close();
  });
});
