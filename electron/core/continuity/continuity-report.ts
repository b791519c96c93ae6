import type Database from 'better-sqlite3';
import {
  atStake,
  CONTINUITY_KEYS,
  enrolmentWindow,
  incentiveSteps,
  summarizeContinuity,
  waitingPeriod,
  type ContinuitySettings,
  type ContinuitySummary,
} from '../../../shared/domain/continuity';
import { SCHEME_LABEL } from '../../../shared/domain/continuity-history';
import { formatPersonId } from '../../../shared/domain/types';
import { maskId } from '../../../shared/export/mask';
import type {
  AtRiskRow,
  ContinuitySummaryView,
  PersonContinuityView,
  PersonYearView,
} from '../../../shared/ipc/continuity-views';
import { todayLocal } from '../../../shared/text/clerk-format';
import { specialLabel } from '../service/person-view';
import { readSettings, type Settings } from '../settings';
import { forEachPerson, readPersonYears, type PersonYears } from './person-years';

export function continuitySettingsOf(s: Settings): ContinuitySettings {
  return Object.fromEntries(CONTINUITY_KEYS.map((k) => [k, s[k]])) as unknown as ContinuitySettings;
}

/**
 * The year a campaign is about on a given day: once next year's 集中参保期 has opened (Fujian: 1 September), the
 * clerk is collecting for next year; before that, for this one.
 */
export function campaignYear(today: string, s: ContinuitySettings): number {
  const y = Number(today.slice(0, 4));
  return today >= enrolmentWindow(y + 1, s).start ? y + 1 : y;
}

interface Context {
  years: PersonYears;
  settings: ContinuitySettings;
  today: string;
  year: number;
}

function context(
  db: Database.Database,
  year: number | undefined,
  today = todayLocal(),
  only?: readonly number[],
): Context {
  const settings = continuitySettingsOf(readSettings(db));
  return { years: readPersonYears(db, only), settings, today, year: year ?? campaignYear(today, settings) };
}

/** The earliest year any rule looks at: a birth before it changes nothing (PersonYears.keyOf). */
export function horizonOf(c: { settings: ContinuitySettings; years: PersonYears; year: number }): number {
  return Math.min(
    c.settings.lapseCountFromYear,
    c.settings.incentiveCountFromYear,
    c.years.years[0] ?? c.year,
    c.year - 1,
  );
}

/**
 * The summary of a year over every person: each distinct history (by PersonYears.keyOf) is run through the rules
 * once, not once a person: at a million persons the rules and their sentences cost most of 20 s otherwise.
 */
function summarize(db: Database.Database, c: Context): ContinuitySummary {
  const horizon = horizonOf(c);
  const sum: ContinuitySummary = {
    year: c.year,
    persons: 0,
    insured: 0,
    atRisk: 0,
    waitingMonths: {},
    incentiveSteps: {},
  };
  const seen = new Map<string, ContinuitySummary>();
  forEachPerson(db, (p, id) => {
    const key = c.years.keyOf(p, id, horizon, c.year);
    let one = seen.get(key);
    if (!one) {
      one = summarizeContinuity([c.years.historyOf(p, id)], c.year, c.settings);
      // Persons with an answer or an exemption have keys of their own: not kept, they are few.
      if (!key.includes('|p')) seen.set(key, one);
    }
    sum.persons += one.persons;
    sum.insured += one.insured;
    sum.atRisk += one.atRisk;
    for (const [k, n] of Object.entries(one.waitingMonths))
      sum.waitingMonths[Number(k)] = (sum.waitingMonths[Number(k)] ?? 0) + n;
    for (const [k, n] of Object.entries(one.incentiveSteps))
      sum.incentiveSteps[Number(k)] = (sum.incentiveSteps[Number(k)] ?? 0) + n;
  });
  return sum;
}

/** `canbao continuity --json`: persons, at risk, and the waiting months and steps of the year. */
export function continuitySummary(
  db: Database.Database,
  o: { year?: number; today?: string } = {},
): ContinuitySummaryView {
  const c = context(db, o.year, o.today);
  const w = enrolmentWindow(c.year, c.settings);
  return {
    ...summarize(db, c),
    yearsKnown: c.years.years,
    deadline: w.extensionEnd && c.settings.extensionHasNoWait ? w.extensionEnd : w.end,
    windowStart: w.start,
  };
}

const AT_RISK_SQL = `SELECT s.person_id AS personId, s.name, s.id_number AS idNumber,
  coalesce(s.township_key, '') AS township, coalesce(s.village_key, '') AS village, s.special_groups AS sg, b.household_head AS head,
  coalesce(b.phone, (SELECT phone FROM record r WHERE r.person_id = s.person_id AND r.phone IS NOT NULL LIMIT 1)) AS phone
  FROM person_status s LEFT JOIN record b ON b.id = s.base_record_id`;

