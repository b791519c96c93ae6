import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportWarnings } from '../../shared/export/export-warnings';
import { Service } from '../../electron/core/service/service';
import type { JobDoneEvent } from '../../shared/ipc/contract';

const dir = mkdtempSync(join(tmpdir(), 'canbao-export-warn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const up = {
  matched: true,
  reviewPending: 0,
  decisionsUnapplied: 0,
  unmatchedRecords: 0,
  rollsChangedSinceMatch: false,
};

describe('导出之前的提醒', () => {
  it('says nothing when the lists follow every decision and import', () => {
    expect(exportWarnings(up)).toEqual({ lines: [], rematch: false });
  });

  it('names unapplied decisions and late imports, offers a match for them, and mentions pending pairs', () => {
    const w = exportWarnings({ ...up, decisionsUnapplied: 3, unmatchedRecords: 12, reviewPending: 7 });
    expect(w.rematch).toBe(true);
    expect(w.lines).toEqual([
      '有 3 个复核判断是上次比对之后做的，重新比对后才会反映在名单中',
      '有 12 条记录是上次比对之后导入的，还不在名单中',
      '还有 7 对记录待复核：复核之前，其中的人可能被错列为未参保或重复参保',
    ]);
    expect(exportWarnings({ ...up, rollsChangedSinceMatch: true })).toEqual({
      lines: ['上次比对之后删除或替换过名册，名单还是按原来的名册算的'],
      rematch: true,
    });
    // Pending pairs alone: a match would not change them, so none is offered.
    expect(exportWarnings({ ...up, reviewPending: 2 }).rematch).toBe(false);
  });

  it('counts the pairs decided or undone since the last match, and none after the next match', async () => {
    const done: JobDoneEvent[] = [];
    const flag = { isSet: () => false, set: () => undefined, clear: () => undefined };
    const s = new Service({
      actor: '王芳',
      emit: (e) => void (e.type === 'done' && done.push(e.event)),
      cancel: flag as never,
    });
    const csv = join(dir, '名册.csv');
    writeFileSync(
      csv,
      '姓名,身份证号码\n王小明,61092319900102123X\n王晓明,610923199001021248\n李娜,610923198803150023\n',
    );
    await s.handle('workspace.open', { path: join(dir, 'w.canbao'), create: true });
    await s.handle('import.run', { path: csv, kind: 'population', year: 2026 });
    await expect.poll(() => done.length).toBe(1);
    await s.handle('match.run', {});
    await expect.poll(() => done.length).toBe(2);
    expect((await s.handle('workspace.status', {})).decisionsUnapplied).toBe(0);

    const [a, b] = (s.need().db.prepare('SELECT id FROM record ORDER BY id').all() as { id: number }[]).map(
      (r) => r.id,
    );
    await s.handle('review.decide', { recordA: a!, recordB: b!, verdict: 'different' });
    await s.handle('review.undo', { recordA: a!, recordB: b! });
    await s.handle('review.decide', { recordA: a!, recordB: b!, verdict: 'same' });
    // One pair, decided, undone and decided again: one change for the lists to take in.
    expect((await s.handle('workspace.status', {})).decisionsUnapplied).toBe(1);

    await s.handle('match.run', {});
    await expect.poll(() => done.length).toBe(3);
    expect((await s.handle('workspace.status', {})).decisionsUnapplied).toBe(0);
    s.close();
  });
});
