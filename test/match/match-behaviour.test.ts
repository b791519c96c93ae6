import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDigit } from '../../shared/id/id-number';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch } from '../../electron/core/match/run-match';
import { decidePair, listPending, undoDecision } from '../../electron/core/review/review-queue';
import { PersonSearch } from '../../electron/core/search/person-search';
import { BackendClient } from '../../electron/core/service/backend-client';
import { generateCounty } from '../fixtures/county-generator';
import { tempDir, writeCsv } from '../helpers/files';

const dir = tempDir();
const id = (f17: string) => f17 + checkDigit(f17);
let n = 0;

async function workspaceWith(
  rolls: { kind: 'population' | 'employee' | 'resident_rural' | 'resident_urban'; rows: string[][] }[],
) {
  const ws = Workspace.open(join(dir, `b${++n}.canbao`), { create: true });
  for (const [i, r] of rolls.entries()) {
    await importFile(
      ws,
      writeCsv(join(dir, `b${n}-${i}.csv`), [
        ['姓名', '身份证号码', '性别', '出生日期', '乡镇', '村（社区）', '户号'],
        ...r.rows,
      ]),
      { kind: r.kind, year: 2026 },
    );
  }
  return ws;
}

const personOf = (ws: Workspace, name: string, kind?: string) =>
  (
    ws.db
      .prepare(
        `SELECT c.person_id AS p FROM record c JOIN roll r ON r.id = c.roll_id WHERE c.name = ? ${kind ? 'AND r.kind = ?' : ''}`,
      )
      .get(...(kind ? [name, kind] : [name])) as { p: number }
  ).p;

