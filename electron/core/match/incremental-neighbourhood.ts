import { MAX_BLOCK } from './blocking';
import type { CappedTrust } from './capped-values';
import { HashTable } from './hash-table';
import type { KeyedMatchState } from './match-state';
import { KEY_KINDS, KIND_INDEX, type KeyKind, type RecordKeys } from './record-keys';

const K = KEY_KINDS.length;
/** Reasons a record is marked (neighbourhood's `why`). */
export const ID_HOLDER = 1;
export const OTHER = 2;
const ID = KIND_INDEX.id;
const TYPED = KIND_INDEX.typed;
const HOUSEHOLD = KIND_INDEX.householdBirth;
/** Which records make a block of this kind worth pairing (blocking.ts): anyone, no trusted number, no usable one. */
const WANTED_BY: Record<KeyKind, 'any' | 'untrusted' | 'lacksId'> = {
  id: 'any',
  typed: 'any',
  nameBirth: 'untrusted',
  pinyinMonth: 'untrusted',
  nameTownship: 'untrusted',
  regionBirthGender: 'untrusted',
  regionName: 'untrusted',
  soundBirth: 'untrusted',
  soundVillage: 'untrusted',
  householdBirth: 'untrusted',
};

/** Per kind, how much a record must lack to want its blocks (0 anyone, 1 no trusted number, 2 no usable one). */
export const KIND_NEEDS = Uint8Array.from(KEY_KINDS, (k) => ({ any: 0, untrusted: 1, lacksId: 2 })[WANTED_BY[k]]);

/** The workspace's records now, by position (record-id order), with their keys: kept ones from the state. */
export interface CurrentRecords {
  n: number;
  recordIds: Int32Array;
  /** Position → index in the state's arrays, -1 for a record of a new roll. */
  statePos: Int32Array;
  /** State index → position now, -1 for a record that is gone. */
  keptAt: Int32Array;
  isNew: Uint8Array;
  keys: RecordKeys;
  /** Position → first of its looked-up numbers in keys.queryHash (n + 1 entries). */
  queryStart: Int32Array;
  /**
   * Position of a new record → the old record that stands in for it (incremental-stand-in.ts), or -1: such a record
   * changes no block, so it is not new to the neighbourhood. Absent when none does.
   */
  repOf?: Int32Array;
}

/**
 * Where the kept records and the new ones sit among the workspace's records, with every record's key hashes: the
 * kept ones' from the state, the new ones' as computed (`fresh`, in the order of `added`).
 */
