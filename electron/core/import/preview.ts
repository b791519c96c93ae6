import { basename } from 'node:path';
import type { PreviewResponse, PreviewSheet } from '../../../shared/ipc/contract';
import { suggestRollKind } from '../../../shared/headers/roll-kind-evidence';
import { cluesFromRows } from './kind-check';
import { openSource } from './open-source';
import type { CsvEncoding } from './read-csv';
import { headerSignature } from '../../../shared/headers/fields';
import { maskId } from '../../../shared/export/mask';
import { buildRecord, type QualityIssue } from './record-builder';
import { chooseHeader, classifyDataRow, HEADER_SEARCH_ROWS, SKIP_REASON_LABEL } from './sheet-layout';
import { unreadable } from './read-errors';
import { IMPORT_LIMITS } from './limits';
import { ZipArchive } from '../spreadsheet/zip-entries';
import { fileFault } from '../storage-faults';
import { cellText, type SourceBook, type SourceRow } from './source';

const PREVIEW_ROWS = 15;

/** 18 (or 15) characters of an ID number, possibly with a trailing X; 11 digits of a mainland mobile number. */
const ID_LIKE = /^\s*\d{15}(\d{2}[\dXx])?\s*$/;
const PHONE_LIKE = /^\s*1\d{10}\s*$/;

/** A phone number as every screen shows it: first 3, last 4 (138****5678). */
export function maskPhone(v: string): string {
  const t = v.trim();
  return t.length <= 7 ? '*'.repeat(Math.max(0, t.length - 4)) + t.slice(-4) : maskId(t, '3-4');
}

/**
 * The preview reaches the screen masked like every other one: the ID column (and anything shaped like an ID, for a
 * file whose header was not recognised) 6-4, the phone column and anything shaped like a mobile number 3-4.
 */
export function maskPreviewCells(cells: string[], mapping: Partial<Record<string, number>>): string[] {
  return cells.map((c, i) => {
    if (!c) return c;
    if (i === mapping.idNumber || ID_LIKE.test(c)) return maskId(c.trim(), '6-4');
    if (i === mapping.phone || PHONE_LIKE.test(c)) return maskPhone(c);
    return c;
  });
}
const MAX_SHEETS = 12;

/**
 * What the mapping screen shows: per sheet the detected header row and column mapping, and the first rows with
 * the problems the import would report. Reads only the top of each sheet.
 */
/**
 * Sheet names of an .xlsx from its workbook part, without streaming the sheets (the streaming reader would have to
 * read every sheet to reach the last one's name).
 */
async function xlsxSheetNames(path: string): Promise<string[]> {
  // Through the central directory, one small part: never the whole file in memory (a 100 MB roll, or a bomb).
  const zip = ZipArchive.open(path);
  const entry = zip.get('xl/workbook.xml');
  if (!entry || entry.uncompressedSize > IMPORT_LIMITS.smallPartBytes) return [];
  const xml = await zip.text(entry);
  return [...xml.matchAll(/<sheet\b[^>]*\bname="([^"]*)"/g)].map((m) =>
    m[1]!
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'"),
  );
}

export async function previewFile(
  path: string,
  opts: { encoding?: CsvEncoding; headerRow?: number } = {},
): Promise<PreviewResponse> {
  let book: SourceBook;
  try {
    book = openSource(path, opts.encoding);
  } catch (e) {
    throw fileFault(e, path);
  }
  try {
    return await previewBook(path, book, opts);
  } catch (e) {
    throw unreadable(e, { file: basename(path) }, book.format);
  }
}

async function previewBook(
  path: string,
  book: SourceBook,
  opts: { encoding?: CsvEncoding; headerRow?: number },
): Promise<PreviewResponse> {
  const sheetNames = book.format === 'xlsx' ? await xlsxSheetNames(path) : null;
  const sheets: PreviewSheet[] = [];
  let firstRows: SourceRow[] = [];
  for await (const sheet of book.sheets) {
    const rows: SourceRow[] = [];
    if (!sheets.length) firstRows = rows;
    for await (const row of sheet.rows) {
      if (rows.length < HEADER_SEARCH_ROWS + PREVIEW_ROWS) rows.push(row);
      else if (sheets.length >= 1 || book.format === 'xlsx') break;
    }
    const named = opts.headerRow !== undefined ? rows.find((r) => r.rowNumber === opts.headerRow) : undefined;
    // A header row the clerk names is taken even when none of its words is recognised; the mapping is then theirs.
    const header = named
      ? (chooseHeader([named]) ?? {
          rowNumber: named.rowNumber,
          cells: named.cells,
          mapping: {},
          signature: headerSignature(named.cells),
        })
      : chooseHeader(rows.slice(0, HEADER_SEARCH_ROWS));
    const out: PreviewSheet = {
      name: sheet.name,
      headerRow: header?.rowNumber ?? null,
      header: header?.cells.map(cellText) ?? [],
      mapping: header?.mapping ?? {},
      rows: [],
    };
    for (const row of rows) {
      if (out.rows.length >= PREVIEW_ROWS + 3) break;
      if (!header || row.rowNumber <= header.rowNumber) {
        if (header && row.rowNumber === header.rowNumber) continue;
        out.rows.push({
          rowNumber: row.rowNumber,
          cells: maskPreviewCells(row.cells.map(cellText), out.mapping),
          problems: [],
          skipped: header ? SKIP_REASON_LABEL.title : null,
        });
        continue;
      }
      const kind = classifyDataRow(row, header);
      const problems: QualityIssue[] = [];
      if (kind === 'data')
        buildRecord(
          row,
          {
            mapping: header.mapping,
            headerCells: header.cells,
            townshipFallback: null,
            villageFallback: null,
            asOf: new Date().toISOString().slice(0, 10),
          },
          problems,
        );
      out.rows.push({
        rowNumber: row.rowNumber,
        cells: maskPreviewCells(row.cells.map(cellText), out.mapping),
        problems: problems.map((p) => ({ column: p.column, message: p.message })),
        skipped: kind === 'data' ? null : SKIP_REASON_LABEL[kind],
      });
    }
    sheets.push(out);
    // Streaming xlsx cannot skip to the next sheet without reading this one: preview the first sheet only.
    if (book.format === 'xlsx' || sheets.length >= MAX_SHEETS) break;
  }
  const names = sheetNames ?? sheets.map((x) => x.name);
  return {
    file: basename(path),
    format: book.format,
    encoding: book.encoding,
    sheets,
    sheetNames: names,
    suggestion: suggestRollKind(
      cluesFromRows(basename(path), names.filter(Boolean), firstRows.slice(0, HEADER_SEARCH_ROWS), opts.headerRow),
    ),
  };
}
