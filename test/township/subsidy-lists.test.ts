import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch } from '../../electron/core/match/run-match';
import { importSubsidyList } from '../../electron/core/subsidy/subsidy-import';
import { refreshListedGroups } from '../../electron/core/subsidy/listed-groups';
import { decidePair } from '../../electron/core/review/review-queue';
import { exportWorkbooks } from '../../electron/core/export/export-all';
import { importReturns } from '../../electron/core/township/returns-import';
import { formatPersonId } from '../../shared/domain/types';
import type { Identity } from '../../shared/domain/subsidy';
import { generateCounty } from '../fixtures/county-generator';
import { CATEGORY_IDENTITY, generateSubsidyLists } from '../fixtures/subsidy-lists';
import { PERSONAL_PAYMENT } from '../fixtures/gen/write-rolls';
import { tempDir } from '../helpers/files';
import { cli } from '../helpers/run-cli';
import { TEST_SEEDS } from '../helpers/seed';

const ORDER: Identity[] = ['tekun', 'orphan', 'dibao', 'monitor', 'tuopin', 'disabled', 'youfu'];
const top = (ids: Identity[]) => ORDER.find((i) => ids.includes(i)) ?? null;

for (const seed of TEST_SEEDS) {
  describe(`资助参保名单：逐月导入、对比与参保核查（seed ${seed}）`, () => {
    it('diffs each month exactly as the truth, and every count of subsidy --json equals the truth', async () => {
      const dir = tempDir();
      const { truth, county } = await generateCounty({ people: 2000, seed, out: join(dir, 'county') });
      const ws = Workspace.open(join(dir, 'w.canbao'), { create: true });
      for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year, actor: '王芳' });
      runMatch(ws, { actor: '王芳' });
      const db = ws.db;
      const months = ['2026-08', '2026-09', '2026-10'];
      const gen = generateSubsidyLists(county, { seed, months, out: dir });

      // Month by month, department by department: 新增, 变更, 取消 as the truth has them.
      for (const l of gen.lists) {
        const via = l.department === '民政' && l.month === '2026-09';
        const r = via
          ? JSON.parse(
              (
                await cli(
                  'import',
                  '--workspace',
                  ws.path,
                  '--kind',
                  'subsidy_list',
                  '--department',
                  l.department,
                  '--month',
                  l.month,
                  l.file,
                  '--json',
                )
              ).out,
            )
          : await importSubsidyList(db, l.file, { department: l.department, month: l.month, actor: '王芳' });
        const d = gen.diffs.get(`${l.department}|${l.month}`)!;
        expect(
          { rows: r.rows, added: r.added, changed: r.changed, cancelled: r.cancelled },
          `${l.department} ${l.month}`,
        ).toEqual({
          rows: l.members.size,
          added: d.added.size,
          changed: d.changed.size,
          cancelled: d.cancelled.size,
        });
        const stored = (kind: string) =>
          new Set(
            db
              .prepare(
                `SELECT c.id_number FROM subsidy_change c JOIN subsidy_list s ON s.id = c.list_id
                WHERE s.department = ? AND s.month = ? AND c.kind = ?`,
              )
              .pluck()
              .all(l.department, l.month, kind) as string[],
          );
        expect(stored('added')).toEqual(d.added);
        expect(stored('changed')).toEqual(d.changed);
        expect(stored('cancelled')).toEqual(d.cancelled);
      }

      // A township answers that three listed, uninsured persons died last year.
      const latest = new Map<string, Identity[]>();
      for (const l of gen.lists.filter((x) => x.month === '2026-10'))
        for (const [id, ids] of l.members) latest.set(id, [...new Set([...(latest.get(id) ?? []), ...ids])]);
      const status = db.prepare(
        'SELECT person_id AS p, insured, insured_kinds AS kinds FROM person_status WHERE id_number = ? LIMIT 1',
      );
      const of = (id: string) => status.get(id) as { p: number; insured: number; kinds: string | null } | undefined;
      const notInsured = [...latest.keys()].filter((id) => of(id) && !of(id)!.insured);
      const dead = notInsured.slice(0, 1);
      const away = notInsured.slice(1, 2);
      const csv = [
        '人员编号,姓名,核实情况,死亡日期,参保地',
        ...dead.map((id) => `${formatPersonId(of(id)!.p)},,死亡,2025-05-01,`),
        ...away.map((id) => `${formatPersonId(of(id)!.p)},,在外地参保,,浙江省宁波市`),
      ];
      writeFileSync(join(dir, '死亡回执.csv'), '\ufeff' + csv.join('\r\n') + '\r\n');
      const back = await importReturns(db, [join(dir, '死亡回执.csv')], { actor: '王芳' });
      expect(back.applied).toBe(dead.length + away.length);

      // What each person paid: the generator's amount for the category of the person each rural row is (by
      // truth-records.tsv), for the rows the engine linked to that person.
      const uidOf = new Map(
        readFileSync(join(dir, 'county', 'truth-records.tsv'), 'utf8')
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => l.split('\t'))
          .map(([file, sheet, row, uid]) => [`${file}|${sheet}|${row}`, Number(uid)]),
      );
      const byUid = new Map(county.people.map((p) => [p.uid, p]));
      const ruralRows = db.prepare(
        `SELECT r.file_name AS file, r.sheet, c.source_row AS row FROM record c JOIN roll r ON r.id = c.roll_id
        WHERE c.person_id = ? AND r.kind = 'resident_rural' ORDER BY c.id LIMIT 1`,
      );
      const paidBy = (personId: number): number | null => {
        const r = ruralRows.get(personId) as { file: string; sheet: string; row: number } | undefined;
        return r ? (PERSONAL_PAYMENT[byUid.get(uidOf.get(`${r.file}|${r.sheet}|${r.row}`)!)!.category] ?? 400) : null;
      };
      let tiers: Partial<Record<Identity, number>> = {};
      const expectedPay = (i: Identity) =>
        tiers[i] ?? ({ tekun: 0, orphan: 0, dibao: 160, monitor: 160 } as Record<string, number>)[i] ?? 400;

      // The truth: the generator's lists and categories (the rolls' 资助类别), the engine's persons by ID number.
      const people = new Map(county.people.map((p) => [p.id18, p]));
      const truthOf = () => {
        const e = {
          listed: 0,
          insured: 0,
          insuredEmployee: 0,
          insuredElsewhere: 0,
          uninsured: 0,
          diedBeforeYear: 0,
          wrongSubsidy: 0,
        };
        for (const [id, ids] of latest) {
          e.listed++;
          const s = of(id);
          if (dead.includes(id)) e.diedBeforeYear++;
          else if (away.includes(id)) e.insuredElsewhere++;
          else if (s?.insured) {
            e.insured++;
            if (s.kinds === 'E') e.insuredEmployee++;
            else if (s.kinds?.includes('R')) {
              const recorded = CATEGORY_IDENTITY[people.get(id)!.category] ?? null;
              const paid = paidBy(s.p);
              if (recorded !== top(ids) || (paid !== null && paid !== expectedPay(top(ids)!))) e.wrongSubsidy++;
            }
          } else e.uninsured++;
        }
        return e;
      };
      const e = truthOf();
      // Subsidised enrolments of persons on no list, per person as the engine linked them (a resident row whose
      // damaged ID kept it apart from its person is a person of its own): each row's truth from truth-records.tsv.
      const subsidisedPersons = new Set<number>();
      for (const r of db
        .prepare(
          `SELECT c.person_id AS p, r.file_name AS file, r.sheet, c.source_row AS row, s.id_number AS id
          FROM record c JOIN roll r ON r.id = c.roll_id JOIN person_status s ON s.person_id = c.person_id
          WHERE r.kind IN ('resident_rural', 'resident_urban')`,
        )
        .all() as { p: number; file: string; sheet: string; row: number; id: string | null }[]) {
        const person = byUid.get(uidOf.get(`${r.file}|${r.sheet}|${r.row}`)!)!;
        if (CATEGORY_IDENTITY[person.category] && !(r.id && latest.has(r.id))) subsidisedPersons.add(r.p);
      }
      const unlisted = subsidisedPersons.size;
      const res = await cli('subsidy', '--workspace', ws.path, '--json');
      expect(res.code, res.err).toBe(0);
      const got = JSON.parse(res.out);
      const last = (k: 'added' | 'changed' | 'cancelled') =>
        gen.lists
          .filter((l) => l.month === '2026-10')
          .reduce((a, l) => a + gen.diffs.get(`${l.department}|${l.month}`)![k].size, 0);
      expect(got).toMatchObject({
        ...e,
        unlistedSubsidised: unlisted,
        added: last('added'),
        changed: last('changed'),
        cancelled: last('cancelled'),
      });
      // The year's identity table decides what each identity pays: 低保 at 50% instead of 60% makes every 低保 who
      // paid 160 yuan pay wrongly; the table is kept per year and logged.
      const set = await cli(
        'subsidy',
        '--workspace',
        ws.path,
        '--tiers',
        '--set',
        'dibao=percent:50',
        '--by',
        '王芳',
        '--json',
      );
      expect(set.code, set.err).toBe(0);
      expect(JSON.parse(set.out).tiers.find((t: { identity: string }) => t.identity === 'dibao')).toMatchObject({
        pays: 200,
      });
      tiers = { dibao: 200 };
      const moreWrong = truthOf().wrongSubsidy;
      expect(moreWrong).toBeGreaterThan(e.wrongSubsidy);
      expect(JSON.parse((await cli('subsidy', '--workspace', ws.path, '--json')).out).wrongSubsidy).toBe(moreWrong);
      // Special-group status comes from the lists too: a newcomer whose rolls say nothing shows as 低保 or 监测
      // everywhere (ledger order, filters, 一人一档), and still does after the next match rebuilds the lists.
      const groupsOf = db.prepare('SELECT special_groups FROM person_status WHERE id_number = ?').pluck();
      const newcomers = [...latest].filter(([id]) => !people.get(id)!.category && of(id));
      expect(newcomers.length).toBeGreaterThan(0);
      const shown = {
        tekun: 'tekun',
        orphan: 'tekun',
        dibao: 'dibao',
        monitor: 'tuopin',
        tuopin: 'tuopin',
        disabled: 'disabled',
      };
      const check = () => {
        for (const [id, ids] of newcomers)
          for (const i of ids) expect(String(groupsOf.get(id)), id).toContain(shown[i as keyof typeof shown]);
      };
      check();
      runMatch(ws, { actor: '王芳' });
      check();
      // A clerk splits a listed person (不是同一人): the re-match derives both parts again from their records
      // alone, and the lists' groups come back on them as a pass over the whole county gives them.
      const twoRecords = db.prepare(
        `SELECT min(c.id) AS a, max(c.id) AS b FROM record c JOIN person_status s ON s.person_id = c.person_id
        WHERE s.id_number = ? GROUP BY c.person_id HAVING count(*) > 1`,
      );
      const split = [...latest]
        .map(([id]) => twoRecords.get(id) as { a: number; b: number } | undefined)
        .find((x) => x !== undefined);
      expect(split).toBeDefined();
      decidePair(db, split!.a, split!.b, 'different', '王芳');
      const rematch = runMatch(ws, { actor: '王芳' });
      expect(rematch.mode).toBe('incremental');
      check();
      const groups = () =>
        db.prepare('SELECT person_id, special_groups, special_rank, listed_groups FROM person_status ORDER BY 1').all();
      const afterRematch = groups();
      refreshListedGroups(db);
      expect(groups()).toEqual(afterRematch);
      // The 台账 per township and the monthly changes, written like every export; every listed person on a ledger.
      const exported = await exportWorkbooks(db, {
        dir: join(dir, '导出'),
        what: ['subsidy'],
        mask: '6-4',
        format: 'xlsx',
        actor: '王芳',
      });
      const ledgers = exported.files.filter((f) => f.township !== null);
      expect(ledgers.reduce((a, f) => a + f.rows, 0)).toBe(got.listed);
      const changes = exported.files.find((f) => f.township === null)!;
      expect(changes.sheets.map((x) => x.name)).toEqual(months);
      expect(changes.rows).toBe(
        [...gen.diffs.values()].reduce((a, d) => a + d.added.size + d.changed.size + d.cancelled.size, 0),
      );
      // The county's damage really happened: each count the truth checks is more than nothing.
      for (const k of [
        'insuredElsewhere',
        'listed',
        'insured',
        'uninsured',
        'diedBeforeYear',
        'wrongSubsidy',
        'unlistedSubsidised',
        'added',
        'changed',
        'cancelled',
      ])
        expect(got[k], k).toBeGreaterThan(0);
      ws.close();
    }, 300_000);
  });
}
