import type Database from 'better-sqlite3';
import type { RollKind } from '../../../shared/domain/types';
import { appendAudit } from '../audit/audit-log';
import type { Workspace } from '../db/workspace';
import { CanbaoError } from '../errors';
import { adjustTotals, countTotals, keepTotals, keptTotals, NO_PERSONS } from '../match/person-totals';
import { withStorageFaults } from '../storage-faults';
import { adjustVillageBase, baseContributions } from '../township/participation';

/**
 * A roll in the list is one sheet; removing or replacing acts on the whole import it came with (every sheet of that
 * file), since a corrected file replaces the file, not one township's sheet.
 */
export interface ImportedRoll {
  importId: string;
  rollIds: number[];
  file: string;
  sha256: string;
  kind: RollKind;
  year: number;
  sheets: string[];
  records: number;
  issues: number;
  importedAt: string;
}

export function describeImport(db: Database.Database, rollId: number): ImportedRoll {
  const head = db.prepare('SELECT import_id AS importId FROM roll WHERE id = ?').get(rollId) as
    { importId: string } | undefined;
  if (!head) throw new CanbaoError('notFound', `名册 ${rollId} 不存在（可能已被删除），请刷新名册列表`);
  const rolls = db
    .prepare(
      `SELECT id, file_name AS file, file_sha256 AS sha256, kind, year, sheet, imported_at AS importedAt
       FROM roll WHERE import_id = ? ORDER BY id`,
    )
    .all(head.importId) as {
    id: number;
    file: string;
    sha256: string;
    kind: RollKind;
    year: number;
    sheet: string;
    importedAt: string;
  }[];
  const ids = rolls.map((r) => r.id);
  const inList = `(${ids.join(',')})`;
  const first = rolls[0]!;
  return {
    importId: head.importId,
    rollIds: ids,
    file: first.file,
    sha256: first.sha256,
    kind: first.kind,
    year: first.year,
    sheets: rolls.map((r) => r.sheet),
    records: (db.prepare(`SELECT count(*) AS n FROM record WHERE roll_id IN ${inList}`).get() as { n: number }).n,
    issues: (db.prepare(`SELECT count(*) AS n FROM quality_issue WHERE roll_id IN ${inList}`).get() as { n: number }).n,
    importedAt: first.importedAt,
  };
}

/**
 * Deletes one import inside the caller's transaction, leaving the workspace as before it was imported: its rolls,
 * records (raw rows included), data problems, the clerks' decisions and review pairs on its records, and persons
 * whose every record came from it. Persons who keep other records keep their ids; their lists are out of date
 * until the next match, which the status then asks for.
 */
export function removeImportInTransaction(db: Database.Database, roll: ImportedRoll): { personsRemoved: number } {
  const inList = `(${roll.rollIds.join(',')})`;
  const records = `SELECT id FROM record WHERE roll_id IN ${inList}`;
  const touched = (
    db
      .prepare(`SELECT DISTINCT person_id AS p FROM record WHERE roll_id IN ${inList} AND person_id IS NOT NULL`)
      .all() as {
      p: number;
    }[]
  ).map((r) => r.p);
  db.prepare(`DELETE FROM review_pair WHERE record_a IN (${records}) OR record_b IN (${records})`).run();
  db.prepare(`DELETE FROM pair_decision WHERE record_a IN (${records}) OR record_b IN (${records})`).run();
  db.prepare(`DELETE FROM duplicate_item WHERE record_id IN (${records})`).run();
  db.prepare(`DELETE FROM quality_issue WHERE roll_id IN ${inList}`).run();
  db.prepare(`DELETE FROM record WHERE roll_id IN ${inList}`).run();
  db.prepare(`DELETE FROM roll WHERE id IN ${inList}`).run();
  let personsRemoved = 0;
  const orphan = db.prepare(
    'DELETE FROM person WHERE id = ? AND retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM record WHERE person_id = ?)',
  );
  const orphans: number[] = [];
  for (const p of touched) {
    if (orphan.run(p, p).changes) {
      personsRemoved++;
      orphans.push(p);
    }
  }
  // A person who keeps other records but whose base record went is shown again by the next match, not half now.
  const dropped = new Set(orphans);
  for (const p of db
    .prepare(
      'SELECT person_id FROM person_status WHERE base_record_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM record WHERE id = base_record_id)',
    )
    .pluck()
    .all() as number[])
    dropped.add(p);
  // village_base is person_status grouped by village (participation.ts): the dropped rows' parts are taken out, so
  // that it stays so and the next re-match can adjust it instead of grouping a million persons again.
  const droppedParts = baseContributions(db, dropped);
  // The county's counts kept between matches (person-totals.ts) lose the dropped rows too.
  const totals = keptTotals(db);
  const droppedTotals = totals && countTotals(db, [...dropped]);
  const dropStatus = db.prepare('DELETE FROM person_status WHERE person_id = ?');
  for (const p of dropped) dropStatus.run(p);
  if (totals) keepTotals(db, adjustTotals(totals, droppedTotals!, NO_PERSONS));
  const dropDuplicate = db.prepare('DELETE FROM duplicate_item WHERE person_id = ?');
  for (const p of orphans) dropDuplicate.run(p);
  if ((db.prepare('SELECT count(*) AS n FROM village_base').get() as { n: number }).n > 0)
    adjustVillageBase(db, droppedParts, []);
  markRollsChanged(db);
  return { personsRemoved };
}

const ROLLS_CHANGED_KEY = 'rolls_changed_at';

/** Remembers when a roll was removed or replaced: the last match's lists are from before it. */
function markRollsChanged(db: Database.Database): void {
  db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(ROLLS_CHANGED_KEY, new Date().toISOString());
}

/** Whether a roll was removed or replaced after the last match (its lists then still count those records). */
export function rollsChangedSinceMatch(db: Database.Database): boolean {
  const changed = db.prepare('SELECT value FROM meta WHERE key = ?').get(ROLLS_CHANGED_KEY) as
    { value: string } | undefined;
  if (!changed) return false;
  const run = db.prepare('SELECT max(finished_at) AS at FROM match_run').get() as { at: string | null };
  return !!run.at && changed.value > run.at;
}

/** Removes one import (all its sheets), audited, all or nothing. */
export function removeRoll(ws: Workspace, rollId: number, actor: string): ImportedRoll & { personsRemoved: number } {
  const db = ws.db;
  if (db.inTransaction) throw new CanbaoError('badInput', '正在导入或比对，请等它完成后再删除名册');
  withStorageFaults(ws.path, 'writeWorkspace', () => db.exec('BEGIN IMMEDIATE'));
  try {
    const roll = describeImport(db, rollId);
    const { personsRemoved } = removeImportInTransaction(db, roll);
    appendAudit(db, actor, 'removeRoll', auditDetail(roll, { personsRemoved }));
    ws.assertStillHeld();
    db.exec('COMMIT');
    return { ...roll, personsRemoved };
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw e;
  }
}

export function auditDetail(roll: ImportedRoll, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    file: roll.file,
    sha256: roll.sha256,
    kind: roll.kind,
    year: roll.year,
    sheets: roll.sheets,
    records: roll.records,
    issues: roll.issues,
    importedAt: roll.importedAt,
    ...extra,
  };
}
