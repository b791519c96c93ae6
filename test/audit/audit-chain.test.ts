import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appendAudit, auditHead } from '../../electron/core/audit/audit-log';
import { verifyAudit } from '../../electron/core/audit/verify-audit';
import { Workspace } from '../../electron/core/db/workspace';
import { cli } from '../helpers/run-cli';

const dir = mkdtempSync(join(tmpdir(), 'canbao-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** A workspace whose log holds `entries` ID reveals by 王芳 (as a clerk's day leaves them). */
function workspaceWithLog(entries: number): string {
  const path = join(dir, `w${++n}.canbao`);
  const ws = Workspace.open(path, { create: true });
  ws.db.transaction(() => {
    for (let i = 1; i <= entries; i++) appendAudit(ws.db, '王芳', 'revealId', { recordId: i });
  })();
  ws.close();
  return path;
}

/** What the issue did: drop the trigger, tamper, put the trigger back as it was. */
function tamper(path: string, sql: string): void {
  const db = new Database(path);
  const triggers = db
    .prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'`)
    .all() as { sql: string }[];
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  db.exec(sql);
  for (const t of triggers) db.exec(t.sql);
  db.close();
}

function verify(path: string) {
  const ws = Workspace.open(path);
  try {
    return verifyAudit(ws.db);
  } finally {
    ws.close();
  }
}

describe('操作日志逐条以校验值相连，改动可被发现', () => {
  it('an untouched log verifies, in the engine and with canbao audit --verify (exit 0)', async () => {
    const path = workspaceWithLog(20);
    expect(verify(path)).toMatchObject({ ok: true, entries: 20, broken: null });
    const r = await cli('audit', '--workspace', path, '--verify');
    expect(r.code).toBe(0);
    expect(r.out).toContain('操作日志完整：共 20 条');
  });

  it('entries deleted in the middle are found at the entry after them', async () => {
    const path = workspaceWithLog(30);
    tamper(path, 'DELETE FROM audit_log WHERE id BETWEEN 10 AND 14');
    const v = verify(path);
    expect(v.ok).toBe(false);
    expect(v.broken).toMatchObject({ id: 15, actor: '王芳', action: '查看完整身份证号' });
    expect(v.message).toMatch(/第 15 条（.*经办人 王芳，查看完整身份证号）与前一条衔接不上/);
    const r = await cli('audit', '--workspace', path, '--verify');
    expect(r.code).toBe(13);
    expect(r.err).toContain('第 15 条');
  });

  it('entries deleted at the end break no link, but the recorded head says how many there were', async () => {
    const path = workspaceWithLog(30);
    tamper(path, 'DELETE FROM audit_log WHERE id > 25');
    const v = verify(path);
    expect(v.ok).toBe(false);
    expect(v.message).toContain('日志应有 30 条、到第 30 条为止，现只有 25 条');
    const r = await cli('audit', '--workspace', path, '--verify');
    expect(r.code).toBe(13);
    expect(r.err).toContain('末尾的条目被删除了');
  });

  it('one changed detail is named as changed', async () => {
    const path = workspaceWithLog(30);
    tamper(path, `UPDATE audit_log SET detail_json = '{"recordId":999}' WHERE id = 7`);
    const v = verify(path);
    expect(v.broken).toMatchObject({ id: 7, actor: '王芳' });
    expect(v.message).toContain('内容与校验值不符，已被修改');
    const r = await cli('audit', '--workspace', path, '--verify');
    expect(r.code).toBe(13);
    expect(r.err).toContain('第 7 条');
  });

  it('an entry slipped in without a hash, or a changed actor, is found', () => {
    const path = workspaceWithLog(5);
    tamper(
      path,
      `INSERT INTO audit_log (at, actor, action, detail_json) VALUES ('2026-01-01T00:00:00Z', '某人', 'export', '{}')`,
    );
    expect(verify(path).broken).toMatchObject({ id: 6, actor: '某人', action: '导出' });
    const other = workspaceWithLog(5);
    tamper(other, `UPDATE audit_log SET actor = '李四' WHERE id = 2`);
    expect(verify(other).broken).toMatchObject({ id: 2, actor: '李四' });
  });

  it('the triggers still refuse updates and deletes; the head is the last entry', () => {
    const ws = Workspace.open(workspaceWithLog(3));
    expect(() => ws.db.exec(`UPDATE audit_log SET actor = 'x'`)).toThrow(/只能追加/);
    expect(() => ws.db.exec(`UPDATE audit_log SET hash = 'x' WHERE id = 1`)).toThrow(/只能追加/);
    expect(() => ws.db.exec('DELETE FROM audit_log')).toThrow(/只能追加/);
    const last = ws.db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get();
    expect(auditHead(ws.db)).toEqual(last);
    ws.close();
  });

  it('entries written before the chain existed are chained once, on the next write', () => {
    const path = join(dir, 'legacy.canbao');
    const ws = Workspace.open(path, { create: true });
    // As a version-3 workspace left them: no hashes.
    const db = new Database(path);
    db.exec(`DROP TRIGGER audit_log_no_update`);
    db.exec(
      `INSERT INTO audit_log (at, actor, action, detail_json) VALUES ('2026-01-01T00:00:00Z', '张三', 'import', '{}'), ('2026-01-02T00:00:00Z', '张三', 'match', '{}')`,
    );
    db.close();
    expect(verify(path)).toMatchObject({ ok: true, entries: 2 });
    appendAudit(ws.db, '王芳', 'settings', { targetRate: 0.95 });
    expect(verifyAudit(ws.db)).toMatchObject({ ok: true, entries: 3, head: { id: 3 } });
    ws.close();
  });

  it('verifies 100,000 entries (time printed, not asserted)', () => {
    const path = workspaceWithLog(100_000);
    const t = performance.now();
    const v = verify(path);
    const ms = performance.now() - t;
    console.log(`audit --verify of 100,000 entries: ${ms.toFixed(0)} ms`);
    expect(v).toMatchObject({ ok: true, entries: 100_000 });
  });
});
