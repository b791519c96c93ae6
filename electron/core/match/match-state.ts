import type Database from 'better-sqlite3';
import { BLOCKING_KEYS } from '../../../shared/match/blocking-keys';
import type { MatchSettings } from '../settings';
import type { BlockingStats } from './blocking';
import type { CappedValues } from './capped-values';
import { COMPARISONS } from './comparison-levels';
import type { MatchParameters } from './parameters';
import type { RecordKeys } from './record-keys';
import { chunksComplete, readRecordIds, readRecordKeys as readKeyChunks, writeRecordChunks } from './record-chunks';

/**
 * Bump when a comparison, a blocking key or the scoring changes what a stored weight means: a workspace whose state
 * was written by another engine is then matched in full once.
 */
// 2: the state keeps every record's blocking keys; 3: and a hash of its fields; 4: the hash leaves out the roll's kind
// and year, which matching does not read (records of several years with the same fields compare the same); 5: the
// records' ids and keys are stored in chunks of record ids (record-chunks.ts); 6: and the values of blocks past the cap
// that one string holds (capped-values.ts): a state without them is still right, but a new year's link then reads
// every holder of a common name, so such a workspace is matched in full once to write them; 7: the ID level for two
// numbers that are both untrusted and differ (bothUntrusted), weighed apart from 不同; 8: the digits Excel left of one
// number against a mistyped other are bothUntrusted too, not regionDiffers; and the sound keys pair records without a
// trusted number, not only those without a usable one; 9: and so does the twin guard (a mistyped or Excel-cut number
// is no proof against a twin), and 15 digits Excel left against a region are 残存的前几位不同 again.
export const ENGINE_VERSION = 9;

/** The engine's identity: its version, its blocking keys and its comparison levels by name. */
export function engineFingerprint(): string {
  return JSON.stringify([
    ENGINE_VERSION,
    BLOCKING_KEYS,
    Object.values(COMPARISONS).map((c) => [c.field, c.levels.map((l) => l.name)]),
  ]);
}

/**
 * An incremental re-match keeps the parameters the last full match estimated. Past this share of records changed
 * since that estimate (a new year's rolls, most of a county replaced) the parameters are estimated again in full.
 */
export const REESTIMATE_SHARE = 0.25;

/** The state as a re-match after a roll change works from it: with every record's keys and the name frequencies. */
export type KeyedMatchState = MatchState & { keys: RecordKeys };

/** Flags of a stored pair. */
export const PAIR_SIBLING = 1;
/** Joined through an identical trusted ID on both sides (shown as 身份证号一致). */
export const PAIR_ID_EXACT = 2;

/** Candidate pairs by record id, sorted by (a, b), a < b; weight is the match weight in bits. */
export interface StoredPairs {
  a: Int32Array;
  b: Int32Array;
  weight: Float64Array;
  flags: Uint8Array;
}

/** Stored pairs written one after another into arrays of a known largest size. */
export class PairWriter {
  private readonly out: StoredPairs;
  private m = 0;
  constructor(most: number) {
    this.out = {
      a: new Int32Array(most),
      b: new Int32Array(most),
      weight: new Float64Array(most),
      flags: new Uint8Array(most),
    };
  }

  add(a: number, b: number, weight: number, flags: number): void {
    const { out, m } = this;
    out.a[m] = a;
    out.b[m] = b;
    out.weight[m] = weight;
    out.flags[m] = flags;
    this.m++;
  }

  /** Pairs from..to (exclusive) of `src`, as they are. */
  addRun(src: StoredPairs, from: number, to: number): void {
    const { out, m } = this;
    // A short run pair by pair: four views for each of a new year's many short runs cost more than they save.
    if (to - from < 16) {
      for (let k = from; k < to; k++) this.add(src.a[k]!, src.b[k]!, src.weight[k]!, src.flags[k]!);
      return;
    }
    out.a.set(src.a.subarray(from, to), m);
    out.b.set(src.b.subarray(from, to), m);
    out.weight.set(src.weight.subarray(from, to), m);
    out.flags.set(src.flags.subarray(from, to), m);
    this.m += to - from;
  }

  get length(): number {
    return this.m;
  }

