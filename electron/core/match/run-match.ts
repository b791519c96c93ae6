import type { Workspace } from '../db/workspace';
import { appendAudit, defaultActor } from '../audit/audit-log';
import { CanbaoError, throwIfAborted, type CancelFlag } from '../errors';
import { BLOCKING_KEY_LABEL } from '../../../shared/match/blocking-keys';
import {
  BLOCKING_STEPS,
  CandidateLimitError,
  candidatePairs,
  MAX_CANDIDATES,
  splitPair,
  type BlockingStats,
} from './blocking';
import { clusterRecords, type Link } from './clustering';
import { compare, LEVEL_INDEX, siblingRisk } from './comparisons';
import { loadMatchData, type MatchData } from './match-data';
import { computeOutcomes, type OutcomeSummary } from './outcomes';
import { estimateM, estimateU, patternKey, patternOf, rareIdLevelU, type MatchParameters } from './parameters';
import { assignPersonIds } from './person-ids';
import { reviewImpact } from './review-impact';
import { nameFrequencies, scorePair, type PairScore } from './scoring';
import { readSettings, type MatchSettings } from '../settings';
import { takeSnapshot } from '../township/snapshots';
import { keepVillageBase } from '../township/participation';
import { refreshListedGroups } from '../subsidy/listed-groups';

export interface MatchProgress {
  stage: 'load' | 'block' | 'compare' | 'estimate' | 'cluster' | 'persist' | 'outcomes';
  done: number;
  total: number;
}

export interface MatchOptions {
  /** The year whose enrolments count; defaults to the latest year among enrolment rolls. */
  year?: number;
  actor?: string;
  onProgress?: (p: MatchProgress) => void;
  signal?: CancelFlag;
  /** Most candidate pairs before the match stops with a Chinese message (default MAX_CANDIDATES; tests set it low). */
  maxCandidates?: number;
}

export interface MatchSummary extends OutcomeSummary {
  records: number;
  candidatePairs: number;
  links: number;
  reviewPending: number;
  refusedLinks: number;
  personsCreated: number;
  personsRetired: number;
  blocking: BlockingStats;
  parameters: MatchParameters;
  seconds: number;
}

function decisionsOf(
  ws: Workspace,
  d: MatchData,
): { same: [number, number][]; different: [number, number][]; decided: Set<string> } {
  const index = new Map<number, number>();
  for (let i = 0; i < d.n; i++) index.set(d.recordId[i]!, i);
  const same: [number, number][] = [],
    different: [number, number][] = [];
  const decided = new Set<string>();
  for (const r of ws.db.prepare('SELECT record_a, record_b, verdict FROM pair_decision').all() as {
    record_a: number;
    record_b: number;
    verdict: string;
  }[]) {
    const a = index.get(r.record_a),
      b = index.get(r.record_b);
    if (a === undefined || b === undefined) continue;
    (r.verdict === 'same' ? same : different).push([a, b]);
    decided.add(`${r.record_a}-${r.record_b}`);
  }
  return { same, different, decided };
}

