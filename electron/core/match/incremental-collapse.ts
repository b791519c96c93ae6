import type { CurrentRecords } from './incremental-neighbourhood';
import { ID_HOLDER } from './incremental-neighbourhood';
import { KEY_KINDS } from './record-keys';

const K = KEY_KINDS.length;

/**
 * A new year's record holds the number its person's records of every other year hold, so each of those is blocked
 * again only to be paired with it: at 200,000 people and five years, 738,000 old records read to pair 167,000 new
 * ones. Records whose fields are all the same (a person's rolls of several years, typed the same way each year)
 * compare the same with any record, so one of them is read and blocked for all: each pair it makes with a new
 * record is made for the others too, with the same weight and flags.
 *
 * Only records marked for no other reason than holding such a number are left out (neighbourhood's ID_HOLDER):
 * their other pairs are all among old records, which the last match already has. Matching reads no roll kind or
 * year (record-keys.ts contentHash), and equal fields give equal keys; both the content hash and every key hash
 * must agree.
 */
export interface Collapsed {
  /** Position of a record blocked for others → the positions of those others. */
  standsFor: Map<number, number[]>;
  /** How many records were left out. */
  left: number;
}

export function collapseIdHolders(cur: CurrentRecords, inS: Uint8Array, why: Uint8Array): Collapsed {
  const { n, keys } = cur;
  const H = keys.hashes;
  const eligible: number[] = [];
  for (let p = 0; p < n; p++) if (inS[p] && why[p] === ID_HOLDER && !cur.isNew[p]) eligible.push(p);
  const order = Int32Array.from(eligible).sort((x, y) => keys.content[x]! - keys.content[y]! || x - y);
  const sameKeys = (x: number, y: number) => {
    if (keys.content[x] !== keys.content[y]) return false;
    for (let kind = 0; kind < K; kind++) if (H[kind * n + x] !== H[kind * n + y]) return false;
    return true;
  };
  const standsFor = new Map<number, number[]>();
  let left = 0;
  for (let i = 0; i < order.length;) {
    const rep = order[i]!;
    let j = i + 1;
    // Same content hash: a run; within it the keys are checked against the first (a 32-bit collision stays apart).
    while (j < order.length && keys.content[order[j]!] === keys.content[rep]) j++;
    let others: number[] | undefined;
    for (let k = i + 1; k < j; k++) {
      const p = order[k]!;
      // Keys that differ under the same content hash (a 32-bit collision): it stays blocked on its own.
      if (!sameKeys(rep, p)) continue;
      (others ??= []).push(p);
      inS[p] = 0;
      left++;
    }
    if (others) standsFor.set(rep, others);
    i = j;
  }
  return { standsFor, left };
}
