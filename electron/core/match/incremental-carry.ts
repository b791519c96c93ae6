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
  // Removed: gone from the workspace, or its id now names a new record.
  const isAdded = new Set(added);
  const removedByContent = new Map<number, number[]>();
  const removed: number[] = [];
  {
    let p = 0;
    for (let k = 0; k < nOld; k++) {
      const rid = state.recordIds[k]!;
      while (p < recordIds.length && recordIds[p]! < rid) p++;
      const gone = p >= recordIds.length || recordIds[p] !== rid || isAdded.has(rid);
      if (!gone) continue;
      removed.push(k);
      const h = state.keys.content[k]!;
      const list = removedByContent.get(h);
      if (list) list.push(k);
      else removedByContent.set(h, [k]);
    }
  }
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
  const stay: number[] = [],
    go: number[] = [];
  for (let i = 0; i < n; i++) (moved(i) ? go : stay).push(i);
  go.sort((x, y) => keyOf(x) - keyOf(y) || x - y);
  const order = new Int32Array(n);
  for (let m = 0, x = 0, y = 0; m < n; m++) {
    const a = stay[x],
      b = go[y];
    order[m] = b === undefined || (a !== undefined && keyOf(a) <= keyOf(b)) ? stay[x++]! : go[y++]!;
  }
  return order;
}

/**
 * The state with the carried records under their new ids, every array put back in record-id order. A removed record
 * that nothing carried gets a negative id: SQLite gives the ids of the last rows removed to the next rows inserted,
 * so its old id may now be a carried record's.
 */
function renameState(state: KeyedMatchState, carried: Map<number, number>, removed: number[]): KeyedMatchState {
  const nOld = state.recordIds.length;
  const renamed = new Map(carried);
  for (const k of removed) if (!carried.has(k)) renamed.set(k, -(k + 1));
  const idOf = (k: number) => renamed.get(k) ?? state.recordIds[k]!;
  const order = mergedOrder(nOld, idOf, (k) => renamed.has(k));
  const permute = <T extends Int32Array | Uint32Array | Uint8Array>(a: T, out: T): T => {
    for (let i = 0; i < nOld; i++) out[i] = a[order[i]!]!;
    return out;
  };
  const hashes = new Uint32Array(K * nOld);
  for (let kind = 0; kind < K; kind++)
    for (let i = 0; i < nOld; i++) hashes[kind * nOld + i] = state.keys.hashes[kind * nOld + order[i]!]!;
  // Looked-up numbers, by owner in the new order.
  const newIdOf = new Map<number, number>();
  for (const [k, rid] of renamed) newIdOf.set(state.recordIds[k]!, rid);
  const { queryHash, queryOwner } = state.keys;
  const ownerOf = (q: number) => newIdOf.get(queryOwner[q]!) ?? queryOwner[q]!;
  const qOrder = mergedOrder(queryOwner.length, ownerOf, (q) => newIdOf.has(queryOwner[q]!));
  return {
    ...state,
    recordIds: Int32Array.from(order, idOf),
    personIds: permute(state.personIds, new Int32Array(nOld)),
    possibleCut: permute(state.possibleCut, new Uint8Array(nOld)),
    keys: {
      hashes,
      content: permute(state.keys.content, new Uint32Array(nOld)),
      queryHash: Uint32Array.from(qOrder, (q) => queryHash[q]!),
      queryOwner: Int32Array.from(qOrder, (q) => ownerOf(q)),
    },
    pairs: renamePairs(state.pairs, newIdOf),
  };
}

/** Pairs with renamed records, still sorted by (a, b) with a < b: the renamed ones sorted and merged back in. */
function renamePairs(old: StoredPairs, newIdOf: Map<number, number>): StoredPairs {
  const kept: number[] = [],
    moved: number[] = [];
  for (let s = 0; s < old.a.length; s++) (newIdOf.has(old.a[s]!) || newIdOf.has(old.b[s]!) ? moved : kept).push(s);
  const ends = (s: number): [number, number] => {
    const a = newIdOf.get(old.a[s]!) ?? old.a[s]!,
      b = newIdOf.get(old.b[s]!) ?? old.b[s]!;
    return a < b ? [a, b] : [b, a];
  };
  const movedEnds = moved.map((s) => [s, ...ends(s)] as [number, number, number]);
  movedEnds.sort((x, y) => x[1] - y[1] || x[2] - y[2]);
  const out = new PairWriter(old.a.length);
  const put = (s: number, a: number, b: number) => out.add(a, b, old.weight[s]!, old.flags[s]!);
  for (let x = 0, y = 0; x < kept.length || y < movedEnds.length;) {
    const s = kept[x];
    const e = movedEnds[y];
    if (e === undefined || (s !== undefined && (old.a[s]! - e[1] || old.b[s]! - e[2]) < 0)) {
      put(s!, old.a[s!]!, old.b[s!]!);
      x++;
    } else {
      put(e[0], e[1], e[2]);
      y++;
    }
  }
  return out.finish();
}
