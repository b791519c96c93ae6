import { checkDigit } from '../../../shared/id/id-number';
import { heldRegion, idNeighbours, soundOf, truncatedCandidates, usableTyped } from './comparisons';
import type { MatchData } from './match-data';

/**
 * The values a record is grouped by in blocking, one per kind ('' when it has none). Blocking and the incremental
 * re-match both read them from here, so that a block means the same records to both.
 *  - id: the trusted number; typed: the number as typed where it is not trusted (usableTyped);
 *  - the name and sound keys pair records of which one has no trusted number; so does householdBirth matter (the
 *    twin guard's groups), though blocking does not group by it.
 */
export const KEY_KINDS = [
  'id',
  'typed',
  'nameBirth',
  'pinyinMonth',
  'nameTownship',
  'regionBirthGender',
  'regionName',
  'soundBirth',
  'soundVillage',
  'householdBirth',
] as const;
export type KeyKind = (typeof KEY_KINDS)[number];
export const KIND_INDEX = Object.fromEntries(KEY_KINDS.map((k, i) => [k, i])) as Record<KeyKind, number>;

const regionOf = (d: MatchData, i: number) =>
  d.idNumber[i] ? d.idNumber[i]!.slice(0, 6) : heldRegion(d.idStatus[i]!, d.idRaw[i]!);

/** A record's name as it sounds: from d.sounds when the caller worked them all out, else looked up. */
function soundAt(d: MatchData, i: number): string {
  return d.sounds ? d.sounds[i]! : soundOf(d.namePinyin[i]!);
}

export const MEMBER_KEY: Record<KeyKind, (d: MatchData, i: number) => string> = {
  id: (d, i) => d.idNumber[i]!,
  typed: (d, i) => (d.idNumber[i] ? '' : usableTyped(d.idStatus[i]!, d.idRaw[i]!)),
  nameBirth: (d, i) => (d.nameKey[i] && d.birthDate[i]!.length === 10 ? `${d.nameKey[i]}|${d.birthDate[i]}` : ''),
  pinyinMonth: (d, i) => (d.namePinyin[i] && d.birthDate[i] ? `${d.namePinyin[i]}|${d.birthDate[i]!.slice(0, 7)}` : ''),
  nameTownship: (d, i) => (d.nameKey[i] && d.townshipKey[i] ? `${d.nameKey[i]}|${d.townshipKey[i]}` : ''),
  regionBirthGender: (d, i) => {
    const id = d.idNumber[i] || usableTyped(d.idStatus[i]!, d.idRaw[i]!);
    return id.length >= 14 && d.gender[i] ? `${id.slice(0, 14)}|${d.gender[i]}` : '';
  },
  regionName: (d, i) => {
    const region = regionOf(d, i);
    return region && d.nameKey[i] ? `${region}|${d.nameKey[i]}` : '';
  },
  soundBirth: (d, i) => (d.namePinyin[i] && d.birthDate[i]!.length === 10 ? `${soundAt(d, i)}|${d.birthDate[i]}` : ''),
  soundVillage: (d, i) => (d.namePinyin[i] && d.villageKey[i] ? `${soundAt(d, i)}|${d.villageKey[i]}` : ''),
  householdBirth: (d, i) => (d.householdKey[i] && d.birthDate[i] ? `${d.householdKey[i]}|${d.birthDate[i]}` : ''),
};

/**
 * The trusted numbers a record looks up: for a number that is not trusted, the valid numbers it may have been
 * typed from (one typo, the last digit left off, cut to 15 digits by Excel); for a valid number ending in 000, the
 * numbers Excel may have cut it from.
 */
export function queriesOf(d: MatchData, i: number): string[] {
  const id = d.idNumber[i]!;
  if (id) return id.endsWith('000') ? truncatedCandidates(id.slice(0, 15)).filter((c) => c !== id) : [];
  const usable = usableTyped(d.idStatus[i]!, d.idRaw[i]!);
  if (!usable) return [];
  if (usable.length === 18) return idNeighbours(usable);
  if (usable.length === 17) return [usable + checkDigit(usable)];
  return truncatedCandidates(usable);
}

/** FNV-1a over the UTF-16 units; 0 is kept for "no value". 32 bits: equal hashes are checked on the strings. */
export function keyHash(s: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < s.length; k++) {
    h ^= s.charCodeAt(k);
    h = Math.imul(h, 0x01000193);
  }
  h >>>= 0;
  return h === 0 ? 1 : h;
}

