import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REVEALS_PER_MINUTE } from '../../electron/core/audit/reveal-throttle';
import { verifyAudit } from '../../electron/core/audit/verify-audit';
import { Service } from '../../electron/core/service/service';

const dir = mkdtempSync(join(tmpdir(), 'canbao-reveal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A service whose job-done events resolve `imported`: the test waits on the import's end, not on a clock. */
function service(): { s: Service; imported: Promise<void> } {
  const flag = { isSet: () => false, set: () => undefined, clear: () => undefined };
  let done: () => void = () => undefined;
  const imported = new Promise<void>((r) => (done = r));
  const s = new Service({
    actor: '王芳',
    emit: (e) => (e.type === 'done' ? done() : undefined),
    cancel: flag as never,
  });
  return { s, imported };
}

describe('查看完整身份证号：说明原因，且有次数限制', () => {
  it('needs a reason, logs who and why, and refuses the 11th reveal in a minute saying when to continue', async () => {
    const csv = join(dir, '名册.csv');
    writeFileSync(csv, '姓名,身份证号码\n王小明,61092319900102123X\n');
    const { s, imported } = service();
    await s.handle('workspace.open', { path: join(dir, 'w.canbao'), create: true });
    await s.handle('import.run', { path: csv, kind: 'population', year: 2026 });
    await imported;
    const recordId = (s.need().db.prepare('SELECT id FROM record').get() as { id: number }).id;
    await expect(s.handle('id.reveal', { recordId })).rejects.toThrow('请说明查看完整身份证号的原因');
    await expect(s.handle('id.reveal', { recordId, reason: '其他：' })).rejects.toThrow('选“其他”时请写明查看的原因');
    for (let i = 0; i < REVEALS_PER_MINUTE; i++)
      expect(await s.handle('id.reveal', { recordId, reason: '群众来电' })).toEqual({ id: '61092319900102123X' });
    await expect(s.handle('id.reveal', { recordId, reason: '群众来电' })).rejects.toThrow(
      /一分钟内最多查看 10 个完整身份证号，请约 \d+ 秒后再试/,
    );
    const logged = s.need().db.prepare(`SELECT actor, detail_json FROM audit_log WHERE action = 'revealId'`).all() as {
      actor: string;
      detail_json: string;
    }[];
    expect(logged).toHaveLength(REVEALS_PER_MINUTE);
    // Whose number was shown: the record, and its person's name and 人员编号 (empty before a match), never the number.
    expect(logged[0]!.actor).toBe('王芳');
    expect(JSON.parse(logged[0]!.detail_json)).toEqual({
      recordId,
      reason: '群众来电',
      person: { name: expect.any(String), personId: '' },
    });
    expect(logged[0]!.detail_json).not.toContain('61092319900102123X');
    expect(verifyAudit(s.need().db).ok).toBe(true);
    s.close();
  });
});
