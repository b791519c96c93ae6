import { MAX_BLOCK } from './blocking';
import type { CappedTrust } from './capped-values';
import { HashTable } from './hash-table';
import { KIND_NEEDS, type CurrentRecords } from './incremental-neighbourhood';
import { mergePairs, PairWriter, type StoredPairs } from './match-state';
import { KEY_KINDS, KIND_INDEX } from './record-keys';

const K = KEY_KINDS.length;
const ID = KIND_INDEX.id;
const TYPED = KIND_INDEX.typed;
const HOUSEHOLD = KIND_INDEX.householdBirth;

/**
 * A new year's roll is mostly last year's records again, typed the same way: at 1,000,000 people, 784,830 of the
 * 834,890 records of 2026 have the fields of a record already in the workspace. Blocking cannot tell two such records
 * apart: they hold the same keys, want the same blocks and look up the same numbers, so a full match gives the new
 * one exactly the pairs the old one has (with the same weights and flags), and a pair with the old one itself where
 * some block pairs a record with its own copy. The new record therefore is not blocked: the old one stands in for it,
 * and its pairs are copied from the old one's once the re-match's pairs are known (standInPairs). Blocking the new
 * records marked every holder of their numbers and names, most of the county; that was most of the link's time.
 *
 * One new record per old one is stood in for: a second new record with the same fields is blocked as new, pairs
 * with the old one, and the copy gets that pair too. A new record is also blocked as before where:
 *  - a block of it is past the cap (MAX_BLOCK) once it is counted (leaveBigBlocks), unless the state says one string
 *    holds that block's hash (capped-values.ts): then it was past the cap before too, and pairs no one either way;
 *  - its keys differ under the same content hash (a 32-bit collision): every key hash must agree too.
 * Adding a copy of a record changes no other pair: no block crosses the cap, a block wanted by a record without a
 * trusted number already was (the old one has none either), and the twin guard's households (comparisons.ts
 * householdTwins) gain a member of a name they already hold, which makes no twins and no new number.
 */
export interface StandIns {
  /** Position of a new record → the position of the old record that stands in for it, or -1. */
  repOf: Int32Array;
  /** Per position of such a new record: 1 where blocking pairs it with its old copy (some block pairs them). */
  selfPaired: Uint8Array;
  count: number;
}

export function findStandIns(cur: CurrentRecords, trust: CappedTrust): StandIns {
  const { n, keys, isNew } = cur;
  const H = keys.hashes;
  const repOf = new Int32Array(n).fill(-1);
  const selfPaired = new Uint8Array(n);
  // New records by content, the first of each: position + 1 as the count of a hash table (a Map of 834,890 numbers
  // probed by 4.1 million old records took seconds).
  const byContent = new HashTable(1024);
  for (let p = 0; p < n; p++) if (isNew[p] && !byContent.has(keys.content[p]!)) byContent.add(keys.content[p]!, p + 1);
  if (!byContent.size) return { repOf, selfPaired, count: 0 };
  const sameKeys = (x: number, y: number) => {
    for (let kind = 0; kind < K; kind++) if (H[kind * n + x] !== H[kind * n + y]) return false;
    return true;
  };
  const found: number[] = [];
  for (let p = 0; p < n; p++) {
    // An old record still here (a record carried over from a removed one is such a record too).
    if (isNew[p] || cur.statePos[p]! < 0) continue;
    const x = byContent.count(keys.content[p]!) - 1;
    if (x < 0 || repOf[x]! >= 0 || !sameKeys(x, p)) continue;
    repOf[x] = p;
    found.push(x);
  }
  // Per kind, the values past the cap that stood-in records keep (one string each, trusted): they pair no one.
  const capped = KEY_KINDS.map(() => new HashTable(16));
  for (let kind = 0; kind < K && found.length; kind++)
    if (kind !== HOUSEHOLD) leaveBigBlocks(cur, kind, found, repOf, trust, capped[kind]!);
  let count = 0;
  for (const x of found) {
    if (repOf[x]! < 0) continue;
    count++;
    // What the record lacks (0 a trusted number, 1 none trusted, 2 no usable one); a block of a kind pairs two of its
    // holders when one lacks what the kind asks (blocking.ts, neighbourhood's WANTED_BY). Every block of a copy kept
    // here is under the cap (leaveBigBlocks) but for the trusted ones in `capped`, so a kind that would pair the two
    // does, unless its value is one of those.
    const lack = H[ID * n + x] ? 0 : H[TYPED * n + x] ? 1 : 2;
    for (let kind = 0; kind < K; kind++)
      if (kind !== HOUSEHOLD && H[kind * n + x] && lack >= KIND_NEEDS[kind]! && !capped[kind]!.has(H[kind * n + x]!)) {
        selfPaired[x] = 1;
        break;
      }
  }
  return { repOf, selfPaired, count };
}

/** Buckets of the first count (4 MB): over 4.9 million records about five records a bucket. */
const SKETCH_BITS = 20;

