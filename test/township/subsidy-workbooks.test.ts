import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { exportWorkbooks } from '../../electron/core/export/export-all';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch } from '../../electron/core/match/run-match';
import { importSubsidyList } from '../../electron/core/subsidy/subsidy-import';
import { generateCounty } from '../fixtures/county-generator';
import { generateSubsidyLists } from '../fixtures/subsidy-lists';
import { tempDir } from '../helpers/files';
import { openInLibreOffice } from '../helpers/libreoffice';
import { TEST_SEEDS } from '../helpers/seed';

const seed = TEST_SEEDS.at(-1)!;

describe(`特殊对象资助参保台账与资助名单变化在 LibreOffice 中打开（seed ${seed}）`, () => {
  it('shows the §4.3 columns, IDs masked as asked, a sheet per month of changes, and no formula anywhere', async () => {
    const dir = tempDir();
    const { truth, county } = await generateCounty({ people: 800, seed, out: join(dir, 'county') });
    const ws = Workspace.open(join(dir, 'w.canbao'), { create: true });
    for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year, actor: '王芳' });
    runMatch(ws, { actor: '王芳' });
    const gen = generateSubsidyLists(county, { seed, months: ['2026-09', '2026-10'], out: dir });
    for (const l of gen.lists)
      await importSubsidyList(ws.db, l.file, { department: l.department, month: l.month, actor: '王芳' });
    const r = await exportWorkbooks(ws.db, {
      dir: join(dir, '导出'),
      what: ['subsidy'],
      mask: '6-4',
      format: 'xlsx',
      actor: '王芳',
    });
    const ledger = r.files.find((f) => f.township !== null && f.rows > 0)!;
    const sheets = openInLibreOffice(ledger.file, join(dir, 'lo-ledger'));
    const village = ledger.sheets[0]!;
    const rows = sheets.get(village.name)!;
    const h = rows.findIndex((x) => x[0] === '序号');
    for (const c of [
      '纳入资助时间',
      '身份变更情况',
      '医疗救助身份',
      '资助参保身份',
      '是否参保',
      '是否符合资助',
      '资助地或参保地（区外备注）',
      '未参保原因',
    ])
      expect(rows[h]).toContain(c);
    const data = rows.slice(h + 1).filter((x) => /^\d+$/.test(x[0] ?? ''));
    expect(data.length).toBe(village.rows);
    const id = rows[h]!.indexOf('身份证号码');
    for (const x of data) expect(x[id]).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    const changes = r.files.find((f) => f.township === null)!;
    const byMonth = openInLibreOffice(changes.file, join(dir, 'lo-changes'));
    expect([...byMonth.keys()].sort()).toEqual(['2026-09', '2026-10']);
    const oct = byMonth.get('2026-10')!.filter((x) => /^\d+$/.test(x[0] ?? ''));
    const d = [...gen.diffs].filter(([k]) => k.endsWith('2026-10')).map(([, v]) => v);
    expect(oct.length).toBe(d.reduce((a, x) => a + x.added.size + x.changed.size + x.cancelled.size, 0));
    for (const x of oct) expect(['新增', '变更', '取消']).toContain(x[1]);
    for (const f of r.files) {
      const zip = await JSZip.loadAsync(readFileSync(f.file));
      for (const name of Object.keys(zip.files).filter((n) => n.startsWith('xl/worksheets/')))
        expect(await zip.file(name)!.async('string'), `${f.file} ${name}`).not.toMatch(/<f[ >]/);
    }
    ws.close();
  }, 300_000);
});
