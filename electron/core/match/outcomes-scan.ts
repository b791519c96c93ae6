import type Database from 'better-sqlite3';
import type { RollKind } from '../../../shared/domain/types';
import { interner } from './match-data';
import { idSlices, sliceRows, sliceStatement } from './record-rows';
import type { OutcomeRecord, PersonRecords } from './outcomes';

/** One person's records as the lists need them: all years' in sum, the match and base years' one by one. */
export type PersonSink = (person: PersonRecords, current: OutcomeRecord[]) => void;

/**
 * Every person's records read in record-id order (two passes side by side), then each person in person-id order.
 *
 * Why not one query per slice of persons: that reads each record through the person index, at a random place of a
 * 780 MB table, and SQLite groups the other years' records again. At 1,000,000 people (1,943,485 records) deriving
 * the lists that way took 13.5 s, 3.3 s of it the grouping query; a new year's link over six years' records took
 * 61–84 s. Only the match and base years' records are read in full; of the others the pass keeps what PersonRecords
 * says: how many, the earliest, the first ID number and the special groups.
 */
export function scanPersons(db: Database.Database, year: number, baseYear: number | null, sink: PersonSink): void {
  const y2 = baseYear ?? year;
  const maxPerson = (db.prepare('SELECT max(person_id) FROM record').pluck().get() as number | null) ?? 0;
  // The rolls by id, not joined per record (0.3 s of a 3.9 s pass at 1,943,485 records).
  const rolls = db.prepare('SELECT id, year, kind FROM roll').all() as { id: number; year: number; kind: RollKind }[];
  const rollOf = new Map(rolls.map((r) => [r.id, r]));
  // Roll ids are integers read from the workspace itself, so they are written into the SQL, not bound (0: none).
  const current = rolls.filter((r) => r.year === year || r.year === y2).map((r) => r.id);
  const rollIds = current.join(',') || '0';
  // With a unary plus each slice is read by id, not through the roll index (record-rows.ts sliceStatement).
  const isCurrent = `+c.roll_id IN (${rollIds})`;
  // At most the current rolls' records (counted on the roll index, without reading a row).
  const n = db.prepare(`SELECT count(*) FROM record c WHERE c.roll_id IN (${rollIds})`).pluck().get() as number;
  // Per person, indexed by person id.
  const count = new Int32Array(maxPerson + 1);
  const earliest = new Int32Array(maxPerson + 1);
  const idNumber: (string | undefined)[] = new Array(maxPerson + 1);
  const specialGroups: (string | undefined)[] = new Array(maxPerson + 1);
  // The match and base years' records, column-wise in record-id order: two million objects would outlive the young
  // generation, and V8 lets garbage pile up in proportion to what is live.
  const cur = {
    n: 0,
    id: new Int32Array(n),
    personId: new Int32Array(n),
    year: new Int16Array(n),
    kind: new Array<RollKind>(n),
    name: new Array<string>(n),
    township: new Array<string | null>(n),
    townshipKey: new Array<string | null>(n),
    village: new Array<string | null>(n),
    villageKey: new Array<string | null>(n),
    insuredStatus: new Array<string | null>(n),
  };
  // One string per distinct place or status, as loadMatchData keeps them: two million copies of '城关镇' cost memory.
  const shared = new Map<string, string>();
  const township = interner(shared, null),
    townshipKey = interner(shared, null),
    village = interner(shared, null),
    villageKey = interner(shared, null),
    insuredStatus = interner(shared, null);
  // Two reads side by side in record-id order, a slice of ids at a time as JSON (record-rows.ts): the other years'
  // records with the four columns the lists take from them, the match and base years' with all. Over six years'
  // 4,943,220 records, one read returning every column for every record (NULL where not needed) took 10.9 s, the two
  // row by row 3.8 s and 3.9 s on a quiet machine; as JSON the link's lists went from 38.9 to 30.7 s on a slow one.
  const others = sliceStatement(
    db,
    'c.id, c.person_id, c.id_number, c.special_groups',
    `c.person_id IS NOT NULL AND NOT ${isCurrent}`,
  );
  const mine = sliceStatement(
    db,
    'c.id, c.person_id, c.id_number, c.special_groups, c.roll_id, c.name, c.township, c.township_key, c.village, c.village_key, c.insured_status',
    `c.person_id IS NOT NULL AND ${isCurrent}`,
  );
  for (const [lo, hi] of idSlices(db)) {
    const otherRows = sliceRows(others, lo, hi),
      ownRows = sliceRows(mine, lo, hi);
    for (let x = 0, y = 0; x < otherRows.length || y < ownRows.length;) {
      const isOwn =
        x >= otherRows.length || (y < ownRows.length && (ownRows[y]![0] as number) < (otherRows[x]![0] as number));
      const row = isOwn ? ownRows[y++]! : otherRows[x++]!;
      const id = row[0] as number,
        p = row[1] as number;
      if (count[p] === 0) earliest[p] = id;
      count[p]!++;
      const idn = row[2] as string | null;
      if (idn && idNumber[p] === undefined) idNumber[p] = idn;
      const groups = row[3] as string | null;
      if (groups !== null) specialGroups[p] = specialGroups[p] === undefined ? groups : `${specialGroups[p]},${groups}`;
      if (!isOwn) continue;
      const k = cur.n++;
      cur.id[k] = id;
      cur.personId[k] = p;
      const roll = rollOf.get(row[4] as number)!;
      cur.year[k] = roll.year;
      cur.kind[k] = roll.kind;
      cur.name[k] = row[5] as string;
      cur.township[k] = township(row[6] as string | null);
      cur.townshipKey[k] = townshipKey(row[7] as string | null);
      cur.village[k] = village(row[8] as string | null);
      cur.villageKey[k] = villageKey(row[9] as string | null);
      cur.insuredStatus[k] = insuredStatus(row[10] as string | null);
    }
  }

  // The current records grouped by person, in record-id order within each (a stable counting sort).
  const start = new Int32Array(maxPerson + 2);
  for (let k = 0; k < cur.n; k++) start[cur.personId[k]! + 1]!++;
  for (let p = 0; p <= maxPerson; p++) start[p + 1]! += start[p]!;
  const order = new Int32Array(cur.n);
  const fill = start.slice(0, maxPerson + 1);
  for (let k = 0; k < cur.n; k++) order[fill[cur.personId[k]!]!++] = k;

  const recordAt = (k: number): OutcomeRecord => ({
    id: cur.id[k]!,
    personId: cur.personId[k]!,
    kind: cur.kind[k]!,
    year: cur.year[k]!,
    name: cur.name[k]!,
    township: cur.township[k]!,
    townshipKey: cur.townshipKey[k]!,
    village: cur.village[k]!,
    villageKey: cur.villageKey[k]!,
    insuredStatus: cur.insuredStatus[k]!,
  });
  for (let p = 1; p <= maxPerson; p++) {
    if (count[p] === 0) continue;
    const current: OutcomeRecord[] = [];
    for (let x = start[p]!; x < start[p + 1]!; x++) current.push(recordAt(order[x]!));
    sink(
      {
        personId: p,
        records: count[p]!,
        earliest: earliest[p]!,
        idNumber: idNumber[p] ?? null,
        specialGroups: specialGroups[p] ?? null,
      },
      current,
    );
  }
}
