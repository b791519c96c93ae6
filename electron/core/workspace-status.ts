import type Database from 'better-sqlite3';
import { ID_STATUSES, type IdStatus } from '../../shared/domain/types';
import type { RollSummary, WorkspaceStatus } from '../../shared/ipc/contract';
import { rollsChangedSinceMatch } from './import/remove-roll';
import { BLOCKING_KEY_LABEL, type BlockingKey } from '../../shared/match/blocking-keys';

export type RollInfo = RollSummary;
export type { WorkspaceStatus };

export function rollList(db: Database.Database): RollInfo[] {
  return db
    .prepare(
      `SELECT id, import_id AS importId, file_name AS file, sheet, kind, year, rows_imported AS rows, rows_read AS rowsRead, rows_skipped AS skipped, imported_at AS importedAt FROM roll ORDER BY id`,
    )
    .all() as RollInfo[];
}

export function importStatus(db: Database.Database): WorkspaceStatus {
  const idStatus = Object.fromEntries(ID_STATUSES.map((s) => [s, 0])) as Record<IdStatus, number>;
  for (const r of db.prepare('SELECT id_status AS s, count(*) AS n FROM record GROUP BY id_status').all() as {
    s: IdStatus;
    n: number;
  }[])
    idStatus[r.s] = r.n;
  return {
    records: (db.prepare('SELECT count(*) AS n FROM record').get() as { n: number }).n,
    rolls: rollList(db),
    idStatus,
    qualityIssues: (db.prepare('SELECT count(*) AS n FROM quality_issue').get() as { n: number }).n,
    ...matchStatus(db),
  };
}

function count(db: Database.Database, sql: string): number {
  return (db.prepare(sql).get() as { n: number }).n;
}

export function matchStatus(db: Database.Database) {
  return {
    matched: count(db, 'SELECT count(*) AS n FROM match_run') > 0,
    rollsChangedSinceMatch: rollsChangedSinceMatch(db),
    unmatchedRecords: count(db, 'SELECT count(*) AS n FROM record WHERE person_id IS NULL'),
    persons: count(db, 'SELECT count(*) AS n FROM person_status'),
    duplicates: count(db, 'SELECT count(*) AS n FROM person_status WHERE duplicate_kind IS NOT NULL'),
    uninsured: count(db, 'SELECT count(*) AS n FROM person_status WHERE in_base = 1 AND insured = 0'),
    notInBase: count(db, 'SELECT count(*) AS n FROM person_status WHERE in_base = 0 AND insured = 1'),
    reviewPending: count(db, 'SELECT count(*) AS n FROM review_pair WHERE decided_at IS NULL'),
    // Pairs decided (or undone) since the last match, each once. The audit log is where both a decision and its
    // undo leave a dated trace; pair_decision forgets an undone one.
    decisionsUnapplied: count(
      db,
      `SELECT count(DISTINCT json_extract(detail_json, '$.recordA') || '-' || json_extract(detail_json, '$.recordB')) AS n
         FROM audit_log WHERE action IN ('decide', 'undoDecide')
         AND at > (SELECT coalesce(max(finished_at), '') FROM match_run)`,
    ),
    matchCapped: lastMatchCapped(db),
    // The step guide's last step: lists exported after the last match (an older export is of out-of-date lists).
    exportedSinceMatch:
      count(
        db,
        `SELECT count(*) AS n FROM audit_log WHERE action IN ('export', 'exportIssues')
           AND at > (SELECT coalesce(max(finished_at), '9999') FROM match_run)`,
      ) > 0,
  };
}

/** What the caps of the last match left out (blocking.ts), kept with the run so the 比对 screen can say it later. */
function lastMatchCapped(db: Database.Database): WorkspaceStatus['matchCapped'] {
  const row = db.prepare('SELECT summary_json AS s FROM match_run ORDER BY id DESC LIMIT 1').get() as
    { s: string } | undefined;
  const capped = row
    ? ((JSON.parse(row.s) as { capped?: Record<string, { blocks: number; records: number }> }).capped ?? {})
    : {};
  return Object.entries(capped).map(([key, c]) => ({
    key,
    label: BLOCKING_KEY_LABEL[key as BlockingKey] ?? key,
    blocks: c.blocks,
    records: c.records,
  }));
}
