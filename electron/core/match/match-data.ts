import type Database from 'better-sqlite3';
import type { RollKind } from '../../../shared/domain/types';
import { forEachRecordRow } from './record-rows';

/**
 * The fields matching needs, held column-wise: two million records must fit comfortably in memory. Each field is
 * named as its database column in camelCase (record.id_number → idNumber), so one field has one name from the
 * workspace to the matcher.
 */
export interface MatchData {
  n: number;
  /** record.id */
  recordId: Int32Array;
  /** roll.kind */
  kind: RollKind[];
  /** roll.year */
  year: Int16Array;
  nameKey: string[];
  namePinyin: string[];
  /** The trusted 18-character number (status valid or converted15), else ''. */
  idNumber: string[];
  /** record.id_raw (what was typed, cleaned) — kept only where idNumber is '' (untrusted), to spare memory. */
  idRaw: string[];
  idStatus: string[];
  birthDate: string[];
  gender: string[];
  townshipKey: string[];
  villageKey: string[];
  /** township_key + household_no: a household number means something only inside its township. */
  householdKey: string[];
  /** record.person_id from the previous run (0 if none), for stable person ids. */
  personId: Int32Array;
  /**
   * record.link_rule and record.link_score from the previous run ('' and NaN if none): a re-match rewrites only the
   * records whose person or link changed. Absent for records not read from a workspace.
   */
  linkRule?: string[];
  linkScore?: Float64Array;
  /** Each record's name as it sounds (soundKeysOf), where a full match worked it out once for every step. */
  sounds?: string[];
  /** Set by blocking: 1 where a valid number ending in 000 may be another's cut by Excel (not a number of its own). */
  possibleCut?: Uint8Array;
}

/** The columns matching reads, each under its field's name: the SELECT and the row positions both come from here. */
const COLUMNS = {
  recordId: 'c.id',
  rollId: 'c.roll_id',
  nameKey: 'c.name_key',
  namePinyin: 'c.name_pinyin',
  idNumber: 'c.id_number',
  idRaw: 'c.id_raw',
  idStatus: 'c.id_status',
  birthDate: 'c.birth_date',
  gender: 'c.gender',
  townshipKey: 'c.township_key',
  villageKey: 'c.village_key',
  householdNo: 'c.household_no',
  personId: 'c.person_id',
  linkRule: 'c.link_rule',
  linkScore: 'c.link_score',
} as const;
type Column = keyof typeof COLUMNS;
/** Position of each column in a raw row, by name. */
const AT = Object.fromEntries(Object.keys(COLUMNS).map((k, i) => [k, i])) as Record<Column, number>;

const SELECT_MATCH_DATA = Object.values(COLUMNS).join(', ');

/** Where a record id sits in an ascending array of record ids (binary search), or -1. */
export function indexOfId(ids: ArrayLike<number>, id: number): number {
  const k = lowerBound(ids, id);
  return k < ids.length && ids[k] === id ? k : -1;
}

