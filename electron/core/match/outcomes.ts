import type Database from 'better-sqlite3';
import { specialGroupRank, type SpecialGroup } from '../../../shared/headers/coded-values';
import { countsAsEnrolled, decideDuplicate, type EnrolmentRecord } from '../../../shared/domain/enrolment-rules';
import type { MatchSettings } from '../settings';
import { adjustTotals, countTotals, keepTotals, keptTotals, NO_PERSONS } from './person-totals';
import { scanPersons } from './outcomes-scan';
import { withoutIndex } from '../db/index-rebuild';
import type { BaseContribution } from '../township/participation';

// The rules live in shared/domain/enrolment-rules.ts; exports and screens import the labels from there too.
export { DUPLICATE_KIND_LABEL, type DuplicateKind } from '../../../shared/domain/enrolment-rules';

/** A record of the match or base year, as the lists read it (the person's ID number and groups: PersonRecords). */
export interface OutcomeRecord extends EnrolmentRecord {
  personId: number;
  year: number;
  name: string;
  township: string | null;
  village: string | null;
}
type Rec = OutcomeRecord;

export interface OutcomeSummary {
  year: number;
  baseYear: number | null;
  persons: number;
  basePersons: number;
  insuredBasePersons: number;
  uninsured: number;
  duplicates: number;
  notInBase: number;
}

/** 'E', 'R' or 'ER': whether a person's enrolments include employee and/or resident insurance (进度通报 columns). */
function insuredKinds(enrol: readonly Rec[]): string {
  const e = enrol.some((r) => r.kind === 'employee');
  const r = enrol.some((x) => x.kind !== 'employee');
  return (e ? 'E' : '') + (r ? 'R' : '');
}

/**
 * Derives, per person, the lists the clerk works from: in the base or not, insured or not, which duplicate and which
 * enrolment stays. Every person's rows are written again, from one pass over the records (outcomes-scan.ts).
 */
export function computeOutcomes(db: Database.Database, year: number, settings: MatchSettings): OutcomeSummary {
  // Every row is written again, so the place index is built once after them rather than kept row by row: a million
  // rows took 8.7 s that way against 9.6–12.5 s (this machine, a table like person_status).
  const summary = withoutIndex(db, 'person_status_place', () => {
    db.exec('DELETE FROM person_status; DELETE FROM duplicate_item;');
    const writer = outcomeWriter(db, year, settings);
    scanPersons(db, year, writer.baseYear, writer.flush);
    return writer.summary;
  });
  keepTotals(db, summary);
  return summary;
}

/** What the lists need of all of a person's records, whatever their year. */
export interface PersonRecords {
  personId: number;
  records: number;
  /** The lowest record id. */
  earliest: number;
  /** The first ID number, in record-id order. */
  idNumber: string | null;
  /** Every record's special groups, comma-joined in record-id order. */
  specialGroups: string | null;
}

/**
 * The lists derived again for some persons only (an incremental re-match): their rows are replaced, everyone else's
 * stay, and the summary is the kept counts adjusted by their rows (person-totals.ts), else counted afresh. Their
 * records are read person by person through the person index, which for a few thousand persons is quicker than a
 * pass over every record.
 */
export function computeOutcomesFor(
  db: Database.Database,
  year: number,
  settings: MatchSettings,
  personIds: Iterable<number>,
  /** Told each base person's part of the village counts as written (village_base), read again otherwise. */
  onBase?: (part: BaseContribution) => void,
): OutcomeSummary {
  const { flushPersons, baseYear } = outcomeWriter(db, year, settings, onBase);
  const ids = [...personIds].sort((a, b) => a - b);
  const kept = keptTotals(db);
  const before = kept && countTotals(db, ids);
  const dropStatus = db.prepare('DELETE FROM person_status WHERE person_id IN (SELECT value FROM json_each(?))');
  const dropItems = db.prepare('DELETE FROM duplicate_item WHERE person_id IN (SELECT value FROM json_each(?))');
  // 2,000 persons to a statement, not one: five statements per person were 3.1 s of 85,000 persons' lists after a
  // township's roll was replaced at 1,000,000 people.
  for (let k = 0; k < ids.length; k += 2_000) {
    const slice = ids.slice(k, k + 2_000);
    const json = JSON.stringify(slice);
    dropStatus.run(json);
    dropItems.run(json);
    flushPersons(json);
  }
  const totals = kept ? adjustTotals(kept, before!, countTotals(db, ids)) : countTotals(db);
  keepTotals(db, totals);
  return { year, baseYear, ...totals };
}

const SELECT_RECS = `SELECT c.id AS id, c.person_id AS personId, r.kind AS kind, r.year AS year, c.name AS name,
      c.township AS township, c.township_key AS townshipKey, c.village AS village, c.village_key AS villageKey,
      c.insured_status AS insuredStatus FROM record c JOIN roll r ON r.id = c.roll_id`;

/** The population roll's year the lists are counted on: the match year's, else the latest. */
export function baseYearOf(db: Database.Database, year: number): number | null {
  const baseYears = (
    db.prepare(`SELECT DISTINCT year FROM roll WHERE kind = 'population' ORDER BY year DESC`).all() as {
      year: number;
    }[]
  ).map((r) => r.year);
  return baseYears.includes(year) ? year : (baseYears[0] ?? null);
}

