import { basename } from 'node:path';
import { headerKey, recognizeHeader } from '../../../shared/headers/fields';
import { CanbaoError, throwIfAborted, type CancelFlag } from '../errors';
import { openSource } from '../import/open-source';
import { cellText, type RawCell, type SourceRow } from '../import/source';

/** The columns of a returned ledger that Canbao reads; everything else a township added is left alone. */
export const RETURN_FIELDS = [
  'personNo',
  'batchNo',
  'name',
  'idNumber',
  'village',
  'category',
  'place',
  'deathDate',
  'paidDate',
  'paidAmount',
  'verifier',
  'verifiedOn',
  'note',
] as const;
export type ReturnField = (typeof RETURN_FIELDS)[number];

/** Header words per field: the ledger's own (uninsured-ledger.ts) first, then what townships rename them to. */
const WORDS: Record<Exclude<ReturnField, 'idNumber'>, string[]> = {
  personNo: ['人员编号', '人员编码', '比对编号'],
  batchNo: ['下发批次', '批次号', '批次', '下发批次号'],
  name: ['姓名', '人员姓名', '参保人姓名', '被核实人'],
  village: ['村（社区）', '村(社区)', '村', '村社区', '行政村', '村居', '所在村', '村名', '社区'],
  category: ['核实情况', '未参保原因', '核实结果', '核查情况', '核实类别', '未参保情况', '核实情况（请选择）'],
  place: ['参保地（单位/学校）', '参保地', '参保单位', '参保地点', '学校', '参保地或学校', '务工地', '参保地区'],
  deathDate: ['死亡日期', '死亡时间'],
  paidDate: ['缴费日期', '缴费时间', '参保缴费日期'],
  paidAmount: ['缴费金额', '金额', '缴费金额（元）', '缴费金额(元)'],
  verifier: ['核实人', '走访人', '填报人', '核实人员', '核查人'],
  verifiedOn: ['核实日期', '核实时间', '走访日期', '填报日期', '走访时间', '核查日期'],
  note: ['备注', '说明', '走访情况', '情况说明'],
};

const LOOKUP = new Map<string, ReturnField>();
for (const [f, words] of Object.entries(WORDS)) for (const w of words) LOOKUP.set(headerKey(w), f as ReturnField);

/** Header words seen before (a county's 600 sheets repeat the same titles and headers): each is looked up once. */
const fieldOfText = new Map<string, ReturnField | null>();

function returnField(cell: RawCell | undefined): ReturnField | null {
  const text = cellText(cell);
  if (fieldOfText.has(text)) return fieldOfText.get(text)!;
  const field = fieldOf(text);
  // Kept as a copy: a title cell is a view into its sheet's whole XML text (see ownCopy), which the cache, living as
  // long as the engine, would otherwise keep for every sheet ever read.
  if (fieldOfText.size < 10_000) fieldOfText.set(ownCopy(text), field);
  return field;
}

function fieldOf(text: string): ReturnField | null {
  const k = headerKey(text);
  if (!k) return null;
  const hit = LOOKUP.get(k) ?? LOOKUP.get(k.replace(/[（(].*[)）]$/, ''));
  if (hit) return hit;
  if (recognizeHeader(k) === 'idNumber') return 'idNumber';
  return null;
}

/** A repeated header row: its 核实情况 cell names the column (a sheet's answers are a handful of words, remembered). */
const isCategoryHeader = (cell: RawCell) => returnField(cell) === 'category';

export type ReturnColumns = Partial<Record<ReturnField, number>>;

/** One returned row: what each known column holds, as the cell was (dates may be Date objects or serials). */
export interface ReturnRow {
  file: string;
  sheet: string;
  row: number;
  cells: Partial<Record<ReturnField, RawCell>>;
}

export interface ReturnSheet {
  sheet: string;
  columns: ReturnColumns;
  headerRow: number;
}

export interface ReturnFile {
  file: string;
  path: string;
  sheets: ReturnSheet[];
  rows: ReturnRow[];
  /** Sheets without a 核实情况 column (the 汇总 sheet, a township's own notes): not a ledger, not read. */
  skippedSheets: string[];
}

/**
 * A cell's text that holds no reference to the sheet it was read from. V8 keeps a slice of 13 characters or more
 * (an ID, a note) as a view into the sheet's whole XML text, so the rows of a county's returns, all kept until they
 * are applied, held every sheet alive: 76 MB after reading 36,719 rows, 19 MB with copies and one object shape
 * (noCells), and the collector copied that much less while the rows were read and applied. Short cells are copies.
 */
