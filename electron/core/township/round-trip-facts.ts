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
}

/** Maps the person ids that answers and dispatch items name to the persons that hold them now. */
export function personResolver(db: Database.Database): (personId: number, idNumber: string | null) => number | null {
  const successor = new Map<number, number | null>();
  for (const r of db
    .prepare(
      `SELECT id, successor_id AS s FROM person WHERE retired_at IS NOT NULL AND id IN (
        SELECT person_id FROM verification UNION SELECT person_id FROM dispatch_item)`,
    )
    .all() as { id: number; s: number | null }[])
    successor.set(r.id, r.s);
  const exists = db.prepare('SELECT 1 FROM person_status WHERE person_id = ?').pluck();
  const byIdNumber = db.prepare('SELECT person_id FROM person_status WHERE id_number = ? LIMIT 2').pluck();
  const cache = new Map<number, number | null>();
  return (personId, idNumber) => {
    const known = cache.get(personId);
    if (known !== undefined) return known;
    let p: number | null = personId;
    for (let hops = 0; p !== null && successor.has(p) && hops < 50; hops++) p = successor.get(p) ?? null;
    if (p === null || !exists.get(p)) {
      // The person is gone (its roll replaced): the same ID number names them, when it names one person only.
      const found = idNumber ? (byIdNumber.all(idNumber) as number[]) : [];
      p = found.length === 1 ? found[0]! : null;
    }
    cache.set(personId, p);
    return p;
  };
}

export function roundTripFacts(db: Database.Database): RoundTripFacts {
  const resolve = personResolver(db);
  const answers = new Map<number, CurrentAnswer>();
  const rows = db
    .prepare(
      `SELECT id, person_id AS personId, code, batch_id AS batchId, effective_on AS effectiveOn, id_number AS idNumber
      FROM verification ORDER BY effective_on, id`,
    )
    .iterate() as IterableIterator<CurrentAnswer & { id: number; idNumber: string | null }>;
  for (const r of rows) {
    const p = resolve(r.personId, r.idNumber);
    if (p === null) continue;
    // Rows come oldest first: the last one seen for a person is the current answer.
    answers.set(p, { verificationId: r.id, personId: p, code: r.code, batchId: r.batchId, effectiveOn: r.effectiveOn });
  }
  const firstDispatch = new Map<number, string>();
  for (const d of db
    .prepare(
      `SELECT i.person_id AS personId, i.id_number AS idNumber, min(b.dispatched_at) AS at FROM dispatch_item i
      JOIN dispatch_batch b ON b.id = i.batch_id WHERE b.state = 'done' GROUP BY i.person_id`,
    )
    .all() as { personId: number; idNumber: string | null; at: string }[]) {
    const p = resolve(d.personId, d.idNumber);
    if (p === null) continue;
    const before = firstDispatch.get(p);
    if (!before || d.at < before) firstDispatch.set(p, d.at);
  }
  return { answers, firstDispatch };
}
