import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listAuditView } from '../../electron/core/audit/audit-view';
import { importFile } from '../../electron/core/import/import-file';
import { readXlsx } from '../../electron/core/import/read-xlsx';
import { runMatch } from '../../electron/core/match/run-match';
import { Service } from '../../electron/core/service/service';
import { generateCounty } from '../fixtures/county-generator';
import { tempDir, writeCsv } from '../helpers/files';
import { TEST_SEEDS } from '../helpers/seed';
import { maskId } from '../../shared/export/mask';

const dir = tempDir();
const seed = TEST_SEEDS.at(-1)!;
const flag = { isSet: () => false, set: () => undefined, clear: () => undefined };
const s = new Service({ actor: '王芳', emit: () => undefined, cancel: flag as never });

beforeAll(async () => {
  const { truth } = await generateCounty({ people: 600, seed, out: join(dir, 'county') });
  await s.handle('workspace.open', { path: join(dir, 'w.canbao'), create: true });
  for (const f of truth.files) await importFile(s.need(), f.path, { kind: f.kind, year: truth.year });
  runMatch(s.need());
}, 300_000);

describe(`结果列表：排序、筛选、导出当前列表（seed ${seed}）`, () => {
  it('sorts 全部人员 by name both ways in the engine, by pinyin as WPS does, the same rows reversed', async () => {
    const q = { list: 'persons' as const, sortBy: 'name' as const, offset: 0, limit: 5000 };
    const asc = await s.handle('results.list', q);
    const desc = await s.handle('results.list', { ...q, sortDir: 'desc' });
    expect(asc.total).toBe(desc.total);
    expect(asc.rows.length).toBe(asc.total);
    const pinyin = s.need().db.prepare('SELECT name_pinyin AS p FROM record WHERE person_id = ? ORDER BY id LIMIT 1');
    const keys = asc.rows.map((r) => (pinyin.get(Number(r.personId.slice(1))) as { p: string }).p);
    expect(keys).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const descKeys = desc.rows.map((r) => (pinyin.get(Number(r.personId.slice(1))) as { p: string }).p);
    expect(descKeys).toEqual([...keys].reverse());
    expect(asc.rows[0]!.personId).not.toBe(desc.rows[0]!.personId);
  });

  it('filters by part of a name: fewer rows, each of them with that name', async () => {
    const all = await s.handle('results.list', { list: 'persons', offset: 0, limit: 1 });
    const surname = (await s.handle('results.list', { list: 'persons', offset: 0, limit: 1 })).rows[0]!.name.slice(
      0,
      1,
    );
    const some = await s.handle('results.list', { list: 'persons', text: surname, offset: 0, limit: 5000 });
    expect(some.total).toBeGreaterThan(0);
    expect(some.total).toBeLessThan(all.total);
    for (const r of some.rows) expect(r.name + (r.village ?? '')).toContain(surname);
  });

  it('exports the current list as on screen: its order and filter, IDs masked 6-4, and logs it', async () => {
    const q = { list: 'uninsured' as const, sortBy: 'name' as const, sortDir: 'desc' as const };
    const shown = await s.handle('results.list', { ...q, offset: 0, limit: 5000 });
    const out = await s.handle('results.export', { ...q, dir: join(dir, '导出') });
    expect(out.rows).toBe(shown.total);
    expect(readdirSync(join(dir, '导出'))).toEqual([out.file.split('/').pop()]);
    expect(out.file).toMatch(/未参保_当前列表_\d{8}-\d{6}\.xlsx$/);
    const rows: string[][] = [];
    for await (const sheet of readXlsx(out.file))
      for await (const row of sheet.rows) rows.push(row.cells.map((c) => String(c ?? '')));
    const header = rows.findIndex((r) => r[1] === '人员编号');
    const data = rows.slice(header + 1);
    expect(data.map((r) => r[2])).toEqual(shown.rows.map((r) => r.name));
    expect(data.map((r) => r[3])).toEqual(shown.rows.map((r) => r.idMasked));
    for (const r of data) expect(r[3]).not.toMatch(/^\d{18}$/);
    const log = listAuditView(s.need().db, { limit: 5 });
    expect(log[0]!.summary).toContain('当前列表');
  });

  it('exports the 参保率 table as shown: the villages of one township in the order sorted on screen, then its total', async () => {
    const rates = await s.handle('results.rates', {});
    const township = rates.townships[0]!.township;
    const villages = rates.villages.filter((v) => v.township === township).sort((a, b) => b.rate - a.rate);
    const out = await s.handle('results.export', {
      list: 'rates',
      township,
      sortBy: 'rate',
      sortDir: 'desc',
      dir: join(dir, '导出率'),
    });
    expect(out.file).toMatch(/参保率_当前列表_\d{8}-\d{6}\.xlsx$/);
    const rows: string[][] = [];
    for await (const sheet of readXlsx(out.file))
      for await (const row of sheet.rows) rows.push(row.cells.map((c) => String(c ?? '')));
    expect(rows[0]![0]).toBe(`参保率（乡镇：${township}）`);
    const header = rows.findIndex((r) => r[1] === '村（社区）');
    expect(rows[header]).toEqual(['序号', '村（社区）', '底册人数', '已参保', '未参保', '参保率', '是否达到目标']);
    const data = rows.slice(header + 1);
    expect(data.map((r) => r[1])).toEqual([...villages.map((v) => v.village), '合计']);
    const total = rates.townships[0]!;
    expect(data.at(-1)!.slice(2, 6)).toEqual([
      String(total.base),
      String(total.insured),
      String(total.uninsured),
      `${(total.rate * 100).toFixed(2)}%`,
    ]);
    expect(out.rows).toBe(villages.length + 1);
    expect(listAuditView(s.need().db, { limit: 1 })[0]!.summary).toContain('当前列表');
  });
});