/** The first position in ascending ids whose id is at least `id` (ids.length when none is). */
export function lowerBound(ids: ArrayLike<number>, id: number): number {
  let lo = 0,
    hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Every record, or only those whose ids are given (an incremental re-match reads the persons it re-clusters, not
 * the county), in record-id order.
 */
export function loadMatchData(db: Database.Database, only?: ArrayLike<number>): MatchData {
  // At most as many records as ids asked for: counting them first sought each one in the table as the reading does
  // (42,248 ids at 1,943,485 records: 0.10 s alone, 20-75 ms more per read; three reads in a roll's re-match). The
  // few ids of records that are gone leave the arrays longer than needed, and they are cut after.
  const n = only ? only.length : (db.prepare('SELECT count(*) AS n FROM record').get() as { n: number }).n;
  const d = emptyMatchData(n);
  // Rows read a slice at a time as JSON (record-rows.ts), and one string per distinct value for the columns that
  // repeat (ID status, gender, place keys, birth date): two million copies of '城关镇' cost memory and
  // garbage-collection time. A roll's kind and year come from the roll, not a join per record.
  const rolls = new Map(
    (db.prepare('SELECT id, kind, year FROM roll').all() as { id: number; kind: RollKind; year: number }[]).map((r) => [
      r.id,
      r,
    ]),
  );
  const shared = new Map<string, string>();
  const status = interner(shared, ''),
    birth = interner(shared, ''),
    gender = interner(shared, ''),
    township = interner(shared, ''),
    village = interner(shared, ''),
    rule = interner(shared, '');
  let i = 0;
  forEachRecordRow(
    db,
    SELECT_MATCH_DATA,
    (row) => {
      const idNumber = row[AT.idNumber] as string | null;
      const townshipKey = row[AT.townshipKey] as string | null;
      const householdNo = row[AT.householdNo] as string | null;
      const roll = rolls.get(row[AT.rollId] as number)!;
      d.recordId[i] = row[AT.recordId] as number;
      d.kind[i] = roll.kind;
      d.year[i] = roll.year;
      d.nameKey[i] = (row[AT.nameKey] as string | null) ?? '';
      d.namePinyin[i] = (row[AT.namePinyin] as string | null) ?? '';
      d.idNumber[i] = idNumber ?? '';
      d.idRaw[i] = idNumber ? '' : ((row[AT.idRaw] as string | null) ?? '');
      d.idStatus[i] = status(row[AT.idStatus] as string);
      d.birthDate[i] = birth(row[AT.birthDate] as string | null);
      d.gender[i] = gender(row[AT.gender] as string | null);
      d.townshipKey[i] = township(townshipKey);
      d.villageKey[i] = village(row[AT.villageKey] as string | null);
      d.householdKey[i] = householdNo ? `${townshipKey ?? ''}#${householdNo}` : '';
      d.personId[i] = (row[AT.personId] as number | null) ?? 0;
      d.linkRule![i] = rule(row[AT.linkRule] as string | null);
      d.linkScore![i] = (row[AT.linkScore] as number | null) ?? NaN;
      i++;
    },
    only,
  );
  return i < n
    ? pickMatchData(
        d,
        Array.from({ length: i }, (_, k) => k),
      )
    : d;
}

/**
 * One string per distinct value, for one column; NULL becomes `absent`. Records come roll by roll and village by
 * village, so a value often equals the row before's, and comparing with it first spares hashing it for a Map look-up.
 * With the roll's kind and year taken from the roll, loading 1,943,485 records took 6.7–7.3 s instead of 8.0–8.2 s.
 */
export function interner<A extends string | null>(
  shared: Map<string, string>,
  absent: A,
): (v: string | null) => string | A {
  let last: string | null = null,
    lastShared = '';
  return (v) => {
    if (v === null) return absent;
    if (v === '') return '';
    if (v === last) return lastShared;
    let s = shared.get(v);
    if (s === undefined) shared.set(v, (s = v));
    last = v;
    lastShared = s;
    return s;
  };
}

/**
 * Drops the string columns once the persons are clustered: what is left to do (writing persons, deriving the lists)
 * reads record ids only. Two million records' strings are most of the live heap, and V8 lets garbage pile up in
 * proportion to what is live, so the lists derived after this peak lower.
 */
export function releaseStrings(d: MatchData): void {
  d.kind = [];
  d.nameKey = [];
  d.namePinyin = [];
  d.idNumber = [];
  d.idRaw = [];
  d.idStatus = [];
  d.birthDate = [];
  d.gender = [];
  d.townshipKey = [];
  d.villageKey = [];
  d.householdKey = [];
  d.sounds = undefined;
}

function emptyMatchData(n: number): MatchData {
  return {
    n,
    recordId: new Int32Array(n),
    kind: new Array(n),
    year: new Int16Array(n),
    nameKey: new Array(n),
    namePinyin: new Array(n),
    idNumber: new Array(n),
    idRaw: new Array(n),
    idStatus: new Array(n),
    birthDate: new Array(n),
    gender: new Array(n),
    townshipKey: new Array(n),
    villageKey: new Array(n),
    householdKey: new Array(n),
    personId: new Int32Array(n),
    linkRule: new Array(n),
    linkScore: new Float64Array(n),
  };
}

function copyRecord(s: MatchData, j: number, d: MatchData, i: number): void {
  d.recordId[i] = s.recordId[j]!;
  d.kind[i] = s.kind[j]!;
  d.year[i] = s.year[j]!;
  d.nameKey[i] = s.nameKey[j]!;
  d.namePinyin[i] = s.namePinyin[j]!;
  d.idNumber[i] = s.idNumber[j]!;
  d.idRaw[i] = s.idRaw[j]!;
  d.idStatus[i] = s.idStatus[j]!;
  d.birthDate[i] = s.birthDate[j]!;
  d.gender[i] = s.gender[j]!;
  d.townshipKey[i] = s.townshipKey[j]!;
  d.villageKey[i] = s.villageKey[j]!;
  d.householdKey[i] = s.householdKey[j]!;
  d.personId[i] = s.personId[j]!;
  d.linkRule![i] = s.linkRule?.[j] ?? '';
  d.linkScore![i] = s.linkScore?.[j] ?? NaN;
  if (d.sounds) d.sounds[i] = s.sounds![j]!;
}

/** Some of a record set's records (indexes ascending, so still in record-id order). */
export function pickMatchData(s: MatchData, indexes: readonly number[]): MatchData {
  const d = emptyMatchData(indexes.length);
  if (s.sounds) d.sounds = new Array<string>(indexes.length);
  indexes.forEach((j, i) => copyRecord(s, j, d, i));
  return d;
}

/**
 * Two record sets with no record in common, as one in record-id order; `fromA` says which each came from. The sounds
 * come along when both have them.
 */
export function mergeMatchData(a: MatchData, b: MatchData): { d: MatchData; fromA: Uint8Array } {
  const n = a.n + b.n;
  const d = emptyMatchData(n);
  if (a.sounds && b.sounds) d.sounds = new Array<string>(n);
  const fromA = new Uint8Array(n);
  for (let i = 0, x = 0, y = 0; i < n; i++) {
    if (y >= b.n || (x < a.n && a.recordId[x]! < b.recordId[y]!)) {
      fromA[i] = 1;
      copyRecord(a, x++, d, i);
    } else copyRecord(b, y++, d, i);
  }
  return { d, fromA };
}

/**
 * The records of `ids` (ascending): those some record set already read holds (`read`, each in record-id order;
 * the first that holds a record gives it) are taken from it, the others read. A roll's re-match reads the region it
 * re-clusters (84,711 records after one township's roll, 42,379 of them the roll's own, read just before) at about
 * 4.5 µs a record, each at a random place in the table.
 */
export function readOrTake(db: Database.Database, ids: Int32Array, read: readonly MatchData[]): MatchData {
  const taken = read.map(() => [] as number[]);
  const missing: number[] = [];
  for (const id of ids) {
    let k = 0;
    for (; k < read.length; k++) {
      const j = indexOfId(read[k]!.recordId, id);
      if (j >= 0) {
        taken[k]!.push(j);
        break;
      }
    }
    if (k === read.length) missing.push(id);
  }
  let d = loadMatchData(db, missing);
  for (let k = 0; k < read.length; k++)
    if (taken[k]!.length) d = mergeMatchData(d, pickMatchData(read[k]!, taken[k]!)).d;
  return d;
}
