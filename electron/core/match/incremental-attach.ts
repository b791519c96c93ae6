import type Database from 'better-sqlite3';
import { PAIR_ID_EXACT, PAIR_SIBLING, type StoredPairs } from './match-state';

/**
 * New records that simply join one existing person, found without clustering that person again. A new year's roll
 * names nearly every person of the county once more: clustering each of them again from all their years is what
 * made linking a new year slower than a full match of one year (issue 13).
 *
 * New records linked among themselves form groups. A group joins person P exactly as a full match would put it
 * when, in the current links:
 *  - its links to old records all go to P's records, and P's records link to nothing but P's records and the new
 *    records of such groups (no refused link around P, which could be decided otherwise now);
 *  - every trusted number it holds (not a possible Excel cut) is the same as one of P's trusted numbers, seen
 *    through an identical-number pair, so no link among P and the group can be refused: clustering, which takes
 *    links strongest first and refuses only two different trusted numbers or a clerk's 不是同一人, then joins them
 *    all whatever the order;
 *  - no clerk decision names a record of P or of the group, and nothing else changed around P (P's records are no
 *    seed of the re-match, P lost no record).
 * Every other new record is clustered as before, with the persons its links reach.
 */
export interface Attachment {
  /** Positions (in the workspace's record-id order) of the new records that join a person, ascending. */
  positions: number[];
  /** The person each of them joins. */
  personOf: Map<number, number>;
  /** Those persons, as a mark by person id. */
  joined: Uint8Array;
  /** New records left to be clustered (record ids). */
  rest: number[];
}

export interface AttachInput {
  pairs: StoredPairs;
  /** The workspace's record ids, ascending, and each one's person (0 for a new record). */
  recordIds: Int32Array;
  personIds: Int32Array;
  /** Whether the record at a position holds a trusted number that is not a possible Excel cut (clustering.ts). */
  trusted: (p: number) => boolean;
  linkWeight: number;
  /** Record ids a re-match must cluster again anyway, and persons that lost records. */
  seeds: Iterable<number>;
  seedPersons: Iterable<number>;
  decisions: [number, number][];
}