/** Candidate pairs, or, past the designed limit, a Chinese message naming the key and where its records are. */
function blockOrExplain(
  ws: Workspace,
  d: MatchData,
  limit: number,
  onProgress: (k: number) => void,
): ReturnType<typeof candidatePairs> {
  try {
    return candidatePairs(d, { limit, onProgress });
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

/** The highest review pair number ever given in this workspace (kept in meta; older workspaces: the queue's). */
function lastReviewPairNo(ws: Workspace): number {
  const kept = ws.db.prepare(`SELECT value FROM meta WHERE key = 'lastReviewPairNo'`).get() as
    { value: string } | undefined;
  const queued = ws.db.prepare('SELECT max(id) AS m FROM review_pair').get() as { m: number | null };
  return Math.max(Number(kept?.value ?? 0), queued.m ?? 0);
}

function latestEnrolmentYear(ws: Workspace): number {
  const row = ws.db.prepare(`SELECT max(year) AS y FROM roll WHERE kind != 'population'`).get() as { y: number | null };
  const any = ws.db.prepare('SELECT max(year) AS y FROM roll').get() as { y: number | null };
  return row.y ?? any.y ?? new Date().getFullYear();
}

/**
 * The whole matching run (DESIGN §5): block, compare, estimate m and u from this workspace (as Splink does within blocking rules), score, cluster under the clerk's decisions,
 * give stable person ids, derive the lists, and fill the review queue. Deterministic: the same workspace gives the
 * same result. Everything is written in one transaction.
 */
export function runMatch(ws: Workspace, opts: MatchOptions = {}): MatchSummary {
  const started = performance.now();
  const settings: MatchSettings = readSettings(ws.db);
  const progress = (stage: MatchProgress['stage'], done: number, total: number) =>
    opts.onProgress?.({ stage, done, total });
  const year = opts.year ?? latestEnrolmentYear(ws);

  progress('load', 0, 1);
  const d = loadMatchData(ws.db);
  progress('load', 1, 1);
  throwIfAborted(opts.signal);

  const { keys, stats } = blockOrExplain(ws, d, opts.maxCandidates ?? MAX_CANDIDATES, (k) =>
    progress('block', k, BLOCKING_STEPS),
  );
  throwIfAborted(opts.signal);
  const pattern = new Int32Array(keys.length);
  const patterns = new Map<number, number>();
  for (let k = 0; k < keys.length; k++) {
    const [a, b] = splitPair(keys[k]!, d.n);
    const pk = patternKey(compare(d, a, b));
    pattern[k] = pk;
    patterns.set(pk, (patterns.get(pk) ?? 0) + 1);
    if ((k & 0xfffff) === 0) {
      progress('compare', k, keys.length);
      throwIfAborted(opts.signal);
    }
  }

  progress('estimate', 0, 1);
  const { u, drawn } = estimateU(d, settings.randomPairs);
  rareIdLevelU(patterns, d.n, u);
  const { expectedMatches, ...estimated } = estimateM(patterns, d);
  const allPairs = (d.n * (d.n - 1)) / 2 || 1;
  const params: MatchParameters = {
    ...estimated,
    u,
    randomPairs: drawn,
    randomMatchProbability: Math.min(0.5, expectedMatches / allPairs),
  };
  const tf = nameFrequencies(d);
  throwIfAborted(opts.signal);

  const decisions = decisionsOf(ws, d);
  const links: Link[] = decisions.same.map(([a, b]) => ({ a, b, weight: Infinity, rule: 'clerk' }));
  const review: PairScore[] = [];
  const bestWeight = new Float64Array(d.n).fill(-Infinity);
  // Records linked through an identical trusted ID (shown as 身份证号一致), as opposed to by the other fields.
  const idLinked = new Uint8Array(d.n);
  for (let k = 0; k < keys.length; k++) {
    const [a, b] = splitPair(keys[k]!, d.n);
    const levels = patternOf(pattern[k]!);
    const score = scorePair(d, a, b, levels, params, tf, siblingRisk(d, a, b, levels));
    const ra = d.recordId[a]!,
      rb = d.recordId[b]!;
    if (decisions.decided.has(ra < rb ? `${ra}-${rb}` : `${rb}-${ra}`)) continue;
    if (score.weight >= settings.linkWeight && !score.siblingRisk) {
      links.push({ a, b, weight: score.weight, rule: 'score' });
      if (levels.id === LEVEL_INDEX.id.exact && d.idNumber[a] && d.idNumber[b]) idLinked[a] = idLinked[b] = 1;
      if (score.weight > bestWeight[a]!) bestWeight[a] = score.weight;
      if (score.weight > bestWeight[b]!) bestWeight[b] = score.weight;
    } else if (score.weight >= settings.reviewWeight) review.push(score);
  }
  progress('cluster', 0, 1);
  const { root, refused } = clusterRecords(d, links, decisions.different);
  const nextId = ((ws.db.prepare('SELECT max(id) AS m FROM person').get() as { m: number | null }).m ?? 0) + 1;
  const assignment = assignPersonIds(d, root, nextId);
  progress('cluster', 1, 1);
  throwIfAborted(opts.signal);

  // Pairs still worth a clerk's look: not already joined by stronger links.
  const pending = review.filter((s) => root[s.a] !== root[s.b]);
  const clerkLinked = new Set<number>();
  for (const [a, b] of decisions.same) clerkLinked.add(a).add(b);

  const actor = opts.actor ?? defaultActor();
  const now = new Date().toISOString();
  let outcomes!: OutcomeSummary;
  ws.db.transaction(() => {
    progress('persist', 0, d.n);
    const insertPerson = ws.db.prepare('INSERT INTO person (id, created_at) VALUES (?, ?)');
    for (const id of assignment.created) insertPerson.run(id, now);
    const retire = ws.db.prepare('UPDATE person SET retired_at = ?, retired_reason = ?, successor_id = ? WHERE id = ?');
    for (const r of assignment.retired) retire.run(now, r.reason, r.successor, r.id);
    const setPerson = ws.db.prepare('UPDATE record SET person_id = ?, link_rule = ?, link_score = ? WHERE id = ?');
    const size = new Map<number, number>();
    for (let i = 0; i < d.n; i++) size.set(root[i]!, (size.get(root[i]!) ?? 0) + 1);
    for (let i = 0; i < d.n; i++) {
      const single = size.get(root[i]!) === 1;
      const rule = single ? 'single' : clerkLinked.has(i) ? 'clerk' : idLinked[i] ? 'id' : 'score';
      setPerson.run(
        assignment.personOf[i]!,
        rule,
        Number.isFinite(bestWeight[i]!) ? Math.round(bestWeight[i]! * 100) / 100 : null,
        d.recordId[i]!,
      );
      if ((i & 0x3ffff) === 0) progress('persist', i, d.n);
    }
    progress('outcomes', 0, 1);
    outcomes = computeOutcomes(ws.db, year, settings);
    progress('outcomes', 0.8, 1);
    // Pair numbers are never reused: a clerk's `review --decide 5` from an older list must not decide another pair.
    let pairNo = lastReviewPairNo(ws);
    ws.db.exec('DELETE FROM review_pair');
    const insertReview = ws.db.prepare(
      'INSERT INTO review_pair (id, record_a, record_b, weight, probability, impact, impact_label, explanation_json) VALUES (?,?,?,?,?,?,?,?)',
    );
    const impactOf = reviewImpact(ws.db, year);
    for (const s of pending) {
      const ra = d.recordId[s.a]!,
        rb = d.recordId[s.b]!;
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
    ws.db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('lastReviewPairNo', ?)`).run(String(pairNo));
    ws.db
      .prepare(
        'INSERT INTO match_run (started_at, finished_at, by, year, summary_json, params_json) VALUES (?,?,?,?,?,?)',
      )
      .run(
        now,
        new Date().toISOString(),
        actor,
        year,
        JSON.stringify({ ...outcomes, links: links.length, review: pending.length, capped: stats.capped }),
        JSON.stringify({ settings, params }),
      );
    // The departments' lists say who else is in a special group (issue 14); then each match is a point on the
    // 进度 trend and the 上期 of a later bulletin.
    refreshListedGroups(ws.db);
    keepVillageBase(ws.db);
    takeSnapshot(ws.db, 'match');
    progress('outcomes', 1, 1);
    appendAudit(ws.db, actor, 'match', {
      year,
      records: d.n,
      persons: outcomes.persons,
      duplicates: outcomes.duplicates,
      uninsured: outcomes.uninsured,
      notInBase: outcomes.notInBase,
      reviewPending: pending.length,
      personsCreated: assignment.created.length,
      personsRetired: assignment.retired.length,
    });
  })();

  return {
    ...outcomes,
    records: d.n,
    candidatePairs: keys.length,
    links: links.length,
    reviewPending: pending.length,
    refusedLinks: refused.length,
    personsCreated: assignment.created.length,
    personsRetired: assignment.retired.length,
    blocking: stats,
    parameters: params,
    seconds: (performance.now() - started) / 1000,
  };
}
