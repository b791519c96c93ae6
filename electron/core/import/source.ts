/** What every reader (xlsx, xls, csv) hands to the importer: sheets of rows, each with its Excel row number. */
export type RawCell = string | number | boolean | Date | null;

export interface SourceRow {
  /** 1-based row number as Excel/WPS shows it (for CSV: the record's line as a spreadsheet opens it). */
  rowNumber: number;
  cells: RawCell[];
  /** Columns whose cell was numeric in the file (an ID there has lost digits). */
  numeric?: ReadonlySet<number>;
  /** Columns whose empty cell was filled from a vertically merged cell above: column → the merge's top row. */
  filledFrom?: ReadonlyMap<number, number>;
}

export interface SourceSheet {
  /** '' for CSV. */
  name: string;
  rows: AsyncIterable<SourceRow>;
  /**
   * Said once a reader's caller knows the columns it reads (a header found): the rows still to come may leave every
   * other cell empty, which an xlsx sheet's scanner then does not decode. Readers without it give every cell.
   */
  readOnly?(columns: ReadonlySet<number>): void;
}

export type FileFormat = 'xlsx' | 'xls' | 'csv';

export interface SourceBook {
  format: FileFormat;
  encoding: string | null;
  sheets: AsyncIterable<SourceSheet>;
  /** How far the reader has got through the whole file, for one progress bar across all its sheets. */
  meter: ReadMeter;
}

/**
 * Progress through a file in the reader's own unit (bytes of a CSV or of an xlsx's compressed parts, rows of an .xls
 * read whole): a fraction for the clerk's overall bar, where rows of a sheet not yet reached cannot be counted.
 */
export class ReadMeter {
  done = 0;
  total = 0;
  fraction(): number | null {
    return this.total > 0 ? Math.min(1, this.done / this.total) : null;
  }
}

export function cellText(cell: RawCell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  // String() gives the shortest round-trip digits (610923194201050000), as a spreadsheet shows them.
  if (typeof cell === 'number') return String(cell);
  return String(cell).trim();
}

export function isBlankRow(cells: readonly RawCell[]): boolean {
  for (const c of cells) if (cellText(c) !== '') return false;
  return true;
}

/**
 * ="610923199001020010" is how systems keep an ID as text when Excel opens their CSV (a formula whose result is
 * the string): the value is the string inside.
 */
export function unwrapFormulaText(cell: string): string {
  const m = cell.match(/^\s*=\s*"((?:[^"]|"")*)"\s*$/);
  return m ? m[1]!.replace(/""/g, '"') : cell;
}
