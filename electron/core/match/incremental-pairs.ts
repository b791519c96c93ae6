import type Database from 'better-sqlite3';
import type { Workspace } from '../db/workspace';
import type { MatchSettings } from '../settings';
import { BLOCKING_STEPS, MAX_CANDIDATES, splitPair, type BlockingStats } from './blocking';
import { compare, LEVEL_INDEX, siblingRisk, usableTyped } from './comparisons';
import type { MatchData } from './match-data';
import { blockOrExplain } from './match-run-parts';
import { PAIR_ID_EXACT, PAIR_SIBLING, type MatchState, type StoredPairs } from './match-state';
import type { MatchOptions } from './run-match';
import { scorePair } from './scoring';

/** What an incremental re-match was asked, with the settings and year it runs under. */
export interface Context extends MatchOptions {
  settings: MatchSettings;
  year: number;
  started: number;
}

/** Sorted record ids of the rolls the last match did not see. */
export function recordsOfRolls(db: Database.Database, rollIds: number[]): Int32Array {
  const ids: number[] = [];
  const stmt = db.prepare('SELECT id FROM record WHERE roll_id = ? ORDER BY id');
  for (const r of rollIds) for (const row of stmt.raw(true).iterate(r) as IterableIterator<[number]>) ids.push(row[0]);
  return Int32Array.from(ids).sort();
}

/**
 * The candidate pairs of the changed workspace, each with its weight: blocking runs over every record (a block that
 * grows past its cap, or shrinks under it, changes pairs between records that did not change), but only pairs with
 * a new record, or pairs the last match did not have, are compared and scored. Records on either side of a pair
 * that appeared or disappeared (at review weight or more) are returned as seeds.
 */
export function mergePairs(
  ws: Workspace,
  d: MatchData,
  isNew: Uint8Array,
  state: MatchState,
  ctx: Context,
): { pairs: StoredPairs; stats: BlockingStats; seeds: number[] } {
  const { keys, stats } = blockOrExplain(ws, d, ctx.maxCandidates ?? MAX_CANDIDATES, (k) =>
    ctx.onProgress?.({ stage: 'block', done: k, total: BLOCKING_STEPS }),
  );
  const old = state.pairs;
  const presentOld = (rid: number) => {
    let lo = 0,
      hi = d.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = d.recordId[mid]!;
      if (v === rid) return !isNew[mid];
      if (v < rid) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  };
  const seeds: number[] = [];
  const dropped = (s: number) => {
    if (old.weight[s]! < ctx.settings.reviewWeight) return;
    if (presentOld(old.a[s]!)) seeds.push(old.a[s]!);
    if (presentOld(old.b[s]!)) seeds.push(old.b[s]!);
  };
  const out: StoredPairs = {
    a: new Int32Array(keys.length),
    b: new Int32Array(keys.length),
    weight: new Float64Array(keys.length),
    flags: new Uint8Array(keys.length),
  };
  let s = 0;
  for (let k = 0; k < keys.length; k++) {
    const [a, b] = splitPair(keys[k]!, d.n);
    const ra = d.recordId[a]!,
      rb = d.recordId[b]!;
    while (s < old.a.length && (old.a[s]! < ra || (old.a[s] === ra && old.b[s]! < rb))) dropped(s++);
    out.a[k] = ra;
    out.b[k] = rb;
    const same = s < old.a.length && old.a[s] === ra && old.b[s] === rb;
    if (same && !isNew[a] && !isNew[b]) {
      out.weight[k] = old.weight[s]!;
      out.flags[k] = old.flags[s]!;
      s++;
      // Whether a sound-alike name may be a twin's depends on who else is in the household (twinAtRisk): for a
      // record that could be such a twin the flag is worked out again, and a pair whose flag changed is re-clustered.
      if (twinCandidate(d, a) || twinCandidate(d, b)) {
        const sibling = siblingRisk(d, a, b, compare(d, a, b));
        if (sibling !== !!(out.flags[k]! & PAIR_SIBLING)) {
          out.flags[k] = (out.flags[k]! & ~PAIR_SIBLING) | (sibling ? PAIR_SIBLING : 0);
          seeds.push(ra, rb);
        }
      }
      continue;
    }
    if (same) s++; // the same ids, but one of them now names a record of a new roll
    const levels = compare(d, a, b);
    const score = scorePair(d, a, b, levels, state.params, state.nameFrequency, siblingRisk(d, a, b, levels));
    out.weight[k] = score.weight;
    const idExact = levels.id === LEVEL_INDEX.id.exact && !!d.idNumber[a] && !!d.idNumber[b];
    out.flags[k] = (score.siblingRisk ? PAIR_SIBLING : 0) | (idExact ? PAIR_ID_EXACT : 0);
    if (!isNew[a] && !isNew[b] && score.weight >= ctx.settings.reviewWeight) seeds.push(ra, rb);
  }
  while (s < old.a.length) dropped(s++);
  return { pairs: out, stats, seeds };
}

/** A record a twin guard may concern: in a household, with no usable number (comparisons.ts twinAtRisk). */
function twinCandidate(d: MatchData, i: number): boolean {
  return !!d.householdKey[i] && !d.idNumber[i] && !usableTyped(d.idStatus[i]!, d.idRaw[i]!);
}
