import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { writeQualityReport } from '../import/quality-report';
import { writeLinkageCsv } from './linkage-csv';
import { writeRates } from './rates';
import { writeDuplicates, writeLedger, writePersons, type ExportSettings, type ListContext } from './township-lists';
import { sha256File } from '../file-hash';
import type { WrittenFile } from './village-workbook';

export const EXPORT_KINDS = ['ledger', 'duplicates', 'persons', 'rates', 'linkage', 'issues'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** One output file to write: plain data, so a job can be handed to another thread. */
export interface ExportJob {
  kind: ExportKind;
  township: string | null;
  label: string;
  /** Rows it will write, to share the work between threads evenly. */
  weight: number;
}

/** What every job needs besides the database: plain data, too. */
export interface JobContext extends ExportSettings {
  target: number;
  townships?: string[];
}

export async function runExportJob(db: Database.Database, c: JobContext, job: ExportJob): Promise<WrittenFile> {
  const ctx: ListContext = { ...c, db };
  const t = job.township ?? '';
  switch (job.kind) {
    case 'ledger':
      return writeLedger(ctx, t);
    case 'duplicates':
      return writeDuplicates(ctx, t);
    case 'persons':
      return writePersons(ctx, t);
    case 'rates':
      return writeRates(db, c.dir, { year: c.year, county: c.county, exportDate: c.exportDate, target: c.target, format: c.format, townships: c.townships });
    case 'linkage': {
      const file = join(c.dir, `比对明细_${c.year}.csv`);
      const rows = await writeLinkageCsv(db, file, c.mask);
      return { file, kind: 'linkage', township: null, rows, sheets: [{ name: '', rows }], sha256: await sha256File(file) };
    }
    case 'issues': {
      const file = join(c.dir, `数据问题_${c.year}.${c.format}`);
      const rows = await writeQualityReport(db, file, c.mask);
      return { file, kind: 'issues', township: null, rows, sheets: [{ name: '数据问题', rows }], sha256: await sha256File(file) };
    }
  }
}
