import { Worker } from 'node:worker_threads';
import { ENGINE_LIMITS, workerUrl } from '../workers';
import { CanbaoError, type CanbaoErrorKind } from '../errors';
import type { MatchOptions, MatchProgress, MatchSummary } from './run-match';

/**
 * Runs the matcher in a worker thread so the caller (the app's main process, the CLI) stays responsive.
 * Progress comes back as events; an AbortSignal cancels it and nothing is written (the run commits at its end).
 */
export function matchInWorker(path: string, opts: Omit<MatchOptions, 'signal' | 'onProgress'> & { onProgress?: (p: MatchProgress) => void; signal?: AbortSignal } = {}): Promise<MatchSummary> {
  const { onProgress, signal, ...options } = opts;
  const cancel = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancel);
  const worker = new Worker(workerUrl(import.meta.url, 'match-worker'), { workerData: { path, options, cancel }, resourceLimits: ENGINE_LIMITS });
  const onAbort = () => Atomics.store(flag, 0, 1);
  signal?.addEventListener('abort', onAbort);
  if (signal?.aborted) onAbort();
  return new Promise<MatchSummary>((resolve, reject) => {
    worker.on('message', (m: { type: string; progress?: MatchProgress; summary?: MatchSummary; error?: { kind: CanbaoErrorKind | 'internal'; detail: string; location?: object } }) => {
      if (m.type === 'progress') onProgress?.(m.progress!);
      else if (m.type === 'done') resolve(m.summary!);
      else if (m.type === 'error') {
        const e = m.error!;
        reject(e.kind === 'internal' ? new Error(e.detail) : new CanbaoError(e.kind, e.detail, e.location));
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (code !== 0) reject(new Error(`比对进程异常退出（${code}）`));
    });
  });
}
