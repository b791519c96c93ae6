/** Worker thread entry: runs a match off the calling thread, posting progress; cancelled through a shared flag. */
import { parentPort, workerData } from 'node:worker_threads';
import { Workspace } from '../db/workspace';
import { CanbaoError } from '../errors';
import { runMatch, type MatchOptions } from './run-match';

interface Input {
  path: string;
  options: Omit<MatchOptions, 'onProgress' | 'signal'>;
  cancel: SharedArrayBuffer;
}

const { path, options, cancel } = workerData as Input;
const flag = new Int32Array(cancel);
try {
  const ws = Workspace.open(path);
  try {
    const summary = runMatch(ws, {
      ...options,
      onProgress: (p) => parentPort!.postMessage({ type: 'progress', progress: p }),
      signal: { get aborted() { return Atomics.load(flag, 0) === 1; } },
    });
    parentPort!.postMessage({ type: 'done', summary });
  } finally {
    ws.close();
  }
} catch (e) {
  const err = e instanceof CanbaoError ? { kind: e.kind, detail: e.detail, location: e.location } : { kind: 'internal', detail: (e as Error).stack ?? String(e) };
  parentPort!.postMessage({ type: 'error', error: err });
}
