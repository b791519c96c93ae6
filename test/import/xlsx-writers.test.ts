import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { checkDigit } from '../../shared/id/id-number';
import { tempDir } from '../helpers/files';
import { serial1904, writeSheetJs } from '../helpers/other-writers';

const dir = tempDir();
const id = (f17: string) => f17 + checkDigit(f17);
const ZHANG = id('61092319850312001');
const LI = id('61092319900102002');
let n = 0;
const ws = () => Workspace.open(join(dir, `w${++n}.canbao`), { create: true });

describe('导入：SheetJS 写出的 xlsx（工作表部件在 workbook.xml 之前）', () => {
  it('imports the same SheetJS-written file 50 times in a row, every time', async () => {
    const file = await writeSheetJs(join(dir, 'sheetjs.xlsx'), {
      城关镇: [
        ['姓名', '身份证号码', '村'],
        ['张伟', ZHANG, '金星村'],
        ['李晓明', LI, '金星村'],
      ],
    });
    const failures: string[] = [];
    for (let i = 0; i < 50; i++) {
      const w = ws();
      try {
        const s = await importFile(w, file, { kind: 'employee', year: 2026, asOf: '2026-11-23' });
        const ids = w.db.prepare('SELECT id_number FROM record ORDER BY rowid').pluck().all();
        if (s.records !== 2 || ids.join() !== [ZHANG, LI].join()) failures.push(`run ${i}: ${s.records} records`);
      } catch (e) {
        failures.push(`run ${i}: ${(e as Error).message}`);
      } finally {
        w.close();
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});

describe('导入：1904 日期系统与纵向合并的乡镇/村', () => {
  const rows = (birth: (iso: string) => number | string) => [
    ['乡镇', '村', '姓名', '身份证号码', '出生日期'],
    ['城关镇', '金星村', '张伟', ZHANG, birth('1985-03-12')],
    [null, null, '李晓明', LI, birth('1990-01-02')],
    [null, '南街社区', '王芳', id('61092319700101002'), birth('1970-01-01')],
  ];

  it('reads dates of a 1904-date-system xlsx on the right day', async () => {
    const file = await writeSheetJs(
      join(dir, 'mac1904.xlsx'),
      { 花名册: rows((iso) => serial1904(iso)) },
      { date1904: true, dateColumns: [4] },
    );
    const w = ws();
    await importFile(w, file, { kind: 'population', year: 2026, asOf: '2026-11-23' });
    const issues = w.db.prepare(`SELECT code FROM quality_issue WHERE code = 'birthMismatch'`).all();
    expect(issues).toEqual([]);
    w.close();
  });

  it('fills merged 乡镇/村 cells down to every row and records that it did', async () => {
    const file = await writeSheetJs(
      join(dir, 'merged.xlsx'),
      { 花名册: rows((iso) => iso) },
      { merges: { 花名册: ['A2:A4', 'B2:B3'] } },
    );
    const w = ws();
    await importFile(w, file, { kind: 'population', year: 2026, asOf: '2026-11-23' });
    const recs = w.db.prepare('SELECT source_row AS row, township, village FROM record ORDER BY rowid').all();
    expect(recs).toEqual([
      { row: 2, township: '城关镇', village: '金星村' },
      { row: 3, township: '城关镇', village: '金星村' },
      { row: 4, township: '城关镇', village: '南街社区' },
    ]);
    const fills = w.db
      .prepare(
        `SELECT source_row AS row, column_letter AS col, message FROM quality_issue WHERE code = 'mergedFill' ORDER BY source_row, column_letter`,
      )
      .all();
    expect(fills).toEqual([
      { row: 3, col: 'A', message: '乡镇（街道）取自第2行的合并单元格' },
      { row: 3, col: 'B', message: '村（社区）取自第2行的合并单元格' },
      { row: 4, col: 'A', message: '乡镇（街道）取自第2行的合并单元格' },
    ]);
    w.close();
  });
});
