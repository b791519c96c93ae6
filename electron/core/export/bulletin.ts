import { join } from 'node:path';
import type Database from 'better-sqlite3';
import {
  figures,
  PROGRESS_STATE_LABEL,
  RATE_BASIS_LABEL,
  rateOn,
  type ParticipationFigures,
  type RateBasis,
} from '../../../shared/domain/participation';
import { addTally, EMPTY_TALLY } from '../../../shared/domain/participation';
import { csvLine } from '../../../shared/export/safe-cell';
import { formatDateTime, todayLocal } from '../../../shared/text/clerk-format';
import { sha256File } from '../file-hash';
import { readSettings } from '../settings';
import { excelJS } from '../spreadsheet/exceljs';
import { participation, type PlaceFigures } from '../township/participation';
import { previousSnapshot, type Snapshot } from '../township/snapshots';
import { guardedStream } from './export-streams';
import type { ExportSettings } from './township-lists';
import type { WrittenFile } from './village-workbook';
import { addLayoutSheet, plainValue, type ColumnSpec } from './xlsx-sheet-writer';

/** DOMAIN-RULES R2.6: the bulletin's columns, village rows and township rows alike. */
const COLUMNS: ColumnSpec[] = [
  { header: '序号', width: 5 },
  { header: '乡镇', width: 10 },
  { header: '村（社区）', width: 12 },
  { header: '户籍人口', width: 8 },
  { header: '核减人数', width: 7 },
  { header: '应参保人数', width: 8 },
  { header: '已参保：职工', width: 8 },
  { header: '已参保：居民', width: 8 },
  { header: '已参保：县外', width: 8 },
  { header: '参保率（户籍口径）', width: 9 },
  { header: '参保率（本地口径）', width: 9 },
  { header: '较上期（人）', width: 8 },
  { header: '较上期（百分点）', width: 9 },
  { header: '排名', width: 5 },
  { header: '状态', width: 6 },
  { header: '下发未参保', width: 8 },
  { header: '已核实', width: 7 },
  { header: '核实率', width: 7 },
  { header: '动员后参保', width: 8 },
  { header: '剩余未参保', width: 8 },
];
const PERCENT_COLUMNS = [10, 11, 18];

/** Insured on the ranking basis: 户籍口径 counts those insured elsewhere, 本地口径 does not. */
const insuredOn = (f: ParticipationFigures, basis: RateBasis) =>
  basis === 'household' ? f.insured + f.insuredElsewhere : f.insured;

interface Ranked {
  f: PlaceFigures;
  rank: number;
  before: ParticipationFigures | null;
}

/** Ranks by the rate on the ranking basis, highest first; equal rates share a rank (1, 2, 2, 4). */
function ranked(rows: PlaceFigures[], before: (f: PlaceFigures) => ParticipationFigures | null): Ranked[] {
  const sorted = [...rows].sort((a, b) => b.rate - a.rate);
  return sorted.map((f, i) => ({
    f,
    rank: sorted.findIndex((x) => x.rate === f.rate) + 1 || i + 1,
    before: before(f),
  }));
}

function line(r: Ranked, i: number, basis: RateBasis): unknown[] {
  const { f, before } = r;
  const pct = (x: number) => Math.round(x * 10000) / 10000;
  return [
    i,
    f.township,
    f.village ?? '',
    f.base,
    f.removed,
    f.due,
    f.insuredEmployee,
    f.insuredResident,
    f.insuredElsewhere,
    pct(f.rateHousehold),
    pct(f.rateLocal),
    before ? insuredOn(f, basis) - insuredOn(before, basis) : '',
    before ? Math.round((rateOn(f, basis) - rateOn(before, basis)) * 1000) / 10 : '',
    r.rank,
    PROGRESS_STATE_LABEL[f.state],
    f.dispatched,
    f.verified,
    pct(f.verifiedRate),
    f.mobilised,
    f.remaining,
  ];
}

/**
 * 进度通报 (R2.6): a county sheet with one row per township and a sheet per township with one row per village,
 * ranked, with the change since the last snapshot of an earlier day (or of `since`), 达标/滞后 by the settings'
 * thresholds. Values only, no formulas; A4 landscape.
 */
