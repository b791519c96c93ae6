/**
 * Test harness (never part of the packaged app): serves the built renderer and the same IPC contract over HTTP on
 * 127.0.0.1, so Playwright can drive the real UI against the real engine in Debian's Chromium. Every API request
 * must carry the random token; requests are parsed with the contract's schemas before reaching the engine.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { basename, extname, join, normalize, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Browser, Page } from 'playwright-core';
import { REQUESTS, type Channel, type EngineEvent } from '../../shared/ipc/contract';
import { toEnvelope } from '../../electron/core/errors';
import { BackendClient } from '../../electron/core/service/backend-client';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/security';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

export interface Harness {
  url: string;
  token: string;
  exportDir: string;
  /** The last requests and engine events with their times, for a test's failure message (`explainStuck`). */
  trace(): string[];
  close(): Promise<void>;
}

/**
 * `firstStart`: the app as a clerk first starts it, with no name given yet (it asks). Otherwise the clerk 王芳 is
 * already named, so other tests are not stopped by that question.
 */
export async function startHarness(opts: {
  rendererDir: string;
  dataDir: string;
  firstStart?: boolean;
}): Promise<Harness> {
  const token = randomBytes(24).toString('hex');
  const uploads = join(opts.dataDir, 'uploads');
  const exportDir = join(opts.dataDir, '导出');
  mkdirSync(uploads, { recursive: true });
  const client = new BackendClient({
    recentFile: join(opts.dataDir, 'recent.json'),
    actor: opts.firstStart ? undefined : '王芳',
  });
  const streams = new Set<ServerResponse>();
  const trace: string[] = [];
  const note = (line: string) => {
    trace.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
    if (trace.length > 200) trace.shift();
  };
  client.onEvent((e: EngineEvent) => {
    const ev = e.event as { jobId: string; stage?: string; ok?: boolean };
    note(`event ${e.type} ${ev.jobId} ${e.type === 'progress' ? ev.stage : ev.ok} to ${streams.size} stream(s)`);
    for (const s of streams) s.write(`data: ${JSON.stringify(e)}\n\n`);
  });
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/api/')) {
      const given = req.headers['x-canbao-token'] ?? url.searchParams.get('token');
      if (given !== token) return json(res, 403, { ok: false, error: { kind: 'forbidden', message: '拒绝访问' } });
      const name = url.pathname.slice(5);
      try {
        if (name === 'events') {
          res.writeHead(200, {
            'content-type': 'text/event-stream',
            'cache-control': 'no-cache',
            connection: 'keep-alive',
          });
          res.write(': ok\n\n');
          streams.add(res);
          note('event stream opened');
          req.on('close', () => {
            streams.delete(res);
            note('event stream closed');
          });
          return;
        }
        if (name === 'upload' && req.method === 'POST') {
          note(`upload ${url.searchParams.get('name') ?? ''}`);
          // Each upload in a folder of its own, under its own name: the clerk sees the file name they dropped.
          const folder = join(uploads, String(Date.now()) + randomBytes(3).toString('hex'));
          mkdirSync(folder, { recursive: true });
          const file = join(folder, basename(url.searchParams.get('name') ?? 'file'));
          await pipeline(req, createWriteStream(file));
          note('uploaded');
          return json(res, 200, { ok: true, result: { path: file } });
        }
        if (name === 'choose-folder') return json(res, 200, { ok: true, result: { path: exportDir } });
        // Own keys only: 'constructor' or 'toString' are not channels.
        if (req.method !== 'POST' || !Object.hasOwn(REQUESTS, name))
          return json(res, 404, { ok: false, error: { kind: 'badInput', message: '未知请求' } });
        let body: unknown;
        try {
          body = JSON.parse((await readBody(req)) || '{}');
        } catch {
          return json(res, 200, { ok: false, error: { kind: 'badInput', message: '请求内容不是有效的数据格式' } });
        }
        const input = REQUESTS[name as Channel].parse(body);
        note(`request ${name}`);
        const result = await client.call(name as Channel, input as never);
        note(
          `answer ${name}${(result as { jobId?: string } | null)?.jobId ? ` job ${(result as { jobId: string }).jobId}` : ''}`,
        );
        return json(res, 200, { ok: true, result });
      } catch (e) {
        note(`refused ${url.pathname.slice(5)}: ${toEnvelope(e).kind}`);
        // The engine's error envelope whole, as Electron's main process answers.
        return json(res, 200, { ok: false, error: toEnvelope(e) });
      }
    }
    const rel = normalize(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)).replace(
      /^([/\\])+/,
      '',
    );
    const file = resolve(opts.rendererDir, rel);
    if (!file.startsWith(resolve(opts.rendererDir)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404);
      return res.end();
    }
    // Under the packaged app's Content-Security-Policy (electron/main/security.ts), so what it refuses fails here too.
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    exportDir,
    trace: () => [...trace],
    close: async () => {
      for (const s of streams) s.end();
      await new Promise<void>((r) => server.close(() => r()));
      await client.close();
    },
  };
}

