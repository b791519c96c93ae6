import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { exportWorkbooks } from '../../electron/core/export/export-all';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch } from '../../electron/core/match/run-match';
import { dispatchLedgers, type DispatchResult } from '../../electron/core/township/dispatch';
import { participation, type Participation } from '../../electron/core/township/participation';
import { importReturns } from '../../electron/core/township/returns-import';
import { takeSnapshot } from '../../electron/core/township/snapshots';
import { readSettings } from '../../electron/core/settings';
import { simulateReturn } from '../fixtures/returns-generator';
import { todayLocal } from '../../shared/text/clerk-format';
import { VERIFICATION_CATEGORIES } from '../../shared/domain/verification';
import { formatPersonId } from '../../shared/domain/types';
import { generateCounty } from '../fixtures/county-generator';
import { tempDir } from '../helpers/files';
import { openInLibreOffice, resaveInLibreOffice } from '../helpers/libreoffice';
import { TEST_SEEDS } from '../helpers/seed';

const dir = tempDir();
const seed = TEST_SEEDS.at(-1)!;
let ws: Workspace;
let full: DispatchResult;
let masked: DispatchResult;
let bulletin: string;
let valid: Set<string>;
let before: Participation;
let after: Participation;

beforeAll(async () => {
  const { truth } = await generateCounty({ people: 800, seed, out: join(dir, 'county') });
  ws = Workspace.open(join(dir, 'w.canbao'), { create: true });
  for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year, actor: '王芳' });
  runMatch(ws, { actor: '王芳' });
  full = await dispatchLedgers(ws.db, { dir: join(dir, 'full'), mask: 'full', format: 'xlsx', actor: '王芳' });
  masked = await dispatchLedgers(ws.db, { dir: join(dir, 'masked'), mask: '6-4', format: 'xlsx', actor: '王芳' });
  // The state two days ago is the bulletin's 上期; the returns come back since.
  before = participation(ws.db, readSettings(ws.db));
  takeSnapshot(ws.db, 'match', new Date(Date.now() - 2 * 86_400_000));
  const back = simulateReturn(full.files[0]!.file, join(dir, '回执.xlsx'), {
    seed,
    format: 'xlsx',
    today: todayLocal(),
  });
  // A small county's random answers may move no rate at all: one more return says the first person listed died.
  const first = ws.db
    .prepare('SELECT person_id FROM dispatch_item ORDER BY batch_id, seq LIMIT 1')
    .pluck()
    .get() as number;
  writeFileSync(
    join(dir, '补充回执.csv'),
    `\ufeff人员编号,核实情况,死亡日期\r\n${formatPersonId(first)},死亡,2025-03-01\r\n`,
  );
  await importReturns(ws.db, [back.file, join(dir, '补充回执.csv')], { actor: '王芳' });
  after = participation(ws.db, readSettings(ws.db));
  const r = await exportWorkbooks(ws.db, {
    dir: join(dir, 'bulletin'),
    what: ['bulletin'],
    mask: '6-4',
    format: 'xlsx',
    actor: '王芳',
  });
  bulletin = r.files[0]!.file;
  valid = new Set(ws.db.prepare(`SELECT id_number FROM record WHERE id_status = 'valid'`).pluck().all() as string[]);
}, 300_000);

const ledgerRows = (sheets: Map<string, string[][]>, name: string) => {
  const rows = sheets.get(name)!;
  const h = rows.findIndex((r) => r.includes('核实情况'));
  return { header: rows[h]!, data: rows.slice(h + 1).filter((r) => /^\d+$/.test(r[0] ?? '')) };
};

