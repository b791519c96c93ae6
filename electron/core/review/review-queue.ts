import type Database from 'better-sqlite3';
import type { MaskedRecord } from '../../../shared/ipc/contract';
import { appendAudit } from '../audit/audit-log';
import { personOfRecord } from '../audit/audit-view';
import { CanbaoError } from '../errors';
import type { FieldContribution } from '../match/scoring';

export type Verdict = 'same' | 'different';

/** A record as review shows it: the screen's fields, with the full number (masked on its way out, views.ts). */
export interface ReviewRecord extends Omit<MaskedRecord, 'idMasked' | 'personId'> {
  personId: number | null;
  idNumber: string;
}

export interface ReviewPair {
  id: number;
  weight: number;
  probability: number;
  impact: number;
  impactLabel: string;
  prior: number;
  contributions: FieldContribution[];
  siblingRisk: boolean;
  a: ReviewRecord;
  b: ReviewRecord;
}

const RECORD_SQL = `SELECT c.id AS recordId, c.person_id AS personId, r.kind, r.file_name AS file, r.sheet, c.source_row AS row, c.name,
  coalesce(c.id_number, c.id_raw) AS idNumber, c.id_status AS idStatus, c.birth_date AS birthDate, c.gender, c.township, c.village,
  c.household_no AS householdNo, c.household_head AS householdHead, c.category
  FROM record c JOIN roll r ON r.id = c.roll_id WHERE c.id = ?`;

export function pendingCount(db: Database.Database): number {
  return (db.prepare('SELECT count(*) AS n FROM review_pair WHERE decided_at IS NULL').get() as { n: number }).n;
}

/** Pending pairs, those whose verdict changes a list first, then the least certain. */
export function listPending(db: Database.Database, limit = 100, offset = 0): ReviewPair[] {
  const rows = db
    .prepare(
      `SELECT id, record_a, record_b, weight, probability, impact, impact_label, explanation_json FROM review_pair
    WHERE decided_at IS NULL ORDER BY impact DESC, abs(weight - 5) ASC, id LIMIT ? OFFSET ?`,
    )
    .all(limit, offset) as {
    id: number;
    record_a: number;
    record_b: number;
    weight: number;
    probability: number;
    impact: number;
    impact_label: string;
    explanation_json: string;
  }[];
  const rec = db.prepare(RECORD_SQL);
  return rows.map((r) => {
    const e = JSON.parse(r.explanation_json) as {
      prior: number;
      contributions: FieldContribution[];
      siblingRisk: boolean;
    };
    return {
      id: r.id,
      weight: r.weight,
      probability: r.probability,
      impact: r.impact,
      impactLabel: r.impact_label,
      prior: e.prior,
      contributions: e.contributions,
      siblingRisk: e.siblingRisk,
      a: rec.get(r.record_a) as ReviewRecord,
      b: rec.get(r.record_b) as ReviewRecord,
    };
  });
}

/**
 * Records a clerk's verdict on two records. Pinned: the matcher applies it on every later run and never overrides it.
 * A later verdict by a clerk on the same two records replaces the earlier one (the log keeps both).
 */
export function decidePair(
  db: Database.Database,
  recordA: number,
  recordB: number,
  verdict: Verdict,
  by: string,
): void {
  if (recordA === recordB) throw new CanbaoError('badInput', '不能对同一条记录作出判断');
  const [lo, hi] = recordA < recordB ? [recordA, recordB] : [recordB, recordA];
  const exists = db.prepare('SELECT count(*) AS n FROM record WHERE id IN (?, ?)').get(lo, hi) as { n: number };
  if (exists.n !== 2)
    throw new CanbaoError('notFound', '这两条记录已不在工作区（所在名册可能已移除）。请重新比对后再复核');
  const now = new Date().toISOString();
  db.transaction(() => {
    db.prepare(
      `INSERT INTO pair_decision (record_a, record_b, verdict, decided_by, decided_at) VALUES (?,?,?,?,?)
      ON CONFLICT (record_a, record_b) DO UPDATE SET verdict = excluded.verdict, decided_by = excluded.decided_by, decided_at = excluded.decided_at`,
    ).run(lo, hi, verdict, by, now);
    // Kept, marked decided: an undo puts the pair back in the queue as it was.
    db.prepare('UPDATE review_pair SET decided_at = ? WHERE record_a = ? AND record_b = ?').run(now, lo, hi);
    // Names and 人员编号 as they are now: an auditor reads whom the verdict was about, even after the rolls change.
    const persons = [personOfRecord(db, lo), personOfRecord(db, hi)];
    appendAudit(db, by, 'decide', { recordA: lo, recordB: hi, verdict, persons });
  })();
}

/**
 * Takes back a clerk's verdict on two records (the last one, usually, from the review screen's 撤销): the decision is
 * removed, the pair returns to the queue if a match had queued it, and the log keeps both the verdict and its undo.
 */
export function undoDecision(db: Database.Database, recordA: number, recordB: number, by: string): void {
  const [lo, hi] = recordA < recordB ? [recordA, recordB] : [recordB, recordA];
  const had = db.prepare('SELECT verdict FROM pair_decision WHERE record_a = ? AND record_b = ?').get(lo, hi) as
    { verdict: Verdict } | undefined;
  if (!had) throw new CanbaoError('notFound', '这两条记录没有复核判断，无需撤销');
  db.transaction(() => {
    db.prepare('DELETE FROM pair_decision WHERE record_a = ? AND record_b = ?').run(lo, hi);
    db.prepare('UPDATE review_pair SET decided_at = NULL WHERE record_a = ? AND record_b = ?').run(lo, hi);
    const persons = [personOfRecord(db, lo), personOfRecord(db, hi)];
    appendAudit(db, by, 'undoDecide', { recordA: lo, recordB: hi, verdict: had.verdict, persons });
  })();
}
