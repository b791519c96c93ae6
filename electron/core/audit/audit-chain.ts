import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';

/** The hash before the first entry. */
export const GENESIS = '0'.repeat(64);
const HEAD_KEY = 'audit_head';

/** What the chain's head is recorded as, beside the log (meta table), updated in the same transaction as each entry. */
export interface AuditAnchor {
  id: number;
  hash: string;
  count: number;
}

/**
 * sha256 over a canonical serialisation: a JSON array of the stored fields in a fixed order (the detail as the
 * stored JSON text, so nothing is re-serialised), and the hash of the entry before.
 */
export function entryHash(id: number, at: string, actor: string, action: string, detailJson: string, prev: string) {
  return createHash('sha256')
    .update(JSON.stringify([id, at, actor, action, detailJson, prev]))
    .digest('hex');
}

export function readAnchor(db: Database.Database): AuditAnchor | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(HEAD_KEY) as { value: string } | undefined;
  if (!row) return null;
  try {
    return JSON.parse(row.value) as AuditAnchor;
  } catch {
    return { id: -1, hash: '', count: -1 };
  }
}

export function writeAnchor(db: Database.Database, a: AuditAnchor): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    HEAD_KEY,
    JSON.stringify(a),
  );
}

/**
 * Entries written before the chain existed (workspace version < 4) are chained once, in id order, from the genesis
 * hash. Only entries with no hash that precede every hashed one are legacy: an unhashed entry after a hashed one is
 * an insertion, left for verifyAudit to report. Call inside a write transaction.
 */
export function chainLegacy(db: Database.Database): void {
  // The common case, by primary key: the last entry is chained, so everything before it was chained already.
  const last = db.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as
    { hash: string | null } | undefined;
  if (!last || last.hash !== null) return;
  const firstHashed = db.prepare('SELECT min(id) AS id FROM audit_log WHERE hash IS NOT NULL').get() as {
    id: number | null;
  };
  if (firstHashed.id !== null) return;
  const rows = db
    .prepare('SELECT id, at, actor, action, detail_json FROM audit_log WHERE hash IS NULL ORDER BY id')
    .all() as { id: number; at: string; actor: string; action: string; detail_json: string }[];
  if (!rows.length) return;
  const set = db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?');
  let prev = GENESIS;
  for (const r of rows) {
    const hash = entryHash(r.id, r.at, r.actor, r.action, r.detail_json, prev);
    set.run(prev, hash, r.id);
    prev = hash;
  }
  writeAnchor(db, { id: rows.at(-1)!.id, hash: prev, count: rows.length });
}
