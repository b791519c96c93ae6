import { compare, FIELDS, isNeutral, LEVELS, usableTyped, type FieldName, type Levels } from './comparisons';
import type { MatchData } from './match-data';

/** m and u probability per field level; λ the share of true matches among candidate pairs. */
export interface MatchParameters {
  m: Record<FieldName, number[]>;
  u: Record<FieldName, number[]>;
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

/**
 * Starting m values (the probability of each level among true matches), used as the fallback
 * when a workspace is too small to estimate from. Orders of magnitude from clerks' rolls: most matched IDs agree,
 * a few per cent are mistyped or damaged; names agree or differ by a homophone.
 */
export const DEFAULT_M: Record<FieldName, number[]> = {
  id: [0.9, 0.02, 0.01, 0.002, 0.001, 0.067],
  name: [0.95, 0.03, 0.01, 0.01, 0.0],
  // Birth dates typed in a date column: mostly exact, month-only where the roll has 出生年月, rare typos.
  birth: [0.8, 0.15, 0.03, 0.02, 0, 0],
  gender: [0.99, 0.01, 0, 0],
  place: [0.85, 0.05, 0.05, 0.05],
};

const FLOOR = 1e-12;

/**
 * Typical u values of a county (level frequencies among unrelated records), used as a prior of PRIOR_PAIRS
 * pseudo-pairs: a workspace of one village, or a few test rows, has too few random pairs to estimate u alone.
 */
export const U_PRIOR: Record<FieldName, number[]> = {
  id: [1e-9, 1e-8, 1e-8, 1e-5, 0.99999, 1],
  name: [2e-4, 1e-4, 5e-3, 0.9947, 1],
  birth: [3e-5, 1e-3, 1e-3, 0.998, 1, 1],
  gender: [0.5, 0.5, 1, 1],
  place: [0.03, 0.15, 0.82, 1],
};
const PRIOR_PAIRS = 1000;
/** Expected share of records carrying an ID shared with a different person (registry errors, borrowed IDs). */
const ID_COLLISION_RATE = 1e-5;

/** u: level frequencies among random record pairs (almost all non-matches), Laplace-smoothed. */
export function estimateU(d: MatchData, samples: number, seed = 12345): { u: Record<FieldName, number[]>; drawn: number } {
  const counts = Object.fromEntries(FIELDS.map((f) => [f, new Array(LEVELS[f].length).fill(0)])) as Record<FieldName, number[]>;
  let s = seed >>> 0;
  const rand = () => {
    // xorshift32: deterministic sampling, so the same workspace always gets the same parameters.
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
  let drawn = 0;
  const visit = (a: number, b: number) => {
    const l = compare(d, a, b);
    for (const f of FIELDS) counts[f][l[f]] = (counts[f][l[f]] ?? 0) + 1;
    drawn++;
  };
  if ((d.n * (d.n - 1)) / 2 <= samples) {
    // A small workspace: every pair once (repeated draws of the few matching pairs would pass for "random").
    for (let a = 0; a < d.n; a++) for (let b = a + 1; b < d.n; b++) visit(a, b);
  } else {
    for (let k = 0; k < samples; k++) {
      const a = Math.floor(rand() * d.n), b = Math.floor(rand() * d.n);
      if (a !== b) visit(a, b);
    }
  }
  const u = {} as Record<FieldName, number[]>;
  for (const f of FIELDS) {
    const c = counts[f];
    const informative = c.reduce((acc, x, lvl) => acc + (isNeutral(f, lvl) ? 0 : x), 0);
    u[f] = c.map((x, lvl) => (isNeutral(f, lvl) ? 1 : Math.max(FLOOR, (x + PRIOR_PAIRS * U_PRIOR[f][lvl]!) / (informative + PRIOR_PAIRS))));
  }
  // Random pairs cannot show how often two *different* people share a trusted ID (nearly every pair that shares
  // one is a match). With ε·n such pairs among n²/2: u = 2ε/n. Assumption, documented: ε = 1e-5.
  u.id[0] = (2 * ID_COLLISION_RATE) / Math.max(d.n, 2);
  return { u, drawn };
}

/** Pattern counts: candidate pairs grouped by comparison vector, so estimation runs over hundreds of patterns, not millions of pairs. */
export function patternKey(l: Levels): number {
  return l.id * 1000 + l.name * 100 + l.birth * 10 + l.gender + l.place * 10000;
}

export function patternOf(key: number): Levels {
  return { place: Math.floor(key / 10000), id: Math.floor(key / 1000) % 10, name: Math.floor(key / 100) % 10, birth: Math.floor(key / 10) % 10, gender: key % 10 };
}

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
export function rareIdLevelU(patterns: Map<number, number>, n: number, u: Record<FieldName, number[]>): void {
  const allPairs = (n * (n - 1)) / 2;
  if (allPairs <= 0) return;
  const nameDifferent = LEVELS.name.indexOf('different');
  for (const level of [1, 2]) {
    let coincidences = 0;
    for (const [key, c] of patterns) {
      const l = patternOf(key);
      if (l.id === level && l.name === nameDifferent) coincidences += c;
    }
    u.id[level] = (coincidences / Math.max(u.name[nameDifferent]!, 0.5) + 1) / allPairs;
  }
}

export function estimateM(patterns: Map<number, number>, d: MatchData): Pick<MatchParameters, 'm' | 'lambda' | 'anchorPairs'> & { expectedMatches: number } {
  const m = Object.fromEntries(FIELDS.map((f) => [f, [...DEFAULT_M[f]]])) as Record<FieldName, number[]>;
  const anchor = Object.fromEntries(FIELDS.map((f) => [f, new Array(LEVELS[f].length).fill(0)])) as Record<FieldName, number[]>;
  let anchors = 0, total = 0;
  for (const [key, c] of patterns) {
    total += c;
    const l = patternOf(key);
    if (l.id !== 0) continue;
    anchors += c;
    for (const f of ['name', 'place'] as const) anchor[f][l[f]] = (anchor[f][l[f]] ?? 0) + c;
  }
  if (anchors >= 50) {
    for (const f of ['name', 'place'] as const) {
      const informative = anchor[f].reduce((a, x, lvl) => a + (isNeutral(f, lvl) ? 0 : x), 0);
      // Half a pseudo-pair per level: a level never seen among anchors is rare, not impossible.
      if (informative > 0) m[f] = anchor[f].map((x, lvl) => (isNeutral(f, lvl) ? 1 : (x + 0.5 * DEFAULT_M[f][lvl]! * 10) / (informative + 5)));
    }
  }
  // ID levels from status shares: q = share of records in each state.
  const q = { trusted: 0, typo: 0, truncated: 0, unusable: 0 };
  for (let i = 0; i < d.n; i++) {
    if (d.id18[i]) q.trusted++;
    else {
      const usable = usableTyped(d.idStatus[i]!, d.idTyped[i]!);
      if (usable.length === 18) q.typo++;
      else if (usable.length === 15) q.truncated++;
      else q.unusable++;
    }
  }
  const n = Math.max(d.n, 1);
  const t = q.trusted / n, ty = q.typo / n, tr = q.truncated / n, un = q.unusable / n;
  const idm = [t * t, 2 * t * ty * 0.9, 2 * t * tr, 2 * t * ty * 0.1 + 0.002, 0.003, 1 - (1 - un) * (1 - un)];
  m.id = idm.map((x) => Math.max(1e-4, x));
  const idSum = m.id.slice(0, 5).reduce((a, x) => a + x, 0);
  m.id = m.id.map((x, lvl) => (lvl === 5 ? 1 : x / idSum));
  const exactPairs = [...patterns.entries()].filter(([k]) => patternOf(k).id === 0).reduce((a, [, c]) => a + c, 0);
  const expectedMatches = Math.max(1, exactPairs / Math.max(m.id[0]!, 0.05));
  return { m: normalise(m), lambda: Math.min(1, expectedMatches / Math.max(total, 1)), anchorPairs: anchors, expectedMatches };
}

function normalise(m: Record<FieldName, number[]>): Record<FieldName, number[]> {
  const out = {} as Record<FieldName, number[]>;
  for (const f of FIELDS) {
    const sum = m[f].reduce((a, x, lvl) => a + (isNeutral(f, lvl) ? 0 : x), 0) || 1;
    out[f] = m[f].map((x, lvl) => (isNeutral(f, lvl) ? 1 : Math.max(FLOOR, x / sum)));
  }
  return out;
}
