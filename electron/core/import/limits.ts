import { CanbaoError, type SourceLocation } from '../errors';

/**
 * The designed limits of an import, in one place. Each is far above what a real county roll reaches (about
 * 1,000,000 rows, a 100 MB .xlsx, a few dozen columns, names of at most ~50 characters, addresses of a few hundred)
 * and far below what would exhaust a clerk's PC: every one is checked before the bulk of the file is read, so a
 * hostile or broken file is refused with the reason instead of filling memory or the workspace.
 */
export const IMPORT_LIMITS = {
  /** A county's 1,000,000-row .xlsx is about 100 MB; a CSV of it about 250 MB. 1 GB leaves room for any real roll. */
  fileBytes: 1024 * 1024 * 1024,
  /** Legacy .xls is read whole by SheetJS (memory ~10× the file); BIFF holds at most 65,536 rows a sheet (~30 MB). */
  xlsBytes: 96 * 1024 * 1024,
  /** Rows per sheet: a county has ~1,000,000 people; Excel itself stops at 1,048,576 rows. */
  rows: 3_000_000,
  /** Columns: system exports have at most a few dozen; 1,000 is far beyond any roll, and bounds each row's memory. */
  columns: 1_000,
  /** Characters in one cell: Excel itself holds at most 32,767; a name is ≤ ~50, an address a few hundred. */
  cellChars: 32_767,
  /** Characters in one CSV record (line): 1,000 columns of text; one endless line is refused, not buffered. */
  csvRecordChars: 8 * 1024 * 1024,
  /** One row's XML in an .xlsx: 1,000 columns of 32,767 characters is 33 M; a "row" longer than that is not a row. */
  rowXmlChars: 64 * 1024 * 1024,
  /** A worksheet part inflated: ~400 bytes a row for 1,000,000 rows is 400 MB; the zip format itself stops at 4 GB. */
  worksheetBytes: 3 * 1024 * 1024 * 1024,
  /** Shared strings are kept in memory: a county's unique names, IDs and addresses come to ~150 MB of XML. */
  sharedStringsBytes: 320 * 1024 * 1024,
  /** Styles, relationships, the workbook part: a few hundred KB in any real file; a bloated one is a bomb. */
  smallPartBytes: 32 * 1024 * 1024,
  /**
   * Inflated size ÷ compressed size of a part, above 1 MB inflated: spreadsheet XML compresses 10–40×, a zip bomb
   * 1,000× (deflate's ceiling is ~1,032×).
   */
  compressionRatio: 250,
} as const;

const MB = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
export const describeBytes = MB;

/** A designed limit was hit: what, where (in the location) and what the clerk can do, in Chinese. */
export function limitExceeded(what: string, todo: string, where: SourceLocation): CanbaoError {
  return new CanbaoError('limitExceeded', `${what}，超出本程序的设计上限，未导入，工作区保持不变。${todo}`, where);
}