export async function writeBulletin(
  db: Database.Database,
  ctx: ExportSettings & { townships?: string[]; since?: string },
): Promise<WrittenFile> {
  const s = readSettings(db);
  const now = participation(db, s, ctx.townships);
  const startOfToday = new Date(`${todayLocal()}T00:00:00`).toISOString();
  const prev: Snapshot | null = previousSnapshot(
    db,
    ctx.since ? new Date(`${ctx.since}T23:59:59.999`).toISOString() : startOfToday,
  );
  const prevVillage = new Map<string, ParticipationFigures>();
  const prevTownship = new Map<string, ParticipationFigures>();
  if (prev) {
    const acc = new Map<string, typeof EMPTY_TALLY>();
    for (const v of prev.villages) {
      prevVillage.set(`${v.township}\u001f${v.village}`, figures(v.tally));
      acc.set(v.township, addTally(acc.get(v.township) ?? EMPTY_TALLY, v.tally));
    }
    for (const [t, tally] of acc) prevTownship.set(t, figures(tally));
  }
  const basis = s.rateBasis;
  const title = `${ctx.county}${ctx.year}年度基本医疗保险参保进度通报`;
  const subtitle =
    `截至 ${formatDateTime(new Date())}　${prev ? `较上期（${formatDateTime(prev.takenAt)}）` : '无上期数据'}　` +
    `排名与状态按${RATE_BASIS_LABEL[basis]}：达标 ≥ ${(s.targetRate * 100).toFixed(0)}%，滞后 < ${(s.lagRate * 100).toFixed(0)}%　` +
    '户籍口径 =（已参保 + 县外参保）÷ 应参保；本地口径 = 已参保 ÷（应参保 − 县外参保）';
  const countyRows = ranked(now.townships, (f) => prevTownship.get(f.township) ?? null);
  const townshipSheets = now.townships.map((t) => ({
    t,
    rows: ranked(
      now.villages.filter((v) => v.township === t.township),
      (f) => prevVillage.get(`${f.township}\u001f${f.village}`) ?? null,
    ),
  }));
  const countyTotal: Ranked = { f: now.county, rank: 0, before: null };
  const totalLine = (r: Ranked, label: string) => {
    const l = line(r, 0, basis);
    l[0] = '';
    l[1] = label;
    l[11] = '';
    l[12] = '';
    l[13] = '';
    return l;
  };
  const sheets: { name: string; rows: number }[] = [];
  const footer = ['审核人：＿＿＿＿＿＿　　　填表人：＿＿＿＿＿＿　　　联系电话：＿＿＿＿＿＿＿＿'];
  let file: string;
  if (ctx.format === 'csv') {
    file = join(ctx.dir, `参保进度通报_${todayLocal()}.csv`);
    const { stream: out, failed } = guardedStream(file);
    out.write('\ufeff' + csvLine(COLUMNS.map((c) => c.header)));
    countyRows.forEach((r, i) => out.write(csvLine(line(r, i + 1, basis))));
    for (const { rows } of townshipSheets) rows.forEach((r, i) => out.write(csvLine(line(r, i + 1, basis))));
    out.write(csvLine(totalLine(countyTotal, '全县合计')));
    await Promise.race([new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res()))), failed]);
    sheets.push({ name: '', rows: countyRows.length + now.villages.length + 1 });
  } else {
    file = join(ctx.dir, `参保进度通报_${todayLocal()}.xlsx`);
    const guarded = guardedStream(file);
    const wb = new (excelJS().stream.xlsx.WorkbookWriter)({
      stream: guarded.stream,
      useStyles: true,
      useSharedStrings: false,
    });
    const add = (name: string, sheetTitle: string, rows: unknown[][]) => {
      const { sheet } = addLayoutSheet(wb, name, {
        title: sheetTitle,
        subtitle,
        columns: COLUMNS,
        footerLeft: sheetTitle,
      });
      // Number formats cell by cell: the streaming writer has written the column styles with the header already.
      for (const values of rows) {
        const row = sheet.addRow(values.map((v) => plainValue(v)));
        for (const c of PERCENT_COLUMNS) row.getCell(c).numFmt = '0.00%';
        row.getCell(12).numFmt = '+0;-0;0';
        row.getCell(13).numFmt = '+0.0;-0.0;0.0';
        row.commit();
      }
      sheet.addRow([]).commit();
      for (const l of footer) sheet.addRow([l]).commit();
      sheet.commit();
      sheets.push({ name, rows: rows.length });
    };
    add('全县', title, [...countyRows.map((r, i) => line(r, i + 1, basis)), totalLine(countyTotal, '全县合计')]);
    for (const { t, rows } of townshipSheets)
      add(t.township || '未分乡镇', `${ctx.county}${t.township}${ctx.year}年度参保进度通报（按村）`, [
        ...rows.map((r, i) => line(r, i + 1, basis)),
        totalLine({ f: t, rank: 0, before: null }, `${t.township}小计`),
      ]);
    await Promise.race([wb.commit(), guarded.failed]);
  }
  return {
    file,
    kind: 'bulletin',
    township: null,
    rows: sheets.reduce((a, x) => a + x.rows, 0),
    sheets,
    sha256: await sha256File(file),
  };
}
