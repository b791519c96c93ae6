import type * as XLSXTypes from '@e965/xlsx';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { excelSerialToIso } from '../../../shared/date/parse-date';
import { fillMergedDown, type MergedRange } from './merged-cells';
import { describeBytes, IMPORT_LIMITS, limitExceeded } from './limits';
import { passwordProtected } from './read-errors';
import { ReadMeter, unwrapFormulaText, type RawCell, type SourceRow, type SourceSheet } from './source';

let sheetJS: Promise<typeof XLSXTypes> | undefined;

/** SheetJS, loaded on first use: 0.15 s of every engine worker's start, for the few who import an .xls. */
function loadSheetJS(): Promise<typeof XLSXTypes> {
  return (sheetJS ??= Promise.all([import('@e965/xlsx'), import('@e965/xlsx/dist/cpexcel')]).then(([XLSX, cptable]) => {
    // BIFF5 (Excel 95) and older keep strings in the PC's code page (936 on a Chinese PC). SheetJS's ES module build
    // has no code-page tables until given them: without this every Chinese string of such a file was read as "_".
    XLSX.set_cptable(cptable);
    return XLSX;
  }));
}

/**
 * Legacy .xls (BIFF5/BIFF8) from older systems and WPS, and what web systems save under an .xls name (an HTML table
 * or SpreadsheetML 2003 XML: `markup`), read with SheetJS. Such files are at most 65,536 rows a sheet, so reading
 * whole is fine. Date cells are converted from their serial number here (not through JS Date in local time, which
 * would move the day on a UTC+8 PC), in the workbook's date system (1904 puts every date 1,462 days later).
 * Markup is read as text (`raw`): SheetJS would otherwise turn an 18-digit ID in an HTML cell into a number.
 */
export async function* readXls(
  path: string,
  content: 'ole' | 'markup' = 'ole',
  meter = new ReadMeter(),
): AsyncIterable<SourceSheet> {
  const size = statSync(path).size;
  if (size > IMPORT_LIMITS.xlsBytes)
    throw limitExceeded(
      `旧版 .xls 文件有 ${describeBytes(size)}（上限 ${describeBytes(IMPORT_LIMITS.xlsBytes)}，.xls 每表最多 65,536 行）`,
      '请在 Excel/WPS 中另存为 .xlsx 后再导入',
      { file: basename(path) },
    );
  const data = readFileSync(path);
  const XLSX = await loadSheetJS();
  if (content === 'ole') {
    // An encrypted .xlsx is an OLE container holding EncryptionInfo and EncryptedPackage ([MS-OFFCRYPTO] 2.3.4).
    const cfb = XLSX.CFB.read(data, { type: 'buffer' });
    if (XLSX.CFB.find(cfb, 'EncryptionInfo') || XLSX.CFB.find(cfb, 'EncryptedPackage'))
      throw passwordProtected(basename(path));
  }
  let wb: XLSXTypes.WorkBook;
  try {
    wb = XLSX.read(data, {
      type: 'buffer',
      dense: true,
      cellDates: false,
      cellNF: true,
      cellText: false,
      raw: content === 'markup',
    });
  } catch (e) {
    // BIFF's FILEPASS record (an open password) makes SheetJS throw "File is password-protected".
    if (/password/i.test((e as Error).message)) throw passwordProtected(basename(path));
    throw e;
  }
  const date1904 = Boolean(wb.Workbook?.WBProps?.date1904);
  // Read whole already: progress is the rows handed on, out of every sheet's rows.
  for (const name of wb.SheetNames) {
    const ref = wb.Sheets[name]?.['!ref'];
    if (ref) meter.total += XLSX.utils.decode_range(ref).e.r + 1;
  }
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name]!;
    const merges: MergedRange[] = (ws['!merges'] ?? []).map((m) => ({
      top: m.s.r + 1,
      bottom: m.e.r + 1,
      left: m.s.c,
      right: m.e.c,
    }));
    yield { name, rows: fillMergedDown(rowsOf(XLSX, ws, date1904, meter), merges) };
  }
}

async function* rowsOf(
  XLSX: typeof XLSXTypes,
  ws: XLSXTypes.WorkSheet,
  date1904: boolean,
  meter: ReadMeter,
): AsyncIterable<SourceRow> {
  const ref = ws['!ref'];
  if (!ref) return;
  const range = XLSX.utils.decode_range(ref);
  const data = (ws as unknown as { '!data'?: (XLSXTypes.CellObject | undefined)[][] })['!data'] ?? [];
  meter.done += range.s.r;
  for (let r = range.s.r; r <= range.e.r; r++) {
    meter.done++;
    const src = data[r] ?? [];
    const cells: RawCell[] = [];
    let numeric: Set<number> | undefined;
    for (let c = 0; c <= range.e.c; c++) {
      const cell = src[c];
      if (!cell || cell.v === undefined || cell.v === null) {
        cells.push(null);
        continue;
      }
      if (cell.t === 'n') {
        const fmt = typeof cell.z === 'string' ? cell.z : '';
        if (fmt && XLSX.SSF.is_date(fmt)) {
          cells.push(excelSerialToIso(cell.v as number, date1904));
        } else {
          cells.push(cell.v as number);
          (numeric ??= new Set()).add(c);
        }
      } else if (cell.t === 'd') {
        cells.push(cell.v as Date);
      } else if (cell.t === 'b') {
        cells.push(cell.v as boolean);
      } else if (cell.t === 'e') {
        cells.push(null);
      } else {
        cells.push(unwrapFormulaText(String(cell.v)));
      }
    }
    yield { rowNumber: r + 1, cells, numeric };
  }
}
