/**
 * Formula injection (CSV injection): a cell that begins with one of these is run as a formula by Excel/WPS,
 * including full-width forms that IMEs produce. Prefixing an apostrophe makes it plain text everywhere.
 */
const DANGEROUS_START = /^[=+\-@＝＋－＠\t\r]/;

export function neutralizeFormula(value: string): string {
  return DANGEROUS_START.test(value) ? `'${value}` : value;
}

/** One CSV field: neutralized, then quoted when it holds a separator, quote or line break. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = neutralizeFormula(String(value));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly unknown[]): string {
  return values.map(csvField).join(',') + '\r\n';
}
