import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { excelJS } from '../spreadsheet/exceljs';
import { csvLine } from '../../../shared/export/safe-cell';
import { guardedStream } from './export-streams';
import { addLayoutSheet, plainValue, type ColumnSpec } from './xlsx-sheet-writer';
import { participation, type PlaceFigures } from '../township/participation';
import { readSettings } from '../settings';
import { sha256File } from '../file-hash';
import type { WrittenFile } from './village-workbook';

const COLUMNS: ColumnSpec[] = [
  { header: '乡镇（街道）', width: 14 },
  { header: '村（社区）', width: 16 },
  { header: '户籍人口', width: 10 },
  { header: '核减人数', width: 9 },
  { header: '应参保人数', width: 10 },
  { header: '已参保', width: 10 },
  { header: '县外参保', width: 9 },
  { header: '未参保', width: 9 },
  { header: '参保率（户籍口径）', width: 11 },
  { header: '参保率（本地口径）', width: 11 },
  { header: '是否达到目标', width: 12 },
];
const PERCENT_COLUMNS = [9, 10];

export async function writeRates(
  db: Database.Database,
  dir: string,
  opts: {
    year: number;
    county: string;
    exportDate: string;
    target: number;
    format: 'xlsx' | 'csv';
    townships?: string[];
  },
): Promise<WrittenFile> {
  const r = participation(db, readSettings(db), opts.townships);
  const pct = (x: number) => Math.round(x * 10000) / 10000;
  const line = (x: PlaceFigures, village: string) => [
    x.township,
    village,
    x.base,
    x.removed,
    x.due,
    x.insured,
    x.insuredElsewhere,
    x.uninsured,
    pct(x.rateHousehold),
    pct(x.rateLocal),
    x.rate >= opts.target ? '是' : '否',
  ];
  const title = `${opts.county}${opts.year}年度基本医疗保险参保率统计`;
  const sheets: { name: string; rows: number }[] = [];
  let file: string;
  if (opts.format === 'csv') {
    file = join(dir, `参保率统计_${opts.year}.csv`);
    const { stream: out, failed } = guardedStream(file);
    out.write('\ufeff' + csvLine(COLUMNS.map((c) => c.header)));
    for (const t of r.townships) {
      for (const v of r.villages.filter((x) => x.township === t.township)) out.write(csvLine(line(v, v.village ?? '')));
      out.write(csvLine(line(t, '小计')));
    }
    out.write(csvLine(line(r.county, '')));
    await Promise.race([new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res()))), failed]);
    sheets.push({ name: '', rows: r.villages.length + r.townships.length + 1 });
  } else {
    file = join(dir, `参保率统计_${opts.year}.xlsx`);
    const guarded = guardedStream(file);
    const wb = new (excelJS().stream.xlsx.WorkbookWriter)({
      stream: guarded.stream,
      useStyles: true,
      useSharedStrings: false,
    });
    const subtitle =
      `导出日期：${opts.exportDate}　户籍口径 =（已参保 + 县外参保）÷ 应参保；本地口径 = 已参保 ÷（应参保 − 县外参保）；` +
      `应参保 = 户籍人口 − 核减；目标 ${(opts.target * 100).toFixed(0)}%`;
    const add = (name: string, t: string, rows: unknown[][]) => {
      const { sheet } = addLayoutSheet(wb, name, { title: t, subtitle, columns: COLUMNS, footerLeft: t });
      for (const values of rows) {
        const row = sheet.addRow(values.map((v) => plainValue(v)));
        for (const c of PERCENT_COLUMNS) row.getCell(c).numFmt = '0.00%';
        row.commit();
      }
      sheet.commit();
      sheets.push({ name, rows: rows.length });
    };
    add('全县', title, [...r.townships.map((t) => line(t, '')), line(r.county, '')]);
    for (const t of r.townships)
      add(t.township || '未分乡镇', `${opts.county}${t.township}${opts.year}年度参保率（按村）`, [
        ...r.villages.filter((v) => v.township === t.township).map((v) => line(v, v.village ?? '')),
        line(t, '小计'),
      ]);
    // exceljs would wait forever on a file stream that failed: its error ends the wait.
    await Promise.race([wb.commit(), guarded.failed]);
  }
  return {
    file,
    kind: 'rates',
    township: null,
    rows: sheets.reduce((a, s) => a + s.rows, 0),
    sheets,
    sha256: await sha256File(file),
  };
}