/** A row of flushPersons' statement: a record's fields, then its ID number and special groups. */
type PersonRecRow = [
  number,
  number,
  Rec['kind'],
  number,
  string,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
];

/** Writes one person's rows (status, duplicate items) from their records, and counts them into the summary. */
function outcomeWriter(
  db: Database.Database,
  year: number,
  settings: MatchSettings,
  onBase?: (part: BaseContribution) => void,
) {
  const baseYear = baseYearOf(db, year);
  const insertStatus =
    db.prepare(`INSERT INTO person_status (person_id, year, in_base, base_record_id, name, id_number, township, township_key, village, village_key,
    enrolments, insured, special_groups, special_rank, duplicate_kind, records, insured_kinds) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
  const insertDup = db.prepare('INSERT INTO duplicate_item (person_id, record_id, action, rule) VALUES (?,?,?,?)');
  const summary: OutcomeSummary = { year, baseYear, ...NO_PERSONS };
  const one = db.prepare(`${SELECT_RECS} WHERE c.id = ?`);

  /**
   * One person: what all their records give, and their records of the match and base years. The earliest record is
   * read only for a person with neither a base record nor an enrolment to show, and not among those records.
   */
  const flush = (person: PersonRecords, current: Rec[]) => {
    const base = current.filter((r) => r.kind === 'population' && r.year === baseYear);
    const enrol = current.filter((r) => r.kind !== 'population' && r.year === year && countsAsEnrolled(r));
    const home =
      base[0] ?? enrol[0] ?? (current[0]?.id === person.earliest ? current[0] : (one.get(person.earliest) as Rec));
    const groups = new Set<SpecialGroup>();
    for (const g of (person.specialGroups ?? '').split(',')) if (g) groups.add(g as SpecialGroup);
    const dup = enrol.length > 1 ? decideDuplicate(enrol, base[0], settings) : null;
    const inBase = base.length > 0;
    summary.persons++;
    if (inBase) {
      summary.basePersons++;
      if (enrol.length > 0) summary.insuredBasePersons++;
      else summary.uninsured++;
    } else if (enrol.length > 0) summary.notInBase++;
    if (dup) {
      summary.duplicates++;
      for (const item of dup.items) insertDup.run(home.personId, item.record.id, item.action, item.rule);
    }
    const idNumber = person.idNumber;
    const kinds = enrol.length ? insuredKinds(enrol) : null;
    // As baseContributions reads it back from the row written here.
    if (inBase && onBase)
      onBase({
        t: home.townshipKey ?? '',
        v: home.villageKey ?? '',
        insured: enrol.length > 0 ? 1 : 0,
        employee: kinds?.startsWith('E') ? 1 : 0,
      });
    insertStatus.run(
      home.personId,
      year,
      inBase ? 1 : 0,
      base[0]?.id ?? null,
      home.name,
      idNumber,
      home.township,
      home.townshipKey,
      home.village,
      home.villageKey,
      enrol.length,
      enrol.length > 0 ? 1 : 0,
      groups.size ? [...groups].join(',') : null,
      specialGroupRank([...groups]),
      dup?.kind ?? null,
      person.records,
      kinds,
    );
  };

  // Some persons (their ids as a JSON array): every record of theirs in one statement, in person and record order,
  // summed up here (PersonRecords) and those of the match and base years kept whole. A second statement summing them
  // up in SQLite read the same records through the person index again (43,005 persons: 0.64 s, now 0.45 s).
  const personRecs = db
    .prepare(
      `SELECT c.id, c.person_id, r.kind, r.year, c.name, c.township, c.township_key, c.village, c.village_key,
      c.insured_status, c.id_number, c.special_groups FROM record c JOIN roll r ON r.id = c.roll_id
      WHERE c.person_id IN (SELECT value FROM json_each(?)) ORDER BY c.person_id, c.id`,
    )
    .raw(true);
  const flushPersons = (idsJson: string) => {
    const rows = personRecs.all(idsJson) as PersonRecRow[];
    for (let k = 0; k < rows.length;) {
      const personId = rows[k]![1];
      const person: PersonRecords = {
        personId,
        records: 0,
        earliest: rows[k]![0],
        idNumber: null,
        specialGroups: null,
      };
      const groups: string[] = [];
      const current: Rec[] = [];
      for (; k < rows.length && rows[k]![1] === personId; k++) {
        const [
          id,
          ,
          kind,
          recYear,
          name,
          township,
          townshipKey,
          village,
          villageKey,
          insuredStatus,
          idNumber,
          special,
        ] = rows[k]!;
        person.records++;
        if (idNumber && person.idNumber === null) person.idNumber = idNumber;
        if (special !== null) groups.push(special);
        if (recYear === year || recYear === (baseYear ?? year))
          current.push({
            id,
            personId,
            kind,
            year: recYear,
            name,
            township,
            townshipKey,
            village,
            villageKey,
            insuredStatus,
          });
      }
      if (groups.length) person.specialGroups = groups.join(',');
      flush(person, current);
    }
  };

  return { summary, flush, flushPersons, baseYear };
}
