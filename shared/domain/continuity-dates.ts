/**
 * Calendar arithmetic of the continuity rules on ISO dates ('YYYY-MM-DD'), in UTC so no PC's time zone moves a day:
 * the central window of a year from its MM-DD settings, months added as the fund counts them (2026-04-10 + 3 months
 * = 2026-07-10; a day past the month's end is its last day).
 */
import type { ContinuitySettings } from './continuity-settings';

const two = (n: number) => String(n).padStart(2, '0');

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

// Arithmetic, not Date: the engine runs these for every person of a county.
function daysIn(year: number, month: number): number {
  return month === 2 && leap(year) ? 29 : DAYS[month - 1]!;
}

/** The date of year/month/day, a day past the month's end being its last day (02-29 in 2026 → 2026-02-28). */
export function isoDate(year: number, month: number, day: number): string {
  return `${year}-${two(month)}-${two(Math.min(day, daysIn(year, month)))}`;
}

export const yearStart = (year: number) => `${year}-01-01`;
export const yearEnd = (year: number) => `${year}-12-31`;
export const yearOf = (iso: string) => Number(iso.slice(0, 4));

/** 'MM-DD' in a year. */
export function monthDayIn(year: number, mmdd: string): string {
  return isoDate(year, Number(mmdd.slice(0, 2)), Number(mmdd.slice(3, 5)));
}

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function addMonths(iso: string, months: number): string {
  const y = yearOf(iso);
  const m = Number(iso.slice(5, 7)) - 1 + months;
  const year = y + Math.floor(m / 12);
  return isoDate(year, (((m % 12) + 12) % 12) + 1, Number(iso.slice(8, 10)));
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export const later = (a: string, b: string) => (a >= b ? a : b);

/** The first date on or after `from` (strictly after, if `strict`) falling on MM-DD. */
function onOrAfter(from: string, mmdd: string, strict: boolean): string {
  for (let y = yearOf(from); ; y++) {
    const d = monthDayIn(y, mmdd);
    if (strict ? d > from : d >= from) return d;
  }
}

export interface EnrolmentWindow {
  /** First day of the 集中参保期 for year T (in T−1). */
  start: string;
  /** Last day of it: the first end MM-DD on or after the start (12-31 → T−1; Jiangxi's 02-28 → T). */
  end: string;
  /** Last day of the extension (Fujian: end of February of T), after the window's end; absent when none is set. */
  extensionEnd?: string;
}

type WindowSettings = Pick<ContinuitySettings, 'centralWindowStart' | 'centralWindowEnd' | 'extensionEnd'>;

const windows = new Map<string, EnrolmentWindow>();

/** The window of year T; remembered by year and dates, since a county asks it once per person. */
export function enrolmentWindow(targetYear: number, s: WindowSettings): EnrolmentWindow {
  const key = `${targetYear}|${s.centralWindowStart}|${s.centralWindowEnd}|${s.extensionEnd}`;
  let w = windows.get(key);
  if (!w) {
    if (windows.size > 1000) windows.clear();
    windows.set(key, (w = computeWindow(targetYear, s)));
  }
  return w;
}

function computeWindow(targetYear: number, s: WindowSettings): EnrolmentWindow {
  const start = monthDayIn(targetYear - 1, s.centralWindowStart);
  const end = onOrAfter(start, s.centralWindowEnd, false);
  const extensionEnd = s.extensionEnd ? onOrAfter(end, s.extensionEnd, true) : undefined;
  return extensionEnd ? { start, end, extensionEnd } : { start, end };
}

/** The window and its extension must end before the next year's window opens, and the window by 31 Dec of T. */
export function windowProblem(s: WindowSettings): string | null {
  const w = enrolmentWindow(2027, s);
  if (w.end > yearEnd(2027)) return '集中参保期不能晚于参保年度的12月31日结束';
  if (w.extensionEnd && w.extensionEnd >= monthDayIn(2027, s.centralWindowStart))
    return '延长缴费期应在下一个集中参保期开始之前结束';
  return null;
}
