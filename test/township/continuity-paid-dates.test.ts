import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from '@e965/xlsx';
import { atRiskList, continuitySummary, personContinuity } from '../../electron/core/continuity/continuity-report';
import { readPersonYears } from '../../electron/core/continuity/person-years';
import { Workspace } from '../../electron/core/db/workspace';
import { exportWorkbooks } from '../../electron/core/export/export-all';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch } from '../../electron/core/match/run-match';
import { dispatchLedgers } from '../../electron/core/township/dispatch';
import { importReturns } from '../../electron/core/township/returns-import';
import { formatPersonId } from '../../shared/domain/types';
import { checkDigit } from '../../shared/id/id-number';
import { describeInvalid, REQUESTS } from '../../shared/ipc/contract';
import { simulateReturn } from '../fixtures/returns-generator';
import { tempDir } from '../helpers/files';
import { cli } from '../helpers/run-cli';
import { FIXED_SEED } from '../helpers/seed';

// A village of eight, enrolled in 2025 (a roll with no payment column) and, but for 杨帆, in 2026 (a roll whose
// 缴费日期 column holds the forms clerks' spreadsheets do: ISO, slashes, Chinese, 8 digits, a date cell, a month
// alone, a word). The numbers each person's 历年参保 and the 断保风险名单 give are the rules' for those days.
const PEOPLE = [
  ['张伟', '19800101', '2025-10-15', '2025-10-15'],
  ['李娜', '19810202', '2025/11/3', '2025-11-03'],
  ['王芳华', '19820303', '2026年4月10日', '2026-04-10'],
  ['刘洋', '19830404', 20251201, '2025-12-01'],
  ['陈静', '19840505', new Date(2025, 11, 9), '2025-12-09'],
  ['赵磊', '19850606', '2026-03', null],
  ['黄敏', '19860707', '已缴费', null],
  ['杨帆', '19870808', undefined, null],
] as const;
const idOf = (birth: string, i: number) => {
  const first17 = `350102${birth}00${i + 1}`;
  return first17 + checkDigit(first17);
};
const ACTOR = '王芳';
const TODAY = '2026-11-27';

let dir: string;
let ws: Workspace;
let personOf: Map<string, number>;

beforeAll(async () => {
  dir = tempDir('canbao-paid-');
  const csv = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, '\ufeff' + lines.join('\r\n') + '\r\n');
    return path;
  };
  const pop = csv('户籍底册.csv', [
    '姓名,公民身份号码,乡镇（街道）,村（社区）,户主姓名,联系电话',
    ...PEOPLE.map(([n, b], i) => `${n},${idOf(b, i)},城关镇,东村,${n},1380000000${i}`),
  ]);
  const r2025 = csv('2025年城乡居民医保.csv', [
    '姓名,公民身份号码,乡镇（街道）,村（社区）,参保年度',
    ...PEOPLE.map(([n, b], i) => `${n},${idOf(b, i)},城关镇,东村,2025`),
  ]);
  const r2026 = join(dir, '2026年城乡居民医保.xlsx');
  const wb = XLSX.utils.book_new();
  const aoa: unknown[][] = [['姓名', '公民身份号码', '乡镇（街道）', '村（社区）', '参保年度', '缴费日期']];
  PEOPLE.forEach(([n, b, paid], i) => {
    if (paid !== undefined) aoa.push([n, idOf(b, i), '城关镇', '东村', 2026, paid]);
  });
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), '2026');
  writeFileSync(r2026, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  ws = Workspace.open(join(dir, 'w.canbao'), { create: true });
  await importFile(ws, pop, { kind: 'population', year: 2026, actor: ACTOR });
  await importFile(ws, r2025, { kind: 'resident_rural', year: 2025, actor: ACTOR });
  await importFile(ws, r2026, { kind: 'resident_rural', year: 2026, actor: ACTOR });
  runMatch(ws, { actor: ACTOR });
  personOf = new Map(
    (ws.db.prepare('SELECT name, person_id AS p FROM person_status').all() as { name: string; p: number }[]).map(
      (r) => [r.name, r.p],
    ),
  );
});

describe('缴费日期 on enrolment rolls: read, kept per record, shown per year, and counted by the waiting period', () => {
  it('reads the payment day in every date form, and says which cells hold no day', () => {
    const rows = ws.db
      .prepare(
        `SELECT r.name, r.paid_date AS paid, l.year FROM record r JOIN roll l ON l.id = r.roll_id
        WHERE l.kind = 'resident_rural' ORDER BY l.year, r.source_row`,
      )
      .all() as { name: string; paid: string | null; year: number }[];
    // The 2025 roll has no payment column: no day for anyone.
    expect(rows.filter((r) => r.year === 2025).map((r) => r.paid)).toEqual(PEOPLE.map(() => null));
    const in2026 = Object.fromEntries(rows.filter((r) => r.year === 2026).map((r) => [r.name, r.paid]));
    expect(in2026).toEqual(
      Object.fromEntries(PEOPLE.filter((p) => p[2] !== undefined).map(([n, , , want]) => [n, want])),
    );
    const issues = ws.db
      .prepare(`SELECT value, column_name AS col, message FROM quality_issue WHERE code = 'paidDateUnreadable'`)
      .all() as { value: string; col: string; message: string }[];
    expect(issues).toEqual([
      { value: '2026-03', col: '缴费日期', message: '缴费日期只有年月，没有日：按缴费日期不详处理' },
      { value: '已缴费', col: '缴费日期', message: expect.stringContaining('缴费日期无法识别') },
    ]);
  });

  it("shows each year's payment day in 历年参保, and a payment after the window waits 3 months (R1.1)", async () => {
    const late = personContinuity(ws.db, personOf.get('王芳华')!, { year: 2026, today: TODAY });
    expect(late.years.map((y) => [y.year, y.enrolment, y.paidOn])).toEqual([
      [2025, '居民医保', null],
      [2026, '居民医保', '2026-04-10'],
    ]);
    expect(late.waitingMonths).toBe(3);
    expect(late.explanation).toContain('2026-04-10缴费，已过集中参保期');
    expect(late.explanation).toContain('2026-07-10起享受待遇');

    const inWindow = personContinuity(ws.db, personOf.get('张伟')!, { year: 2026, today: TODAY });
    expect(inWindow.years.at(-1)!.paidOn).toBe('2025-10-15');
    expect(inWindow.waitingMonths).toBe(0);
    // No day on the roll: counted as paid in the window, and said so.
    const unknown = personContinuity(ws.db, personOf.get('赵磊')!, { year: 2026, today: TODAY });
    expect(unknown.years.at(-1)!.paidOn).toBeNull();
    expect([unknown.waitingMonths, unknown.explanation]).toEqual([0, expect.stringContaining('缴费日期不详')]);

    // The county's numbers tell the late payer apart from the others with the same years.
    const summary = continuitySummary(ws.db, { year: 2026, today: TODAY });
    expect([summary.insured, summary.atRisk, summary.waitingMonths]).toEqual([7, 1, { 0: 6, 3: 1 }]);
  });
});

