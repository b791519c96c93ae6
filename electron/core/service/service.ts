import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  REQUESTS,
  type Channel,
  type EngineEvent,
  type JobDoneEvent,
  type ParsedRequest,
  type Response,
  type StatusResponse,
} from '../../../shared/ipc/contract';
import { JOB_LABEL, JOB_RESULTS, type JobChannel, type JobResult, type JobStarted } from '../../../shared/ipc/jobs';
import { overallFraction, secondsLeft } from '../../../shared/ipc/job-progress';
import { defaultActor } from '../audit/audit-log';
import { fileNameKey } from '../db/file-names';
import { Workspace } from '../db/workspace';
import { setDeveloperLogDir } from '../developer-log';
import { CanbaoError, toEnvelope, type CancelFlag } from '../errors';
import type { PersonSearch } from '../search/person-search';
import { importStatus } from '../workspace-status';
import { createHandlers, type Handlers } from './handlers';

export interface ServiceOptions {
  /**
   * Where the app keeps its list of recent workspaces; the clerk's name is remembered beside it. The CLI gives
   * none: it remembers nothing between runs.
   */
  recentFile?: string;
  /** Who acts (the CLI's --by); otherwise the remembered name, else the OS user. */
  actor?: string;
  emit: (e: EngineEvent) => void;
  /** Set by the caller's thread to cancel the running job (shared memory: the job may block this thread). */
  cancel: CancelFlag & { set(): void; clear(): void };
}

/**
 * The one engine API: a handler per contract channel (handlers.ts), called alike by the app's engine worker, the
 * CLI (through the same worker) and the test harness. Every request is parsed with the contract's schema here;
 * requests are served one at a time, so nothing writes into an import's open transaction. Long work runs as a job:
 * the request answers with a job id, progress and the typed result (or the error envelope) follow as events.
 */
export class Service {
  private openWs: Workspace | null = null;
  search: PersonSearch | null = null;
  actor: string;
  /** Whether a clerk's name was ever given (the UI, --by): if not, the app asks for it before anything else. */
  actorNamed: boolean;
  private queue: Promise<unknown> = Promise.resolve();
  private currentJob: string | null = null;
  private readonly handlers: Handlers;

  get ws(): Workspace | null {
    return this.openWs;
  }

  /** Unexpected errors are logged beside the open workspace, where the clerk can find the file to send. */
  set ws(next: Workspace | null) {
    this.openWs = next;
    setDeveloperLogDir(next ? dirname(next.path) : null);
  }

  constructor(private readonly opts: ServiceOptions) {
    const named = opts.actor ?? this.savedActor();
    this.actorNamed = named !== null && named !== undefined;
    this.actor = named ?? defaultActor();
    this.handlers = createHandlers(this);
  }

