import type Database from 'better-sqlite3';
import {
  addTally,
  EMPTY_TALLY,
  figures,
  progressState,
  rateOn,
  type ParticipationFigures,
  type ParticipationTally,
  type ProgressState,
  type RateBasis,
} from '../../../shared/domain/participation';
import { effectOf, type BaseSettings } from '../../../shared/domain/verification';
import { roundTripFacts, statusOf, type RoundTripFacts } from './round-trip-facts';
import { currentTallies } from './snapshots';

export interface RateSettings extends BaseSettings {
  rateBasis: RateBasis;
  targetRate: number;
  lagRate: number;
}

export interface PlaceFigures extends ParticipationFigures {
  township: string;
  /** null for a township's or the county's row; '' for base persons whose village is not known. */
  village: string | null;
  /** 未参保 on the ranking basis: due − insured − insuredElsewhere. */
  uninsured: number;
  /** The rate on the workspace's ranking basis (setting `rateBasis`). */
  rate: number;
  state: ProgressState;
}

export interface Participation {
  county: PlaceFigures;
  townships: PlaceFigures[];
  villages: PlaceFigures[];
}

const BASE_SQL = `SELECT coalesce(township_key, '') AS t, coalesce(village_key, '') AS v, count(*) AS base,
  sum(insured) AS insured, sum(insured = 1 AND insured_kinds LIKE 'E%') AS employee
  FROM person_status WHERE in_base = 1 GROUP BY t, v`;

type BaseRow = { t: string; v: string; base: number; insured: number; employee: number };

/** The base part of the rates per village: kept by the last match (1.6 s of grouping at a million persons). */
function villageBase(db: Database.Database): BaseRow[] {
  const kept = db
    .prepare('SELECT township AS t, village AS v, base, insured, employee FROM village_base')
    .all() as BaseRow[];
  return kept.length ? kept : (db.prepare(BASE_SQL).all() as BaseRow[]);
}

/** Called by the match, which alone changes person_status. */
export function keepVillageBase(db: Database.Database): void {
  db.prepare('DELETE FROM village_base').run();
  db.prepare(
    `INSERT INTO village_base (township, village, base, insured, employee) SELECT t, v, base, insured, employee FROM (${BASE_SQL})`,
  ).run();
}

/** A base person's part in village_base, as BASE_SQL counts it. */
export interface BaseContribution {
  t: string;
  v: string;
  insured: number;
  employee: number;
}

/**
 * The base persons among these, as they stand in person_status now. 2,000 persons to a statement: one statement per
 * person was 0.15 s of a township roll's re-match (43,005 persons, twice) at 1,000,000 people.
 */
export function baseContributions(db: Database.Database, persons: Iterable<number>): BaseContribution[] {
  const rows = db.prepare(`SELECT coalesce(township_key, '') AS t, coalesce(village_key, '') AS v, insured,
    (insured = 1 AND insured_kinds LIKE 'E%') AS employee FROM person_status
    WHERE person_id IN (SELECT value FROM json_each(?)) AND in_base = 1`);
  const ids = [...persons];
  const out: BaseContribution[] = [];
  for (let k = 0; k < ids.length; k += 2_000)
    for (const r of rows.all(JSON.stringify(ids.slice(k, k + 2_000))) as BaseContribution[]) out.push(r);
  return out;
}

/**
 * village_base after a re-match that derived the lists again for some persons only: their old parts taken out,
 * their new parts put in (grouping a million persons again took 1.8 s; this, for 200 persons, a few ms).
 */
export function adjustVillageBase(db: Database.Database, before: BaseContribution[], after: BaseContribution[]): void {
  const delta = new Map<string, { t: string; v: string; base: number; insured: number; employee: number }>();
  const add = (c: BaseContribution, sign: number) => {
    const k = `${c.t}\u001f${c.v}`;
    const x = delta.get(k) ?? { t: c.t, v: c.v, base: 0, insured: 0, employee: 0 };
    x.base += sign;
    x.insured += sign * c.insured;
    x.employee += sign * c.employee;
    delta.set(k, x);
  };
  for (const c of before) add(c, -1);
  for (const c of after) add(c, 1);
  const upsert = db.prepare(`INSERT INTO village_base (township, village, base, insured, employee) VALUES (?,?,?,?,?)
    ON CONFLICT (township, village) DO UPDATE SET base = base + excluded.base, insured = insured + excluded.insured,
    employee = employee + excluded.employee`);
  for (const x of delta.values())
    if (x.base || x.insured || x.employee) upsert.run(x.t, x.v, x.base, x.insured, x.employee);
  // BASE_SQL has a row only where someone is in the base.
  db.prepare('DELETE FROM village_base WHERE base <= 0').run();
}

/**
 * Tallies per village: base persons grouped in one pass over person_status, then corrected person by person for the
 * few who were dispatched or answered (a county's returns are tens of thousands of rows; its base a million).
 */
