import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { maskPhone, previewFile } from '../../electron/core/import/preview';

const dir = mkdtempSync(join(tmpdir(), 'canbao-preview-mask-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('导入预览与其他页面一样脱敏', () => {
  it('shows ID numbers 6-4 and phone numbers 3-4, never whole', async () => {
    const file = join(dir, '名册.csv');
    writeFileSync(
      file,
      '姓名,身份证号码,联系电话,备注\n王小明,61092319900102123X,13812345678,\n李四,610923198511110021,13987654321,61092319900102123X\n',
    );
    const p = await previewFile(file);
    const text = JSON.stringify(p);
    expect(text).not.toContain('61092319900102123X');
    expect(text).not.toContain('13812345678');
    const cells = p.sheets[0]!.rows.map((r) => r.cells);
    expect(cells[0]).toEqual(['王小明', '610923********123X', '138****5678', '']);
    expect(cells[1]![3]).toBe('610923********123X');
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
});
