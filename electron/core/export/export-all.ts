import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type Database from 'better-sqlite3';
import type { MaskProfile } from '../../../shared/export/mask';
import { appendAudit, auditHead } from '../audit/audit-log';
import { readSettings } from '../settings';
import { CanbaoError, type CancelFlag } from '../errors';
import { startWorkerJob, type WorkerJob } from '../worker-job';
import { EXPORT_CANCELLED } from './export-cancel';
import {
  EXPORT_KINDS,
  restoreReplaced,
  runExportJob,
  type ExportJob,
  type ExportKind,
  type JobContext,
} from './export-jobs';
import { LINKAGE_HEADER } from './linkage-csv';
import { buildManifest, manifestName, type ExportManifest } from './export-manifest';
import { cleanAbandonedStaging, fsyncDir, leaveForLater, stagingFolderName, writeFileAtomic } from './export-staging';
import { storageFault } from '../storage-faults';
import type { WrittenFile } from './village-workbook';
import type { LedgerBatch } from './uninsured-ledger';
import { listedRows } from './subsidy-ledger';

export interface ExportOptions {
  dir: string;
  what: ExportKind[];
  townships?: string[];
  mask: MaskProfile;
  format: 'xlsx' | 'csv';
  county?: string;
  /** Who exports: recorded in the audit log with what, the masking profile, row counts and each file's sha256. */
  actor: string;
  /**
   * The workspace file: when given, a second thread writes about half of the files from its own read-only
   * connection (exceljs's writer is CPU-bound; two cores halve a county's export).
   */
  workspacePath?: string;
  /** The open workspace's password, when it is encrypted: the second thread's connection needs it too. */
  workspacePassword?: string;
  onProgress?: (p: { label: string; done: number; total: number }) => void;
  /** Cancels the export: both threads stop, and every file this export wrote is removed. */
  signal?: CancelFlag;
  /** 进度通报: compare with the last snapshot on or before this day (YYYY-MM-DD) instead of before today. */
  since?: string;
  /** 连续参保与断保风险名单: the year its page shows; the year being collected for when absent. */
  continuityYear?: number;
  /** A 下发 batch (dispatch.ts): the ledgers list its persons; logged as 下发台账 instead of 导出. */
  batch?: LedgerBatch & { persons: number };
}

export interface ExportResult {
  files: WrittenFile[];
  /** The manifest written last into the folder, and its path. */
  manifest: ExportManifest & { file: string };
}

