/** Worker-thread entry: writes its share of the export's files from its own read-only connection. */
import { parentPort, workerData } from 'node:worker_threads';
import { Workspace } from '../db/workspace';
import { runExportJob, type ExportJob, type JobContext } from './export-jobs';

const { path, context, jobs } = workerData as { path: string; context: JobContext; jobs: ExportJob[] };
const ws = Workspace.open(path, { readonly: true });
try {
  for (const job of jobs) {
    parentPort!.postMessage({ type: 'start', job });
    parentPort!.postMessage({ type: 'file', file: await runExportJob(ws.db, context, job) });
  }
  parentPort!.postMessage({ type: 'done' });
} catch (e) {
  parentPort!.postMessage({ type: 'error', message: (e as Error).message });
} finally {
  ws.close();
}
