import type Database from 'better-sqlite3';
import { parseIdNumber } from '../../../shared/id/id-number';
import { villageKey } from '../../../shared/place/place-key';
import { normalizeName } from '../../../shared/text/name';
import { cellText } from '../import/source';
import type { RoundTripFacts, Resolver } from './round-trip-facts';
import type { ReturnField, ReturnFile, ReturnRow } from './returns-read';

/** Who a returned row names, as the row is checked against them. */
export interface Person {
  personId: number;
  name: string;
  idNumber: string | null;
  villageKey: string | null;
}

/** What a row is first looked at by: its 人员编号 as written, and the person id it gives (null when none). */
export interface RowKey {
  personNo: string;
  personNumber: number | null;
}

export const nameKey = (s: string) => normalizeName(s).replace(/·/g, '');

/** A masked number as dispatched (610923********1234) fits a full one when every shown character agrees. */
export function fitsMasked(masked: string, full: string): boolean {
  if (masked.length !== full.length) return false;
  for (let i = 0; i < masked.length; i++) if (masked[i] !== '*' && masked[i] !== full[i]) return false;
  return true;
}

/**
 * The village a row is about: its 村 column, else the sheet's name (a sheet per village, as dispatched) without a
 * township's note such as "（已核实）" added when renaming it.
 */
export function rowVillage(r: ReturnRow): string {
  return villageKey(cellText(r.cells.village) || r.sheet.replace(/[（(【[].*?[)）】\]]/g, '').trim());
}

/** 人员编号 as the ledger writes it (P00901662) → the person id, or null when it is not one. */
export function personNumber(text: string): number | null {
  const m = text.match(/^P?0*(\d{1,9})$/i);
  return m ? Number(m[1]) : null;
}

/** Each row's 人员编号, read once for the passes that need it (the persons to read, the files' townships, the rows). */
export function rowKeys(files: readonly { file: ReturnFile }[]): RowKey[][] {
  return files.map(({ file }) =>
    file.rows.map((r) => {
      const personNo = cellText(r.cells.personNo);
      return { personNo, personNumber: personNo ? personNumber(personNo) : null };
    }),
  );
}

/** The persons a row without 人员编号 can be: by full ID number, and by name within the row's village (in the base). */
export interface RowLookups {
  byIdNumber: Map<string, number[]>;
  byNameVillage: Map<string, number[]>;
  /** Persons found here that the round-trip facts do not hold. */
  persons: Map<number, Person>;
}

/** The share of the base living in these places (township and village keys), by the counts the last match kept. */
function shareOfBase(db: Database.Database, places: ReadonlySet<string>): number {
  let all = 0;
  let wanted = 0;
  const rows = db.prepare('SELECT township AS t, village AS v, base FROM village_base').all() as {
    t: string;
    v: string;
    base: number;
  }[];
  for (const r of rows) {
    all += r.base;
    if (places.has(`${r.t}\u001f${r.v}`)) wanted += r.base;
  }
  return all ? wanted / all : 0;
}

/**
 * Rows without a 人员编号 are found by ID number or by name + village: the persons those name are read in a few
 * statements that SQLite filters (not a million names normalised here), before any row is applied.
 */
