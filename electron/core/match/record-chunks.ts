import type Database from 'better-sqlite3';
import { KEY_KINDS, type RecordKeys } from './record-keys';

/**
 * The match state's records (their ids) and their keys, stored in chunks of 65,536 record ids (`idChunk#00012`,
 * `keyChunk#00012`). A record never changes: a roll is imported or removed whole. So a re-match after a roll rewrites
 * only the chunks whose records came or went, not every record's keys. At 1,000,000 people (1,943,485 records) the
 * ids and keys take 101 MB; writing them whole cost 0.4–1.4 s of a 9.5 s re-match after one township's roll.
 *
 * The names end in `#` and five digits, as the parts of the state's arrays do: migration 10 keeps such rows.
 */
const SPAN = 1 << 16;
const K = KEY_KINDS.length;
const ID_CHUNK = 'idChunk';
const KEY_CHUNK = 'keyChunk';
/** The parts of the state's arrays before the chunks: dropped when a full match writes the chunks. */
const LEGACY = ['recordIds', 'keyHashes', 'queryHash', 'queryOwner', 'content'];

const chunkOf = (rid: number) => Math.floor(rid / SPAN);
const chunkName = (family: string, c: number) => `${family}#${String(c).padStart(5, '0')}`;
const familyRange = (family: string) => [`${family}#`, `${family}$`]; // '#' < '$'

/**
 * The chunks a change touched: those of every id only one of the two lists holds, and of every added record (SQLite
 * gives the ids of the last rows removed to the next rows inserted, so an id may stay and its record change).
 */
export function chunksTouched(before: Int32Array, after: Int32Array, added: Int32Array): Set<number> {
  const touched = new Set<number>();
  for (let i = 0, j = 0; i < before.length || j < after.length;) {
    const x = i < before.length ? before[i]! : Infinity,
      y = j < after.length ? after[j]! : Infinity;
    if (x === y) {
      i++;
      j++;
    } else if (x < y) touched.add(chunkOf(before[i++]!));
    else touched.add(chunkOf(after[j++]!));
  }
  for (const rid of added) touched.add(chunkOf(rid));
  return touched;
}

/**
 * Writes the records' ids and keys (`recordIds` ascending; `keys.queryOwner` ascending), every chunk or only the
 * chunks `only` names; a chunk named that no longer holds a record is removed.
 */
export function writeRecordChunks(
  db: Database.Database,
  recordIds: Int32Array,
  keys: RecordKeys,
  only?: ReadonlySet<number>,
): void {
  const n = recordIds.length;
  const drop = db.prepare('DELETE FROM match_state WHERE key = ?');
  if (!only)
    for (const family of [ID_CHUNK, KEY_CHUNK, ...LEGACY])
      db.prepare('DELETE FROM match_state WHERE key >= ? AND key < ?').run(...familyRange(family));
  else
    for (const c of only) {
      drop.run(chunkName(ID_CHUNK, c));
      drop.run(chunkName(KEY_CHUNK, c));
    }
  const put = db.prepare('INSERT INTO match_state (key, value) VALUES (?, ?)');
  for (let p0 = 0, q0 = 0; p0 < n;) {
    const c = chunkOf(recordIds[p0]!);
    let p1 = p0;
    while (p1 < n && chunkOf(recordIds[p1]!) === c) p1++;
    let q1 = q0;
    while (q1 < keys.queryOwner.length && keys.queryOwner[q1]! < (c + 1) * SPAN) {
      // Out of order, a number would be stored in another record's chunk and lost when that chunk is rewritten.
      if (q1 > 0 && keys.queryOwner[q1]! < keys.queryOwner[q1 - 1]!) throw new Error('looked-up numbers out of order');
      q1++;
    }
    if (!only || only.has(c)) {
      const m = p1 - p0,
        qm = q1 - q0;
      const out = new Uint32Array(2 + m * (K + 1) + 2 * qm);
      out[0] = m;
      out[1] = qm;
      out.set(keys.content.subarray(p0, p1), 2);
      for (let kind = 0; kind < K; kind++)
        out.set(keys.hashes.subarray(kind * n + p0, kind * n + p1), 2 + m * (kind + 1));
      const at = 2 + m * (K + 1);
      out.set(keys.queryOwner.subarray(q0, q1), at);
      out.set(keys.queryHash.subarray(q0, q1), at + qm);
      put.run(chunkName(ID_CHUNK, c), bytes(recordIds.subarray(p0, p1)));
      put.run(chunkName(KEY_CHUNK, c), bytes(out));
    }
    p0 = p1;
    q0 = q1;
  }
}