export function currentRecords(state: KeyedMatchState, recordIds: Int32Array, added: Int32Array, fresh: RecordKeys) {
  const n = recordIds.length,
    nOld = state.recordIds.length,
    nNew = added.length;
  const isNew = new Uint8Array(n);
  const newAt = new Int32Array(nNew);
  for (let p = 0, j = 0; p < n && j < nNew; p++)
    if (recordIds[p] === added[j]) {
      isNew[p] = 1;
      newAt[j++] = p;
    }
  const statePos = new Int32Array(n).fill(-1);
  const keptAt = new Int32Array(nOld).fill(-1);
  for (let k = 0, p = 0; k < nOld; k++) {
    const rid = state.recordIds[k]!;
    while (p < n && recordIds[p]! < rid) p++;
    if (p < n && recordIds[p] === rid && !isNew[p]) {
      keptAt[k] = p;
      statePos[p] = k;
    }
  }
  // The kept records sit in runs (state index k, position p, length): copied a run at a time for each key kind, not
  // a record at a time (ten kinds of two million records).
  const runs: number[] = [];
  for (let k = 0; k < nOld;) {
    if (keptAt[k]! < 0) {
      k++;
      continue;
    }
    let e = k + 1;
    while (e < nOld && keptAt[e] === keptAt[e - 1]! + 1) e++;
    runs.push(k, keptAt[k]!, e - k);
    k = e;
  }
  const copyKept = (from: Uint32Array, fromAt: number, to: Uint32Array, toAt: number) => {
    for (let r = 0; r < runs.length; r += 3)
      to.set(from.subarray(fromAt + runs[r]!, fromAt + runs[r]! + runs[r + 2]!), toAt + runs[r + 1]!);
  };
  const hashes = new Uint32Array(K * n);
  for (let kind = 0; kind < K; kind++) {
    copyKept(state.keys.hashes, kind * nOld, hashes, kind * n);
    for (let j = 0; j < nNew; j++) hashes[kind * n + newAt[j]!] = fresh.hashes[kind * nNew + j]!;
  }
  // Looked-up numbers per position: the kept records' from the state, the new ones' as computed.
  const queryCount = new Int32Array(n + 1);
  const ownerPos = (owners: Int32Array, at: (k: number) => number) => {
    const pos = new Int32Array(owners.length).fill(-1);
    for (let q = 0, k = 0; q < owners.length; q++) {
      while (at(k) < owners[q]!) k++;
      pos[q] = at(k) === owners[q] ? k : -1;
    }
    return pos;
  };
  const oldOwner = ownerPos(state.keys.queryOwner, (k) => (k < nOld ? state.recordIds[k]! : Infinity));
  const newOwner = ownerPos(fresh.queryOwner, (j) => (j < nNew ? added[j]! : Infinity));
  for (let q = 0; q < oldOwner.length; q++) {
    const p = oldOwner[q]! >= 0 ? keptAt[oldOwner[q]!]! : -1;
    oldOwner[q] = p;
    if (p >= 0) queryCount[p + 1]!++;
  }
  for (let q = 0; q < newOwner.length; q++) {
    newOwner[q] = newAt[newOwner[q]!]!;
    queryCount[newOwner[q]! + 1]!++;
  }
  for (let p = 0; p < n; p++) queryCount[p + 1]! += queryCount[p]!;
  const queryStart = queryCount.slice();
  const fill = queryCount.subarray(0, n);
  const queryHash = new Uint32Array(queryStart[n]!);
  const queryOwner = new Int32Array(queryStart[n]!);
  const put = (p: number, h: number) => {
    queryOwner[fill[p]!] = recordIds[p]!;
    queryHash[fill[p]!++] = h;
  };
  for (let q = 0; q < oldOwner.length; q++) if (oldOwner[q]! >= 0) put(oldOwner[q]!, state.keys.queryHash[q]!);
  for (let q = 0; q < newOwner.length; q++) put(newOwner[q]!, fresh.queryHash[q]!);
  const content = new Uint32Array(n);
  copyKept(state.keys.content, 0, content, 0);
  for (let j = 0; j < nNew; j++) content[newAt[j]!] = fresh.content[j]!;
  const current: CurrentRecords = {
    n,
    recordIds,
    statePos,
    keptAt,
    isNew,
    keys: { hashes, queryHash, queryOwner, content },
    queryStart,
  };
  return current;
}

/**
 * The records an incremental re-match must block again: in each block a new record joined, every record when the
 * new one pairs with all (it has no trusted number, or the block pairs all, or it is near the cap), else the records
 * that make pairs in it (those without a trusted number); in a block that crossed the cap either way, every record;
 * records that look up a changed number; and, closed over, the numbers such records look up, the households a twin
 * guard reads, the partners of twins whose household changed, and every holder of a value shared by more than
 * MAX_BLOCK records (so that the cap is decided on exact strings, not 32-bit hashes) unless `trust` says one string
 * holds it (capped-values.ts): that block was past the cap and still is. Among these records blocking
 * gives exactly the pairs a full match would; a pair with a record outside them is one the change did not touch, so
 * it is kept as it was. At 1,000,000 people, replacing 42,379 records marks 319,546 (652,403 when every record of a
 * changed block was marked).
 * Returns the marks and, per kind, how many records of the workspace hold each value the marked records hold.
 */
