import { BLOCKING_KEYS, type BlockingKey } from '../../../shared/match/blocking-keys';
import { usableTyped } from './comparisons';
import type { MatchData } from './match-data';
import { IdGroups } from './id-groups';
import { MEMBER_KEY, queriesOf, type KeyKind, type KeyRecorder } from './record-keys';

/**
 * Largest block whose pairs are all compared. A larger one holds a value too common to say who someone is (a
 * placeholder ID, 张伟 in one township); it is skipped and counted, never paired quadratically.
 */
export const MAX_BLOCK = 400;

/**
 * Most candidate pairs one match may propose (8 bytes each: 480 MB). A county of 1,000,000 people proposes about
 * 3 million; only data far outside anything seen reaches this, and it is then said in Chinese, not a RangeError.
 */
export const MAX_CANDIDATES = 60_000_000;

/** What a cap left out, per key: how many blocks (or ID look-ups) and how many records they held. */
export interface CappedBlocks {
  blocks: number;
  records: number;
}

export interface BlockingStats {
  /** Distinct candidate pairs. */
  pairs: number;
  /** Pairs each key proposed (one pair may be proposed by several keys). */
  byKey: Partial<Record<BlockingKey, number>>;
  /** Blocks larger than MAX_BLOCK, left out per key. */
  capped: Partial<Record<BlockingKey, CappedBlocks>>;
}

/**
 * How many records of the whole workspace hold this value (default: those of d). An incremental re-match blocks only
 * the records near a change, while the cap must still count the whole block.
 */
export type BlockSize = (kind: KeyKind, value: string, here: number) => number;

/** A block of a name key left out at the cap: its value, and how many of the records blocked here hold it. */
export interface OverCap {
  kind: KeyKind;
  value: string;
  here: number;
}

/** Raised when the candidates would pass MAX_CANDIDATES: which key, and the records of its largest block. */
export class CandidateLimitError extends Error {
  constructor(
    readonly key: BlockingKey,
    readonly sampleRecords: number[],
    readonly largestBlock: number,
  ) {
    super(`candidate pair limit reached at key ${key}`);
  }
}

