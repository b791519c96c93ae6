import { MAX_BLOCK } from './blocking';
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
  soundBirth: 'lacksId',
  soundVillage: 'lacksId',
  householdBirth: 'lacksId',
};

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
  const hashes = new Uint32Array(K * n);
  const old = state.keys.hashes;
  for (let kind = 0; kind < K; kind++) {
    const to = kind * n,
      fromOld = kind * nOld,
      fromNew = kind * nNew;
    for (let k = 0; k < nOld; k++) if (keptAt[k]! >= 0) hashes[to + keptAt[k]!] = old[fromOld + k]!;
    for (let j = 0; j < nNew; j++) hashes[to + newAt[j]!] = fresh.hashes[fromNew + j]!;
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
  for (let k = 0; k < nOld; k++) if (keptAt[k]! >= 0) content[keptAt[k]!] = state.keys.content[k]!;
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
 * MAX_BLOCK records (so that the cap is decided on exact strings, not 32-bit hashes). Among these records blocking
 * gives exactly the pairs a full match would; a pair with a record outside them is one the change did not touch, so
 * it is kept as it was. At 1,000,000 people, replacing 42,379 records marks 319,546 (652,403 when every record of a
 * changed block was marked).
 * Returns the marks and, per kind, how many records of the workspace hold each value the marked records hold.
 */
export function neighbourhood(
  state: KeyedMatchState,
  cur: CurrentRecords,
): { inS: Uint8Array; why: Uint8Array; counts: HashTable[] } {
  const { n, keys } = cur;
  const H = keys.hashes;
  const nOld = state.recordIds.length;
  const untrusted = (p: number) => H[ID * n + p] === 0;
  const lacksId = (p: number) => H[ID * n + p] === 0 && H[TYPED * n + p] === 0;
  const wants = (kind: number, p: number) => {
    const w = WANTED_BY[KEY_KINDS[kind]!];
    return w === 'any' || (w === 'untrusted' ? untrusted(p) : lacksId(p));
  };

  // Per kind, how many new and how many removed records hold each value; which values a new record that makes its
  // block worth pairing holds.
  const old = state.keys.hashes;
  // The new records' positions and the removed ones' state indexes, found once rather than per kind.
  const newAt: number[] = [],
    goneAt: number[] = [];
  for (let p = 0; p < n; p++) if (cur.isNew[p]) newAt.push(p);
  for (let k = 0; k < nOld; k++) if (cur.keptAt[k]! < 0) goneAt.push(k);
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

  const inS = new Uint8Array(n);
  // Why each record is marked: ID_HOLDER alone means only that it holds a number a new or removed record holds or
  // looks up (incremental-collapse.ts may leave it out then).
  const why = new Uint8Array(n);
  for (const p of newAt) inS[p] = why[p] = OTHER;
  // Per kind, values whose every holder is needed (a), and values whose holders that make the block worth pairing are
  // (w); the household groups that changed are kept for the twin guard below.
  let householdChanged = new HashTable(16);
  for (let kind = 0; kind < K; kind++) {
    const a = new HashTable(1024),
      w = new HashTable(1024);
    const any = WANTED_BY[KEY_KINDS[kind]!] === 'any';
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
      for (let p = 0; p < n; p++) after.bump(H[kind * n + p]!);
      after.forEach((h, now) => {
        const added = Math.max(0, addedBy[kind]!.count(h)),
          removed = Math.max(0, removedBy[kind]!.count(h));
        const before = now - added + removed;
        // Every holder: a block of all pairs (same number typed twice), one a new record pairs with everyone in, or
        // one near the cap (counted on hashes, which only overcount). Else only a new record joined a block under
        // the cap: its new pairs are with the block's records that make pairs, and what was removed took its pairs
        // with it.
        if (now > MAX_BLOCK || before > MAX_BLOCK || newWanting[kind]!.has(h)) a.add(h);
        else if (added > 0) w.add(h);
      });
    }
    if (kind === HOUSEHOLD) householdChanged = w;
    if (a.size || w.size)
      mark(inS, why, kind === ID ? ID_HOLDER : OTHER, n, (p) => {
        const h = H[kind * n + p]!;
        return a.has(h) || (w.has(h) && wants(kind, p));
      });
  }
  for (let p = 0; p < n; p++)
    for (let q = cur.queryStart[p]!; q < cur.queryStart[p + 1]!; q++)
      if (changedId.has(keys.queryHash[q]!)) {
        inS[p] = 1;
        why[p] = why[p]! | OTHER;
      }

  // Twins whose household changed: their pairs' twin flags are worked out again, which needs both records.
  const twinsMoved = new Set<number>();
  for (let p = 0; p < n; p++)
    if (inS[p] && !cur.isNew[p] && lacksId(p) && householdChanged.has(H[HOUSEHOLD * n + p]!))
      twinsMoved.add(cur.recordIds[p]!);
  if (twinsMoved.size) {
    const partners = new Set<number>();
    const { a, b } = state.pairs;
    for (let k = 0; k < a.length; k++) {
      if (twinsMoved.has(a[k]!)) partners.add(b[k]!);
      if (twinsMoved.has(b[k]!)) partners.add(a[k]!);
    }
    for (let p = 0; p < n; p++)
      if (partners.has(cur.recordIds[p]!)) {
        inS[p] = 1;
        why[p] = why[p]! | OTHER;
      }
  }

  // Marks only grow, so this ends: at worst every record is marked.
  for (;;) {
    // Closure: the holders of the numbers marked records look up, the twin guard's household groups.
    for (;;) {
      const needId = new HashTable(1024),
        needHousehold = new HashTable(1024);
      for (let p = 0; p < n; p++) {
        if (!inS[p]) continue;
        for (let q = cur.queryStart[p]!; q < cur.queryStart[p + 1]!; q++) needId.add(keys.queryHash[q]!);
        if (lacksId(p)) needHousehold.add(H[HOUSEHOLD * n + p]!);
      }
      const needed = (p: number) => needId.has(H[ID * n + p]!) || needHousehold.has(H[HOUSEHOLD * n + p]!);
      if (!mark(inS, why, OTHER, n, needed)) break;
    }
    // Whole-workspace counts of the values marked records want blocked; a count past the cap is made exact by
    // marking every record with that hash, whose strings blocking then counts.
    const counts = KEY_KINDS.map(() => new HashTable(1024));
    let grew = 0;
    for (let kind = 0; kind < K; kind++) {
      const c = counts[kind]!;
      for (let p = 0; p < n; p++) if (inS[p] && wants(kind, p)) c.add(H[kind * n + p]!);
      for (let p = 0; p < n; p++) c.bump(H[kind * n + p]!);
      const big = new HashTable(16);
      c.forEach((h, count) => {
        if (count > MAX_BLOCK) big.add(h);
      });
      if (big.size) grew += mark(inS, why, OTHER, n, (p) => big.has(H[kind * n + p]!));
    }
    if (!grew) return { inS, why, counts };
  }
}

/** Marks the records that should be, with the reason; returns how many were not marked before. */
function mark(inS: Uint8Array, why: Uint8Array, reason: number, n: number, should: (p: number) => boolean): number {
  let added = 0;
  for (let p = 0; p < n; p++) {
    // A record marked for another reason already cannot be left out: its reasons need not be known further.
    if (why[p]! & OTHER || !should(p)) continue;
    why[p] = why[p]! | reason;
    if (!inS[p]) {
      inS[p] = 1;
      added++;
    }
  }
  return added;
}
