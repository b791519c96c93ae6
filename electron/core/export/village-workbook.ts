import { join } from 'node:path';
import { csvLine } from '../../../shared/export/safe-cell';
import type { ExportFileView } from '../../../shared/ipc/jobs';
import { columnLetter } from '../../../shared/headers/fields';
import { throwIfAborted, type CancelFlag } from '../errors';
import { EXPORT_CANCELLED } from './export-cancel';
import { guardedStream } from './export-streams';
import { sha256File } from '../file-hash';
import { excelJS, type ExcelTypes } from '../spreadsheet/exceljs';
import { addLayoutSheet, addPlainRow, safeSheetName, type ColumnSpec } from './xlsx-sheet-writer';
import { fileNameSafe } from '../../../shared/text/file-name';

export interface WrittenFile {
  file: string;
  kind: string;
  township: string | null;
  rows: number;
  sheets: { name: string; rows: number }[];
  sha256: string;
  /** The earlier file of the same name this one replaced, kept in the staging folder until the export is done. */
  replaced?: string;
}

/** A written file as a job's result names it (export.run, dispatch.run). */
export function fileView(f: WrittenFile): ExportFileView {
  return { file: f.file, kind: f.kind, township: f.township, rows: f.rows, sheets: f.sheets.length, sha256: f.sha256 };
}

export interface VillageRows {
  village: string;
  rows: unknown[][];
}

export interface VillageWorkbookSpec {
  dir: string;
  fileBase: string;
  kind: string;
  township: string | null;
  format: 'xlsx' | 'csv';
  /** Title of every sheet; receives the village ('' for the summary). */
  title: (village: string) => string;
  subtitle: string;
  columns: ColumnSpec[];
  summaryColumns: ColumnSpec[];
  summaryRows: unknown[][];
  villages: Iterable<VillageRows>;
  /** Lines printed under the data (signatures). */
  footerLines?: string[];
  /** A drop-down (data validation) for one column, by 0-based index. */
  dropDown?: { column: number; values: readonly string[] };
  signal?: CancelFlag;
}

/**
 * One township's workbook: a summary sheet, then one sheet per village, each with a title, a frozen header, text ID
 * cells and A4-landscape print setup. As CSV: one file with the village as the first column.
 */
export async function writeVillageWorkbook(spec: VillageWorkbookSpec): Promise<WrittenFile> {
  const sheets: { name: string; rows: number }[] = [];
  let total = 0;
  if (spec.format === 'csv') {
    const file = join(spec.dir, `${fileNameSafe(spec.fileBase)}.csv`);
    const { stream: out, drain, failed } = guardedStream(file);
    try {
      out.write('\ufeff' + csvLine(['村（社区）', ...spec.columns.map((c) => c.header)]));
      for (const v of spec.villages) {
        throwIfAborted(spec.signal, EXPORT_CANCELLED);
        for (const r of v.rows) {
          if (!out.write(csvLine([v.village, ...r]))) await drain();
        }
        sheets.push({ name: v.village, rows: v.rows.length });
        total += v.rows.length;
      }
      await Promise.race([
        new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res()))),
        failed,
      ]);
    } catch (e) {
      out.destroy(); // the half-written file is removed with the export's staging folder; no handle may keep it open
      throw e;
    }
    return { file, kind: spec.kind, township: spec.township, rows: total, sheets, sha256: await sha256File(file) };
  }
  const file = join(spec.dir, `${fileNameSafe(spec.fileBase)}.xlsx`);
  const out = guardedStream(file);
  const wb = new (excelJS().stream.xlsx.WorkbookWriter)({
    stream: out.stream,
    useStyles: true,
    useSharedStrings: false,
  });
  try {
    // exceljs never hears of a failed file stream and would wait for it forever: the stream's error ends the wait.
    await Promise.race([writeSheets(wb, spec, sheets), out.failed]);
  } catch (e) {
    out.stream.destroy();
    throw e;
  }
  return {
    file,
    kind: spec.kind,
    township: spec.township,
    rows: sheets.reduce((a, s) => a + s.rows, 0),
    sheets,
    sha256: await sha256File(file),
  };
}

async function writeSheets(
  wb: ExcelTypes.stream.xlsx.WorkbookWriter,
  spec: VillageWorkbookSpec,
  sheets: { name: string; rows: number }[],
): Promise<void> {
  const footerLeft = spec.title('');
  const summary = addLayoutSheet(wb, '汇总', {
    title: spec.title(''),
    subtitle: spec.subtitle,
    columns: spec.summaryColumns,
    footerLeft,
  });
  for (const r of spec.summaryRows) addPlainRow(summary.sheet, r, spec.summaryColumns);
  summary.sheet.commit();
  const used = new Set(['汇总']);
  for (const v of spec.villages) {
    throwIfAborted(spec.signal, EXPORT_CANCELLED);
    let name = safeSheetName(v.village || '未填村（社区）');
    for (let k = 2; used.has(name); k++) name = safeSheetName(`${v.village.slice(0, 27)}(${k})`);
    used.add(name);
    const { sheet, firstDataRow } = addLayoutSheet(wb, name, {
      title: spec.title(v.village),
      subtitle: spec.subtitle,
      columns: spec.columns,
      footerLeft: spec.title(v.village),
    });
    for (const r of v.rows) addPlainRow(sheet, r, spec.columns);
    if (spec.dropDown && v.rows.length) {
      const col = columnLetter(spec.dropDown.column);
      (sheet as unknown as { dataValidations: { add(range: string, v: object): void } }).dataValidations.add(
        `${col}${firstDataRow}:${col}${firstDataRow + v.rows.length - 1}`,
        {
          type: 'list',
          allowBlank: true,
          showErrorMessage: true,
          errorTitle: '核实情况',
          error: '请从下拉列表中选择',
          formulae: [`"${spec.dropDown.values.join(',')}"`],
        },
      );
    }
    if (spec.footerLines?.length) {
      sheet.addRow([]).commit();
      for (const line of spec.footerLines) sheet.addRow([line]).commit();
    }
    sheet.commit();
    sheets.push({ name, rows: v.rows.length });
  }
  await wb.commit();
}

/** Groups rows already ordered by village into village blocks, lazily. */
export function* byVillage<T>(
  rows: Iterable<T>,
  villageOf: (r: T) => string,
  toRow: (r: T, indexInVillage: number) => unknown[],
): Generator<VillageRows> {
  let current: VillageRows | null = null;
  for (const r of rows) {
    const v = villageOf(r);
    if (!current || current.village !== v) {
      if (current) yield current;
      current = { village: v, rows: [] };
    }
    current.rows.push(toRow(r, current.rows.length + 1));
  }
  if (current) yield current;
}
