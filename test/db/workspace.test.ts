import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAudit, listAudit } from '../../electron/core/audit/audit-log';
import { LATEST_VERSION, MIGRATIONS } from '../../electron/core/db/migrations';
import { APPLICATION_ID, Workspace } from '../../electron/core/db/workspace';
import { tempDir } from '../helpers/files';

const dir = tempDir();

describe('工作区文件', () => {
  it('is created with every migration applied, in WAL mode with synchronous=FULL and foreign keys on', () => {
    const ws = Workspace.open(join(dir, 'a.canbao'), { create: true });
    expect(ws.version).toBe(LATEST_VERSION);
    expect(ws.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(ws.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(ws.db.pragma('foreign_keys', { simple: true })).toBe(1);
    ws.close();
    const again = Workspace.open(join(dir, 'a.canbao'));
    expect(again.version).toBe(LATEST_VERSION);
    again.close();
  });

  it('is not created by a plain open: a mistyped path is an error, not an empty workspace', () => {
    expect(() => Workspace.open(join(dir, 'missing.canbao'))).toThrow(/工作区文件不存在/);
  });

  it('refuses a workspace written by a newer Canbao, with a message saying to upgrade', () => {
    const path = join(dir, 'newer.canbao');
    Workspace.open(path, { create: true }).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close();
    expect(() => Workspace.open(path)).toThrow(/更新版本.*请升级/);
  });

  it('refuses other SQLite files and non-database files', () => {
    const other = join(dir, 'other.db');
    const raw = new Database(other);
    raw.exec('CREATE TABLE t (x)');
    raw.close();
    expect(() => Workspace.open(other)).toThrow(/不是参保比对的工作区文件/);
    const text = join(dir, 'notes.canbao');
    writeFileSync(text, '这不是数据库'.repeat(200));
    expect(() => Workspace.open(text)).toThrow(/参保比对|无法打开/);
  });

  it('keeps an append-only audit log: entries cannot be changed or deleted', () => {
    const ws = Workspace.open(join(dir, 'audit.canbao'), { create: true });
    appendAudit(ws.db, '王芳', 'export', { rows: 10, mask: '6-4' });
    expect(listAudit(ws.db)[0]).toMatchObject({ actor: '王芳', action: 'export', detail: { rows: 10, mask: '6-4' } });
    expect(() => ws.db.exec(`UPDATE audit_log SET actor = 'x'`)).toThrow(/只能追加/);
    expect(() => ws.db.exec('DELETE FROM audit_log')).toThrow(/只能追加/);
    expect(listAudit(ws.db)).toHaveLength(1);
    ws.close();
  });

  it('backs up through the online backup API into a workspace that opens', async () => {
    const ws = Workspace.open(join(dir, 'live.canbao'), { create: true });
    appendAudit(ws.db, '王芳', 'match', {});
    await ws.backup(join(dir, 'copy.canbao'));
    ws.close();
    const copy = Workspace.open(join(dir, 'copy.canbao'));
    expect(listAudit(copy.db)).toHaveLength(1);
    copy.close();
  });
});

describe('旧版本工作区', () => {
  it('is brought up to date even when first opened read-only (as canbao status does)', () => {
    const path = join(dir, 'old.canbao');
    const raw = new Database(path);
    raw.exec(MIGRATIONS[0]!.sql);
    raw.pragma('user_version = 1');
    raw.pragma(`application_id = ${APPLICATION_ID}`);
    raw.close();
    const ws = Workspace.open(path, { readonly: true });
    expect(ws.version).toBe(LATEST_VERSION);
    expect(ws.db.prepare('SELECT count(*) AS n FROM person_status').get()).toEqual({ n: 0 });
    ws.close();
  });
});
