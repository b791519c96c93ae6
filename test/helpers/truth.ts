import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { CountyTruth } from '../fixtures/county-generator';

export interface Scored {
  pairPrecision: number;
  pairRecall: number;
  uninsuredPrecision: number;
  uninsuredRecall: number;
  duplicatePrecision: number;
  duplicateRecall: number;
  twinsMerged: number;
  /** Person id of the base record (or first record) of each true person. */
  personOfUid: Map<number, number>;
}

/** Scores the workspace's persons and lists against the generator's truth. */
export function scoreAgainstTruth(db: Database.Database, countyDir: string, truth: CountyTruth): Scored {
  const uidOf = new Map<string, number>();
  for (const l of readFileSync(join(countyDir, 'truth-records.tsv'), 'utf8').trim().split('\n').slice(1)) {
    const [f, sh, r, u] = l.split('\t');
    uidOf.set(`${f}|${sh}|${r}`, Number(u));
  }
  const recs = db
    .prepare(
      'SELECT r.file_name AS f, r.sheet AS s, c.source_row AS row, c.person_id AS p, r.kind FROM record c JOIN roll r ON r.id = c.roll_id',
    )
    .all() as { f: string; s: string; row: number; p: number; kind: string }[];
  const byUid = new Map<number, number[]>(),
    byPerson = new Map<number, number[]>();
  const personOfUid = new Map<number, number>();
  for (const x of recs) {
    const uid = uidOf.get(`${x.f}|${x.s}|${x.row}`)!;
    (byUid.get(uid) ?? byUid.set(uid, []).get(uid)!).push(x.p);
    (byPerson.get(x.p) ?? byPerson.set(x.p, []).get(x.p)!).push(uid);
    if (x.kind === 'population' || !personOfUid.has(uid)) personOfUid.set(uid, x.p);
  }
  let tp = 0,
    fp = 0,
    fn = 0;
  for (const uids of byPerson.values()) {
    for (let i = 0; i < uids.length; i++) {
      for (let j = i + 1; j < uids.length; j++) {
        if (uids[i] === uids[j]) tp++;
        else fp++;
      }
    }
  }
  for (const ps of byUid.values())
    for (let i = 0; i < ps.length; i++) for (let j = i + 1; j < ps.length; j++) if (ps[i] !== ps[j]) fn++;
  // A person stands for the true person of its base record (or of its first record when it has none).
  const uidOfPerson = new Map<number, number>();
  for (const x of recs) {
    const uid = uidOf.get(`${x.f}|${x.s}|${x.row}`)!;
    if (x.kind === 'population' || !uidOfPerson.has(x.p)) uidOfPerson.set(x.p, uid);
  }
  const listScore = (persons: number[], expected: Set<number>) => {
    const got = new Set(persons.map((p) => uidOfPerson.get(p)!));
    const hit = [...got].filter((u) => expected.has(u)).length;
    return { precision: got.size ? hit / got.size : 1, recall: expected.size ? hit / expected.size : 1 };
  };
  const un = listScore(
    (
      db.prepare('SELECT person_id AS p FROM person_status WHERE in_base = 1 AND insured = 0').all() as { p: number }[]
    ).map((r) => r.p),
    new Set(truth.uninsured),
  );
  const dup = listScore(
    (
      db.prepare('SELECT person_id AS p FROM person_status WHERE duplicate_kind IS NOT NULL').all() as { p: number }[]
    ).map((r) => r.p),
    new Set(truth.duplicates.map((d) => d.uid)),
  );
  let twinsMerged = 0;
  for (const [a, b] of truth.twins) {
    const pb = new Set(byUid.get(b) ?? []);
    if ((byUid.get(a) ?? []).some((p) => pb.has(p))) twinsMerged++;
  }
  return {
    pairPrecision: tp / Math.max(1, tp + fp),
    pairRecall: tp / Math.max(1, tp + fn),
    uninsuredPrecision: un.precision,
    uninsuredRecall: un.recall,
    duplicatePrecision: dup.precision,
    duplicateRecall: dup.recall,
    twinsMerged,
    personOfUid,
  };
}
