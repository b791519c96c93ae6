/**
 * The match state keeps every record's id and keys in chunks of record ids, and a re-match after a roll writes only
 * the chunks whose records came or went (electron/core/match/record-chunks.ts). Whatever the rolls did, the state
 * must read back as if it had been written whole: checked on random histories (fast-check, seed printed below) of
 * rolls removed and imported, including SQLite handing the ids of the last rows removed to the next rows inserted,
 * where an id stays and its record changes.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chunksTouched,
  readRecordIds,
  readRecordKeys,
  writeRecordChunks,
} from '../../electron/core/match/record-chunks';
import { KEY_KINDS, type RecordKeys } from '../../electron/core/match/record-keys';
import { PROPERTY_SEED } from '../helpers/seed';

const K = KEY_KINDS.length;
const SPAN = 1 << 16;

/** A record: its id and a version, from which its keys follow (another version under the same id: another record). */
interface Rec {
  id: number;
  version: number;
}

function keysOf(recs: Rec[]): { ids: Int32Array; keys: RecordKeys } {
  const n = recs.length;
  const hashes = new Uint32Array(K * n);
  const content = new Uint32Array(n);
  const queryOwner: number[] = [],
    queryHash: number[] = [];
  recs.forEach((r, p) => {
    const h = (salt: number) => (Math.imul(r.id * 31 + r.version, 0x9e3779b1) ^ salt) >>> 0;
    content[p] = h(7);
    for (let kind = 0; kind < K; kind++) hashes[kind * n + p] = (r.id + r.version) % 3 === kind % 3 ? 0 : h(kind);
    for (let q = 0; q < (r.id + r.version) % 3; q++) {
      queryOwner.push(r.id);
      queryHash.push(h(100 + q));
    }
  });
  return {
    ids: Int32Array.from(recs, (r) => r.id),
    keys: { hashes, content, queryOwner: Int32Array.from(queryOwner), queryHash: Uint32Array.from(queryHash) },
  };
}

function stateTable(): Database.Database {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE match_state (key TEXT PRIMARY KEY, value BLOB NOT NULL)');
  return db;
}

/** A roll: ids spread over several chunks, so that removing it leaves some chunks partly held. */
const roll = fc
  .integer({ min: 1, max: 3 * SPAN })
  .chain((start) => fc.integer({ min: 1, max: 300 }).map((size) => ({ start, size, stride: 1 + (start % 997) })));
const step = fc.oneof(
  fc.record({ kind: fc.constant('import' as const), roll }),
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  // The last rows removed and their ids given to the next import (SQLite's rowid after the largest rows go).
  fc.record({ kind: fc.constant('reimportLast' as const) }),
);

describe(`比对状态按记录编号分块保存：只写变了的块，读回与整块写入相同（fast-check seed ${PROPERTY_SEED}）`, () => {
  it('reads back every id and key after any history of rolls removed and imported', () => {
    fc.assert(
      fc.property(fc.array(roll, { minLength: 1, maxLength: 4 }), fc.array(step, { maxLength: 8 }), (first, steps) => {
        let version = 0;
        const rolls: Rec[][] = [];
        const importRoll = (r: { start: number; size: number; stride: number }) => {
          const taken = new Set(rolls.flat().map((x) => x.id));
          const recs: Rec[] = [];
          for (let k = 0, id = r.start; k < r.size; k++, id += r.stride) if (!taken.has(id)) recs.push({ id, version });
          version++;
          rolls.push(recs);
        };
        const all = () => rolls.flat().sort((x, y) => x.id - y.id);
        for (const r of first) importRoll(r);
        const db = stateTable();
        let stored = keysOf(all());
        writeRecordChunks(db, stored.ids, stored.keys);
        for (const s of steps) {
          let added: Rec[] = [];
          if (s.kind === 'import') {
            importRoll(s.roll);
            added = rolls[rolls.length - 1]!;
          } else if (rolls.length) {
            const at = s.kind === 'remove' ? s.pick % rolls.length : rolls.length - 1;
            const [gone] = rolls.splice(at, 1);
            if (s.kind === 'reimportLast') {
              added = gone!.map((r) => ({ id: r.id, version }));
              version++;
              rolls.push(added);
            }
          }
          const now = keysOf(all());
          const addedIds = Int32Array.from(added, (r) => r.id).sort();
          writeRecordChunks(db, now.ids, now.keys, chunksTouched(stored.ids, now.ids, addedIds));
          stored = now;
          const ids = readRecordIds(db) ?? new Int32Array(0);
          expect([...ids]).toEqual([...now.ids]);
          const keys = readRecordKeys(db, ids.length);
          expect(keys.hashes).toEqual(now.keys.hashes);
          expect(keys.content).toEqual(now.keys.content);
          expect(keys.queryOwner).toEqual(now.keys.queryOwner);
          expect(keys.queryHash).toEqual(now.keys.queryHash);
        }
        db.close();
      }),
      { numRuns: 60 },
    );
  });

  it('writes only the chunks a replaced roll touched', () => {
    const db = stateTable();
    const recs = (from: number, to: number, v: number) =>
      Array.from({ length: to - from }, (_, k): Rec => ({ id: from + k, version: v }));
    const before = keysOf([...recs(1, 3 * SPAN, 0), ...recs(3 * SPAN, 3 * SPAN + 100, 0)]);
    writeRecordChunks(db, before.ids, before.keys);
    const written = () =>
      db.prepare('SELECT key, value FROM match_state ORDER BY key').raw(true).all() as [string, Buffer][];
    const was = new Map(written().map(([k, v]) => [k, Buffer.from(v)]));
    // The roll at the end (ids 3·SPAN…) is replaced: its ids are given out again to the new import.
    const after = keysOf([...recs(1, 3 * SPAN, 0), ...recs(3 * SPAN, 3 * SPAN + 100, 1)]);
    const touched = chunksTouched(
      before.ids,
      after.ids,
      Int32Array.from(recs(3 * SPAN, 3 * SPAN + 100, 1), (r) => r.id),
    );
    expect([...touched]).toEqual([3]);
    const changes = () => db.prepare('SELECT total_changes()').pluck().get() as number;
    const changesBefore = changes();
    writeRecordChunks(db, after.ids, after.keys, touched);
    // Chunk 3's two rows deleted and written again, and no other row touched.
    expect(changes() - changesBefore).toBe(4);
    const changed = written()
      .filter(([k, v]) => !was.get(k)?.equals(v))
      .map(([k]) => k);
    expect(changed).toEqual(['keyChunk#00003']);
    db.close();
  });
});
