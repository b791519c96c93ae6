import ExcelJS, { type ExcelTypes } from '../spreadsheet/exceljs';
import type { RawCell, SourceRow, SourceSheet } from './source';

interface ReaderWithModel {
  model?: { sheets?: { id: number | string; name: string }[] };
}
interface SheetReader extends AsyncIterable<ExcelTypes.Row> {
  id: number | string;
  name: string;
}

/** exceljs cell values come as strings, numbers, dates, rich text, formula results or hyperlinks: reduce to plain. */
export function plainCell(v: unknown): RawCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text?: string }[]).map((r) => r.text ?? '').join('');
    if ('result' in o) return plainCell(o.result);
    if ('formula' in o || 'sharedFormula' in o) return null;
    if ('text' in o) return plainCell(o.text);
    if ('error' in o) return null;
  }
  return String(v);
}

/**
 * Streams an .xlsx with exceljs's WorkbookReader: constant memory for county-sized rolls.
 * Given a file path, exceljs parks worksheets that precede sharedStrings/styles in the zip in temp files, so
 * order in the archive does not matter. Sheet names come from the workbook model (known exceljs issue #2663).
 */
export async function* readXlsx(path: string): AsyncIterable<SourceSheet> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  for await (const wsRaw of reader as unknown as AsyncIterable<SheetReader>) {
    const ws = wsRaw;
    const model = (reader as unknown as ReaderWithModel).model;
    const name = model?.sheets?.find((s) => String(s.id) === String(ws.id))?.name ?? ws.name;
    yield { name, rows: rowsOf(ws) };
  }
}

async function* rowsOf(ws: SheetReader): AsyncIterable<SourceRow> {
  for await (const row of ws) {
    const values = row.values as unknown[];
    const cells: RawCell[] = new Array(Math.max(0, values.length - 1));
    let numeric: Set<number> | undefined;
    for (let i = 1; i < values.length; i++) {
      const c = plainCell(values[i]);
      cells[i - 1] = c;
      if (typeof c === 'number') (numeric ??= new Set()).add(i - 1);
    }
    yield { rowNumber: row.number, cells, numeric };
  }
}
