import type Database from 'better-sqlite3';

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
  | 'restore';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: AuditAction;
  detail: Record<string, unknown>;
}

/** Appends one entry. The table's triggers refuse UPDATE and DELETE: the log can only grow. */
export function appendAudit(
  db: Database.Database,
  actor: string,
  action: AuditAction,
  detail: Record<string, unknown>,
): void {
  db.prepare('INSERT INTO audit_log (at, actor, action, detail_json) VALUES (?, ?, ?, ?)').run(
    new Date().toISOString(),
    actor,
    action,
    JSON.stringify(detail),
  );
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

/** The clerk's name for the log: the OS user unless the UI or --by gives one. */
export function defaultActor(): string {
  return process.env.CANBAO_USER || process.env.USERNAME || process.env.USER || '经办人';
}
