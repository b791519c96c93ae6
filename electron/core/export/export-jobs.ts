import { copyFileSync, existsSync, linkSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type Database from 'better-sqlite3';
import { EXPORT_KINDS } from '../../../shared/ipc/contract';
import { throwIfAborted, type CancelFlag } from '../errors';
import { EXPORT_CANCELLED } from './export-cancel';
import { sha256File } from '../file-hash';
import { storageFault, withStorageFaults } from '../storage-faults';
import { fsyncFile } from './export-staging';
import { writeBulletin } from './bulletin';
import { writeContinuityList } from './continuity-list';
import { writeSubsidyChanges, writeSubsidyLedger } from './subsidy-ledger';
import { writeLinkageCsv } from './linkage-csv';
import { writeQualityReport } from './quality-report';
import { writeRates } from './rates';
import { writeDuplicates, writePersons, type ExportSettings, type ListContext } from './township-lists';
import { writeLedger, type LedgerBatch } from './uninsured-ledger';
import type { WrittenFile } from './village-workbook';

export { EXPORT_KINDS };
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** One output file to write: plain data, so a job can be handed to another thread. */
export interface ExportJob {
  kind: ExportKind;
  township: string | null;
  label: string;
  /** Rows it will write, to share the work between threads evenly. */
  weight: number;
}

/**
 * What every job needs besides the database: plain data, too. Files are written into `dir`, a staging folder inside
 * the clerk's folder `finalDir`, and moved there (a rename on the same disk) only when complete: a cancelled or
 * failed export leaves no half-written workbook.
 */
export interface JobContext extends ExportSettings {
  finalDir: string;
  target: number;
  townships?: string[];
  /** A 下发 batch: the ledgers list its persons and name it on every row. */
  batch?: LedgerBatch;
  /** 进度通报: the day whose last snapshot is 上期. */
  since?: string;
  /** 连续参保与断保风险名单: the year chosen on its page (else the year being collected for). */
  continuityYear?: number;
}

export { EXPORT_CANCELLED };

export async function runExportJob(
  db: Database.Database,
  c: JobContext,
  job: ExportJob,
  signal?: CancelFlag,
): Promise<WrittenFile> {
  throwIfAborted(signal, EXPORT_CANCELLED);
  let staged: WrittenFile;
  try {
    staged = await writeJob({ ...c, db, signal }, job);
    fsyncFile(staged.file);
  } catch (e) {
    // A full disk, read-only folder or locked file is said as such, naming the file being written.
    throw storageFault(e, join(c.finalDir, job.label), 'write') ?? e;
  }
  throwIfAborted(signal, EXPORT_CANCELLED);
  const file = join(c.finalDir, basename(staged.file));
  // The file this one replaces (last week's ledger) is kept in the staging folder as well, as a hard link (a copy
  // where the disk has none): if the export fails later, it is put back (restoreReplaced). The rename below replaces
  // the name in one step, so no moment leaves it missing; a target Excel/WPS holds open refuses it on Windows, said
  // as a storageFault naming that file, and that file is left as it was.
  let replaced: string | undefined;
  if (existsSync(file)) {
    const keep = `${staged.file}.replaced`;
    withStorageFaults(file, 'write', () => {
      try {
        linkSync(file, keep);
      } catch {
        copyFileSync(file, keep);
      }
    });
    replaced = keep;
  }
  withStorageFaults(file, 'write', () => renameSync(staged.file, file));
  return { ...staged, file, ...(replaced && { replaced }) };
}

/**
 * After a failed export: the files it moved into the folder go, and the files they replaced come back in their place
 * (one rename each). Each is tried even if one fails (a file a clerk opened meanwhile); one that cannot come back
 * stays in the staging folder, which is then not removed (cleanAbandonedStaging clears it at a later export).
 */
export function restoreReplaced(files: WrittenFile[]): boolean {
  let all = true;
  for (const f of files) {
    try {
      if (f.replaced) renameSync(f.replaced, f.file);
      else rmSync(f.file, { force: true });
    } catch {
      all = false;
    }
  }
  return all;
}

async function writeJob(ctx: ListContext & JobContext, job: ExportJob): Promise<WrittenFile> {
  const { db, signal } = ctx;
  const t = job.township ?? '';
  switch (job.kind) {
    case 'ledger':
      return writeLedger(ctx, t);
    case 'duplicates':
      return writeDuplicates(ctx, t);
    case 'persons':
      return writePersons(ctx, t);
    case 'rates':
      return writeRates(db, ctx.dir, {
        year: ctx.year,
        county: ctx.county,
        exportDate: ctx.exportDate,
        target: ctx.target,
        format: ctx.format,
        townships: ctx.townships,
      });
    case 'bulletin':
      return writeBulletin(db, ctx);
    case 'continuity':
      return writeContinuityList(ctx, t);
    case 'subsidy':
      return job.township === null ? writeSubsidyChanges(ctx) : writeSubsidyLedger(ctx, t);
    case 'linkage': {
      const file = join(ctx.dir, `比对明细_${ctx.year}.csv`);
      const rows = await writeLinkageCsv(db, file, ctx.mask, undefined, signal);
      return {
        file,
        kind: 'linkage',
        township: null,
        rows,
        sheets: [{ name: '', rows }],
        sha256: await sha256File(file),
      };
    }
    case 'issues': {
      const file = join(ctx.dir, `数据问题_${ctx.year}.${ctx.format}`);
      const rows = await writeQualityReport(db, file, ctx.mask, signal);
      return {
        file,
        kind: 'issues',
        township: null,
        rows,
        sheets: [{ name: '数据问题', rows }],
        sha256: await sha256File(file),
      };
    }
  }
}
