import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { CanbaoError } from '../../electron/core/errors';
import { importFile } from '../../electron/core/import/import-file';
import { PASSWORD_MESSAGE } from '../../electron/core/import/read-errors';
import { checkDigit, convert15to18 } from '../../shared/id/id-number';
import { tempDir, writeXlsx } from '../helpers/files';
import {
  writeBiff5Gbk,
  writeEncryptedXls,
  writeEncryptedXlsx,
  writeSheetJs,
  writeText,
  type Aoa,
} from '../helpers/other-writers';

/**
 * One roll, written by every kind of writer clerks receive files from, imported into a fresh workspace each: the
 * records, their fields and ID statuses must come out the same whoever wrote the file, and no message may hold a
 * Latin word (library English, program internals) other than a file name.
 */
const dir = tempDir('canbao-corpus-');
const id = (f17: string) => f17 + checkDigit(f17);
const ZHANG = id('61092319850312001');
const LI = id('61092319900102002');
const WANG15 = '610923700101002';
const bad = (f: string) => f.slice(0, 17) + (f[17] === '0' ? '1' : '0');
const MAIMAITI_BAD = bad(id('65010119780605003'));

const HEADER = ['乡镇', '村', '姓名', '身份证号码', '性别', '出生日期'];
const PEOPLE = [
  ['城关镇', '金星村', '张伟', ZHANG, '男', '1985-03-12'],
  ['城关镇', '金星村', '李晓明', LI, '女', '1990-01-02'],
  ['城关镇', '南街社区', '王芳', WANG15, '女', '1970-01-01'],
  ['城关镇', '南街社区', '买买提·艾力', MAIMAITI_BAD, '男', '1978-06-05'],
];
const EXPECTED = [
  { name: '张伟', nameKey: '张伟', id: ZHANG, status: 'valid', village: '金星村', birth: '1985-03-12', gender: 'M' },
  { name: '李晓明', nameKey: '李晓明', id: LI, status: 'valid', village: '金星村', birth: '1990-01-02', gender: 'F' },
  {
    name: '王芳',
    nameKey: '王芳',
    id: convert15to18(WANG15),
    status: 'converted15',
    village: '南街社区',
    birth: '1970-01-01',
    gender: 'F',
  },
  {
    name: '买买提·艾力',
    nameKey: '买买提艾力',
    id: null,
    status: 'badChecksum',
    village: '南街社区',
    birth: '1978-06-05',
    gender: 'M',
  },
];
const ROWS: Aoa = [['城关镇2026年度城乡居民医保参保花名册'], HEADER, ...PEOPLE];
const asDates = (rows: Aoa): Aoa =>
  rows.map((r, i) => (i < 2 ? r : r.map((c, j) => (j === 5 ? new Date(c + 'T00:00:00Z') : c))));
const csvLines = (rows: Aoa) => rows.map((r) => r.map((c) => String(c ?? '')));

const corpus: { label: string; file: string }[] = [];
const add = (label: string, file: string) => corpus.push({ label, file });

function libreOffice(input: string, filter: string, outDir: string): void {
  execFileSync(
    'soffice',
    [
      `-env:UserInstallation=file://${join(dir, 'lo-profile')}`,
      '--headless',
      '--norestore',
      '--convert-to',
      filter,
      '--outdir',
      outDir,
      input,
    ],
    { stdio: 'pipe', timeout: 180_000 },
  );
}

