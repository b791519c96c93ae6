import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { runMatch } from '../../electron/core/match/run-match';
import { readPersonYears } from '../../electron/core/continuity/person-years';
import { exportWorkbooks } from '../../electron/core/export/export-all';
import { MOBILISATION_ANSWERS } from '../../electron/core/export/continuity-list';
import { atRiskList, continuitySettingsOf, continuitySummary } from '../../electron/core/continuity/continuity-report';
import { readSettings } from '../../electron/core/settings';
import {
  atStake,
  incentiveSteps,
  summarizeContinuity,
  waitingPeriod,
  type PersonHistory,
} from '../../shared/domain/continuity';
import type { AtRiskResponse, ContinuitySummaryView } from '../../shared/ipc/continuity-views';
import { formatPersonId } from '../../shared/domain/types';
import { todayLocal } from '../../shared/text/clerk-format';
import { tempDir } from '../helpers/files';
import { cli } from '../helpers/run-cli';
import { openInLibreOffice, resaveInLibreOffice } from '../helpers/libreoffice';
import { TEST_SEEDS } from '../helpers/seed';
import { yearsWorkspace } from '../helpers/years-workspace';

const YEARS = [2022, 2023, 2024, 2025, 2026];
const years = (h: PersonHistory) => h.years.map((r) => `${r.year}:${r.scheme}`).join(' ');

