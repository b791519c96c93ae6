/** Worker-thread entry: writes its share of an export's files from its own read-only connection (worker-job protocol). */
import { Workspace } from '../db/workspace';
import { serveWorkerJob } from '../worker-job';
import type { ExportWorkerData } from './export-all';
import { restoreReplaced, runExportJob } from './export-jobs';
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
    // The caller undoes only what it was told of: this thread's finished files go here, and what they replaced
    // comes back.
    restoreReplaced(files);
    throw e;
  } finally {
    ws.close();
  }
});
