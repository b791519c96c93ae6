/**
 * Dates as clerks' spreadsheets hold them. Returns ISO 'YYYY-MM-DD', or 'YYYY-MM' when only a month is given
 * (出生年月 columns), or null when the value is not a date.
 */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

function ymd(y: number, m: number, d: number): string | null {
  if (y < 1880 || y > 2200 || m < 1 || m > 12 || d < 1) return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

function ym(y: number, m: number): string | null {
  if (y < 1880 || y > 2200 || m < 1 || m > 12) return null;
  return `${y}-${pad2(m)}`;
}

/** Serial 0 of the 1904 date system (Excel for Mac's old default, kept by workbooks made there): 1904-01-01. */
const EXCEL_1904_EPOCH_MS = Date.UTC(1904, 0, 1);

/**
 * Excel's serial day number: in the 1900 date system (its fictitious 1900-02-29 accounted for by the 1899-12-30
 * epoch), or in the 1904 system when the workbook says so (the same serial is 1,462 days later).
 */
export function excelSerialToIso(serial: number, date1904 = false): string | null {
  if (!Number.isFinite(serial) || serial < (date1904 ? 0 : 1) || serial > 120_000) return null;
  const dt = new Date((date1904 ? EXCEL_1904_EPOCH_MS : EXCEL_EPOCH_MS) + Math.floor(serial) * DAY_MS);
  return ymd(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
}

export function parseDate(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    // Spreadsheet readers give date cells as UTC midnight; a few seconds of float error must not move the day.
    const t = new Date(value.getTime() + 60_000);
    return ymd(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
  }
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 18_800_101 && value <= 22_001_231) return parseDate(String(value));
    if (Number.isInteger(value) && value >= 188_001 && value <= 220_012) return parseDate(String(value));
    return excelSerialToIso(value);
  }
  const s = String(value)
    .trim()
    .replace(/[\uff10-\uff19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  let m: RegExpMatchArray | null;
  if ((m = s.match(/^(\d{4})(\d{2})(\d{2})$/))) return ymd(+m[1]!, +m[2]!, +m[3]!);
  if ((m = s.match(/^(\d{4})(\d{2})$/))) return ym(+m[1]!, +m[2]!);
  if ((m = s.match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/))) {
    return ymd(+m[1]!, +m[2]!, +m[3]!);
  }
  if ((m = s.match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/))) return ym(+m[1]!, +m[2]!);
  if ((m = s.match(/^(\d{5}(?:\.\d+)?)$/))) return excelSerialToIso(Number(m[1]));
  return null;
}

/** Birth date taken from a date column and the one derived from the ID agree (a month-only value agrees on its month). */
export function datesAgree(fromColumn: string, fromId: string): boolean {
  return fromColumn.length === 7 ? fromId.startsWith(fromColumn) : fromColumn === fromId;
}
