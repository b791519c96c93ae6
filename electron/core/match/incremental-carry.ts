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
  const newIdAt = new Int32Array(nOld);
  for (const [k, rid] of carried) newIdAt[k] = rid;
  for (const k of removed) if (!newIdAt[k]) newIdAt[k] = -(k + 1);
  const idOf = (k: number) => newIdAt[k] || state.recordIds[k]!;
  const order = mergedOrder(nOld, idOf, (k) => newIdAt[k] !== 0);
  const permute = <T extends Int32Array | Uint32Array | Uint8Array>(a: T, out: T): T => {
    for (let i = 0; i < nOld; i++) out[i] = a[order[i]!]!;
    return out;
  };
  const hashes = new Uint32Array(K * nOld);
  for (let kind = 0; kind < K; kind++)
    for (let i = 0; i < nOld; i++) hashes[kind * nOld + i] = state.keys.hashes[kind * nOld + order[i]!]!;
  // By old record id: its new id, or 0.
  const newIdOf = new Int32Array((state.recordIds[nOld - 1] ?? 0) + 1);
  for (let k = 0; k < nOld; k++) if (newIdAt[k]) newIdOf[state.recordIds[k]!] = newIdAt[k]!;
  const renamedId = (rid: number) => (rid > 0 && rid < newIdOf.length && newIdOf[rid]) || rid;
  // Looked-up numbers, by owner in the new order.
  const { queryHash, queryOwner } = state.keys;
  const qOrder = mergedOrder(
    queryOwner.length,
    (q) => renamedId(queryOwner[q]!),
    (q) => renamedId(queryOwner[q]!) !== queryOwner[q],
  );
  return {
    ...state,
    recordIds: Int32Array.from(order, idOf),
    personIds: permute(state.personIds, new Int32Array(nOld)),
    possibleCut: permute(state.possibleCut, new Uint8Array(nOld)),
    keys: {
      hashes,
      content: permute(state.keys.content, new Uint32Array(nOld)),
      queryHash: Uint32Array.from(qOrder, (q) => queryHash[q]!),
      queryOwner: Int32Array.from(qOrder, (q) => renamedId(queryOwner[q]!)),
    },
    pairs: renamePairs(state.pairs, renamedId),
  };
}

/** Pairs with renamed records, still sorted by (a, b) with a < b: the renamed ones sorted and merged back in. */
function renamePairs(old: StoredPairs, renamedId: (rid: number) => number): StoredPairs {
  const moved: number[] = [];
  for (let s = 0; s < old.a.length; s++)
    if (renamedId(old.a[s]!) !== old.a[s] || renamedId(old.b[s]!) !== old.b[s]) moved.push(s);
  const ends = (s: number): [number, number] => {
    const a = renamedId(old.a[s]!),
      b = renamedId(old.b[s]!);
    return a < b ? [a, b] : [b, a];
  };
  const movedEnds = moved.map((s) => [s, ...ends(s)] as [number, number, number]);
  movedEnds.sort((x, y) => x[1] - y[1] || x[2] - y[2]);
  const isMoved = new Uint8Array(old.a.length);
  for (const s of moved) isMoved[s] = 1;
  const out = new PairWriter(old.a.length);
  const put = (s: number, a: number, b: number) => out.add(a, b, old.weight[s]!, old.flags[s]!);
  let s = 0;
  const nextKept = () => {
    while (s < old.a.length && isMoved[s]) s++;
  };
  nextKept();
  for (let y = 0; s < old.a.length || y < movedEnds.length;) {
    const e = movedEnds[y];
    if (e === undefined || (s < old.a.length && (old.a[s]! - e[1] || old.b[s]! - e[2]) < 0)) {
      put(s, old.a[s]!, old.b[s]!);
      s++;
      nextKept();
    } else {
      put(e[0], e[1], e[2]);
      y++;
    }
  }
  return out.finish();
}