describe('比对：经办人的判断优先', () => {
  it('links the same ID across rolls, ignoring the middle dot and a homophone', async () => {
    const ws = await workspaceWith([
      {
        kind: 'population',
        rows: [
          ['买买提·艾力', id('65010119780605003'), '男', '1978-06-05', '城关镇', '金星村', '001'],
          ['王晓明', id('61092319850312001'), '男', '1985-03-12', '城关镇', '金星村', '002'],
        ],
      },
      {
        kind: 'resident_rural',
        rows: [
          ['买买提艾力', id('65010119780605003'), '男', '1978-06-05', '城关镇', '金星村委会', ''],
          ['王小明', id('61092319850312001'), '男', '1985-03-12', '城关镇', '金星村', ''],
        ],
      },
    ]);
    const s = runMatch(ws);
    expect(s.persons).toBe(2);
    expect(s.uninsured).toBe(0);
    expect(personOf(ws, '王晓明')).toBe(personOf(ws, '王小明'));
    ws.close();
  });

  it('never undoes a "different" verdict through a chain A–B–C, and re-runs never override decisions', async () => {
    // A and C: one person's two records with a typo'd ID each; B: a record with no ID linking both by name/birth/village.
    const rare = '欧阳梓萱';
    const ws = await workspaceWith([
      { kind: 'population', rows: [[rare, id('61092320010203004'), '女', '2001-02-03', '城关镇', '金星村', '009']] },
      { kind: 'resident_rural', rows: [[rare, '', '女', '2001-02-03', '城关镇', '金星村', '']] },
      { kind: 'employee', rows: [[rare, id('61092320010203004'), '女', '2001-02-03', '', '', '']] },
    ]);
    runMatch(ws);
    const ids = (ws.db.prepare('SELECT id FROM record ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    expect(
      new Set(
        ids.map((i) => (ws.db.prepare('SELECT person_id AS p FROM record WHERE id = ?').get(i) as { p: number }).p),
      ).size,
    ).toBe(1);
    // The clerk says the base record and the no-ID record are different people.
    decidePair(ws.db, ids[0]!, ids[1]!, 'different', '王芳');
    for (let k = 0; k < 2; k++) {
      runMatch(ws);
      const p = ids.map(
        (i) => (ws.db.prepare('SELECT person_id AS p FROM record WHERE id = ?').get(i) as { p: number }).p,
      );
      expect(p[0]).not.toBe(p[1]);
      expect(p[0]).toBe(p[2]); // same trusted ID still links
    }
    const decision = ws.db.prepare('SELECT verdict, decided_by FROM pair_decision').get();
    expect(decision).toEqual({ verdict: 'different', decided_by: '王芳' });
    ws.close();
  });

  it('joins two records a clerk calls the same, even across different ID numbers, and logs who decided', async () => {
    const ws = await workspaceWith([
      { kind: 'population', rows: [['李娜', id('61092319900102002'), '女', '1990-01-02', '城关镇', '金星村', '003']] },
      { kind: 'employee', rows: [['李娜', id('61092319900102044'), '女', '1990-01-02', '', '', '']] },
    ]);
    runMatch(ws);
    expect(personOf(ws, '李娜', 'population')).not.toBe(personOf(ws, '李娜', 'employee'));
    const [a, b] = (ws.db.prepare('SELECT id FROM record ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    decidePair(ws.db, a!, b!, 'same', '王芳');
    const s = runMatch(ws);
    expect(personOf(ws, '李娜', 'population')).toBe(personOf(ws, '李娜', 'employee'));
    expect(s.uninsured).toBe(0);
    expect(ws.db.prepare(`SELECT actor FROM audit_log WHERE action = 'decide'`).get()).toEqual({ actor: '王芳' });
    ws.close();
  });

  it('never merges twins automatically: same birth date and household, consecutive ID numbers, similar names', async () => {
    const t1 = id('61092320150607011'),
      t2 = id('61092320150607013');
    const ws = await workspaceWith([
      {
        kind: 'population',
        rows: [
          ['张子涵', t1, '男', '2015-06-07', '城关镇', '金星村', '010'],
          ['张子轩', t2, '男', '2015-06-07', '城关镇', '金星村', '010'],
        ],
      },
      // On the roll one twin's ID is missing: name, birth date and village alone must not merge him into his brother.
      {
        kind: 'resident_rural',
        rows: [
          ['张子涵', t1, '男', '2015-06-07', '城关镇', '金星村', ''],
          ['张子轩', '', '男', '2015-06-07', '城关镇', '金星村', ''],
        ],
      },
    ]);
    runMatch(ws);
    expect(personOf(ws, '张子涵', 'population')).not.toBe(personOf(ws, '张子轩', 'population'));
    const brother = (
      ws.db
        .prepare(
          `SELECT c.person_id AS p FROM record c JOIN roll r ON r.id = c.roll_id WHERE c.name = '张子轩' AND r.kind = 'resident_rural'`,
        )
        .get() as { p: number }
    ).p;
    expect(brother).not.toBe(personOf(ws, '张子涵', 'population'));
    ws.close();
  });
});

describe('比对：人员编号稳定、结果可重复、解释与分值一致', () => {
  it('gives the same result on the same input, keeps person ids across re-runs and a new roll, and explains scores exactly', async () => {
    const out = join(dir, 'stable');
    const { truth } = await generateCounty({ people: 3000, seed: 99, out });
    const ws = Workspace.open(join(out, 'w.canbao'), { create: true });
    const [base, employee, rural, urban] = truth.files;
    for (const f of [base!, employee!, rural!]) await importFile(ws, f.path, { kind: f.kind, year: truth.year });
    const first = runMatch(ws);
    const snapshot = () =>
      ws.db.prepare('SELECT id, person_id FROM record ORDER BY id').all() as { id: number; person_id: number }[];
    const before = snapshot();
    const again = runMatch(ws, { mode: 'full' });
    expect(snapshot()).toEqual(before);
    expect({ ...again, seconds: 0, parameters: null, personsCreated: 0 }).toEqual({
      ...first,
      seconds: 0,
      parameters: null,
      personsCreated: 0,
    });
    expect(again.personsCreated).toBe(0);

    await importFile(ws, urban!.path, { kind: urban!.kind, year: truth.year });
    const third = runMatch(ws);
    const after = new Map(snapshot().map((r) => [r.id, r.person_id]));
    // Every earlier record keeps its person unless its cluster merged (then the oldest id survives).
    const changed = before.filter((r) => after.get(r.id) !== r.person_id);
    expect(changed.length).toBeLessThanOrEqual(third.personsRetired * 3);
    for (const r of changed) expect(after.get(r.id)!).toBeLessThan(r.person_id);

    for (const p of listPending(ws.db, 1000)) {
      const sum = p.prior + p.contributions.reduce((a, c) => a + c.weight, 0);
      expect(sum).toBeCloseTo(p.weight, 9);
    }
    ws.close();
  });

  it('runs in the engine worker with progress, and a cancelled run leaves the workspace as it was', async () => {
    const out = join(dir, 'worker');
    const { truth } = await generateCounty({ people: 2000, seed: 5, out });
    const path = join(out, 'w.canbao');
    const ws = Workspace.open(path, { create: true });
    for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year });
    ws.close();
    // The one path the app, the harness and the CLI take: BackendClient → engine worker → handlers.
    const client = new BackendClient({ recentFile: join(dir, 'worker-recent.json') });
    try {
      await client.call('workspace.open', { path });
      let cancelSent = false;
      const cancelled = client.runJob(
        'match.run',
        {},
        {
          progress: (p) => {
            if (cancelSent) return;
            cancelSent = true;
            void client.call('job.cancel', { jobId: p.jobId });
          },
        },
      );
      await expect(cancelled).rejects.toMatchObject({ kind: 'cancelled' });
      const check = Workspace.open(path, { readonly: true });
      expect(check.db.prepare('SELECT count(*) AS n FROM record WHERE person_id IS NOT NULL').get()).toEqual({ n: 0 });
      expect(check.db.prepare('SELECT count(*) AS n FROM match_run').get()).toEqual({ n: 0 });
      check.close();
      const stages = new Set<string>();
      const s = await client.runJob('match.run', {}, { progress: (p) => stages.add(p.stage) });
      expect(s.persons).toBeGreaterThan(1900);
      expect([...stages]).toEqual(expect.arrayContaining(['load', 'block', 'cluster', 'persist', 'outcomes']));
    } finally {
      await client.close();
    }
  });
});

describe('复核与查人', () => {
  it('lists pending pairs with the records side by side, and a decision removes the pair from the queue', async () => {
    const ws = await workspaceWith([
      {
        kind: 'population',
        rows: [['张志兴', id('61092320120730807'), '男', '2012-07-30', '江口镇', '南街村', '011']],
      },
      {
        kind: 'resident_rural',
        rows: [
          ['张志兴', '61052320120730807' + checkDigit('61092320120730807'), '男', '2012-07-30', '龙王镇', '兴隆村', ''],
        ],
      },
    ]);
    runMatch(ws);
    const pending = listPending(ws.db);
    expect(pending.length).toBe(1);
    expect(pending[0]!.a.name).toBe('张志兴');
    expect(pending[0]!.contributions.map((c) => c.field)).toEqual(['id', 'name', 'birth', 'gender', 'place']);
    // A re-match that changes nothing about the pair keeps its number; a full one gives it a new number, and the
    // old one names nothing: pair numbers are never reused.
    runMatch(ws);
    expect(listPending(ws.db)).toEqual(pending);
    runMatch(ws, { mode: 'full' });
    const again = listPending(ws.db);
    expect(again[0]!.id).toBeGreaterThan(pending[0]!.id);
    pending[0] = again[0]!;
    // A decision can be taken back: the pair returns to the queue as it was, and the log keeps both.
    decidePair(ws.db, pending[0]!.a.recordId, pending[0]!.b.recordId, 'different', '王芳');
    expect(listPending(ws.db)).toEqual([]);
    undoDecision(ws.db, pending[0]!.a.recordId, pending[0]!.b.recordId, '王芳');
    expect(listPending(ws.db)).toEqual(pending);
    expect(ws.db.prepare('SELECT count(*) AS n FROM pair_decision').get()).toEqual({ n: 0 });
    expect(() => undoDecision(ws.db, pending[0]!.a.recordId, pending[0]!.b.recordId, '王芳')).toThrow('没有复核判断');
    decidePair(ws.db, pending[0]!.a.recordId, pending[0]!.b.recordId, 'same', '王芳');
    expect(listPending(ws.db)).toEqual([]);
    const log = ws.db
      .prepare(`SELECT action FROM audit_log WHERE action IN ('decide', 'undoDecide') ORDER BY id`)
      .all();
    expect(log).toEqual([{ action: 'decide' }, { action: 'undoDecide' }, { action: 'decide' }]);
    const s = runMatch(ws);
    expect(s.reviewPending).toBe(0);
    expect(s.uninsured).toBe(0);
    ws.close();
  });

  it('finds a person by name, pinyin, initials or an ID fragment, with records across rolls', async () => {
    const ws = await workspaceWith([
      {
        kind: 'population',
        rows: [
          ['欧阳梓萱', id('61092320010203004'), '女', '2001-02-03', '城关镇', '金星村', '009'],
          ['王芳', id('61092319800101002'), '女', '1980-01-01', '城关镇', '金星村', '012'],
        ],
      },
      { kind: 'employee', rows: [['歐陽梓萱', id('61092320010203004'), '女', '2001-02-03', '', '', '']] },
    ]);
    runMatch(ws);
    const search = new PersonSearch(ws.db);
    for (const q of ['欧阳梓萱', 'ouyangzixuan', 'oyzx', '20010203', '欧阳梓宣', '欧阳梓']) {
      const hits = search.find(q);
      expect(hits[0]?.name, q).toBe('欧阳梓萱');
      expect(hits[0]!.records.map((r) => r.kind).sort()).toEqual(['employee', 'population']);
    }
    expect(search.find('王方').map((h) => h.name)).toContain('王芳'); // homophone
    ws.close();
  });
});
