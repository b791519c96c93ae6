import JSZip from 'jszip';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { exportWorkbooks, type ExportResult } from '../../electron/core/export/export-all';
import { importFile } from '../../electron/core/import/import-file';
import { readXlsx } from '../../electron/core/import/read-xlsx';
import { runMatch, type MatchSummary } from '../../electron/core/match/run-match';
import { importStatus } from '../../electron/core/workspace-status';
import { generateCounty } from '../fixtures/county-generator';
import { tempDir } from '../helpers/files';
import { TEST_SEEDS } from '../helpers/seed';
import { openInLibreOffice } from '../helpers/libreoffice';

const dir = tempDir();
let ws: Workspace;
let summary: MatchSummary;
let full: ExportResult;
let masked: ExportResult;
// One county (LibreOffice makes each one slow): the run's fresh seed, or CANBAO_SEED (test/helpers/seed.ts).
const seed = TEST_SEEDS.at(-1)!;

beforeAll(async () => {
  const { truth } = await generateCounty({ people: 2500, seed, out: join(dir, 'county') });
  ws = Workspace.open(join(dir, 'w.canbao'), { create: true });
  for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year });
  summary = runMatch(ws);
  full = await exportWorkbooks(ws.db, {
    dir: join(dir, 'full'),
    what: ['ledger', 'duplicates', 'persons', 'rates'],
    mask: 'full',
    format: 'xlsx',
    county: '宁陕县',
    actor: '王芳',
  });
  masked = await exportWorkbooks(ws.db, {
    dir: join(dir, 'masked'),
    what: ['ledger', 'persons'],
    mask: '6-4',
    format: 'xlsx',
    county: '宁陕县',
    actor: '王芳',
  });
}, 300_000);

const townships = () =>
  (
    ws.db.prepare(`SELECT DISTINCT township_key AS t FROM person_status WHERE in_base = 1 ORDER BY t`).all() as {
      t: string;
    }[]
  ).map((r) => r.t);

describe(`导出给乡镇的工作簿（seed ${seed}）`, () => {
  it('writes for every township a ledger, a duplicates list and 一人一档, named so a clerk can tell them apart, plus the rates', () => {
    const names = full.files.map((f) => f.file.split('/').pop()!);
    for (const t of townships()) {
      expect(names).toContain(`${t}_未参保人员台账_2026.xlsx`);
      expect(names).toContain(`${t}_重复参保清理名单_2026.xlsx`);
      expect(names).toContain(`${t}_一人一档_2026.xlsx`);
    }
    expect(names).toContain('参保率统计_2026.xlsx');
  });

  it('has one sheet per village plus a summary, and ledger rows that agree with the workspace status', () => {
    const ledgers = full.files.filter((f) => f.kind === 'ledger');
    expect(ledgers.reduce((a, f) => a + f.rows, 0)).toBe(importStatus(ws.db).uninsured);
    expect(importStatus(ws.db).uninsured).toBe(summary.uninsured);
    for (const f of ledgers) {
      const villages = (
        ws.db
          .prepare(
            `SELECT DISTINCT village_key AS v FROM person_status WHERE in_base = 1 AND insured = 0 AND township_key = ?`,
          )
          .all(f.township) as { v: string }[]
      ).map((r) => r.v);
      expect(f.sheets.map((s) => s.name).sort()).toEqual(villages.sort());
    }
  });

  it('contains no formula anywhere: every cell is a plain value', async () => {
    for (const f of [...full.files, ...masked.files]) {
      const zip = await JSZip.loadAsync(readFileSync(f.file));
      for (const name of Object.keys(zip.files).filter((n) => n.startsWith('xl/worksheets/'))) {
        expect(await zip.file(name)!.async('string'), `${f.file} ${name}`).not.toMatch(/<f[ >]/);
      }
    }
  });

  it('prints on A4 landscape with the header row repeated and page numbers in the footer', async () => {
    const f = full.files.find((x) => x.kind === 'ledger')!;
    const zip = await JSZip.loadAsync(readFileSync(f.file));
    const book = await zip.file('xl/workbook.xml')!.async('string');
    expect(book).toContain('_xlnm.Print_Titles');
    const sheet = await zip.file('xl/worksheets/sheet2.xml')!.async('string');
    expect(sheet).toMatch(/<pageSetup[^>]*paperSize="9"[^>]*orientation="landscape"/);
    expect(sheet).toContain('&amp;P');
    expect(sheet).toMatch(/<pane[^>]*ySplit="3"[^>]*state="frozen"/);
    expect(sheet).toContain('<dataValidation');
  });
});

