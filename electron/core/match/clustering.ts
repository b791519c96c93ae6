import type { MatchData } from './match-data';

export interface Link {
  a: number;
  b: number;
  weight: number;
  /** 'clerk' links come from a 同一人 decision and are applied first, even across different ID numbers. */
  rule: 'clerk' | 'score';
}

/**
 * Links as columns (a full match has a million of them: no object each). The first `clerk` entries are clerks'
 * links, the rest the scored ones.
 */
export interface LinkColumns {
  a: Int32Array;
  b: Int32Array;
  weight: Float64Array;
  clerk: number;
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
  const clerk = links.filter((l) => l.rule === 'clerk');
  const ordered = [...clerk, ...links.filter((l) => l.rule !== 'clerk')];
  const columns: LinkColumns = {
    a: Int32Array.from(ordered, (l) => l.a),
    b: Int32Array.from(ordered, (l) => l.b),
    weight: Float64Array.from(ordered, (l) => l.weight),
    clerk: clerk.length,
  };
  const { root, refused } = clusterLinks(d, columns, different);
  return { root, refused: refused.map((k) => ordered[k]!) };
}

/**
 * The order links are applied in: clerks' first, then by weight (strongest first), ties by a then b. Scored links
 * that already come in (a, b) order, as a full match's do, are sorted as numbers (weight rank, position) without a
 * comparator; the result is the same.
 */
function linkOrder(l: LinkColumns): Uint32Array | Float64Array {
  const { a, b, weight } = l;
  const total = a.length;
  const byComparator = (x: number, y: number) => weight[y]! - weight[x]! || a[x]! - a[y]! || b[x]! - b[y]!;
  const clerk = Array.from({ length: l.clerk }, (_, k) => k).sort(byComparator);
  let inPairOrder = true;
  for (let k = l.clerk; k < total && inPairOrder; k++)
    inPairOrder =
      Number.isFinite(weight[k]!) && (k === l.clerk || a[k - 1]! < a[k]! || (a[k - 1] === a[k] && b[k - 1]! <= b[k]!));
  const order = new Float64Array(total);
  order.set(clerk);
  const scored = total - l.clerk;
  if (!inPairOrder || scored * scored >= Number.MAX_SAFE_INTEGER) {
    const rest = Array.from({ length: scored }, (_, k) => k + l.clerk).sort(byComparator);
    order.set(rest, l.clerk);
    return order;
  }
  // Distinct weights, strongest first: a link's rank among them, times the count, plus its position.
  const distinct = weight.slice(l.clerk).sort();
  let m = 0;
  for (let k = 0; k < distinct.length; k++)
    if (m === 0 || distinct[k] !== distinct[m - 1]) distinct[m++] = distinct[k]!;
  const rankKeys = new Float64Array(scored);
  for (let k = 0; k < scored; k++) {
    const w = weight[k + l.clerk]!;
    let lo = 0,
      hi = m - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (distinct[mid]! < w) lo = mid + 1;
      else hi = mid;
    }
    rankKeys[k] = (m - 1 - lo) * scored + k;
  }
  rankKeys.sort();
  for (let k = 0; k < scored; k++) order[l.clerk + k] = (rankKeys[k]! % scored) + l.clerk;
  return order;
}

/** clusterRecords over links as columns; refused links by their position in `links`. */
export function clusterLinks(
  d: MatchData,
  links: LinkColumns,
  different: [number, number][],
): { root: Int32Array; refused: number[] } {
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

  const refused: number[] = [];
  const order = linkOrder(links);
  for (let o = 0; o < order.length; o++) {
    const k = order[o]!;
    const ra = find(links.a[k]!),
      rb = find(links.b[k]!);
    if (ra === rb) continue;
    if (conflicts(ra, rb, k < links.clerk)) {
      refused.push(k);
      continue;
    }
    // Union by smaller index, so roots (and everything derived) do not depend on link order ties.
    const root = ra < rb ? ra : rb,
      child = ra < rb ? rb : ra;
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