  /**
   * The pairs written, in arrays of their own length; views of the arrays written when nearly all of them were used
   * (a copy of four million pairs is 78 MB more at the peak, to spare a few thousand slots).
   */
  finish(): StoredPairs {
    const { out, m } = this;
    if (m === out.a.length) return out;
    if (m >= out.a.length * 0.9)
      return {
        a: out.a.subarray(0, m),
        b: out.b.subarray(0, m),
        weight: out.weight.subarray(0, m),
        flags: out.flags.subarray(0, m),
      };
    return { a: out.a.slice(0, m), b: out.b.slice(0, m), weight: out.weight.slice(0, m), flags: out.flags.slice(0, m) };
  }
}

/** Stored pairs gathered in any order, then sorted by (a, b). */
export class PairList {
  private a: number[] = [];
  private b: number[] = [];
  private weight: number[] = [];
  private flags: number[] = [];

  add(a: number, b: number, weight: number, flags: number): void {
    this.a.push(a);
    this.b.push(b);
    this.weight.push(weight);
    this.flags.push(flags);
  }

  sorted(): StoredPairs {
    const order = Int32Array.from(this.a.keys()).sort((x, y) => this.a[x]! - this.a[y]! || this.b[x]! - this.b[y]!);
    const out = new PairWriter(order.length);
    for (const k of order) out.add(this.a[k]!, this.b[k]!, this.weight[k]!, this.flags[k]!);
    return out.finish();
  }
}

/** Two sorted pair lists with no pair in common, as one sorted list. */
export function mergePairs(x: StoredPairs, y: StoredPairs): StoredPairs {
  if (!y.a.length) return x;
  const out = new PairWriter(x.a.length + y.a.length);
  for (let i = 0, j = 0; i < x.a.length || j < y.a.length;) {
    const fromX = j >= y.a.length || (i < x.a.length && (x.a[i]! - y.a[j]! || x.b[i]! - y.b[j]!) < 0);
    if (fromX) out.add(x.a[i]!, x.b[i]!, x.weight[i]!, x.flags[i++]!);
    else out.add(y.a[j]!, y.b[j]!, y.weight[j]!, y.flags[j++]!);
  }
  return out.finish();
}

/** The settings a stored weight or a threshold depends on: another value means a full match. */
export function linkingSettings(s: MatchSettings): string {
  return JSON.stringify([s.linkWeight, s.reviewWeight, s.randomPairs]);
}

export interface MatchState {
  fingerprint: string;
  /** linkingSettings() of the run. */
  linking: string;
  /** Every setting of the run: another value means the lists are derived again for everyone. */
  settings: string;
  params: MatchParameters;
  /**
   * The name frequencies the weights were computed with (term-frequency adjustment); null when readMatchState was
   * asked to leave them unread (readNameFrequency reads them, all or some).
   */
  nameFrequency: Map<string, number> | null;
  year: number;
  baseYear: number | null;
  /** rollIdentity() of every roll the run saw. */
  rolls: string[];
  /**
   * Per roll (its identity, as in `rolls`): the lowest and highest id of its records and how many, as the run saw
   * them. A removed roll whose records filled their range took exactly those ids, so a re-match need not read every
   * record id to know which are left (absent in a state written before these were kept).
   */
  rollRanges?: RollRanges;
  /** `${record_a}-${record_b}-${verdict}` of every clerk's decision the run saw, sorted. */
  decisions: string[];
  blocking: BlockingStats;
  /**
   * The values of blocks past the cap that one string holds (capped-values.ts): a re-match need not read their
   * holders. Absent in a state from before they were kept, which a re-match then reads as none.
   */
  cappedValues?: CappedValues;
  /** Records added by incremental re-matches since the parameters were estimated. */
  addedSinceEstimate: number;
  /** Records the run saw, sorted, with the person each ended in. */
  recordIds: Int32Array;
  personIds: Int32Array;
  /** Per record: 1 where blocking found its valid number may be another's cut by Excel (MatchData.possibleCut). */
  possibleCut: Uint8Array;
  /**
   * Every record's blocking keys as hashes, for finding what a change touches without reading the county; null when
   * read without them (readMatchState).
   */
  keys: RecordKeys | null;
  pairs: StoredPairs;
}