describe(`下发的未参保台账与进度通报在 LibreOffice 中打开（seed ${seed}）`, () => {
  it('numbers each dispatch as a batch of the day and names it on every row', () => {
    expect(full.batchNo).toMatch(/^\d{8}-01$/);
    expect(masked.batchNo).toMatch(/^\d{8}-02$/);
    const sheets = openInLibreOffice(full.files[0]!.file, join(dir, 'lo-full'));
    let rows = 0;
    for (const s of full.files[0]!.sheets.filter((x) => x.name !== '汇总')) {
      const { header, data } = ledgerRows(sheets, s.name);
      expect(data.length).toBe(s.rows);
      for (const r of data) expect(r[header.indexOf('下发批次')]).toBe(full.batchNo);
      rows += data.length;
    }
    expect(rows).toBe(full.townships.find((t) => t.township === full.files[0]!.township)!.persons);
  });

  it('shows full IDs as 18-digit text when dispatched unmasked, and first 6 / last 4 when masked', () => {
    for (const [result, pattern] of [
      [full, /^\d{17}[\dX]$/],
      [masked, /^\d{6}\*{8}[\dX]{4}$/],
    ] as const) {
      const f = result.files[0]!;
      const sheets = openInLibreOffice(f.file, join(dir, `lo-id-${result.batchNo}`));
      let checked = 0;
      for (const s of f.sheets.filter((x) => x.name !== '汇总')) {
        const { header, data } = ledgerRows(sheets, s.name);
        const id = header.indexOf('公民身份号码');
        for (const r of data) {
          expect(r[id]).not.toMatch(/E\+/);
          const plain = ws.db.prepare('SELECT id_number FROM person_status WHERE person_id = ?').pluck();
          const full18 = plain.get(Number(r[header.indexOf('人员编号')]!.slice(1))) as string | null;
          if (full18 && valid.has(full18)) {
            expect(r[id]).toMatch(pattern);
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(0);
    }
  });

  it('keeps the 核实情况 drop-down with every category when LibreOffice opens and saves the ledger', async () => {
    const f = masked.files[0]!;
    const again = resaveInLibreOffice(f.file, join(dir, 'lo-resave'));
    const zip = await JSZip.loadAsync(readFileSync(again));
    const sheets = Object.keys(zip.files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n));
    let lists = 0;
    for (const name of sheets) {
      const xml = await zip.file(name)!.async('string');
      const m = xml.match(/<dataValidation [^>]*type="list"[\s\S]*?<formula1>([\s\S]*?)<\/formula1>/);
      if (!m) continue;
      lists++;
      for (const c of VERIFICATION_CATEGORIES) expect(m[1]).toContain(c.label);
    }
    expect(lists).toBe(f.sheets.length);
  });

  it('writes values only: no formula in any ledger or in the bulletin', async () => {
    for (const file of [...full.files.map((f) => f.file), ...masked.files.map((f) => f.file), bulletin]) {
      const zip = await JSZip.loadAsync(readFileSync(file));
      for (const name of Object.keys(zip.files).filter((n) => n.startsWith('xl/worksheets/')))
        expect(await zip.file(name)!.async('string'), `${file} ${name}`).not.toMatch(/<f[ >]/);
    }
  });

  it('opens the 进度通报: a county sheet ranking the townships, a sheet per township with its villages', () => {
    const sheets = openInLibreOffice(bulletin, join(dir, 'lo-bulletin'));
    const county = sheets.get('全县')!;
    const h = county.findIndex((r) => r[0] === '序号');
    expect(county[h]).toEqual(
      expect.arrayContaining(['参保率（户籍口径）', '参保率（本地口径）', '排名', '状态', '核实率']),
    );
    const townships = county.slice(h + 1).filter((r) => /^\d+$/.test(r[0] ?? ''));
    const names = ws.db
      .prepare(`SELECT DISTINCT township_key FROM person_status WHERE in_base = 1 AND township_key IS NOT NULL`)
      .pluck()
      .all() as string[];
    expect(townships.map((r) => r[1]).sort()).toEqual([...names].sort());
    // Ranked: rates never rise down the list; each township's sheet lists its villages.
    const rate = (r: string[]) => Number(r[9]!.replace('%', ''));
    for (let i = 1; i < townships.length; i++) expect(rate(townships[i]!)).toBeLessThanOrEqual(rate(townships[i - 1]!));
    // 较上期: the change since the snapshot two days ago, in persons and percentage points, on the ranking basis.
    const col = (label: string) => county[h]!.indexOf(label);
    let changed = 0;
    for (const r of townships) {
      const now = after.townships.find((t) => t.township === r[1])!;
      const then = before.townships.find((t) => t.township === r[1])!;
      const persons = now.insured + now.insuredElsewhere - (then.insured + then.insuredElsewhere);
      expect(Number(r[col('较上期（人）')]!.replace('+', ''))).toBe(persons);
      expect(Number(r[col('较上期（百分点）')]!.replace('+', ''))).toBeCloseTo((now.rate - then.rate) * 100, 1);
      if (now.rate !== then.rate) changed++;
    }
    expect(changed).toBeGreaterThan(0);
    for (const t of names) {
      const rows = sheets.get(t)!;
      const villages = rows.filter((r) => /^\d+$/.test(r[0] ?? ''));
      const expected = ws.db
        .prepare(
          `SELECT count(DISTINCT coalesce(village_key, '')) FROM person_status WHERE in_base = 1 AND township_key = ?`,
        )
        .pluck()
        .get(t);
      expect(villages.length).toBe(expected);
      expect(rows.some((r) => r[1] === `${t}小计`)).toBe(true);
    }
  });
});
