import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { removeRoll } from '../../electron/core/import/remove-roll';
import { runMatch, type MatchSummary } from '../../electron/core/match/run-match';
import { decidePair, listPending, undoDecision } from '../../electron/core/review/review-queue';
import { writeSetting } from '../../electron/core/settings';
import { generateCounty, type CountyTruth } from '../fixtures/county-generator';
import { tempDir } from '../helpers/files';
import { TEST_SEEDS } from '../helpers/seed';

/**
 * Issue 15, Deliver 3: after a replaced roll or a clerk's decisions, only what changed is compared again and only
 * the persons it reaches are clustered again, and the result is exactly what a full match with the same parameters
 * gives: the same 人员编号 on every record, the same lists, the same review queue.
 *
 * Two copies of one workspace go through the same steps; one re-matches incrementally, the other in full with the
 * parameters kept, and after every step everything a clerk sees is compared.
 */
const dir = tempDir();

/** Everything a clerk sees after a match, minus the times it ran. */
function seen(ws: Workspace) {
  const all = (sql: string) => ws.db.prepare(sql).all();
  return {
    records: all('SELECT id, person_id, link_rule, link_score FROM record ORDER BY id'),
    persons: all('SELECT id, retired_reason, successor_id FROM person ORDER BY id'),
    status: all('SELECT * FROM person_status ORDER BY person_id'),
    duplicates: all('SELECT person_id, record_id, action, rule FROM duplicate_item ORDER BY person_id, record_id'),
    review: all(
      `SELECT record_a, record_b, weight, probability, impact, impact_label, explanation_json FROM review_pair
      WHERE decided_at IS NULL ORDER BY record_a, record_b`,
    ),
    villages: all('SELECT * FROM village_base ORDER BY township, village'),
  };
}

const counts = (s: MatchSummary) => ({
  persons: s.persons,
  basePersons: s.basePersons,
  uninsured: s.uninsured,
  duplicates: s.duplicates,
  notInBase: s.notInBase,
  reviewPending: s.reviewPending,
  links: s.links,
  records: s.records,
  candidatePairs: s.candidatePairs,
});

describe.each(TEST_SEEDS.map((seed) => ({ seed })))('增量重新比对（seed $seed）', ({ seed }) => {
  let truth: CountyTruth;
  let inc: Workspace, full: Workspace;
  const out = join(dir, `c-${seed}`);

  /** One step on both copies, then a re-match: incremental on one, full with kept parameters on the other. */
  async function step(change: (ws: Workspace) => Promise<void> | void) {
    await change(inc);
    await change(full);
    const a = runMatch(inc);
    const b = runMatch(full, { mode: 'full', keepParameters: true });
    return { a, b };
  }

  beforeAll(async () => {
    ({ truth } = await generateCounty({ people: 1500, seed, out, damage: 'real' }));
    const path = join(out, 'inc.canbao');
    const ws = Workspace.open(path, { create: true });
    for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year });
    runMatch(ws);
    ws.close();
    copyFileSync(path, join(out, 'full.canbao'));
    inc = Workspace.open(path);
    full = Workspace.open(join(out, 'full.canbao'));
  }, 120_000);

  it('after a clerk decides pairs (同一人, 不是同一人, one undone), only their persons are re-clustered', async () => {
    // Whatever the queue holds, and pairs the generator always makes: records the match joined (split by a
    // 不是同一人) and records of two persons in one village (joined by a 同一人).
    const queued = listPending(inc.db, 4, 0).map((p) => ({
      a: p.a.recordId,
      b: p.b.recordId,
      verdict: 'same' as const,
    }));
    const joined = inc.db
      .prepare(
        `SELECT min(id) AS a, max(id) AS b, 'different' AS verdict FROM record WHERE person_id IS NOT NULL
        GROUP BY person_id HAVING count(*) = 2 ORDER BY person_id LIMIT 3`,
      )
      .all() as { a: number; b: number; verdict: 'different' }[];
    const apart = inc.db
      .prepare(
        `SELECT min(id) AS a, max(id) AS b, 'same' AS verdict FROM record WHERE village_key IS NOT NULL
        GROUP BY village_key HAVING count(DISTINCT person_id) > 1 ORDER BY village_key LIMIT 2`,
      )
      .all() as { a: number; b: number; verdict: 'same' }[];
    const decisions = [...queued, ...joined, ...apart];
    expect(joined).toHaveLength(3);
    expect(apart).toHaveLength(2);
    const { a, b } = await step((ws) => {
      for (const x of decisions) decidePair(ws.db, x.a, x.b, x.verdict, '测试');
      undoDecision(ws.db, decisions[0]!.a, decisions[0]!.b, '测试');
    });
    expect(a.mode).toBe('incremental');
    expect(a.changedRecords).toBe(0);
    expect(a.reclustered).toBeLessThan(a.records / 20);
    expect(counts(a)).toEqual(counts(b));
    expect(seen(inc)).toEqual(seen(full));
  });

  it('after the urban resident roll is removed and imported again (every record new), the result equals a full match', async () => {
    const file = truth.files.find((f) => f.kind === 'resident_urban')!;
    const { a, b } = await step(async (ws) => {
      const roll = ws.db.prepare(`SELECT id FROM roll WHERE kind = 'resident_urban'`).get() as { id: number };
      removeRoll(ws, roll.id, '测试');
      await importFile(ws, file.path, { kind: file.kind, year: truth.year });
    });
    expect(a.mode).toBe('incremental');
    expect(a.changedRecords).toBeGreaterThan(0);
    expect(a.reclustered).toBeLessThan(a.records);
    expect(counts(a)).toEqual(counts(b));
    expect(seen(inc)).toEqual(seen(full));
  });

  it('after the employee roll is removed, its persons lose those records exactly as in a full match', async () => {
    const { a, b } = await step((ws) => {
      const roll = ws.db.prepare(`SELECT id FROM roll WHERE kind = 'employee'`).get() as { id: number };
      removeRoll(ws, roll.id, '测试');
    });
    expect(a.mode).toBe('incremental');
    expect(counts(a)).toEqual(counts(b));
    expect(seen(inc)).toEqual(seen(full));
  });

  it('a re-match with nothing changed changes nothing and re-clusters no one', async () => {
    const before = seen(inc);
    const a = runMatch(inc);
    expect(a.mode).toBe('incremental');
    expect(a.reclustered).toBe(0);
    expect(seen(inc)).toEqual(before);
  });

  it('a changed link threshold, or most of the county changed, means a full match', async () => {
    writeSetting(inc.db, 'linkWeight', 8);
    expect(runMatch(inc).mode).toBe('full');
    const file = truth.files.find((f) => f.kind === 'population')!;
    const roll = inc.db.prepare(`SELECT id FROM roll WHERE kind = 'population'`).get() as { id: number };
    removeRoll(inc, roll.id, '测试');
    await importFile(inc, file.path, { kind: file.kind, year: truth.year });
    expect(runMatch(inc).mode).toBe('full');
    inc.close();
    full.close();
  });
});
