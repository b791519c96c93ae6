import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { importSubsidyList } from '../../electron/core/subsidy/subsidy-import';
import { tempDir } from '../helpers/files';

const dir = tempDir();
const write = (name: string, aoa: unknown[][]) => {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), '名单');
  const file = join(dir, name);
  writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  return file;
};
const HEADER = ['序号', '姓名', '身份证号码', '镇（街）', '村（居）', '医疗救助身份'];
const tables = (ws: Workspace) =>
  ['subsidy_list', 'subsidy_member', 'subsidy_change', 'audit_log'].map((t) =>
    ws.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get(),
  );

describe('资助名单有缺项时整份拒收，工作区不变（R4.5）', () => {
  it('names every row without a usable ID or identity, and imports nothing', async () => {
    const ws = Workspace.open(join(dir, 'w.canbao'), { create: true });
    const good = write('民政_10月.xlsx', [
      ['2026年10月医疗救助对象全量名单'],
      HEADER,
      [1, '王芳', '610923199001020010', '城关镇', '南街社区', '低保'],
    ]);
    await importSubsidyList(ws.db, good, { department: '民政', month: '2026-10', actor: '王芳' });
    const before = tables(ws);
    const bad = write('民政_11月.xlsx', [
      ['2026年11月医疗救助对象全量名单'],
      HEADER,
      [1, '王芳', '610923199001020010', '城关镇', '南街社区', '低保'],
      [2, '李四', '', '城关镇', '南街社区', '特困'],
      [3, '张三', '610923199001020037', '城关镇', '南街社区', '待定'],
      [4, '赵六', '610923198503040026', '城关镇', '南街社区', '低保'],
    ]);
    const e = await importSubsidyList(ws.db, bad, { department: '民政', month: '2026-11', actor: '王芳' }).then(
      () => null,
      (x: Error) => x,
    );
    expect(e?.message).toMatch(/民政_11月\.xlsx.*3 行/);
    expect(e?.message).toMatch(/第4行 C列：没有填写身份证号/);
    expect(e?.message).toMatch(/第5行 F列：身份“待定”无法识别/);
    expect(e?.message).toMatch(/第6行 C列：身份证号“610923198503040026”，校验位应为5/); // a typo is no usable ID
    expect(tables(ws)).toEqual(before);
    ws.close();
  });

  it('refuses a month earlier than one already imported, and lets the latest month be corrected', async () => {
    const ws = Workspace.open(join(dir, 'w2.canbao'), { create: true });
    const list = (n: number) =>
      write(`残联_${n}.xlsx`, [HEADER, [1, '王芳', '610923199001020010', '城关镇', '南街社区', '重度残疾（1-2级）']]);
    await importSubsidyList(ws.db, list(10), { department: '残联', month: '2026-10', actor: '王芳' });
    await expect(
      importSubsidyList(ws.db, list(9), { department: '残联', month: '2026-09', actor: '王芳' }),
    ).rejects.toThrow(/已导入到 2026-10，不能再导入更早的 2026-09/);
    const again = await importSubsidyList(ws.db, list(10), { department: '残联', month: '2026-10', actor: '王芳' });
    expect(again).toMatchObject({ replaced: true, rows: 1, added: 1 });
    expect(ws.db.prepare('SELECT count(*) FROM subsidy_list').pluck().get()).toBe(1);
    ws.close();
  });
});
