/**
 * Participation on the right base (DOMAIN-RULES §2.2): the counts kept per village, and the two rates computed from
 * them. Pure, so the engine, the bulletin and the tests' independent truth all use the same definitions.
 */

/** Counts for one village, township or the county. */
export interface ParticipationTally {
  /** Persons in the 户籍人口底册. */
  base: number;
  /** 核减: answered 死亡, 服兵役, 服刑, 户籍迁出 (and 出国定居 / 失联 by setting): out of 应参保. */
  removed: number;
  /** Of 应参保, insured in this county: on an enrolment roll, or answered 本县职工医保 (data lag). */
  insured: number;
  /** Of `insured`: by employee insurance (职工医保 roll or answer 01), and by resident insurance. */
  insuredEmployee: number;
  insuredResident: number;
  /** Of 应参保 and not insured here, answered insured outside the county with the place given (02–04). */
  insuredElsewhere: number;
  /** Persons on a 下发 ledger (any batch). */
  dispatched: number;
  /** Of those, with a valid 核实情况 (R2.5). */
  verified: number;
  /** Of those, now on an enrolment roll imported after their first dispatch (R2.4). */
  mobilised: number;
  /** Of those, neither verified nor mobilised. */
  remaining: number;
}

export interface ParticipationFigures extends ParticipationTally {
  /** 应参保 = base − removed. */
  due: number;
  /** 户籍口径: (insured + insuredElsewhere) / due. */
  rateHousehold: number;
  /** 本地口径: insured / (due − insuredElsewhere). */
  rateLocal: number;
  /** 核实率: verified / dispatched. */
  verifiedRate: number;
}

export const EMPTY_TALLY: ParticipationTally = {
  base: 0,
  removed: 0,
  insured: 0,
  insuredEmployee: 0,
  insuredResident: 0,
  insuredElsewhere: 0,
  dispatched: 0,
  verified: 0,
  mobilised: 0,
  remaining: 0,
};

export function addTally(a: ParticipationTally, b: ParticipationTally): ParticipationTally {
  const out = { ...a };
  for (const k of Object.keys(EMPTY_TALLY) as (keyof ParticipationTally)[]) out[k] += b[k];
  return out;
}

/** An empty base has no rate: 0, so it ranks last rather than first. */
const ratio = (n: number, d: number) => (d > 0 ? n / d : 0);

export function figures(t: ParticipationTally): ParticipationFigures {
  const due = t.base - t.removed;
  return {
    ...t,
    due,
    rateHousehold: ratio(t.insured + t.insuredElsewhere, due),
    rateLocal: ratio(t.insured, due - t.insuredElsewhere),
    verifiedRate: ratio(t.verified, t.dispatched),
  };
}

export type RateBasis = 'household' | 'local';
export const RATE_BASIS_LABEL: Record<RateBasis, string> = { household: '户籍口径', local: '本地口径' };

export function rateOn(f: ParticipationFigures, basis: RateBasis): number {
  return basis === 'household' ? f.rateHousehold : f.rateLocal;
}

/** 达标 at or above the target, 滞后 below the lag threshold (S22: 进度较好 ≥ 90%, 滞后 < 80%), else 推进中. */
export type ProgressState = 'reached' | 'onTrack' | 'lagging';
export const PROGRESS_STATE_LABEL: Record<ProgressState, string> = {
  reached: '达标',
  onTrack: '推进中',
  lagging: '滞后',
};

export function progressState(rate: number, target: number, lagRate: number): ProgressState {
  if (rate >= target) return 'reached';
  return rate < lagRate ? 'lagging' : 'onTrack';
}
