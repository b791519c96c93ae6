import { excelJS } from '../../electron/core/spreadsheet/exceljs';
import iconv from 'iconv-lite';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A temp folder removed after the test file: tests never leave citizens' (synthetic) IDs lying around. */
export function tempDir(prefix = 'canbao-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export type Cell = string | number | Date | null | { numFmt: string; value: string | number | Date };

/** Writes a small .xlsx by sheet: each row an array of cells; numbers stay numeric cells (as Excel would keep them). */
export async function writeXlsx(path: string, sheets: Record<string, Cell[][]>): Promise<string> {
  const wb = new (excelJS().Workbook)();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    rows.forEach((cells, r) => {
      cells.forEach((c, i) => {
        if (c === null) return;
        const cell = ws.getCell(r + 1, i + 1);
        if (typeof c === 'object' && !(c instanceof Date)) {
          cell.value = c.value;
          cell.numFmt = c.numFmt;
        } else cell.value = c;
      });
    });
  }
  await wb.xlsx.writeFile(path);
  return path;
}

export function writeCsv(path: string, lines: string[][], encoding: 'utf8' | 'utf8bom' | 'gb18030' = 'utf8'): string {
  const text = lines.map((l) => l.join(',')).join('\r\n') + '\r\n';
  const body = encoding === 'gb18030' ? iconv.encode(text, 'gb18030') : Buffer.from(text, 'utf8');
  writeFileSync(path, encoding === 'utf8bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body);
  return path;
}