function appendTo(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Candidate pairs, each as a*n+b with a<b (record indexes), in a growing typed array sorted and deduplicated once
 * at the end. A Set of numbers cannot hold more than 2^24 entries, and costs about 40 bytes per pair; this costs 8.
 */
export class PairBuffer {
  private buf = new Float64Array(1 << 16);
  private len = 0;
  constructor(
    private readonly n: number,
    private readonly limit = MAX_CANDIDATES,
  ) {}

  /** False when the limit is reached (nothing added). */
  add(a: number, b: number): boolean {
    if (a === b) return true;
    if (this.len >= this.limit) return false;
    if (this.len === this.buf.length) {
      const next = new Float64Array(Math.min(this.limit, this.buf.length * 2));
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.len++] = a < b ? a * this.n + b : b * this.n + a;
    return true;
  }

  /** Sorted and distinct, so every run visits pairs in the same order (deterministic output). */
  finish(): Float64Array {
    const v = this.buf.subarray(0, this.len);
    v.sort();
    let m = 0;
    for (let k = 0; k < v.length; k++) if (m === 0 || v[k] !== v[m - 1]) v[m++] = v[k]!;
    const out = this.buf.slice(0, m);
    this.buf = new Float64Array(0);
    return out;
  }
}

/**
 * Blocking: several keys, so that one typo cannot hide a match (DESIGN §5).
 *  1. the trusted ID number;  2. valid numbers one typo away from a mistyped one;  3. numbers an Excel-truncated one
 *  may have been;  4. the same untrusted number typed twice;  5. name + birth date;  6. name pinyin + birth month;
 *  7. name + township;  8. region + birth date + gender;  9. the region code a damaged number still shows + name;
 *  10–11. the name as it sounds + birth date or village. A valid number ending in 000 is also paired with the
 *  numbers Excel may have cut it from (key 3), and marked d.possibleCut.
 * Two records whose trusted IDs differ are different people (MOD 11-2 catches every single typo and adjacent swap),
 * so keys 5–11 only pair records of which at least one has no trusted ID. This keeps the matcher near-linear.
 * Every key is capped at MAX_BLOCK: a number Excel left as `6.10921E+17` is one value for a whole region (8,856
 * records in one held-out county) and is never a key by itself, only a narrowing of the name (key 9).
 */
export function candidatePairs(
  d: MatchData,
  opts: {
    limit?: number;
    onProgress?: (done: number) => void;
    blockSize?: BlockSize;
    /** Collects every record's key hashes on the way (a full match keeps them with its state). */
    recorder?: KeyRecorder;
  } = {},
): { keys: Float64Array; stats: BlockingStats; overCap: OverCap[] } {
  const { onProgress, recorder } = opts;
  const overCap: OverCap[] = [];
  const sizeOf = opts.blockSize ?? ((_kind: KeyKind, _value: string, here: number) => here);
  const pairs = new PairBuffer(d.n, opts.limit ?? MAX_CANDIDATES);
  const byKey: BlockingStats['byKey'] = {};
  const capped: BlockingStats['capped'] = {};
  const add = (key: BlockingKey, a: number, b: number, block: number[]) => {
    if (!pairs.add(a, b)) throw new CandidateLimitError(key, block.slice(0, 5), block.length);
    byKey[key] = (byKey[key] ?? 0) + 1;
  };
  // A block is counted once, however many look-ups meet it.
  const counted = new Set<number[]>();
  const tooLarge = (key: BlockingKey, list: number[], size: number): boolean => {
    if (size <= MAX_BLOCK) return false;
    if (counted.has(list)) return true;
    counted.add(list);
    const c = (capped[key] ??= { blocks: 0, records: 0 });
    c.blocks++;
    // The whole block's size: a re-match reads few holders of a block it trusts to be past the cap (capped-values.ts).
    c.records += size;
    return true;
  };
  const pairBlocks = (
    blocks: Map<string, number[]>,
    key: BlockingKey,
    kind: KeyKind,
    keep: (a: number, b: number) => boolean,
  ) => {
    for (const [value, list] of blocks) {
      if (list.length < 2) continue;
      if (tooLarge(key, list, sizeOf(kind, value, list.length))) {
        overCap.push({ kind, value, here: list.length });
        continue;
      }
      for (let x = 0; x < list.length; x++) {
        for (let y = x + 1; y < list.length; y++) if (keep(list[x]!, list[y]!)) add(key, list[x]!, list[y]!, list);
      }
    }
  };

  const { possibleCut, untrusted } = blockOnNumbers(d, pairs, {
    byKey,
    capped,
    sizeOf,
    recorder,
    tooLarge,
    add,
    onProgress,
  });
  d.possibleCut = possibleCut;
  onProgress?.(2);

  // 5–9. Keys on names, dates and places: only pairs with at least one untrusted side.
  const blockKeys = ['nameBirth', 'pinyinMonth', 'nameTownship', 'regionBirthGender', 'regionName'] as const;
  const isUntrusted = new Uint8Array(d.n);
  for (const i of untrusted) isUntrusted[i] = 1;
  const wanted = new Set<string>();
  for (const name of blockKeys) {
    const keyOf = MEMBER_KEY[name];
    // Only keys some untrusted record has are worth grouping.
    wanted.clear();
    for (const i of untrusted) {
      const k = keyOf(d, i);
      if (k) wanted.add(k);
    }
    const blocks = new Map<string, number[]>();
    for (let i = 0; i < d.n; i++) {
      const k = keyOf(d, i);
      recorder?.member(name, i, k);
      if (k && wanted.has(k)) appendTo(blocks, k, i);
    }
    pairBlocks(blocks, name, name, (a, b) => isUntrusted[a] === 1 || isUntrusted[b] === 1);
    onProgress?.(3 + blockKeys.indexOf(name));
  }

  // 10–11. A name as it sounds, with the birth date or within a village, for records whose name may have been written
  // down by ear (张欣 / 张星) and which have no trusted number: a record without a usable one has nothing else to be
  // found by, and one whose number is mistyped finds no one whose number is mistyped otherwise (seed 7 at 200,000:
  // 何静璐 / 何锦璐, her base number cut by Excel, her employee number typed with 2000 for 2004; seed 11 at 20,000:
  // 张振涛 / 张正涛 in one village, a day mistyped and the birth month only). Neither pair was a candidate.
  const soundKeys = ['soundBirth', 'soundVillage'] as const;
  for (const name of soundKeys) {
    const keyOf = MEMBER_KEY[name];
    wanted.clear();
    for (const i of untrusted) {
      const k = keyOf(d, i);
      if (k) wanted.add(k);
    }
    const blocks = new Map<string, number[]>();
    for (let i = 0; i < d.n && (wanted.size > 0 || recorder); i++) {
      const k = keyOf(d, i);
      recorder?.member(name, i, k);
      if (k && wanted.has(k)) appendTo(blocks, k, i);
    }
    pairBlocks(blocks, name, name, (a, b) => isUntrusted[a] === 1 || isUntrusted[b] === 1);
    onProgress?.(BLOCKING_STEPS - 1 + soundKeys.indexOf(name));
  }
  const keys = pairs.finish();
  return { keys, stats: { pairs: keys.length, byKey: orderKeys(byKey), capped: orderKeys(capped) }, overCap };
}

interface BlockingRun {
  byKey: BlockingStats['byKey'];
  capped: BlockingStats['capped'];
  sizeOf: BlockSize;
  recorder?: KeyRecorder;
  tooLarge: (key: BlockingKey, list: number[], size: number) => boolean;
  add: (key: BlockingKey, a: number, b: number, block: number[]) => void;
  onProgress?: (done: number) => void;
}

/**
 * Keys 1–4, on ID numbers: the trusted number itself, the numbers a 000 tail may have been cut from, and the true
 * numbers an untrusted one may have been. The trusted numbers are grouped in typed arrays (IdGroups), which are
 * dropped when this returns.
 */
function blockOnNumbers(
  d: MatchData,
  pairs: PairBuffer,
  run: BlockingRun,
): { possibleCut: Uint8Array; untrusted: number[] } {
  const { byKey, capped, sizeOf, recorder } = run;
  // 1. Exact trusted ID.
  const byId = new IdGroups(d.idNumber);
  if (recorder) for (let i = 0; i < d.n; i++) if (d.idNumber[i]) recorder.member('id', i, d.idNumber[i]!);
  const { start, members } = byId;
  // A group is counted once, however many look-ups meet it (one trusted ID reached from many typo'd numbers).
  const counted = new Uint8Array(byId.count);
  const tooLarge = (key: BlockingKey, g: number, size: number): boolean => {
    if (size <= MAX_BLOCK) return false;
    if (counted[g]) return true;
    counted[g] = 1;
    const c = (capped[key] ??= { blocks: 0, records: 0 });
    c.blocks++;
    c.records += byId.size(g);
    return true;
  };
  const add = (key: BlockingKey, a: number, b: number, g: number) => {
    if (!pairs.add(a, b)) throw new CandidateLimitError(key, byId.sample(g, 5), byId.size(g));
    byKey[key] = (byKey[key] ?? 0) + 1;
  };
  for (let g = 0; g < byId.count; g++) {
    const size = byId.size(g);
    if (size < 2 || tooLarge('id', g, sizeOf('id', byId.idOf(g), size))) continue;
    for (let x = start[g]!; x < start[g + 1]!; x++)
      for (let y = x + 1; y < start[g + 1]!; y++) add('id', members[x]!, members[y]!, g);
  }
  run.onProgress?.(1);

  // A valid number ending in 000 may be another's cut by Excel that passed the checksum by chance: paired with the
  // numbers it may have been, and marked so that clustering does not hold it as a number of its own.
  const possibleCut = new Uint8Array(d.n);
  for (let g = 0; g < byId.count; g++) {
    if (!byId.idOf(g).endsWith('000')) continue;
    const candidates = queriesOf(d, members[start[g]!]!);
    if (recorder) for (let x = start[g]!; x < start[g + 1]!; x++) recorder.queries(members[x]!, candidates);
    for (const c of candidates) {
      const other = byId.find(c);
      if (other < 0 || tooLarge('idTruncated', other, sizeOf('id', c, byId.size(other)))) continue;
      for (let x = start[g]!; x < start[g + 1]!; x++) {
        const i = members[x]!;
        possibleCut[i] = 1;
        for (let y = start[other]!; y < start[other + 1]!; y++) add('idTruncated', i, members[y]!, other);
      }
    }
  }

  // 2–4. Typed numbers that are not trusted: look up their possible true numbers.
  const untrusted: number[] = [];
  for (let i = 0; i < d.n; i++) if (!d.idNumber[i]) untrusted.push(i);
  const byTyped = new Map<string, number[]>();
  for (const i of untrusted) {
    const usable = usableTyped(d.idStatus[i]!, d.idRaw[i]!);
    if (!usable) continue;
    const key: BlockingKey = usable.length === 15 ? 'idTruncated' : 'idTypo';
    const candidates = queriesOf(d, i);
    recorder?.member('typed', i, usable);
    recorder?.queries(i, candidates);
    for (const c of candidates) {
      const g = byId.find(c);
      if (g < 0 || tooLarge(key, g, sizeOf('id', c, byId.size(g)))) continue;
      for (let y = start[g]!; y < start[g + 1]!; y++) add(key, i, members[y]!, g);
    }
    appendTo(byTyped, usable, i);
  }
  // Two untrusted copies of the same typed number (a typo copied from one roll to the next).
  for (const [value, list] of byTyped) {
    if (list.length < 2 || run.tooLarge('idTyped', list, sizeOf('typed', value, list.length))) continue;
    for (let x = 0; x < list.length; x++)
      for (let y = x + 1; y < list.length; y++) run.add('idTyped', list[x]!, list[y]!, list);
  }
  return { possibleCut, untrusted };
}

/** Keys in blocking order, so summaries read the same every run. */
function orderKeys<T>(m: Partial<Record<BlockingKey, T>>): Partial<Record<BlockingKey, T>> {
  const out: Partial<Record<BlockingKey, T>> = {};
  for (const k of BLOCKING_KEYS) if (m[k] !== undefined) out[k] = m[k];
  return out;
}

/** Progress steps candidatePairs reports (onProgress is called with 1…BLOCKING_STEPS). */
export const BLOCKING_STEPS = 9;
