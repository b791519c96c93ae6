import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkDigit } from '../../shared/id/id-number';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { removeRoll } from '../../electron/core/import/remove-roll';
import { candidatePairs } from '../../electron/core/match/blocking';
import { loadMatchData } from '../../electron/core/match/match-data';
import { KeyRecorder, KIND_INDEX, recordKeys } from '../../electron/core/match/record-keys';
import { runMatch, type MatchSummary } from '../../electron/core/match/run-match';
import { decidePair, listPending, undoDecision } from '../../electron/core/review/review-queue';
import { writeSetting } from '../../electron/core/settings';
import { generateCounty, type CountyTruth } from '../fixtures/county-generator';
import { tempDir, writeCsv } from '../helpers/files';
import { matchedCopies, seen, storedRecords } from './match-equality';
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

/**
 * The state as a version before the rolls' ranges of ids were kept wrote it: a re-match then reads every record id to
 * know which are left, and keeps the ranges for the next.
 */
function forgetRollRanges(ws: Workspace) {
  const meta = JSON.parse(
    (ws.db.prepare(`SELECT value FROM match_state WHERE key = 'meta'`).pluck().get() as Buffer).toString(),
  ) as Record<string, unknown>;
  expect(meta.rollRanges).toBeDefined();
  delete meta.rollRanges;
  ws.db.prepare(`UPDATE match_state SET value = ? WHERE key = 'meta'`).run(Buffer.from(JSON.stringify(meta)));
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
    expect(storedRecords(inc)).toEqual(storedRecords(full));
    return { a, b };
  }

  beforeAll(async () => {
    ({ truth } = await generateCounty({ people: 1500, seed, out, damage: 'real' }));
    ({ inc, full } = await matchedCopies(
      out,
      truth.files.map((f) => ({ path: f.path, kind: f.kind, year: truth.year })),
    ));
  }, 120_000);

  it('keeps the same blocking keys whether blocking records them or they are computed on their own', () => {
    const d = loadMatchData(inc.db);
    const recorder = new KeyRecorder(d);
    candidatePairs(d, { recorder });
    const recorded = recorder.finish();
    const own = recordKeys(d);
    expect(recorded.hashes).toEqual(own.hashes);
    expect(recorded.queryOwner).toEqual(own.queryOwner);
    // Within one record the looked-up numbers may come in another order.
    const byOwner = (k: typeof own) => [...k.queryOwner].map((o, q) => `${o}:${k.queryHash[q]}`).sort();
    expect(byOwner(recorded)).toEqual(byOwner(own));
    // The real-damage county has records that look numbers up, and records in households.
    expect(own.queryHash.length).toBeGreaterThan(0);
    expect(own.hashes.some((h, at) => h !== 0 && at >= KIND_INDEX.householdBirth * d.n)).toBe(true);
  });

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

  it('after the urban roll comes back edited (rows dropped, names and numbers corrected, people added), the result equals a full match', async () => {
    // The platform's next export of the same roll: most rows as they were (carried over without blocking), some
    // dropped, some with a corrected name or a damaged number, some people from the rural roll enrolled here too.
    const rows = (kind: string) =>
      inc.db
        .prepare(
          `SELECT c.name, c.id_raw, c.gender, c.birth_date, c.township, c.village, c.household_no FROM record c
          JOIN roll r ON r.id = c.roll_id WHERE r.kind = ? ORDER BY c.id`,
        )
        .raw(true)
        .all(kind) as (string | null)[][];
    const lines = [['姓名', '身份证号码', '性别', '出生日期', '乡镇', '村（社区）', '户号']];
    const cell = (v: string | null | undefined) => v ?? '';
    const gender = (g: string | null) => (g === 'M' ? '男' : g === 'F' ? '女' : '');
    rows('resident_urban').forEach((r, k) => {
      if (k % 29 === 3) return; // dropped
      const name = k % 31 === 5 ? `${r[0]!.slice(0, 1)}${r[0]!.slice(1).split('').reverse().join('')}` : r[0];
      const id = k % 37 === 7 && r[1] ? `${r[1].slice(0, 15)}000` : r[1];
      lines.push([name, id, gender(r[2]!), r[3], r[4], r[5], r[6]].map(cell));
    });
    for (const r of rows('resident_rural').slice(0, 40))
      lines.push([r[0], r[1], gender(r[2]!), r[3], r[4], r[5], r[6]].map(cell));
    const edited = writeCsv(join(out, 'urban-edited.csv'), lines);
    const { a, b } = await step(async (ws) => {
      const roll = ws.db.prepare(`SELECT id FROM roll WHERE kind = 'resident_urban'`).get() as { id: number };
      removeRoll(ws, roll.id, '测试');
      await importFile(ws, edited, { kind: 'resident_urban', year: truth.year });
    });
    expect(a.mode).toBe('incremental');
    expect(a.reclustered).toBeLessThan(a.records);
    expect(counts(a)).toEqual(counts(b));
    expect(seen(inc)).toEqual(seen(full));
  });

  it('after the employee roll is removed, its persons lose those records exactly as in a full match', async () => {
    // This time from a state without the rolls' ranges of ids (an older version's), which the re-match then keeps.
    forgetRollRanges(inc);
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

  it("after next year's roll and the year after's (the same people again, some gone, some damaged, the uninsured now enrolled), most new records join their person without re-clustering it, and the result equals a full match", async () => {
    const rows = (sql: string) => inc.db.prepare(sql).raw(true).all() as (string | null)[][];
    const columns = `c.name, c.id_raw, c.gender, c.birth_date, c.township, c.village, c.household_no`;
    const lines = [['姓名', '身份证号码', '性别', '出生日期', '乡镇', '村（社区）', '户号']];
    const cell = (v: string | null | undefined) => v ?? '';
    const gender = (g: string | null) => (g === 'M' ? '男' : g === 'F' ? '女' : '');
    const rural = rows(`SELECT ${columns} FROM record c JOIN roll r ON r.id = c.roll_id
      WHERE r.kind = 'resident_rural' ORDER BY c.id`);
    // A third of the rural roll enrolled again (a quarter of the workspace new would call for a new estimate), a few
    // with a name typed otherwise or a number cut by Excel; and base persons nobody enrolled this year.
    rural.slice(0, Math.floor(rural.length / 3)).forEach((r, k) => {
      if (k % 23 === 4) return;
      const name = k % 31 === 5 ? `${r[0]!.slice(0, 1)}${r[0]!.slice(1).split('').reverse().join('')}` : r[0];
      const id = k % 37 === 7 && r[1] ? `${r[1].slice(0, 15)}000` : r[1];
      lines.push([name, id, gender(r[2]!), r[3], r[4], r[5], r[6]].map(cell));
    });
    const uninsured = rows(`SELECT ${columns} FROM record c JOIN roll r ON r.id = c.roll_id
      JOIN person_status s ON s.person_id = c.person_id WHERE r.kind = 'population' AND s.insured = 0 ORDER BY c.id`);
    expect(uninsured.length).toBeGreaterThan(0);
    for (const r of uninsured.slice(0, 30)) lines.push([r[0], r[1], gender(r[2]!), r[3], r[4], r[5], r[6]].map(cell));
    const next = writeCsv(join(out, 'rural-next-year.csv'), lines);
    // The same roll again the year after: its records now have a twin of the same fields from the year before,
    // which blocking reads once for both (incremental-collapse.ts).
    for (const year of [truth.year + 1, truth.year + 2]) {
      const { a, b } = await step((ws) => importFile(ws, next, { kind: 'resident_rural', year }).then());
      expect(a.mode).toBe('incremental');
      expect(a.changedRecords).toBe(lines.length - 1);
      // Most new records only join their person: far fewer records are clustered again than came in.
      expect(a.reclustered).toBeLessThan(a.changedRecords / 2);
      expect(counts(a)).toEqual(counts(b));
      expect(seen(inc)).toEqual(seen(full));
    }
  });

  it('a changed link threshold, or most records new to the estimate, means a full match; the base imported again does not', async () => {
    writeSetting(inc.db, 'linkWeight', 8);
    expect(runMatch(inc).mode).toBe('full');
    // The same base imported again: every record stands for the one it replaces, nothing is new to the estimate.
    const file = truth.files.find((f) => f.kind === 'population')!;
    const roll = inc.db.prepare(`SELECT id FROM roll WHERE kind = 'population'`).get() as { id: number };
    removeRoll(inc, roll.id, '测试');
    await importFile(inc, file.path, { kind: file.kind, year: truth.year });
    const again = runMatch(inc);
    expect(again.mode).toBe('incremental');
    expect(again.changedRecords).toBeGreaterThan(0);
    // A neighbouring county's base added: over a quarter of the records are new.
    const other = await generateCounty({ people: 1500, seed: seed + 1, out: join(dir, `other-${seed}`) });
    const otherBase = other.truth.files.find((f) => f.kind === 'population')!;
    await importFile(inc, otherBase.path, { kind: 'population', year: truth.year });
    expect(runMatch(inc).mode).toBe('full');
    inc.close();
    full.close();
  });
});