export function villageTallies(
  db: Database.Database,
  s: BaseSettings,
  facts: RoundTripFacts = roundTripFacts(db),
): Map<string, ParticipationTally> {
  const tallies = new Map<string, ParticipationTally>();
  const key = (t: string, v: string) => `${t}\u001f${v}`;
  const at = (t: string, v: string) => {
    const k = key(t, v);
    let x = tallies.get(k);
    if (!x) tallies.set(k, (x = { ...EMPTY_TALLY }));
    return x;
  };
  for (const r of villageBase(db)) {
    Object.assign(at(r.t, r.v), {
      base: r.base,
      insured: r.insured,
      insuredEmployee: r.employee,
      insuredResident: r.insured - r.employee,
    });
  }
  // The persons dispatched or answered, as the round-trip read them (in one statement, not one per person: 40,000
  // of them at a million persons cost a second); a successor it did not ask about is read here.
  const people = [...new Set([...facts.answers.keys(), ...facts.firstDispatch.keys()])];
  const missing = people.filter((p) => !facts.persons.has(p));
  const status = missing.length ? new Map([...facts.persons, ...statusOf(db, missing)]) : facts.persons;
  // Enrolled "after mobilisation" (R2.4): every enrolment of the year is on a roll imported after the first dispatch.
  const firstEnrolled = new Map<number, string>();
  const insuredDispatched = new Map<number, number[]>();
  for (const p of facts.firstDispatch.keys()) {
    const st = status.get(p);
    if (st?.inBase && st.insured)
      (insuredDispatched.get(st.year) ?? insuredDispatched.set(st.year, []).get(st.year)!).push(p);
  }
  for (const [year, ps] of insuredDispatched)
    for (const r of db
      .prepare(
        `SELECT c.person_id AS p, min(r.imported_at) AS at FROM record c JOIN roll r ON r.id = c.roll_id
        WHERE c.person_id IN (SELECT value FROM json_each(?)) AND r.kind <> 'population' AND r.year = ?
        GROUP BY c.person_id`,
      )
      .all(JSON.stringify(ps), year) as { p: number; at: string }[])
      firstEnrolled.set(r.p, r.at);
  for (const p of people) {
    const st = status.get(p);
    if (!st || !st.inBase) continue;
    const t = at(st.township, st.village);
    const answer = facts.answers.get(p);
    const effect = answer ? effectOf(answer.code, s) : null;
    const employee = st.insured === 1 && (st.kinds ?? '').startsWith('E');
    if (effect === 'removed') {
      t.removed++;
      if (st.insured) {
        t.insured--;
        if (employee) t.insuredEmployee--;
        else t.insuredResident--;
      }
    } else if (effect === 'insured' && !st.insured) {
      t.insured++;
      t.insuredEmployee++;
    } else if (effect === 'elsewhere' && !st.insured) {
      t.insuredElsewhere++;
    }
    const dispatchedAt = facts.firstDispatch.get(p);
    if (dispatchedAt !== undefined) {
      t.dispatched++;
      const first = st.insured ? (firstEnrolled.get(p) ?? null) : null;
      const mobilised = first !== null && first > dispatchedAt;
      if (answer) t.verified++;
      if (mobilised) t.mobilised++;
      if (!answer && !mobilised) t.remaining++;
    }
  }
  return tallies;
}

function place(township: string, village: string | null, t: ParticipationTally, s: RateSettings): PlaceFigures {
  const f = figures(t);
  const rate = rateOn(f, s.rateBasis);
  return {
    township,
    village,
    ...f,
    uninsured: f.due - f.insured - f.insuredElsewhere,
    rate,
    state: progressState(rate, s.targetRate, s.lagRate),
  };
}

/** 参保率 per village, township and county on both bases (DOMAIN-RULES §2.2), with the round-trip's counts. */
export function participation(db: Database.Database, s: RateSettings, townships?: readonly string[]): Participation {
  const byTownship = new Map<string, { tally: ParticipationTally; villages: [string, ParticipationTally][] }>();
  // A snapshot taken from the current state (every match, dispatch and returns import takes one) is the answer.
  for (const [k, tally] of currentTallies(db, s) ?? villageTallies(db, s)) {
    const [t, v] = k.split('\u001f') as [string, string];
    if (townships?.length && !townships.includes(t)) continue;
    const entry = byTownship.get(t) ?? { tally: { ...EMPTY_TALLY }, villages: [] };
    entry.tally = addTally(entry.tally, tally);
    entry.villages.push([v, tally]);
    byTownship.set(t, entry);
  }
  const names = [...byTownship.keys()].sort(); // code-point order, as every list and export orders places
  const villages: PlaceFigures[] = [];
  const ts: PlaceFigures[] = [];
  let county = { ...EMPTY_TALLY };
  for (const t of names) {
    const e = byTownship.get(t)!;
    e.villages.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [v, tally] of e.villages) villages.push(place(t, v, tally, s));
    ts.push(place(t, null, e.tally, s));
    county = addTally(county, e.tally);
  }
  return { county: place('合计', null, county, s), townships: ts, villages };
}
