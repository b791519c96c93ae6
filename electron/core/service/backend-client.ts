import { Worker } from 'node:worker_threads';
import type { Channel, EngineEvent, ProgressEvent, Request, Response } from '../../../shared/ipc/contract';
import { EngineError, type ErrorEnvelope } from '../../../shared/ipc/errors';
import { JOB_RESULTS, type JobChannel, type JobResult } from '../../../shared/ipc/jobs';
import { sharedFlag } from '../errors';
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
  private worker!: Worker;
  private readonly cancelFlag: ReturnType<typeof sharedFlag>;
  private readonly cancelBuffer = new SharedArrayBuffer(4);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private runningJob: string | null = null;
  /** Jobs started and not yet done, with their channel: if the worker dies, each still gets its done event. */
  private readonly openJobs = new Map<string, JobChannel>();
  /** Done events that came before their job's start reply (a short job). */
  private readonly doneEarly = new Set<string>();
  private closing = false;

  constructor(private readonly opts: BackendClientOptions = {}) {
    this.cancelFlag = sharedFlag(this.cancelBuffer);
    this.start();
  }

  private start(): void {
    const worker = new Worker(this.opts.workerUrl ?? workerUrl(import.meta.url, 'backend-worker'), {
      workerData: { recentFile: this.opts.recentFile, actor: this.opts.actor, cancel: this.cancelBuffer },
      resourceLimits: ENGINE_LIMITS,
    });
    this.worker = worker;
    worker.on('message', (m: WorkerReply) => {
      if (m.type === 'event') {
        if (m.event.type === 'progress') this.runningJob = m.event.event.jobId;
        if (m.event.type === 'done') {
          this.runningJob = null;
          if (!this.openJobs.delete(m.event.event.jobId)) this.doneEarly.add(m.event.event.jobId);
        }
        for (const l of this.listeners) l(m.event);
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new EngineError(m.error));
    });
    let failure: unknown = null;
    worker.on('error', (e) => (failure = e));
    worker.on('exit', (code) => {
      if (this.closing || worker !== this.worker) return;
      this.died(failure, code);
    });
  }

  /**
   * The engine worker stopped (out of memory, a native crash): every waiting request and running job is answered
   * with a Chinese envelope instead of waiting forever, and a fresh worker takes the next request. The workspace is
   * as it was before the job: imports and matches write in one transaction, exports stage their files.
   */
  private died(failure: unknown, code: number): void {
    const outOfMemory = (failure as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
    const envelope: ErrorEnvelope = outOfMemory
      ? {
          kind: 'limitExceeded',
          message: '本机可用内存不足，这项工作未完成，工作区保持不变。请关闭其他程序（如 WPS）后重新打开工作区再试。',
        }
      : {
          kind: 'internal',
          message: `计算引擎意外停止（代码 ${code}），这项工作未完成，工作区保持不变。请重新打开工作区后再试；如反复出现，请告知技术支持。`,
        };
    for (const p of this.pending.values()) p.reject(new EngineError(envelope));
    this.pending.clear();
    const jobs = [...this.openJobs];
    this.openJobs.clear();
    this.runningJob = null;
    this.start();
    for (const [jobId, channel] of jobs) {
      const event: EngineEvent = { type: 'done', event: { jobId, channel, ok: false, error: envelope } };
      for (const l of this.listeners) l(event);
    }
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
      const started = (v: unknown) => {
        const jobId = (v as { jobId?: string }).jobId;
        if (channel in JOB_RESULTS && jobId && !this.doneEarly.delete(jobId))
          this.openJobs.set(jobId, channel as JobChannel);
        resolve(v as Response<C>);
      };
      this.pending.set(id, { resolve: started, reject });
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

  /**
   * The worker closes the workspace itself (WAL checkpoint, lock file removed) and exits; it is terminated only if it
   * has not within 10 s (a job still running), leaving a lock that the next opener finds stale.
   */
  async close(): Promise<void> {
    this.closing = true;
    const worker = this.worker;
    await new Promise<void>((done) => {
      const timer = setTimeout(() => void worker.terminate().then(() => done()), 10_000);
      worker.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      worker.postMessage({ type: 'close' });
    });
  }
}
