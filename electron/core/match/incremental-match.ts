import type Database from 'better-sqlite3';
import type { Workspace } from '../db/workspace';
import { defaultActor } from '../audit/audit-log';
import { throwIfAborted } from '../errors';
import { clusterRecords, type Link } from './clustering';
import { compare } from './comparisons';
import { blockNearChanges, recordsOfRolls, type Context } from './incremental-pairs';
import { attachNewRecords, joinedRecords, writeAttachment, type AttachInput } from './incremental-attach';
import { affected, linkGraph, symmetricDifference } from './incremental-region';
import { indexOfId, loadMatchData, readOrTake, type MatchData } from './match-data';
import { chunksTouched } from './record-chunks';
import {
  assignmentWrites,
  finishRun,
  nextPersonId,
  queueReview,
  writeAssignment,
  writingPersons,
} from './match-run-parts';
import {
  currentDecisions,
  currentRolls,
  PAIR_ID_EXACT,
  PAIR_SIBLING,
  readNameFrequency,
  readRecordKeys,
  REESTIMATE_SHARE,
  rollRangesOf,
  writeMatchState,
  type MatchState,
  type StoredPairs,
} from './match-state';
import { baseYearOf, computeOutcomes, computeOutcomesFor, type OutcomeSummary } from './outcomes';
import { assignPersonIds } from './person-ids';
import { baseContributions, type BaseContribution } from '../township/participation';
import { KIND_INDEX } from './record-keys';
import { reviewImpact } from './review-impact';
import { scorePair } from './scoring';
import type { MatchProgress, MatchSummary } from './run-match';

/**
 * Re-match after rolls were added, removed or replaced, or clerks decided pairs, from the last match's state:
 * the parameters and name frequencies are kept, pairs that did not change keep their weights, and only the
 * persons the changes reach are clustered again. Null when a full match is due instead (too much changed).
 */
function recordCount(db: Database.Database): number {
  return (db.prepare('SELECT count(*) AS n FROM record').get() as { n: number }).n;
}