/** Writes the workbooks townships work from, one per township and kind, through exceljs's streaming writer. */
export async function exportWorkbooks(db: Database.Database, opts: ExportOptions): Promise<ExportResult> {
  const run = db.prepare('SELECT year FROM match_run ORDER BY id DESC LIMIT 1').get() as { year: number } | undefined;
  if (!run && opts.what.some((w) => w !== 'linkage' && w !== 'issues'))
    throw new CanbaoError('badInput', '工作区尚未比对，请先运行比对（canbao match）再导出名单');
  const year = run?.year ?? new Date().getFullYear();
  const settings = readSettings(db);
  const context: JobContext = {
    dir: '',
    finalDir: opts.dir,
    year,
    county: opts.county ?? settings.countyName,
    exportDate: new Date().toISOString().slice(0, 10),
    mask: opts.mask,
    format: opts.format,
    target: settings.targetRate,
    townships: opts.townships,
    batch: opts.batch ? { id: opts.batch.id, no: opts.batch.no, at: opts.batch.at } : undefined,
    since: opts.since,
    continuityYear: opts.continuityYear,
  };
  const all = (
    db.prepare(`SELECT DISTINCT coalesce(township_key, '') AS t FROM person_status ORDER BY t`).all() as { t: string }[]
  ).map((r) => r.t);
  const townships = opts.townships?.length ? opts.townships : all;
  const unknown = townships.filter((t) => !all.includes(t));
  if (unknown.length)
    throw new CanbaoError(
      'badInput',
      `没有乡镇“${unknown.join('、')}”。工作区中的乡镇：${all.filter(Boolean).join('、')}`,
    );
  const count = (where: string, t: string) =>
    (
      db
        .prepare(`SELECT count(*) AS n FROM person_status WHERE ${where} AND coalesce(township_key, '') = ?`)
        .get(t) as { n: number }
    ).n;
  const jobs: ExportJob[] = [];
  const subsidyTownships = new Map<string, number>();
  if (opts.what.includes('subsidy')) {
    for (const r of listedRows(db)) subsidyTownships.set(r.township, (subsidyTownships.get(r.township) ?? 0) + 1);
    if (!subsidyTownships.size)
      throw new CanbaoError(
        'badInput',
        '还没有导入任何部门的资助名单，请先导入（民政、农业农村、残联或退役军人的全量名单）',
      );
  }
  for (const t of townships) {
    // Base persons always have a township; people outside the base without one have no ledger to appear on.
    if (opts.what.includes('ledger') && t)
      jobs.push({
        kind: 'ledger',
        township: t,
        label: `${t} 未参保台账`,
        weight: count('in_base = 1 AND insured = 0', t),
      });
    // People with no township (employees outside the base) get a workbook only when there is something in it.
    const dups = opts.what.includes('duplicates') ? count('duplicate_kind IS NOT NULL', t) : 0;
    if (opts.what.includes('duplicates') && (t || dups > 0))
      jobs.push({ kind: 'duplicates', township: t, label: `${t} 重复参保`, weight: dups * 2 });
    if (opts.what.includes('subsidy') && subsidyTownships.has(t))
      jobs.push({
        kind: 'subsidy',
        township: t,
        label: `${t} 特殊对象资助参保台账`,
        weight: subsidyTownships.get(t)!,
      });
    if (opts.what.includes('continuity'))
      jobs.push({ kind: 'continuity', township: t, label: `${t} 连续参保与断保风险名单`, weight: count('1 = 1', t) });
    if (opts.what.includes('persons'))
      jobs.push({ kind: 'persons', township: t, label: `${t} 一人一档`, weight: count('1 = 1', t) });
  }
  const records = (db.prepare('SELECT count(*) AS n FROM record').get() as { n: number }).n;
  if (opts.what.includes('rates')) jobs.push({ kind: 'rates', township: null, label: '参保率', weight: 100 });
  if (opts.what.includes('subsidy')) jobs.push({ kind: 'subsidy', township: null, label: '资助名单变化', weight: 100 });
  if (opts.what.includes('bulletin'))
    jobs.push({ kind: 'bulletin', township: null, label: '进度通报', weight: 100 + all.length * 20 });
  if (opts.what.includes('linkage'))
    jobs.push({ kind: 'linkage', township: null, label: '比对明细', weight: records / 3 });
  if (opts.what.includes('issues'))
    jobs.push({
      kind: 'issues',
      township: null,
      label: '数据问题',
      weight: (db.prepare('SELECT count(*) AS n FROM quality_issue').get() as { n: number }).n,
    });

  const createdDir = !existsSync(opts.dir);
  // On a read-only disk mkdir may say ENOENT or EROFS; either way the folder could not be made, and that is said.
  createFolder(opts.dir, true);
  cleanAbandonedStaging(opts.dir);
  context.dir = join(opts.dir, stagingFolderName());
  createFolder(context.dir, false);
  const [mine, theirs] = opts.workspacePath && jobs.length > 1 ? splitEvenly(jobs) : [jobs, []];
  const files: WrittenFile[] = [];
  let started = 0;
  const report = (label: string) =>
    opts.onProgress?.({ label, done: Math.min(started++, jobs.length), total: jobs.length });
  // Either thread's failure (or the clerk's cancel) stops both; the first failure is the one reported.
  let failure: unknown = null;
  let manifest: ExportResult['manifest'] | undefined;
  let other: WorkerJob<WrittenFile[]> | null = null;
  const signal: CancelFlag = {
    get aborted() {
      return failure !== null || opts.signal?.aborted === true;
    },
  };
  const poll = setInterval(() => signal.aborted && other?.cancel(), 50);
  try {
    other = theirs.length
      ? startWorkerJob<ExportWorkerData, WrittenFile[]>(
          import.meta.url,
          'export-worker',
          { path: opts.workspacePath!, password: opts.workspacePassword, context, jobs: theirs },
          (p) => report(p.label),
        )
      : null;
    const theirsDone = other?.result.then(
      (f) => void files.push(...f),
      (e: unknown) => void (failure ??= e),
    );
    try {
      for (const job of mine) {
        report(job.label);
        files.push(await runExportJob(db, context, job, signal));
      }
    } catch (e) {
      failure ??= e;
    }
    if (failure) other?.cancel();
    await theirsDone;
    // A cancel that came after the last file still means: leave nothing.
    if (!failure && opts.signal?.aborted) failure = new CanbaoError('cancelled', EXPORT_CANCELLED);
    // The same order whichever thread wrote a file.
    // A county-wide file (township null) and a township named '' are different files.
    const key = (x: { kind: string; township: string | null }) => `${x.kind}|${x.township ?? '\u0000'}`;
    const order = new Map(jobs.map((j, i) => [key(j), i]));
    files.sort((a, b) => order.get(key(a))! - order.get(key(b))!);
    if (!failure) {
      try {
        manifest = writeManifestLast(db, opts, context.dir, files);
      } catch (e) {
        failure = storageFault(e, join(opts.dir, '导出清单'), 'write') ?? e;
      }
    }
  } finally {
    clearInterval(poll);
    // Nothing half done stays: the files this export already moved into the folder go, and the files they replaced
    // (kept in the staging folder) come back, before that folder goes. One that cannot come back leaves the folder
    // for a later export to clear.
    const restored = !failure || restoreReplaced(files);
    // An antivirus scan may hold a file just written for a moment (Windows refuses to remove it): tried again for a
    // second, then left for the next export into this folder to clear; the export itself has succeeded or failed.
    if (restored)
      try {
        rmSync(context.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
      } catch {
        leaveForLater(context.dir);
      }
  }
  if (failure) {
    try {
      if (createdDir && readdirSync(opts.dir).length === 0) rmdirSync(opts.dir);
    } catch {
      // A folder that cannot be listed or removed is harmless: it holds nothing of this export.
    }
    throw withUnwritten(failure, jobs);
  }
  report('完成');
  return { files, manifest: manifest! };
}

/** The audit entry first (the chain head after it goes in the manifest), then the manifest, staged and renamed last of all. */
function writeManifestLast(db: Database.Database, opts: ExportOptions, stagingDir: string, files: WrittenFile[]) {
  const at = new Date();
  const options = {
    what: opts.what,
    mask: opts.mask,
    townships: opts.townships ?? null,
    format: opts.format,
    ...(opts.batch ? { batchNo: opts.batch.no } : {}),
    ...(opts.continuityYear !== undefined ? { continuityYear: opts.continuityYear } : {}),
  };
  const logged = files.map((f) => ({ file: f.file, rows: f.rows, sha256: f.sha256 }));
  const batch = opts.batch;
  if (batch)
    db.transaction(() => {
      // The batch counts from here on: its files are all in place, and the log says so in the same step.
      db.prepare(`UPDATE dispatch_batch SET state = 'done' WHERE id = ?`).run(batch.id);
      appendAudit(db, opts.actor, 'dispatch', {
        dir: opts.dir,
        ...options,
        batchNo: batch.no,
        persons: batch.persons,
        townships: opts.townships ?? [],
        files: logged,
      });
    })();
  else appendAudit(db, opts.actor, 'export', { dir: opts.dir, ...options, files: logged });
  const manifest = buildManifest({
    workspace: basename(opts.workspacePath ?? db.name),
    at,
    actor: opts.actor,
    auditHead: auditHead(db),
    options,
    files,
  });
  const file = join(opts.dir, manifestName(at));
  writeFileAtomic(stagingDir, file, `${JSON.stringify(manifest, null, 2)}\n`);
  fsyncDir(opts.dir);
  return { file, ...manifest };
}

function createFolder(dir: string, recursive: boolean): void {
  try {
    mkdirSync(dir, { recursive });
  } catch (e) {
    const code = (e as { code?: string }).code;
    const fault =
      storageFault(e, dir, 'createFolder') ??
      (code === 'ENOENT'
        ? new CanbaoError(
            'storageFault',
            `无法创建文件夹“${basename(dir)}”：上级位置不存在、是只读的或路径太长。请换一个可写的文件夹`,
          )
        : null);
    throw fault ?? e;
  }
}

/** The clerk is told which files were not written: none of the export stays, so every planned file is listed. */
function withUnwritten(failure: unknown, jobs: ExportJob[]): unknown {
  if (!(failure instanceof Error)) return failure;
  const names = jobs.map((j) => j.label);
  const shown = names.length > 8 ? `${names.slice(0, 8).join('、')} 等 ${names.length} 个文件` : names.join('、');
  const tail = names.length ? `。以下文件均未写入：${shown}` : '';
  if (failure instanceof CanbaoError) {
    if (failure.kind === 'cancelled') return new CanbaoError('cancelled', `${failure.detail}${tail}`);
    return new CanbaoError(failure.kind, `${failure.detail}${tail}`, failure.location);
  }
  const kind = (failure as { kind?: string }).kind;
  if (kind && typeof (failure as { message?: unknown }).message === 'string')
    return new CanbaoError(kind as CanbaoError['kind'], `${failure.message}${tail}`);
  return failure;
}

export { EXPORT_KINDS, LINKAGE_HEADER, type ExportKind };

/** Two groups of about equal rows: largest first, each to the lighter group. */
function splitEvenly(jobs: ExportJob[]): [ExportJob[], ExportJob[]] {
  const a: ExportJob[] = [],
    b: ExportJob[] = [];
  let wa = 0,
    wb = 0;
  for (const j of [...jobs].sort((x, y) => y.weight - x.weight)) {
    if (wa <= wb) {
      a.push(j);
      wa += j.weight;
    } else {
      b.push(j);
      wb += j.weight;
    }
  }
  return [a, b];
}

/** What the export worker (export-worker.ts) is started with. */
export interface ExportWorkerData {
  path: string;
  password: string | undefined;
  context: JobContext;
  jobs: ExportJob[];
}
