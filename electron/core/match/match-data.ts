import type Database from 'better-sqlite3';
import type { RollKind } from '../../../shared/domain/types';

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
}

interface Row {
  recordId: number;
  kind: RollKind;
  year: number;
  nameKey: string;
  namePinyin: string;
  idNumber: string | null;
  idRaw: string;
  idStatus: string;
  birthDate: string | null;
  gender: string | null;
  townshipKey: string | null;
  villageKey: string | null;
  householdNo: string | null;
  personId: number | null;
}

const SELECT_MATCH_DATA = `SELECT c.id AS recordId, r.kind AS kind, r.year AS year, c.name_key AS nameKey, c.name_pinyin AS namePinyin,
    c.id_number AS idNumber, c.id_raw AS idRaw, c.id_status AS idStatus, c.birth_date AS birthDate, c.gender AS gender,
    c.township_key AS townshipKey, c.village_key AS villageKey, c.household_no AS householdNo, c.person_id AS personId
  FROM record c JOIN roll r ON r.id = c.roll_id ORDER BY c.id`;

export function loadMatchData(db: Database.Database): MatchData {
  const n = (db.prepare('SELECT count(*) AS n FROM record').get() as { n: number }).n;
  const d: MatchData = {
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
  };
  let i = 0;
  for (const row of db.prepare(SELECT_MATCH_DATA).iterate() as IterableIterator<Row>) {
    d.recordId[i] = row.recordId;
    d.kind[i] = row.kind;
    d.year[i] = row.year;
    d.nameKey[i] = row.nameKey;
    d.namePinyin[i] = row.namePinyin;
    d.idNumber[i] = row.idNumber ?? '';
    d.idRaw[i] = row.idNumber ? '' : row.idRaw;
    d.idStatus[i] = row.idStatus;
    d.birthDate[i] = row.birthDate ?? '';
    d.gender[i] = row.gender ?? '';
    d.townshipKey[i] = row.townshipKey ?? '';
    d.villageKey[i] = row.villageKey ?? '';
    d.householdKey[i] = row.householdNo ? `${row.townshipKey ?? ''}#${row.householdNo}` : '';
    d.personId[i] = row.personId ?? 0;
    i++;
  }
  return d;
}
