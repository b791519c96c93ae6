import type Database from 'better-sqlite3';
import { PAIR_SIBLING, type StoredPairs } from './match-state';

/** Link edges by record id (compressed rows): pairs at link weight without sibling risk, and every decision. */
export function linkGraph(pairs: StoredPairs, decisions: [number, number][], maxId: number, linkWeight: number) {
  const start = new Int32Array(maxId + 2);
  const isLink = (k: number) => pairs.weight[k]! >= linkWeight && !(pairs.flags[k]! & PAIR_SIBLING);
  const each = (f: (x: number, y: number) => void) => {
    for (let k = 0; k < pairs.a.length; k++) if (isLink(k)) f(pairs.a[k]!, pairs.b[k]!);
    for (const [x, y] of decisions) f(x, y);
  };
  each((x, y) => {
    start[x + 1]!++;
    start[y + 1]!++;
  });
  for (let i = 1; i < start.length; i++) start[i]! += start[i - 1]!;
  const fill = start.slice(0, maxId + 1);
  const next = new Int32Array(start[maxId + 1]!);
  each((x, y) => {
    next[fill[x]!++] = y;
    next[fill[y]!++] = x;
  });
  return { start, next };
}

/**
 * Every record whose person may change: the seeds, everything linked to them, and every record of a person any of
 * those belonged to. Outside this set the links are the same as last time, so the persons are too.
 */
export function affected(
  db: Database.Database,
  graph: { start: Int32Array; next: Int32Array },
  maxId: number,
  seeds: Iterable<number>,
  seedPersons: Iterable<number>,
): { records: Int32Array; oldPersons: Set<number> } {
  const personOf = db.prepare('SELECT person_id FROM record WHERE id = ?').pluck();
  const recordsOf = db.prepare('SELECT id FROM record WHERE person_id = ?').pluck();
  const inSet = new Uint8Array(maxId + 1);
  const queue: number[] = [];
  const oldPersons = new Set<number>();
  const push = (rid: number) => {
    if (rid <= maxId && !inSet[rid]) {
      inSet[rid] = 1;
      queue.push(rid);
    }
  };
  const person = (p: number) => {
    if (!p || oldPersons.has(p)) return;
    oldPersons.add(p);
    for (const rid of recordsOf.all(p) as number[]) push(rid);
  };
  for (const p of seedPersons) person(p);
  for (const rid of seeds) push(rid);
  while (queue.length) {
    const rid = queue.pop()!;
    for (let e = graph.start[rid]!; e < graph.start[rid + 1]!; e++) push(graph.next[e]!);
    person((personOf.get(rid) as number | null) ?? 0);
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
