import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_CODE } from '../../electron/core/cli/exit-codes';
import { cli } from '../helpers/run-cli';
import { generateCounty } from '../fixtures/county-generator';
import { writeAmbiguousRoll } from '../helpers/ambiguous-roll';
import { tempDir, writeCsv } from '../helpers/files';

const dir = tempDir('canbao-cli-');

describe('命令行 canbao', () => {
  it('imports, reports status, matches, lists and decides review pairs, finds people and exports the linkage CSV', async () => {
    const { truth } = await generateCounty({ people: 1500, seed: 77, out: join(dir, 'county') });
    const ws = join(dir, 'w.canbao');
    for (const f of truth.files) {
      const r = await cli('import', '--workspace', ws, '--kind', f.kind, '--year', '2026', f.path, '--json');
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out).records).toBe(f.records);
    }
    const supplement = writeAmbiguousRoll(ws, join(dir, '补录名册.csv'));
    expect(
      (await cli('import', '--workspace', ws, '--kind', 'resident_urban', '--year', '2026', supplement)).code,
    ).toBe(0);
    const before = JSON.parse((await cli('status', '--workspace', ws, '--json')).out);
    expect(before).toMatchObject({ records: truth.files.reduce((a, f) => a + f.records, 0) + 6, matched: false });
    expect(Object.keys(before.idStatus).sort()).toEqual([
      'badChecksum',
      'converted15',
      'excelDamaged',
      'malformed',
      'missing',
      'valid',
    ]);
    expect(before.rolls[0]).toMatchObject({ file: '户籍人口底册.xlsx', kind: 'population', year: 2026 });

    const m = await cli('match', '--workspace', ws, '--json');
    expect(m.code, m.err).toBe(0);
    const matched = JSON.parse(m.out);
    const after = JSON.parse((await cli('status', '--workspace', ws, '--json')).out);
    for (const k of ['persons', 'duplicates', 'uninsured', 'notInBase', 'reviewPending']) {
      expect(typeof after[k], k).toBe('number');
      expect(after[k], k).toBe(matched[k]);
    }

    const list = JSON.parse((await cli('review', '--workspace', ws, '--list', '--json')).out);
    expect(list.pending).toBe(after.reviewPending);
    expect(list.pairs.length).toBeGreaterThan(0);
    {
      expect(list.pairs[0].a.idMasked).toMatch(/^\d{6}\*+[\dX]{4}$/); // masked by default
      const d = await cli('review', '--workspace', ws, '--decide', String(list.pairs[0].id), 'same', '--by', '王芳');
      expect(d.code).toBe(0);
      expect(JSON.parse((await cli('review', '--workspace', ws, '--list', '--json')).out).pending).toBe(
        list.pending - 1,
      );
    }

    const name = (await cli('find', '--workspace', ws, '--json', '王')).out;
    expect(JSON.parse(name).hits.length).toBeGreaterThan(0);

    const out = join(dir, 'export');
    const e = await cli(
      'export',
      '--workspace',
      ws,
      '--what',
      'linkage',
      '--format',
      'csv',
      '--mask',
      '3-4',
      '--out',
      out,
    );
    expect(e.code, e.err).toBe(0);
    const csv = readFileSync(
      join(
        out,
        readdirSync(out).find((f) => f.startsWith('比对明细'))!,
      ),
      'utf8',
    );
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const [header, ...rows] = csv.slice(1).trim().split('\r\n');
    for (const h of ['来源文件', '工作表', '行号', '人员编号', '名册类型', '姓名', '身份证号', '匹配依据', '匹配分值'])
      expect(header).toContain(h);
    expect(rows.length).toBe(before.records);
    expect(rows.filter((r) => /,\d{18},/.test(r))).toEqual([]); // 3-4 masking leaves no full ID
  });

  it('fails with a Chinese message naming the file, sheet and row, and a non-zero exit code', async () => {
    const bad = writeCsv(join(dir, '无表头.csv'), [['说明：本表由系统导出'], ['1', '2']]);
    const r = await cli('import', '--workspace', join(dir, 'x.canbao'), '--kind', 'employee', '--year', '2026', bad);
    expect(r.code).toBe(EXIT_CODE.noHeader);
    expect(r.err).toMatch(/错误：文件“无表头.csv”：没有找到可导入的工作表/);
    const usage = await cli(
      'import',
      '--workspace',
      join(dir, 'x.canbao'),
      '--kind',
      'teachers',
      '--year',
      '2026',
      bad,
    );
    expect(usage.code).toBe(EXIT_CODE.badInput);
    expect(usage.err).toContain('名册类型应为 population、employee、resident_rural、resident_urban 之一');
    expect((await cli('nonsense')).code).toBe(2);
  });
});

describe('设置', () => {
  it('detects the county from the rolls’ titles, lets the clerk change it, and uses it in export titles', async () => {
    const { truth } = await generateCounty({ people: 400, seed: 3, out: join(dir, 'small') });
    const ws = join(dir, 'settings.canbao');
    for (const f of truth.files)
      expect((await cli('import', '--workspace', ws, '--kind', f.kind, '--year', '2026', f.path)).code).toBe(0);
    expect(JSON.parse((await cli('settings', '--workspace', ws, '--json')).out)).toMatchObject({
      countyName: '宁陕县',
      targetRate: 0.95,
      linkWeight: 7,
    });
    expect(
      (await cli('settings', '--workspace', ws, '--set', 'countyName=石泉县', '--set', 'targetRate=0.97')).code,
    ).toBe(0);
    expect(JSON.parse((await cli('settings', '--workspace', ws, '--json')).out)).toMatchObject({
      countyName: '石泉县',
      targetRate: 0.97,
    });
    const unknown = await cli('settings', '--workspace', ws, '--set', 'nonsense=1');
    expect(unknown.code).toBe(EXIT_CODE.badInput);
    expect(unknown.err).toContain('无法识别的设置“nonsense”');
    await cli('match', '--workspace', ws);
    const out = join(dir, 'titled');
    expect((await cli('export', '--workspace', ws, '--what', 'rates', '--format', 'csv', '--out', out)).code).toBe(0);
    const csv = await cli('export', '--workspace', ws, '--what', 'ledger', '--out', join(dir, 'titled-x'));
    expect(csv.code).toBe(0);
    const ledger = readdirSync(join(dir, 'titled-x')).find((f) => f.includes('未参保'))!;
    const { readXlsx } = await import('../../electron/core/import/read-xlsx');
    let title = '';
    for await (const sheet of readXlsx(join(dir, 'titled-x', ledger)))
      for await (const row of sheet.rows)
        if (!title && row.rowNumber === 1 && sheet.name !== '汇总') title = String(row.cells[0]);
    expect(title).toMatch(/^石泉县.+2026年度未参保人员台账$/);
  });
});
