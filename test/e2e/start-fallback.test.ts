/// <reference lib="dom" />
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS_PATTERN } from '../../scripts/serve-browser';
import { tempDir } from '../helpers/files';
import { apiStatus, launchChromium } from '../helpers/browser';

// npm start where Electron cannot run: scripts/start.mjs serves the app to a browser on 127.0.0.1 instead.
// Forced with CANBAO_NO_ELECTRON=1, so the test takes the same path on a machine where Electron is installed.
const root = resolve(import.meta.dirname, '../..');
const shots = join(root, 'test-output', 'screenshots');
const example = join(root, 'example', '示例县2026.canbao');
const dir = tempDir('canbao-start-');
let child: ChildProcess;
let output = '';
let url: string;
let browser: Browser;
let page: Page;
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CANBAO_NO_ELECTRON: '1', CANBAO_NO_OPEN: '1', CANBAO_DATA_DIR: join(dir, 'data') },
  });
  exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  // Builds the renderer and, on a fresh checkout, makes the example workspace first.
  url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no address after 150 s:\n${output}`)), 150_000);
    const check = () => {
      const m = ADDRESS_PATTERN.exec(output);
      if (m) {
        clearTimeout(timer);
        ok(m[0]);
      }
    };
    child.stdout!.on('data', check);
    void exited.then(({ code }) => fail(new Error(`npm start exited (${code}) before serving:\n${output}`)));
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
});

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('npm start 在无法运行 Electron 时改用浏览器', () => {
  it('says so in one Chinese line and prints a loopback address with a token', async () => {
    expect(output.split('\n').filter((l) => l.includes('不启动 Electron'))).toHaveLength(1);
    const u = new URL(url);
    expect(u.hostname).toBe('127.0.0.1');
    expect(u.searchParams.get('token')).toMatch(/^[0-9a-f]{48}$/);
    expect(await apiStatus(u.origin)).toBe(403);
    expect(await apiStatus(u.origin, '0'.repeat(48))).toBe(403);
  });

  let persons = 0;
  let uninsured = 0;
  it('opens the printed address on the example workspace, matched', async () => {
    await page.goto(url);
    await page.getByText(example).first().waitFor();
    const matched = page.getByTestId('rolls').getByText(/已比对，[\d,]+ 人/);
    await matched.waitFor();
    persons = Number((await matched.textContent())!.replace(/\D/g, ''));
    await page.screenshot({ path: join(shots, 'npm-start-browser-workspace-screenshot.png') });
    await page.getByRole('menuitem', { name: /^结果/ }).click();
    const total = page.getByTestId('list-total');
    await expect.poll(async () => Number((await total.textContent())?.replace(/\D/g, '') || 0)).toBeGreaterThan(0);
    uninsured = Number((await total.textContent())!.replace(/\D/g, ''));
    await page.screenshot({ path: join(shots, 'npm-start-browser-results-screenshot.png') });
    expect(persons).toBeGreaterThan(0);
  });

  it('stops on Ctrl+C: exits 0 and the port no longer answers', async () => {
    child.kill('SIGINT');
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000));
    await expect(Promise.race([exited, timeout])).resolves.toEqual({ code: 0, signal: null });
    await expect(fetch(new URL(url).origin, { signal: AbortSignal.timeout(5000) })).rejects.toThrow();
  });

  it('shows the same counts as the command line reports for the example workspace', () => {
    const cli = JSON.parse(
      execFileSync('npm', ['run', '--silent', 'canbao', '--', 'status', '--workspace', example, '--json'], {
        cwd: root,
        encoding: 'utf8',
      }),
    ) as { persons: number; uninsured: number };
    expect(cli.persons).toBeGreaterThan(0);
    expect(cli.uninsured).toBeGreaterThan(0);
    expect(persons).toBe(cli.persons);
    expect(uninsured).toBe(cli.uninsured);
  });
});
