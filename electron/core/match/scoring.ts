import {
  birthOfKey,
  COMPARISONS,
  FIELDS,
  genderOfKey,
  idOfKey,
  LEVEL_INDEX,
  levelOf,
  nameOfKey,
  placeOfKey,
  type ComparisonLevel,
  type FieldName,
  type Levels,
} from './comparison-levels';
import type { MatchData } from './match-data';
import type { MatchParameters } from './parameters';

/** One field's part in a pair's score: what the clerk sees as one bar of the waterfall. */
export interface FieldContribution {
  field: FieldName;
  level: string;
  /** log2(m/u): positive is evidence for the same person. */
  weight: number;
  m: number;
  u: number;
  /** Set when the name weight was adjusted for how common the name is (张伟 agreeing says less than 欧阳梓萱). */
  termFrequency?: number;
}

export interface PairScore {
  a: number;
  b: number;
  prior: number;
  contributions: FieldContribution[];
  /** prior + Σ weights: the match weight in bits. */
  weight: number;
  probability: number;
  siblingRisk: boolean;
}

/** Typical frequency of one full name in a county, and the weight (in records) of that prior. */
const NAME_TF_PRIOR = 2e-4;
const NAME_TF_PRIOR_RECORDS = 1000;

/**
 * Name frequencies over the workspace, for term-frequency adjustment of exact name agreement, smoothed toward a
 * typical frequency so a small workspace (one village) does not call every name common.
 */
export function nameFrequencies(d: MatchData): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of d.nameKey) if (k) counts.set(k, (counts.get(k) ?? 0) + 1);
  const tf = new Map<string, number>();
  for (const [k, c] of counts) tf.set(k, (c + NAME_TF_PRIOR * NAME_TF_PRIOR_RECORDS) / (d.n + NAME_TF_PRIOR_RECORDS));
  return tf;
}

export function probabilityOf(weight: number): number {
  return 1 / (1 + Math.pow(2, -weight));
}

/**
 * The score of a pair, kept as its parts. The review screen shows exactly these parts, and the weight is their
 * sum, so the explanation and the score cannot disagree.
 */
export function scorePair(
  d: MatchData,
  a: number,
  b: number,
  l: Levels,
  p: MatchParameters,
  tf: Map<string, number>,
  sibling: boolean,
): PairScore {
  const prior = Math.log2(p.randomMatchProbability / (1 - p.randomMatchProbability));
  const contributions: FieldContribution[] = [];
  let weight = prior;
  for (const f of FIELDS) {
    const level = levelOf(f, l[f]);
    const m = p.m[f][level.name]!,
      u0 = p.u[f][level.name]!;
    let u = u0;
    let termFrequency: number | undefined;
    if (f === 'name' && l.name === LEVEL_INDEX.name.exact) {
      const t = tf.get(d.nameKey[a]!);
      // The chance two unrelated records share this very name, floored so a unique name cannot claim certainty.
      if (t !== undefined) {
        termFrequency = t;
        u = Math.max(t, 1e-7);
      }
    }
    const w = level.neutral ? 0 : Math.log2(m / u);
    weight += w;
    contributions.push({ field: f, level: level.name, weight: w, m, u, termFrequency });
  }
  return { a, b, prior, contributions, weight, probability: probabilityOf(weight), siblingRisk: sibling };
}

/**
 * scorePair's weight without its parts, for a full match's millions of pairs: each level's weight worked out once,
 * then per pair the same additions in the same order as scorePair (prior, then the fields in FIELDS order), so the
 * weight is bit for bit scorePair's (test/match/pair-weights.test.ts). The explanation is built only for the pairs
 * a clerk will see.
 */
export function pairWeigher(
  p: MatchParameters,
  tf: Map<string, number>,
): (d: MatchData, a: number, b: number, key: number) => number {
  const prior = Math.log2(p.randomMatchProbability / (1 - p.randomMatchProbability));
  const table = (f: FieldName) =>
    Float64Array.from(
      (COMPARISONS[f].levels as readonly ComparisonLevel[]).map((level) =>
        level.neutral ? 0 : Math.log2(p.m[f][level.name]! / p.u[f][level.name]!),
      ),
    );
  const [wId, wName, wBirth, wGender, wPlace] = [
    table('id'),
    table('name'),
    table('birth'),
    table('gender'),
    table('place'),
  ] as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  const exactName = LEVEL_INDEX.name.exact;
  const mExactName = p.m.name[levelOf('name', exactName).name]!;
  return (d, a, b, key) => {
    const name = nameOfKey(key);
    let weight = prior + wId[idOfKey(key)]!;
    const t = name === exactName ? tf.get(d.nameKey[a]!) : undefined;
    weight += t === undefined ? wName[name]! : Math.log2(mExactName / Math.max(t, 1e-7));
    weight += wBirth[birthOfKey(key)]!;
    weight += wGender[genderOfKey(key)]!;
    weight += wPlace[placeOfKey(key)]!;
    return weight;
  };
}
