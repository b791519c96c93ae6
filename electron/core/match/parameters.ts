import {
  birthOfKey,
  COMPARISONS,
  FIELDS,
  genderOfKey,
  idOfKey,
  isNeutral,
  LEVEL_INDEX,
  levelValues,
  nameOfKey,
  packLevels,
  placeOfKey,
  unpackLevels,
  type FieldName,
  type Levels,
  type LevelValues,
} from './comparison-levels';
import { compareKey, heldPrefix, soundKeysOf, usableTyped } from './comparisons';
import type { MatchData } from './match-data';

/** m and u per field and level name; λ the share of true matches among candidate pairs. */
export interface MatchParameters {
  m: LevelValues;
  u: LevelValues;
  /** Share of true matches among the candidate pairs (estimated matches / candidate pairs). */
  lambda: number;
  /**
   * Probability that two records drawn at random are the same person: the prior of every pair's score (Splink's
   * probability_two_random_records_match). Using the candidate-pair share instead would give a pair with no ID a
   * prior as strong as an exact ID match.
   */
  randomMatchProbability: number;
  /** Candidate pairs agreeing on a trusted ID, on which m for name and place was measured (defaults below 50). */
  anchorPairs: number;
  randomPairs: number;
}

const FLOOR = 1e-12;
/** Random pairs' weight against the county prior (uPrior): a village-sized workspace has too few to estimate u alone. */
const PRIOR_PAIRS = 1000;
/** Expected share of records carrying an ID shared with a different person (registry errors, borrowed IDs). */
const ID_COLLISION_RATE = 1e-5;

/** Counts per level position of each field, for the estimators' inner loops. */
type LevelCounts = Record<FieldName, number[]>;
const zeroCounts = (): LevelCounts =>
  Object.fromEntries(FIELDS.map((f) => [f, COMPARISONS[f].levels.map(() => 0)])) as LevelCounts;
/** Neutral levels get 1 (weight 0); the others their share among the informative levels, floored. */
function shares(
  counts: LevelCounts,
  f: FieldName,
  smooth: (x: number, lvl: number, informative: number) => number,
): Record<string, number> {
  const informative = counts[f].reduce((a, x, lvl) => a + (isNeutral(f, lvl) ? 0 : x), 0);
  return Object.fromEntries(
    COMPARISONS[f].levels.map((l, lvl) => [
      l.name,
      l.neutral ? 1 : Math.max(FLOOR, smooth(counts[f][lvl]!, lvl, informative)),
    ]),
  );
}