describe(`一人一档：从列表的任一行打开（seed ${seed}）`, () => {
  it('shows an uninsured person with every record by file, sheet and row, and why it belongs', async () => {
    const row = (await s.handle('results.list', { list: 'uninsured', offset: 0, limit: 1 })).rows[0]!;
    const p = await s.handle('person.get', { personId: row.personId });
    expect(p.personId).toBe(row.personId);
    expect(p.status).toBe('底册内，未参保');
    expect(p.idMasked).toBe(row.idMasked);
    expect(p.records.length).toBeGreaterThan(0);
    for (const r of p.records) {
      expect(r.file).not.toBe('');
      expect(r.row).toBeGreaterThan(0);
      expect(r.link).not.toBe('');
    }
  });

  it('says for a duplicate which enrolment stays and which is cancelled, with the rule', async () => {
    const row = (await s.handle('results.list', { list: 'duplicates', offset: 0, limit: 1 })).rows[0]!;
    const p = await s.handle('person.get', { recordId: row.recordId! });
    expect(p.duplicate).toBe(row.detail);
    const actions = p.records.map((r) => r.action).filter(Boolean);
    expect(actions).toContain('保留');
    expect(actions).toContain('注销');
    expect(p.duplicateRule).toBeTruthy();
  });

  it('says what agreed for a record linked by comparing several fields, and that two IDs differ when they do', async () => {
    const pid = s
      .need()
      .db.prepare(`SELECT person_id AS p FROM record WHERE link_rule = 'score' AND person_id IS NOT NULL LIMIT 1`)
      .get() as { p: number } | undefined;
    expect(pid).toBeDefined();
    const p = await s.handle('person.get', { personId: `P${String(pid!.p).padStart(8, '0')}` });
    const linked = p.records.filter((r) => r.link.startsWith('多项信息综合比对'));
    expect(linked.length).toBeGreaterThan(0);
    for (const r of linked) expect(r.link).toMatch(/与.+第\d+行比：.*(一致|不同)/);
  });

  it('refuses a person that is not there in words a clerk reads', async () => {
    await expect(s.handle('person.get', { personId: 'P99999999' })).rejects.toThrow('不在当前比对结果中');
  });
});

describe('未参保名单：底册里录错的身份证号', () => {
  it('shows the ID as typed, masked, the same in the list and in the person, never a blank', async () => {
    const header = ['姓名', '身份证号码', '性别', '出生日期', '乡镇', '村（社区）'];
    const base = writeCsv(join(dir, 'typed-base.csv'), [
      header,
      ['张三', '610923198501011215', '男', '1985-01-01', '城关镇', '东村'],
      // A wrong check digit, and a number cut to 17 digits: neither is a valid ID, both say who this is.
      ['李四', '610923198602021216', '男', '1986-02-02', '城关镇', '东村'],
      ['王五', '61092319870303121', '女', '1987-03-03', '城关镇', '东村'],
    ]);
    const roll = writeCsv(join(dir, 'typed-roll.csv'), [
      header,
      ['张三', '610923198501011215', '男', '1985-01-01', '城关镇', '东村'],
    ]);
    const t = new Service({ actor: '王芳', emit: () => undefined, cancel: flag as never });
    await t.handle('workspace.open', { path: join(dir, 'typed.canbao'), create: true });
    await importFile(t.need(), base, { kind: 'population', year: 2026 });
    await importFile(t.need(), roll, { kind: 'resident_rural', year: 2026 });
    runMatch(t.need());
    const rows = (await t.handle('results.list', { list: 'uninsured', offset: 0, limit: 10 })).rows;
    expect(rows.map((r) => [r.name, r.idMasked])).toEqual([
      ['李四', maskId('610923198602021216', '6-4')],
      ['王五', maskId('61092319870303121', '6-4')],
    ]);
    for (const row of rows)
      expect((await t.handle('person.get', { personId: row.personId })).idMasked).toBe(row.idMasked);
  });
});