export function incrementalMatch(ws: Workspace, state: MatchState, ctx: Context): MatchSummary | null {
  const db = ws.db;
  const { settings, year } = ctx;
  const progress = (stage: MatchProgress['stage'], done: number, total: number) =>
    ctx.onProgress?.({ stage, done, total });
  progress('load', 0, 1);
  const rolls = currentRolls(db);
  const seen = new Set(state.rolls);
  const newRolls = rolls.filter((r) => !seen.has(r.identity));
  const present = new Set(rolls.map((r) => r.identity));
  const rollsChanged = newRolls.length > 0 || state.rolls.some((x) => !present.has(x));
  const decisions = currentDecisions(db);
  const decisionChanges = symmetricDifference(state.decisions, decisions);

  let pairs = state.pairs;
  let stats = state.blocking;
  let recordIds = state.recordIds;
  let personIds = state.personIds;
  let possibleCut = state.possibleCut;
  let keys = state.keys;
  const seeds: number[] = [];
  const seedPersons: number[] = [];
  let changed = 0;
  let blockedRecords = 0;
  let addedSinceEstimate = state.addedSinceEstimate;
  let rollRanges = state.rollRanges;
  let cappedValues = state.cappedValues;
  // The chunks of the state's records that changed (record-chunks.ts): the others are not written again.
  let recordChunks: Set<number> | undefined;
  // Records blocking near the changes read: the re-clustering takes them rather than reading them again.
  const read: MatchData[] = [];
  if (rollsChanged) {
    const { ids: added, ranges: addedRanges } = recordsOfRolls(db, newRolls);
    // The rolls' ranges of ids for the next re-match: the kept rolls' as they were, the new ones' as just read.
    rollRanges = undefined;
    if (state.rollRanges) {
      rollRanges = { ...addedRanges };
      for (const r of rolls) if (state.rollRanges[r.identity]) rollRanges[r.identity] = state.rollRanges[r.identity]!;
    }
    // Records the estimate has not seen (a record carried over from a removed one it has): past a quarter of the
    // workspace, the parameters are estimated again, and the full match reads every record.
    const records = recordCount(db);
    const unseenBudget = REESTIMATE_SHARE * records - addedSinceEstimate;
    // With no roll removed nothing can be carried over: known before reading the new records.
    const anyRemoved = state.rolls.some((x) => !present.has(x));
    if (!anyRemoved && added.length > unseenBudget) return null;
    progress('load', 1, 1);
    throwIfAborted(ctx.signal);
    let stored: MatchState['keys'];
    try {
      stored = state.keys ?? readRecordKeys(db, state.recordIds.length);
    } catch {
      // Chunks of keys that do not fit their ids (a damaged state): a full match rebuilds the state.
      return null;
    }
    // The name frequencies are read by blocking, for the names of the records it weighs.
    const keyed = { ...state, keys: stored };
    const near = blockNearChanges(ws, keyed, added, ctx, unseenBudget);
    if (!near) return null;
    addedSinceEstimate += near.unseen;
    pairs = near.pairs;
    stats = near.stats;
    keys = near.keys;
    cappedValues = near.cappedValues;
    changed = added.length + near.removed;
    blockedRecords = near.blocked;
    // Not push(...x): a new year's roll is over a million records, past what a call's arguments can hold.
    for (const rid of near.seeds) seeds.push(rid);
    for (const p of near.seedPersons) seedPersons.push(p);
    recordChunks = chunksTouched(state.recordIds, near.recordIds, added);
    read.push(...near.read);
    near.read.length = 0;
    recordIds = near.recordIds;
    personIds = near.personIds;
    possibleCut = near.possibleCut;
  }
  for (const x of decisionChanges) {
    const [a, b] = x.split('-').map(Number) as [number, number];
    seeds.push(a, b);
  }
  throwIfAborted(ctx.signal);

  progress('cluster', 0, 1);
  const decided = decisions.map((x) => x.split('-')) as [string, string, string][];
  const decisionPairs = decided.map(([a, b]) => [Number(a), Number(b)] as [number, number]);
  let maxId = recordIds[recordIds.length - 1] ?? 0;
  for (const [a, b] of decisionPairs) maxId = Math.max(maxId, a, b);
  // New records that only join one person keep that person as it is (incremental-attach.ts); the others are seeds.
  const attachInput: AttachInput = {
    pairs,
    recordIds,
    personIds,
    trusted: (p) => keys!.hashes[KIND_INDEX.id * recordIds.length + p] !== 0 && !possibleCut[p],
    linkWeight: settings.linkWeight,
    seeds,
    seedPersons,
    decisions: decisionPairs,
  };
  const attachment = rollsChanged ? attachNewRecords(attachInput) : null;
  for (const rid of attachment?.rest ?? []) seeds.push(rid);
  const graph = linkGraph(pairs, decisionPairs, maxId, settings.linkWeight);
  const { records: region, oldPersons } = affected(graph, maxId, seeds, seedPersons, recordIds, personIds);

  // The region's records, clustered as a full match would: links among them, the clerk's decisions among them.
  const dR = readOrTake(db, region, read);
  // Emptied: the records blocking read are not needed past this point (near.read was emptied above).
  read.length = 0;
  // Record id → its place among the region's records, or -1: a typed array rather than a Map, looked up twice for
  // each of the workspace's pairs below (two million at 1,000,000 people, eleven million in a new year's link).
  const local = new Int32Array(maxId + 1).fill(-1);
  for (let i = 0; i < dR.n; i++) local[dR.recordId[i]!] = i;
  // Where each region record sits in the workspace-wide arrays (both sorted by record id).
  const at = new Int32Array(dR.n);
  for (let i = 0, k = 0; i < dR.n; i++) {
    while (recordIds[k]! < dR.recordId[i]!) k++;
    at[i] = k;
  }
  dR.possibleCut = new Uint8Array(dR.n);
  for (let i = 0; i < dR.n; i++) dR.possibleCut[i] = possibleCut[at[i]!]!;
  // Decided pairs by their first record: a string key per candidate pair would cost a million strings in a county.
  const decidedWith = new Map<number, Set<number>>();
  for (const [a, b] of decisionPairs) (decidedWith.get(a) ?? decidedWith.set(a, new Set()).get(a)!).add(b);
  // Which records are the first of a decided pair: most pairs are not, and need no Map lookup.
  const decidedFirst = new Uint8Array(maxId + 1);
  for (const [a] of decisionPairs) decidedFirst[a] = 1;
  const links: Link[] = [];
  const same: [number, number][] = [],
    different: [number, number][] = [];
  for (const [a, b, verdict] of decided) {
    const la = local[Number(a)]!,
      lb = local[Number(b)]!;
    if (la < 0 || lb < 0) continue;
    (verdict === 'same' ? same : different).push([la, lb]);
    if (verdict === 'same') links.push({ a: la, b: lb, weight: Infinity, rule: 'clerk' });
  }
  const joined = attachment ? joinedRecords(attachInput, attachment) : new Int32Array(0);
  const joinedMark = new Uint8Array(maxId + 1);
  for (const rid of joined) joinedMark[rid] = 1;
  const bestWeight = new Float64Array(dR.n).fill(-Infinity);
  const idLinked = new Uint8Array(dR.n);
  const reviewable: number[] = [];
  let scoreLinks = 0;
  for (let k = 0; k < pairs.a.length; k++) {
    const w = pairs.weight[k]!;
    if (w < settings.reviewWeight) continue;
    const isLink = w >= settings.linkWeight && !(pairs.flags[k]! & PAIR_SIBLING);
    const undecided = !decidedFirst[pairs.a[k]!] || !decidedWith.get(pairs.a[k]!)!.has(pairs.b[k]!);
    if (isLink && undecided) scoreLinks++;
    const la = local[pairs.a[k]!]!,
      lb = local[pairs.b[k]!]!;
    if (la < 0 && lb < 0) {
      // A joined person's pairs at review weight are queued again: the person gained records.
      if (undecided && !isLink && (joinedMark[pairs.a[k]!] || joinedMark[pairs.b[k]!])) reviewable.push(k);
      continue;
    }
    if (!undecided) continue;
    if (!isLink) {
      reviewable.push(k);
      continue;
    }
    links.push({ a: la, b: lb, weight: w, rule: 'score' });
    if (pairs.flags[k]! & PAIR_ID_EXACT) idLinked[la] = idLinked[lb] = 1;
    if (w > bestWeight[la]!) bestWeight[la] = w;
    if (w > bestWeight[lb]!) bestWeight[lb] = w;
  }
  const { root, refused } = clusterRecords(dR, links, different);
  // As a full match counts them: the clerk's 同一人 decisions whose two records are both still here.
  const clerkLinks = (
    db
      .prepare(
        `SELECT count(*) AS n FROM pair_decision p WHERE verdict = 'same'
        AND EXISTS (SELECT 1 FROM record WHERE id = p.record_a) AND EXISTS (SELECT 1 FROM record WHERE id = p.record_b)`,
      )
      .get() as { n: number }
  ).n;
  const assignment = assignPersonIds(dR, root, nextPersonId(db));
  progress('cluster', 1, 1);
  throwIfAborted(ctx.signal);

  const actor = ctx.actor ?? defaultActor();
  const now = new Date().toISOString();
  const clerkLinked = new Set<number>();
  for (const [a, b] of same) clerkLinked.add(a).add(b);
  let outcomes!: OutcomeSummary;
  let reviewPending = 0;
  db.transaction(() => {
    const writes = assignmentWrites(dR, { root, clerkLinked, idLinked, bestWeight }, assignment);
    progress('persist', 0, writes.at.length);
    writingPersons(db, writes.at.length + (attachment?.personOf.size ?? 0), recordIds.length, () => {
      writeAssignment(db, dR, writes, assignment, now);
      if (attachment) writeAttachment(db, attachInput, attachment, joined);
    });
    progress('outcomes', 0, 1);
    const baseYear = baseYearOf(db, year);
    const sameLists = year === state.year && baseYear === state.baseYear && JSON.stringify(settings) === state.settings;
    let baseChange: { before: BaseContribution[]; after: BaseContribution[] } | undefined;
    // The persons whose lists were derived again, when not everyone's were.
    let derived: Set<number> | undefined;
    if (sameLists) {
      const persons = new Set(oldPersons);
      for (const p of assignment.personOf) persons.add(p);
      for (const p of attachment?.personOf.values() ?? []) persons.add(p);
      derived = persons;
      const before = baseContributions(db, persons);
      // The parts after, as the lists are written: reading them back took 0.06 s for 43,005 persons.
      const after: BaseContribution[] = [];
      outcomes = computeOutcomesFor(db, year, settings, persons, (part) => after.push(part));
      const kept = (db.prepare('SELECT count(*) AS n FROM village_base').get() as { n: number }).n > 0;
      if (kept) baseChange = { before, after };
    } else outcomes = computeOutcomes(db, year, settings);
    progress('outcomes', 0.8, 1);
    reviewPending = requeue(db, year, pairs, reviewable, union(region, joined), state, !sameLists);
    finishRun(
      db,
      {
        mode: 'incremental',
        year,
        records: recordIds.length,
        links: scoreLinks + clerkLinks,
        reviewPending,
        capped: stats.capped,
        personsCreated: assignment.created.length,
        personsRetired: assignment.retired.length,
        changedRecords: changed,
        reclustered: dR.n,
      },
      outcomes,
      settings,
      state.params,
      actor,
      now,
      baseChange,
      derived,
    );
    // The region's persons, as the state remembers them for the next re-match.
    for (let i = 0; i < dR.n; i++) personIds[at[i]!] = assignment.personOf[i]!;
    for (const [p, person] of attachment?.personOf ?? []) personIds[p] = person;
    writeMatchState(
      db,
      {
        ...state,
        settings: JSON.stringify(settings),
        year,
        baseYear,
        rolls: rolls.map((r) => r.identity),
        rollRanges: rollRanges ?? rollRangesOf(db),
        decisions,
        blocking: stats,
        cappedValues,
        addedSinceEstimate,
        recordIds,
        personIds,
        possibleCut,
        keys,
        pairs,
      },
      { names: true, records: !rollsChanged, pairs: !rollsChanged, recordChunks },
    );
    // A PC woken from sleep mid-match commits nothing beside the colleague who took the workspace over.
    ws.assertStillHeld();
    progress('outcomes', 1, 1);
  })();

  return {
    ...outcomes,
    records: recordIds.length,
    candidatePairs: pairs.a.length,
    links: scoreLinks + clerkLinks,
    reviewPending,
    refusedLinks: refused.length,
    personsCreated: assignment.created.length,
    personsRetired: assignment.retired.length,
    blocking: stats,
    parameters: state.params,
    seconds: (performance.now() - ctx.started) / 1000,
    mode: 'incremental',
    changedRecords: changed,
    reclustered: dR.n,
    blockedRecords,
  };
}

