import type Database from 'better-sqlite3';
import type { RollKind } from '../../../shared/domain/types';
import { maskId, type MaskProfile } from '../../../shared/export/mask';
import type { ReviewSideContext } from '../../../shared/ipc/contract';
import type { ReviewPair } from './review-queue';

/** Rolls list a household's members on consecutive rows; this far either side is searched (by the row index). */
const HOUSEHOLD_ROWS = 30;
const MAX_SHOWN = 10;

/**
 * What review shows beside each record: the other members of its household as its roll lists them, and the other
 * records of the person it now belongs to (other rolls, other years). Both read through indexes (roll and row,
 * person), so a batch of 500 pairs costs a few thousand index lookups.
 */
export function reviewSides(
  db: Database.Database,
  p: ReviewPair,
  mask: MaskProfile,
): { a: ReviewSideContext; b: ReviewSideContext } {
  const household = db.prepare(
    `SELECT h.name, h.birth_date AS birthDate, h.household_head AS householdHead FROM record c
    JOIN record h ON h.roll_id = c.roll_id AND h.source_row BETWEEN c.source_row - ${HOUSEHOLD_ROWS} AND c.source_row + ${HOUSEHOLD_ROWS}
    WHERE c.id = ? AND c.household_no IS NOT NULL AND c.household_no <> '' AND h.household_no = c.household_no AND h.id <> c.id
    ORDER BY h.source_row LIMIT ${MAX_SHOWN}`,
  );
  const others = db.prepare(
    `SELECT r.kind, r.year, r.file_name AS file, r.sheet, o.source_row AS row, o.name, coalesce(o.id_number, o.id_raw) AS id
    FROM record o JOIN roll r ON r.id = o.roll_id
    WHERE o.person_id = ? AND o.id NOT IN (?, ?) ORDER BY r.year DESC, r.id, o.source_row LIMIT ${MAX_SHOWN}`,
  );
  const side = (rec: ReviewPair['a']): ReviewSideContext => ({
    household: household.all(rec.recordId) as ReviewSideContext['household'],
    otherRecords:
      rec.personId === null
        ? []
        : (
            others.all(rec.personId, p.a.recordId, p.b.recordId) as {
              kind: RollKind;
              year: number;
              file: string;
              sheet: string;
              row: number;
              name: string | null;
              id: string | null;
            }[]
          ).map(({ id, name, ...r }) => ({ ...r, name: name ?? '', idMasked: maskId(id, mask) })),
  });
  return { a: side(p.a), b: side(p.b) };
}
