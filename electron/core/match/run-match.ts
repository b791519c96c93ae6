import type { Workspace } from '../db/workspace';
import { defaultActor } from '../audit/audit-log';
import { throwIfAborted, type CancelFlag } from '../errors';
import { BLOCKING_STEPS, MAX_CANDIDATES, type BlockingStats } from './blocking';
import { cappedValuesOf } from './capped-values';
import { clusterLinks, type LinkColumns } from './clustering';
import { idOfKey } from './comparison-levels';
import { compareKey, LEVEL_INDEX, siblingRiskOfKey, soundKeysOf } from './comparisons';
import { incrementalMatch } from './incremental-match';
import { indexOfId, loadMatchData, releaseStrings, type MatchData } from './match-data';
import { KeyRecorder } from './record-keys';
import {
  blockOrExplain,
  assignmentWrites,
  finishRun,
  latestEnrolmentYear,
  nextPersonId,
  queueReview,
  writeAssignment,
  writingPersons,
} from './match-run-parts';
import {
  currentDecisions,
  currentRolls,
  engineFingerprint,
  linkingSettings,
  PAIR_ID_EXACT,
  PAIR_SIBLING,
  readMatchState,
  readNameFrequency,
  rollRangesOf,
  writeMatchState,
  type MatchState,
} from './match-state';
import { baseYearOf, computeOutcomes, type OutcomeSummary } from './outcomes';
import { estimateM, estimateU, patternOf, rareIdLevelU, type MatchParameters } from './parameters';
import { assignPersonIds } from './person-ids';
import { nameFrequencies, pairWeigher, scorePair, type PairScore } from './scoring';
import { readSettings, type MatchSettings } from '../settings';

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
  /**
   * 'auto' (default): when the last match's state is usable, re-compare only what changed since it (a replaced roll,
   * a clerk's decisions) and re-cluster only the persons that touches; 'full': everything, parameters estimated again.
   */
  mode?: 'auto' | 'full';
  /** With mode 'full': the last match's parameters and name frequencies instead of new estimates (what an incremental re-match keeps; tests compare the two). */
  keepParameters?: boolean;
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
  mode: 'full' | 'incremental';
  /** Records added or removed since the last match (0 for a full match). */
  changedRecords: number;
  /** Records whose person was worked out again (all of them in a full match). */
  reclustered: number;
  /** Records blocked (all of them in a full match; in a re-match, those near the changes). */
  blockedRecords: number;
}

function decisionsOf(
  ws: Workspace,
  d: MatchData,
): { same: [number, number][]; different: [number, number][]; decided: Set<string> } {
  // Records are loaded in record-id order: a decision's records are found by binary search, not a Map of all ids.
  const indexOf = (id: number): number | undefined => {
    const i = indexOfId(d.recordId, id);
    return i < 0 ? undefined : i;
  };
  const same: [number, number][] = [],
    different: [number, number][] = [];
  const decided = new Set<string>();
  for (const r of ws.db.prepare('SELECT record_a, record_b, verdict FROM pair_decision').all() as {
    record_a: number;
    record_b: number;
    verdict: string;
  }[]) {
    const a = indexOf(r.record_a),
      b = indexOf(r.record_b);
    if (a === undefined || b === undefined) continue;
    (r.verdict === 'same' ? same : different).push([a, b]);
    decided.add(`${r.record_a}-${r.record_b}`);
  }
  return { same, different, decided };
}

/**
 * A match: incremental when the last match left a usable state and not too much changed since its estimate,
 * else in full. Both give the same persons, lists and review queue for the same parameters (test/match/incremental-match.test.ts).
 */
export function runMatch(ws: Workspace, opts: MatchOptions = {}): MatchSummary {
  const started = performance.now();
  const settings: MatchSettings = readSettings(ws.db);
  const year = opts.year ?? latestEnrolmentYear(ws.db);
  // Without the records' keys and the name frequencies: only a roll change needs them all (incremental-match.ts
  // reads them then); a re-match after decisions, a few names' frequencies.
  const state =
    opts.mode !== 'full' || opts.keepParameters ? readMatchState(ws.db, { keys: false, names: false }) : null;
  const usable = state && state.fingerprint === engineFingerprint() && state.linking === linkingSettings(settings);
  if (usable && opts.mode !== 'full') {
    const r = incrementalMatch(ws, state, { ...opts, settings, year, started });
    if (r) return r;
  }
  return fullMatch(ws, opts, settings, year, started, usable && opts.keepParameters ? state : null);
}

/**
 * The whole matching run (DESIGN §5): block, compare, estimate m and u from this workspace (as Splink does within
 * blocking rules), score, cluster under the clerk's decisions, give stable person ids, derive the lists, and fill
 * the review queue. Deterministic: the same workspace gives the same result. Everything is written in one
 * transaction, with the state an incremental re-match starts from.
 */