  /** Parses the request with the contract (a refused request is badInput, in Chinese) and runs its handler. */
  handle<C extends Channel>(channel: C, input: unknown): Promise<Response<C>> {
    const schema = Object.hasOwn(REQUESTS, channel) ? REQUESTS[channel] : undefined;
    if (!schema) return Promise.reject(new CanbaoError('badInput', `未知的请求“${String(channel)}”`));
    if (channel === 'job.cancel')
      return Promise.resolve().then(
        () => this.cancel(schema.parse(input) as ParsedRequest<'job.cancel'>) as Response<C>,
      );
    const run = this.queue.then(() => {
      // Checked before every request (a small file read): the minute between the lock's touches is enough for a PC
      // waking from sleep to write beside the colleague who took the workspace over.
      const takenOver = this.ws?.closeIfTakenOver();
      if (takenOver) {
        this.ws = null;
        if (channel !== 'workspace.open' && channel !== 'workspace.recent') throw takenOver;
      }
      const handler = this.handlers[channel as Exclude<Channel, 'job.cancel'>] as unknown as (
        i: ParsedRequest<C>,
      ) => Promise<Response<C>>;
      return handler(schema.parse(input) as ParsedRequest<C>);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Normally answered by the calling thread through the shared flag (this thread may be busy in the job). */
  cancel({ jobId }: ParsedRequest<'job.cancel'>): { cancelled: boolean } {
    const running = this.currentJob === jobId;
    if (running) this.opts.cancel.set();
    return { cancelled: running };
  }

  close(): void {
    this.ws?.close();
    this.ws = null;
  }

  need(): Workspace {
    if (!this.ws) throw new CanbaoError('badInput', '请先在“工作区”页面打开或新建一个工作区');
    return this.ws;
  }

  status(): StatusResponse {
    if (!this.ws) {
      return {
        path: null,
        records: 0,
        rolls: [],
        idStatus: { valid: 0, converted15: 0, badChecksum: 0, excelDamaged: 0, malformed: 0, missing: 0 },
        qualityIssues: 0,
        matched: false,
        rollsChangedSinceMatch: false,
        unmatchedRecords: 0,
        persons: 0,
        duplicates: 0,
        uninsured: 0,
        decisionsUnapplied: 0,
        notInBase: 0,
        reviewPending: 0,
        matchCapped: [],
        exportedSinceMatch: false,
        actor: this.actor,
        actorNamed: this.actorNamed,
        encrypted: false,
      };
    }
    return {
      path: this.ws.path,
      ...importStatus(this.ws.db),
      actor: this.actor,
      actorNamed: this.actorNamed,
      encrypted: this.ws.encrypted,
    };
  }

  /** The clerk's name is remembered beside the recent-workspace list: every log entry carries it. */
  private get actorFile(): string | null {
    return this.opts.recentFile ? join(dirname(this.opts.recentFile), 'actor.json') : null;
  }

  private savedActor(): string | null {
    try {
      if (!this.actorFile) return null;
      const saved: unknown = JSON.parse(readFileSync(this.actorFile, 'utf8'));
      // Earlier versions could save the field's placeholder "经办人" itself: that names nobody, so ask again.
      return typeof saved === 'string' && saved.trim() && saved.trim() !== '经办人' ? saved.trim() : null;
    } catch {
      return null;
    }
  }

  setActor(name: string): void {
    this.actor = name;
    this.actorNamed = true;
    if (!this.actorFile) return;
    mkdirSync(dirname(this.actorFile), { recursive: true });
    writeFileSync(this.actorFile, JSON.stringify(name));
  }

  /** The recent workspaces that are there now: one on a USB stick that is out is not offered, but not forgotten. */
  recent(): string[] {
    return this.remembered().filter((p) => existsSync(p));
  }

  private remembered(): string[] {
    if (!this.opts.recentFile) return [];
    try {
      const list: unknown = JSON.parse(readFileSync(this.opts.recentFile, 'utf8'));
      return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [];
    } catch {
      return [];
    }
  }

  remember(path: string): void {
    if (!this.opts.recentFile) return;
    // From the whole list, not only what is there now: a workspace on a USB stick that is out comes back with it.
    // The same file named in another case (Windows ignores case) is one line, under the name used last.
    const list = [path, ...this.remembered().filter((p) => fileNameKey(p) !== fileNameKey(path))].slice(0, 10);
    mkdirSync(dirname(this.opts.recentFile), { recursive: true });
    writeFileSync(this.opts.recentFile, JSON.stringify(list));
  }

  /**
   * Starts long work: answers at once with a job id; progress and the outcome arrive as events. The result is
   * checked against the contract's schema for the channel, so what the renderer and the CLI read is what they expect.
   */
  startJob<C extends JobChannel>(
    channel: C,
    work: (jobId: string, signal: CancelFlag) => Promise<JobResult<C>>,
  ): JobStarted {
    const jobId = randomUUID();
    const cancel = this.opts.cancel;
    const run = this.queue.then(async () => {
      cancel.clear();
      this.currentJob = jobId;
      this.jobs.set(jobId, { channel, started: performance.now() });
      this.progress(jobId, 'start', JOB_LABEL[channel], 0, null);
      let done: JobDoneEvent;
      try {
        const signal = this.ws ? this.ws.jobSignal(cancel) : cancel;
        const result = JOB_RESULTS[channel].parse(await work(jobId, signal));
        this.search = null;
        done = { jobId, channel, ok: true, result } as JobDoneEvent;
      } catch (e) {
        // Stopped because a colleague took the workspace over mid-job: nothing was committed, and the workspace is
        // closed here as a request would close it, with the reason rather than 操作已取消.
        const takenOver = this.ws?.closeIfTakenOver();
        if (takenOver) this.ws = null;
        done = { jobId, channel, ok: false, error: toEnvelope(takenOver ?? e) };
      } finally {
        this.currentJob = null;
        this.jobs.delete(jobId);
      }
      this.opts.emit({ type: 'done', event: done });
    });
    this.queue = run;
    return { jobId };
  }

  /** Running jobs: their channel and start, for the overall fraction and the time left. */
  private readonly jobs = new Map<string, { channel: JobChannel; started: number }>();

  /** `readFraction`: an import's reader's fraction of the whole file (ReadMeter). */
  progress(
    jobId: string,
    stage: string,
    label: string,
    done: number,
    total: number | null,
    readFraction: number | null = null,
  ): void {
    const job = this.jobs.get(jobId);
    const overall = job ? overallFraction(job.channel, stage, done, total, readFraction) : null;
    const left = job ? secondsLeft(overall, (performance.now() - job.started) / 1000) : null;
    this.opts.emit({
      type: 'progress',
      event: { jobId, stage, done, total, label, overall, secondsLeft: left },
    });
  }
}
