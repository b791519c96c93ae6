import type Database from 'better-sqlite3';
import type { Workspace } from '../db/workspace';
import type { MatchSettings } from '../settings';
import type { BlockingKey } from '../../../shared/match/blocking-keys';
import {
  BLOCKING_STEPS,
  MAX_BLOCK,
  MAX_CANDIDATES,
  type BlockingStats,
  type BlockSize,
  type CappedBlocks,
} from './blocking';
import { CappedTrust, cappedValuesOf, type CappedValues } from './capped-values';
import { idOfKey } from './comparison-levels';
import { compareKey, LEVEL_INDEX, siblingRiskOfKey, soundKeysOf } from './comparisons';
import { currentRecords, neighbourhood } from './incremental-neighbourhood';
import { carryOver } from './incremental-carry';
import { collapseIdHolders } from './incremental-collapse';
import { findStandIns, standInPairs } from './incremental-stand-in';
import { loadMatchData, lowerBound, mergeMatchData, pickMatchData, type MatchData } from './match-data';
import { blockOrExplain } from './match-run-parts';
import {
  currentRolls,
  readNameFrequency,
  PAIR_ID_EXACT,
  PAIR_SIBLING,
  PairList,
  PairWriter,
  mergePairs,
  type KeyedMatchState,
  type RollRanges,
  type StoredPairs,
} from './match-state';
import { KIND_INDEX, keyHash, recordKeys, type RecordKeys } from './record-keys';
import type { MatchOptions } from './run-match';
import { pairWeigher } from './scoring';

/** What an incremental re-match was asked, with the settings and year it runs under. */
export interface Context extends MatchOptions {
  settings: MatchSettings;
  year: number;
  started: number;
}

/** Sorted record ids of the rolls the last match did not see, and each roll's range of ids (MatchState.rollRanges). */
export function recordsOfRolls(
  db: Database.Database,
  rolls: { id: number; identity: string }[],
): { ids: Int32Array; ranges: RollRanges } {
  const parts: Int32Array[] = [];
  const ranges: RollRanges = {};
  // Each roll's ids as one JSON text, not row by row: a new year's 834,890 ids took 1.65 s one at a time.
  const stmt = db
    .prepare('SELECT json_group_array(id) FROM (SELECT id FROM record WHERE roll_id = ? ORDER BY id)')
    .pluck();
  for (const r of rolls) {
    const ids = Int32Array.from(JSON.parse(stmt.get(r.id) as string) as number[]);
    if (ids.length) ranges[r.identity] = [ids[0]!, ids[ids.length - 1]!, ids.length];
    parts.push(ids);
  }
  const ids = new Int32Array(parts.reduce((m, x) => m + x.length, 0));
  parts.reduce((at, x) => (ids.set(x, at), at + x.length), 0);
  return { ids: ids.sort(), ranges };
}

/** What blocking near the changes gives the re-match: the workspace's pairs and records as they are now. */
export interface NearChanges {
  pairs: StoredPairs;
  stats: BlockingStats;
  /** Records whose persons may change (new records, ends of pairs that appeared or went at review weight or more…). */
  seeds: number[];
  /** Persons of records that are gone. */
  seedPersons: number[];
  removed: number;
  recordIds: Int32Array;
  /** Per record: its person as the last match left it (0 for a new record). */
  personIds: Int32Array;
  possibleCut: Uint8Array;
  keys: RecordKeys;
  /** Records blocked again. */
  blocked: number;
  /** New records that are not a removed record imported again: the parameters' estimate has not seen them. */
  unseen: number;
  /** The records read here (the new ones, and the old ones blocked again), for the re-clustering to take. */
  read: MatchData[];
  /** The state's values past the cap one string holds, now (capped-values.ts). */
  cappedValues: CappedValues;
}

