import type Database from 'better-sqlite3';

/**
 * Runs `write` with the index `name` dropped, and builds it again after from its definition as the workspace holds
 * it (the migration's): a write of most of a table's rows is quicker without keeping the index row by row. Inside the
 * caller's transaction, so a failure leaves the index as it was. An index the workspace lacks is not made.
 */
export function withoutIndex<T>(db: Database.Database, name: string, write: () => T): T {
  if (!db.inTransaction) throw new Error(`the index ${name} is dropped only inside the caller's transaction`);
  const sql = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`).pluck().get(name) as
    string | undefined;
  if (!sql) return write();
  db.exec(`DROP INDEX ${name}`);
  const result = write();
  db.exec(sql);
  return result;
}
