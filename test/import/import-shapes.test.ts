import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDigit } from '../../shared/id/id-number';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { importStatus } from '../../electron/core/workspace-status';
import { CanbaoError } from '../../electron/core/errors';
import { tempDir, writeCsv, writeXlsx } from '../helpers/files';

const dir = tempDir();
const id = (f17: string) => f17 + checkDigit(f17);
const ZHANG = id('61092319850312001'); // male, 1985-03-12
const LI = id('61092319900102002'); // female
const MAIMAITI = id('65010119780605003');
let n = 0;
const ws = () => Workspace.open(join(dir, `w${++n}.canbao`), { create: true });
const opts = { kind: 'resident_rural' as const, year: 2026, asOf: '2026-11-23' };

function records(w: Workspace) {
  return w.db
    .prepare(
      'SELECT source_row AS row, name, name_key AS nameKey, id_number AS id, id_status AS status, township, village, village_key AS villageKey, birth_date AS birth, gender FROM record ORDER BY rowid',
    )
    .all() as Record<string, unknown>[];
}

describe('导入：名册的真实形状', () => {
  it('finds the header below title rows and skips 合计, 小计, blank, repeated-header and footer rows', async () => {
    const file = await writeXlsx(join(dir, 'rural.xlsx'), {
      城关镇: [
        ['城关镇2026年度城乡居民基本医疗保险参保花名册'],
        ['填报单位（盖章）：城关镇人民政府', null, null, '填报日期：2026年3月1日'],
        ['序号', '村（社区）', '姓名', '身份证号码', '性别', '出生年月'],
        [1, '金星村民委员会', '张 伟', ZHANG, '男', '1985.03'],
        [2, '金星村', '李晓明', LI.toLowerCase(), '女', '199001'],
        [],
        ['小计', '金星村', '2人'],
        ['序号', '村（社区）', '姓名', '身份证号码', '性别', '出生年月'],
        [3, '南街社区居委会', '买买提.艾力', MAIMAITI, '男', '1978-06'],
        ['合计', null, '3人'],
        ['制表人：王芳', null, null, '审核人：'],
      ],
    });
    const w = ws();
    const s = await importFile(w, file, opts);
    expect(s.records).toBe(3);
    expect(s.sheets[0]).toMatchObject({ headerRow: 3, rowsRead: 11, imported: 3, township: '城关镇' });
    expect(s.sheets[0]!.skipped).toEqual({ title: 2, blank: 1, header: 1, total: 2, footer: 1, noPerson: 0 });
    const recs = records(w);
    expect(recs.map((r) => r.row)).toEqual([4, 5, 9]);
    expect(recs[0]).toMatchObject({
      name: '张 伟',
      nameKey: '张伟',
      id: ZHANG,
      status: 'valid',
      township: '城关镇',
      villageKey: '金星村',
      birth: '1985-03-12',
      gender: 'M',
    });
    expect(recs[1]).toMatchObject({ villageKey: '金星村', status: 'valid' });
    expect(recs[2]).toMatchObject({ nameKey: '买买提艾力', villageKey: '南街社区' });
    w.close();
  });

  it('reads a GB18030 CSV with data-element-code headers and decodes its coded values', async () => {
    const file = writeCsv(
      join(dir, 'emp.csv'),
      [
        ['职工基本医疗保险参保人员明细'],
        ['AAC001', 'AAC003', 'AAC002', 'AAC004', 'AAC006', 'AAB004', 'AAC008'],
        ['6109230001', '欧阳梓萱', LI, '2', '19900102', '县人民医院', '1'],
        ['6109230002', '张伟', '6.10923E+17', '1', '19850312', '县财政局', '4'],
        ['6109230003', '王小明', '', '1', '1990/13/45', '县财政局', '1'],
      ],
      'gb18030',
    );
    const w = ws();
    const s = await importFile(w, file, { ...opts, kind: 'employee' });
    expect(s).toMatchObject({ format: 'csv', encoding: 'gb18030', records: 3 });
    const recs = w.db
      .prepare(
        'SELECT name, id_status AS status, gender, unit_name AS unit, insured_status AS ins FROM record ORDER BY rowid',
      )
      .all();
    expect(recs).toEqual([
      { name: '欧阳梓萱', status: 'valid', gender: 'F', unit: '县人民医院', ins: 'active' },
      { name: '张伟', status: 'excelDamaged', gender: 'M', unit: '县财政局', ins: 'terminated' },
      { name: '王小明', status: 'missing', gender: 'M', unit: '县财政局', ins: 'active' },
    ]);
    const problems = w.db
      .prepare('SELECT source_row AS row, column_letter AS col, code FROM quality_issue ORDER BY id')
      .all();
    expect(problems).toContainEqual({ row: 4, col: 'C', code: 'id_excelDamaged' });
    expect(problems).toContainEqual({ row: 5, col: 'E', code: 'birthUnreadable' });
    w.close();
  });

  it('reads UTF-8 CSV with and without BOM, and honours an encoding override', async () => {
    const rows = [
      ['姓名', '身份证号'],
      ['张伟', ZHANG],
    ];
    for (const enc of ['utf8', 'utf8bom'] as const) {
      const w = ws();
      const s = await importFile(w, writeCsv(join(dir, `u-${enc}.csv`), rows, enc), opts);
      expect(s.encoding).toBe('utf8');
      expect(records(w)[0]).toMatchObject({ name: '张伟', status: 'valid', row: 2 });
      w.close();
    }
    const w = ws();
    const s = await importFile(w, writeCsv(join(dir, 'gb-forced.csv'), rows, 'gb18030'), {
      ...opts,
      encoding: 'gb18030',
    });
    expect(s.encoding).toBe('gb18030');
    expect(records(w)[0]!.name).toBe('张伟');
    w.close();
  });

  it('flags IDs Excel stored as numbers and birth dates or genders that disagree with the ID', async () => {
    const file = await writeXlsx(join(dir, 'damaged.xlsx'), {
      名单: [
        ['姓名', '身份证号码', '性别', '出生日期'],
        ['张伟', Number(ZHANG), '男', '1985-03-12'],
        ['李娜', LI, '男', { numFmt: 'yyyy-mm-dd', value: new Date(Date.UTC(1991, 0, 2)) }],
        ['王芳', '110105491231002', '女', '1949-12-31'],
      ],
    });
    const w = ws();
    await importFile(w, file, opts);
    expect(records(w).map((r) => r.status)).toEqual(['excelDamaged', 'valid', 'converted15']);
    const codes = (
      w.db.prepare('SELECT source_row AS row, code FROM quality_issue ORDER BY id').all() as {
        row: number;
        code: string;
      }[]
    ).map((q) => `${q.row}:${q.code}`);
    expect(codes).toEqual(['2:id_excelDamaged', '3:birthMismatch', '3:genderMismatch', '4:id_converted15']);
    w.close();
  });

  it('imports only the chosen sheets and names the missing one with the sheets that exist', async () => {
    const file = await writeXlsx(join(dir, 'two.xlsx'), {
      说明: [['本表由系统导出']],
      东河乡: [
        ['姓名', '身份证号码'],
        ['张伟', ZHANG],
      ],
      城关镇: [
        ['姓名', '身份证号码'],
        ['李娜', LI],
      ],
    });
    const w = ws();
    const all = await importFile(w, file, opts);
    expect(all.sheets.map((s) => s.sheet)).toEqual(['东河乡', '城关镇']);
    expect(all.skippedSheets.map((s) => s.sheet)).toEqual(['说明']);
    const w2 = ws();
    const one = await importFile(w2, file, { ...opts, sheets: ['城关镇'] });
    expect(one.sheets.map((s) => s.sheet)).toEqual(['城关镇']);
    await expect(importFile(w2, file, { ...opts, sheets: ['西河乡'], allowSameFile: true })).rejects.toThrow(
      /找不到工作表“西河乡”.*东河乡/,
    );
    w.close();
    w2.close();
  });

  it('uses a mapping override and remembers it for the next file with the same header', async () => {
    const rows = [
      ['甲', '乙', '丙'],
      ['张伟', ZHANG, '金星村'],
      ['李娜', LI, '金星村'],
    ];
    const first = await writeXlsx(join(dir, 'odd1.xlsx'), { S: rows });
    const second = await writeXlsx(join(dir, 'odd2.xlsx'), { S: [...rows, ['王芳', '', '南街社区']] });
    const w = ws();
    await expect(importFile(w, first, opts)).rejects.toThrow(/没有找到可导入的工作表/);
    const s = await importFile(w, first, { ...opts, headerRow: 1, mapping: { name: 0, idNumber: 1, village: 2 } });
    expect(s.records).toBe(2);
    const again = await importFile(w, second, { ...opts, headerRow: 1 });
    expect(again.sheets[0]!.mapping).toMatchObject({ name: 0, idNumber: 1, village: 2 });
    expect(again.records).toBe(3);
    w.close();
  });
});

