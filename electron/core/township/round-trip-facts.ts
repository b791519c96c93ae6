import type Database from 'better-sqlite3';

/**
 * What the township round-trip knows of each person: the current 核实情况 and when they were first dispatched.
 * Answers and dispatch items name the person (人员编号) as it was then; a later match may have merged that person
 * into another (the retired id names its successor) or, after a roll was replaced, rebuilt them under a new id:
 * both are followed here, so an answer is never lost to a re-match.
 */
export interface CurrentAnswer {
  verificationId: number;
  personId: number;
  code: string;
  batchId: number | null;
  effectiveOn: string;
}

export interface RoundTripFacts {
  /** Current answer per (resolved) person: the latest by 核实日期 (else import day), then the later import. */
  answers: Map<number, CurrentAnswer>;
  /** Earliest dispatch time per (resolved) person, of batches whose files were written. */
  firstDispatch: Map<number, string>;
  /** The latest finished batch per (resolved) person: the batch of a returned row that names none. */
  latestBatch: Map<number, number>;
  /** What every answer recorded for a person said (content_key): the same answer again changes nothing. */
  answerKeys: Map<number, Set<string>>;
  /** The persons named by answers and items (and the caller's extra ids), as they are now. */
  persons: Map<number, PersonNow>;
}

/** What the round-trip needs of a person now: who (to check a returned row) and where and how insured (the rates). */
export interface PersonNow {
  personId: number;
  name: string;
  idNumber: string | null;
  villageKey: string | null;
  township: string;
  village: string;
  inBase: number;
  insured: number;
  kinds: string | null;
  year: number;
}

/** Resolves an id an answer or item names to the person now; `status` holds the persons it was asked about. */
export type Resolver = ((personId: number, idNumber: string | null) => number | null) & {
  status?: Map<number, PersonNow>;
};

/**
 * The persons with these ids, in one statement (an id of no person is simply absent). The rows come back as one JSON
 * text that V8 parses: handing 40,000 persons' ten values to JavaScript one by one cost twice what SQLite took to
 * read them (0.2 s against 0.1 s for a county's dispatched persons), one JSON text a third less.
 */
export function statusOf(db: Database.Database, ids: Iterable<number>): Map<number, PersonNow> {
  const json = db
    .prepare(
      `SELECT json_group_array(json_array(person_id, name, id_number, village_key, coalesce(township_key, ''),
        coalesce(village_key, ''), in_base, insured, insured_kinds, year))
      FROM person_status WHERE person_id IN (SELECT value FROM json_each(?))`,
    )
    .pluck()
    .get(jsonIds(ids)) as string;
  const rows = JSON.parse(json) as StatusRow[];
  const out = new Map<number, PersonNow>();
  for (const [personId, name, idNumber, villageKey, township, village, inBase, insured, kinds, year] of rows)
    out.set(personId, { personId, name, idNumber, villageKey, township, village, inBase, insured, kinds, year });
  return out;
}

type StatusRow = [number, string, string | null, string | null, string, string, number, number, string | null, number];

/** Numbers as a JSON array for `IN (SELECT value FROM json_each(?))`: one statement instead of one per person. */
const jsonIds = (ids: Iterable<number>) => JSON.stringify([...ids]);

/**
 * Maps the person ids that answers and dispatch items name to the persons that hold them now. The ids in `known`
 * are checked in one statement; any other id is checked when asked (tens of thousands of single lookups cost
 * about a second at a million persons).
 */
export function personResolver(db: Database.Database, known: Iterable<number> = []): Resolver {
  const successor = new Map<number, number | null>();
  for (const r of db
    .prepare(
      `SELECT id, successor_id AS s FROM person WHERE retired_at IS NOT NULL AND id IN (
        SELECT person_id FROM verification UNION SELECT person_id FROM dispatch_item)`,
    )
    .all() as { id: number; s: number | null }[])
    successor.set(r.id, r.s);
  const asked = new Set(known);
  const present = statusOf(db, asked);
  const exists = db.prepare('SELECT 1 FROM person_status WHERE person_id = ?').pluck();
  const isPresent = (p: number) => (asked.has(p) ? present.has(p) : Boolean(exists.get(p)));
  const byIdNumber = db.prepare('SELECT person_id FROM person_status WHERE id_number = ? LIMIT 2').pluck();
  const cache = new Map<number, number | null>();
  const resolve: Resolver = (personId, idNumber) => {
    const cached = cache.get(personId);
    if (cached !== undefined) return cached;
    let p: number | null = personId;
    for (let hops = 0; p !== null && successor.has(p) && hops < 50; hops++) p = successor.get(p) ?? null;
    if (p === null || !isPresent(p)) {
      // The person is gone (its roll replaced): the same ID number names them, when it names one person only.
      const found = idNumber ? (byIdNumber.all(idNumber) as number[]) : [];
      p = found.length === 1 ? found[0]! : null;
    }
    cache.set(personId, p);
    return p;
  };
  resolve.status = present;
  return resolve;
}

