/**
 * npm start where Electron cannot run (its binary or its headers could not be downloaded): the same UI against the
 * same engine, served by the browser test harness (test/e2e/harness.ts) on 127.0.0.1 with a random port and token.
 * Like the harness this is never packaged: electron-builder packs only out/** and package.json.
 *
 * Opens the example workspace on first run as Electron's main process does (through the harness's own token-checked
 * API), prints the address with the token in it, opens the system browser where there is a desktop, and closes the
 * server and the engine worker on Ctrl+C.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Channel, Request, Response } from '../shared/ipc/contract';
import { startHarness, type Harness } from '../test/e2e/harness';

/** The line that carries the address; the start-fallback E2E test reads the address from it. */
export const ADDRESS_PREFIX = '参保比对已在浏览器中运行，地址：';
export const ADDRESS_PATTERN = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/;

export interface ServeOptions {
  rendererDir: string;
  dataDir: string;
  /** Opened when the clerk has no recent workspace yet, as Electron opens it (electron/main/index.ts). */
  example?: string;
  openBrowser: boolean;
}

async function call<C extends Channel>(h: Harness, channel: C, request: Request<C>): Promise<Response<C>> {
  const res = await fetch(new URL(`/api/${channel}`, h.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-canbao-token': h.token },
    body: JSON.stringify(request),
  });
  const body = (await res.json()) as { ok: boolean; result?: Response<C>; error?: { message: string } };
  if (!body.ok) throw new Error(body.error?.message ?? `请求失败：${channel}`);
  return body.result as Response<C>;
}

/** The system browser, where there is a desktop to show it; any failure is silent (the address is printed). */
function openInBrowser(url: string): void {
  let cmd: string;
  let args: string[];
  if (process.platform === 'win32') [cmd, args] = ['cmd', ['/c', 'start', '', url]];
  else if (process.platform === 'darwin') [cmd, args] = ['open', [url]];
  // Without a display xdg-open would fall back to a text browser inside this terminal.
  else if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) [cmd, args] = ['xdg-open', [url]];
  else return;
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true, windowsHide: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener: the printed address is enough.
  }
}

export async function serveBrowser(opts: ServeOptions): Promise<void> {
  const h = await startHarness({ rendererDir: opts.rendererDir, dataDir: opts.dataDir });
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl+C while closing: stop waiting.
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    stopping = true;
    process.stdout.write('正在停止参保比对……\n');
    // Guard against a connection that never closes; the engine is terminated either way.
    setTimeout(() => process.exit(0), 5000).unref();
    try {
      await h.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  try {
    if (opts.example && existsSync(opts.example) && (await call(h, 'workspace.recent', {})).paths.length === 0) {
      await call(h, 'workspace.open', { path: opts.example, create: false });
    }
  } catch (e) {
    process.stderr.write(`打开示例工作区失败：${(e as Error).message}\n`);
  }
  if (stopping) return;
  process.stdout.write(`${ADDRESS_PREFIX}${h.url}（仅本机可访问，按 Ctrl+C 停止）\n`);
  if (opts.openBrowser) openInBrowser(h.url);
}