describe('导入：要么全部成功，要么工作区不变', () => {
  it('rolls back a file that fails part-way, leaving records, rolls, issues and the log as they were', async () => {
    const w = ws();
    await importFile(
      w,
      writeCsv(join(dir, 'ok.csv'), [
        ['姓名', '身份证号'],
        ['张伟', ZHANG],
      ]),
      opts,
    );
    const before = { ...importStatus(w.db), audit: w.db.prepare('SELECT count(*) AS n FROM audit_log').get() };
    // Second sheet has a header but the explicit mapping points outside the table: the first sheet's rows must go too.
    const bad = await writeXlsx(join(dir, 'bad.xlsx'), {
      A: [
        ['姓名', '身份证号码'],
        ['李娜', LI],
      ],
      B: [
        ['序号', '备注'],
        [1, 'x'],
      ],
    });
    await expect(importFile(w, bad, { ...opts, sheets: ['A', 'B'] })).rejects.toMatchObject({
      kind: 'noHeader',
      message: expect.stringContaining('工作表“B”'),
    });
    expect({ ...importStatus(w.db), audit: w.db.prepare('SELECT count(*) AS n FROM audit_log').get() }).toEqual(before);
    w.close();
  });

  it('rolls back when the clerk cancels', async () => {
    const w = ws();
    const rows = [['姓名', '身份证号']];
    for (let i = 0; i < 10_000; i++) rows.push(['张伟', ZHANG]);
    const controller = new AbortController();
    const p = importFile(w, writeCsv(join(dir, 'big.csv'), rows), {
      ...opts,
      signal: controller.signal,
      onProgress: (pr) => pr.done > 0 && controller.abort(),
    });
    await expect(p).rejects.toMatchObject({ kind: 'cancelled' });
    expect(importStatus(w.db).records).toBe(0);
    expect(w.db.prepare('SELECT count(*) AS n FROM roll').get()).toEqual({ n: 0 });
    w.close();
  });

  it('refuses the same file twice for the same kind and year', async () => {
    const w = ws();
    const f = writeCsv(join(dir, 'twice.csv'), [
      ['姓名', '身份证号'],
      ['张伟', ZHANG],
    ]);
    await importFile(w, f, opts);
    await expect(importFile(w, f, opts)).rejects.toBeInstanceOf(CanbaoError);
    await expect(importFile(w, f, opts)).rejects.toThrow(/文件“twice.csv”.*已于.*导入过/);
    expect(importStatus(w.db).records).toBe(1);
    w.close();
  });

  it('names a damaged workbook and leaves the workspace as it was', async () => {
    const w = ws();
    const broken = join(dir, '损坏的名册.xlsx');
    writeFileSync(broken, Buffer.from('PK\u0003\u0004 这不是一个完整的压缩包'.repeat(50)));
    await expect(importFile(w, broken, opts)).rejects.toMatchObject({
      kind: 'fileUnreadable',
      message: expect.stringContaining('文件“损坏的名册.xlsx”：无法读取文件'),
    });
    expect(importStatus(w.db).records).toBe(0);
    expect(w.db.prepare('SELECT count(*) AS n FROM roll').get()).toEqual({ n: 0 });
    w.close();
  });

  it('names the file when the format is not supported', async () => {
    const w = ws();
    await expect(importFile(w, writeCsv(join(dir, 'x.pdf'), [['a']]), opts)).rejects.toThrow(
      /文件“x.pdf”：不支持的文件类型“.pdf”/,
    );
    w.close();
  });
});
