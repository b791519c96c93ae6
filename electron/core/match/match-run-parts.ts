import type Database from 'better-sqlite3';
import type { Workspace } from '../db/workspace';
import { appendAudit } from '../audit/audit-log';
import { CanbaoError } from '../errors';
import { BLOCKING_KEY_LABEL } from '../../../shared/match/blocking-keys';
import { CandidateLimitError, candidatePairs, type BlockSize } from './blocking';
import type { MatchData } from './match-data';
import type { KeyRecorder } from './record-keys';
import type { OutcomeSummary } from './outcomes';
import type { PersonAssignment } from './person-ids';
import type { MatchParameters } from './parameters';
import { reviewImpact } from './review-impact';
import type { PairScore } from './scoring';
import type { MatchSettings } from '../settings';
import { takeSnapshot } from '../township/snapshots';
import { adjustVillageBase, keepVillageBase, type BaseContribution } from '../township/participation';
import { refreshListedGroups, refreshListedGroupsOf } from '../subsidy/listed-groups';
import { withoutIndex } from '../db/index-rebuild';

/** Candidate pairs, or, past the designed limit, a Chinese message naming the key and where its records are. */
export function blockOrExplain(
  ws: Workspace,
  d: MatchData,
  limit: number,
  onProgress: (k: number) => void,
  more: { blockSize?: BlockSize; recorder?: KeyRecorder } = {},
): ReturnType<typeof candidatePairs> {
  try {
    return candidatePairs(d, { limit, onProgress, ...more });
  } catch (e) {
    if (!(e instanceof CandidateLimitError)) throw e;
    const where = ws.db.prepare(
      'SELECT r.file_name AS file, r.sheet, c.source_row AS row FROM record c JOIN roll r ON r.id = c.roll_id WHERE c.id = ?',
    );
    const places = e.sampleRecords.map((i) => {
      const p = where.get(d.recordId[i]!) as { file: string; sheet: string; row: number } | undefined;
      return p ? `“${p.file}”${p.sheet ? `工作表“${p.sheet}”` : ''}第${p.row}行` : '';
    });
    throw new CanbaoError(
      'limitExceeded',
      `待比较的记录对超过 ${(limit / 10_000).toLocaleString('zh-CN')} 万对，本机内存无法完成比对。达到上限时正在按“${BLOCKING_KEY_LABEL[e.key]}”分组，` +
        `当时的一组有 ${e.largestBlock} 条记录，例如${places.filter(Boolean).join('、')}。` +
        '请检查这些记录是否填了同一个占位号码或同一个姓名，改正后重新导入再比对。',
    );
  }
}

/** The next unused person id (人员编号 are never reused). */
export function nextPersonId(db: Database.Database): number {
  return ((db.prepare('SELECT max(id) AS m FROM person').get() as { m: number | null }).m ?? 0) + 1;
}

/** How each clustered record was joined, as the full and the incremental match work it out. */
export interface RecordLinks {
  /** Cluster root per record index. */
  root: Int32Array;
  /** Record indexes in a clerk's 同一人 decision. */
  clerkLinked: Set<number>;
  /** 1 where a record was linked through an identical trusted ID. */
  idLinked: Uint8Array;
  /** Strongest automatic link weight per record (-Infinity: none). */
  bestWeight: Float64Array;
}

/** How a record joined its person, as record.link_rule stores it. */
const LINK_RULES = ['single', 'clerk', 'id', 'score'] as const;

/** The records whose person or link a clustering changed, by index into its MatchData, with what is written. */
export interface AssignmentWrites {
  at: Int32Array;
  /** Index into LINK_RULES (a byte, not a string per record: a first match writes two million). */
  rule: Uint8Array;
  /** The strongest link weight, rounded to 0.01; NaN for none. */
  score: Float64Array;
}

/**
 * What writeAssignment will write: each record's person, rule (single, clerk, id, score) and strongest link weight,
 * for the records where one of them changed. A record's row also holds its source row (about 400 bytes): rewriting
 * all 1,943,485 took 9 s of a full re-match at 1,000,000 people, most of whose records keep their person and link.
 */
export function assignmentWrites(d: MatchData, links: RecordLinks, assignment: PersonAssignment): AssignmentWrites {
  const { root, clerkLinked, idLinked, bestWeight } = links;
  const size = new Int32Array(d.n);
  for (let i = 0; i < d.n; i++) size[root[i]!]!++;
  const at = new Int32Array(d.n);
  const rule = new Uint8Array(d.n);
  const score = new Float64Array(d.n);
  let m = 0;
  for (let i = 0; i < d.n; i++) {
    const code = size[root[i]!] === 1 ? 0 : clerkLinked.has(i) ? 1 : idLinked[i] ? 2 : 3;
    const r = LINK_RULES[code];
    const w = Number.isFinite(bestWeight[i]!) ? Math.round(bestWeight[i]! * 100) / 100 : NaN;
    const kept = d.linkScore?.[i];
    const sameScore = Number.isNaN(w) ? Number.isNaN(kept) : kept === w;
    if (d.personId[i] === assignment.personOf[i] && d.linkRule?.[i] === r && sameScore) continue;
    at[m] = i;
    rule[m] = code;
    score[m++] = w;
  }
  return { at: at.subarray(0, m), rule: rule.subarray(0, m), score: score.subarray(0, m) };
}

/**
 * Writes the persons a clustering made: new ids, retired ids, and the records' persons and links (assignmentWrites).
 * Inside the caller's transaction.
 */
