import { join } from 'node:path';
import type Database from 'better-sqlite3';
import ExcelJS from '../spreadsheet/exceljs';
import { csvLine } from '../../../shared/export/safe-cell';
import { guardedStream } from './export-streams';
import { addLayoutSheet, addPlainRow, type ColumnSpec } from './xlsx-sheet-writer';
import { sha256File } from '../file-hash';
import type { WrittenFile } from './village-workbook';

export interface RateRow {
  township: string;
  village: string | null;
  base: number;
  insured: number;
  uninsured: number;
  rate: number;
}

/** Participation: insured base persons / base persons, per village, per township and for the county. */
export function participationRates(
  db: Database.Database,
  townships?: string[],
): { villages: RateRow[]; townships: RateRow[]; county: RateRow } {
  const villages = (
    db
      .prepare(
        `SELECT coalesce(township_key, '') AS township, village_key AS village, count(*) AS base, sum(insured) AS insured
      FROM person_status WHERE in_base = 1 GROUP BY township_key, village_key ORDER BY township_key, village_key`,
      )
      .all() as Omit<RateRow, 'uninsured' | 'rate'>[]
  )
    .filter((r) => !townships || townships.includes(r.township))
    .map((r) => ({ ...r, uninsured: r.base - r.insured, rate: r.base ? r.insured / r.base : 0 }));
  const byTownship = new Map<string, RateRow>();
  for (const v of villages) {
    const t = byTownship.get(v.township) ?? {
      township: v.township,
      village: null,
      base: 0,
      insured: 0,
      uninsured: 0,
      rate: 0,
    };
    t.base += v.base;
    t.insured += v.insured;
    t.uninsured += v.uninsured;
    byTownship.set(v.township, t);
  }
  const ts = [...byTownship.values()].map((t) => ({ ...t, rate: t.base ? t.insured / t.base : 0 }));
  const county = ts.reduce(
    (a, t) => ({ ...a, base: a.base + t.base, insured: a.insured + t.insured, uninsured: a.uninsured + t.uninsured }),
    { township: '合计', village: null, base: 0, insured: 0, uninsured: 0, rate: 0 } as RateRow,
  );
  county.rate = county.base ? county.insured / county.base : 0;
  return { villages, townships: ts, county };
}

const COLUMNS: ColumnSpec[] = [
  { header: '乡镇（街道）', width: 16 },
  { header: '村（社区）', width: 18 },
  { header: '底册人数', width: 12 },
  { header: '已参保', width: 12 },
  { header: '未参保', width: 12 },
  { header: '参保率', width: 10 },
  { header: '是否达到目标', width: 14 },
];

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
  const r = participationRates(db, opts.townships);
  const pct = (x: number) => Math.round(x * 10000) / 10000;
  const line = (x: RateRow, village: string) => [
    x.township,
    village,
    x.base,
    x.insured,
    x.uninsured,
    pct(x.rate),
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
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: guarded.stream,
      useStyles: true,
      useSharedStrings: false,
    });
    const subtitle = `导出日期：${opts.exportDate}　参保率 = 已参保的底册人员 / 底册人数；目标 ${(opts.target * 100).toFixed(0)}%`;
    const add = (name: string, t: string, rows: unknown[][]) => {
      const { sheet } = addLayoutSheet(wb, name, { title: t, subtitle, columns: COLUMNS, footerLeft: t });
      for (const row of rows) {
        addPlainRow(sheet, row, COLUMNS);
      }
      sheet.getColumn(6).numFmt = '0.00%';
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