/**
 * Every record's keys as hashes, kept with the match state: an incremental re-match finds the records that share
 * a block with a changed one from these, without reading the county. 4 bytes per record and kind.
 */
export interface RecordKeys {
  /** Kind-major: hashes[kind * n + i], 0 where the record has no value of that kind. */
  hashes: Uint32Array;
  /** The looked-up numbers (queriesOf) as hashes, with the record id that looks them up, ascending by record id. */
  queryHash: Uint32Array;
  queryOwner: Int32Array;
  /**
   * Per record, a hash of every field matching reads. A roll imported again brings mostly the same records under new
   * ids: a new record whose fields and keys all equal a removed one's takes over its pairs instead of being blocked.
   */
  content: Uint32Array;
}

/**
 * Collects every record's key hashes as blocking computes the keys (a full match), or on its own (recordKeys): one
 * pass over two million records' keys costs several seconds, so the full match does not make a second one.
 */
export class KeyRecorder {
  readonly hashes: Uint32Array;
  private queryHash: number[] = [];
  private queryAt: number[] = [];
  constructor(private readonly d: MatchData) {
    this.hashes = new Uint32Array(KEY_KINDS.length * d.n);
  }

  member(kind: KeyKind, i: number, value: string): void {
    if (value) this.hashes[KIND_INDEX[kind] * this.d.n + i] = keyHash(value);
  }

  queries(i: number, numbers: string[]): void {
    for (const c of numbers) {
      this.queryHash.push(keyHash(c));
      this.queryAt.push(i);
    }
  }

  /** The keys, with householdBirth (which blocking does not group by) added here. */
  finish(): RecordKeys {
    const { d } = this;
    for (let i = 0; i < d.n; i++) this.member('householdBirth', i, MEMBER_KEY.householdBirth(d, i));
    // By owner, as the state keeps them (a counting sort: owners are record indexes).
    const start = new Int32Array(d.n + 1);
    for (const i of this.queryAt) start[i + 1]!++;
    for (let i = 0; i < d.n; i++) start[i + 1]! += start[i]!;
    const queryHash = new Uint32Array(this.queryAt.length);
    const queryOwner = new Int32Array(this.queryAt.length);
    this.queryAt.forEach((i, q) => {
      const at = start[i]!++;
      queryHash[at] = this.queryHash[q]!;
      queryOwner[at] = d.recordId[i]!;
    });
    const content = new Uint32Array(d.n);
    for (let i = 0; i < d.n; i++) content[i] = contentHash(d, i);
    return { hashes: this.hashes, queryHash, queryOwner, content };
  }
}

/** FNV-1a over every field matching reads, separated: a re-imported record with the same hash is the same record. */
function contentHash(d: MatchData, i: number): number {
  // Not the roll's kind or year: matching does not read them (incremental-collapse.ts relies on it).
  let h = 0x811c9dc5;
  h = hashField(h, d.nameKey[i]!);
  h = hashField(h, d.namePinyin[i]!);
  h = hashField(h, d.idNumber[i]!);
  h = hashField(h, d.idRaw[i]!);
  h = hashField(h, d.idStatus[i]!);
  h = hashField(h, d.birthDate[i]!);
  h = hashField(h, d.gender[i]!);
  h = hashField(h, d.townshipKey[i]!);
  h = hashField(h, d.villageKey[i]!);
  h = hashField(h, d.householdKey[i]!);
  return h >>> 0;
}

/** One field into the FNV-1a hash h. A function of its own, not a closure made per record (two million of them). */
function hashField(h: number, v: string): number {
  for (let k = 0; k < v.length; k++) {
    h ^= v.charCodeAt(k);
    h = Math.imul(h, 0x01000193);
  }
  h ^= 0x1f; // a separator no field holds, so that 'ab'+'c' and 'a'+'bc' differ
  return Math.imul(h, 0x01000193);
}

/** Every record's keys, on their own (the new records of an incremental re-match). */
export function recordKeys(d: MatchData): RecordKeys {
  const rec = new KeyRecorder(d);
  for (const kind of KEY_KINDS) {
    if (kind === 'householdBirth') continue;
    const of = MEMBER_KEY[kind];
    for (let i = 0; i < d.n; i++) rec.member(kind, i, of(d, i));
  }
  for (let i = 0; i < d.n; i++) rec.queries(i, queriesOf(d, i));
  return rec.finish();
}