const bytes = (v: ArrayBufferView): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

/** A blob as 32-bit words, copied only when SQLite's buffer does not start on a word. */
function words(b: Buffer): Uint32Array {
  if (b.byteOffset % 4 === 0) return new Uint32Array(b.buffer, b.byteOffset, b.length / 4);
  return new Uint32Array(Uint8Array.from(b).buffer);
}

function chunkRows(db: Database.Database, family: string): IterableIterator<[string, Buffer]> {
  return db
    .prepare('SELECT key, value FROM match_state WHERE key >= ? AND key < ? ORDER BY key')
    .raw(true)
    .iterate(...familyRange(family)) as IterableIterator<[string, Buffer]>;
}

/** The stored records' ids, ascending, or null when the state has no chunks (an older state: a full match is due). */
export function readRecordIds(db: Database.Database): Int32Array | null {
  const [from, to] = familyRange(ID_CHUNK);
  const total = db
    .prepare(
      'SELECT count(*) AS chunks, coalesce(sum(length(value)), 0) AS size FROM match_state WHERE key >= ? AND key < ?',
    )
    .get(from, to) as { chunks: number; size: number };
  if (!total.chunks) return null;
  const out = new Int32Array(total.size / 4);
  let at = 0;
  for (const [, value] of chunkRows(db, ID_CHUNK)) {
    const w = words(value);
    out.set(new Int32Array(w.buffer, w.byteOffset, w.length), at);
    at += w.length;
  }
  return out;
}

/** Whether every chunk of ids has its chunk of keys (and no other chunk of keys is stored). */
export function chunksComplete(db: Database.Database): boolean {
  const names = (family: string) =>
    (
      db
        .prepare('SELECT key FROM match_state WHERE key >= ? AND key < ? ORDER BY key')
        .pluck()
        .all(...familyRange(family)) as string[]
    ).map((k) => k.slice(family.length));
  return JSON.stringify(names(ID_CHUNK)) === JSON.stringify(names(KEY_CHUNK));
}

/** The stored records' keys, for the `n` records readRecordIds gives, in the same order. */
export function readRecordKeys(db: Database.Database, n: number): RecordKeys {
  const hashes = new Uint32Array(K * n);
  const content = new Uint32Array(n);
  const queryParts: Uint32Array[] = [];
  let at = 0;
  for (const [key, value] of chunkRows(db, KEY_CHUNK)) {
    const w = words(value);
    const m = w[0]!,
      qm = w[1]!;
    if (at + m > n) throw new Error(`match state chunk ${key} holds more records than its ids`);
    content.set(w.subarray(2, 2 + m), at);
    for (let kind = 0; kind < K; kind++) hashes.set(w.subarray(2 + m * (kind + 1), 2 + m * (kind + 2)), kind * n + at);
    // A copy: a view would keep every chunk's buffer alive until the last is read.
    queryParts.push(w.slice(2 + m * (K + 1), 2 + m * (K + 1) + 2 * qm));
    at += m;
  }
  if (at !== n) throw new Error(`match state chunks hold ${at} records' keys for ${n} records`);
  let total = 0;
  for (const part of queryParts) total += part.length / 2;
  const queryOwner = new Int32Array(total);
  const queryHash = new Uint32Array(total);
  let q = 0;
  for (const part of queryParts) {
    const qm = part.length / 2;
    queryOwner.set(new Int32Array(part.buffer, part.byteOffset, qm), q);
    queryHash.set(part.subarray(qm), q);
    q += qm;
  }
  return { hashes, queryHash, queryOwner, content };
}
