import type { MatchData } from './match-data';

export interface PersonAssignment {
  /** Person id per record index. */
  personOf: Int32Array;
  /** Ids newly created in this run, in creation order. */
  created: number[];
  /** Previous ids that no longer name a cluster, with what became of them. */
  retired: { id: number; reason: 'merged'; successor: number }[];
}

/**
 * Stable 人员编号 (clerks hand them to townships). A person keeps their id across re-runs, new rolls and decisions.
 * Deterministic rules when clusters change:
 *  - split: the part holding the person's earliest record (lowest record id) keeps the id; other parts get new ids;
 *  - merge: of the ids that keep within one cluster, the smallest (oldest) survives; the others are retired;
 *  - new clusters get new ids in order of their earliest record.
 */
export function assignPersonIds(d: MatchData, root: Int32Array, nextId: number): PersonAssignment {
  // Earliest record of each previous person (records are loaded in record-id order, so the first seen is earliest).
  const earliest = new Map<number, number>();
  for (let i = 0; i < d.n; i++) {
    const p = d.personId[i]!;
    if (p && !earliest.has(p)) earliest.set(p, i);
  }
  // Which previous ids keep in each cluster: those whose earliest record is in it.
  const keepers = new Map<number, number[]>();
  for (const [p, i] of earliest) {
    const r = root[i]!;
    const list = keepers.get(r);
    if (list) list.push(p);
    else keepers.set(r, [p]);
  }
  const idOfRoot = new Map<number, number>();
  const retired: PersonAssignment['retired'] = [];
  for (const [r, ids] of keepers) {
    ids.sort((x, y) => x - y);
    idOfRoot.set(r, ids[0]!);
    for (const other of ids.slice(1)) retired.push({ id: other, reason: 'merged', successor: ids[0]! });
  }
  const created: number[] = [];
  const personOf = new Int32Array(d.n);
  for (let i = 0; i < d.n; i++) {
    const r = root[i]!;
    let id = idOfRoot.get(r);
    if (id === undefined) {
      id = nextId++;
      created.push(id);
      idOfRoot.set(r, id);
    }
    personOf[i] = id;
  }
  // A split never retires an id: the id stays with the part holding its earliest record.
  return { personOf, created, retired };
}