describe('增量重新比对：分组跨过上限（同名同生日的一大群人）', () => {
  // 397 people called 张伟 born the same day in one township, each with a valid number in the base; the resident roll
  // lists two of them without a number. Their blocks (姓名＋出生日期, 姓名＋乡镇, 读音…) hold 399 records, under the
  // cap of 400, so every pair is compared. A roll bringing two more without a number takes them past the cap, where
  // a full match leaves them out; removing it brings them back. The re-match must follow both ways.
  const header = ['姓名', '身份证号码', '性别', '出生日期', '乡镇', '村（社区）'];
  const idOf = (k: number) => {
    const f17 = `61092319900101${String(k).padStart(3, '0')}`;
    return f17 + checkDigit(f17);
  };
  const zhangWei = (k: number, id: string) => ['张伟', id, k % 2 ? '男' : '女', '1990-01-01', '城关镇', `村${k % 7}`];
  const others = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, j) => {
      const k = from + j;
      const f17 = `61092319${String(50 + (k % 40))}0${1 + (k % 9)}1${k % 10}${String(k).padStart(3, '0')}`;
      return [
        `李${'伟芳娜敏静丽强磊军洋'[k % 10]}${'明超秀霞平刚桂英华玉'[Math.floor(k / 10) % 10]}`,
        f17 + checkDigit(f17),
        '男',
        '',
        '城关镇',
        `村${k % 7}`,
      ];
    });
  const capDir = join(dir, 'cap');

  it('equals a full match when a roll takes a block past the cap, and again when it is removed', async () => {
    mkdirSync(capDir, { recursive: true });
    const base = writeCsv(join(capDir, 'base.csv'), [
      header,
      ...Array.from({ length: 397 }, (_, k) => zhangWei(k, idOf(k))),
      ...others(0, 200),
    ]);
    const rural = writeCsv(join(capDir, 'rural.csv'), [header, zhangWei(1, ''), zhangWei(2, ''), ...others(0, 150)]);
    const employee = writeCsv(join(capDir, 'employee.csv'), [
      header,
      zhangWei(3, ''),
      zhangWei(4, ''),
      ...others(150, 200),
    ]);
    const { inc, full, first } = await matchedCopies(capDir, [
      { path: base, kind: 'population', year: 2026 },
      { path: rural, kind: 'resident_rural', year: 2026 },
    ]);
    expect(first.blocking.capped.nameBirth).toBeUndefined();
    const pairsWith = (ws: Workspace) =>
      (ws.db.prepare(`SELECT count(*) AS n FROM review_pair`).get() as { n: number }).n;

    for (const w of [inc, full]) await importFile(w, employee, { kind: 'employee', year: 2026 });
    const a = runMatch(inc);
    const b = runMatch(full, { mode: 'full', keepParameters: true });
    expect(a.mode).toBe('incremental');
    expect(b.blocking.capped.nameBirth).toEqual({ blocks: 1, records: 401 });
    expect(a.candidatePairs).toBe(b.candidatePairs);
    expect(seen(inc)).toEqual(seen(full));

    for (const w of [inc, full]) {
      const roll = w.db.prepare(`SELECT id FROM roll WHERE kind = 'employee'`).get() as { id: number };
      removeRoll(w, roll.id, '测试');
    }
    const c = runMatch(inc);
    const d = runMatch(full, { mode: 'full', keepParameters: true });
    expect(c.mode).toBe('incremental');
    expect(d.blocking.capped.nameBirth).toBeUndefined();
    expect(c.candidatePairs).toBe(d.candidatePairs);
    expect(c.candidatePairs).toBe(first.candidatePairs);
    expect(seen(inc)).toEqual(seen(full));
    expect(pairsWith(inc)).toBe(pairsWith(full));
    inc.close();
    full.close();
  }, 120_000);
});