/** The workbook's persons by name: [断保风险, 等待期月数]. */
function listed(file: string): Map<string, [string, string]> {
  const lines = readFileSync(file, 'utf8')
    .replace(/^\ufeff/, '')
    .trim()
    .split(/\r?\n/);
  const header = lines[0]!.split(',');
  const at = (h: string) => header.indexOf(h);
  return new Map(
    lines.slice(1).map((l) => {
      const c = l.split(',');
      return [c[at('姓名')]!, [c[at('断保风险')]!, c[at('等待期月数')]!]];
    }),
  );
}

describe('the 断保风险名单 workbook is the year the clerk chose', () => {
  it('exports 2026 through the engine and 2027 through `canbao export --year`, each with its own persons at risk', async () => {
    const y2026 = await exportWorkbooks(ws.db, {
      dir: join(dir, '导出2026'),
      what: ['continuity'],
      mask: '6-4',
      format: 'csv',
      actor: ACTOR,
      continuityYear: 2026,
    });
    expect(y2026.files.map((f) => basename(f.file))).toEqual(['城关镇_连续参保与断保风险名单_2026.csv']);
    const rows2026 = listed(y2026.files[0]!.file);
    const atRisk = (rows: Map<string, [string, string]>) =>
      [...rows].filter(([, [risk]]) => risk === '是').map(([n]) => n);
    expect(atRisk(rows2026)).toEqual(atRiskList(ws.db, { year: 2026, today: TODAY }).rows.map((r) => r.name));
    expect(atRisk(rows2026)).toEqual(['杨帆']);
    expect(rows2026.get('王芳华')![1]).toBe('3');

    const out = join(dir, '导出2027');
    const run = await cli(
      'export',
      '--workspace',
      ws.path,
      '--out',
      out,
      '--what',
      'continuity',
      '--year',
      '2027',
      '--format',
      'csv',
      '--json',
    );
    expect(run.code, run.err).toBe(0);
    const files = (JSON.parse(run.out) as { files: { file: string }[] }).files;
    expect(files.map((f) => basename(f.file))).toEqual(['城关镇_连续参保与断保风险名单_2027.csv']);
    const rows2027 = listed(files[0]!.file);
    // Everyone enrolled in 2026 has not paid 2027 yet; 杨帆, not enrolled in 2026, is not "at risk" but lapsed.
    expect(atRisk(rows2027).sort()).toEqual(
      atRiskList(ws.db, { year: 2027, today: TODAY })
        .rows.map((r) => r.name)
        .sort(),
    );
    expect(atRisk(rows2027)).toHaveLength(7);
    expect(rows2027.get('杨帆')![0]).toBe('');
    // A year that is not one is refused by the request itself, in the clerk's words.
    const refused = REQUESTS['export.run'].safeParse({ dir: out, what: ['continuity'], year: 27 });
    expect(refused.success ? '' : describeInvalid(refused.error)).toContain('年度应在 2000 到 2100 之间');
  });
});

describe("一人一档 reads one person's township answers only, with the same result as reading the county's", () => {
  it('gives every person the same years either way, an answer (insured elsewhere) included', async () => {
    const sent = await dispatchLedgers(ws.db, { dir: join(dir, '下发'), mask: '6-4', format: 'xlsx', actor: ACTOR });
    const ledger = sent.files.find((f) => f.kind === 'ledger')!.file;
    const returned = simulateReturn(ledger, join(dir, '回执.xlsx'), {
      seed: FIXED_SEED,
      format: 'xlsx',
      today: '2026-11-20',
      ensure: ['03'],
    });
    await importReturns(ws.db, [returned.file], { actor: ACTOR });
    const county = readPersonYears(ws.db);
    const persons = ws.db.prepare('SELECT person_id AS p, id_number AS id FROM person_status').all() as {
      p: number;
      id: string | null;
    }[];
    for (const { p, id } of persons)
      expect(readPersonYears(ws.db, [p]).historyOf(p, id), formatPersonId(p)).toEqual(county.historyOf(p, id));
    const away = personContinuity(ws.db, personOf.get('杨帆')!, { year: 2026, today: TODAY });
    expect(away.years.at(-1)).toMatchObject({ year: 2026, enrolment: expect.stringContaining('县外参保') });
  });
});
