import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { CanbaoError } from '../../electron/core/errors';
import { importFile, type ImportOptions } from '../../electron/core/import/import-file';
import { previewFile } from '../../electron/core/import/preview';
import { PASSWORD_MESSAGE } from '../../electron/core/import/read-errors';
import { checkDigit } from '../../shared/id/id-number';
import { tempDir } from '../helpers/files';
import { serial1904, writeEncryptedXls, writeEncryptedXlsx, writeSheetJs, writeText } from '../helpers/other-writers';

const dir = tempDir();
const id = (f17: string) => f17 + checkDigit(f17);
const ZHANG = id('61092319850312001');
const LI = id('61092319900102002');
const WANG = id('61092319700101002');
let n = 0;
const opts: ImportOptions = { kind: 'resident_rural', year: 2026, asOf: '2026-11-23' };

async function run(file: string, o: Partial<ImportOptions> = {}) {
  const w = Workspace.open(join(dir, `w${++n}.canbao`), { create: true });
  try {
    const summary = await importFile(w, file, { ...opts, ...o });
    const records = w.db
      .prepare(
        'SELECT name, id_number AS id, id_status AS status, birth_date AS birth, township, village FROM record ORDER BY rowid',
      )
      .all() as Record<string, unknown>[];
    const issues = w.db.prepare('SELECT source_row AS row, code, message FROM quality_issue ORDER BY id').all() as {
      row: number;
      code: string;
      message: string;
    }[];
    return { summary, records, issues };
  } finally {
    w.close();
  }
}

async function refusal(file: string): Promise<CanbaoError> {
  const w = Workspace.open(join(dir, `w${++n}.canbao`), { create: true });
  try {
    await importFile(w, file, opts);
  } catch (e) {
    expect(w.db.prepare('SELECT count(*) FROM record').pluck().get()).toBe(0);
    return e as CanbaoError;
  } finally {
    w.close();
  }
  throw new Error('imported although it should have been refused');
}

const HEADER = ['乡镇', '村', '姓名', '身份证号码', '出生日期'];

describe('导入：其他系统写出的 xls', () => {
  it('reads a 1904-date-system .xls on the right day', async () => {
    const file = await writeSheetJs(
      join(dir, 'mac1904.xls'),
      { 花名册: [HEADER, ['城关镇', '金星村', '张伟', ZHANG, serial1904('1985-03-12')]] },
      { bookType: 'biff8', date1904: true, dateColumns: [4] },
    );
    const { records, issues } = await run(file);
    expect(records[0]).toMatchObject({ status: 'valid', birth: '1985-03-12' });
    expect(issues.filter((i) => i.code === 'birthMismatch')).toEqual([]);
  });

  it('fills merged 乡镇/村 cells of an .xls down and records each fill', async () => {
    const file = await writeSheetJs(
      join(dir, 'merged.xls'),
      {
        花名册: [HEADER, ['城关镇', '金星村', '张伟', ZHANG, '1985-03-12'], [null, null, '李晓明', LI, '1990-01-02']],
      },
      { bookType: 'biff8', merges: { 花名册: ['A2:A3', 'B2:B3'] } },
    );
    const { records, issues } = await run(file);
    expect(records.map((r) => [r.township, r.village])).toEqual([
      ['城关镇', '金星村'],
      ['城关镇', '金星村'],
    ]);
    expect(issues.filter((i) => i.code === 'mergedFill').map((i) => [i.row, i.message])).toEqual([
      [3, '乡镇（街道）取自第2行的合并单元格'],
      [3, '村（社区）取自第2行的合并单元格'],
    ]);
  });

  it('reads a CSV saved under an .xls name as text, keeping every ID digit', async () => {
    const file = writeText(join(dir, 'csv-named.xls'), [HEADER, ['城关镇', '金星村', '张伟', ZHANG, '19850312']], {
      bom: false,
    });
    const { summary, records } = await run(file);
    expect(summary.format).toBe('csv');
    expect(records).toEqual([
      { name: '张伟', id: ZHANG, status: 'valid', birth: '1985-03-12', township: '城关镇', village: '金星村' },
    ]);
  });
});

