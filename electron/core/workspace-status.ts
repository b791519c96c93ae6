import type Database from 'better-sqlite3';
import { ID_STATUSES, type IdStatus, type RollKind } from '../../shared/domain/types';

export interface RollInfo {
  id: number;
  file: string;
  sheet: string;
  kind: RollKind;
  year: number;
  rows: number;
  rowsRead: number;
  skipped: number;
  importedAt: string;
}

export interface WorkspaceStatus {
  records: number;
  rolls: RollInfo[];
  idStatus: Record<IdStatus, number>;
  qualityIssues: number;
}

export function rollList(db: Database.Database): RollInfo[] {
  return db
    .prepare(`SELECT id, file_name AS file, sheet, kind, year, rows_imported AS rows, rows_read AS rowsRead, rows_skipped AS skipped, imported_at AS importedAt FROM roll ORDER BY id`)
    .all() as RollInfo[];
}

export function importStatus(db: Database.Database): WorkspaceStatus {
  const idStatus = Object.fromEntries(ID_STATUSES.map((s) => [s, 0])) as Record<IdStatus, number>;
  for (const r of db.prepare('SELECT id_status AS s, count(*) AS n FROM record GROUP BY id_status').all() as { s: IdStatus; n: number }[]) idStatus[r.s] = r.n;
  return {
    records: (db.prepare('SELECT count(*) AS n FROM record').get() as { n: number }).n,
    rolls: rollList(db),
    idStatus,
    qualityIssues: (db.prepare('SELECT count(*) AS n FROM quality_issue').get() as { n: number }).n,
  };
}
