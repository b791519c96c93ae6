import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'csv-parse/sync';

/**
 * Opens a workbook in LibreOffice Calc (headless), the way a clerk's spreadsheet client would, and returns what each
 * sheet shows, cell by cell ("save cell contents as shown"), keyed by sheet name.
 */
export function openInLibreOffice(xlsx: string, outDir: string): Map<string, string[][]> {
  mkdirSync(outDir, { recursive: true });
  const profile = join(outDir, 'lo-profile');
  execFileSync(
    'soffice',
    [
      `-env:UserInstallation=file://${profile}`,
      '--headless',
      '--norestore',
      '--convert-to',
      'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1',
      '--outdir',
      outDir,
      xlsx,
    ],
    { stdio: 'pipe', timeout: 120_000 },
  );
  const stem = basename(xlsx).replace(/\.xlsx$/, '');
  const sheets = new Map<string, string[][]>();
  for (const f of readdirSync(outDir)) {
    if (!f.startsWith(stem + '-') || !f.endsWith('.csv')) continue;
    const sheet = f.slice(stem.length + 1, -4);
    sheets.set(sheet, parse(readFileSync(join(outDir, f), 'utf8'), { relax_column_count: true }) as string[][]);
  }
  return sheets;
}

/** Opens a workbook in LibreOffice Calc and saves it again as .xlsx: what survives is what LibreOffice understood. */
export function resaveInLibreOffice(xlsx: string, outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  execFileSync(
    'soffice',
    [
      `-env:UserInstallation=file://${join(outDir, 'lo-profile')}`,
      '--headless',
      '--norestore',
      '--convert-to',
      'xlsx:Calc MS Excel 2007 XML',
      '--outdir',
      outDir,
      xlsx,
    ],
    { stdio: 'pipe', timeout: 120_000 },
  );
  return join(outDir, basename(xlsx));
}
