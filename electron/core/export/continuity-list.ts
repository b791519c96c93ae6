import type Database from 'better-sqlite3';
import {
  atStake,
  incentiveSteps,
  waitingPeriod,
  type ContinuitySettings,
  type PersonHistory,
} from '../../../shared/domain/continuity';
import { maskId } from '../../../shared/export/mask';
import { formatPersonId } from '../../../shared/domain/types';
import { todayLocal } from '../../../shared/text/clerk-format';
import { campaignYear, continuitySettingsOf, horizonOf } from '../continuity/continuity-report';
import { readPersonYears, type PersonYears } from '../continuity/person-years';
import { specialLabel } from '../service/person-view';
import { readSettings } from '../settings';
import type { ListContext } from './township-lists';
import { byVillage, writeVillageWorkbook, type WrittenFile } from './village-workbook';
import type { ColumnSpec } from './xlsx-sheet-writer';

/** What a cadre records after the visit: picked from a drop-down, so the county can count the answers. */
export const MOBILISATION_ANSWERS = ['已缴费', '承诺缴费', '外地参保', '拒绝缴费', '联系不上'] as const;

const COLUMNS: ColumnSpec[] = [
  { header: '序号', width: 6 },
  { header: '人员编号', width: 11 },
  { header: '姓名', width: 9 },
  { header: '身份证号', width: 21, text: true },
  { header: '户主姓名', width: 9 },
  { header: '联系电话', width: 13, text: true },
  { header: '特殊人群', width: 10 },
  { header: '连续参保年数', width: 8 },
  { header: '断保年数', width: 7 },
  { header: '等待期月数', width: 7 },
  { header: '激励档数', width: 7 },
  { header: '断保风险', width: 7 },
  { header: '缴费截止日', width: 11 },
  { header: '说明', width: 60 },
  { header: '动员情况', width: 10 },
];

/** The year paid today (the wait a person not yet enrolled would face if they paid now). */
const paidToday = (h: PersonHistory, year: number, today: string): PersonHistory => ({
  ...h,
  years: [...h.years, { year, scheme: 'resident', paidOn: today }],
});

/** The rules' numbers for one history in the year being collected. */
function ruled(h: PersonHistory, year: number, s: ContinuitySettings, today: string) {
  const w = waitingPeriod(h, year, s);
  const stake = w.insured ? null : atStake(h, year, s, today);
  const wait = w.insured ? w : waitingPeriod(paidToday(h, year, today), year, s);
  const inc = incentiveSteps(w.insured ? h : paidToday(h, year, today), year, s);
  return { w, stake, wait, inc };
}

interface Row {
  village: string;
  atRisk: boolean;
  name: string;
  cells: unknown[];
}

const memo = new WeakMap<Database.Database, { key: string; years: PersonYears }>();

/** The county's years, read once per state for all the townships of one export. */
function countyYears(db: Database.Database): PersonYears {
  const key = (db
    .prepare(
      `SELECT (SELECT max(id) FROM match_run) || '|' || (SELECT max(id) FROM verification) || '|' ||
        (SELECT count(*) || ':' || max(id) FROM roll) || '|' || (SELECT max(id) FROM subsidy_list)`,
    )
    .pluck()
    .get() ?? '') as string;
  const hit = memo.get(db);
  if (hit?.key === key) return hit.years;
  const years = readPersonYears(db);
  memo.set(db, { key, years });
  return years;
}

