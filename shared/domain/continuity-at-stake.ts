/**
 * What a person enrolled last year and not yet this year has at stake (the 断保风险名单, DOMAIN-RULES §5 and §7.1):
 * the waiting months if they pay by the deadline, after it, or skip the year and come back the next; the incentive
 * steps they keep by paying and lose by lapsing; and the last day to pay without a wait.
 */
import { formatCount } from '../text/clerk-format';
import { addDays, daysBetween, enrolmentWindow, later } from './continuity-dates';
import { consecutiveYearsTo, enrolledIn, recordsIn, type PersonHistory } from './continuity-history';
import { incentiveSteps } from './continuity-incentive';
import { type ContinuitySettings } from './continuity-settings';
import { waitingPeriod } from './continuity-waiting';

export interface AtStake {
  targetYear: number;
  /** Consecutive years up to last year (incentive scope and counting start). */
  consecutiveYearsSoFar: number;
  windowEnd: string;
  /** Last day to pay with no waiting period: the extension's end when it carries no wait, else the window's. */
  deadline: string;
  /** Days from today to the deadline (0 on the day, negative once past). */
  daysLeft: number;
  /** Months waited if paid by the deadline (usually 0); null once the deadline has passed. */
  waitIfPaidByDeadline: number | null;
  /** Months waited if paid in the target year after the deadline (or today, once past it). */
  waitIfPaidLate: number;
  /** Months waited next year if this year is skipped and next year is paid in its window. */
  waitNextYearIfLapsed: number;
  /** Incentive steps (incl. kept) in the target year if paid, and next year if paid on. */
  stepsIfPaid: number;
  stepsNextYearIfPaid: number;
  /** Steps next year after skipping this year, and the difference. */
  stepsNextYearIfLapsed: number;
  stepsLost: number;
  amountLostYuan: number;
  explanation: string;
}

const withYear = (h: PersonHistory, year: number, paidOn: string): PersonHistory => ({
  ...h,
  years: [...h.years.filter((r) => r.year !== year || r.scheme !== 'resident'), { year, scheme: 'resident', paidOn }],
});

/** On the 断保风险名单: enrolled last year (under the lapse scope), no enrolment yet this year. */
export function isAtRisk(h: PersonHistory, target: number, s: Pick<ContinuitySettings, 'lapseSchemeScope'>): boolean {
  return enrolledIn(h, target - 1, s.lapseSchemeScope) && recordsIn(h, target).length === 0;
}

/**
 * For a person enrolled in targetYear − 1 (under the lapse scope) with no enrolment yet in targetYear; null for
 * anyone else. `today` is the clerk's date ('YYYY-MM-DD').
 */
export function atStake(h: PersonHistory, target: number, s: ContinuitySettings, today: string): AtStake | null {
  if (!isAtRisk(h, target, s)) return null;
  const w = enrolmentWindow(target, s);
  const deadline = w.extensionEnd && s.extensionHasNoWait ? w.extensionEnd : w.end;
  const daysLeft = daysBetween(today, deadline);
  const byDeadline = daysLeft >= 0 ? waitingPeriod(withYear(h, target, later(today, w.start)), target, s) : null;
  const lateDay = later(addDays(deadline, 1), today);
  const lateWait = waitingPeriod(withYear(h, target, lateDay), target, s);
  const next = target + 1;
  const nextWindowDay = enrolmentWindow(next, s).start;
  const lapsedNext = withYear(h, next, nextWindowDay);
  const lapsedWait = waitingPeriod(lapsedNext, next, s);
  const paid = withYear(h, target, later(today, w.start));
  const stepsNow = incentiveSteps(paid, target, s);
  const stepsNext = incentiveSteps(withYear(paid, next, nextWindowDay), next, s);
  const stepsLapsed = incentiveSteps(lapsedNext, next, s);
  const total = (r: { steps: number; keptSteps: number }) => r.steps + r.keptSteps;
  const stepsLost = Math.max(0, total(stepsNext) - total(stepsLapsed));
  const amountLostYuan = Math.max(0, stepsNext.amountYuan - stepsLapsed.amountYuan);
  const soFar = consecutiveYearsTo(h, target - 1, s.incentiveSchemeScope, s.incentiveCountFromYear);

  // The run a cadre sees in the rolls, and (when the incentive counts only from a later year) how much of it counts:
  // "已连续参保2年" for someone enrolled since 2023 reads as a mistake.
  const run = consecutiveYearsTo(h, target - 1, s.incentiveSchemeScope, 0);
  const runSays = run
    ? `（已连续参保${run}年${run !== soFar ? `，其中计入激励的自${s.incentiveCountFromYear}年起${soFar}年` : ''}）`
    : '';
  const parts = [`${target - 1}年已参保${runSays}，${target}年尚未缴费`];
  if (byDeadline)
    parts.push(
      `${deadline}前缴费：${byDeadline.totalMonths ? `等待期${byDeadline.totalMonths}个月` : '没有待遇等待期'}` +
        (total(stepsNow) ? `，${target}年大病保险最高支付限额提高${formatCount(stepsNow.amountYuan)}元` : ''),
    );
  else parts.push(`缴费截止日${deadline}已过`);
  parts.push(`${byDeadline ? '逾期' : '现在'}缴费：等待期${lateWait.totalMonths}个月`);
  parts.push(
    `若${target}年断保、${next}年再参保：等待期${lapsedWait.totalMonths}个月` +
      (stepsLost
        ? `，连续参保从头算，${next}年少${stepsLost}档激励（${formatCount(amountLostYuan)}元）`
        : run
          ? `，已连续参保的${run}年从头算`
          : ''),
  );
  return {
    targetYear: target,
    consecutiveYearsSoFar: soFar,
    windowEnd: w.end,
    deadline,
    daysLeft,
    waitIfPaidByDeadline: byDeadline ? byDeadline.totalMonths : null,
    waitIfPaidLate: lateWait.totalMonths,
    waitNextYearIfLapsed: lapsedWait.totalMonths,
    stepsIfPaid: total(stepsNow),
    stepsNextYearIfPaid: total(stepsNext),
    stepsNextYearIfLapsed: total(stepsLapsed),
    stepsLost,
    amountLostYuan,
    explanation: `${parts.join('；')}。`,
  };
}
