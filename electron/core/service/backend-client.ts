import { Worker } from 'node:worker_threads';
import type { Channel, EngineEvent, Request, Response } from '../../../shared/ipc/contract';
import { ENGINE_LIMITS, workerUrl } from '../workers';

export class EngineError extends Error {
  constructor(readonly kind: string, message: string) {
    super(message);
    this.name = 'EngineError';
  }
}

/**
 * Talks to the engine worker. Used by Electron's main process and by the browser test harness alike, so both
 * reach the same engine through the same contract. Cancelling sets a shared flag the running job polls.
 */
export class BackendClient {
  private readonly worker: Worker;
  private readonly cancelFlag: Int32Array;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private runningJob: string | null = null;

  constructor(opts: { recentFile: string; workerUrl?: URL }) {
    const cancel = new SharedArrayBuffer(4);
    this.cancelFlag = new Int32Array(cancel);
    this.worker = new Worker(opts.workerUrl ?? workerUrl(import.meta.url, 'backend-worker'), { workerData: { recentFile: opts.recentFile, cancel }, resourceLimits: ENGINE_LIMITS });
    this.worker.on('message', (m: { type: 'reply'; id: number; ok: boolean; result?: unknown; error?: { kind: string; message: string } } | { type: 'event'; event: EngineEvent }) => {
      if (m.type === 'event') {
        if (m.event.type === 'progress') this.runningJob = m.event.event.jobId;
        if (m.event.type === 'done') this.runningJob = null;
        for (const l of this.listeners) l(m.event);
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new EngineError(m.error!.kind, m.error!.message));
    });
    this.worker.on('error', (e) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    });
  }

  call<C extends Channel>(channel: C, input: Request<C>): Promise<Response<C>> {
    if (channel === 'job.cancel') {
      // Answered here: the worker may be busy inside the very job to cancel.
      const jobId = (input as Request<'job.cancel'>).jobId;
      const running = this.runningJob === jobId;
      if (running) Atomics.store(this.cancelFlag, 0, 1);
      return Promise.resolve({ cancelled: running } as Response<C>);
    }
    const id = this.nextId++;
    return new Promise<Response<C>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, channel, input });
    });
  }

  onEvent(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.worker.postMessage({ type: 'close' });
    await this.worker.terminate();
  }
}
