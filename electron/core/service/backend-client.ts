import { Worker } from 'node:worker_threads';
import type { Channel, EngineEvent, ProgressEvent, Request, Response } from '../../../shared/ipc/contract';
import { EngineError, type ErrorEnvelope } from '../../../shared/ipc/errors';
import type { JobChannel, JobResult } from '../../../shared/ipc/jobs';
import { sharedFlag, toEnvelope } from '../errors';
import { ENGINE_LIMITS, workerUrl } from '../workers';

export { EngineError };

type WorkerReply =
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: ErrorEnvelope }
  | { type: 'event'; event: EngineEvent };

export interface BackendClientOptions {
  /** The app's recent-workspace list (and the clerk's name beside it); the CLI gives none. */
  recentFile?: string;
  /** Who acts, for the CLI's --by. */
  actor?: string;
  workerUrl?: URL;
}

/**
 * Talks to the engine worker (service/backend-worker.ts). Used by Electron's main process, the CLI and the browser
 * test harness alike, so all reach the same handlers through the same contract and the same worker protocol.
 * Failures arrive as EngineError carrying the error envelope's kind, Chinese message and place. Cancelling sets a
 * shared flag the running job polls (the worker may be busy inside that very job).
 */
export class BackendClient {
  private readonly worker: Worker;
  private readonly cancelFlag: ReturnType<typeof sharedFlag>;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private runningJob: string | null = null;

  constructor(opts: BackendClientOptions = {}) {
    const cancel = new SharedArrayBuffer(4);
    this.cancelFlag = sharedFlag(cancel);
    this.worker = new Worker(opts.workerUrl ?? workerUrl(import.meta.url, 'backend-worker'), {
      workerData: { recentFile: opts.recentFile, actor: opts.actor, cancel },
      resourceLimits: ENGINE_LIMITS,
    });
    this.worker.on('message', (m: WorkerReply) => {
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
      else p.reject(new EngineError(m.error));
    });
    this.worker.on('error', (e) => {
      const error = new EngineError(toEnvelope(e));
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    });
  }

  call<C extends Channel>(channel: C, input: Request<C>): Promise<Response<C>> {
    if (channel === 'job.cancel') {
      // Answered here: the worker may be busy inside the very job to cancel.
      const running = this.runningJob !== null && this.runningJob === (input as Request<'job.cancel'>).jobId;
      if (running) this.cancelFlag.set();
      return Promise.resolve({ cancelled: running } as Response<C>);
    }
    const id = this.nextId++;
    return new Promise<Response<C>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, channel, input });
    });
  }

  /**
   * Starts a job and resolves with its typed result when its done event arrives, or rejects with the EngineError.
   * Listens before starting: a short job can finish before the request that started it has answered.
   */
  async runJob<C extends JobChannel>(
    channel: C,
    input: Request<C>,
    on: { progress?: (p: ProgressEvent) => void; started?: (jobId: string) => void } = {},
  ): Promise<JobResult<C>> {
    const seen: EngineEvent[] = [];
    let jobId: string | null = null;
    let settle: { resolve: (r: JobResult<C>) => void; reject: (e: Error) => void } | null = null;
    const done = new Promise<JobResult<C>>((resolve, reject) => (settle = { resolve, reject }));
    const deliver = (e: EngineEvent) => {
      if (e.event.jobId !== jobId) return;
      if (e.type === 'progress') on.progress?.(e.event);
      else if (e.event.ok) settle!.resolve(e.event.result as JobResult<C>);
      else settle!.reject(new EngineError(e.event.error));
    };
    const off = this.onEvent((e) => (jobId ? deliver(e) : seen.push(e)));
    try {
      jobId = ((await this.call(channel, input)) as { jobId: string }).jobId;
      on.started?.(jobId);
      for (const e of seen.splice(0)) deliver(e);
      return await done;
    } finally {
      off();
    }
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
