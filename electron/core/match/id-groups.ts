import { keyHash } from './record-keys';

/**
 * Records grouped by their trusted ID number, in typed arrays: nearly two million distinct numbers at 1,000,000
 * people, which as a Map of arrays cost about 100 bytes each and much of blocking's garbage-collection time. Groups
 * are numbered in order of their first record and hold their records in ascending order, as the Map did.
 */
export class IdGroups {
  /** Group g's records are members[start[g]] … members[start[g + 1] − 1]. */
  readonly start: Int32Array;
  readonly members: Int32Array;
  readonly count: number;
  /** Open addressing by the number's hash: the group in each slot (-1 empty), its first record and hash. */
  private readonly slotGroup: Int32Array;
  private readonly slotHash: Uint32Array;
  private readonly first: Int32Array;
  private readonly mask: number;

  constructor(private readonly ids: readonly string[]) {
    const n = ids.length;
    let cap = 16;
    while (cap < n * 2) cap *= 2;
    this.mask = cap - 1;
    this.slotGroup = new Int32Array(cap).fill(-1);
    this.slotHash = new Uint32Array(cap);
    this.first = new Int32Array(n);
    const groupOf = new Int32Array(n).fill(-1);
    let count = 0;
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      if (!id) continue;
      const h = keyHash(id);
      const s = this.slotOf(id, h);
      if (this.slotGroup[s] === -1) {
        this.slotGroup[s] = count;
        this.slotHash[s] = h;
        this.first[count++] = i;
      }
      groupOf[i] = this.slotGroup[s]!;
    }
    this.count = count;
    // A counting sort by group: records in index order within each.
    this.start = new Int32Array(count + 1);
    for (let i = 0; i < n; i++) if (groupOf[i]! >= 0) this.start[groupOf[i]! + 1]!++;
    for (let g = 0; g < count; g++) this.start[g + 1]! += this.start[g]!;
    this.members = new Int32Array(this.start[count]!);
    const at = this.start.slice(0, count);
    for (let i = 0; i < n; i++) if (groupOf[i]! >= 0) this.members[at[groupOf[i]!]!++] = i;
  }

  /** The slot holding this number's group, or the empty slot where it would go. */
  private slotOf(id: string, h: number): number {
    let s = Math.imul(h, 0x9e3779b1) >>> 0;
    for (;;) {
      s &= this.mask;
      const g = this.slotGroup[s]!;
      if (g === -1 || (this.slotHash[s] === h && this.ids[this.first[g]!] === id)) return s;
      s++;
    }
  }

  /** The group of a number, -1 when no record holds it. */
  find(id: string): number {
    return this.slotGroup[this.slotOf(id, keyHash(id))]!;
  }

  size(g: number): number {
    return this.start[g + 1]! - this.start[g]!;
  }

  /** The number the group's records hold. */
  idOf(g: number): string {
    return this.ids[this.first[g]!]!;
  }

  /** The group's first k records (for messages). */
  sample(g: number, k: number): number[] {
    return Array.from(this.members.subarray(this.start[g]!, Math.min(this.start[g + 1]!, this.start[g]! + k)));
  }
}