/** u: level frequencies among random record pairs (almost all non-matches), Laplace-smoothed. */
export function estimateU(
  d: MatchData,
  samples: number,
  seed = 12345,
  /** soundKeysOf(d), when the caller has it: random pairs meet so many names that a bounded cache only thrashes. */
  sounds: readonly string[] = soundKeysOf(d),
): { u: LevelValues; drawn: number } {
  const counts = zeroCounts();
  let s = seed >>> 0;
  const rand = () => {
    // xorshift32: deterministic sampling, so the same workspace always gets the same parameters.
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  let drawn = 0;
  const visit = (a: number, b: number) => {
    const key = compareKey(d, a, b, sounds);
    counts.id[idOfKey(key)]!++;
    counts.name[nameOfKey(key)]!++;
    counts.birth[birthOfKey(key)]!++;
    counts.gender[genderOfKey(key)]!++;
    counts.place[placeOfKey(key)]!++;
    drawn++;
  };
  if ((d.n * (d.n - 1)) / 2 <= samples) {
    // A small workspace: every pair once (repeated draws of the few matching pairs would pass for "random").
    for (let a = 0; a < d.n; a++) for (let b = a + 1; b < d.n; b++) visit(a, b);
  } else {
    for (let k = 0; k < samples; k++) {
      const a = Math.floor(rand() * d.n),
        b = Math.floor(rand() * d.n);
      if (a !== b) visit(a, b);
    }
  }
  const u = {} as LevelValues;
  for (const f of FIELDS) {
    const levels = COMPARISONS[f].levels;
    u[f] = shares(
      counts,
      f,
      (x, lvl, informative) => (x + PRIOR_PAIRS * levels[lvl]!.uPrior) / (informative + PRIOR_PAIRS),
    );
  }
  // Random pairs cannot show how often two *different* people share a trusted ID (nearly every pair that shares
  // one is a match). With ε·n such pairs among n²/2: u = 2ε/n. Assumption, documented: ε = 1e-5.
  u.id.exact = (2 * ID_COLLISION_RATE) / Math.max(d.n, 2);
  return { u, drawn };
}

/** Pattern counts: candidate pairs grouped by comparison vector, so estimation runs over hundreds of patterns, not millions of pairs. */
export function patternKey(l: Levels): number {
  return packLevels(l.id, l.name, l.birth, l.gender, l.place);
}

export const patternOf = unpackLevels;

/**
 * m probabilities, each from the pairs that can tell it without circularity (as Splink estimates each comparison
 * within a blocking rule that does not use it):
 *  - name and place: measured on candidate pairs that agree on a trusted ID number — matches with near certainty,
 *    and an ID typo says nothing about how the name was typed;
 *  - ID number: from how often each ID status occurs in this workspace (a pair of one person's records shows a typo
 *    level when one of them was mistyped, a missing level when one is unusable);
 *  - birth date and gender (compared only when the IDs cannot be): DEFAULT_M, documented typing-error rates.
 * Then the number of true matches is estimated as (pairs agreeing on the ID) / m(ID exact), which gives the prior.
 */
/**
 * u for the rare ID levels (one typo apart, Excel-damaged prefix): random sampling almost never sees them, and
 * nearly every pair at these levels is one person. Coincidences are counted where they show: pairs at the level
 * whose names are entirely different. Under the model's independence assumption, u ≈ those pairs / P(names differ |
 * not the same person) / all pairs, with one pseudo-pair so a clean workspace does not claim certainty.
 */
export function rareIdLevelU(patterns: Map<number, number>, n: number, u: LevelValues): void {
  const allPairs = (n * (n - 1)) / 2;
  if (allPairs <= 0) return;
  for (const level of ['oneEdit', 'prefix15', 'cut000'] as const) {
    let coincidences = 0;
    for (const [key, c] of patterns) {
      const l = patternOf(key);
      if (l.id === LEVEL_INDEX.id[level] && l.name === LEVEL_INDEX.name.different) coincidences += c;
    }
    u.id[level] = (coincidences / Math.max(u.name.different!, 0.5) + 1) / allPairs;
  }
}

export function estimateM(
  patterns: Map<number, number>,
  d: MatchData,
): Pick<MatchParameters, 'm' | 'lambda' | 'anchorPairs'> & { expectedMatches: number } {
  const m = levelValues((l) => l.defaultM);
  const anchor = zeroCounts();
  let anchors = 0,
    total = 0;
  for (const [key, c] of patterns) {
    total += c;
    const l = patternOf(key);
    if (l.id !== LEVEL_INDEX.id.exact) continue;
    anchors += c;
    for (const f of ['name', 'place'] as const) anchor[f][l[f]] = anchor[f][l[f]]! + c;
  }
  if (anchors >= 50) {
    for (const f of ['name', 'place'] as const) {
      const levels = COMPARISONS[f].levels;
      // Half a pseudo-pair per level: a level never seen among anchors is rare, not impossible.
      if (anchor[f].some((x, lvl) => x > 0 && !levels[lvl]!.neutral))
        m[f] = shares(anchor, f, (x, lvl, informative) => (x + 5 * levels[lvl]!.defaultM) / (informative + 5));
    }
  }
  // ID levels from status shares: t, ty, tr, un = share of records trusted, typo'd, Excel-cut, unusable. A pair of
  // one person's records is at 'exact' when both are trusted, at 'oneEdit' when one was mistyped, and so on.
  // A valid number Excel cut that passed the checksum by chance (cut000) cannot be told from its status: one cut in
  // eleven does, so its share is a tenth of the cuts'. A number reduced to its region code agrees with its own
  // person's on those digits unless the other number was mistyped there.
  const q = { trusted: 0, typo: 0, truncated: 0, region: 0, unusable: 0 };
  for (let i = 0; i < d.n; i++) {
    if (d.idNumber[i]) q.trusted++;
    else {
      const usable = usableTyped(d.idStatus[i]!, d.idRaw[i]!);
      if (usable.length >= 17) q.typo++;
      else if (usable.length === 15) q.truncated++;
      else if (heldPrefix(d.idStatus[i]!, d.idRaw[i]!)) q.region++;
      else q.unusable++;
    }
  }
  const n = Math.max(d.n, 1);
  const t = q.trusted / n,
    ty = q.typo / n,
    tr = q.truncated / n,
    rg = q.region / n;
  const idShares: Record<string, number> = {
    exact: t * t,
    oneEdit: 2 * t * ty * 0.9,
    prefix15: 2 * t * tr,
    cut000: (2 * t * tr) / 10,
    // A typo that also changed the sequence digits, or a sibling's number: rare.
    birthSegment: 2 * t * ty * 0.1 + 0.002,
    region: 2 * t * rg * 0.99,
    different: 0.003,
    regionDiffers: 2 * t * rg * 0.01,
    // Both of one person's numbers untrusted and beyond the levels above: two mistakes, rarely the same one; or the
    // digits Excel left against a mistyped number whose typo is among them (about a third of its 18 digits).
    bothUntrusted: (ty + tr) * (ty + tr) * 0.8 + 2 * ty * rg * 0.3,
  };
  const idSum = Object.values(idShares).reduce((a, x) => a + Math.max(1e-4, x), 0);
  m.id = Object.fromEntries(
    COMPARISONS.id.levels.map((l) => [l.name, l.neutral ? 1 : Math.max(1e-4, idShares[l.name]!) / idSum]),
  );
  let exactPairs = 0;
  for (const [k, c] of patterns) if (patternOf(k).id === LEVEL_INDEX.id.exact) exactPairs += c;
  const expectedMatches = Math.max(1, exactPairs / Math.max(m.id.exact!, 0.05));
  return {
    m: normalise(m),
    lambda: Math.min(1, expectedMatches / Math.max(total, 1)),
    anchorPairs: anchors,
    expectedMatches,
  };
}

function normalise(m: LevelValues): LevelValues {
  const out = {} as LevelValues;
  for (const f of FIELDS) {
    const levels = COMPARISONS[f].levels;
    const sum = levels.reduce((a, l) => a + (l.neutral ? 0 : m[f][l.name]!), 0) || 1;
    out[f] = Object.fromEntries(levels.map((l) => [l.name, l.neutral ? 1 : Math.max(FLOOR, m[f][l.name]! / sum)]));
  }
  return out;
}
