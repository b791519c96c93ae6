/**
 * The continuity rules (DOMAIN-RULES §1): waiting periods, continuous-enrolment incentives and what a person who has
 * not yet paid this year has at stake. Pure functions of a person's year history and the workspace settings, so the
 * engine, the exports, the screens and the tests all compute the same numbers with the same words.
 */
export { waitingPeriod, type ExemptionKind, type WaitingPeriod } from './continuity-waiting';
export { incentiveSteps, INCENTIVE_AFTER_YEARS, type IncentiveSteps } from './continuity-incentive';
export { atStake, type AtStake } from './continuity-at-stake';
export { summarizeContinuity, type ContinuitySummary } from './continuity-summary';
export { enrolmentWindow, type EnrolmentWindow } from './continuity-dates';
export {
  consecutiveYearsTo,
  lapseYearsBefore,
  SCHEME_LABEL,
  type Exemption,
  type PersonHistory,
  type Scheme,
  type YearRecord,
} from './continuity-history';
export * from './continuity-settings';
