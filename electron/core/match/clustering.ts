import type { MatchData } from './match-data';

export interface Link {
  a: number;
  b: number;
  weight: number;
  /** 'clerk' links come from a 同一人 decision and are applied first, even across different ID numbers. */
  rule: 'clerk' | 'score';
}

/**
 * Connected components over accepted links, strongest first, under constraints that a chain can never break:
 * no cluster may hold two different trusted ID numbers (unless a clerk joined them), and no cluster may hold two
 * records a clerk declared different. A link that would violate either is refused and reported.
 */
export function clusterRecords(
  d: MatchData,
  links: Link[],
  different: [number, number][],
): { root: Int32Array; refused: Link[] } {
  const parent = new Int32Array(d.n);
  for (let i = 0; i < d.n; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  // Per root: its trusted ID ('' none, '*' several joined by a clerk) and the records it must stay apart from.
  // A number that may be another's cut by Excel (possibleCut) is no proof of a different person.
  const rootId: string[] = d.idNumber.map((id, i) => (d.possibleCut?.[i] ? '' : id));
  const apart = new Map<number, number[]>();
  for (const [x, y] of different) {
    for (const [p, q] of [
      [x, y],
      [y, x],
    ] as const) {
      const list = apart.get(p);
      if (list) list.push(q);
      else apart.set(p, [q]);
    }
  }
  const membersApart = new Map<number, number[]>(); // root → its records that have an apart list
  for (const x of apart.keys()) membersApart.set(x, [x]);

  const conflicts = (ra: number, rb: number, clerk: boolean): boolean => {
    const ia = rootId[ra]!,
      ib = rootId[rb]!;
    if (!clerk && ia && ib && ia !== ib) return true;
    const ma = membersApart.get(ra),
      mb = membersApart.get(rb);
    if (!ma || !mb) return false;
    const [small, otherRoot] = ma.length <= mb.length ? [ma, rb] : [mb, ra];
    for (const x of small) for (const y of apart.get(x)!) if (find(y) === otherRoot) return true;
    return false;
  };

  const refused: Link[] = [];
  const ordered = [...links].sort((p, q) =>
    p.rule === q.rule ? q.weight - p.weight || p.a - q.a || p.b - q.b : p.rule === 'clerk' ? -1 : 1,
  );
  for (const link of ordered) {
    const ra = find(link.a),
      rb = find(link.b);
    if (ra === rb) continue;
    if (conflicts(ra, rb, link.rule === 'clerk')) {
      refused.push(link);
      continue;
    }
    // Union by smaller index, so roots (and everything derived) do not depend on link order ties.
    const [root, child] = ra < rb ? [ra, rb] : [rb, ra];
    parent[child] = root;
    const ir = rootId[root]!,
      ic = rootId[child]!;
    rootId[root] = ir && ic && ir !== ic ? '*' : ir || ic;
    const mc = membersApart.get(child);
    if (mc) {
      const mr = membersApart.get(root);
      if (mr) mr.push(...mc);
      else membersApart.set(root, mc);
      membersApart.delete(child);
    }
  }
  const root = new Int32Array(d.n);
  for (let i = 0; i < d.n; i++) root[i] = find(i);
  return { root, refused };
}