/** Per roll identity: [lowest record id, highest record id, records]. */
export type RollRanges = Record<string, [number, number, number]>;

/** Every roll's range of record ids (MatchState.rollRanges): one pass over the roll index, 0.2 s at 1,943,485. */
export function rollRangesOf(db: Database.Database): RollRanges {
  const identity = new Map(currentRolls(db).map((r) => [r.id, r.identity]));
  const ranges: RollRanges = {};
  const rows = db.prepare('SELECT roll_id, min(id), max(id), count(*) FROM record GROUP BY roll_id').raw(true);
  for (const [roll, lo, hi, n] of rows.iterate() as IterableIterator<number[]>)
    ranges[identity.get(roll!)!] = [lo!, hi!, n!];
  return ranges;
}

/**
 * A roll as the matcher saw it. Row ids are reused by SQLite after the highest ones are deleted, so a roll replaced
 * by a new import may come back under the same id: the import's own id tells them apart.
 */
export function currentRolls(db: Database.Database): { id: number; identity: string }[] {
  return (
    db.prepare('SELECT id, import_id AS importId, sheet, kind, year FROM roll ORDER BY id').all() as {
      id: number;
      importId: string;
      sheet: string;
      kind: string;
      year: number;
    }[]
  ).map((r) => ({ id: r.id, identity: `${r.id}|${r.importId}|${r.sheet}|${r.kind}|${r.year}` }));
}

export function currentDecisions(db: Database.Database): string[] {
  return (
    db.prepare('SELECT record_a AS a, record_b AS b, verdict FROM pair_decision').all() as {
      a: number;
      b: number;
      verdict: string;
    }[]
  )
    .map((r) => `${r.a}-${r.b}-${r.verdict}`)
    .sort();
}

const blob = (v: ArrayBufferView): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

/**
 * Arrays are stored in parts of 4 MB (`key#00000`, `key#00001`…): binding one 80 MB blob raised the match's peak RSS
 * by about twice its size (better-sqlite3's copy and SQLite's pages); parts of 4 MB by about 25 MB.
 */
const PART_BYTES = 4 << 20;
const partRange = (key: string) => [`${key}#`, `${key}$`]; // '#' < '$': every part of this key, no other key

function writeArray(db: Database.Database, key: string, v: ArrayBufferView): void {
  const bytes = blob(v);
  db.prepare('DELETE FROM match_state WHERE key >= ? AND key < ?').run(...partRange(key));
  const put = db.prepare('INSERT INTO match_state (key, value) VALUES (?, ?)');
  let part = 0;
  for (let at = 0; at === 0 || at < bytes.length; at += PART_BYTES)
    put.run(`${key}#${String(part++).padStart(5, '0')}`, bytes.subarray(at, at + PART_BYTES));
}

/** The parts put together in a fresh (aligned) buffer, or null when the key was never written. */
function readArray(db: Database.Database, key: string): ArrayBuffer | null {
  const { parts, bytes } = db
    .prepare(
      'SELECT count(*) AS parts, coalesce(sum(length(value)), 0) AS bytes FROM match_state WHERE key >= ? AND key < ?',
    )
    .get(...partRange(key)) as { parts: number; bytes: number };
  if (!parts) return null;
  const out = new Uint8Array(bytes);
  let at = 0;
  const rows = db.prepare('SELECT value FROM match_state WHERE key >= ? AND key < ? ORDER BY key').pluck();
  for (const v of rows.iterate(...partRange(key)) as IterableIterator<Buffer>) {
    out.set(v, at);
    at += v.length;
  }
  return out.buffer;
}

/**
 * Writes the state; `unchanged` leaves the parts a re-match did not change as they are (tens of MB in a county).
 * `recordChunks`: the only chunks of records (record-chunks.ts) whose records came or went, when records changed.
 */
