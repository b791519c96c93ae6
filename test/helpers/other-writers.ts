import * as XLSX from '@e965/xlsx';
import JSZip from 'jszip';
import { writeFileSync } from 'node:fs';

/**
 * Rolls written the way other systems write them, for the import tests: SheetJS (behind most web systems'
 * "导出Excel"), with its archive order (worksheets before xl/workbook.xml), and legacy BIFF8.
 */
export type Aoa = (string | number | Date | null)[][];

export interface SheetJsOptions {
  date1904?: boolean;
  /** Merged ranges such as 'B2:B4', per sheet. */
  merges?: Record<string, string[]>;
  bookType?: 'xlsx' | 'biff8' | 'biff5' | 'xlml' | 'html';
  /** 0-based columns whose numbers are date serials (formatted yyyy-mm-dd, as a date cell). */
  dateColumns?: number[];
}

export function sheetJsBook(sheets: Record<string, Aoa>, opts: SheetJsOptions = {}): XLSX.WorkBook {
  const wb = XLSX.utils.book_new();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = XLSX.utils.aoa_to_sheet(rows, { cellDates: false });
    for (const c of opts.dateColumns ?? []) {
      for (let r = 0; r < rows.length; r++) {
        const cell = ws[XLSX.utils.encode_cell({ r, c })] as XLSX.CellObject | undefined;
        if (cell?.t === 'n') cell.z = 'yyyy-mm-dd';
      }
    }
    const merges = opts.merges?.[name];
    if (merges) ws['!merges'] = merges.map((m) => XLSX.utils.decode_range(m));
    XLSX.utils.book_append_sheet(wb, ws, name);
  }
  if (opts.date1904) wb.Workbook = { ...(wb.Workbook ?? {}), WBProps: { date1904: true } };
  return wb;
}

/** Writes with SheetJS; for xlsx, keeps SheetJS's own archive order (worksheet parts before xl/workbook.xml). */
export async function writeSheetJs(path: string, sheets: Record<string, Aoa>, opts: SheetJsOptions = {}) {
  const buf = XLSX.write(sheetJsBook(sheets, opts), { type: 'buffer', bookType: opts.bookType ?? 'xlsx' }) as Buffer;
  if ((opts.bookType ?? 'xlsx') === 'xlsx') {
    const names = Object.keys((await JSZip.loadAsync(buf)).files);
    const sheet = names.findIndex((n) => n.startsWith('xl/worksheets/'));
    if (sheet < 0 || sheet > names.indexOf('xl/workbook.xml')) throw new Error('SheetJS order changed: ' + names);
  }
  writeFileSync(path, buf);
  return path;
}

/** A 1904-date-system serial for an ISO date (Excel for Mac's old default; 1,462 days after 1900's). */
export function serial1904(iso: string): number {
  return (Date.parse(iso + 'T00:00:00Z') - Date.UTC(1904, 0, 1)) / 86_400_000;
}
