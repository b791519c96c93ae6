import { compare, FIELDS, isNeutral, LEVELS, type FieldName, type Levels } from './comparisons';
import type { MatchData } from './match-data';

/** m and u probability per field level; λ the share of true matches among candidate pairs. */
export interface MatchParameters {
  m: Record<FieldName, number[]>;
  u: Record<FieldName, number[]>;
  lambda: number;
  emIterations: number;
  emConverged: boolean;
  randomPairs: number;
}

/**
 * Starting m values (the probability of each level among true matches), used as the EM start and as the fallback
 * when a workspace is too small to estimate from. Orders of magnitude from clerks' rolls: most matched IDs agree,
 * a few per cent are mistyped or damaged; names agree or differ by a homophone.
 */
export const DEFAULT_M: Record<FieldName, number[]> = {
  id: [0.9, 0.02, 0.01, 0.002, 0.001, 0.067],
  name: [0.95, 0.03, 0.01, 0.01, 0.0],
  birth: [0.9, 0.04, 0.03, 0.03, 0, 0],
  gender: [0.99, 0.01, 0, 0],
  place: [0.85, 0.05, 0.05, 0.05],
};

const FLOOR = 1e-7;

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
  for (let k = 0; k < samples && d.n > 1; k++) {
    const a = Math.floor(rand() * d.n), b = Math.floor(rand() * d.n);
    if (a === b) continue;
    const l = compare(d, a, b);
    for (const f of FIELDS) counts[f][l[f]] = (counts[f][l[f]] ?? 0) + 1;
    drawn++;
  }
  const u = {} as Record<FieldName, number[]>;
  for (const f of FIELDS) {
    const c = counts[f];
    const informative = c.reduce((acc, x, lvl) => acc + (isNeutral(f, lvl) ? 0 : x), 0);
    u[f] = c.map((x, lvl) => (isNeutral(f, lvl) ? 1 : Math.max(FLOOR, (x + 0.5) / (informative + 0.5 * LEVELS[f].length))));
  }
  return { u, drawn };
}

/** Pattern counts: candidate pairs grouped by comparison vector, so EM runs over hundreds of patterns, not millions of pairs. */
export function patternKey(l: Levels): number {
  return l.id * 1000 + l.name * 100 + l.birth * 10 + l.gender + l.place * 10000;
}

export function patternOf(key: number): Levels {
  return { place: Math.floor(key / 10000), id: Math.floor(key / 1000) % 10, name: Math.floor(key / 100) % 10, birth: Math.floor(key / 10) % 10, gender: key % 10 };
}

/**
 * Expectation–maximisation for m and λ with u held fixed (Splink's approach: u from random pairs, m from EM over
 * the blocked pairs), assuming conditional independence of fields given match status.
 */
export function estimateM(patterns: Map<number, number>, u: Record<FieldName, number[]>, maxIter = 100): Pick<MatchParameters, 'm' | 'lambda' | 'emIterations' | 'emConverged'> {
  const m = Object.fromEntries(FIELDS.map((f) => [f, [...DEFAULT_M[f]]])) as Record<FieldName, number[]>;
  let lambda = 0.5;
  const list = [...patterns.entries()].map(([k, c]) => ({ l: patternOf(k), c }));
  const total = list.reduce((a, p) => a + p.c, 0);
  if (total < 200) return { m: normalise(m), lambda, emIterations: 0, emConverged: false };
  let iter = 0, converged = false;
  for (; iter < maxIter; iter++) {
    const acc = Object.fromEntries(FIELDS.map((f) => [f, new Array(LEVELS[f].length).fill(0)])) as Record<FieldName, number[]>;
    let matchMass = 0;
    for (const { l, c } of list) {
      let pm = lambda, pu = 1 - lambda;
      for (const f of FIELDS) {
        if (isNeutral(f, l[f])) continue;
        pm *= Math.max(m[f][l[f]]!, FLOOR);
        pu *= u[f][l[f]]!;
      }
      const g = pm / (pm + pu);
      matchMass += c * g;
      for (const f of FIELDS) acc[f][l[f]] = (acc[f][l[f]] ?? 0) + c * g;
    }
    let delta = Math.abs(matchMass / total - lambda);
    lambda = Math.min(1 - 1e-6, Math.max(1e-6, matchMass / total));
    for (const f of FIELDS) {
      const informative = acc[f].reduce((a, x, lvl) => a + (isNeutral(f, lvl) ? 0 : x), 0);
      if (informative <= 0) continue;
      acc[f].forEach((x, lvl) => {
        if (isNeutral(f, lvl)) return;
        const next = Math.max(FLOOR, x / informative);
        delta = Math.max(delta, Math.abs(next - m[f][lvl]!));
        m[f][lvl] = next;
      });
    }
    if (delta < 1e-6) {
      converged = true;
      iter++;
      break;
    }
  }
  return { m: normalise(m), lambda, emIterations: iter, emConverged: converged };
}

function normalise(m: Record<FieldName, number[]>): Record<FieldName, number[]> {
  const out = {} as Record<FieldName, number[]>;
  for (const f of FIELDS) {
    const sum = m[f].reduce((a, x, lvl) => a + (isNeutral(f, lvl) ? 0 : x), 0) || 1;
    out[f] = m[f].map((x, lvl) => (isNeutral(f, lvl) ? 1 : Math.max(FLOOR, x / sum)));
  }
  return out;
}
