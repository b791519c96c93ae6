import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Channel, EngineEvent, ParsedRequest, Response, StatusResponse } from '../../../shared/ipc/contract';
import { appendAudit, defaultActor, listAudit } from '../audit/audit-log';
import { Workspace } from '../db/workspace';
import { CanbaoError, type CancelFlag } from '../errors';
import { exportWorkbooks } from '../export/export-all';
import { participationRates } from '../export/rates';
import { importFile } from '../import/import-file';
import { runMatch } from '../match/run-match';
import { decidePair, listPending, pendingCount } from '../review/review-queue';
import { PersonSearch } from '../search/person-search';
import { readSettings, writeSetting } from '../settings';
import { importStatus } from '../workspace-status';
import { previewFile } from './preview';
import { auditView, resultsList, reviewView, searchView } from './views';

export interface BackendOptions {
  /** Where the list of recent workspaces is kept (the app's user-data folder). */
  recentFile: string;
  emit: (e: EngineEvent) => void;
  /** Set to 1 by the caller's thread to cancel the running job (shared memory: the job may block this thread). */
  cancelFlag: Int32Array;
}

type Handler<C extends Channel> = (input: ParsedRequest<C>) => Promise<Response<C>>;

/**
 * The engine behind the UI: one handler per contract channel. Runs in a worker thread (never the UI thread);
 * long work runs as a job that reports progress events and can be cancelled. Requests are served one at a time,
 * so nothing writes into an import's open transaction.
 */
export class Backend {
  private ws: Workspace | null = null;
  private search: PersonSearch | null = null;
  private actor: string;
  private queue: Promise<unknown> = Promise.resolve();
  private currentJob: string | null = null;

  constructor(private readonly opts: BackendOptions) {
    this.actor = this.savedActor() ?? defaultActor();
  }

  /** The clerk's name is remembered beside the recent-workspace list: every log entry carries it. */
  private get actorFile(): string {
    return join(dirname(this.opts.recentFile), 'actor.json');
  }

  private savedActor(): string | null {
    try {
      return JSON.parse(readFileSync(this.actorFile, 'utf8')) as string;
    } catch {
      return null;
    }
  }

  handle<C extends Channel>(channel: C, input: ParsedRequest<C>): Promise<Response<C>> {
    const handler = this.handlers[channel] as Handler<C>;
    const run = this.queue.then(() => handler(input));
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    this.ws?.close();
    this.ws = null;
  }

  private need(): Workspace {
    if (!this.ws) throw new CanbaoError('badInput', '请先在“工作区”页面打开或新建一个工作区');
    return this.ws;
  }

  private status(): StatusResponse {
    if (!this.ws) {
      return { path: null, records: 0, rolls: [], idStatus: { valid: 0, converted15: 0, badChecksum: 0, excelDamaged: 0, malformed: 0, missing: 0 }, qualityIssues: 0, matched: false, unmatchedRecords: 0, persons: 0, duplicates: 0, uninsured: 0, notInBase: 0, reviewPending: 0, actor: this.actor };
    }
    return { path: this.ws.path, ...importStatus(this.ws.db), actor: this.actor };
  }

  private recent(): string[] {
    try {
      return (JSON.parse(readFileSync(this.opts.recentFile, 'utf8')) as string[]).filter((p) => existsSync(p));
    } catch {
      return [];
    }
  }

  private remember(path: string): void {
    const list = [path, ...this.recent().filter((p) => p !== path)].slice(0, 10);
    mkdirSync(dirname(this.opts.recentFile), { recursive: true });
    writeFileSync(this.opts.recentFile, JSON.stringify(list));
  }

  /** Starts long work: answers at once with a job id; progress and the outcome arrive as events. */
  private startJob(label: string, work: (jobId: string, cancel: CancelFlag) => Promise<unknown>): { jobId: string } {
    const jobId = randomUUID();
    const flag = this.opts.cancelFlag;
    const cancel: CancelFlag = { get aborted() { return Atomics.load(flag, 0) === 1; } };
    const run = this.queue.then(async () => {
      Atomics.store(flag, 0, 0);
      this.currentJob = jobId;
      this.opts.emit({ type: 'progress', event: { jobId, stage: 'start', done: 0, total: null, label } });
      try {
        const result = await work(jobId, cancel);
        this.search = null;
        this.opts.emit({ type: 'done', event: { jobId, ok: true, result } });
      } catch (e) {
        const error = e instanceof CanbaoError ? { kind: e.kind, message: e.message } : { kind: 'internal', message: `程序错误：${(e as Error).message}` };
        this.opts.emit({ type: 'done', event: { jobId, ok: false, error } });
      } finally {
        this.currentJob = null;
      }
    });
    this.queue = run;
    return { jobId };
  }

  private progress(jobId: string, stage: string, label: string, done: number, total: number | null): void {
    this.opts.emit({ type: 'progress', event: { jobId, stage, done, total, label } });
  }

