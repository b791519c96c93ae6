import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readXlsx } from '../../electron/core/import/read-xlsx';
import { excelJS } from '../../electron/core/spreadsheet/exceljs';
import { tempDir } from '../helpers/files';

const dir = tempDir();

describe('大表格里的中文姓名', () => {
  it('reads every name intact even where a character straddles two zip chunks (exceljs streaming bug)', async () => {
    const path = join(dir, 'many-names.xlsx');
    const wb = new (excelJS().stream.xlsx.WorkbookWriter)({ filename: path, useSharedStrings: false });
    const ws = wb.addWorksheet('名单');
    const names: string[] = [];
    const chars = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗梅芬琴瑶福德慧颖婷萱涵轩睿';
    for (let i = 0; i < 30_000; i++) {
      const name = chars[i % chars.length]! + chars[(i * 7) % chars.length]! + chars[(i * 13) % chars.length]!;
      names.push(name);
      ws.addRow([name, `城关镇第${i}组`]).commit();
    }
    ws.commit();
    await wb.commit();
    const read: string[] = [];
    for await (const sheet of readXlsx(path)) for await (const row of sheet.rows) read.push(String(row.cells[0]));
    expect(read.filter((n) => n.includes('\ufffd'))).toEqual([]);
    expect(read).toEqual(names);
  });
});