/**
 * Leaves to blocking the stood-in records (found, marked in repOf) holding a value of this kind that more than
 * MAX_BLOCK records of the workspace hold now, the copies counted. Where fewer do, neither the block's string nor its
 * hash passes the cap before or after, so no pair there comes or goes. A block past the cap already would pair no
 * one either way, but only on its strings: its 32-bit hash may also be another, smaller string's, which the copies
 * could take past the cap unseen (the state keeps hashes, not strings), so its copies are blocked, and its holders
 * read, as before, unless `trust` says one string holds that hash (capped-values.ts): such a copy is kept, and its
 * value listed in `capped`. Without trust that was 106,000 of a new year's 834,890 records at 1,000,000 people.
 * Counted first per bucket of hashes, which only overcounts; only the values whose bucket passes the cap are counted
 * exactly. Counting every value of 785,000 records exactly, for each kind, probed a hash table of millions 44 million
 * times (3.7 of a link's 95 s).
 */
function leaveBigBlocks(
  cur: CurrentRecords,
  kind: number,
  found: number[],
  repOf: Int32Array,
  trust: CappedTrust,
  capped: HashTable,
): void {
  const { n } = cur;
  const H = cur.keys.hashes;
  const at = kind * n;
  const bucket = (h: number) => Math.imul(h, 0x9e3779b1) >>> (32 - SKETCH_BITS);
  const sketch = new Int32Array(1 << SKETCH_BITS);
  for (let p = 0; p < n; p++) if (H[at + p]) sketch[bucket(H[at + p]!)]!++;
  const big = new HashTable(16);
  for (const x of found) if (H[at + x] && sketch[bucket(H[at + x]!)]! > MAX_BLOCK) big.add(H[at + x]!);
  if (!big.size) return;
  for (let p = 0; p < n; p++) big.bump(H[at + p]!);
  for (const x of found) {
    if (big.count(H[at + x]!) <= MAX_BLOCK) continue;
    if (trust.trusted(kind, H[at + x]!)) capped.add(H[at + x]!);
    else repOf[x] = -1;
  }
}

/**
 * The re-match's pairs with each stood-in record's pairs added: for every pair of its old copy, the same pair with
 * it (with the other side's copy too, when that side has one), and the pair with the copy itself where blocking makes
 * it (`self`, weighed on the new record against itself: the fields are the same).
 */
export function standInPairs(
  pairs: StoredPairs,
  recordIds: Int32Array,
  stand: StandIns,
  self: (p: number) => { weight: number; flags: number },
): StoredPairs {
  if (!stand.count) return pairs;
  const maxId = recordIds.length ? recordIds[recordIds.length - 1]! : 0;
  // Record id of an old record → the record id of the new one it stands in for, or 0.
  const copyOf = new Int32Array(maxId + 1);
  for (let x = 0; x < recordIds.length; x++)
    if (stand.repOf[x]! >= 0) copyOf[recordIds[stand.repOf[x]!]!] = recordIds[x]!;
  const { a, b, weight, flags } = pairs;
  let m = stand.count;
  for (let k = 0; k < a.length; k++) {
    const ca = copyOf[a[k]!]!,
      cb = copyOf[b[k]!]!;
    if (ca) m++;
    if (cb) m++;
    if (ca && cb) m++;
  }
  const pa = new Int32Array(m),
    pb = new Int32Array(m),
    pw = new Float64Array(m),
    pf = new Uint8Array(m);
  let e = 0;
  const put = (x: number, y: number, w: number, f: number) => {
    pa[e] = Math.min(x, y);
    pb[e] = Math.max(x, y);
    pw[e] = w;
    pf[e++] = f;
  };
  for (let k = 0; k < a.length; k++) {
    const ca = copyOf[a[k]!]!,
      cb = copyOf[b[k]!]!;
    if (ca) put(ca, b[k]!, weight[k]!, flags[k]!);
    if (cb) put(a[k]!, cb, weight[k]!, flags[k]!);
    if (ca && cb) put(ca, cb, weight[k]!, flags[k]!);
  }
  for (let x = 0; x < recordIds.length; x++) {
    if (stand.repOf[x]! < 0 || !stand.selfPaired[x]) continue;
    const s = self(x);
    put(recordIds[stand.repOf[x]!]!, recordIds[x]!, s.weight, s.flags);
  }
  return mergePairs(pairs, sortedPairs(pa, pb, pw, pf, e, maxId));
}

/**
 * Pairs in (a, b) order: a counting sort on a (ids up to maxId), then each a's few pairs in b order. Millions of them
 * in a new year's link, where sorting an index with a comparator costs seconds.
 */
function sortedPairs(
  a: Int32Array,
  b: Int32Array,
  w: Float64Array,
  f: Uint8Array,
  m: number,
  maxId: number,
): StoredPairs {
  const start = new Int32Array(maxId + 2);
  for (let k = 0; k < m; k++) start[a[k]! + 1]!++;
  for (let id = 0; id <= maxId; id++) start[id + 1]! += start[id]!;
  const order = new Int32Array(m);
  const fill = start.slice(0, maxId + 1);
  for (let k = 0; k < m; k++) order[fill[a[k]!]!++] = k;
  for (let id = 0; id <= maxId; id++)
    for (let i = start[id]! + 1; i < start[id + 1]!; i++) {
      const k = order[i]!;
      let j = i - 1;
      for (; j >= start[id]! && b[order[j]!]! > b[k]!; j--) order[j + 1] = order[j]!;
      order[j + 1] = k;
    }
  const out = new PairWriter(m);
  for (const k of order) out.add(a[k]!, b[k]!, w[k]!, f[k]!);
  return out.finish();
}
