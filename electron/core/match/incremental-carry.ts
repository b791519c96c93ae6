import { PairWriter, type KeyedMatchState, type StoredPairs } from './match-state';
import { KEY_KINDS, type RecordKeys } from './record-keys';

const K = KEY_KINDS.length;

/** What carrying over found: the state as if the carried records had always had their new ids. */
export interface Carried {
  state: KeyedMatchState;
  /** New records (ids, ascending) that took over a removed record's place. */
  carried: Int32Array;
  /** Positions in `added` of the records still to be blocked as new. */
  stillNew: number[];
}

/**
 * The platform's roll is imported again every few days, and most of its records come back unchanged under new ids.
 * A new record whose fields (content hash) and every key hash equal those of a removed record of the last match is
 * that record again: the same blocks, the same comparisons, so the same pairs and weights. It takes the removed
 * record's place in the state (its pairs, keys and marks, renamed to the new id) instead of being blocked as new; it
 * is still re-clustered, since its person is worked out again as a full match would.
 */
export function carryOver(
  state: KeyedMatchState,
  recordIds: Int32Array,
  added: Int32Array,
  fresh: RecordKeys,
): Carried {
  const nOld = state.recordIds.length,
    nNew = added.length;
  // Removed: gone from the workspace, or its id now names a new record. All three lists ascend: walked side by side,
  // not a Set of the added ids (a new year's link adds 834,890 to 4.1 million kept).
  const removedByContent = new Map<number, number[]>();
  const removed: number[] = [];
  {
    let p = 0,
      q = 0;
    for (let k = 0; k < nOld; k++) {
      const rid = state.recordIds[k]!;
      while (p < recordIds.length && recordIds[p]! < rid) p++;
      while (q < nNew && added[q]! < rid) q++;
      const gone = p >= recordIds.length || recordIds[p] !== rid || (q < nNew && added[q] === rid);
      if (!gone) continue;
      removed.push(k);
      const h = state.keys.content[k]!;
      const list = removedByContent.get(h);
      if (list) list.push(k);
      else removedByContent.set(h, [k]);
    }
  }
  // Nothing removed (a new year's roll): every added record is new.
  if (!removed.length)
    return { state, carried: new Int32Array(0), stillNew: Array.from({ length: nNew }, (_, j) => j) };
  const renamed = new Map<number, number>(); // state index → new record id
  const stillNew: number[] = [];
  const sameKeys = (k: number, j: number) => {
    for (let kind = 0; kind < K; kind++)
      if (state.keys.hashes[kind * nOld + k] !== fresh.hashes[kind * nNew + j]) return false;
    return true;
  };
  for (let j = 0; j < nNew; j++) {
    const list = removedByContent.get(fresh.content[j]!);
    const at = list ? list.findIndex((k) => sameKeys(k, j)) : -1;
    if (at < 0) {
      stillNew.push(j);
      continue;
    }
    renamed.set(list![at]!, added[j]!);
    list!.splice(at, 1);
  }
  if (!renamed.size) return { state, carried: new Int32Array(0), stillNew };
  return {
    state: renameState(state, renamed, removed),
    carried: Int32Array.from(renamed.values()).sort(),
    stillNew,
  };
}

/**
 * Positions in a new order: the unmoved items keep their (sorted) order, the moved ones are sorted by their new key
 * and merged in. A full sort of two million records with a comparator cost about a second.
 */
function mergedOrder(n: number, keyOf: (i: number) => number, moved: (i: number) => boolean): Int32Array {
  let nGo = 0;
  for (let i = 0; i < n; i++) if (moved(i)) nGo++;
  const stay = new Int32Array(n - nGo),
    go: number[] = [];
  for (let i = 0, x = 0; i < n; i++)
    if (moved(i)) go.push(i);
    else stay[x++] = i;
  go.sort((x, y) => keyOf(x) - keyOf(y) || x - y);
  const order = new Int32Array(n);
  for (let m = 0, x = 0, y = 0; m < n; m++) {
    const takeStay = y >= go.length || (x < stay.length && keyOf(stay[x]!) <= keyOf(go[y]!));
    order[m] = takeStay ? stay[x++]! : go[y++]!;
  }
  return order;
}

/**
 * The state with the carried records under their new ids, every array put back in record-id order. A removed record
 * that nothing carried gets a negative id: SQLite gives the ids of the last rows removed to the next rows inserted,
 * so its old id may now be a carried record's. New ids are looked up in typed arrays (0: not renamed; no record has
 * id 0): Maps looked up for each of two million records and four million pairs cost about 3 s of a roll's re-match.
 */
