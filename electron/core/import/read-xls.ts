import * as XLSX from '@e965/xlsx';
import { readFileSync } from 'node:fs';
import { excelSerialToIso } from '../../../shared/date/parse-date';
import type { RawCell, SourceRow, SourceSheet } from './source';

/**
 * Legacy .xls (BIFF) from older systems and WPS, read with SheetJS. Such files are at most 65,536 rows a sheet,
 * so reading whole is fine. Date cells are converted from their serial number here (not through JS Date in
 * local time, which would move the day on a UTC+8 PC).
 */
export async function* readXls(path: string): AsyncIterable<SourceSheet> {
  const wb = XLSX.read(readFileSync(path), {
    type: 'buffer',
    dense: true,
    cellDates: false,
    cellNF: true,
    cellText: false,
  });
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name]!;
    yield { name, rows: rowsOf(ws) };
  }
}

async function* rowsOf(ws: XLSX.WorkSheet): AsyncIterable<SourceRow> {
  const ref = ws['!ref'];
  if (!ref) return;
  const range = XLSX.utils.decode_range(ref);
  const data = (ws as unknown as { '!data'?: (XLSX.CellObject | undefined)[][] })['!data'] ?? [];
  for (let r = range.s.r; r <= range.e.r; r++) {
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
          cells.push(excelSerialToIso(cell.v as number));
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
        cells.push(String(cell.v));
      }
    }
    yield { rowNumber: r + 1, cells, numeric };
  }
}