export function rowLookups(
  db: Database.Database,
  files: readonly { file: ReturnFile }[],
  keys: readonly RowKey[][],
  facts: RoundTripFacts & { resolve: Resolver },
): RowLookups {
  const byIdNumber = new Map<string, number[]>();
  const byNameVillage = new Map<string, number[]>();
  const persons = new Map<number, Person>();
  const wantIds = new Set<string>();
  // Per village, the names its rows without 人员编号 give (as written, normalised and without the middle dot).
  const wantNames = new Map<string, Set<string>>();
  // (township, village) pairs the name rows are in: a returned file is one township's, known from the rows that
  // carry a 人员编号; a file without any is looked for in every township.
  const wantPlaces = new Set<string>();
  let allTownships: Set<string> | undefined;
  const everyTownship = () => {
    if (allTownships) return allTownships;
    allTownships = new Set<string>();
    for (const p of facts.persons.values()) allTownships.add(p.township);
    for (const t of db.prepare('SELECT DISTINCT township FROM village_base').pluck().all() as string[])
      allTownships.add(t);
    return allTownships;
  };
  for (const [f, { file }] of files.entries()) {
    const fileKeys = keys[f]!;
    if (fileKeys.every((k) => k.personNo)) continue;
    const townships = new Set<string>();
    for (const k of fileKeys) {
      const p = k.personNumber !== null ? facts.resolve(k.personNumber, null) : null;
      const t = p !== null ? facts.persons.get(p)?.township : undefined;
      if (t !== undefined) townships.add(t);
    }
    for (const [i, r] of file.rows.entries()) {
      if (fileKeys[i]!.personNo) continue;
      const idText = cellText(r.cells.idNumber).replace(/\s/g, '');
      const parsed = idText && !idText.includes('*') ? parseIdNumber(idText) : null;
      if (parsed?.idNumber) wantIds.add(parsed.idNumber);
      const name = cellText(r.cells.name);
      if (!name) continue;
      const village = rowVillage(r);
      for (const t of townships.size ? townships : everyTownship()) wantPlaces.add(`${t}\u001f${village}`);
      const names = wantNames.get(village) ?? wantNames.set(village, new Set()).get(village)!;
      for (const n of [name, normalizeName(name), nameKey(name)]) names.add(n);
    }
  }
  type Found = { personId: number; name: string; idNumber: string | null; v: string | null; b: number };
  const columns = 'person_id AS personId, name, id_number AS idNumber, village_key AS v, in_base AS b';
  const found: Found[] = [];
  if (wantIds.size)
    found.push(
      ...(db
        .prepare(`SELECT ${columns} FROM person_status WHERE id_number IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify([...wantIds])) as Found[]),
    );
  if (wantNames.size && shareOfBase(db, wantPlaces) > 1 / 3) {
    // Rows by name in most of a county's villages (a hand-added row in each): one pass over every person, 0.2 µs a
    // row, costs less than each village's persons read through the place index, 0.6 µs a row.
    const all = new Set<string>();
    for (const names of wantNames.values()) for (const n of names) all.add(n);
    const named = db
      .prepare(
        `SELECT ${columns}, coalesce(township_key, '') AS t FROM person_status
        WHERE name IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify([...all])) as (Found & { t: string })[];
    for (const p of named) {
      const v = p.v ?? '';
      if (wantPlaces.has(`${p.t}\u001f${v}`) && wantNames.get(v)?.has(p.name)) found.push(p);
    }
  } else if (wantNames.size) {
    // Village by village through the place index (each village's ~1,600 persons are read), each searched for the
    // names its own rows give only.
    const where = `AND name IN (SELECT value FROM json_each(?))`;
    const inVillage = db.prepare(
      `SELECT ${columns} FROM person_status WHERE township_key = ? AND village_key = ? ${where}`,
    );
    // A place not written on the rolls is '' here and NULL in person_status: no index, but rare.
    const inUnnamed = db.prepare(
      `SELECT ${columns} FROM person_status WHERE coalesce(township_key, '') = ? AND coalesce(village_key, '') = ? ${where}`,
    );
    for (const place of wantPlaces) {
      const [t, v] = place.split('\u001f') as [string, string];
      const names = JSON.stringify([...(wantNames.get(v) ?? [])]);
      found.push(...((t && v ? inVillage : inUnnamed).all(t, v, names) as Found[]));
    }
  }
  for (const p of found) {
    persons.set(p.personId, { personId: p.personId, name: p.name, idNumber: p.idNumber, villageKey: p.v });
    if (p.idNumber && wantIds.has(p.idNumber)) {
      const list = byIdNumber.get(p.idNumber) ?? byIdNumber.set(p.idNumber, []).get(p.idNumber)!;
      if (!list.includes(p.personId)) list.push(p.personId);
    }
    if (p.b) {
      const k = `${nameKey(p.name)}|${p.v ?? ''}`;
      const list = byNameVillage.get(k) ?? byNameVillage.set(k, []).get(k)!;
      if (!list.includes(p.personId)) list.push(p.personId);
    }
  }
  return { byIdNumber, byNameVillage, persons };
}

export type ProblemAt = (field: ReturnField | null, message: string) => void;