describe('导入：CSV 与文本的写法', () => {
  it('splits rows at every line ending in a file mixing CRLF, LF and CR', async () => {
    const file = writeText(
      join(dir, 'mixed.csv'),
      [
        HEADER,
        ['城关镇', '金星村', '张伟', ZHANG, ''],
        ['城关镇', '金星村', '李晓明', LI, ''],
        ['城关镇', '南街社区', '王芳', WANG, ''],
      ],
      { endings: ['\r\n', '\n', '\r', '\r\n'] },
    );
    const { records } = await run(file);
    expect(records.map((r) => r.id)).toEqual([ZHANG, LI, WANG]);
  });

  it('reads Excel\'s "Unicode 文本" (UTF-16LE, tab-separated) and a UTF-16BE CSV', async () => {
    const rows = [HEADER, ['城关镇', '金星村', '欧阳梓萱', LI, '1990-01-02']];
    const le = await run(writeText(join(dir, 'unicode.txt'), rows, { delimiter: '\t', encoding: 'utf16le' }));
    expect(le.summary.encoding).toBe('utf16le');
    expect(le.records[0]).toMatchObject({ name: '欧阳梓萱', id: LI, status: 'valid', village: '金星村' });
    const be = await run(writeText(join(dir, 'be.csv'), rows, { encoding: 'utf16be' }));
    expect(be.summary.encoding).toBe('utf16be');
    expect(be.records[0]).toMatchObject({ name: '欧阳梓萱', id: LI, status: 'valid' });
  });

  it('detects UTF-16 without a byte-order mark, and takes --encoding utf16le|utf16be as an override', async () => {
    const rows = [HEADER, ['城关镇', '金星村', '张伟', ZHANG, '']];
    const noBom = writeText(join(dir, 'nobom.txt'), rows, { delimiter: '\t', encoding: 'utf16le', bom: false });
    expect((await run(noBom)).records[0]).toMatchObject({ name: '张伟', id: ZHANG });
    const be = writeText(join(dir, 'nobom-be.csv'), rows, { encoding: 'utf16be', bom: false });
    expect((await run(be, { encoding: 'utf16be' })).records[0]).toMatchObject({ name: '张伟', id: ZHANG });
    const preview = await previewFile(be, { encoding: 'utf16be' });
    expect(preview.sheets[0]!.header).toEqual(HEADER);
  });

  it('reads ="610923…" cells (IDs kept as text for Excel) as the ID inside', async () => {
    const file = join(dir, 'formula-text.csv');
    writeFileSync(file, `姓名,身份证号码\r\n张伟,="${ZHANG}"\r\n李晓明,"=""${LI}"""\r\n`);
    const { records } = await run(file);
    expect(records.map((r) => [r.id, r.status])).toEqual([
      [ZHANG, 'valid'],
      [LI, 'valid'],
    ]);
  });
});

describe('导入：打不开的文件说清楚原因，只用中文', () => {
  it('refuses password-protected .xlsx and .xls, saying how to remove the password', async () => {
    for (const file of [
      writeEncryptedXlsx(join(dir, '加密.xlsx')),
      writeEncryptedXls(join(dir, '加密.xls'), { 花名册: [HEADER, ['城关镇', '金星村', '张伟', ZHANG, '']] }),
    ]) {
      const e = await refusal(file);
      expect(e.kind).toBe('fileUnreadable');
      expect(e.message).toContain(PASSWORD_MESSAGE);
    }
  });

  it('says in Chinese what to do with a damaged file, with no library words or program internals', async () => {
    const zipJunk = join(dir, '损坏.xlsx');
    writeFileSync(zipJunk, Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(300, 1)]));
    const oleJunk = join(dir, '损坏.xls');
    writeFileSync(
      oleJunk,
      Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600, 3)]),
    );
    for (const file of [zipJunk, oleJunk]) {
      const e = await refusal(file);
      expect(e.kind).toBe('fileUnreadable');
      expect(e.message).toMatch(/另存为 \.xlsx 再导入/);
      expect(e.message.replace(/文件“[^”]*”/g, '').replace(/Excel|WPS|CSV|xlsx/g, '')).not.toMatch(/[A-Za-z]{2,}/);
    }
  });
});