export function attachNewRecords(x: AttachInput): Attachment {
  const { pairs, recordIds, personIds, trusted } = x;
  const n = recordIds.length;
  const maxId = n ? recordIds[n - 1]! : 0;
  const posOf = new Int32Array(maxId + 1).fill(-1);
  for (let p = 0; p < n; p++) posOf[recordIds[p]!] = p;
  let maxPerson = 0;
  for (let p = 0; p < n; p++) if (personIds[p]! > maxPerson) maxPerson = personIds[p]!;
  const isNew = (p: number) => personIds[p] === 0;
  const isLink = (k: number) => pairs.weight[k]! >= x.linkWeight && !(pairs.flags[k]! & PAIR_SIBLING);

  // The pairs with a new record, found in one pass on a byte per record id (2 MB at 1,943,485 records): after a
  // roll is replaced a few hundred records are new among four million pairs, and three passes through positions
  // (8 MB, two random reads a pair) took 0.3 s.
  const newById = new Uint8Array(maxId + 1);
  for (let p = 0; p < n; p++) if (isNew(p)) newById[recordIds[p]!] = 1;
  // Counted, then listed in a typed array: a new year's link has millions of such pairs.
  let count = 0;
  for (let k = 0; k < pairs.a.length; k++) if (newById[pairs.a[k]!]! | newById[pairs.b[k]!]!) count++;
  const withNew = new Int32Array(count);
  for (let k = 0, m = 0; m < count; k++) if (newById[pairs.a[k]!]! | newById[pairs.b[k]!]!) withNew[m++] = k;

  // Groups of new records joined by links among them.
  const parent = new Int32Array(n);
  for (let p = 0; p < n; p++) parent[p] = p;
  const find = (p: number): number => {
    while (parent[p] !== p) {
      parent[p] = parent[parent[p]!]!;
      p = parent[p]!;
    }
    return p;
  };
  for (const k of withNew) {
    if (!isLink(k)) continue;
    const pa = posOf[pairs.a[k]!]!,
      pb = posOf[pairs.b[k]!]!;
    if (isNew(pa) && isNew(pb)) {
      const ra = find(pa),
        rb = find(pb);
      if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }
  // Per group (by its root): the person its links reach (0 none yet, -1 more than one); persons that cannot take a
  // group as it is; groups that must be clustered.
  const groupPerson = new Int32Array(n);
  const unclean = new Uint8Array(maxPerson + 1);
  const badGroup = new Uint8Array(n);
  for (const k of withNew) {
    if (!isLink(k)) continue;
    const pa = posOf[pairs.a[k]!]!,
      pb = posOf[pairs.b[k]!]!;
    const na = isNew(pa),
      nb = isNew(pb);
    if (na && nb) continue;
    const g = find(na ? pa : pb),
      person = personIds[na ? pb : pa]!;
    if (groupPerson[g] === 0) groupPerson[g] = person;
    else if (groupPerson[g] !== person) groupPerson[g] = -1;
  }
  // A link between two old persons was refused, and might not be now: that person cannot take a group as it is.
  // Only a person some group reaches is asked (unclean is read for no other), so only links with one of its records
  // are looked at, found on a byte per record id.
  const reached = new Uint8Array(maxPerson + 1);
  for (let p = 0; p < n; p++) if (isNew(p) && groupPerson[find(p)]! > 0) reached[groupPerson[find(p)]!] = 1;
  const ofReached = new Uint8Array(maxId + 1);
  for (let p = 0; p < n; p++) if (reached[personIds[p]!]) ofReached[recordIds[p]!] = 1;
  for (let k = 0; k < pairs.a.length; k++) {
    if (!(ofReached[pairs.a[k]!]! | ofReached[pairs.b[k]!]!) || !isLink(k)) continue;
    const pa = posOf[pairs.a[k]!]!,
      pb = posOf[pairs.b[k]!]!;
    if (isNew(pa) || isNew(pb)) continue;
    if (personIds[pa] !== personIds[pb]) unclean[personIds[pa]!] = unclean[personIds[pb]!] = 1;
  }
  // A group's trusted numbers must each be one of its person's: an identical-number pair with a trusted record of it.
  const sameNumber = new Uint8Array(n);
  for (const k of withNew) {
    if (!(pairs.flags[k]! & PAIR_ID_EXACT)) continue;
    const pa = posOf[pairs.a[k]!]!,
      pb = posOf[pairs.b[k]!]!;
    if (isNew(pa) === isNew(pb) || !trusted(pa) || !trusted(pb)) continue;
    const r = isNew(pa) ? pa : pb,
      o = isNew(pa) ? pb : pa;
    if (groupPerson[find(r)] === personIds[o]) sameNumber[r] = 1;
  }
  const holdsSeed = (rid: number) => {
    const p = rid >= 0 && rid <= maxId ? posOf[rid]! : -1;
    if (p < 0) return;
    if (isNew(p)) badGroup[find(p)] = 1;
    else unclean[personIds[p]!] = 1;
  };
  for (const rid of x.seeds) holdsSeed(rid);
  for (const [a, b] of x.decisions) {
    holdsSeed(a);
    holdsSeed(b);
  }
  for (const person of x.seedPersons) if (person > 0 && person <= maxPerson) unclean[person] = 1;
  for (let p = 0; p < n; p++) if (isNew(p) && trusted(p) && !sameNumber[p]) badGroup[find(p)] = 1;
  // A group that is clustered takes every person its links reach with it: the other groups of those persons too.
  for (const k of withNew) {
    if (!isLink(k)) continue;
    const pa = posOf[pairs.a[k]!]!,
      pb = posOf[pairs.b[k]!]!;
    if (isNew(pa) === isNew(pb)) continue;
    const g = find(isNew(pa) ? pa : pb);
    if (groupPerson[g]! < 0 || badGroup[g]) unclean[personIds[isNew(pa) ? pb : pa]!] = 1;
  }

  const positions: number[] = [];
  const personOf = new Map<number, number>();
  const joined = new Uint8Array(maxPerson + 1);
  const rest: number[] = [];
  for (let p = 0; p < n; p++) {
    if (!isNew(p)) continue;
    const g = find(p),
      person = groupPerson[g]!;
    if (person > 0 && !badGroup[g] && !unclean[person]) {
      positions.push(p);
      personOf.set(p, person);
      joined[person] = 1;
    } else rest.push(recordIds[p]!);
  }
  return { positions, personOf, joined, rest };
}

/** The records of the joined persons, old and new, as record ids ascending: their review pairs are looked at again. */
export function joinedRecords(x: AttachInput, attachment: Attachment): Int32Array {
  const { recordIds, personIds } = x;
  const { joined, personOf } = attachment;
  const out: number[] = [];
  for (let p = 0; p < recordIds.length; p++) {
    const person = personIds[p]!;
    if (person ? person < joined.length && joined[person] === 1 : personOf.has(p)) out.push(recordIds[p]!);
  }
  return Int32Array.from(out);
}

/**
 * Writes the joining records' persons, and how every record of the joined persons is linked (link_rule,
 * link_score) as writeAssignment would for their cluster: a record of a person that was alone is now linked, and
 * a new link may be stronger or by identical number. Only rows that change are written.
 */
export function writeAttachment(
  db: Database.Database,
  x: AttachInput,
  attachment: Attachment,
  touched: Int32Array,
): void {
  const { pairs, recordIds, personIds } = x;
  const maxId = recordIds.length ? recordIds[recordIds.length - 1]! : 0;
  // Per touched record (by its index in `touched`): where it sits in the state, its best link weight and whether a
  // link is by identical number, over all links now and over the links among old records (what the last match
  // wrote). Typed arrays, not Maps: a new year's roll touches over a million records, and four Maps of them were
  // about 170 MB of garbage at 200,000 people.
  const at = new Int32Array(maxId + 1).fill(-1);
  const pos = new Int32Array(touched.length);
  for (let p = 0, t = 0; t < touched.length; p++)
    if (recordIds[p] === touched[t]) {
      at[touched[t]!] = t;
      pos[t++] = p;
    }
  const oldSize = new Map<number, number>();
  for (let t = 0; t < touched.length; t++) {
    const person = personIds[pos[t]!]!;
    if (person) oldSize.set(person, (oldSize.get(person) ?? 0) + 1);
  }
  const bestNow = new Float64Array(touched.length).fill(-Infinity),
    bestBefore = new Float64Array(touched.length).fill(-Infinity);
  const idNow = new Uint8Array(touched.length),
    idBefore = new Uint8Array(touched.length);
  const note = (t: number, w: number, id: boolean, old: boolean) => {
    if (w > bestNow[t]!) bestNow[t] = w;
    if (id) idNow[t] = 1;
    if (!old) return;
    if (w > bestBefore[t]!) bestBefore[t] = w;
    if (id) idBefore[t] = 1;
  };
  for (let k = 0; k < pairs.a.length; k++) {
    const ra = pairs.a[k]!,
      rb = pairs.b[k]!;
    const ta = ra <= maxId ? at[ra]! : -1,
      tb = rb <= maxId ? at[rb]! : -1;
    // A joined person's links stay among its records and its new ones: both ends are touched, or neither.
    if (ta < 0 || tb < 0) continue;
    if (pairs.weight[k]! < x.linkWeight || pairs.flags[k]! & PAIR_SIBLING) continue;
    const id = !!(pairs.flags[k]! & PAIR_ID_EXACT);
    const old = personIds[pos[ta]!]! > 0 && personIds[pos[tb]!]! > 0;
    note(ta, pairs.weight[k]!, id, old);
    note(tb, pairs.weight[k]!, id, old);
  }
  // -Infinity (no link) is no score, as before.
  const scoreOf = (w: number) => (Number.isFinite(w) ? Math.round(w * 100) / 100 : null);
  const setNew = db.prepare('UPDATE record SET person_id = ?, link_rule = ?, link_score = ? WHERE id = ?');
  const setLink = db.prepare('UPDATE record SET link_rule = ?, link_score = ? WHERE id = ?');
  for (let t = 0; t < touched.length; t++) {
    const p = pos[t]!,
      rid = touched[t]!;
    const rule = idNow[t] ? 'id' : 'score';
    const score = scoreOf(bestNow[t]!);
    if (!personIds[p]) {
      setNew.run(attachment.personOf.get(p)!, rule, score, rid);
      continue;
    }
    const alone = oldSize.get(personIds[p]!) === 1;
    const ruleBefore = alone ? 'single' : idBefore[t] ? 'id' : 'score';
    if (rule !== ruleBefore || score !== scoreOf(bestBefore[t]!)) setLink.run(rule, score, rid);
  }
}