for (const seed of TEST_SEEDS) {
  describe(`连续参保：五年名册、断保与激励（seed ${seed}）`, () => {
    it('gives each person the years of their rolls, and counts, waits and steps equal to the truth under both readings', async () => {
      const dir = tempDir();
      const { ws, rolls } = await yearsWorkspace({
        people: 900,
        seed,
        years: YEARS,
        baseYear: 2026,
        dir,
        path: join(dir, 'w.canbao'),
      });
      runMatch(ws, { actor: '王芳' });
      const db = ws.db;

      // Every story the rules turn on is in the county.
      const stories = new Set(rolls.truth.map((t) => t.story));
      for (const s of ['continuous', 'lapsed', 'returned', 'employeeToResident', 'movedIn'] as const)
        expect(stories.has(s), s).toBe(true);

      // Each person's years as the rolls hold them: found by ID number, one person per number.
      const personOf = new Map<string, number[]>();
      for (const r of db.prepare('SELECT person_id AS p, id_number AS id FROM person_status').all() as {
        p: number;
        id: string | null;
      }[])
        if (r.id) (personOf.get(r.id) ?? personOf.set(r.id, []).get(r.id)!).push(r.p);
      const engine = readPersonYears(db);
      expect(engine.years).toEqual(YEARS);
      const linked = rolls.truth.filter((t) => personOf.get(t.id18)?.length === 1);
      // The base's damaged IDs (Excel, typing) leave a few base records apart from their rolls; nearly all link.
      expect(linked.length).toBeGreaterThan(rolls.truth.length * 0.97);
      const mismatched = linked.filter((t) => {
        const got = engine.historyOf(personOf.get(t.id18)![0]!, t.id18);
        return years(got) !== years(t.history);
      });
      expect(mismatched.map((t) => `${t.story} ${years(t.history)}`)).toEqual([]);

      for (const reading of ['default', 'literal'] as const) {
        if (reading === 'literal') {
          const set = await cli(
            'settings',
            '--workspace',
            ws.path,
            '--set',
            'firstLapseYearFree=false',
            '--set',
            'incentiveCountFromYear=2021',
            '--by',
            '王芳',
          );
          expect(set.code, set.err).toBe(0);
        }
        const s = continuitySettingsOf(readSettings(db));
        expect(s.firstLapseYearFree).toBe(reading === 'default');
        const today = todayLocal();
        for (const year of [2026, 2027]) {
          // The command line once (the same handlers answer it), the engine directly for the other reading.
          const viaCli = reading === 'default';
          const got = viaCli
            ? (JSON.parse(
                (await cli('continuity', '--workspace', ws.path, '--year', String(year), '--json')).out,
              ) as ContinuitySummaryView)
            : continuitySummary(db, { year });
          // The truth's persons, with the persons the workspace holds apart (their own years, as read).
          const histories = [
            ...linked.map((t) => t.history),
            ...(
              db.prepare('SELECT person_id AS p, id_number AS id FROM person_status').all() as {
                p: number;
                id: string | null;
              }[]
            )
              .filter((r) => !linked.some((t) => personOf.get(t.id18)![0] === r.p))
              .map((r) => engine.historyOf(r.p, r.id)),
          ];
          const want = summarizeContinuity(histories, year, s);
          expect({ ...got, yearsKnown: undefined, deadline: undefined, windowStart: undefined }).toEqual({
            ...want,
            yearsKnown: undefined,
            deadline: undefined,
            windowStart: undefined,
          });
          // Someone is at risk, someone back after a lapse waits, and (counting from 2021) someone holds a step.
          expect(got.atRisk).toBeGreaterThan(0);
          if (year === 2026) expect(Object.keys(got.waitingMonths).some((m) => Number(m) > 0)).toBe(true);
          if (reading === 'literal' && year === 2026) expect(got.incentiveSteps[1] ?? 0).toBeGreaterThan(0);

          // The 断保风险名单: each row's waits and steps are the truth's for that person.
          const list = viaCli
            ? (JSON.parse(
                (await cli('continuity', '--workspace', ws.path, '--year', String(year), '--at-risk', '--json')).out,
              ) as AtRiskResponse)
            : ((r) => ({ ...r, total: r.rows.length }))(atRiskList(db, { year }));
          expect(list.total).toBe(got.atRisk);
          const byPerson = new Map(linked.map((t) => [formatPersonId(personOf.get(t.id18)![0]!), t]));
          let checked = 0;
          for (const row of list.rows) {
            const t = byPerson.get(row.personId);
            if (!t) continue;
            const stake = atStake(t.history, year, s, today)!;
            expect(stake, row.personId).not.toBeNull();
            expect([row.waitIfPaidLate, row.waitNextYearIfLapsed, row.stepsLost, row.consecutiveYears]).toEqual([
              stake.waitIfPaidLate,
              stake.waitNextYearIfLapsed,
              stake.stepsLost,
              stake.consecutiveYearsSoFar,
            ]);
            checked++;
          }
          expect(checked).toBeGreaterThan(0);
        }

        // One person's years and explanation, as a cadre reads it out: a person back after a lapse.
        const back = linked.find((t) => t.story === 'returned')!;
        const pid = formatPersonId(personOf.get(back.id18)![0]!);
        const view = JSON.parse(
          (await cli('continuity', '--workspace', ws.path, '--person', pid, '--year', '2026', '--json')).out,
        );
        expect(view.years.map((y: { year: number }) => y.year)).toEqual(YEARS);
        expect(view.years.some((y: { enrolment: string }) => y.enrolment === '未参保')).toBe(true);
        const w = waitingPeriod(back.history, 2026, s);
        expect(view.waitingMonths).toBe(w.totalMonths);
        expect(view.incentiveSteps).toBe(incentiveSteps(back.history, 2026, s).steps);
        expect(view.explanation).toContain(w.explanation.slice(0, 12));
      }

      if (seed !== TEST_SEEDS.at(-1)) {
        ws.close();
        return;
      }
      // The township workbooks: every person once, those at risk first in their village, the headers the issue
      // names, a drop-down LibreOffice keeps, and values only.
      const xlsx = await exportWorkbooks(db, {
        dir: join(dir, '导出'),
        what: ['continuity'],
        mask: '6-4',
        format: 'xlsx',
        actor: '王芳',
      });
      const persons = db.prepare('SELECT count(*) FROM person_status').pluck().get() as number;
      expect(xlsx.files.reduce((a, f) => a + f.rows, 0)).toBe(persons);
      const f = xlsx.files.find((x) => x.rows > 0)!;
      const sheets = openInLibreOffice(f.file, join(dir, 'lo'));
      const village = f.sheets.find((x) => x.name !== '汇总' && x.rows > 0)!;
      const rows = sheets.get(village.name)!;
      const h = rows.findIndex((r) => r.includes('说明'));
      const header = rows[h]!;
      for (const want of ['人员编号', '姓名', '身份证号', '连续参保年数', '断保年数', '等待期月数', '激励档数', '说明'])
        expect(header, want).toContain(want);
      const data = rows.slice(h + 1).filter((r) => /^\d+$/.test(r[0] ?? ''));
      expect(data).toHaveLength(village.rows);
      const risk = data.map((r) => r[header.indexOf('断保风险')] === '是');
      expect(risk.indexOf(false) === -1 || risk.lastIndexOf(true) < risk.indexOf(false)).toBe(true);
      for (const r of data) expect(r[header.indexOf('身份证号')]).toMatch(/^(\d{6}\*{8}[\dX]{4}|)$/);
      const again = resaveInLibreOffice(f.file, join(dir, 'lo-resave'));
      const zip = await JSZip.loadAsync(readFileSync(again));
      let lists = 0;
      for (const name of Object.keys(zip.files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))) {
        const xml = await zip.file(name)!.async('string');
        const m = xml.match(/<dataValidation [^>]*type="list"[\s\S]*?<formula1>([\s\S]*?)<\/formula1>/);
        if (m) {
          lists++;
          for (const a of MOBILISATION_ANSWERS) expect(m[1]).toContain(a);
        }
      }
      expect(lists).toBe(f.sheets.filter((x) => x.name !== '汇总').length);
      const original = await JSZip.loadAsync(readFileSync(f.file));
      for (const name of Object.keys(original.files).filter((n) => n.startsWith('xl/worksheets/')))
        expect(await original.file(name)!.async('string')).not.toMatch(/<f[ >]/);
      const csv = await exportWorkbooks(db, {
        dir: join(dir, '导出csv'),
        what: ['continuity'],
        mask: 'full',
        format: 'csv',
        actor: '王芳',
      });
      const first = readFileSync(csv.files[0]!.file, 'utf8')
        .replace(/^\ufeff/, '')
        .split(/\r?\n/)[0]!;
      expect(first.split(',')).toEqual(
        expect.arrayContaining([
          '人员编号',
          '姓名',
          '身份证号',
          '连续参保年数',
          '断保年数',
          '等待期月数',
          '激励档数',
          '说明',
        ]),
      );
      ws.close();
    }, 300_000);
  });
}
