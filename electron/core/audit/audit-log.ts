import type Database from 'better-sqlite3';
import { userInfo } from 'node:os';
import { chainLegacy, entryHash, GENESIS, readAnchor, writeAnchor } from './audit-chain';

// 'exportIssues' is only read: older workspaces logged the data-quality export under it; it is now an 'export'.
export type AuditAction =
  | 'import'
  | 'match'
  | 'decide'
  | 'undoDecide'
  | 'export'
  | 'revealId'
  | 'exportIssues'
  | 'saveMapping'
  | 'settings'
  | 'setPassword'
  | 'backup'
  | 'saveCopy'
  | 'restore'
  | 'removeRoll'
  | 'replaceRoll'
  | 'dispatch'
  | 'returns'
  | 'subsidyList'
  | 'subsidyTiers'
  | 'subsidyLink';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: AuditAction;
  detail: Record<string, unknown>;
}

/**
 * Appends one entry, chained by hash to the one before (audit-chain.ts), and moves the recorded head in the same
 * transaction. The table's triggers refuse UPDATE and DELETE: the log can only grow; verifyAudit checks that it did.
 */
export function appendAudit(
  db: Database.Database,
  actor: string,
  action: AuditAction,
  detail: Record<string, unknown>,
): void {
  const write = db.transaction(() => {
    chainLegacy(db);
    const last = db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as
      { id: number; hash: string | null } | undefined;
    const anchor = readAnchor(db);
    const prev = last?.hash ?? GENESIS;
    const id = (last?.id ?? 0) + 1;
    const at = new Date().toISOString();
    const detailJson = JSON.stringify(detail);
    const hash = entryHash(id, at, actor, action, detailJson, prev);
    db.prepare(
      'INSERT INTO audit_log (id, at, actor, action, detail_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(id, at, actor, action, detailJson, prev, hash);
    writeAnchor(db, { id, hash, count: (anchor?.count ?? 0) + 1 });
  });
  // Inside a caller's transaction this is a savepoint; alone it is its own transaction.
  write();
}

/** The chain's head (last entry's number and hash), for an export's manifest: ties a printed ledger to the log. */
export function auditHead(db: Database.Database): { id: number; hash: string } | null {
  const row = db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as
    { id: number; hash: string | null } | undefined;
  return row?.hash ? { id: row.id, hash: row.hash } : null;
}

export function listAudit(db: Database.Database, limit = 500, beforeId?: number): AuditEntry[] {
  const rows = db
    .prepare('SELECT id, at, actor, action, detail_json FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?')
    .all(beforeId ?? Number.MAX_SAFE_INTEGER, limit) as {
    id: number;
    at: string;
    actor: string;
    action: AuditAction;
    detail_json: string;
  }[];
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    detail: JSON.parse(r.detail_json) as Record<string, unknown>,
  }));
}

/**
 * The clerk's name for the log: the OS user unless the UI or --by gives one. Never a placeholder such as "经办人":
 * an auditor must be able to tell who acted, and the OS account at least names the PC's user.
 */
export function defaultActor(): string {
  const env = process.env.CANBAO_USER || process.env.USERNAME || process.env.USER;
  if (env) return env;
  try {
    return userInfo().username || '本机用户';
  } catch {
    return '本机用户';
  }
}