/** `extraIds`: further person ids the caller will resolve (a return's 人员编号), checked in the same statement. */
export function roundTripFacts(
  db: Database.Database,
  extraIds: Iterable<number> = [],
): RoundTripFacts & {
  resolve: ReturnType<typeof personResolver>;
} {
  const answerRows = db
    .prepare(
      `SELECT id, person_id AS personId, code, batch_id AS batchId, effective_on AS effectiveOn, id_number AS idNumber,
      content_key AS contentKey FROM verification ORDER BY effective_on, id`,
    )
    .all() as (CurrentAnswer & { id: number; idNumber: string | null; contentKey: string })[];
  // The items' batches apart (a few dozen): 40,000 copies of a batch's date cost more than the join saves.
  const dispatchedAt = new Map(
    (
      db.prepare(`SELECT id, dispatched_at AS at FROM dispatch_batch WHERE state = 'done'`).all() as {
        id: number;
        at: string;
      }[]
    ).map((b) => [b.id, b.at]),
  );
  // One JSON text, as in statusOf: 40,000 items' values one by one cost half as much again.
  const items = (
    dispatchedAt.size
      ? (JSON.parse(
          db
            .prepare(
              `SELECT json_group_array(json_array(i.person_id, i.id_number, i.batch_id)) FROM dispatch_item i
              JOIN dispatch_batch b ON b.id = i.batch_id WHERE b.state = 'done'`,
            )
            .pluck()
            .get() as string,
        ) as [number, string | null, number][])
      : []
  ).map(([personId, idNumber, batchId]) => ({ personId, idNumber, batchId, at: dispatchedAt.get(batchId)! }));
  const ids = new Set(extraIds);
  for (const r of answerRows) ids.add(r.personId);
  for (const r of items) ids.add(r.personId);
  const resolve = personResolver(db, ids);
  const answers = new Map<number, CurrentAnswer>();
  const answerKeys = new Map<number, Set<string>>();
  for (const r of answerRows) {
    const p = resolve(r.personId, r.idNumber);
    if (p === null) continue;
    // Rows come oldest first: the last one seen for a person is the current answer.
    answers.set(p, { verificationId: r.id, personId: p, code: r.code, batchId: r.batchId, effectiveOn: r.effectiveOn });
    (answerKeys.get(p) ?? answerKeys.set(p, new Set()).get(p)!).add(r.contentKey);
  }
  const firstDispatch = new Map<number, string>();
  const latest = new Map<number, { at: string; batchId: number }>();
  for (const d of items) {
    const p = resolve(d.personId, d.idNumber);
    if (p === null) continue;
    const before = firstDispatch.get(p);
    if (!before || d.at < before) firstDispatch.set(p, d.at);
    const last = latest.get(p);
    if (!last || d.at > last.at || (d.at === last.at && d.batchId > last.batchId)) latest.set(p, d);
  }
  const latestBatch = new Map([...latest].map(([p, d]) => [p, d.batchId]));
  return { answers, firstDispatch, latestBatch, answerKeys, persons: resolve.status!, resolve };
}

/**
 * The current answer of each of a few persons (一人一档), as roundTripFacts would give it, reading only the answers
 * that can name them: by their own 人员编号, by a retired person's (merged since, followed to its successor), or by
 * their ID number (a person rebuilt after a roll was replaced). A county's other answers are not read.
 */
export function currentAnswersOf(db: Database.Database, persons: readonly number[]): Map<number, CurrentAnswer> {
  const wanted = new Set(persons);
  const idNumbers = [...statusOf(db, wanted).values()].map((p) => p.idNumber).filter((n): n is string => !!n);
  const rows = db
    .prepare(
      // Each answer looks up its own person (by key), rather than the county's retired persons being listed.
      `SELECT v.id, v.person_id AS personId, v.code, v.batch_id AS batchId, v.effective_on AS effectiveOn,
        v.id_number AS idNumber
      FROM verification v LEFT JOIN person p ON p.id = v.person_id
      WHERE v.person_id IN (SELECT value FROM json_each(?)) OR v.id_number IN (SELECT value FROM json_each(?))
        OR p.retired_at IS NOT NULL
      ORDER BY v.effective_on, v.id`,
    )
    .all(jsonIds(wanted), JSON.stringify(idNumbers)) as (CurrentAnswer & { id: number; idNumber: string | null })[];
  const resolve = personResolver(db, wanted);
  const answers = new Map<number, CurrentAnswer>();
  for (const r of rows) {
    const p = resolve(r.personId, r.idNumber);
    // Oldest first, as in roundTripFacts: the last one seen for a person is the current answer.
    if (p !== null && wanted.has(p))
      answers.set(p, {
        verificationId: r.id,
        personId: p,
        code: r.code,
        batchId: r.batchId,
        effectiveOn: r.effectiveOn,
      });
  }
  return answers;
}
