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
  // In typed arrays indexed by person id and by record index, not Maps: a million persons' Map operations took 1.8 s
  // of a full match at 1,000,000 people.
  let maxId = 0;
  for (let i = 0; i < d.n; i++) if (d.personId[i]! > maxId) maxId = d.personId[i]!;
  // Earliest record of each previous person (records are loaded in record-id order, so the first seen is earliest).
  const earliest = new Int32Array(maxId + 1).fill(-1);
  for (let i = 0; i < d.n; i++) {
    const p = d.personId[i]!;
    if (p && earliest[p] === -1) earliest[p] = i;
  }
  // Which previous ids keep in each cluster: those whose earliest record is in it. Visited in ascending id order, so
  // the first to reach a cluster is its smallest (oldest) id.
  const idOfRoot = new Int32Array(d.n);
  const retired: PersonAssignment['retired'] = [];
  for (let p = 1; p <= maxId; p++) {
    if (earliest[p] === -1) continue;
    const r = root[earliest[p]!]!;
    if (idOfRoot[r] === 0) idOfRoot[r] = p;
    else retired.push({ id: p, reason: 'merged', successor: idOfRoot[r]! });
  }
  const created: number[] = [];
  const personOf = new Int32Array(d.n);
  for (let i = 0; i < d.n; i++) {
    const r = root[i]!;
    if (idOfRoot[r] === 0) {
      idOfRoot[r] = nextId++;
      created.push(idOfRoot[r]!);
    }
    personOf[i] = idOfRoot[r]!;
  }
  // A split never retires an id: the id stays with the part holding its earliest record.
  return { personOf, created, retired };
}
