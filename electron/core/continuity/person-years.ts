import type Database from 'better-sqlite3';
import type { Exemption, PersonHistory, YearRecord } from '../../../shared/domain/continuity';
import { effectOf } from '../../../shared/domain/verification';
import { categoryLabel } from '../../../shared/domain/verification';
import { currentAnswersOf, roundTripFacts } from '../township/round-trip-facts';

/**
 * Every person's enrolment over the years, read from the yearly rolls the workspace holds (people linked across years
 * by the match, so one 人员编号 carries all of a person's records) and from the townships' answers that say where
 * else a person was insured (DOMAIN-RULES D3, E12, E13). Years are kept as bits in two typed arrays indexed by
 * person id (a county's 6,000,000 records of five years in 2 × 2 bytes a person), and each history is assembled only
 * when asked for, so the whole county is never in memory as objects.
 */
export interface PersonYears {
  /** Years with an enrolment roll, oldest first. */
  years: number[];
  /** The history of one person (no years when the person has no enrolment record). */
  historyOf(personId: number, idNumber: string | null): PersonHistory;
  /**
   * A key equal for two persons whose histories are equal as the rules read them for `target` when nothing before
   * `horizon` matters: the years by scheme, any answer or exemption, the birth date only when born in or after
   * `horizon` (the earliest year any rule looks at), and the day `target`'s resident premium was paid (the only
   * payment day the rules of that year read). A county of a million has a few thousand different histories, times
   * the days of the year's window.
   */
  keyOf(personId: number, idNumber: string | null, horizon: number, target: number): string;
}

/** 医疗救助对象 on a department's list (R1.8b; 滁州 adds 返贫致贫人口, here the monitoring list). */
const ASSISTED = ['tekun', 'orphan', 'dibao', 'monitor'];

/** 'YYYYMMDD' of an 18-digit number (or a 15-digit one: 19YYMMDD) as an ISO date, if it is one. */
export function birthDateOf(idNumber: string | null): string | undefined {
  if (!idNumber) return undefined;
  const digits =
    idNumber.length === 18 ? idNumber.slice(6, 14) : idNumber.length === 15 ? `19${idNumber.slice(6, 12)}` : '';
  if (!/^\d{8}$/.test(digits)) return undefined;
  const iso = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
  return Number.isNaN(Date.parse(`${iso}T00:00:00Z`)) ? undefined : iso;
}

/** Only enrolments that count (not 暂停/终止), as the match's outcomes count them. */
const COUNTS = `(insured_status IS NULL OR insured_status = 'active')`;
const SEPARATOR = 30; // char(30), the ASCII record separator: in no person id, roll id or date
const PAID = 64; // '@', before a record's payment day
const PACKED_RECORDS = 100_000;

/**
 * Every linked record's person, roll and payment day, for the whole county. Read as one string per 100,000 records
 * (person × rollBound + roll, then '@' and the day when the roll gives one) rather than as a row each: better-sqlite3
 * spends 2–3 µs on each row it returns, SQLite well under 1 µs on reading it, and a county of five years has
 * 5,000,000 records (the county's summary took 10 s of CPU reading rows, 4.5 s packed). The caller filters the rolls.
 */
function forEachEnrolment(
  db: Database.Database,
  rollBound: number,
  each: (personId: number, rollId: number, paidDate: string | null) => void,
): void {
  const maxRecord = db.prepare('SELECT coalesce(max(id), 0) FROM record').pluck().get() as number;
  const packed = db
    .prepare(
      `SELECT group_concat((person_id * ${rollBound} + roll_id) || coalesce('@' || paid_date, ''), char(${SEPARATOR}))
      FROM record WHERE id >= ? AND id < ? AND person_id IS NOT NULL AND ${COUNTS}`,
    )
    .pluck();
  for (let from = 0; from <= maxRecord; from += PACKED_RECORDS) {
    const s = packed.get(from, from + PACKED_RECORDS) as string | null;
    if (!s) continue;
    let v = 0;
    for (let i = 0; i <= s.length; i++) {
      const c = i < s.length ? s.charCodeAt(i) : SEPARATOR;
      if (c !== SEPARATOR && c !== PAID) {
        v = v * 10 + (c - 48);
        continue;
      }
      let paidDate: string | null = null;
      if (c === PAID) {
        const end = s.indexOf(String.fromCharCode(SEPARATOR), i);
        paidDate = s.slice(i + 1, end < 0 ? s.length : end);
        i = end < 0 ? s.length : end;
      }
      each(Math.floor(v / rollBound), v % rollBound, paidDate);
      v = 0;
    }
  }
}

