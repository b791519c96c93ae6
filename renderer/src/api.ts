import type {
  CanbaoApi,
  Channel,
  EngineEvent,
  JobChannel,
  JobResult,
  ProgressEvent,
  Request,
  Response,
} from '../../shared/ipc/contract';
import { CHANNELS } from '../../shared/ipc/contract';
import { EngineError, unwrapReply, type ErrorEnvelope, type Reply } from '../../shared/ipc/errors';
import { JOB_RESULTS } from '../../shared/ipc/jobs';
import { fromBridge, type BridgeApi } from '../../shared/ipc/bridge';

declare global {
  interface Window {
    api?: BridgeApi;
  }
}

/**
 * The browser test harness serves the same contract over HTTP on 127.0.0.1 with a token (never in the packaged app).
 * In Electron, the preload's window.api is used instead, its replies unwrapped in this world (fromBridge).
 */
function httpApi(token: string): CanbaoApi {
  const headers = { 'content-type': 'application/json', 'x-canbao-token': token };
  const call = async (channel: Channel, request: unknown) => {
    const res = await fetch(`/api/${channel}`, { method: 'POST', headers, body: JSON.stringify(request ?? {}) });
    return unwrapReply((await res.json()) as Reply);
  };
  const api = Object.fromEntries(CHANNELS.map((c) => [c, (r: unknown) => call(c, r)])) as unknown as CanbaoApi;
  const listeners = new Set<(e: EngineEvent) => void>();
  const source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
  source.onmessage = (m) => {
    const e = JSON.parse(m.data as string) as EngineEvent;
    for (const l of listeners) l(e);
  };
  api.onEvent = (l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  };
  api.pathForFile = async (file: File) => {
    const res = await fetch(`/api/upload?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'x-canbao-token': token },
      body: file,
    });
    return unwrapReply((await res.json()) as Reply<{ path: string }>).path;
  };
  api.chooseFolder = async () => {
    const res = await fetch('/api/choose-folder', { method: 'POST', headers });
    return ((await res.json()) as { result?: { path: string } }).result?.path ?? null;
  };
  api.openFolder = async () => undefined;
  // No system dialog in the browser: the clerk types the workspace path.
  api.chooseWorkspace = async () => null;
  return api;
}

function resolveApi(): CanbaoApi {
  if (window.api) return fromBridge(window.api);
  const token = new URLSearchParams(location.search).get('token');
  if (!token) throw new Error('无法连接到参保比对引擎');
  return httpApi(token);
}

export const api: CanbaoApi = resolveApi();

/** Electron has the system's file dialogs; the browser harness has none (the clerk types paths there). */
export const hasSystemDialogs = Boolean(window.api);

export function call<C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>> {
  const fn = api[channel] as unknown as (r: Request<C>) => Promise<Response<C>>;
  return fn(request);
}

/** How a job ended: its result, typed by the contract for its channel, or the engine's error envelope. */
export type JobOutcome<C extends JobChannel> = { ok: true; result: JobResult<C> } | { ok: false; error: ErrorEnvelope };

/**
 * Starts a job and resolves when its done event arrives, with the result checked against the contract's schema
 * for the channel (pages read typed results, never cast). Listens before starting: a short job can finish before
 * the request that started it has answered.
 */
export async function runJob<C extends JobChannel>(
  channel: C,
  request: Request<C>,
  onProgress?: (e: ProgressEvent) => void,
): Promise<JobOutcome<C>> {
  const seen: EngineEvent[] = [];
  let jobId: string | null = null;
  let finish: (e: JobOutcome<C>) => void = () => undefined;
  const done = new Promise<JobOutcome<C>>((resolve) => (finish = resolve));
  const deliver = (e: EngineEvent) => {
    if (e.event.jobId !== jobId) return;
    if (e.type === 'progress') onProgress?.(e.event);
    else if (!e.event.ok) finish({ ok: false, error: e.event.error });
    else {
      const parsed = JOB_RESULTS[channel].safeParse(e.event.result);
      finish(
        parsed.success
          ? { ok: true, result: parsed.data as JobResult<C> }
          : { ok: false, error: { kind: 'internal', message: errorMessage(parsed.error) } },
      );
    }
  };
  const off = api.onEvent((e) => (jobId ? deliver(e) : seen.push(e)));
  try {
    jobId = ((await call(channel, request)) as { jobId: string }).jobId;
    onProgress?.({ jobId, stage: 'start', done: 0, total: null, label: '开始', overall: 0, secondsLeft: null });
    for (const e of seen.splice(0)) deliver(e);
    return await done;
  } catch (e) {
    return {
      ok: false,
      error: e instanceof EngineError ? e.toEnvelope() : { kind: 'internal', message: errorMessage(e) },
    };
  } finally {
    off();
  }
}

/** The Chinese message of a failed call (an EngineError's, already in the clerk's words). */
/**
 * What the clerk reads for a failure. The engine's errors (EngineError) are already Chinese and say what to do;
 * anything else comes from the page itself or the connection (a TypeError, "Failed to fetch") and is never shown
 * as its English text: it goes to the developer console, the clerk gets one Chinese sentence.
 */
export function errorMessage(e: unknown): string {
  if (e instanceof EngineError) return e.message;
  console.error(e);
  return e instanceof TypeError && /fetch|network/i.test(e.message)
    ? '与计算引擎的连接中断，这项操作可能没有完成。请关闭程序后重新打开；如仍出错，请告知信息管理员'
    : '程序内部错误，这项操作可能没有完成。请重试一次；如仍出错，请记下刚才的操作步骤，告知信息管理员';
}

/** The option among `values` a control reported, or undefined: antd's radio events carry `any`. */
export function oneOf<T extends string>(values: readonly T[], v: unknown): T | undefined {
  return values.find((x) => x === v);
}
