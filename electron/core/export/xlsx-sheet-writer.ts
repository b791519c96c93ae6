import type { ExcelTypes } from '../spreadsheet/exceljs';

export interface ColumnSpec {
  header: string;
  /** Width in characters; Chinese characters count double. */
  width: number;
  /** Written as a text cell ("@" number format) so Excel/WPS never turns it into 6.10923E+17. */
  text?: boolean;
}

/**
 * Every value goes in as a plain string or number: a string never becomes a formula, whatever it starts with
 * (exceljs writes formulas only from {formula} objects; the apostrophe prefix is kept off xlsx, where it would show).
 */
export function plainValue(v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return String(v);
}

export interface SheetLayout {
  title: string;
  subtitle?: string;
  columns: ColumnSpec[];
  /** Printed footer, left part; the page number is always on the right. */
  footerLeft?: string;
}

/** Adds a sheet with a title, a frozen header, text ID columns and A4-landscape print setup. Returns the header row number. */
export function addLayoutSheet(
  wb: ExcelTypes.stream.xlsx.WorkbookWriter,
  name: string,
  layout: SheetLayout,
): { sheet: ExcelTypes.Worksheet; firstDataRow: number } {
  const headerRow = layout.subtitle ? 3 : 2;
  const sheet = wb.addWorksheet(safeSheetName(name), {
    views: [{ state: 'frozen', ySplit: headerRow, xSplit: 0 }],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${headerRow}:${headerRow}`,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: {
      oddFooter: `&L${escapeHf(layout.footerLeft ?? '')}&R第 &P 页，共 &N 页`,
      evenFooter: `&L${escapeHf(layout.footerLeft ?? '')}&R第 &P 页，共 &N 页`,
    },
  });
  sheet.columns = layout.columns.map((c) => ({ width: c.width, style: c.text ? { numFmt: '@' } : {} }));
  const title = sheet.addRow([layout.title]);
  title.font = { bold: true, size: 14 };
  title.commit();
  if (layout.subtitle) sheet.addRow([layout.subtitle]).commit();
  const header = sheet.addRow(layout.columns.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  header.eachCell((cell) => {
    cell.border = {
      top: { style: 'thin' },
      bottom: { style: 'thin' },
      left: { style: 'thin' },
      right: { style: 'thin' },
    };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  });
  header.commit();
  return { sheet, firstDataRow: headerRow + 1 };
}

/**
 * One data row. Text columns (ID numbers, phones) get their value as a string; the "@" text format comes from the
 * column's style, which exceljs gives every new cell of the column (setting it cell by cell cost a third of export time).
 */
export function addPlainRow(
  sheet: ExcelTypes.Worksheet,
  values: readonly unknown[],
  columns: readonly ColumnSpec[],
): void {
  const row = sheet.addRow(
    values.map((v, i) => (columns[i]?.text && v !== null && v !== undefined ? String(v) : plainValue(v))),
  );
  row.commit();
}

/** Excel sheet names: at most 31 characters, none of \ / ? * [ ] : */
export function safeSheetName(name: string): string {
  const cleaned = name.replace(/[\\/?*[\]:]/g, '_').slice(0, 31);
  return cleaned || '工作表';
}

function escapeHf(s: string): string {
  return s.replace(/&/g, '&&');
}
