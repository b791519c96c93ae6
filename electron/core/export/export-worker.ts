/** Worker-thread entry: writes its share of an export's files from its own read-only connection (worker-job protocol). */
import { rmSync } from 'node:fs';
import { Workspace } from '../db/workspace';
import { serveWorkerJob } from '../worker-job';
import type { ExportWorkerData } from './export-all';
import { runExportJob } from './export-jobs';
import type { WrittenFile } from './village-workbook';

serveWorkerJob<ExportWorkerData, WrittenFile[]>(async ({ path, password, context, jobs }, { signal, progress }) => {
  const ws = Workspace.open(path, { readonly: true, password });
  const files: WrittenFile[] = [];
  try {
    for (const job of jobs) {
      progress({ stage: 'export', done: files.length, total: jobs.length, label: job.label });
      files.push(await runExportJob(ws.db, context, job, signal));
    }
    return files;
  } catch (e) {
    // The caller removes only what it was told of: this thread's finished files go here.
    for (const f of files) rmSync(f.file, { force: true });
    throw e;
  } finally {
    ws.close();
  }
});
