import JSZip from 'jszip';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDigit } from '../../shared/id/id-number';
import { Workspace } from '../../electron/core/db/workspace';
import { exportWorkbooks } from '../../electron/core/export/export-all';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch } from '../../electron/core/match/run-match';
import { tempDir, writeCsv } from '../helpers/files';
import { openInLibreOffice } from '../helpers/libreoffice';

const dir = tempDir();
const id = (f: string) => f + checkDigit(f);

describe('导出文件里不会出现公式', () => {
  it('neutralises = + - @ (and full-width forms) in CSV and writes plain strings in xlsx that LibreOffice shows as typed', async () => {
    const ws = Workspace.open(join(dir, 'w.canbao'), { create: true });
    const evil = ['=HYPERLINK("http://example.invalid","点击")', '+86-123', '-1+1', '@SUM(A1)', '＝1+1'];
    await importFile(
      ws,
      writeCsv(join(dir, 'base.csv'), [
        ['姓名', '身份证号码', '乡镇', '村（社区）', '联系电话'],
        ...evil.map((name, i) => [
          `"${name.replace(/"/g, '""')}"`,
          id(`6109231990010${i}00`.slice(0, 17)),
          '城关镇',
          '金星村',
          name,
        ]),
      ]),
      { kind: 'population', year: 2026 },
    );
    await importFile(
      ws,
      writeCsv(join(dir, 'emp.csv'), [
        ['姓名', '身份证号码'],
        ['张伟', id('61092319850312001')],
      ]),
      { kind: 'employee', year: 2026 },
    );
    runMatch(ws);
    const csv = await exportWorkbooks(ws.db, {
      dir: join(dir, 'csv'),
      what: ['ledger'],
      mask: 'full',
      format: 'csv',
      actor: '测试',
    });
    const text = readFileSync(csv.files[0]!.file, 'utf8');
    for (const name of evil) expect(text).toContain(`'${name.startsWith('=H') ? '=HYPERLINK(""' : name}`);
    expect(text.split('\n').some((l) => /(^|,)[=+\-@＝]/.test(l))).toBe(false);

    const xlsx = await exportWorkbooks(ws.db, {
      dir: join(dir, 'xlsx'),
      what: ['ledger'],
      mask: 'full',
      format: 'xlsx',
      actor: '测试',
    });
    const file = xlsx.files[0]!.file;
    const zip = await JSZip.loadAsync(readFileSync(file));
    for (const n of Object.keys(zip.files).filter((k) => k.startsWith('xl/worksheets/')))
      expect(await zip.file(n)!.async('string')).not.toMatch(/<f[ >]/);
    const shown = openInLibreOffice(file, join(dir, 'lo')).get('金星村')!;
    const nameColumn = shown.find((r) => r.includes('姓名'))!.indexOf('姓名');
    const names = shown.map((r) => r[nameColumn]);
    for (const name of evil) expect(names).toContain(name);
    ws.close();
  });
});
