import { readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch } from '../../electron/core/match/run-match';
import { dispatchLedgers } from '../../electron/core/township/dispatch';
import { importReturns } from '../../electron/core/township/returns-import';
import { normalizeName } from '../../shared/text/name';
import { formatPersonId } from '../../shared/domain/types';
import { personView } from '../../electron/core/service/person-view';
import { resultsList } from '../../electron/core/service/views';
import { readSettings } from '../../electron/core/settings';
import { currentTallies } from '../../electron/core/township/snapshots';
import { villageTallies } from '../../electron/core/township/participation';
import { todayLocal } from '../../shared/text/clerk-format';
import { generateCounty } from '../fixtures/county-generator';
import { simulateReturn, type ReturnTruthRow } from '../fixtures/returns-generator';
import { tempDir } from '../helpers/files';
import { cli } from '../helpers/run-cli';
import { TEST_SEEDS } from '../helpers/seed';

/**
 * The county's loop with its townships, end to end on generated counties: 下发, simulated returns as WPS leaves them,
 * a second round, a re-imported enrolment roll and a new match; then `canbao rates --json` against a truth computed
 * here, independently of the engine's rate code, from what each returned row says (DOMAIN-RULES §2.1 (d), R2.2–R2.5).
 */

// The categories' effects as the rules table states them, with the default settings (出国 removed, 失联 stays).
const REMOVED = new Set(['06', '07', '08', '09', '10']);
const ELSEWHERE = new Set(['02', '03', '04']);
const LOCAL = new Set(['01']);

const nameKey = (s: string) => normalizeName(s).replace(/·/g, '');
const fits = (masked: string, full: string) =>
  masked.length === full.length && [...masked].every((c, i) => c === '*' || c === full[i]);
const daysAgo = (n: number) => todayLocal(new Date(Date.now() - n * 86_400_000));

interface Expected {
  base: number;
  removed: number;
  due: number;
  insured: number;
  insuredElsewhere: number;
  dispatched: number;
  verified: number;
  mobilised: number;
  remaining: number;
  rateHousehold: number;
  rateLocal: number;
}