function rowsOf(
  db: Database.Database,
  township: string,
  year: number,
  s: ContinuitySettings,
  mask: ListContext['mask'],
): Row[] {
  const years = countyYears(db);
  const today = todayLocal();
  const persons = db
    .prepare(
      `SELECT s.person_id AS personId, s.name, s.id_number AS idNumber, coalesce(s.village_key, '') AS village,
        s.special_groups AS sg, b.household_head AS head, b.phone
      FROM person_status s LEFT JOIN record b ON b.id = s.base_record_id WHERE coalesce(s.township_key, '') = ?`,
    )
    .iterate(township) as IterableIterator<{
    personId: number;
    name: string;
    idNumber: string | null;
    village: string;
    sg: string | null;
    head: string | null;
    phone: string | null;
  }>;
  const rows: Row[] = [];
  // Persons with the same history get the same numbers and sentence: each is worked out once.
  const horizon = horizonOf({ settings: s, years, year });
  const seen = new Map<string, ReturnType<typeof ruled>>();
  for (const p of persons) {
    const key = years.keyOf(p.personId, p.idNumber, horizon, year);
    let r = seen.get(key);
    if (!r) {
      r = ruled(years.historyOf(p.personId, p.idNumber), year, s, today);
      if (!key.includes('|p')) seen.set(key, r);
    }
    const { w, stake, wait, inc } = r;
    rows.push({
      village: p.village,
      atRisk: stake !== null,
      name: p.name,
      cells: [
        formatPersonId(p.personId),
        p.name,
        maskId(p.idNumber, mask),
        p.head ?? '',
        p.phone ?? '',
        specialLabel(p.sg),
        inc.consecutiveYears,
        w.lapseYears,
        w.insured ? w.totalMonths : (stake?.waitIfPaidLate ?? wait.totalMonths),
        inc.steps + inc.keptSteps,
        stake ? '是' : '',
        stake?.deadline ?? '',
        stake?.explanation ?? (w.insured ? `${w.explanation}${inc.explanation}` : wait.explanation),
        '',
      ],
    });
  }
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return rows.sort(
    (a, b) => order(a.village, b.village) || Number(b.atRisk) - Number(a.atRisk) || order(a.name, b.name),
  );
}

/**
 * 连续参保与断保风险 of one township (issue 13): every person with their consecutive years, lapse, waiting months
 * and incentive steps for the year being collected, those at risk (enrolled last year, not yet this year) first in
 * each village, with what a cadre can read out and a drop-down for what the visit found.
 */
export async function writeContinuityList(
  ctx: ListContext & { continuityYear?: number },
  township: string,
): Promise<WrittenFile> {
  const s = continuitySettingsOf(readSettings(ctx.db));
  // The year the clerk chose on the 断保风险名单 page, else the one being collected for.
  const year = ctx.continuityYear ?? campaignYear(todayLocal(), s);
  const rows = rowsOf(ctx.db, township, year, s, ctx.mask);
  const summary = new Map<string, { persons: number; atRisk: number }>();
  for (const r of rows) {
    const x = summary.get(r.village) ?? { persons: 0, atRisk: 0 };
    x.persons++;
    if (r.atRisk) x.atRisk++;
    summary.set(r.village, x);
  }
  return writeVillageWorkbook({
    dir: ctx.dir,
    fileBase: `${township || '未分乡镇'}_连续参保与断保风险名单_${year}`,
    kind: 'continuity',
    township,
    format: ctx.format,
    signal: ctx.signal,
    title: (v) => `${ctx.county}${township}${v}${year}年度连续参保与断保风险名单`,
    subtitle:
      `导出日期：${ctx.exportDate}　“断保风险”为${year - 1}年已参保、${year}年尚未缴费的人员，排在各村前面；` +
      '等待期与激励按工作区设置的地区口径计算，“说明”可直接向群众宣读',
    columns: COLUMNS,
    dropDown: { column: COLUMNS.length - 1, values: MOBILISATION_ANSWERS },
    summaryColumns: [
      { header: '村（社区）', width: 16 },
      { header: '人数', width: 10 },
      { header: '断保风险', width: 10 },
    ],
    summaryRows: [...summary].map(([v, x]) => [v, x.persons, x.atRisk]),
    villages: byVillage(
      rows,
      (r) => r.village,
      (r, i) => [i, ...r.cells],
    ),
  });
}
