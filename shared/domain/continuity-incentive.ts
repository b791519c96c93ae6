/**
 * Continuous-enrolment incentive steps in a target year (DOMAIN-RULES §1.3–1.4): after 4 consecutive years, each
 * further year raises the 大病保险 ceiling by one step (R1.9); the count restarts after a lapse (R1.13) unless accrued
 * steps are kept (R1.14, Henan); all steps together stay under the cap (R1.11). Zero-claim steps need claims data the
 * rolls do not hold (R1.15): they are not counted.
 */
import { formatCount } from '../text/clerk-format';
import {
  consecutiveYearsTo,
  enrolledIn,
  lapseYearsBefore,
  recordsIn,
  SCHEME_LABEL,
  type PersonHistory,
} from './continuity-history';
import { type ContinuitySettings } from './continuity-settings';

/** "连续参加居民医保满4年的…之后每连续参保1年" [S1]: national, not a setting. */
export const INCENTIVE_AFTER_YEARS = 4;

export interface IncentiveSteps {
  /** C: consecutive years ending at the target year that count (scope and counting start of the settings). */
  consecutiveYears: number;
  /** Steps of the current run: max(0, C − 4). */
  steps: number;
  /** Steps accrued before a lapse and kept (only with lapseKeepsAccruedContinuous). */
  keptSteps: number;
  /** The raise of the 大病保险 ceiling: (steps + kept) × step, at most the cap; 0 when not enrolled. */
  amountYuan: number;
  capYuan: number;
  capped: boolean;
  /** The ceiling lowered for a person back after a lapse, in the year of return (lapseCapReduction). */
  capReductionYuan: number;
  explanation: string;
}

/** Steps accrued in runs that ended before `beforeYear` (each run's own max(0, n − 4)). */
function accruedBefore(h: PersonHistory, beforeYear: number, s: ContinuitySettings): number {
  let kept = 0;
  let run = 0;
  for (let y = s.incentiveCountFromYear; y < beforeYear; y++) {
    if (enrolledIn(h, y, s.incentiveSchemeScope)) run++;
    else {
      kept += Math.max(0, run - INCENTIVE_AFTER_YEARS);
      run = 0;
    }
  }
  return kept + Math.max(0, run - INCENTIVE_AFTER_YEARS);
}

const yuan = (n: number) => `${formatCount(n)}元`;

export function incentiveSteps(h: PersonHistory, target: number, s: ContinuitySettings): IncentiveSteps {
  const scope = s.incentiveSchemeScope;
  const C = consecutiveYearsTo(h, target, scope, s.incentiveCountFromYear);
  const steps = Math.max(0, C - INCENTIVE_AFTER_YEARS);
  const runStart = target - C + 1;
  const keptSteps = s.lapseKeepsAccruedContinuous ? accruedBefore(h, runStart - 1, s) : 0;
  const capYuan = Math.round((s.incentiveCapPct / 100) * s.dabingOriginalCap);
  const raw = C > 0 ? (steps + keptSteps) * s.incentiveStep : 0;
  const amountYuan = Math.min(raw, capYuan);
  // "对断保人员再参保的，可降低大病保险最高支付限额" [S1]; applied in the year of return only [inference].
  const back = C === 1 && lapseYearsBefore(h, target, s.lapseSchemeScope, s.lapseCountFromYear).length > 0;
  const capReductionYuan = back ? s.lapseCapReduction : 0;

  const result = {
    consecutiveYears: C,
    steps,
    keptSteps,
    amountYuan,
    capYuan,
    capped: raw > capYuan,
    capReductionYuan,
  };
  if (C === 0) {
    const other = recordsIn(h, target).length > 0 && !enrolledIn(h, target, scope);
    const why =
      target < s.incentiveCountFromYear
        ? `${s.incentiveCountFromYear}年以前的年份不计入连续参保激励`
        : other
          ? `${target}年的参保按设置不计入连续参保激励（只算${scope === 'resident' ? '居民医保' : '本县基本医保'}）`
          : `${target}年未参保，没有连续参保激励`;
    const kept = keptSteps ? `；此前已获得的${keptSteps}档，再参保后继续保留` : '';
    return { ...result, explanation: `${why}${kept}。` };
  }

  const notes: string[] = [];
  if (runStart === s.incentiveCountFromYear && enrolledIn(h, runStart - 1, scope))
    notes.push(`${s.incentiveCountFromYear}年以前的年份按设置不计入`);
  const before = recordsIn(h, runStart - 1);
  if (runStart > s.incentiveCountFromYear && before.length && !enrolledIn(h, runStart - 1, scope))
    notes.push(`${runStart - 1}年为${SCHEME_LABEL[before[0]!.scheme]}，按设置不计入`);
  const span = C === 1 ? `${target}年` : `${runStart}—${target}年`;
  let says = `连续参保${C}年（${[span, ...notes].join('；')}）`;
  says += steps
    ? `，满${INCENTIVE_AFTER_YEARS}年后又连续参保${steps}年：大病保险最高支付限额提高${steps}档×${yuan(s.incentiveStep)}＝${yuan(steps * s.incentiveStep)}`
    : `，未满${INCENTIVE_AFTER_YEARS + 1}年，还没有连续参保激励`;
  if (keptSteps) says += `；断保前已获得的${keptSteps}档（${yuan(keptSteps * s.incentiveStep)}）继续保留`;
  if (raw > capYuan)
    says += `；合计${yuan(raw)}超过上限${yuan(capYuan)}（原限额${yuan(s.dabingOriginalCap)}的${s.incentiveCapPct}%），按${yuan(capYuan)}计`;
  else if (keptSteps && steps) says += `，合计${yuan(amountYuan)}`;
  if (capReductionYuan) says += `；断保后再参保，当年大病保险最高支付限额降低${yuan(capReductionYuan)}`;
  return { ...result, explanation: `${says}。` };
}