/**
 * The workspace's record ids now, ascending. Records go only with their roll: when no roll the last match saw is gone,
 * they are its records and the new ones, without reading two million ids; when the rolls that went each filled their
 * range of ids, they are its records outside those ranges and the new ones, if the count agrees.
 */
function currentIds(db: Database.Database, state: KeyedMatchState, added: Int32Array): Int32Array {
  const rolls = new Set(currentRolls(db).map((r) => r.identity));
  const gone = state.rolls.filter((r) => !rolls.has(r));
  const joined = (kept: Int32Array) => {
    const ids = new Int32Array(kept.length + added.length);
    ids.set(kept);
    ids.set(added, kept.length);
    return ids.sort();
  };
  if (!gone.length) return joined(state.recordIds);
  // A roll with no range had no records (absent rollRanges: a state from before they were kept).
  const ranges = state.rollRanges && gone.flatMap((r) => (state.rollRanges![r] ? [state.rollRanges![r]!] : []));
  if (ranges && ranges.every(([lo, hi, n]) => hi - lo + 1 === n)) {
    const inRange = new Uint8Array(state.recordIds.length);
    for (const [lo, hi] of ranges)
      for (let k = lowerBound(state.recordIds, lo); k < state.recordIds.length && state.recordIds[k]! <= hi; k++)
        inRange[k] = 1;
    const kept = new Int32Array(state.recordIds.length);
    let m = 0;
    for (let k = 0; k < state.recordIds.length; k++) if (!inRange[k]) kept[m++] = state.recordIds[k]!;
    const ids = joined(kept.subarray(0, m));
    // Counting the table's rows costs under a millisecond: a record that went some other way means the slow way.
    if (ids.length === (db.prepare('SELECT count(*) FROM record').pluck().get() as number)) return ids;
  }
  // From the smallest index as one JSON text, sorted here: 0.31-0.40 s at 1,943,485 records against 0.94-1.14 s for
  // the rows in id order one by one (a scan of the whole table).
  const json = db.prepare('SELECT json_group_array(id) FROM record').pluck().get() as string;
  return Int32Array.from(JSON.parse(json) as number[]).sort();
}

/**
 * The candidate pairs of the changed workspace, each with its weight, from blocking only the records near the
 * changes (incremental-neighbourhood.ts): among them blocking gives exactly the pairs a full match would, and every
 * other pair is kept with its weight. Only pairs with a new record, or pairs the last match did not have, are
 * compared and scored. Null when more records are new than the parameters' estimate may take (a full match is due).
 */