function ownCopy(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}

/**
 * A row's cells, every field present (undefined until read): one object shape for all rows, whatever order a sheet's
 * columns are in. Objects grown field by field took a shape per column order and kept their fields out of line: the
 * rows a county returns are all kept until applied, and the collector copied that much more.
 */
function noCells(): ReturnRow['cells'] {
  return {
    personNo: undefined,
    batchNo: undefined,
    name: undefined,
    idNumber: undefined,
    village: undefined,
    category: undefined,
    place: undefined,
    deathDate: undefined,
    paidDate: undefined,
    paidAmount: undefined,
    verifier: undefined,
    verifiedOn: undefined,
    note: undefined,
  };
}

/** One Date per day written (a county's returns hold a few hundred dates in tens of thousands of cells); never mutated. */
const datesSeen = new Map<number, Date>();
function sameDate(d: Date): Date {
  const time = d.getTime();
  const seen = datesSeen.get(time);
  if (seen) return seen;
  if (datesSeen.size < 10_000) datesSeen.set(time, d);
  return d;
}

/** The header row of a returned sheet: the first of its first 30 rows naming 核实情况 and who the row is. */
function findHeader(rows: readonly SourceRow[]): { index: number; columns: ReturnColumns } | null {
  for (let i = 0; i < rows.length; i++) {
    const columns: ReturnColumns = {};
    rows[i]!.cells.forEach((c, col) => {
      const f = returnField(c);
      if (f && columns[f] === undefined) columns[f] = col;
    });
    if (columns.category !== undefined && (columns.name !== undefined || columns.personNo !== undefined))
      return { index: i, columns };
  }
  return null;
}

/**
 * Reads a workbook a township sent back, whatever happened to it in WPS or Excel: sheets renamed or reordered,
 * columns moved, hidden or added, rows sorted, filtered, deleted or added at the end, saved as .xls or .csv. Columns
 * are found by their header words on every sheet, so nothing depends on where they were when dispatched.
 */
export async function readReturnFile(path: string, signal?: CancelFlag): Promise<ReturnFile> {
  const file = basename(path);
  const book = openSource(path);
  const out: ReturnFile = { file, path, sheets: [], rows: [], skippedSheets: [] };
  for await (const sheet of book.sheets) {
    let searched = 0;
    let header: { index: number; columns: ReturnColumns } | null = null;
    let headerRow = 0;
    let columns: [ReturnField, number][] = [];
    const take = (r: SourceRow) => {
      const cells = noCells();
      let filled = 0;
      for (const [f, col] of columns) {
        const v = r.cells[col];
        if (v === null || v === undefined || cellText(v) === '') continue;
        cells[f] = typeof v === 'string' ? ownCopy(v) : v instanceof Date ? sameDate(v) : v;
        filled++;
      }
      // Blank rows, and signature and date lines under the table, name nobody and answer nothing.
      if (!filled) return;
      if (cells.name === undefined && cells.personNo === undefined && cells.idNumber === undefined) {
        if (cells.category === undefined) return;
      }
      // A repeated header row (a township pasted two sheets together) is not a person.
      if (cells.category !== undefined && isCategoryHeader(cells.category)) return;
      out.rows.push({ file, sheet: sheet.name, row: r.rowNumber, cells });
    };
    for await (const r of sheet.rows) {
      if (out.rows.length % 2000 === 0) throwIfAborted(signal, '已取消，核实回执未导入');
      if (!header) {
        if (searched++ < 30) {
          const found = findHeader([r]);
          if (found) {
            header = found;
            headerRow = r.rowNumber;
            columns = Object.entries(found.columns) as [ReturnField, number][];
            // A returned ledger has 23 columns, Canbao reads 13: the others are not decoded (5–10% of reading).
            sheet.readOnly?.(new Set(columns.map(([, col]) => col)));
          }
        }
        continue;
      }
      take(r);
    }
    if (!header) {
      out.skippedSheets.push(sheet.name);
      continue;
    }
    out.sheets.push({ sheet: sheet.name, columns: header.columns, headerRow });
  }
  if (!out.sheets.length)
    throw new CanbaoError(
      'badInput',
      `文件“${file}”中没有找到核实回执：每个工作表的前30行都没有同时含“核实情况”和“姓名”（或“人员编号”）的表头。` +
        '请确认这是下发的未参保人员台账，表头未被删除或改名',
      { file },
    );
  return out;
}