export function neighbourhood(
  state: KeyedMatchState,
  cur: CurrentRecords,
  trust: CappedTrust,
): { inS: Uint8Array; why: Uint8Array; counts: HashTable[] } {
  const { n, keys } = cur;
  const H = keys.hashes;
  const nOld = state.recordIds.length;
  // Per record how much it lacks (0 a trusted number, 1 none trusted, 2 no usable one), per kind how much a record
  // must lack to want its blocks (WANTED_BY): one comparison in the passes below, not a closure call per record.
  const lack = new Uint8Array(n);
  for (let p = 0; p < n; p++) if (H[ID * n + p] === 0) lack[p] = H[TYPED * n + p] === 0 ? 2 : 1;
  const needs = KIND_NEEDS;
  const wants = (kind: number, p: number) => lack[p]! >= needs[kind]!;

  // Per kind, how many new and how many removed records hold each value; which values a new record that makes its
  // block worth pairing holds.
  const old = state.keys.hashes;
  // The new records' positions and the removed ones' state indexes, found once rather than per kind.
  const newAt: number[] = [],
    goneAt: number[] = [];
  for (let p = 0; p < n; p++) if (cur.isNew[p] && !(cur.repOf && cur.repOf[p]! >= 0)) newAt.push(p);
  for (let k = 0; k < nOld; k++) if (cur.keptAt[k]! < 0) goneAt.push(k);
  // No record new and none gone (a roll imported again unchanged: every record carried over): no block changed, so
  // nothing is marked, and the passes below over every record and key kind would find nothing.
  if (!newAt.length && !goneAt.length)
    return { inS: new Uint8Array(n), why: new Uint8Array(n), counts: KEY_KINDS.map(() => new HashTable(16)) };
  const addedBy = KEY_KINDS.map(() => new HashTable(1024));
  const removedBy = KEY_KINDS.map(() => new HashTable(1024));
  const newWanting = KEY_KINDS.map(() => new HashTable(1024));
  for (let kind = 0; kind < K; kind++) {
    for (const p of newAt) {
      addedBy[kind]!.add(H[kind * n + p]!, 1);
      if (wants(kind, p)) newWanting[kind]!.add(H[kind * n + p]!);
    }
    for (const k of goneAt) removedBy[kind]!.add(old[kind * nOld + k]!, 1);
  }
  const changedId = new HashTable(1024);
  addedBy[ID]!.forEach((h) => changedId.add(h));
  removedBy[ID]!.forEach((h) => changedId.add(h));
  for (const p of newAt)
    for (let q = cur.queryStart[p]!; q < cur.queryStart[p + 1]!; q++) changedId.add(keys.queryHash[q]!);

  // Why each record is marked: ID_HOLDER alone means only that it holds a number a new or removed record holds or
  // looks up (incremental-collapse.ts may leave it out then). The marked positions are listed as well, so that what
  // is read of marked records is read from the list, not by a pass over every record.
  const marks = new Marks(n);
  for (const p of newAt) marks.add(p, OTHER);
  // Per kind, values whose every holder is needed (a), and values whose holders that make the block worth pairing are
  // (w); the household groups that changed are kept for the twin guard below.
  let householdChanged = new HashTable(16);
  for (let kind = 0; kind < K; kind++) {
    const a = new HashTable(1024),
      w = new HashTable(1024);
    const any = WANTED_BY[KEY_KINDS[kind]!] === 'any';
    const at = kind * n;
    // Records that may hold a value of a or w: every record, or those found holding a changed value below.
    let candidates: number[] | undefined;
    if (kind === ID) changedId.forEach((h) => a.add(h));
    else if (kind === HOUSEHOLD) {
      // A household group that changed: its members without a number (the twin guard reads the rest, closure below).
      addedBy[kind]!.forEach((h) => w.add(h));
      removedBy[kind]!.forEach((h) => w.add(h));
    } else if (any) {
      // A block of all pairs: every holder of a value a new or removed record holds, whatever the counts.
      addedBy[kind]!.forEach((h) => a.add(h));
      removedBy[kind]!.forEach((h) => a.add(h));
    } else {
      const after = new HashTable(1024);
      addedBy[kind]!.forEach((h) => after.add(h));
      removedBy[kind]!.forEach((h) => after.add(h));
      // One pass counts the changed values' holders and lists them: only they are looked at again below. Past a
      // quarter of the records (a new year's link, where most records hold a changed value) the list would cost
      // more than a second pass over every record, and is dropped.
      candidates = [];
      for (let p = 0; p < n; p++) {
        const h = H[at + p]!;
        if (after.has(h)) {
          after.add(h, 1);
          if (candidates && candidates.push(p) > n >> 2) candidates = undefined;
        }
      }
      after.forEach((h, now) => {
        const added = Math.max(0, addedBy[kind]!.count(h)),
          removed = Math.max(0, removedBy[kind]!.count(h));
        const before = now - added + removed;
        // One string past the cap before (the state's count) and now: the block pairs no one either way.
        if (now > MAX_BLOCK && trust.trusted(kind, h)) return;
        // Every holder: a block of all pairs (same number typed twice), one a new record pairs with everyone in, or
        // one near the cap (counted on hashes, which only overcount). Else only a new record joined a block under
        // the cap: its new pairs are with the block's records that make pairs, and what was removed took its pairs
        // with it.
        if (now > MAX_BLOCK || before > MAX_BLOCK || newWanting[kind]!.has(h)) a.add(h);
        else if (added > 0) w.add(h);
      });
    }
    if (kind === HOUSEHOLD) householdChanged = w;
    if (!a.size && !w.size) continue;
    const reason = kind === ID ? ID_HOLDER : OTHER;
    const need = needs[kind]!;
    // Inline, no closure per record: this runs over every record for the kinds without candidates.
    for (let i = 0, end = candidates ? candidates.length : n; i < end; i++) {
      const p = candidates ? candidates[i]! : i;
      const h = H[at + p]!;
      if (a.has(h) || (lack[p]! >= need && w.has(h))) marks.add(p, reason);
    }
  }
  for (let p = 0; p < n; p++)
    for (let q = cur.queryStart[p]!; q < cur.queryStart[p + 1]!; q++)
      if (changedId.has(keys.queryHash[q]!)) marks.add(p, OTHER);

  // Twins whose household changed: their pairs' twin flags are worked out again, which needs both records.
  const twinsMoved = new Set<number>();
  for (const p of marks.list)
    if (!cur.isNew[p] && lack[p]! >= 1 && householdChanged.has(H[HOUSEHOLD * n + p]!))
      twinsMoved.add(cur.recordIds[p]!);
  if (twinsMoved.size) {
    const partners = new Set<number>();
    const { a, b } = state.pairs;
    for (let k = 0; k < a.length; k++) {
      if (twinsMoved.has(a[k]!)) partners.add(b[k]!);
      if (twinsMoved.has(b[k]!)) partners.add(a[k]!);
    }
    for (let p = 0; p < n; p++) if (partners.has(cur.recordIds[p]!)) marks.add(p, OTHER);
  }

  // Marks only grow, so this ends: at worst every record is marked. What is looked up for the marked records only
  // grows with them too, so each round adds the values of the records marked since the round before: a second round
  // (a value of the records marked first held by more than MAX_BLOCK records) cost as much as the first before.
  const needId = new HashTable(1024),
    needHousehold = new HashTable(1024);
  // Whole-workspace counts of the values marked records want blocked, and per kind how many marks they cover.
  const counts = KEY_KINDS.map(() => new HashTable(1024));
  const counted = new Int32Array(K);
  for (let closed = 0; ;) {
    // Closure: the holders of the numbers marked records look up, the twin guard's household groups.
    for (;;) {
      const list = marks.list;
      for (; closed < list.length; closed++) {
        const p = list[closed]!;
        for (let q = cur.queryStart[p]!; q < cur.queryStart[p + 1]!; q++) needId.add(keys.queryHash[q]!);
        if (lack[p]! >= 1) needHousehold.add(H[HOUSEHOLD * n + p]!);
      }
      const before = list.length;
      for (let p = 0; p < n; p++)
        if (needId.has(H[ID * n + p]!) || needHousehold.has(H[HOUSEHOLD * n + p]!)) marks.add(p, OTHER);
      if (marks.list.length === before) break;
    }
    // A count past the cap is made exact by marking every record with that hash, whose strings blocking then counts.
    const before = marks.list.length;
    for (let kind = 0; kind < K; kind++) {
      const c = counts[kind]!,
        fresh = new HashTable(1024);
      const at = kind * n;
      const list = marks.list;
      for (; counted[kind]! < list.length; counted[kind]!++) {
        const p = list[counted[kind]!]!;
        if (wants(kind, p) && !c.has(H[at + p]!)) fresh.add(H[at + p]!);
      }
      if (!fresh.size) continue;
      for (let p = 0; p < n; p++) fresh.bump(H[at + p]!);
      const big = new HashTable(16);
      fresh.forEach((h, count) => {
        c.add(h, count);
        if (count > MAX_BLOCK && !trust.trusted(kind, h)) big.add(h);
      });
      if (big.size) for (let p = 0; p < n; p++) if (big.has(H[at + p]!)) marks.add(p, OTHER);
    }
    if (marks.list.length === before) return { inS: marks.inS, why: marks.why, counts };
  }
}

/** Marked records: a mark and its reasons per position, and the positions in the order they were marked. */
class Marks {
  readonly inS: Uint8Array;
  readonly why: Uint8Array;
  readonly list: number[] = [];

  constructor(n: number) {
    this.inS = new Uint8Array(n);
    this.why = new Uint8Array(n);
  }

  /** Marks a record with a reason; a record already marked for another reason (OTHER) needs none further. */
  add(p: number, reason: number): void {
    if (this.why[p]! & OTHER) return;
    this.why[p] = this.why[p]! | reason;
    if (!this.inS[p]) {
      this.inS[p] = 1;
      this.list.push(p);
    }
  }
}
