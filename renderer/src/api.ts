import type { CanbaoApi, Channel, EngineEvent, JobDoneEvent, Request, Response } from '../../shared/ipc/contract';
import { CHANNELS } from '../../shared/ipc/contract';

declare global {
  interface Window {
    api?: CanbaoApi;
  }
}

/**
 * The browser test harness serves the same contract over HTTP on 127.0.0.1 with a token (never in the packaged app).
 * In Electron, the preload's window.api is used instead.
 */
function httpApi(token: string): CanbaoApi {
  const headers = { 'content-type': 'application/json', 'x-canbao-token': token };
  const call = async (channel: Channel, request: unknown) => {
    const res = await fetch(`/api/${channel}`, { method: 'POST', headers, body: JSON.stringify(request ?? {}) });
    const body = (await res.json()) as { ok: boolean; result?: unknown; error?: { message: string } };
    if (!body.ok) throw new Error(body.error?.message ?? '请求失败');
    return body.result;
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
    const res = await fetch(`/api/upload?name=${encodeURIComponent(file.name)}`, { method: 'POST', headers: { 'x-canbao-token': token }, body: file });
    const body = (await res.json()) as { ok: boolean; result?: { path: string }; error?: { message: string } };
    if (!body.ok) throw new Error(body.error?.message ?? '上传失败');
    return body.result!.path;
  };
  api.chooseFolder = async () => {
    const res = await fetch('/api/choose-folder', { method: 'POST', headers });
    return ((await res.json()) as { result?: { path: string } }).result?.path ?? null;
  };
  api.openFolder = async () => undefined;
  return api;
}

function resolveApi(): CanbaoApi {
  if (window.api) return window.api;
  const token = new URLSearchParams(location.search).get('token');
  if (!token) throw new Error('无法连接到参保比对引擎');
  return httpApi(token);
}

export const api: CanbaoApi = resolveApi();

export function call<C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>> {
  const fn = api[channel] as unknown as (r: Request<C>) => Promise<Response<C>>;
  return fn(request);
}

/**
 * Starts a job and resolves when its done event arrives. Listens before starting: a short job can finish before
 * the request that started it has answered.
 */
export async function runJob(
  start: () => Promise<{ jobId: string }>,
  onProgress?: (e: { jobId: string; done: number; total: number | null; label: string }) => void,
): Promise<JobDoneEvent> {
  const seen: EngineEvent[] = [];
  let jobId: string | null = null;
  let finish: (e: JobDoneEvent) => void = () => undefined;
  const done = new Promise<JobDoneEvent>((resolve) => (finish = resolve));
  const deliver = (e: EngineEvent) => {
    if (e.event.jobId !== jobId) return;
    if (e.type === 'progress') onProgress?.(e.event);
    else finish(e.event);
  };
  const off = api.onEvent((e) => (jobId ? deliver(e) : seen.push(e)));
  try {
    jobId = (await start()).jobId;
    onProgress?.({ jobId, done: 0, total: null, label: '开始' });
    for (const e of seen.splice(0)) deliver(e);
    return await done;
  } finally {
    off();
  }
}
