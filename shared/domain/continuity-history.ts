/**
 * A person's enrolment history over the years, as the engine assembles it from the yearly rolls and the townships'
 * returns, and the two counts every continuity rule starts from: the lapse before a year (断保年数, DOMAIN-RULES
 * §1.4 step 2) and the consecutive years ending at a year (连续参保年数, §1.4 incentive step 1).
 */
import type { ExemptGroup, SchemeScope } from './continuity-settings';

/** 'elsewhere' = enrolled outside the county, known from evidence (a township's return, D3, E12, E13). */
export type Scheme = 'resident' | 'employee' | 'elsewhere';

export interface YearRecord {
  year: number;
  scheme: Scheme;
  /** Day the premium was paid (resident insurance), when the roll carries it. */
  paidOn?: string;
  /** Last day of cover, for an employee enrolment that ended during the year (R1.8d). */
  endedOn?: string;
  place?: string;
  /** Where the record comes from, for the explanation (e.g. "乡镇核实回执：学籍地参保"). */
  evidence?: string;
}

export interface Exemption {
  kind: ExemptGroup;
  /** Day the person became exempt: identified as 低保, discharged, born. */
  on: string;
}

export interface PersonHistory {
  /** 'YYYY-MM-DD' (or 'YYYY-MM'): no year before the birth year is a lapse. */
  birthDate?: string;
  /** A year absent here = not enrolled that year; a year may hold several records (职工 until June, then 居民). */
  years: YearRecord[];
  exemptions?: Exemption[];
  /** Missed years paid back (补缴) at the current year's rate: each removes one variable month (R1.3). */
  repairYearsPaid?: number;
}

export const SCHEME_LABEL: Record<Scheme, string> = {
  resident: '居民医保',
  employee: '职工医保',
  elsewhere: '县外参保',
};

export function counts(scope: SchemeScope, scheme: Scheme): boolean {
  return scheme === 'resident' || (scheme === 'employee' && scope !== 'resident') || scope === 'anywhere';
}

export function recordsIn(h: PersonHistory, year: number): YearRecord[] {
  return h.years.filter((r) => r.year === year);
}

export function enrolledIn(h: PersonHistory, year: number, scope: SchemeScope): boolean {
  return h.years.some((r) => r.year === year && counts(scope, r.scheme));
}

/** The resident enrolment of a year (the one waiting periods are about): the latest paid if several. */
export function residentIn(h: PersonHistory, year: number): YearRecord | undefined {
  let latest: YearRecord | undefined;
  for (const r of h.years)
    if (r.year === year && r.scheme === 'resident' && (!latest || (r.paidOn ?? '') >= (latest.paidOn ?? '')))
      latest = r;
  return latest;
}

export const birthYear = (h: PersonHistory): number | undefined =>
  h.birthDate && /^\d{4}/.test(h.birthDate) ? Number(h.birthDate.slice(0, 4)) : undefined;

/**
 * The lapse before T: the consecutive years right before T with no enrolment under `scope`, counting only years from
 * `fromYear` and from the birth year on. Returned earliest first.
 */
export function lapseYearsBefore(h: PersonHistory, target: number, scope: SchemeScope, fromYear: number): number[] {
  const first = Math.max(fromYear, birthYear(h) ?? fromYear);
  const lapsed: number[] = [];
  for (let y = target - 1; y >= first && !enrolledIn(h, y, scope); y--) lapsed.unshift(y);
  return lapsed;
}

/** Consecutive years ending at `end` with an enrolment under `scope`, from `fromYear` on (0 when `end` has none). */
export function consecutiveYearsTo(h: PersonHistory, end: number, scope: SchemeScope, fromYear: number): number {
  let n = 0;
  for (let y = end; y >= fromYear && enrolledIn(h, y, scope); y--) n++;
  return n;
}

/** "2025年" or "2025—2026年": a run of years as a cadre says it. */
export function yearSpan(years: number[]): string {
  if (!years.length) return '';
  const a = years[0]!;
  const b = years.at(-1)!;
  return a === b ? `${a}年` : `${a}—${b}年`;
}