/** Every person of the match with their ID number, read packed as forEachEnrolment reads the records. */
export function forEachPerson(db: Database.Database, each: (personId: number, idNumber: string | null) => void): void {
  const maxPerson = db.prepare('SELECT coalesce(max(person_id), 0) FROM person_status').pluck().get() as number;
  const packed = db
    .prepare(
      `SELECT group_concat(person_id || coalesce(':' || id_number, ''), char(${SEPARATOR})) FROM person_status
      WHERE person_id >= ? AND person_id < ?`,
    )
    .pluck();
  for (let from = 0; from <= maxPerson; from += PACKED_RECORDS) {
    const s = packed.get(from, from + PACKED_RECORDS) as string | null;
    if (!s) continue;
    for (let at = 0; at < s.length;) {
      const end = s.indexOf(String.fromCharCode(SEPARATOR), at);
      const stop = end < 0 ? s.length : end;
      const colon = s.indexOf(':', at);
      const hasId = colon >= 0 && colon < stop;
      each(Number(s.slice(at, hasId ? colon : stop)), hasId ? s.slice(colon + 1, stop) : null);
      at = stop + 1;
    }
  }
}

const DAY_MS = 86_400_000;
/** A payment day as days since 1970 (0: unknown), 2 bytes a person and year: a county's days fit until 2149. */
const dayNumber = (iso: string | null): number => {
  const n = iso ? Date.parse(`${iso}T00:00:00Z`) / DAY_MS : 0;
  return Number.isInteger(n) && n > 0 && n < 65_536 ? n : 0;
};
const isoOfDay = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);

/**
 * `only`: the persons to read (一人一档 reads one person's records through the index, and only the township answers
 * that can name them, not the county's).
 */