/** The renderer the browser project's global setup built (build-renderer.global.ts), as the packaged app serves it. */
export function builtRenderer(root: string): string {
  const dir = join(root, 'out', 'renderer');
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`no built renderer in ${dir}: run the e2e project`);
  return dir;
}

export interface OpenApp {
  harness: Harness;
  page: Page;
  close(): Promise<void>;
}

/**
 * The app in a browser window of the given size, against its own engine and data folder: what five test files set
 * up alike. An action that cannot happen fails its test (with the reason) after 20 s instead of waiting for ever.
 */
export async function openApp(opts: {
  browser: Browser;
  rendererDir: string;
  dataDir: string;
  viewport: { width: number; height: number };
  firstStart?: boolean;
}): Promise<OpenApp> {
  const harness = await startHarness({
    rendererDir: opts.rendererDir,
    dataDir: opts.dataDir,
    firstStart: opts.firstStart,
  });
  const page = await opts.browser.newPage({ viewport: opts.viewport, locale: 'zh-CN' });
  page.setDefaultTimeout(20_000);
  // Anything the app's Content-Security-Policy refuses would be refused in the packaged app too: a test fails on it.
  const refused: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
  });
  await page.goto(harness.url);
  return {
    harness,
    page,
    close: async () => {
      await page.close();
      await harness.close();
      if (refused.length) throw new Error(`the app's Content-Security-Policy refused:\n${refused.join('\n')}`);
    },
  };
}

/**
 * Why a wait ran out, in words: the dialogs open on the page, its progress line, and the harness's last requests and
 * engine events. A flaky wait in CI is then explained by its own failure message.
 */
export async function explainStuck(page: Page, harness: Harness): Promise<string> {
  const dialogs = await page
    .locator('.ant-modal-wrap')
    .evaluateAll((wraps) =>
      wraps
        .filter((w) => (w as HTMLElement).offsetParent !== null || getComputedStyle(w).display !== 'none')
        .map((w) => (w as HTMLElement).innerText.replace(/\s+/g, ' ').slice(0, 200)),
    )
    .catch((e: Error) => [`(could not read: ${e.message})`]);
  const progress = await page
    .locator('.ant-progress')
    .evaluateAll((ps) => ps.map((p) => (p.parentElement as HTMLElement).innerText.replace(/\s+/g, ' ')))
    .catch(() => []);
  return [
    `open dialogs: ${dialogs.length ? dialogs.join(' | ') : 'none'}`,
    `progress: ${progress.join(' | ') || 'none'}`,
    'harness trace (UTC):',
    ...harness.trace().slice(-40),
  ].join('\n');
}

/**
 * Clicks a dialog's button once the dialog has finished zooming in, and sees that the click took: the dialog closes,
 * or its button shows it is working (an async onOk). Twice on the loaded CI machine a click on such a button did not
 * take (roll-kind: 仍按此类型导入, then 替换): no request followed, and the dialog was still open 120 s later. It did
 * not happen here in 12 runs, 5 under two busy loops, nor with animations slowed twentyfold; every such lost click
 * had come right after the dialog appeared, and clicks after a screenshot (which waits for animations) never failed.
 * A clerk whose click did not take clicks again; so does this, once, and says so in the output. The first click may
 * yet take while the second waits (clerk-day-trust on 29 November: 删除 showed no sign for 10 s, then its dialog closed
 * under the second click, which waited 20 s on a button leaving the page and failed): a second click that cannot
 * happen because the first took is no failure.
 */
export async function clickInDialog(page: Page, testId: string): Promise<void> {
  const button = page.getByTestId(testId);
  await button.waitFor();
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await button.click();
  // Gone (the dialog closed), hidden, or working: a locator's evaluate would wait for an element that is gone.
  const took = async () =>
    (await button.count()) === 0 ||
    (await button
      .evaluate((b) => (b as HTMLElement).offsetParent === null || b.classList.contains('ant-btn-loading'), undefined, {
        timeout: 1_000,
      })
      .catch(() => true));
  for (let t = 0; t < 100 && !(await took()); t++) await page.waitForTimeout(100);
  if (await took()) return;
  console.warn(`clickInDialog: the click on ${testId} did not take in 10 s; clicking again`);
  await button.click({ timeout: 10_000 }).catch(async (e: unknown) => {
    if (!(await took())) throw e;
    console.warn(`clickInDialog: the first click on ${testId} took meanwhile`);
  });
}
