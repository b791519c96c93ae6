import type Database from 'better-sqlite3';
import type { RollKind } from '../../../shared/domain/types';

/** The fields matching needs, held column-wise: two million records must fit comfortably in memory. */
export interface MatchData {
  n: number;
  recordId: Int32Array;
  rollKind: RollKind[];
  year: Int16Array;
  nameKey: string[];
  pinyin: string[];
  /** Trusted 18-digit number (valid or converted15), else ''. */
  id18: string[];
  /** The cleaned number as typed when it is not trusted (bad checksum, damaged, malformed), else ''. */
  idTyped: string[];
  idStatus: string[];
  birth: string[];
  gender: string[];
  townshipKey: string[];
  villageKey: string[];
  household: string[];
  previousPerson: Int32Array;
}

interface Row {
  id: number; kind: RollKind; year: number; name_key: string; name_pinyin: string; id_number: string | null; id_raw: string;
  id_status: string; birth_date: string | null; gender: string | null; township_key: string | null; village_key: string | null;
  household_no: string | null; person_id: number | null;
}

export function loadMatchData(db: Database.Database): MatchData {
  const n = (db.prepare('SELECT count(*) AS n FROM record').get() as { n: number }).n;
  const d: MatchData = {
    n, recordId: new Int32Array(n), rollKind: new Array(n), year: new Int16Array(n), nameKey: new Array(n), pinyin: new Array(n),
    id18: new Array(n), idTyped: new Array(n), idStatus: new Array(n), birth: new Array(n), gender: new Array(n),
    townshipKey: new Array(n), villageKey: new Array(n), household: new Array(n), previousPerson: new Int32Array(n),
  };
  const stmt = db.prepare(`SELECT c.id, r.kind, r.year, c.name_key, c.name_pinyin, c.id_number, c.id_raw, c.id_status, c.birth_date, c.gender,
      c.township_key, c.village_key, c.household_no, c.person_id
    FROM record c JOIN roll r ON r.id = c.roll_id ORDER BY c.id`);
  let i = 0;
  for (const row of stmt.iterate() as IterableIterator<Row>) {
    d.recordId[i] = row.id;
    d.rollKind[i] = row.kind;
    d.year[i] = row.year;
    d.nameKey[i] = row.name_key;
    d.pinyin[i] = row.name_pinyin;
    d.id18[i] = row.id_number ?? '';
    d.idTyped[i] = row.id_number ? '' : row.id_raw;
    d.idStatus[i] = row.id_status;
    d.birth[i] = row.birth_date ?? '';
    d.gender[i] = row.gender ?? '';
    d.townshipKey[i] = row.township_key ?? '';
    d.villageKey[i] = row.village_key ?? '';
    // A household number means something only inside its township.
    d.household[i] = row.household_no ? `${row.township_key ?? ''}#${row.household_no}` : '';
    d.previousPerson[i] = row.person_id ?? 0;
    i++;
  }
  return d;
}
