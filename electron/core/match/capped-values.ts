import type { OverCap } from './blocking';
import { MAX_BLOCK } from './blocking';
import { HashTable } from './hash-table';
import { KIND_NEEDS } from './incremental-neighbourhood';
import type { MatchData } from './match-data';
import { KEY_KINDS, KIND_INDEX, keyHash, MEMBER_KEY, type KeyKind } from './record-keys';

const K = KEY_KINDS.length;
const ID = KIND_INDEX.id;
const TYPED = KIND_INDEX.typed;

/**
 * Per name key, the values of the blocks left out at the cap (MAX_BLOCK) whose 32-bit hash no other value of the
 * workspace shares: kept in the match state (its meta) for the next re-match.
 */
export type CappedValues = Partial<Record<KeyKind, string[]>>;

/**
 * What a re-match may trust of the blocks past the cap. The state keeps every record's keys as 32-bit hashes only,
 * so a re-match used to read every holder of a hash past the cap, to decide the cap on strings: in a new year's link
 * at 1,000,000 people, 681,000 old records (a common name in the county, held by six years of records) for 164,000
 * new ones. Where the state says one string holds the hash, and every new holder holds that string too, the hash's
 * count is the string's: the block was past the cap and still is, pairs no one before or after, and its holders are
 * left alone. A new record holding another string under the same hash (a collision) takes that trust away: its
 * holders are read as before.
 */
export class CappedTrust {
  private readonly values: HashTable[];
  private readonly strings: Map<number, string>[];
  private readonly dropped: HashTable[];

  constructor(stored: CappedValues | undefined) {
    this.values = KEY_KINDS.map(() => new HashTable(16));
    this.strings = KEY_KINDS.map(() => new Map());
    this.dropped = KEY_KINDS.map(() => new HashTable(16));
    for (const [kind, list] of Object.entries(stored ?? {}) as [KeyKind, string[]][]) {
      const k = KIND_INDEX[kind];
      for (const v of list) {
        this.values[k]!.add(keyHash(v));
        this.strings[k]!.set(keyHash(v), v);
      }
    }
  }

  /** Whether one string holds this hash of this kind (index in KEY_KINDS) and the block was past the cap. */
  trusted(kind: number, h: number): boolean {
    return this.values[kind]!.has(h) && !this.dropped[kind]!.has(h);
  }

  /** Takes the trust from each value a new record holds under its hash with another string. */
  checkNew(d: MatchData, hashes: Uint32Array): void {
    for (let kind = 0; kind < K; kind++) {
      const table = this.values[kind]!;
      if (!table.size) continue;
      const of = MEMBER_KEY[KEY_KINDS[kind]!];
      for (let i = 0, at = kind * d.n; i < d.n; i++) {
        const h = hashes[at + i]!;
        if (table.has(h) && of(d, i) !== this.strings[kind]!.get(h)) this.dropped[kind]!.add(h);
      }
    }
  }

  /** The trusted values of a kind, with their hashes. */
  entries(kind: number): [number, string][] {
    return [...this.strings[kind]!].filter(([h]) => !this.dropped[kind]!.has(h));
  }
}

/**
 * The values to keep for the next re-match, from the records' hashes now (kind-major, n per kind): each block blocking
 * left out at the cap whose holders there are every holder of its hash (`here`, all of them read), and each value
 * still trusted (`trust`, from the last state) that more than MAX_BLOCK records still hold, one of them lacking what
 * the kind asks (KIND_NEEDS): blocking groups only such a value, so a full match lists only it. One pass over the
 * records per kind that has any: 7 kinds of 4.9 million records.
 */
export function cappedValuesOf(overCap: OverCap[], hashes: Uint32Array, n: number, trust?: CappedTrust): CappedValues {
  const out: CappedValues = {};
  for (let kind = 0; kind < K; kind++) {
    const name = KEY_KINDS[kind]!;
    const candidates = new Map<number, { value: string; here: number }>();
    for (const o of overCap) if (o.kind === name) candidates.set(keyHash(o.value), { value: o.value, here: o.here });
    // A trusted value's every holder holds it: its count is its own, however few of them were read here.
    for (const [h, value] of trust?.entries(kind) ?? []) candidates.set(h, { value, here: -1 });
    if (!candidates.size) continue;
    const count = new HashTable(candidates.size),
      wanted = new HashTable(candidates.size);
    for (const h of candidates.keys()) count.add(h);
    const need = KIND_NEEDS[kind]!;
    for (let p = 0, at = kind * n; p < n; p++) {
      const h = hashes[at + p]!;
      if (!count.has(h)) continue;
      count.bump(h);
      // What the record lacks: 0 a trusted number, 1 none trusted, 2 no usable one (as neighbourhood's `lack`).
      const lack = hashes[ID * n + p] ? 0 : hashes[TYPED * n + p] ? 1 : 2;
      if (lack >= need) wanted.add(h);
    }
    const kept: string[] = [];
    for (const [h, { value, here }] of candidates) {
      const c = count.count(h);
      if (c > MAX_BLOCK && (here < 0 ? wanted.has(h) : here === c)) kept.push(value);
    }
    if (kept.length) out[name] = kept.sort();
  }
  return out;
}
