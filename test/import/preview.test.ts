import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDigit } from '../../shared/id/id-number';
import { previewFile } from '../../electron/core/import/preview';
import { tempDir, writeCsv, writeXlsx } from '../helpers/files';

const dir = tempDir();
const id = (f: string) => f + checkDigit(f);

describe('导入前的预览', () => {
  it('shows the detected header row, the column mapping, each row’s problems and why rows are skipped', async () => {
    const file = await writeXlsx(join(dir, 'p.xlsx'), {
      城关镇: [
        ['城关镇2026年度城乡居民基本医疗保险参保花名册'],
        ['序号', '姓名', '身份证号码', '性别'],
        [1, '张伟', id('61092319850312001'), '男'],
        [2, '李娜', '6.10923E+17', '女'],
        ['合计', '2人'],
      ],
    });
    const p = await previewFile(file);
    const s = p.sheets[0]!;
    expect(s).toMatchObject({ name: '城关镇', headerRow: 2, mapping: { seq: 0, name: 1, idNumber: 2, gender: 3 } });
    expect(s.rows.find((r) => r.rowNumber === 1)!.skipped).toBe('表头上方的标题行');
    expect(s.rows.find((r) => r.rowNumber === 3)!.problems).toEqual([]);
    expect(s.rows.find((r) => r.rowNumber === 4)!.problems).toEqual([
      { column: 2, message: expect.stringContaining('被Excel损坏') },
    ]);
    expect(s.rows.find((r) => r.rowNumber === 5)!.skipped).toBe('合计/小计行');
  });

  it('takes a header row the clerk names, even with words it does not know', async () => {
    const file = writeCsv(join(dir, 'odd.csv'), [['说明'], ['甲', '乙'], ['张伟', id('61092319850312001')]]);
    const auto = await previewFile(file);
    expect(auto.sheets[0]!.headerRow).toBeNull();
    const named = await previewFile(file, { headerRow: 2 });
    expect(named.sheets[0]).toMatchObject({ headerRow: 2, header: ['甲', '乙'], mapping: {} });
  });
});

describe('多工作表的 xlsx', () => {
  it('lists every sheet for the clerk to choose, while previewing only the first', async () => {
    const file = await writeXlsx(join(dir, 'many.xlsx'), {
      城关镇: [
        ['姓名', '身份证号码'],
        ['张伟', id('61092319850312001')],
      ],
      江口镇: [
        ['姓名', '身份证号码'],
        ['李娜', id('61092319900102002')],
      ],
      '说明 & 备注': [['本表由系统导出']],
    });
    const p = await previewFile(file);
    expect(p.sheetNames).toEqual(['城关镇', '江口镇', '说明 & 备注']);
    expect(p.sheets.map((s) => s.name)).toEqual(['城关镇']);
  });
});