async function wpsLike(from: string, to: string): Promise<string> {
  // WPS writes its own docProps/custom.xml (KSOProductBuildVer) and puts shared strings after the worksheets.
  const src = await JSZip.loadAsync(readFileSync(from));
  const out = new JSZip();
  const names = Object.keys(src.files).filter((n) => !src.files[n]!.dir);
  const order = [
    ...names.filter((n) => n.startsWith('xl/worksheets/')),
    ...names.filter((n) => !n.startsWith('xl/worksheets/')),
  ];
  for (const n of order.filter((n) => n !== 'xl/sharedStrings.xml'))
    out.file(n, await src.file(n)!.async('nodebuffer'));
  out.file('xl/sharedStrings.xml', await src.file('xl/sharedStrings.xml')!.async('nodebuffer'));
  out.file(
    'docProps/custom.xml',
    '<?xml version="1.0" encoding="UTF-8"?><Properties><property name="KSOProductBuildVer"><vt:lpwstr>2052-11.1.0.14309</vt:lpwstr></property></Properties>',
  );
  writeFileSync(to, await out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return to;
}

function htmlTable(path: string): string {
  const cell = (c: unknown, i: number) =>
    `<td${i === 3 ? ` style="mso-number-format:'\\@'"` : ''}>${String(c ?? '')}</td>`;
  const body = ROWS.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n');
  writeFileSync(path, `<html><head><meta charset="utf-8"></head><body><table>\n${body}\n</table></body></html>`);
  return path;
}

beforeAll(async () => {
  const exceljs = await writeXlsx(join(dir, 'exceljs.xlsx'), { 城关镇: asDates(ROWS) as never });
  add('exceljs', exceljs);
  add('SheetJS xlsx (worksheets before workbook.xml)', await writeSheetJs(join(dir, 'sheetjs.xlsx'), { 城关镇: ROWS }));
  add(
    'SheetJS BIFF8 .xls',
    await writeSheetJs(join(dir, 'sheetjs-biff8.xls'), { 城关镇: ROWS }, { bookType: 'biff8' }),
  );
  add(
    'BIFF5 .xls (Excel 95, code page 936)',
    writeBiff5Gbk(join(dir, 'biff5.xls'), { 城关镇: ROWS }, (t) => iconv.encode(t, 'gbk')),
  );
  add(
    'SpreadsheetML 2003 .xls',
    await writeSheetJs(join(dir, 'spreadsheetml.xls'), { 城关镇: ROWS }, { bookType: 'xlml' }),
  );
  add('WPS-like xlsx', await wpsLike(exceljs, join(dir, 'wps.xlsx')));
  add('HTML table saved as .xls', htmlTable(join(dir, 'web-export.xls')));
  const lo = join(dir, 'lo');
  copyFileSync(exceljs, join(dir, 'libreoffice.xlsx'));
  libreOffice(join(dir, 'libreoffice.xlsx'), 'xlsx:Calc MS Excel 2007 XML', lo);
  libreOffice(join(dir, 'libreoffice.xlsx'), 'xls:MS Excel 97', lo);
  add('LibreOffice xlsx', join(lo, 'libreoffice.xlsx'));
  add('LibreOffice BIFF8 .xls', join(lo, 'libreoffice.xls'));
  const lines = csvLines(ROWS);
  add('CSV UTF-8 BOM CRLF', writeText(join(dir, 'utf8-bom.csv'), lines));
  add('CSV UTF-8 LF', writeText(join(dir, 'utf8-lf.csv'), lines, { endings: ['\n'], bom: false }));
  add('CSV mixed CRLF/LF/CR', writeText(join(dir, 'mixed.csv'), lines, { endings: ['\r\n', '\n', '\r'], bom: false }));
  const gb = join(dir, 'gb18030-cr.csv');
  writeFileSync(gb, iconv.encode(lines.map((l) => l.join(',')).join('\r') + '\r', 'gb18030'));
  add('CSV GB18030 CR', gb);
  add(
    'Unicode 文本 UTF-16LE tab',
    writeText(join(dir, 'unicode.txt'), lines, { delimiter: '\t', encoding: 'utf16le' }),
  );
  add('CSV UTF-16BE', writeText(join(dir, 'utf16be.csv'), lines, { encoding: 'utf16be' }));
  const asFormula = lines.map((l, i) => (i < 2 ? l : l.map((c, j) => (j === 3 ? `="${c}"` : c))));
  add('CSV with ="…" IDs', writeText(join(dir, 'formula-ids.csv'), asFormula));
  const gbXls = join(dir, 'csv-as.xls');
  writeFileSync(gbXls, iconv.encode(lines.map((l) => l.join(',')).join('\r\n'), 'gb18030'));
  add('GB18030 CSV saved as .xls', gbXls);
}, 300_000);

const LATIN_WORD = /[A-Za-z]{2,}/;
const withoutFileNames = (m: string) => m.replace(/文件“[^”]*”/g, '').replace(/Excel|WPS|CSV|\.xlsx|\.xls/g, '');

describe('导入语料：各种系统写出的同一名册', () => {
  it("reads every writer's file into the same records, fields and ID statuses, with Chinese-only messages", async () => {
    expect(corpus.length).toBeGreaterThanOrEqual(17);
    const problems: string[] = [];
    let n = 0;
    for (const { label, file } of corpus) {
      const w = Workspace.open(join(dir, `c${++n}.canbao`), { create: true });
      try {
        const s = await importFile(w, file, { kind: 'resident_rural', year: 2026, asOf: '2026-11-23' });
        const recs = w.db
          .prepare(
            'SELECT name, name_key AS nameKey, id_number AS id, id_status AS status, village, birth_date AS birth, gender, township FROM record ORDER BY rowid',
          )
          .all() as Record<string, unknown>[];
        const got = JSON.stringify(recs.map(({ township: _t, ...r }) => r));
        if (got !== JSON.stringify(EXPECTED)) problems.push(`${label}: ${got}`);
        if (recs.some((r) => r.township !== '城关镇')) problems.push(`${label}: township lost`);
        const messages = [
          ...(w.db.prepare('SELECT message FROM quality_issue').pluck().all() as string[]),
          ...s.skippedSheets.map((k) => k.reason),
        ];
        for (const m of messages) if (LATIN_WORD.test(withoutFileNames(m))) problems.push(`${label}: message "${m}"`);
        const codes = w.db.prepare('SELECT code FROM quality_issue ORDER BY id').pluck().all();
        if (JSON.stringify(codes) !== JSON.stringify(['id_converted15', 'id_badChecksum']))
          problems.push(`${label}: issues ${codes}`);
      } catch (e) {
        problems.push(`${label}: ${(e as Error).message}`);
      } finally {
        w.close();
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('refuses encrypted and damaged files with a Chinese message that says what to do', async () => {
    const refused = [
      writeEncryptedXlsx(join(dir, 'locked.xlsx')),
      writeEncryptedXls(join(dir, 'locked.xls'), { 城关镇: ROWS }),
    ];
    const truncated = join(dir, 'truncated.xlsx');
    writeFileSync(truncated, readFileSync(corpus[0]!.file).subarray(0, 900));
    refused.push(truncated);
    let n = 0;
    for (const file of refused) {
      const w = Workspace.open(join(dir, `r${++n}.canbao`), { create: true });
      try {
        await expect(importFile(w, file, { kind: 'resident_rural', year: 2026 })).rejects.toSatisfy((e: unknown) => {
          const m = (e as CanbaoError).message;
          return (
            e instanceof CanbaoError &&
            !LATIN_WORD.test(withoutFileNames(m)) &&
            (file === truncated ? m.includes('另存为 .xlsx 再导入') : m.includes(PASSWORD_MESSAGE))
          );
        });
        expect(w.db.prepare('SELECT count(*) FROM record').pluck().get()).toBe(0);
      } finally {
        w.close();
      }
    }
  });
});
