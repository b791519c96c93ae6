/**
 * The one worker protocol for long work inside the engine's threads, in the vocabulary of the contract's job events:
 * progress messages `{ stage, done, total, label }`, one done message with either the typed result or the error
 * envelope (kind, Chinese message and place survive the thread boundary), and cancel through a flag in shared memory
 * that the job polls. The engine worker behind the app and the CLI (service/backend-worker.ts) speaks it to its
 * callers through BackendClient; helper threads a job starts (the export's second writer) speak it here.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { EngineError, type ErrorEnvelope } from '../../shared/ipc/errors';
import { sharedFlag, toEnvelope, type CancelFlag } from './errors';
import { ENGINE_LIMITS, workerUrl } from './workers';

export interface JobProgressMessage {
  stage: string;
  done: number;
  total: number | null;
  label: string;
}

type WorkerMessage<R> =
  | { type: 'progress'; event: JobProgressMessage }
  | { type: 'done'; ok: true; result: R }
  | { type: 'done'; ok: false; error: ErrorEnvelope };

export interface WorkerJob<R> {
  result: Promise<R>;
  /** Asks the job to stop (it throws `cancelled` at its next check and cleans up after itself). */
  cancel(): void;
}

/**
 * Runs the worker entry `name` (found beside `base`, see workerUrl) on `data`. The job sees `cancel` as its signal;
 * failures come back as EngineError with the kind the worker raised.
 */
export function startWorkerJob<D, R>(
  base: string,
  name: string,
  data: D,
  onProgress?: (p: JobProgressMessage) => void,
): WorkerJob<R> {
  const cancel = new SharedArrayBuffer(4);
  const worker = new Worker(workerUrl(base, name), { workerData: { data, cancel }, resourceLimits: ENGINE_LIMITS });
  let settled = false;
  const result = new Promise<R>((resolve, reject) => {
    worker.on('message', (m: WorkerMessage<R>) => {
      if (m.type === 'progress') onProgress?.(m.event);
      else {
        settled = true;
        if (m.ok) resolve(m.result);
        else reject(new EngineError(m.error));
      }
    });
    worker.on('error', (e) => reject(new EngineError(toEnvelope(e))));
    worker.on('exit', (code) => {
      if (!settled)
        reject(
          new EngineError({
            kind: 'internal',
            message: `程序内部错误：后台线程意外停止（代码 ${code}），这项操作没有完成。请重试一次；如仍出错，请告知信息管理员`,
          }),
        );
    });
  });
  return { result, cancel: () => sharedFlag(cancel).set() };
}

/** The worker side: runs `work` once on the data it was started with and reports by the protocol above. */
export function serveWorkerJob<D, R>(
  work: (data: D, ctx: { signal: CancelFlag; progress: (p: JobProgressMessage) => void }) => Promise<R>,
): void {
  const { data, cancel } = workerData as { data: D; cancel: SharedArrayBuffer };
  const post = (m: WorkerMessage<R>) => parentPort!.postMessage(m);
  work(data, { signal: sharedFlag(cancel), progress: (event) => post({ type: 'progress', event }) })
    .then((result) => post({ type: 'done', ok: true, result }))
    .catch((e: unknown) => post({ type: 'done', ok: false, error: toEnvelope(e) }));
}
