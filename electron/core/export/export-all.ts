import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { MaskProfile } from '../../../shared/export/mask';
import { appendAudit } from '../audit/audit-log';
import { CanbaoError } from '../errors';
import { writeQualityReport } from '../import/quality-report';
import { writeLinkageCsv, LINKAGE_HEADER } from './linkage-csv';
import { writeRates } from './rates';
import { writeDuplicates, writeLedger, writePersons, type ListContext } from './township-lists';
import { sha256Of, type WrittenFile } from './village-workbook';

export const EXPORT_KINDS = ['ledger', 'duplicates', 'persons', 'rates', 'linkage', 'issues'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export interface ExportOptions {
  dir: string;
  what: ExportKind[];
  townships?: string[];
  mask: MaskProfile;
  format: 'xlsx' | 'csv';
  county?: string;
  /** Who exports: recorded in the audit log with what, the masking profile, row counts and each file's sha256. */
  actor: string;
  onProgress?: (p: { label: string; done: number; total: number }) => void;
}

export interface ExportResult {
  files: WrittenFile[];
}

function setting<T>(db: Database.Database, key: string, fallback: T): T {
  const row = db.prepare('SELECT value_json FROM setting WHERE key = ?').get(key) as { value_json: string } | undefined;
  return row ? (JSON.parse(row.value_json) as T) : fallback;
}

/** Writes the workbooks townships work from, one per township and kind, through exceljs's streaming writer. */
export async function exportWorkbooks(db: Database.Database, opts: ExportOptions): Promise<ExportResult> {
  const run = db.prepare('SELECT year FROM match_run ORDER BY id DESC LIMIT 1').get() as { year: number } | undefined;
  if (!run && opts.what.some((w) => w !== 'linkage' && w !== 'issues')) throw new CanbaoError('badInput', '工作区尚未比对，请先运行比对（canbao match）再导出名单');
  const year = run?.year ?? new Date().getFullYear();
  mkdirSync(opts.dir, { recursive: true });
  const ctx: ListContext = {
    db, dir: opts.dir, year, county: opts.county ?? setting(db, 'countyName', ''), exportDate: new Date().toISOString().slice(0, 10), mask: opts.mask, format: opts.format,
  };
  const all = (db.prepare('SELECT DISTINCT coalesce(township_key, \'\') AS t FROM person_status ORDER BY t').all() as { t: string }[]).map((r) => r.t);
  const townships = opts.townships?.length ? opts.townships : all;
  const unknown = townships.filter((t) => !all.includes(t));
  if (unknown.length) throw new CanbaoError('badInput', `没有乡镇“${unknown.join('、')}”。工作区中的乡镇：${all.filter(Boolean).join('、')}`);
  const files: WrittenFile[] = [];
  const jobs: { label: string; run: () => Promise<WrittenFile> }[] = [];
  const hasDuplicates = (t: string) => (db.prepare(`SELECT count(*) AS n FROM person_status WHERE duplicate_kind IS NOT NULL AND coalesce(township_key, '') = ?`).get(t) as { n: number }).n > 0;
  for (const t of townships) {
    // Base persons always have a township; people outside the base without one have no ledger to appear on.
    if (opts.what.includes('ledger') && t) jobs.push({ label: `${t} 未参保台账`, run: () => writeLedger(ctx, t) });
    // People with no township (employees outside the base) get a workbook only when there is something in it.
    if (opts.what.includes('duplicates') && (t || hasDuplicates(t))) jobs.push({ label: `${t} 重复参保`, run: () => writeDuplicates(ctx, t) });
    if (opts.what.includes('persons')) jobs.push({ label: `${t} 一人一档`, run: () => writePersons(ctx, t) });
  }
  if (opts.what.includes('rates')) {
    jobs.push({ label: '参保率', run: () => writeRates(db, opts.dir, { year, county: ctx.county, exportDate: ctx.exportDate, target: setting(db, 'targetRate', 0.95), format: opts.format, townships: opts.townships }) });
  }
  if (opts.what.includes('linkage')) {
    jobs.push({
      label: '比对明细',
      run: async () => {
        const file = join(opts.dir, `比对明细_${year}.csv`);
        const rows = await writeLinkageCsv(db, file, opts.mask);
        return { file, kind: 'linkage', township: null, rows, sheets: [{ name: '', rows }], sha256: await sha256Of(file) };
      },
    });
  }
  if (opts.what.includes('issues')) {
    jobs.push({
      label: '数据问题',
      run: async () => {
        const file = join(opts.dir, `数据问题_${year}.${opts.format}`);
        const rows = await writeQualityReport(db, file, opts.mask);
        return { file, kind: 'issues', township: null, rows, sheets: [{ name: '数据问题', rows }], sha256: await sha256Of(file) };
      },
    });
  }
  for (let i = 0; i < jobs.length; i++) {
    opts.onProgress?.({ label: jobs[i]!.label, done: i, total: jobs.length });
    files.push(await jobs[i]!.run());
  }
  opts.onProgress?.({ label: '完成', done: jobs.length, total: jobs.length });
  appendAudit(db, opts.actor, 'export', {
    dir: opts.dir, what: opts.what, mask: opts.mask, format: opts.format, townships: opts.townships ?? null,
    files: files.map((f) => ({ file: f.file, rows: f.rows, sha256: f.sha256 })),
  });
  return { files };
}

export { LINKAGE_HEADER };