export function writeMatchState(
  db: Database.Database,
  s: MatchState,
  unchanged: { names?: boolean; records?: boolean; pairs?: boolean; recordChunks?: ReadonlySet<number> } = {},
): void {
  const { nameFrequency, recordIds, personIds, possibleCut, keys, pairs, ...meta } = s;
  db.prepare('INSERT OR REPLACE INTO match_state (key, value) VALUES (?, ?)').run(
    'meta',
    Buffer.from(JSON.stringify(meta)),
  );
  const put = { run: (key: string, v: ArrayBufferView) => writeArray(db, key, v) };
  if (!unchanged.names) {
    if (!nameFrequency) throw new Error('match state written with changed names but without their frequencies');
    // Names NUL-separated and their frequencies as doubles: JSON of 600,000 [name, number] pairs cost about 150 MB
    // of short-lived objects at the peak of a county's match.
    const freq = new Float64Array(nameFrequency.size);
    let k = 0;
    for (const f of nameFrequency.values()) freq[k++] = f;
    put.run('names', Buffer.from([...nameFrequency.keys()].join('\u0000')));
    put.run('nameFrequency', blob(freq));
  }
  put.run('personIds', blob(personIds));
  if (!unchanged.records) {
    if (!keys) throw new Error('match state written with changed records but without their keys');
    put.run('possibleCut', blob(possibleCut));
    writeRecordChunks(db, recordIds, keys, unchanged.recordChunks);
  }
  if (unchanged.pairs) return;
  put.run('pairA', blob(pairs.a));
  put.run('pairB', blob(pairs.b));
  put.run('weight', blob(pairs.weight));
  put.run('flags', blob(pairs.flags));
}

export function clearMatchState(db: Database.Database): void {
  db.exec('DELETE FROM match_state');
}

/**
 * The name frequencies the last match stored, or only those of these names. Putting all of a county's 200,000 names
 * in a Map took about 0.12 s of a 2 s re-match after decisions, which looks up a few.
 */
export function readNameFrequency(db: Database.Database, only?: ReadonlySet<string>): Map<string, number> {
  const freq = new Float64Array(readArray(db, 'nameFrequency') ?? new ArrayBuffer(0));
  const map = new Map<string, number>();
  if (!freq.length) return map;
  const names = Buffer.from(readArray(db, 'names')!).toString().split('\u0000');
  for (let k = 0; k < names.length; k++) if (!only || only.has(names[k]!)) map.set(names[k]!, freq[k]!);
  return map;
}

/** The records' keys of the last run's state (read only when a roll changed: about 90 MB in a county). */
export function readRecordKeys(db: Database.Database, records: number): RecordKeys {
  return readKeyChunks(db, records);
}

/**
 * The last run's state, or null when there is none (a workspace never matched, or matched by an older version).
 * Without `keys` the records' keys, without `names` the name frequencies are left unread (null): a re-match after
 * decisions does not need the keys, and needs a few names' frequencies at most.
 */
export function readMatchState(
  db: Database.Database,
  opts: { keys?: boolean; names?: boolean } = {},
): MatchState | null {
  const metaRow = db.prepare(`SELECT value FROM match_state WHERE key = 'meta'`).pluck().get() as Buffer | undefined;
  if (!metaRow) return null;
  const stored = new Set(
    (db.prepare(`SELECT key FROM match_state WHERE key LIKE '%#00000'`).pluck().all() as string[]).map((k) =>
      k.slice(0, -6),
    ),
  );
  const arrays = ['names', 'nameFrequency', 'personIds', 'possibleCut', 'pairA', 'pairB', 'weight', 'flags'];
  if (!arrays.every((k) => stored.has(k))) return null;
  const array = (k: string) => readArray(db, k)!;
  // A state from before the chunks, or chunks of ids without their keys: a full match is due.
  const recordIds = readRecordIds(db);
  const personIds = new Int32Array(array('personIds'));
  if (!recordIds || recordIds.length !== personIds.length || !chunksComplete(db)) return null;
  const meta = JSON.parse(metaRow.toString()) as Omit<
    MatchState,
    'nameFrequency' | 'recordIds' | 'personIds' | 'possibleCut' | 'keys' | 'pairs'
  >;
  return {
    ...meta,
    nameFrequency: opts.names === false ? null : readNameFrequency(db),
    recordIds,
    personIds,
    possibleCut: new Uint8Array(array('possibleCut')),
    keys: opts.keys === false ? null : readRecordKeys(db, recordIds.length),
    pairs: {
      a: new Int32Array(array('pairA')),
      b: new Int32Array(array('pairB')),
      weight: new Float64Array(array('weight')),
      flags: new Uint8Array(array('flags')),
    },
  };
}