export function readPersonYears(db: Database.Database, only?: readonly number[]): PersonYears {
  const years = (
    db.prepare(`SELECT DISTINCT year FROM roll WHERE kind <> 'population' ORDER BY year`).pluck().all() as number[]
  ).slice(-16); // 16 bits a person; a county keeps 4–5 years
  const first = years[0] ?? 0;
  const maxId = (db.prepare('SELECT coalesce(max(id), 0) FROM person').pluck().get() as number) + 1;
  const resident = new Uint16Array(maxId);
  const employee = new Uint16Array(maxId);
  // Only enrolments that count (COUNTS). The rolls are few: each record names its roll, and the roll's year and kind
  // are looked up here rather than joined row by row in SQLite.
  const rolls = new Map<number, { bit: number; index: number; employee: boolean }>();
  for (const r of db.prepare(`SELECT id, year, kind FROM roll WHERE kind <> 'population' AND year >= ?`).all(first) as {
    id: number;
    year: number;
    kind: string;
  }[])
    rolls.set(r.id, { bit: 1 << (r.year - first), index: r.year - first, employee: r.kind === 'employee' });
  // Payment days by scheme and year (index from the first year), made only for a year whose rolls carry them; the
  // latest day when a person has several records of a scheme in a year (the one residentIn reads).
  const paid = { resident: [] as (Uint16Array | undefined)[], employee: [] as (Uint16Array | undefined)[] };
  const dayOf = new Map<string, number>();
  const add = (p: number, rollId: number, paidDate: string | null) => {
    const roll = rolls.get(rollId);
    if (!roll || p >= maxId) return;
    if (roll.employee) employee[p]! |= roll.bit;
    else resident[p]! |= roll.bit;
    // A county's records share a few hundred days: each is parsed once.
    const day = paidDate ? (dayOf.get(paidDate) ?? dayOf.set(paidDate, dayNumber(paidDate)).get(paidDate)!) : 0;
    if (!day) return;
    const days = paid[roll.employee ? 'employee' : 'resident'];
    const ofYear = (days[roll.index] ??= new Uint16Array(maxId));
    if (day > ofYear[p]!) ofYear[p] = day;
  };
  const rollBound = db.prepare('SELECT coalesce(max(id), 0) + 1 FROM roll').pluck().get() as number;
  if (only || maxId * rollBound >= Number.MAX_SAFE_INTEGER) {
    const rows = db
      .prepare(
        `SELECT person_id, roll_id, paid_date FROM record WHERE person_id IS NOT NULL
          AND roll_id IN (SELECT value FROM json_each(?)) AND ${COUNTS}
          ${only ? 'AND person_id IN (SELECT value FROM json_each(?))' : ''}`,
      )
      .raw()
      .iterate(...[JSON.stringify([...rolls.keys()]), ...(only ? [JSON.stringify(only)] : [])]) as IterableIterator<
      [number, number, string | null]
    >;
    for (const [p, rollId, paidDate] of rows) add(p, rollId, paidDate);
  } else forEachEnrolment(db, rollBound, add);
  const paidOn = (scheme: 'resident' | 'employee', index: number, p: number): string | undefined => {
    const day = paid[scheme][index]?.[p];
    return day ? isoOfDay(day) : undefined;
  };

  // Insured outside the county, from the answer that counts now: the year is the one its ledger was dispatched
  // for (the match's year at the time), else the current match's year.
  const elsewhere = new Map<number, YearRecord>();
  const answers = only ? currentAnswersOf(db, only) : roundTripFacts(db).answers;
  const currentYear = (db.prepare('SELECT year FROM match_run ORDER BY id DESC LIMIT 1').pluck().get() as number) ?? 0;
  const yearOfBatch = new Map<number, number>();
  for (const b of db
    .prepare(
      `SELECT b.id, (SELECT m.year FROM match_run m WHERE m.started_at <= b.dispatched_at ORDER BY m.id DESC LIMIT 1)
      AS year FROM dispatch_batch b`,
    )
    .all() as { id: number; year: number | null }[])
    if (b.year !== null) yearOfBatch.set(b.id, b.year);
  const place = db.prepare('SELECT place FROM verification WHERE id = ?').pluck();
  for (const [p, a] of answers) {
    if (effectOf(a.code, { removeAbroad: true, removeMissing: false }) !== 'elsewhere') continue;
    const year = (a.batchId !== null ? yearOfBatch.get(a.batchId) : undefined) ?? currentYear;
    elsewhere.set(p, {
      year,
      scheme: 'elsewhere',
      place: (place.get(a.verificationId) as string | null) ?? undefined,
      evidence: `乡镇核实回执：${categoryLabel(a.code)}`,
    });
  }

  // Newly identified 医疗救助对象 (R1.8b): the first month a department's list named them.
  const assisted = new Map<number, string>();
  for (const r of db
    .prepare(
      `SELECT s.person_id AS p, min(l.month) AS month FROM subsidy_member m
      JOIN subsidy_list l ON l.id = m.list_id JOIN person_status s ON s.id_number = m.id_number
      WHERE m.highest IN (SELECT value FROM json_each(?))
      ${only ? 'AND s.person_id IN (SELECT value FROM json_each(?))' : ''} GROUP BY s.person_id`,
    )
    .all(...[JSON.stringify(ASSISTED), ...(only ? [JSON.stringify(only)] : [])]) as { p: number; month: string }[])
    assisted.set(r.p, `${r.month}-01`);

  return {
    years,
    keyOf(personId, idNumber, horizon, target) {
      const digits =
        idNumber?.length === 18 ? idNumber.slice(6, 10) : idNumber?.length === 15 ? `19${idNumber.slice(6, 8)}` : '';
      const born = Number(digits);
      const birth = !digits || !Number.isFinite(born) || born >= horizon ? (birthDateOf(idNumber) ?? '') : 'old';
      const special = elsewhere.has(personId) || assisted.has(personId) ? `|p${personId}` : '';
      const paidIn = paid.resident[target - first]?.[personId] ?? 0;
      return `${resident[personId] ?? 0}|${employee[personId] ?? 0}|${birth}|${paidIn}${special}`;
    },
    historyOf(personId, idNumber) {
      const out: YearRecord[] = [];
      const res = resident[personId] ?? 0;
      const emp = employee[personId] ?? 0;
      for (let i = 0; i < years.length; i++) {
        const y = years[i]!;
        const bit = 1 << (y - first);
        for (const [scheme, bits] of [
          ['employee', emp],
          ['resident', res],
        ] as const) {
          if (!(bits & bit)) continue;
          const day = paidOn(scheme, y - first, personId);
          out.push(day ? { year: y, scheme, paidOn: day } : { year: y, scheme });
        }
      }
      const other = elsewhere.get(personId);
      if (other && !out.some((r) => r.year === other.year)) out.push(other);
      const exemptions: Exemption[] = [];
      const since = assisted.get(personId);
      if (since) exemptions.push({ kind: 'assisted', on: since });
      const birthDate = birthDateOf(idNumber);
      return { ...(birthDate && { birthDate }), years: out, ...(exemptions.length && { exemptions }) };
    },
  };
}