describe('数据质量问题清单', () => {
  it('lists every problem with file, sheet, row, column and what is wrong, IDs masked as asked', async () => {
    const r = await exportWorkbooks(ws.db, {
      dir: join(dir, 'issues'),
      what: ['issues'],
      mask: '6-4',
      format: 'xlsx',
      actor: '王芳',
    });
    const rows: string[][] = [];
    for await (const sheet of readXlsx(r.files[0]!.file))
      for await (const row of sheet.rows) rows.push(row.cells.map((c) => String(c ?? '')));
    const header = rows.findIndex((x) => x[0] === '来源文件');
    const data = rows.slice(header + 1);
    expect(data.length).toBe(importStatus(ws.db).qualityIssues);
    expect(r.files[0]!.rows).toBe(data.length);
    const damaged = data.find((x) => x[8]!.includes('被Excel损坏') && x[7]!.length === 18)!;
    expect(damaged[7]).toMatch(/^\d{6}\*{8}\d{4}$/);
    expect(Number(damaged[3])).toBeGreaterThan(0);
    expect(damaged[4]).toMatch(/^[A-Z]+$/);
  });
});

describe('在 LibreOffice 中打开导出文件', () => {
  it('shows every valid ID as 18-character text, titles, and row counts equal to the workspace', () => {
    const f = full.files.find((x) => x.kind === 'persons' && x.township && x.rows > 0)!;
    const sheets = openInLibreOffice(f.file, join(dir, 'lo-full'));
    expect(sheets.size).toBe(f.sheets.length + 1);
    const valid = new Set(
      (ws.db.prepare(`SELECT id_number AS id FROM record WHERE id_number IS NOT NULL`).all() as { id: string }[]).map(
        (r) => r.id,
      ),
    );
    for (const s of f.sheets) {
      const rows = sheets.get(s.name)!;
      expect(rows[0]![0]).toContain(`宁陕县${f.township}${s.name}2026年度`);
      const header = rows.findIndex((r) => r[0] === '序号');
      const data = rows.slice(header + 1).filter((r) => /^\d+$/.test(r[0] ?? ''));
      expect(data.length).toBe(s.rows);
      for (const r of data) {
        const id = r[3]!;
        if (valid.has(id)) expect(id).toMatch(/^\d{17}[\dX]$/);
        expect(id).not.toMatch(/E\+/);
      }
    }
    const personsInTownship = (
      ws.db.prepare('SELECT count(*) AS n FROM person_status WHERE township_key = ?').get(f.township) as { n: number }
    ).n;
    expect(f.rows).toBe(personsInTownship);
  });

  it('shows IDs masked as asked (first 6 and last 4)', () => {
    const f = masked.files.find((x) => x.kind === 'ledger' && x.rows > 0)!;
    const sheets = openInLibreOffice(f.file, join(dir, 'lo-masked'));
    let checked = 0;
    for (const s of f.sheets) {
      const rows = sheets.get(s.name)!;
      const header = rows.find((x) => x.includes('公民身份号码'))!;
      const [no, id] = [header.indexOf('人员编号'), header.indexOf('公民身份号码')];
      for (const r of rows.filter((x) => /^\d+$/.test(x[0] ?? '') && x[no]?.startsWith('P'))) {
        if (r[id]!.length === 18) {
          expect(r[id]).toMatch(/^\d{6}\*{8}[\dX*]{4}$/);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('records each export in the audit log with who, what, the masking profile, row counts and file hashes', () => {
    const entries = ws.db
      .prepare(`SELECT actor, detail_json FROM audit_log WHERE action = 'export' ORDER BY id`)
      .all() as { actor: string; detail_json: string }[];
    expect(entries.length).toBeGreaterThanOrEqual(2);
    const d = JSON.parse(
      entries.find(
        (e) =>
          (JSON.parse(e.detail_json) as { what: string[] }).what.includes('persons') &&
          JSON.parse(e.detail_json).mask === '6-4',
      )!.detail_json,
    ) as { mask: string; files: { file: string; rows: number; sha256: string }[] };
    expect(entries.every((e) => e.actor === '王芳')).toBe(true);
    expect(d.mask).toBe('6-4');
    expect(d.files.length).toBe(masked.files.length);
    for (const f of d.files) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
