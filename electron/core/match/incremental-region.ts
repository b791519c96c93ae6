import { PAIR_SIBLING, type StoredPairs } from './match-state';

/** Link edges by record id (compressed rows): pairs at link weight without sibling risk, and every decision. */
export function linkGraph(pairs: StoredPairs, decisions: [number, number][], maxId: number, linkWeight: number) {
  const { a, b, weight, flags } = pairs;
  // The links' positions, found once: two passes over two million pairs through closures took 0.16 s of a roll's
  // re-match at 1,000,000 people.
  const links = new Int32Array(a.length);
  let m = 0;
  for (let k = 0; k < a.length; k++) if (weight[k]! >= linkWeight && !(flags[k]! & PAIR_SIBLING)) links[m++] = k;
  const start = new Int32Array(maxId + 2);
  for (let i = 0; i < m; i++) {
    start[a[links[i]!]! + 1]!++;
    start[b[links[i]!]! + 1]!++;
  }
  for (const [x, y] of decisions) {
    start[x + 1]!++;
    start[y + 1]!++;
  }
  for (let i = 1; i < start.length; i++) start[i]! += start[i - 1]!;
  const fill = start.slice(0, maxId + 1);
  const next = new Int32Array(start[maxId + 1]!);
  const edge = (x: number, y: number) => {
    next[fill[x]!++] = y;
    next[fill[y]!++] = x;
  };
  for (let i = 0; i < m; i++) edge(a[links[i]!]!, b[links[i]!]!);
  for (const [x, y] of decisions) edge(x, y);
  return { start, next };
}

/**
 * Every record whose person may change: the seeds, everything linked to them, and every record of a person any of
 * those belonged to. Outside this set the links are the same as last time, so the persons are too. The persons are
 * the state's (`personIds`, 0 for a new record, by position in `recordIds`), not read a record at a time: at
 * 200,000 people and five years that was 5.9 s of a new year's re-match.
 */
export function affected(
  graph: { start: Int32Array; next: Int32Array },
  maxId: number,
  seeds: Iterable<number>,
  seedPersons: Iterable<number>,
  recordIds: Int32Array,
  personIds: Int32Array,
): { records: Int32Array; oldPersons: Set<number> } {
  const n = recordIds.length;
  const personOf = new Int32Array(maxId + 1);
  let maxPerson = 0;
  for (let p = 0; p < n; p++) {
    if (recordIds[p]! <= maxId) personOf[recordIds[p]!] = personIds[p]!;
    if (personIds[p]! > maxPerson) maxPerson = personIds[p]!;
  }
  // Each person's records (compressed rows by person id).
  const first = new Int32Array(maxPerson + 2);
  for (let p = 0; p < n; p++) if (personIds[p]) first[personIds[p]! + 1]!++;
  for (let q = 1; q < first.length; q++) first[q]! += first[q - 1]!;
  const fill = first.slice(0, maxPerson + 1);
  const members = new Int32Array(first[maxPerson + 1]!);
  for (let p = 0; p < n; p++) if (personIds[p]) members[fill[personIds[p]!]!++] = recordIds[p]!;

  const inSet = new Uint8Array(maxId + 1);
  const queue: number[] = [];
  const oldPersons = new Set<number>();
  const push = (rid: number) => {
    if (rid >= 0 && rid <= maxId && !inSet[rid]) {
      inSet[rid] = 1;
      queue.push(rid);
    }
  };
  const person = (x: number) => {
    if (!x || oldPersons.has(x)) return;
    oldPersons.add(x);
    if (x > maxPerson) return;
    for (let q = first[x]!; q < first[x + 1]!; q++) push(members[q]!);
  };
  for (const x of seedPersons) person(x);
  for (const rid of seeds) push(rid);
  while (queue.length) {
    const rid = queue.pop()!;
    for (let e = graph.start[rid]!; e < graph.start[rid + 1]!; e++) push(graph.next[e]!);
    person(personOf[rid]!);
  }
  const records: number[] = [];
  for (let rid = 0; rid <= maxId; rid++) if (inSet[rid]) records.push(rid);
  return { records: Int32Array.from(records), oldPersons };
}

export function symmetricDifference(a: string[], b: string[]): string[] {
  const sa = new Set(a),
    sb = new Set(b);
  return [...a.filter((x) => !sb.has(x)), ...b.filter((x) => !sa.has(x))];
}
