import type Database from 'better-sqlite3';

/** Record ids per statement: about 8 MB of JSON text for matching's fifteen columns. */
const SLICE = 32_768;

/**
 * Reading many records, a slice of ids at a time, each slice as one JSON text that SQLite builds
 * (json_group_array of json_array), rather than row by row. better-sqlite3 hands every row across to JavaScript as
 * an array of its own: at 1,804,893 records the fields matching reads took 13.9–14.2 s row by row against 8.3–9.0 s
 * as JSON, and four columns of 3,138,327 records 9.3 s against 5.5 s, where SQLite alone sums a column of all
 * 4,943,220 records in 0.4 s. Numbers come back exactly: SQLite writes a REAL with the digits it needs (17 at most).
 */

/** The ranges [lo, hi) of record ids that cover every record, SLICE ids each. */
export function idSlices(db: Database.Database): [number, number][] {
  const { lo, hi } = db.prepare('SELECT min(id) AS lo, max(id) AS hi FROM record').get() as {
    lo: number | null;
    hi: number | null;
  };
  const slices: [number, number][] = [];
  if (lo === null || hi === null) return slices;
  for (let from = lo; from <= hi; from += SLICE) slices.push([from, Math.min(from + SLICE, hi + 1)]);
  return slices;
}

/**
 * The statement that reads `columns` (SQL over `record c`, the record's id first) of the records with ids in [?, ?)
 * that pass `where`, as one JSON array of rows. A roll condition in `where` should be written with a unary plus
 * (`+c.roll_id IN (…)`), so that SQLite reads the slice by id instead of the roll's index.
 */
export function sliceStatement(db: Database.Database, columns: string, where?: string): Database.Statement {
  return db
    .prepare(
      `SELECT json_group_array(json_array(${columns})) FROM record c WHERE c.id >= ? AND c.id < ?${where ? ` AND (${where})` : ''}`,
    )
    .pluck();
}

/** A statement's rows (from sliceStatement or forEachRecordRow's) in ascending order of their first column, the id. */
export function jsonRows(stmt: Database.Statement, ...params: unknown[]): unknown[][] {
  const rows = JSON.parse(stmt.get(...params) as string) as unknown[][];
  // SQLite aggregates in the order it reads, which for these statements is by id; checked, as nothing promises it.
  for (let k = 1; k < rows.length; k++)
    if ((rows[k]![0] as number) < (rows[k - 1]![0] as number)) {
      rows.sort((x, y) => (x[0] as number) - (y[0] as number));
      break;
    }
  return rows;
}

/**
 * Whether a read failed only because its text was longer than SQLite (1,000,000,000 bytes) or V8 (about 536 million
 * characters) will hold: a cell may hold 32,767 characters, and a merged 村 cell is copied into every row under it.
 */
function tooLong(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'SQLITE_TOOBIG' || code === 'ERR_STRING_TOO_LONG' || e instanceof RangeError;
}

/**
 * The rows of `part` as `read` gives them, the part halved (and each half again) while its text is too long, down to
 * a single record: such records are read, a few at a time, rather than failing the match.
 */
export function rowsInParts<P>(
  part: P,
  read: (part: P) => unknown[][],
  halve: (part: P) => [P, P] | null,
): unknown[][] {
  try {
    return read(part);
  } catch (e) {
    const halves = tooLong(e) ? halve(part) : null;
    if (!halves) throw e;
    const first = rowsInParts(halves[0], read, halve);
    for (const row of rowsInParts(halves[1], read, halve)) first.push(row);
    return first;
  }
}

/** The rows of the ids in [lo, hi) through sliceStatement's statement, in record-id order. */
export function sliceRows(stmt: Database.Statement, lo: number, hi: number): unknown[][] {
  return rowsInParts(
    [lo, hi] as [number, number],
    ([a, b]) => jsonRows(stmt, a, b),
    ([a, b]): [[number, number], [number, number]] | null => {
      if (b - a < 2) return null;
      const mid = a + Math.floor((b - a) / 2);
      return [
        [a, mid],
        [mid, b],
      ];
    },
  );
}

/**
 * Visits `columns` of every record, or of the records whose ids are given, in record-id order (ids asked for that
 * no record has are skipped, and an id asked twice is read once).
 */
export function forEachRecordRow(
  db: Database.Database,
  columns: string,
  visit: (row: unknown[]) => void,
  only?: ArrayLike<number>,
): void {
  if (!only) {
    const stmt = sliceStatement(db, columns);
    for (const [lo, hi] of idSlices(db)) for (const row of sliceRows(stmt, lo, hi)) visit(row);
    return;
  }
  let ids = Int32Array.from(only);
  for (let k = 1; k < ids.length; k++)
    if (ids[k]! < ids[k - 1]!) {
      ids = ids.sort();
      break;
    }
  // The ids as a JSON array that drives the join (CROSS JOIN keeps json_each the outer loop, in the array's order):
  // each record is found by its id, without a temporary table. Reading the ids' whole range instead was no quicker
  // for every id of it (4,000,000 records: 23.4 s against 23.9 s) and slower for sparser ids.
  const stmt = db
    .prepare(
      `SELECT json_group_array(json_array(${columns})) FROM json_each(?) j CROSS JOIN record c ON c.id = j.value`,
    )
    .pluck();
  for (let k = 0; k < ids.length;) {
    const slice: number[] = [];
    for (; k < ids.length && slice.length < SLICE; k++) if (k === 0 || ids[k] !== ids[k - 1]) slice.push(ids[k]!);
    const rows = rowsInParts(
      slice,
      (part) => jsonRows(stmt, JSON.stringify(part)),
      (part) => (part.length < 2 ? null : [part.slice(0, part.length >> 1), part.slice(part.length >> 1)]),
    );
    for (const row of rows) visit(row);
  }
}