function fullMatch(
  ws: Workspace,
  opts: MatchOptions,
  settings: MatchSettings,
  year: number,
  started: number,
  kept: MatchState | null,
): MatchSummary {
  const progress = (stage: MatchProgress['stage'], done: number, total: number) =>
    opts.onProgress?.({ stage, done, total });

  progress('load', 0, 1);
  const d = loadMatchData(ws.db);
  progress('load', 1, 1);
  throwIfAborted(opts.signal);

  // Each name's sound once, for blocking's two sound keys, the comparisons and estimateU: looking it up by name
  // six million times took 2.5 s at 1,000,000 people.
  d.sounds = soundKeysOf(d);
  // Every record's keys, kept with the state so that a re-match after a new roll finds what it touches.
  const recorder = new KeyRecorder(d);
  const { keys, stats, overCap } = blockOrExplain(
    ws,
    d,
    opts.maxCandidates ?? MAX_CANDIDATES,
    (k) => progress('block', k, BLOCKING_STEPS),
    { recorder },
  );
  const keysOfRecords = recorder.finish();
  const cappedValues = cappedValuesOf(overCap, keysOfRecords.hashes, d.n);
  throwIfAborted(opts.signal);
  // Pairs are carried as numbers (a*n+b keys, packed comparison vectors, weights) in typed arrays: a per-pair
  // object or string for 2.4 million pairs is garbage V8 lets pile up beside two million records' strings.
  const n = d.n;
  const pattern = new Int32Array(keys.length);
  const patterns = new Map<number, number>();
  for (let k = 0; k < keys.length; k++) {
    const a = Math.floor(keys[k]! / n);
    const pk = compareKey(d, a, keys[k]! - a * n, d.sounds);
    pattern[k] = pk;
    patterns.set(pk, (patterns.get(pk) ?? 0) + 1);
    if ((k & 0xfffff) === 0) {
      progress('compare', k, keys.length);
      throwIfAborted(opts.signal);
    }
  }

  progress('estimate', 0, 1);
  let params: MatchParameters;
  let tf: Map<string, number>;
  if (kept) {
    params = kept.params;
    tf = kept.nameFrequency ?? readNameFrequency(ws.db);
  } else {
    const { u, drawn } = estimateU(d, settings.randomPairs, undefined, d.sounds);
    rareIdLevelU(patterns, d.n, u);
    const { expectedMatches, ...estimated } = estimateM(patterns, d);
    const allPairs = (d.n * (d.n - 1)) / 2 || 1;
    params = { ...estimated, u, randomPairs: drawn, randomMatchProbability: Math.min(0.5, expectedMatches / allPairs) };
    tf = nameFrequencies(d);
  }
  d.sounds = undefined;
  throwIfAborted(opts.signal);

  const decisions = decisionsOf(ws, d);
  // Records in some clerk's decision: only their pairs need the decided set's string look-up.
  const inDecision = new Uint8Array(n);
  for (const [a, b] of [...decisions.same, ...decisions.different]) inDecision[a] = inDecision[b] = 1;
  const bestWeight = new Float64Array(d.n).fill(-Infinity);
  // Records linked through an identical trusted ID (shown as 身份证号一致), as opposed to by the other fields.
  const idLinked = new Uint8Array(d.n);
  // Every candidate pair's weight, kept for the next (incremental) re-match; the pairs linked and those for review.
  const weight = new Float64Array(keys.length);
  const flags = new Uint8Array(keys.length);
  const linked = new Int32Array(keys.length);
  let linkedCount = 0;
  const review: number[] = [];
  const weigh = pairWeigher(params, tf);
  const idExactLevel = LEVEL_INDEX.id.exact;
  for (let k = 0; k < keys.length; k++) {
    const a = Math.floor(keys[k]! / n),
      b = keys[k]! - a * n;
    const pk = pattern[k]!;
    const w = weigh(d, a, b, pk);
    const sibling = siblingRiskOfKey(d, a, b, pk);
    const idExact = idOfKey(pk) === idExactLevel && !!d.idNumber[a] && !!d.idNumber[b];
    weight[k] = w;
    flags[k] = (sibling ? PAIR_SIBLING : 0) | (idExact ? PAIR_ID_EXACT : 0);
    if (inDecision[a] && inDecision[b]) {
      const ra = d.recordId[a]!,
        rb = d.recordId[b]!;
      if (decisions.decided.has(ra < rb ? `${ra}-${rb}` : `${rb}-${ra}`)) continue;
    }
    if (w >= settings.linkWeight && !sibling) {
      linked[linkedCount++] = k;
      if (idExact) idLinked[a] = idLinked[b] = 1;
      if (w > bestWeight[a]!) bestWeight[a] = w;
      if (w > bestWeight[b]!) bestWeight[b] = w;
    } else if (w >= settings.reviewWeight) review.push(k);
  }
  progress('cluster', 0, 1);
  const clerk = decisions.same.length;
  const links: LinkColumns = {
    a: new Int32Array(clerk + linkedCount),
    b: new Int32Array(clerk + linkedCount),
    weight: new Float64Array(clerk + linkedCount),
    clerk,
  };
  decisions.same.forEach(([a, b], j) => {
    links.a[j] = a;
    links.b[j] = b;
    links.weight[j] = Infinity;
  });
  for (let j = 0; j < linkedCount; j++) {
    const k = linked[j]!;
    const a = Math.floor(keys[k]! / n);
    links.a[clerk + j] = a;
    links.b[clerk + j] = keys[k]! - a * n;
    links.weight[clerk + j] = weight[k]!;
  }
  const { root, refused } = clusterLinks(d, links, decisions.different);
  const assignment = assignPersonIds(d, root, nextPersonId(ws.db));
  progress('cluster', 1, 1);
  throwIfAborted(opts.signal);

  // Pairs still worth a clerk's look: not already joined by stronger links. Only these are explained in full.
  const pending: { ra: number; rb: number; score: PairScore }[] = [];
  for (const k of review) {
    const a = Math.floor(keys[k]! / n),
      b = keys[k]! - a * n;
    if (root[a] === root[b]) continue;
    const levels = patternOf(pattern[k]!);
    const score = scorePair(d, a, b, levels, params, tf, (flags[k]! & PAIR_SIBLING) !== 0);
    pending.push({ ra: d.recordId[a]!, rb: d.recordId[b]!, score });
  }
  const linkCount = links.a.length;
  releaseStrings(d);
  const clerkLinked = new Set<number>();
  for (const [a, b] of decisions.same) clerkLinked.add(a).add(b);

  const actor = opts.actor ?? defaultActor();
  const now = new Date().toISOString();
  let outcomes!: OutcomeSummary;
  ws.db.transaction(() => {
    const writes = assignmentWrites(d, { root, clerkLinked, idLinked, bestWeight }, assignment);
    progress('persist', 0, writes.at.length);
    writingPersons(ws.db, writes.at.length, d.n, () =>
      writeAssignment(ws.db, d, writes, assignment, now, (k) => {
        if ((k & 0x3ffff) === 0) progress('persist', k, writes.at.length);
      }),
    );
    progress('outcomes', 0, 1);
    outcomes = computeOutcomes(ws.db, year, settings);
    progress('outcomes', 0.8, 1);
    ws.db.exec('DELETE FROM review_pair');
    queueReview(ws.db, year, pending);
    finishRun(
      ws.db,
      {
        mode: 'full',
        year,
        records: d.n,
        links: linkCount,
        reviewPending: pending.length,
        capped: stats.capped,
        personsCreated: assignment.created.length,
        personsRetired: assignment.retired.length,
        changedRecords: 0,
        reclustered: d.n,
      },
      outcomes,
      settings,
      params,
      actor,
      now,
    );
    const pairA = new Int32Array(keys.length),
      pairB = new Int32Array(keys.length);
    for (let k = 0; k < keys.length; k++) {
      const a = Math.floor(keys[k]! / n);
      pairA[k] = d.recordId[a]!;
      pairB[k] = d.recordId[keys[k]! - a * n]!;
    }
    writeMatchState(ws.db, {
      fingerprint: engineFingerprint(),
      linking: linkingSettings(settings),
      settings: JSON.stringify(settings),
      params,
      nameFrequency: tf,
      year,
      baseYear: baseYearOf(ws.db, year),
      rolls: currentRolls(ws.db).map((r) => r.identity),
      rollRanges: rollRangesOf(ws.db),
      decisions: currentDecisions(ws.db),
      blocking: stats,
      cappedValues,
      addedSinceEstimate: kept ? kept.addedSinceEstimate : 0,
      recordIds: d.recordId,
      personIds: assignment.personOf,
      possibleCut: d.possibleCut ?? new Uint8Array(d.n),
      keys: keysOfRecords,
      pairs: { a: pairA, b: pairB, weight, flags },
    });
    // A PC woken from sleep mid-match commits nothing beside the colleague who took the workspace over.
    ws.assertStillHeld();
    progress('outcomes', 1, 1);
  })();

  return {
    ...outcomes,
    records: d.n,
    candidatePairs: keys.length,
    links: linkCount,
    reviewPending: pending.length,
    refusedLinks: refused.length,
    personsCreated: assignment.created.length,
    personsRetired: assignment.retired.length,
    blocking: stats,
    parameters: params,
    seconds: (performance.now() - started) / 1000,
    mode: 'full',
    changedRecords: 0,
    reclustered: d.n,
    blockedRecords: d.n,
  };
}