/**
 * The 断保风险名单 of a year: everyone enrolled last year with no enrolment yet this year, by township, village and
 * name, with what paying by the deadline, late, or not at all means for them (DOMAIN-RULES §7.1).
 */
export function atRiskList(
  db: Database.Database,
  o: { year?: number; today?: string; township?: string; village?: string } = {},
): { year: number; rows: AtRiskRow[] } {
  const c = context(db, o.year, o.today);
  // Who is at risk comes from the years alone (each distinct history worked out once, as in summarize); only their
  // rows are then read in full (reading every person's name, place and phone took 6 s at 200,000 persons).
  const horizon = horizonOf(c);
  const stakes = new Map<string, ReturnType<typeof atStake>>();
  const stakeOf = new Map<number, NonNullable<ReturnType<typeof atStake>>>();
  forEachPerson(db, (p, id) => {
    const key = c.years.keyOf(p, id, horizon, c.year);
    let stake = stakes.get(key);
    if (stake === undefined) {
      stake = atStake(c.years.historyOf(p, id), c.year, c.settings, c.today);
      if (!key.includes('|p')) stakes.set(key, stake);
    }
    if (stake) stakeOf.set(p, stake);
  });
  const rows: AtRiskRow[] = [];
  const where = ['s.person_id IN (SELECT value FROM json_each(?))'];
  const params: string[] = [JSON.stringify([...stakeOf.keys()])];
  if (o.township) {
    where.push("coalesce(s.township_key, '') = ?");
    params.push(o.township);
  }
  if (o.village) {
    where.push("coalesce(s.village_key, '') = ?");
    params.push(o.village);
  }
  const persons = db.prepare(`${AT_RISK_SQL} WHERE ${where.join(' AND ')}`).iterate(...params) as IterableIterator<{
    personId: number;
    name: string;
    idNumber: string | null;
    township: string;
    village: string;
    sg: string | null;
    head: string | null;
    phone: string | null;
  }>;
  for (const p of persons) {
    const stake = stakeOf.get(p.personId);
    if (!stake) continue;
    rows.push({
      personId: formatPersonId(p.personId),
      name: p.name,
      idMasked: maskId(p.idNumber, '6-4'),
      township: p.township,
      village: p.village,
      householdHead: p.head ?? '',
      phone: p.phone ?? '',
      consecutiveYears: stake.consecutiveYearsSoFar,
      waitIfPaidByDeadline: stake.waitIfPaidByDeadline,
      waitIfPaidLate: stake.waitIfPaidLate,
      waitNextYearIfLapsed: stake.waitNextYearIfLapsed,
      stepsLost: stake.stepsLost,
      amountLostYuan: stake.amountLostYuan,
      deadline: stake.deadline,
      daysLeft: stake.daysLeft,
      special: specialLabel(p.sg),
      explanation: stake.explanation,
    });
  }
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  rows.sort(
    (a, b) =>
      order(a.township, b.township) ||
      order(a.village, b.village) ||
      order(a.name, b.name) ||
      order(a.personId, b.personId),
  );
  return { year: c.year, rows };
}

/** One person's years and what they mean for the year: 一人一档's 历年参保 and the explanation a cadre reads out. */
export function personContinuity(
  db: Database.Database,
  personId: number,
  o: { year?: number; today?: string } = {},
): PersonContinuityView {
  const c = context(db, o.year, o.today, [personId]);
  const idNumber = (db.prepare('SELECT id_number FROM person_status WHERE person_id = ?').pluck().get(personId) ??
    null) as string | null;
  const h = c.years.historyOf(personId, idNumber);
  const shown = [...new Set([...c.years.years, ...h.years.map((r) => r.year)])].filter((y) => y <= c.year).sort();
  const years: PersonYearView[] = shown.map((y) => {
    const recs = h.years.filter((r) => r.year === y);
    // The resident premium's day when there is one (the one the waiting period reads), else any the rolls give.
    const paid = recs.find((r) => r.scheme === 'resident' && r.paidOn) ?? recs.find((r) => r.paidOn);
    return {
      year: y,
      enrolment: recs.length
        ? recs.map((r) => SCHEME_LABEL[r.scheme] + (r.place ? `（${r.place}）` : '')).join('、')
        : '未参保',
      paidOn: paid?.paidOn ?? null,
      evidence: recs.length ? recs.map((r) => r.evidence ?? `${y}年参保名册`).join('；') : `${y}年各参保名册中没有此人`,
    };
  });
  const w = waitingPeriod(h, c.year, c.settings);
  const inc = incentiveSteps(h, c.year, c.settings);
  const stake = atStake(h, c.year, c.settings, c.today);
  return {
    year: c.year,
    years,
    consecutiveYears: inc.consecutiveYears,
    lapseYears: w.lapseYears,
    waitingMonths: w.insured ? w.totalMonths : null,
    incentiveSteps: inc.steps + inc.keptSteps,
    explanation: stake ? stake.explanation : w.insured ? `${w.explanation}${inc.explanation}` : w.explanation,
  };
}