/** Two ascending lists of record ids as one, without repeats. */
function union(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let m = 0;
  for (let i = 0, j = 0; i < a.length || j < b.length;) {
    const x = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
    if (m === 0 || out[m - 1] !== x) out[m++] = x;
  }
  return out.subarray(0, m);
}

/**
 * The review queue after an incremental re-match: pairs touching a re-clustered record are queued again (with their
 * explanations scored afresh from the same parameters), the others keep their numbers. When the lists were derived
 * for everyone, every queued pair's impact is read again.
 */
function requeue(
  db: Database.Database,
  year: number,
  pairs: StoredPairs,
  reviewable: number[],
  region: Int32Array,
  state: MatchState,
  allImpacts: boolean,
): number {
  // The queue is a few thousand pairs, the region up to every record (4.5 million in a new year's link): each queued
  // pair is looked up in the region, rather than the region written to a table (1.4–4.6 s).
  const drop = db.prepare('DELETE FROM review_pair WHERE id = ?');
  for (const [id, a, b] of db.prepare('SELECT id, record_a, record_b FROM review_pair').raw(true).all() as number[][])
    if (indexOfId(region, a!) >= 0 || indexOfId(region, b!) >= 0) drop.run(id);
  db.exec(`DELETE FROM review_pair
    WHERE NOT EXISTS (SELECT 1 FROM record WHERE id = record_a) OR NOT EXISTS (SELECT 1 FROM record WHERE id = record_b)`);
  const personOf = db.prepare('SELECT person_id FROM record WHERE id = ?').pluck();
  const pending = reviewable.filter((k) => personOf.get(pairs.a[k]!) !== personOf.get(pairs.b[k]!));
  const ids = [...new Set(pending.flatMap((k) => [pairs.a[k]!, pairs.b[k]!]))].sort((x, y) => x - y);
  const d = loadMatchData(db, ids);
  const at = new Map<number, number>();
  for (let i = 0; i < d.n; i++) at.set(d.recordId[i]!, i);
  // Explanations need the frequencies of these records' names only (a re-match after decisions reads no others).
  const tf = state.nameFrequency ?? readNameFrequency(db, new Set(d.nameKey));
  queueReview(
    db,
    year,
    pending.map((k) => {
      const a = at.get(pairs.a[k]!)!,
        b = at.get(pairs.b[k]!)!;
      // The sibling flag as the whole workspace gave it: the twin guard needs the household, not these records.
      const sibling = !!(pairs.flags[k]! & PAIR_SIBLING);
      const score = scorePair(d, a, b, compare(d, a, b), state.params, tf, sibling);
      return { ra: pairs.a[k]!, rb: pairs.b[k]!, score };
    }),
  );
  if (allImpacts) {
    const impactOf = reviewImpact(db, year);
    const set = db.prepare('UPDATE review_pair SET impact = ?, impact_label = ? WHERE id = ?');
    for (const r of db.prepare('SELECT id, record_a AS a, record_b AS b FROM review_pair').all() as {
      id: number;
      a: number;
      b: number;
    }[]) {
      const i = impactOf(r.a, r.b);
      set.run(i.rank, i.label, r.id);
    }
  }
  return (db.prepare('SELECT count(*) AS n FROM review_pair WHERE decided_at IS NULL').get() as { n: number }).n;
}
