import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Statement } from 'better-sqlite3';
import { forEachRecordRow, idSlices, jsonRows, sliceRows, sliceStatement } from '../../electron/core/match/record-rows';

/** A record table with what JSON must carry unchanged: scores, NULLs, quotes, line breaks, rare characters. */
function table() {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE record (id INTEGER PRIMARY KEY, roll_id INTEGER, name TEXT, link_score REAL)');
  const put = db.prepare('INSERT INTO record VALUES (?, ?, ?, ?)');
  const odd = ['张"三', '李\\四', '王\n五', '𠀀𪚥', '阿卜杜·热合曼', ''];
  db.transaction(() => {
    // 70,000 records with gaps in their ids, over more than two slices of ids.
    for (let k = 0; k < 70_000; k++) {
      const id = 3 + k + Math.floor(k / 7) * 2;
      put.run(id, 1 + (k % 3), odd[k % odd.length], k % 5 === 0 ? null : (k * 0.01 + 0.1 + 0.2) * (k % 2 ? -1 : 1));
    }
  })();
  const expected = db
    .prepare('SELECT id, roll_id, name, link_score FROM record c ORDER BY id')
    .raw(true)
    .all() as unknown[][];
  return { db, expected };
}

describe('读取大量记录：按编号分段、以 JSON 取回', () => {
  it('gives every record once, in record-id order, with its values exactly as stored', () => {
    const { db, expected } = table();
    const rows: unknown[][] = [];
    forEachRecordRow(db, 'c.id, c.roll_id, c.name, c.link_score', (row) => rows.push(row));
    expect(idSlices(db).length).toBeGreaterThan(2);
    expect(rows).toEqual(expected);
  });

  it('gives the records asked for once each, in record-id order, however the ids were asked', () => {
    const { db, expected } = table();
    const wanted = expected.filter((_, k) => k % 3 === 0 || k > 60_000);
    const top = expected.at(-1)![0] as number;
    // Backwards, one id twice, and ids no record has.
    const asked = [top + 4, ...wanted.map((r) => r[0] as number).reverse(), wanted[10]![0] as number, 1, top + 40];
    const rows: unknown[][] = [];
    forEachRecordRow(db, 'c.id, c.roll_id, c.name, c.link_score', (row) => rows.push(row), asked);
    expect(rows).toEqual(wanted);
  });

  it('reads a slice under a condition, a roll written with a unary plus', () => {
    const { db, expected } = table();
    const stmt = sliceStatement(db, 'c.id, c.name', '+c.roll_id IN (2, 3)');
    const rows = idSlices(db).flatMap(([lo, hi]) => jsonRows(stmt, lo, hi));
    expect(rows).toEqual(expected.filter((r) => r[1] !== 1).map((r) => [r[0], r[2]]));
  });

  it('reads a slice whose text is too long for one string in halves, and gives the same rows', () => {
    // A merged 村 cell of thousands of characters copied into every row can pass SQLite's 1 GB: simulated here by a
    // statement that refuses more than 1,000 ids at once, as SQLite does (SQLITE_TOOBIG).
    const { db, expected } = table();
    const real = sliceStatement(db, 'c.id, c.roll_id, c.name, c.link_score');
    let refused = 0;
    const small = {
      get: (lo: number, hi: number) => {
        if (hi - lo <= 1_000) return real.get(lo, hi);
        refused++;
        throw Object.assign(new Error('string or blob too big'), { code: 'SQLITE_TOOBIG' });
      },
    } as unknown as Statement;
    const rows = idSlices(db).flatMap(([lo, hi]) => sliceRows(small, lo, hi));
    expect(refused).toBeGreaterThan(0);
    expect(rows).toEqual(expected);
    // Any other failure is not a matter of length: it is not retried.
    const broken = {
      get: () => {
        throw new Error('disk I/O error');
      },
    } as unknown as Statement;
    expect(() => sliceRows(broken, 1, 70_000)).toThrow('disk I/O error');
  });
});
