import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { isTrustedSender, resolveAppFile } from '../../electron/main/security';
import { CHANNELS } from '../../shared/ipc/channels';

// The Electron binary cannot run on our build machines: the shell is tested against a mocked electron module,
// which records what the shell asks of it.
const recorded = await vi.hoisted(async () => (await import('../helpers/electron-mock')).newRecorded());
vi.mock('electron', async () => (await import('../helpers/electron-mock')).electronMock(recorded));
/** What the shell asked of the engine (its BackendClient, mocked below). */
const calls = vi.hoisted(() => [] as { channel: string; input: unknown }[]);
/** The shell's listener for engine events (what it forwards to the page). */
const engineListeners = vi.hoisted(() => [] as ((e: unknown) => void)[]);

vi.mock('../../electron/core/service/backend-client', () => ({
  BackendClient: class {
    onEvent(l: (e: unknown) => void) {
      engineListeners.push(l);
      return () => undefined;
    }
    async call(channel: string, input: unknown) {
      calls.push({ channel, input });
      return channel === 'workspace.recent' ? { paths: [] } : { ok: true };
    }
  },
}));

const trusted = { senderFrame: { url: 'app://canbao/index.html' }, sender: { mainFrame: null as unknown } };
trusted.sender.mainFrame = trusted.senderFrame;

beforeAll(async () => {
  await import('../../electron/main/index');
  await new Promise((r) => setTimeout(r, 20));
});

describe('Electron 外壳的安全设置', () => {
  it('opens the window sandboxed and context-isolated, without Node in the page', () => {
    expect(recorded.sandbox).toBe(true);
    const prefs = recorded.windowOptions[0]!.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('is a single instance: a second start brings the first window to the front instead of opening a second writer', () => {
    const before = recorded.focusCalls;
    recorded.appEvents.get('second-instance')!();
    expect(recorded.focusCalls).toBe(before + 1);
  });

  it('denies navigation (but a reload of its own page), redirects, webviews, new windows and every permission request', () => {
    const listeners = new Map<string, (e: { url?: string; preventDefault: () => void }) => void>();
    let openHandler: (() => { action: string }) | null = null;
    recorded.appEvents.get('web-contents-created')!(
      {},
      { on: (e: string, f: never) => listeners.set(e, f), setWindowOpenHandler: (f: never) => (openHandler = f) },
    );
    for (const e of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { url: 'https://example.com/', preventDefault: vi.fn() };
      listeners.get(e)!(event);
      expect(event.preventDefault, e).toHaveBeenCalled();
    }
    // 重新载入 on the error page reloads the app's own page; nothing else of app:// or elsewhere is navigated to.
    const navigate = (url: string) => {
      const event = { url, preventDefault: vi.fn() };
      listeners.get('will-navigate')!(event);
      return !event.preventDefault.mock.calls.length;
    };
    expect(navigate('app://canbao/index.html')).toBe(true);
    expect(navigate('app://canbao/')).toBe(true);
    for (const url of [
      'app://canbao/assets/x.js',
      'app://canbao.example.com/index.html',
      'file:///C:/x.html',
      'nonsense',
    ])
      expect(navigate(url), url).toBe(false);
    expect(openHandler!()).toEqual({ action: 'deny' });
    const cb = vi.fn();
    recorded.permissionRequest!({}, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(recorded.permissionCheck!()).toBe(false);
  });

  it('answers every contract channel, and only for the app page, with input parsed by the schema first', async () => {
    for (const c of CHANNELS) expect(recorded.handlers.has(c), c).toBe(true);
    const handler = recorded.handlers.get('review.decide')!;
    const stranger = { senderFrame: { url: 'https://example.invalid/' }, sender: { mainFrame: null as unknown } };
    stranger.sender.mainFrame = stranger.senderFrame;
    const before = calls.length;
    expect(await handler(stranger, { recordA: 1, recordB: 2, verdict: 'same' })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('拒绝') },
    });
    expect(await handler(trusted, { recordA: 'x', verdict: 'maybe' })).toMatchObject({ ok: false });
    expect(calls.length).toBe(before);
    expect(await handler(trusted, { recordA: 3, recordB: 4, verdict: 'same' })).toEqual({
      ok: true,
      result: { ok: true },
    });
    expect(calls.at(-1)).toEqual({
      channel: 'review.decide',
      input: { recordA: 3, recordB: 4, verdict: 'same' },
    });
  });

  it('trusts only the top frame of the app:// origin and serves only files inside the renderer folder', () => {
    expect(isTrustedSender('app://canbao/index.html', true)).toBe(true);
    expect(isTrustedSender('app://canbao/index.html', false)).toBe(false);
    expect(isTrustedSender('file:///C:/index.html', true)).toBe(false);
    expect(isTrustedSender('http://127.0.0.1:5173/', true)).toBe(false);
    const dir = resolve('/srv/renderer');
    expect(resolveAppFile(dir, 'app://canbao/assets/a.js')).toBe(join(dir, 'assets/a.js'));
    expect(resolveAppFile(dir, 'app://canbao/')).toBe(join(dir, 'index.html'));
    expect(resolveAppFile(dir, 'app://canbao/..%2F..%2Fetc%2Fpasswd')).toBeNull();
    expect(resolveAppFile(dir, 'app://other/index.html')).toBeNull();
  });

  it('weakens no checklist setting anywhere in the code', () => {
    const forbidden = [
      /nodeIntegration\s*:\s*true/,
      /contextIsolation\s*:\s*false/,
      /sandbox\s*:\s*false/,
      /webSecurity\s*:\s*false/,
      /allowRunningInsecureContent\s*:\s*true/,
      /unsafe-eval/,
      /experimentalFeatures\s*:\s*true/,
      /webviewTag\s*:\s*true/,
      /enableBlinkFeatures/,
      /exposeInMainWorld\([^)]*ipcRenderer\s*\)/,
    ];
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|tsx|html)$/.test(f)) files.push(p);
      }
    };
    walk('electron');
    walk('renderer');
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const re of forbidden) expect(re.test(text), `${f} ${re}`).toBe(false);
    }
    expect(readFileSync('renderer/index.html', 'utf8')).toContain("script-src 'self'");
  });

  it('opens only a folder an export of this session wrote, never another folder, a file or a program', async () => {
    const open = recorded.handlers.get('app.openFolder')!;
    const root = mkdtempSync(join(tmpdir(), 'canbao-open-'));
    const exported = join(root, '导出');
    mkdirSync(exported);
    const program = join(root, 'calc.exe');
    writeFileSync(program, '');
    expect(await open(trusted, exported)).toMatchObject({
      ok: false,
      error: { kind: 'badInput', message: '只能打开本程序本次导出或备份写入的文件夹' },
    });
    for (const l of engineListeners)
      l({
        type: 'done',
        event: { jobId: 'j', channel: 'export.run', ok: true, result: { dir: exported, files: [] } },
      });
    expect(await open(trusted, exported + '/')).toEqual({ ok: true, result: undefined });
    expect(recorded.opened).toEqual([exported]);
    for (const p of [program, root, tmpdir()]) expect(await open(trusted, p)).toMatchObject({ ok: false });
    expect(recorded.opened).toHaveLength(1);
  });
});