function renameState(state: KeyedMatchState, carried: Map<number, number>, removed: number[]): KeyedMatchState {
  const nOld = state.recordIds.length;
  const oldIds = state.recordIds;
  const newIdAt = new Int32Array(nOld);
  for (const [k, rid] of carried) newIdAt[k] = rid;
  for (const k of removed) if (!newIdAt[k]) newIdAt[k] = -(k + 1);
  const order = mergedOrder(
    nOld,
    (k) => newIdAt[k] || oldIds[k]!,
    (k) => newIdAt[k] !== 0,
  );
  // The new order is the kept records in long runs, with the moved ones between: arrays are copied run by run.
  const runs = runsOf(order);
  const hashes = new Uint32Array(K * nOld);
  for (let kind = 0; kind < K; kind++) copyRuns(state.keys.hashes, hashes, runs, kind * nOld);
  const recordIds = new Int32Array(nOld);
  for (let i = 0; i < nOld; i++) recordIds[i] = newIdAt[order[i]!] || oldIds[order[i]!]!;
  // By old record id: its new id, or 0.
  const newIdOf = new Int32Array((oldIds[nOld - 1] ?? 0) + 1);
  for (let k = 0; k < nOld; k++) if (newIdAt[k]) newIdOf[oldIds[k]!] = newIdAt[k]!;
  const renamedId = (rid: number) => (rid > 0 && rid < newIdOf.length && newIdOf[rid]) || rid;
  // Looked-up numbers, by owner in the new order.
  const { queryHash, queryOwner } = state.keys;
  const qOrder = mergedOrder(
    queryOwner.length,
    (q) => renamedId(queryOwner[q]!),
    (q) => renamedId(queryOwner[q]!) !== queryOwner[q],
  );
  const qRuns = runsOf(qOrder);
  const owners = new Int32Array(queryOwner.length);
  for (let q = 0; q < owners.length; q++) owners[q] = renamedId(queryOwner[qOrder[q]!]!);
  return {
    ...state,
    recordIds,
    personIds: copyRuns(state.personIds, new Int32Array(nOld), runs),
    possibleCut: copyRuns(state.possibleCut, new Uint8Array(nOld), runs),
    keys: {
      hashes,
      content: copyRuns(state.keys.content, new Uint32Array(nOld), runs),
      queryHash: copyRuns(queryHash, new Uint32Array(queryHash.length), qRuns),
      queryOwner: owners,
    },
    pairs: renamePairs(state.pairs, newIdOf),
  };
}

/** An order as runs of consecutive positions: [from, length, from, length…]. */
function runsOf(order: Int32Array): Int32Array {
  const runs: number[] = [];
  for (let i = 0; i < order.length;) {
    let j = i + 1;
    while (j < order.length && order[j] === order[j - 1]! + 1) j++;
    runs.push(order[i]!, j - i);
    i = j;
  }
  return Int32Array.from(runs);
}

/** `out[offset + i] = src[offset + order[i]]`, the order given as runs (runsOf). */
function copyRuns<T extends Int32Array | Uint32Array | Uint8Array>(src: T, out: T, runs: Int32Array, offset = 0): T {
  for (let r = 0, at = offset; r < runs.length; r += 2) {
    const from = offset + runs[r]!,
      length = runs[r + 1]!;
    // A short run element by element: a roll imported again in another row order gives runs of one.
    if (length < 16) for (let i = 0; i < length; i++) out[at + i] = src[from + i]!;
    else out.set(src.subarray(from, from + length) as never, at);
    at += length;
  }
  return out;
}

/** Pairs with renamed records, still sorted by (a, b) with a < b: the renamed ones sorted and merged back in. */
function renamePairs(old: StoredPairs, newIdOf: Int32Array): StoredPairs {
  const n = old.a.length,
    top = newIdOf.length;
  // By old record id its new id, 0 if not renamed (a typed array, not a closure per pair: four million pairs).
  const isMoved = new Uint8Array(n);
  let moved = 0;
  for (let s = 0; s < n; s++) {
    const a = old.a[s]!,
      b = old.b[s]!;
    if ((a > 0 && a < top && newIdOf[a]) || (b > 0 && b < top && newIdOf[b])) {
      isMoved[s] = 1;
      moved++;
    }
  }
  const ma = new Int32Array(moved),
    mb = new Int32Array(moved),
    from = new Int32Array(moved);
  for (let s = 0, m = 0; s < n; s++) {
    if (!isMoved[s]) continue;
    const a0 = old.a[s]!,
      b0 = old.b[s]!;
    const a = (a0 > 0 && a0 < top && newIdOf[a0]) || a0,
      b = (b0 > 0 && b0 < top && newIdOf[b0]) || b0;
    ma[m] = Math.min(a, b);
    mb[m] = Math.max(a, b);
    from[m++] = s;
  }
  const order = Int32Array.from(ma.keys()).sort((x, y) => ma[x]! - ma[y]! || mb[x]! - mb[y]!);
  const out = new PairWriter(n);
  let s = 0;
  while (s < n && isMoved[s]) s++;
  for (let y = 0; s < n || y < moved;) {
    const m = order[y]!;
    if (y >= moved || (s < n && (old.a[s]! - ma[m]! || old.b[s]! - mb[m]!) < 0)) {
      out.add(old.a[s]!, old.b[s]!, old.weight[s]!, old.flags[s]!);
      s++;
      while (s < n && isMoved[s]) s++;
    } else {
      out.add(ma[m]!, mb[m]!, old.weight[from[m]!]!, old.flags[from[m]!]!);
      y++;
    }
  }
  return out.finish();
}