export function blockNearChanges(
  ws: Workspace,
  given: KeyedMatchState,
  added: Int32Array,
  ctx: Context,
  unseenBudget: number,
): NearChanges | null {
  const db = ws.db;
  const recordIds = currentIds(db, given, added);
  const dAdded = loadMatchData(db, added);
  // Each name's sound once, as the full match does: the keys, blocking's sound keys and the comparisons read it.
  dAdded.sounds = soundKeysOf(dAdded);
  const addedKeys = recordKeys(dAdded);
  const carry = carryOver(given, recordIds, added, addedKeys);
  if (carry.stillNew.length > unseenBudget) return null;
  // Which blocks past the cap are one string still: the state's, unless a new record holds their hash otherwise.
  const trust = new CappedTrust(given.cappedValues);
  trust.checkNew(dAdded, addedKeys.hashes);
  const state = carry.state;
  // Only the records a carried one did not stand for are blocked as new.
  let dNew = dAdded;
  let blockedAsNew = added;
  if (carry.carried.length) {
    dNew = pickMatchData(dAdded, carry.stillNew);
    blockedAsNew = Int32Array.from(carry.stillNew, (j) => added[j]!);
  }
  // Nothing carried (a new year's roll, where nothing was removed): the keys just computed are the new records'.
  const cur = currentRecords(state, recordIds, blockedAsNew, carry.carried.length ? recordKeys(dNew) : addedKeys);
  const n = cur.n;
  // New records with the fields of an old one are not blocked: their pairs are copied from it at the end.
  const stand = findStandIns(cur, trust);
  // Where each new record (by position) is in dAdded, the records read: the stood-in ones are weighed against
  // themselves there.
  const inAdded = (p: number) => lowerBound(added, recordIds[p]!);
  if (stand.count) {
    cur.repOf = stand.repOf;
    const blockedNew: number[] = [];
    for (let p = 0; p < n; p++) if (cur.isNew[p] && stand.repOf[p]! < 0) blockedNew.push(inAdded(p));
    dNew = pickMatchData(dAdded, blockedNew);
  }
  const seedPersons: number[] = [];
  let removed = carry.carried.length;
  for (let k = 0; k < cur.keptAt.length; k++)
    if (cur.keptAt[k]! < 0) {
      removed++;
      seedPersons.push(state.personIds[k]!);
    }
  // A carried record's person is worked out again: the person it stood in is a seed as well.
  for (let p = 0, j = 0; p < n && j < carry.carried.length; p++)
    if (recordIds[p] === carry.carried[j]) {
      seedPersons.push(state.personIds[cur.statePos[p]!]!);
      j++;
    }
  const { inS, why, counts } = neighbourhood(state, cur, trust);
  // Old records with the same fields as one blocked here are left out, and given its pairs with new records.
  const { standsFor } = collapseIdHolders(cur, inS, why);
  const oldIds: number[] = [];
  for (let p = 0; p < n; p++) if (inS[p] && !cur.isNew[p]) oldIds.push(recordIds[p]!);
  const dOld = loadMatchData(db, oldIds);
  dOld.sounds = soundKeysOf(dOld);
  const { d, fromA: isNew } = mergeMatchData(dNew, dOld);
  const blockSize: BlockSize = (kind, value, here) => {
    const h = keyHash(value);
    const g = counts[KIND_INDEX[kind]]!.count(h);
    // Past the cap every record with this hash is here, so the strings counted here are exact; or one string holds
    // the hash (trusted), so its count is the string's.
    return g < 0 || (g > MAX_BLOCK && !trust.trusted(KIND_INDEX[kind], h)) ? here : g;
  };
  const progress = (k: number) => ctx.onProgress?.({ stage: 'block', done: k, total: BLOCKING_STEPS });
  const blocked = blockOrExplain(ws, d, ctx.maxCandidates ?? MAX_CANDIDATES, progress, { blockSize });

  const maxId = Math.max(recordIds[n - 1] ?? 0, state.recordIds[state.recordIds.length - 1] ?? 0);
  const posOf = new Int32Array(maxId + 1).fill(-1);
  for (let p = 0; p < n; p++) posOf[recordIds[p]!] = p;
  // A removed record that nothing carried over has a negative id (incremental-carry.ts).
  const kept = (rid: number) => rid >= 0 && posOf[rid]! >= 0 && !cur.isNew[posOf[rid]!];
  // Per record id: 0 kept and not blocked again, 1 kept and blocked again, 2 gone or new. A pair of the last match
  // with both records kept and not both blocked again is kept as it was: most of four million are, checked here on 2
  // MB rather than through positions (8 MB) and copied run by run (the loop took 0.34 s of a roll's re-match).
  const code = new Uint8Array(maxId + 1).fill(2);
  for (let p = 0; p < n; p++) if (!cur.isNew[p]) code[recordIds[p]!] = inS[p] ? 1 : 0;
  const seeds: number[] = [];
  for (const rid of carry.carried) seeds.push(rid);
  const old = state.pairs;
  const keys = blocked.keys;
  const out = new PairWriter(old.a.length + keys.length);
  const extra = new PairList();
  const emit = (a: number, b: number, w: number, f: number) => out.add(a, b, w, f);
  const review = ctx.settings.reviewWeight;
  // Weights only, as the full match scores (scoring.ts pairWeigher): a new year's roll brings millions of new pairs,
  // and an explanation object for each (scorePair) was the block stage's garbage, up to 3.8 GB RSS at 1,000,000
  // people. The few pairs a clerk will see are explained when queued.
  // Only the frequencies of the names weighed here: all of a county's 200,000 names in a Map cost 0.07 s.
  const names = new Set(d.nameKey);
  for (let p = 0; p < n; p++) if (stand.repOf[p]! >= 0) names.add(dAdded.nameKey[inAdded(p)]!);
  const weigh = pairWeigher(state.params, state.nameFrequency ?? readNameFrequency(db, names));
  for (let s = 0, k = 0; s < old.a.length || k < keys.length;) {
    // The pair's two records (a*n+b, PairBuffer), without an array per pair: a new year brings millions.
    let la = -1,
      lb = -1;
    if (k < keys.length) {
      la = Math.floor(keys[k]! / d.n);
      lb = keys[k]! - la * d.n;
    }
    const ra = la >= 0 ? d.recordId[la]! : 0,
      rb = lb >= 0 ? d.recordId[lb]! : 0;
    // The pairs before the next blocked one whose records are both kept and not both blocked again, as a run.
    let t = s;
    for (const end = old.a.length; t < end; t++) {
      const oa = old.a[t]!;
      if (oa < 0 || code[oa]! + code[old.b[t]!]! > 1 || (k < keys.length && (oa - ra || old.b[t]! - rb) >= 0)) break;
    }
    if (t > s) {
      out.addRun(old, s, t);
      s = t;
      continue;
    }
    const order = s >= old.a.length ? 1 : k >= keys.length ? -1 : old.a[s]! - ra || old.b[s]! - rb;
    if (order < 0) {
      // A pair of the last match that blocking near the changes did not give again: kept where one of its records
      // is outside them (no block of it changed), else gone.
      const oa = old.a[s]!,
        ob = old.b[s]!;
      if (kept(oa) && kept(ob) && !(inS[posOf[oa]!] && inS[posOf[ob]!])) emit(oa, ob, old.weight[s]!, old.flags[s]!);
      // Gone between two records blocked again: the records one of them stands for would keep theirs. Never
      // expected (such a record is marked for a reason of its own); a full match is right where this is wrong.
      else if (kept(oa) && kept(ob) && (standsFor.has(posOf[oa]!) || standsFor.has(posOf[ob]!))) return null;
      else if (old.weight[s]! >= review) {
        if (kept(oa)) seeds.push(oa);
        if (kept(ob)) seeds.push(ob);
      }
      s++;
      continue;
    }
    if (order === 0 && !isNew[la] && !isNew[lb]) {
      let flags = old.flags[s]!;
      // Whether a sound-alike name may be a twin's depends on who else is in the household (twinAtRisk): for a
      // record that could be such a twin the flag is worked out again, and a pair whose flag changed is re-clustered.
      if (twinCandidate(d, la) || twinCandidate(d, lb)) {
        const sibling = siblingRiskOfKey(d, la, lb, compareKey(d, la, lb, d.sounds));
        if (sibling !== !!(flags & PAIR_SIBLING)) {
          if (standsFor.has(posOf[ra]!) || standsFor.has(posOf[rb]!)) return null;
          flags = (flags & ~PAIR_SIBLING) | (sibling ? PAIR_SIBLING : 0);
          seeds.push(ra, rb);
        }
      }
      emit(ra, rb, old.weight[s]!, flags);
    } else {
      const pk = compareKey(d, la, lb, d.sounds);
      const weight = weigh(d, la, lb, pk);
      const idExact = idOfKey(pk) === LEVEL_INDEX.id.exact && !!d.idNumber[la] && !!d.idNumber[lb];
      const flags = (siblingRiskOfKey(d, la, lb, pk) ? PAIR_SIBLING : 0) | (idExact ? PAIR_ID_EXACT : 0);
      emit(ra, rb, weight, flags);
      const standsA = standsFor.get(posOf[ra]!),
        standsB = standsFor.get(posOf[rb]!);
      // A pair among old records the last match did not have: never expected of a record left to stand for others
      // (incremental-collapse.ts); a full match is right where this is wrong.
      if ((standsA || standsB) && !isNew[la] && !isNew[lb]) return null;
      const others = isNew[la] ? standsB : standsA;
      for (const p of others ?? []) {
        const rNew = isNew[la] ? ra : rb;
        extra.add(Math.min(rNew, recordIds[p]!), Math.max(rNew, recordIds[p]!), weight, flags);
      }
      if (!isNew[la] && !isNew[lb] && weight >= review) seeds.push(ra, rb);
    }
    if (order === 0) s++;
    k++;
  }
  const pairs = standInPairs(mergePairs(out.finish(), extra.sorted()), recordIds, stand, (p) => {
    const j = inAdded(p);
    const pk = compareKey(dAdded, j, j, dAdded.sounds);
    const idExact = idOfKey(pk) === LEVEL_INDEX.id.exact && !!dAdded.idNumber[j];
    return {
      weight: weigh(dAdded, j, j, pk),
      flags: (siblingRiskOfKey(dAdded, j, j, pk) ? PAIR_SIBLING : 0) | (idExact ? PAIR_ID_EXACT : 0),
    };
  });

  const personIds = new Int32Array(n);
  const possibleCut = new Uint8Array(n);
  for (let p = 0; p < n; p++) {
    const k = cur.statePos[p]!;
    if (k < 0) continue;
    personIds[p] = state.personIds[k]!;
    possibleCut[p] = state.possibleCut[k]!;
  }
  // A number that became (or stopped being) a possible Excel cut of another changes what its person may hold.
  // (No closure per record here: millions of them in a new year's link.)
  for (let l = 0; l < d.n; l++) {
    const p = posOf[d.recordId[l]!]!;
    const now = d.possibleCut?.[l] ?? 0;
    if (!isNew[l] && possibleCut[p] !== now) seeds.push(recordIds[p]!);
    possibleCut[p] = now;
    // The records it stands for hold the same number, so the same mark.
    for (const q of standsFor.get(p) ?? []) {
      if (!isNew[l] && possibleCut[q] !== now) seeds.push(recordIds[q]!);
      possibleCut[q] = now;
    }
  }
  // A stood-in new record holds its old copy's number, so its mark, as that copy has it now.
  for (let p = 0; p < n; p++) if (stand.repOf[p]! >= 0) possibleCut[p] = possibleCut[stand.repOf[p]!]!;
  // Per key, the larger of the last full match's count and what was found here: which blocks were left out is
  // counted exactly only by a full match.
  const capped = { ...state.blocking.capped };
  for (const [key, c] of Object.entries(blocked.stats.capped) as [BlockingKey, CappedBlocks][]) {
    const was = capped[key];
    if (!was || was.blocks < c.blocks) capped[key] = c;
  }
  return {
    pairs,
    stats: { pairs: pairs.a.length, byKey: state.blocking.byKey, capped },
    seeds,
    seedPersons,
    removed,
    recordIds,
    personIds,
    possibleCut,
    keys: cur.keys,
    blocked: d.n,
    unseen: carry.stillNew.length,
    // The new records are all in d unless some were carried over or stood in for (those are in dAdded only).
    read: carry.carried.length || stand.count ? [d, dAdded] : [d],
    cappedValues: cappedValuesOf(blocked.overCap, cur.keys.hashes, n, trust),
  };
}

/** A record a twin guard may concern: in a household, with no trusted number (comparisons.ts twinAtRisk). */
function twinCandidate(d: MatchData, i: number): boolean {
  return !!d.householdKey[i] && !d.idNumber[i];
}