export function writeAssignment(
  db: Database.Database,
  d: MatchData,
  writes: AssignmentWrites,
  assignment: PersonAssignment,
  now: string,
  onRow?: (k: number) => void,
): void {
  const insertPerson = db.prepare('INSERT INTO person (id, created_at) VALUES (?, ?)');
  for (const id of assignment.created) insertPerson.run(id, now);
  const retire = db.prepare('UPDATE person SET retired_at = ?, retired_reason = ?, successor_id = ? WHERE id = ?');
  for (const r of assignment.retired) retire.run(now, r.reason, r.successor, r.id);
  const setPerson = db.prepare('UPDATE record SET person_id = ?, link_rule = ?, link_score = ? WHERE id = ?');
  for (let k = 0; k < writes.at.length; k++) {
    onRow?.(k);
    const i = writes.at[k]!;
    const w = writes.score[k]!;
    setPerson.run(assignment.personOf[i]!, LINK_RULES[writes.rule[k]!], Number.isNaN(w) ? null : w, d.recordId[i]!);
  }
}

/**
 * Runs `write` with the person index dropped and built again after it, when it writes the persons of more than a
 * quarter of the workspace's records. A record's person goes to a random place in that index: at 1,000,000 people a
 * first match's 1,943,485 writes took 15.7 s with the index kept, against 8.8 s without it and 1.5 s to build it
 * again. For fewer writes the rebuild (which reads every record) costs more than it saves. Inside the caller's
 * transaction, so a failed write leaves the index as it was.
 */
export function writingPersons(db: Database.Database, rows: number, records: number, write: () => void): void {
  if (!db.inTransaction) throw new Error('writingPersons runs inside the match transaction');
  if (rows * 4 <= records) return write();
  withoutIndex(db, 'record_person', write);
}

/** The highest review pair number ever given in this workspace (kept in meta; older workspaces: the queue's). */
export function lastReviewPairNo(db: Database.Database): number {
  const kept = db.prepare(`SELECT value FROM meta WHERE key = 'lastReviewPairNo'`).get() as
    { value: string } | undefined;
  const queued = db.prepare('SELECT max(id) AS m FROM review_pair').get() as { m: number | null };
  return Math.max(Number(kept?.value ?? 0), queued.m ?? 0);
}

export function latestEnrolmentYear(db: Database.Database): number {
  const row = db.prepare(`SELECT max(year) AS y FROM roll WHERE kind != 'population'`).get() as { y: number | null };
  const any = db.prepare('SELECT max(year) AS y FROM roll').get() as { y: number | null };
  return row.y ?? any.y ?? new Date().getFullYear();
}

/**
 * Queues pairs for a clerk's look, each under a number never used before: a clerk's `review --decide 5` from an older
 * list must not decide another pair. Run after the lists are derived, which the impact is read from.
 */
export function queueReview(
  db: Database.Database,
  year: number,
  pending: { ra: number; rb: number; score: PairScore }[],
): void {
  let pairNo = lastReviewPairNo(db);
  const insertReview = db.prepare(
    'INSERT INTO review_pair (id, record_a, record_b, weight, probability, impact, impact_label, explanation_json) VALUES (?,?,?,?,?,?,?,?)',
  );
  const impactOf = reviewImpact(db, year);
  for (const { ra, rb, score: s } of pending) {
    const [lo, hi] = ra < rb ? [ra, rb] : [rb, ra];
    const impact = impactOf(lo, hi);
    insertReview.run(
      ++pairNo,
      lo,
      hi,
      s.weight,
      s.probability,
      impact.rank,
      impact.label,
      JSON.stringify({ prior: s.prior, contributions: s.contributions, siblingRisk: s.siblingRisk }),
    );
  }
  db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('lastReviewPairNo', ?)`).run(String(pairNo));
}

export interface RunRecord {
  mode: 'full' | 'incremental';
  year: number;
  records: number;
  links: number;
  reviewPending: number;
  capped: unknown;
  personsCreated: number;
  personsRetired: number;
  /** Records added or removed since the last match (incremental runs). */
  changedRecords: number;
  /** Records whose person was worked out again. */
  reclustered: number;
}

/** What every run ends with: its record, the departments' groups, the village base, a 进度 point, the log entry. */
export function finishRun(
  db: Database.Database,
  run: RunRecord,
  outcomes: OutcomeSummary,
  settings: MatchSettings,
  params: MatchParameters,
  actor: string,
  startedAt: string,
  /** The base parts of the persons an incremental re-match derived again, before and after; else counted afresh. */
  baseChange?: { before: BaseContribution[]; after: BaseContribution[] },
  /** The persons whose lists an incremental re-match derived again; else everyone's were. */
  derived?: Iterable<number>,
): void {
  db.prepare(
    'INSERT INTO match_run (started_at, finished_at, by, year, summary_json, params_json) VALUES (?,?,?,?,?,?)',
  ).run(
    startedAt,
    new Date().toISOString(),
    actor,
    run.year,
    JSON.stringify({
      ...outcomes,
      links: run.links,
      review: run.reviewPending,
      capped: run.capped,
      mode: run.mode,
      changedRecords: run.changedRecords,
      reclustered: run.reclustered,
    }),
    JSON.stringify({ settings, params }),
  );
  // The departments' lists say who else is in a special group (issue 14); then each match is a point on the
  // 进度 trend and the 上期 of a later bulletin.
  if (derived) refreshListedGroupsOf(db, derived);
  else refreshListedGroups(db);
  if (baseChange) adjustVillageBase(db, baseChange.before, baseChange.after);
  else keepVillageBase(db);
  takeSnapshot(db, 'match');
  appendAudit(db, actor, 'match', {
    year: run.year,
    records: run.records,
    persons: outcomes.persons,
    duplicates: outcomes.duplicates,
    uninsured: outcomes.uninsured,
    notInBase: outcomes.notInBase,
    reviewPending: run.reviewPending,
    personsCreated: run.personsCreated,
    personsRetired: run.personsRetired,
  });
}