for (const seed of TEST_SEEDS) {
  describe(`乡镇核实回执的往返：下发、回收、再导入参保名册后的参保率（seed ${seed}）`, () => {
    it('applies every returned row or names its place; a second import changes nothing; rates equal the truth on both bases', async () => {
      const dir = tempDir();
      const { truth } = await generateCounty({ people: 2000, seed, out: join(dir, 'county') });
      const ws = Workspace.open(join(dir, 'w.canbao'), { create: true });
      for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year, actor: '王芳' });
      runMatch(ws, { actor: '王芳' });
      const db = ws.db;

      const sent = await dispatchLedgers(db, { dir: join(dir, '下发'), mask: '6-4', format: 'xlsx', actor: '王芳' });
      expect(sent.batchNo).toMatch(/^\d{8}-01$/);
      const dispatched = new Set(db.prepare('SELECT person_id FROM dispatch_item').pluck().all() as number[]);
      expect(dispatched.size).toBe(sent.persons);
      const uninsuredBase = db.prepare('SELECT count(*) FROM person_status WHERE in_base = 1 AND insured = 0').pluck();
      expect(sent.persons).toBe(uninsuredBase.get());

      // Townships answer; one of them adds a base person the ledger did not list, by hand at the end.
      const base = db
        .prepare(
          `SELECT s.person_id AS personId, s.name, s.id_number AS idNumber, s.village_key AS village, s.insured
          FROM person_status s WHERE s.in_base = 1`,
        )
        .all() as {
        personId: number;
        name: string;
        idNumber: string | null;
        village: string | null;
        insured: number;
      }[];
      const uniqueName = (name: string, village: string, masked: string) =>
        base.filter(
          (p) => nameKey(p.name) === nameKey(name) && (p.village ?? '') === village && fits(masked, p.idNumber ?? ''),
        ).length === 1;
      const extra = base.find((p) => p.insured === 1 && p.idNumber && !dispatched.has(p.personId))!;
      const ledgers = sent.files.filter((f) => f.kind === 'ledger').map((f) => f.file);
      const returned: { file: string; rows: ReturnTruthRow[] }[] = ledgers.map((ledger, i) =>
        simulateReturn(ledger, join(dir, `回执${i + 1}.${i % 2 ? 'xls' : 'xlsx'}`), {
          seed: seed + i,
          format: i % 2 ? 'xls' : 'xlsx',
          today: daysAgo(5),
          days: 5,
          // What the checks below count on, whatever the seed: a death, someone insured elsewhere, someone working
          // away (asked again in the second round), someone not visited yet.
          ensure: i === 0 ? ['06', '03', '11', 'unanswered'] : [],
          uniqueName,
          extras:
            i === 0
              ? [
                  {
                    personId: extra.personId,
                    name: extra.name,
                    idNumber: extra.idNumber!,
                    village: extra.village ?? '',
                  },
                ]
              : [],
        }),
      );
      const first = await importReturns(
        db,
        returned.map((r) => r.file),
        { actor: '王芳' },
      );
      const all = returned.flatMap((r) => r.rows.map((t) => ({ ...t, file: basename(r.file) })));
      expect(first.rows).toBe(all.length);
      expect(first.applied).toBe(all.filter((t) => t.outcome === 'applied').length);
      expect(first.unanswered).toBe(all.filter((t) => t.outcome === 'unanswered').length);
      expect(first.unchanged).toBe(0);
      // The snapshot the import took from the answers it had just applied is what counting afresh gives.
      const snapshotIsCount = () => {
        const st = readSettings(db);
        expect(currentTallies(db, st)).not.toBeNull();
        expect(Object.fromEntries(currentTallies(db, st)!)).toEqual(Object.fromEntries(villageTallies(db, st)));
      };
      snapshotIsCount();
      const where = (p: { file: string; sheet: string; row: number; column?: string }) =>
        `${p.file}|${p.sheet}|${p.row}|${p.column ?? ''}`;
      expect(first.problems.map(where).sort()).toEqual(
        all
          .filter((t) => t.outcome === 'problem')
          .map(where)
          .sort(),
      );
      for (const p of first.problems) expect(p.message).toMatch(/[\u4e00-\u9fa5]/);
      // The simulated damage really happened: problems to report, rows found again by name + village only.
      expect(first.problems.length).toBeGreaterThan(0);
      expect(all.some((t) => t.byName && t.outcome === 'applied')).toBe(true);

      // The answer shows where the person is listed: 一人一档's status and the 未参保 list's 情况 column.
      const died = all.find((t) => t.outcome === 'applied' && t.code === '06' && t.personId)!;
      expect(personView(db, { personId: formatPersonId(died.personId) }).status).toBe(
        '底册内，未参保（乡镇核实：死亡）',
      );
      const listed = resultsList(db, {
        list: 'uninsured',
        text: formatPersonId(died.personId),
        specialOnly: false,
        sortDir: 'asc',
        offset: 0,
        limit: 10,
      });
      expect(listed.rows[0]!.detail).toBe('底册内，无参保记录；乡镇核实：死亡');

      // The same returns again: nothing changes.
      const count = db.prepare('SELECT count(*) FROM verification').pluck();
      const before = count.get();
      const rates1 = JSON.parse((await cli('rates', '--workspace', ws.path, '--json')).out);
      const again = await importReturns(
        db,
        returned.map((r) => r.file),
        { actor: '王芳' },
      );
      expect(again.applied).toBe(0);
      expect(again.unchanged).toBe(first.applied);
      expect(again.problems.length).toBe(first.problems.length);
      expect(count.get()).toBe(before);
      expect(JSON.parse((await cli('rates', '--workspace', ws.path, '--json')).out)).toEqual(rates1);

      // A second round from the first township, dated later: its answers win.
      const workingAway = new Set(all.filter((t) => t.code === '11' && t.personId).map((t) => t.personId!));
      const round2 = simulateReturn(ledgers[0]!, join(dir, '回执1-第二轮.xlsx'), {
        seed: seed + 100,
        format: 'xlsx',
        today: todayLocal(),
        days: 3,
        only: workingAway,
        answered: 0.5,
        ensure: ['05'],
      });
      const second = await importReturns(db, [round2.file], { actor: '李四' });
      expect(second.applied).toBe(round2.rows.filter((t) => t.outcome === 'applied').length);
      snapshotIsCount();
      // 一人一档 shows both answers, newest first, where each came from, and which one counts.
      const twice = round2.rows.find((t) => t.outcome === 'applied' && t.personId)!;
      const history = personView(db, { personId: formatPersonId(twice.personId) }).roundTrip;
      expect(history.answers.length).toBeGreaterThanOrEqual(2);
      expect(history.answers[0]!).toMatchObject({ current: true, verifiedOn: twice.verifiedOn, importedBy: '李四' });
      expect(history.answers[0]!.source).toMatch(/^回执1-第二轮\.xlsx \/ .+ 第\d+行$/);
      expect(history.answers.at(-1)!).toMatchObject({ current: false, importedBy: '王芳', batchNo: sent.batchNo });
      expect(history.dispatches).toEqual([expect.objectContaining({ batchNo: sent.batchNo, dispatchedBy: '王芳' })]);
      expect(history.current?.category).toBe(history.answers[0]!.category);

      // The platform's roll re-imported a few days later: some of the listed persons have enrolled since.
      // Not those answered 县外参保: enrolled here they would count as insured, and the county could be left with no
      // one insured elsewhere to tell the two rates apart (seed 501895302).
      const elsewhere = new Set(all.filter((t) => t.code === '03' && t.personId).map((t) => t.personId!));
      const enrolled = [...dispatched].filter((p, i) => i % 4 === 0 && !elsewhere.has(p));
      const info = db.prepare('SELECT name, id_number AS id, township, village FROM person_status WHERE person_id = ?');
      const newRoll = enrolled
        .map((p) => info.get(p) as { name: string; id: string | null; township: string; village: string })
        .filter((p) => p.id);
      const csv = [
        '姓名,公民身份号码,乡镇（街道）,村（社区）',
        ...newRoll.map((p) => `${p.name},${p.id},${p.township},${p.village}`),
      ];
      writeFileSync(join(dir, '居民医保_新增缴费.csv'), '\ufeff' + csv.join('\r\n') + '\r\n');
      await importFile(ws, join(dir, '居民医保_新增缴费.csv'), {
        kind: 'resident_rural',
        year: truth.year,
        actor: '王芳',
      });
      runMatch(ws, { actor: '王芳' });

      // The truth, from the rows' own answers: latest 核实日期 wins, a later import on the same day.
      const answers = new Map<number, { code: string; on: string }>();
      for (const t of [...all, ...round2.rows]) {
        if (t.outcome !== 'applied' || t.personId === null) continue;
        const had = answers.get(t.personId);
        if (!had || t.verifiedOn! >= had.on) answers.set(t.personId, { code: t.code!, on: t.verifiedOn! });
      }
      const newIds = new Set(newRoll.map((p) => p.id));
      const status = db
        .prepare(
          `SELECT person_id AS p, coalesce(township_key, '') AS t, coalesce(village_key, '') AS v, insured, id_number AS id
          FROM person_status WHERE in_base = 1`,
        )
        .all() as { p: number; t: string; v: string; insured: number; id: string | null }[];
      const expected = new Map<string, Expected>();
      const tally = (k: string) => {
        let e = expected.get(k);
        if (!e)
          expected.set(
            k,
            (e = {
              base: 0,
              removed: 0,
              due: 0,
              insured: 0,
              insuredElsewhere: 0,
              dispatched: 0,
              verified: 0,
              mobilised: 0,
              remaining: 0,
              rateHousehold: 0,
              rateLocal: 0,
            }),
          );
        return e;
      };
      for (const s of status) {
        const a = answers.get(s.p)?.code;
        for (const k of [`V:${s.t}|${s.v}`, `T:${s.t}`, 'C']) {
          const e = tally(k);
          e.base++;
          if (a && REMOVED.has(a)) e.removed++;
          else if (s.insured || (a && LOCAL.has(a))) e.insured++;
          else if (a && ELSEWHERE.has(a)) e.insuredElsewhere++;
          if (dispatched.has(s.p)) {
            e.dispatched++;
            const mobilised = s.insured === 1 && s.id !== null && newIds.has(s.id);
            if (a) e.verified++;
            if (mobilised) e.mobilised++;
            if (!a && !mobilised) e.remaining++;
          }
        }
      }
      for (const e of expected.values()) {
        e.due = e.base - e.removed;
        e.rateHousehold = e.due ? (e.insured + e.insuredElsewhere) / e.due : 0;
        e.rateLocal = e.due - e.insuredElsewhere ? e.insured / (e.due - e.insuredElsewhere) : 0;
      }
      const res = await cli('rates', '--workspace', ws.path, '--json');
      expect(res.code).toBe(0);
      const rates = JSON.parse(res.out) as {
        county: Expected;
        townships: (Expected & { township: string })[];
        villages: (Expected & { township: string; village: string })[];
      };
      const pick = (x: Expected): Expected => ({
        base: x.base,
        removed: x.removed,
        due: x.due,
        insured: x.insured,
        insuredElsewhere: x.insuredElsewhere,
        dispatched: x.dispatched,
        verified: x.verified,
        mobilised: x.mobilised,
        remaining: x.remaining,
        rateHousehold: x.rateHousehold,
        rateLocal: x.rateLocal,
      });
      expect(pick(rates.county)).toEqual(expected.get('C'));
      expect(Object.fromEntries(rates.townships.map((t) => [t.township, pick(t)]))).toEqual(
        Object.fromEntries([...expected].filter(([k]) => k.startsWith('T:')).map(([k, e]) => [k.slice(2), e])),
      );
      expect(Object.fromEntries(rates.villages.map((v) => [`${v.township}|${v.village}`, pick(v)]))).toEqual(
        Object.fromEntries([...expected].filter(([k]) => k.startsWith('V:')).map(([k, e]) => [k.slice(2), e])),
      );
      // rates answered from the snapshot the last match took (a million persons need not be counted again), and
      // that snapshot is what counting now gives.
      const settings = readSettings(db);
      const kept = currentTallies(db, settings);
      expect(kept).not.toBeNull();
      expect(Object.fromEntries(kept!)).toEqual(Object.fromEntries(villageTallies(db, settings)));
      // Something happened on every count the truth has: a test that could not tell them apart would prove nothing.
      const c = rates.county;
      for (const k of ['removed', 'insuredElsewhere', 'verified', 'mobilised', 'remaining'] as const)
        expect(c[k], k).toBeGreaterThan(0);
      expect(c.rateHousehold).not.toBe(c.rateLocal);
      expect(readdirSync(join(dir, '下发')).filter((f) => f.startsWith('导出清单'))).toHaveLength(1);
      ws.close();
    }, 300_000);
  });
}
