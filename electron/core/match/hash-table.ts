/**
 * A set of non-zero 32-bit hashes with a count per hash, in typed arrays (open addressing, linear probing). An
 * incremental re-match probes it tens of millions of times (every record's keys against the changed ones); a Map of
 * numbers costs several times the memory and time for that.
 */
export class HashTable {
  private slots: Uint32Array;
  private counts: Int32Array;
  private mask: number;
  size = 0;

  constructor(expected = 16) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Uint32Array(cap);
    this.counts = new Int32Array(cap);
    this.mask = cap - 1;
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
    return h !== 0 && this.slots[this.slot(h)] === h;
  }

  /** Adds one to the count of a hash already in the table; nothing for one that is not. */
  bump(h: number): void {
    if (h === 0) return;
    const s = this.slot(h);
    if (this.slots[s] === h) this.counts[s]!++;
  }

  /** The count of a hash, or -1 when it is not in the table. */
  count(h: number): number {
    if (h === 0) return -1;
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
    for (let s = 0; s < old.length; s++) {
      if (!old[s]) continue;
      const t = this.slot(old[s]!);
      this.slots[t] = old[s]!;
      this.counts[t] = oldCounts[s]!;
    }
  }
}