  private readonly handlers: { [C in Channel]: Handler<C> } = {
    'workspace.recent': async () => ({ paths: this.recent() }),
    'workspace.open': async ({ path, create }) => {
      const next = Workspace.open(path, { create });
      this.ws?.close();
      this.ws = next;
      this.search = null;
      this.remember(next.path);
      return this.status();
    },
    'workspace.status': async () => this.status(),
    'import.preview': async ({ path, encoding, headerRow }) => previewFile(path, { encoding, headerRow }),
    'import.run': async (req) => {
      const ws = this.need();
      return this.startJob('导入', (jobId, signal) =>
        importFile(ws, req.path, {
          kind: req.kind, year: req.year, sheets: req.sheets, encoding: req.encoding, headerRow: req.headerRow, mapping: req.mapping, actor: this.actor, signal,
          onProgress: (p) => this.progress(jobId, p.stage, p.stage === 'hash' ? '校验文件' : `读取 ${p.sheet || '数据'}`, p.done, p.total),
        }));
    },
    'match.run': async ({ year }) => {
      const ws = this.need();
      const labels: Record<string, string> = { load: '读取记录', block: '生成候选对', compare: '逐项比较', estimate: '估计参数', cluster: '归并人员', persist: '写入结果', outcomes: '生成名单' };
      return this.startJob('比对', async (jobId, signal) => {
        const s = runMatch(ws, { year, actor: this.actor, signal, onProgress: (p) => this.progress(jobId, p.stage, labels[p.stage] ?? p.stage, p.done, p.total) });
        return { persons: s.persons, duplicates: s.duplicates, uninsured: s.uninsured, notInBase: s.notInBase, reviewPending: s.reviewPending, seconds: s.seconds };
      });
    },
    'job.cancel': async ({ jobId }) => {
      // Normally answered by the calling thread through the shared flag; here for completeness.
      const running = this.currentJob === jobId;
      if (running) Atomics.store(this.opts.cancelFlag, 0, 1);
      return { cancelled: running };
    },
    'review.list': async ({ offset, limit }) => {
      const ws = this.need();
      return { pending: pendingCount(ws.db), pairs: listPending(ws.db, limit, offset).map(reviewView) };
    },
    'review.decide': async ({ recordA, recordB, verdict }) => {
      const ws = this.need();
      decidePair(ws.db, recordA, recordB, verdict, this.actor);
      return { pending: pendingCount(ws.db) };
    },
    'results.list': async (q) => resultsList(this.need().db, q),
    'results.places': async () => {
      const rows = this.need().db.prepare(`SELECT coalesce(township_key, '') AS t, coalesce(village_key, '') AS v FROM person_status WHERE in_base = 1 GROUP BY t, v ORDER BY t, v`).all() as { t: string; v: string }[];
      const map = new Map<string, string[]>();
      for (const r of rows) (map.get(r.t) ?? map.set(r.t, []).get(r.t)!).push(r.v);
      return { townships: [...map].map(([name, villages]) => ({ name, villages })) };
    },
    'results.rates': async () => {
      const db = this.need().db;
      const r = participationRates(db);
      return { target: readSettings(db).targetRate, ...r };
    },
    'search.find': async ({ query }) => {
      const ws = this.need();
      this.search ??= new PersonSearch(ws.db);
      return { hits: this.search.find(query, 20).map(searchView) };
    },
    'id.reveal': async ({ recordId }) => {
      const ws = this.need();
      const row = ws.db.prepare('SELECT coalesce(id_number, id_raw) AS id FROM record WHERE id = ?').get(recordId) as { id: string } | undefined;
      if (!row) throw new CanbaoError('notFound', `记录 ${recordId} 不存在`);
      appendAudit(ws.db, this.actor, 'revealId', { recordId });
      return { id: row.id };
    },
    'export.run': async (req) => {
      const ws = this.need();
      return this.startJob('导出', async (jobId) => {
        mkdirSync(req.dir, { recursive: true });
        const r = await exportWorkbooks(ws.db, {
          dir: req.dir, what: req.what, townships: req.townships, mask: req.mask, format: req.format, actor: this.actor, workspacePath: ws.path,
          onProgress: (p) => this.progress(jobId, 'export', p.label, p.done, p.total),
        });
        return { dir: req.dir, files: r.files.map((f) => ({ file: f.file, rows: f.rows, sheets: f.sheets.length })) };
      });
    },
    'audit.list': async ({ beforeId, limit }) => ({ rows: listAudit(this.need().db, limit, beforeId).map(auditView) }),
    'settings.get': async () => {
      const s = readSettings(this.need().db);
      return { countyName: s.countyName, targetRate: s.targetRate };
    },
    'settings.set': async ({ countyName, targetRate }) => {
      const db = this.need().db;
      if (countyName !== undefined) writeSetting(db, 'countyName', countyName.trim());
      if (targetRate !== undefined) writeSetting(db, 'targetRate', targetRate);
      const s = readSettings(db);
      return { countyName: s.countyName, targetRate: s.targetRate };
    },
    'settings.actor': async ({ name }) => {
      this.actor = name;
      mkdirSync(dirname(this.actorFile), { recursive: true });
      writeFileSync(this.actorFile, JSON.stringify(name));
      return { actor: name };
    },
  };
}
