/**
 * What the continuity screens, the CLI and the exports show (issue 13): the county's summary for a year, the
 * 断保风险名单, and one person's years. Numbers as the pure rules (shared/domain/continuity) give them.
 */
import type { ContinuitySummary } from '../domain/continuity';

export interface ContinuitySummaryView extends ContinuitySummary {
  /** Years with an enrolment roll in the workspace, oldest first. */
  yearsKnown: number[];
  /** Last day to pay for the year with no waiting period, and the window's first day. */
  deadline: string;
  windowStart: string;
}

/** One person of the 断保风险名单: enrolled last year, not yet this year. */
export interface AtRiskRow {
  personId: string;
  name: string;
  idMasked: string;
  township: string;
  village: string;
  householdHead: string;
  phone: string;
  /** 连续参保年数 up to last year. */
  consecutiveYears: number;
  /** Months waited if paid by the deadline (null once it has passed), if paid later, and next year after a lapse. */
  waitIfPaidByDeadline: number | null;
  waitIfPaidLate: number;
  waitNextYearIfLapsed: number;
  stepsLost: number;
  amountLostYuan: number;
  deadline: string;
  daysLeft: number;
  special: string;
  explanation: string;
}

export interface AtRiskResponse {
  year: number;
  total: number;
  rows: AtRiskRow[];
}

/** A person's year in 一人一档: how they were enrolled (or not), and where the evidence comes from. */
export interface PersonYearView {
  year: number;
  /** 居民医保 / 职工医保 / 县外参保（…） / 未参保 */
  enrolment: string;
  /** The day the year's premium was paid ('YYYY-MM-DD'), when its roll carries a 缴费日期 column; else null. */
  paidOn: string | null;
  evidence: string;
}

export interface PersonContinuityView {
  year: number;
  years: PersonYearView[];
  consecutiveYears: number;
  lapseYears: number;
  waitingMonths: number | null;
  incentiveSteps: number;
  /** What a cadre can read out: the waiting period, the incentive, and (at risk) what paying or not changes. */
  explanation: string;
}
