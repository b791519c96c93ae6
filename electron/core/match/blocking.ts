import { idNeighbours, truncatedCandidates, usableTyped } from './comparisons';
import type { MatchData } from './match-data';

/** Largest block whose pairs are all compared; larger ones (very common keys) are skipped and counted. */
export const MAX_BLOCK = 400;

export interface BlockingStats {
  pairs: number;
  byKey: Record<string, number>;
  oversizedBlocks: number;
}

function appendTo(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Candidate pairs, each as a*n+b with a<b (record indexes), deduplicated. */
export class PairSet {
  private readonly set = new Set<number>();
  constructor(private readonly n: number) {}
  add(a: number, b: number): boolean {
    if (a === b) return false;
    const k = a < b ? a * this.n + b : b * this.n + a;
    if (this.set.has(k)) return false;
    this.set.add(k);
    return true;
  }
  get size(): number {
    return this.set.size;
  }
  /** Sorted, so every run visits pairs in the same order (deterministic output). */
  toSortedArray(): Float64Array {
    const arr = Float64Array.from(this.set);
    arr.sort();
    return arr;
  }
}

/** The two record indexes of a pair key made by PairSet (a*n+b). */
export function splitPair(k: number, n: number): [number, number] {
  const a = Math.floor(k / n);
  return [a, k - a * n];
}

/**
 * Blocking: several keys, so that one typo cannot hide a match (DESIGN §5).
 *  1. the trusted ID number;  2. valid numbers one typo away from a mistyped one;  3. numbers an Excel-truncated one
 *  may have been;  4. name + birth date;  5. name pinyin + birth month;  6. name + township;  7. region + birth date + gender.
 * Two records whose trusted IDs differ are different people (MOD 11-2 catches every single typo and adjacent swap),
 * so keys 4–7 only pair records of which at least one has no trusted ID. This keeps the matcher near-linear.
 */
export function candidatePairs(d: MatchData, onProgress?: (done: number) => void): { pairs: PairSet; stats: BlockingStats } {
  const pairs = new PairSet(d.n);
  const byKey: Record<string, number> = {};
  let oversized = 0;
  const count = (key: string, added: boolean) => {
    if (added) byKey[key] = (byKey[key] ?? 0) + 1;
  };

  // Pairs within each block; a block larger than MAX_BLOCK (a very common key) is skipped and counted.
  const pairBlocks = (blocks: Map<string, number[]>, key: string, keep: (a: number, b: number) => boolean) => {
    for (const list of blocks.values()) {
      if (list.length < 2) continue;
      if (list.length > MAX_BLOCK) {
        oversized++;
        continue;
      }
      for (let x = 0; x < list.length; x++) {
        for (let y = x + 1; y < list.length; y++) if (keep(list[x]!, list[y]!)) count(key, pairs.add(list[x]!, list[y]!));
      }
    }
  };

  // 1. Exact trusted ID.
  const byId = new Map<string, number[]>();
  for (let i = 0; i < d.n; i++) if (d.id18[i]) appendTo(byId, d.id18[i]!, i);
  pairBlocks(byId, 'id', () => true);
  onProgress?.(1);

  // 2 and 3. Typed numbers that are not trusted: look up their possible true numbers.
  const untrusted: number[] = [];
  for (let i = 0; i < d.n; i++) if (!d.id18[i]) untrusted.push(i);
  const byTyped = new Map<string, number[]>();
  for (const i of untrusted) {
    const usable = usableTyped(d.idStatus[i]!, d.idTyped[i]!);
    if (!usable) continue;
    const candidates = usable.length === 18 ? idNeighbours(usable) : truncatedCandidates(usable);
    for (const c of candidates) for (const j of byId.get(c) ?? []) count(usable.length === 18 ? 'idTypo' : 'idTruncated', pairs.add(i, j));
    // Two untrusted copies of the same typed number (a typo copied from one roll to the next).
    for (const j of byTyped.get(usable) ?? []) count('idTyped', pairs.add(i, j));
    appendTo(byTyped, usable, i);
  }
  byId.clear();
  onProgress?.(2);

  // 4–7. Keys on names, dates and places: only pairs with at least one untrusted side.
  const blockKeys: [string, (i: number) => string][] = [
    ['nameBirth', (i) => (d.nameKey[i] && d.birth[i]!.length === 10 ? `${d.nameKey[i]}|${d.birth[i]}` : '')],
    ['pinyinMonth', (i) => (d.pinyin[i] && d.birth[i] ? `${d.pinyin[i]}|${d.birth[i]!.slice(0, 7)}` : '')],
    ['nameTownship', (i) => (d.nameKey[i] && d.townshipKey[i] ? `${d.nameKey[i]}|${d.townshipKey[i]}` : '')],
    ['regionBirthGender', (i) => {
      const id = d.id18[i] || usableTyped(d.idStatus[i]!, d.idTyped[i]!);
      return id.length >= 14 && d.gender[i] ? `${id.slice(0, 14)}|${d.gender[i]}` : '';
    }],
  ];
  const isUntrusted = new Uint8Array(d.n);
  for (const i of untrusted) isUntrusted[i] = 1;
  const wanted = new Set<string>();
  for (const [name, keyOf] of blockKeys) {
    // Only keys some untrusted record has are worth grouping.
    wanted.clear();
    for (const i of untrusted) {
      const k = keyOf(i);
      if (k) wanted.add(k);
    }
    const blocks = new Map<string, number[]>();
    for (let i = 0; i < d.n; i++) {
      const k = keyOf(i);
      if (k && wanted.has(k)) appendTo(blocks, k, i);
    }
    pairBlocks(blocks, name, (a, b) => isUntrusted[a] === 1 || isUntrusted[b] === 1);
    onProgress?.(3);
  }
  return { pairs, stats: { pairs: pairs.size, byKey, oversizedBlocks: oversized } };
}
