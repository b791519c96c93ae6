/**
 * The county's continuity in numbers (`canbao continuity --json`, issue 13): persons, how many are at risk (enrolled
 * last year, not yet this year), and how many wait 0, 3, 4… months and hold 0, 1, 2… incentive steps in the year.
 * Pure and streaming: the engine feeds it one history at a time, so a million persons need no list in memory.
 */
import { isAtRisk } from './continuity-at-stake';
import type { PersonHistory } from './continuity-history';
import { incentiveSteps } from './continuity-incentive';
import type { ContinuitySettings } from './continuity-settings';
import { waitingPeriod } from './continuity-waiting';

export interface ContinuitySummary {
  year: number;
  persons: number;
  /** Insured in the year (any scheme). */
  insured: number;
  atRisk: number;
  /** Months → persons, over the insured (a key is a number of months, as JSON writes it). */
  waitingMonths: Record<number, number>;
  /** Steps (including kept ones) → persons, over the insured. */
  incentiveSteps: Record<number, number>;
}

export function summarizeContinuity(
  histories: Iterable<PersonHistory>,
  year: number,
  s: ContinuitySettings,
): ContinuitySummary {
  const sum: ContinuitySummary = { year, persons: 0, insured: 0, atRisk: 0, waitingMonths: {}, incentiveSteps: {} };
  for (const h of histories) {
    sum.persons++;
    const w = waitingPeriod(h, year, s);
    if (w.insured) {
      sum.insured++;
      sum.waitingMonths[w.totalMonths] = (sum.waitingMonths[w.totalMonths] ?? 0) + 1;
      const st = incentiveSteps(h, year, s);
      const steps = st.steps + st.keptSteps;
      sum.incentiveSteps[steps] = (sum.incentiveSteps[steps] ?? 0) + 1;
    } else if (isAtRisk(h, year, s)) sum.atRisk++;
  }
  return sum;
}
