/** The largest table with a filter (a 1 MB bit array). */
const FILTER_SLOTS = 1 << 20;

/**
 * A set of non-zero 32-bit hashes with a count per hash, in typed arrays (open addressing, linear probing). An
 * incremental re-match probes it tens of millions of times (every record's keys against the changed ones); a Map of
 * numbers costs several times the memory and time for that.
 */
export class HashTable {
  private slots: Uint32Array;
  private counts: Int32Array;
  private mask: number;
  /**
   * One bit per hash, in a bit array an eighth of the table's size, checked before the slots: most of a roll's
   * re-match's probes are for hashes not in the table, and these bits stay in the cache where the slots do not.
   * Probes of 2 million mostly absent hashes into tables of 30,000 and 300,000: 0.13 → 0.05 s and 0.31 → 0.21 s.
   * Only up to FILTER_SLOTS: a new year's link probes tables of millions of hashes, mostly present, and there the
   * bits missed the cache as well (its neighbourhood took 15–19 s with them, 12–15 s without).
   */
  private filter: Int32Array;
  private filterShift: number;
  size = 0;

  constructor(expected = 16) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Uint32Array(cap);
    this.counts = new Int32Array(cap);
    this.mask = cap - 1;
    this.filter = new Int32Array(0);
    this.filterShift = 0;
    this.newFilter(cap);
  }

  /** A filter for a table of `cap` slots, or none past FILTER_SLOTS (an empty array: every hash may be there). */
  private newFilter(cap: number): void {
    this.filter = new Int32Array(cap <= FILTER_SLOTS ? cap / 4 : 0);
    this.filterShift = 32 - Math.log2(cap * 8);
  }

  /** False when the hash is surely not in the table (its bit is clear). */
  private maybe(h: number): boolean {
    if (!this.filter.length) return true;
    const b = Math.imul(h, 0x85ebca6b) >>> this.filterShift;
    return ((this.filter[b >>> 5]! >>> (b & 31)) & 1) === 1;
  }

  private mark(h: number): void {
    if (!this.filter.length) return;
    const b = Math.imul(h, 0x85ebca6b) >>> this.filterShift;
    this.filter[b >>> 5]! |= 1 << (b & 31);
  }

  private slot(h: number): number {
    // Fibonacci hashing spreads FNV values that differ only in their low bits.
    let s = Math.imul(h, 0x9e3779b1) >>> 0;
    for (;;) {
      s &= this.mask;
      const v = this.slots[s]!;
      if (v === h || v === 0) return s;
      s++;
    }
  }

  add(h: number, count = 0): void {
    if (h === 0) return;
    const s = this.slot(h);
    if (this.slots[s] === 0) {
      this.slots[s] = h;
      this.mark(h);
      this.size++;
      if (this.size * 2 > this.slots.length) {
        this.counts[s] = count;
        this.grow();
        return;
      }
    }
    this.counts[s]! += count;
  }

  has(h: number): boolean {
    return h !== 0 && this.maybe(h) && this.slots[this.slot(h)] === h;
  }

  /** Adds one to the count of a hash already in the table; nothing for one that is not. */
  bump(h: number): void {
    if (h === 0 || !this.maybe(h)) return;
    const s = this.slot(h);
    if (this.slots[s] === h) this.counts[s]!++;
  }

  /** The count of a hash, or -1 when it is not in the table. */
  count(h: number): number {
    if (h === 0 || !this.maybe(h)) return -1;
    const s = this.slot(h);
    return this.slots[s] === h ? this.counts[s]! : -1;
  }

  forEach(f: (h: number, count: number) => void): void {
    for (let s = 0; s < this.slots.length; s++) if (this.slots[s]) f(this.slots[s]!, this.counts[s]!);
  }

  private grow(): void {
    const old = this.slots,
      oldCounts = this.counts;
    this.slots = new Uint32Array(old.length * 2);
    this.counts = new Int32Array(old.length * 2);
    this.mask = this.slots.length - 1;
    this.newFilter(this.slots.length);
    for (let s = 0; s < old.length; s++) {
      if (!old[s]) continue;
      this.mark(old[s]!);
      const t = this.slot(old[s]!);
      this.slots[t] = old[s]!;
      this.counts[t] = oldCounts[s]!;
    }
  }
}
