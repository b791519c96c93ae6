/**
 * The Electron shell, kept thin (Electron's security checklist): sandboxed, context-isolated renderer served from a
 * custom protocol; no navigation, no new windows, no permissions; every IPC call checks its sender and parses its
 * input with the contract's schema first. The engine runs in a worker thread (BackendClient), never on this thread.
 */
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, shell, type IpcMainInvokeEvent } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { CHANNELS, REQUESTS, type Channel, type EngineEvent } from '../../shared/ipc/contract';
import type { Reply } from '../../shared/ipc/errors';
import { CanbaoError, toEnvelope } from '../core/errors';
import { BackendClient } from '../core/service/backend-client';
import { WrittenFolders } from './written-folders';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY, isAppPage, isTrustedSender, resolveAppFile } from './security';

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();

const rendererDir = join(import.meta.dirname, '../renderer');
let win: BrowserWindow | null = null;
let client: BackendClient | null = null;
const writtenFolders = new WrittenFolders();

class ForbiddenSender extends Error {}

function assertSender(event: IpcMainInvokeEvent): void {
  if (!isTrustedSender(event.senderFrame?.url, event.senderFrame === event.sender.mainFrame))
    throw new ForbiddenSender();
}

/**
 * Every answer is the contract's reply: the result, or the engine's error envelope whole (kind, Chinese message,
 * file, sheet, row, column), so the renderer can act on the kind. Exported for the shell's tests.
 */
export async function reply(run: () => Promise<unknown>): Promise<Reply> {
  try {
    return { ok: true, result: await run() };
  } catch (e) {
    return {
      ok: false,
      error:
        e instanceof ForbiddenSender ? { kind: 'forbidden', message: '拒绝来自非本程序页面的请求' } : toEnvelope(e),
    };
  }
}

function registerIpc(c: BackendClient): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, input: unknown) =>
      reply(async () => {
        assertSender(event);
        const parsed = REQUESTS[channel as Channel].parse(input);
        const result = await c.call(channel as Channel, parsed as never);
        // 导出当前列表 is a request, not a job: its folder is noted here for 打开文件夹.
        if (channel === 'results.export') writtenFolders.add(dirname((result as { file: string }).file));
        return result;
      }),
    );
  }
  ipcMain.handle('app.chooseFolder', (event) =>
    reply(async () => {
      assertSender(event);
      const r = await dialog.showOpenDialog(win!, {
        properties: ['openDirectory', 'createDirectory'],
        title: '选择导出文件夹',
      });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    }),
  );
  ipcMain.handle('app.chooseWorkspace', (event, input: unknown) =>
    reply(async () => {
      assertSender(event);
      const filters = [{ name: '参保比对工作区', extensions: ['canbao'] }];
      if (z.enum(['open', 'create']).parse(input) === 'open') {
        const r = await dialog.showOpenDialog(win!, { properties: ['openFile'], title: '打开工作区', filters });
        return r.canceled ? null : (r.filePaths[0] ?? null);
      }
      const r = await dialog.showSaveDialog(win!, { title: '新建工作区', filters, defaultPath: '参保比对.canbao' });
      return r.canceled || !r.filePath ? null : r.filePath;
    }),
  );
  ipcMain.handle('app.openFolder', (event, input: unknown) =>
    reply(async () => {
      assertSender(event);
      const path = z.string().min(1).max(4096).parse(input);
      const allowed = writtenFolders.check(path);
      if (!allowed.ok) throw new CanbaoError('badInput', allowed.message);
      await shell.openPath(allowed.path);
    }),
  );
}

function harden(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_e, contents) => {
    // Only to the app's own page (a reload after an error); anything else, a link or a dropped file, is refused.
    contents.on('will-navigate', (e) => void (isAppPage(e.url) || e.preventDefault()));
    contents.on('will-redirect', (e) => e.preventDefault());
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  protocol.handle('app', async (request) => {
    const file = resolveAppFile(rendererDir, request.url);
    if (!file || !existsSync(file)) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    return new Response(res.body, { status: res.status, headers });
  });
}

async function createWindow(): Promise<void> {
  win = new BrowserWindow({
    width: 1366,
    height: 820,
    minWidth: 1280,
    minHeight: 720,
    title: '参保比对',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win?.show());
  client!.onEvent((e: EngineEvent) => {
    writtenFolders.note(e);
    win?.webContents.send('canbao:event', e);
  });
  await win.loadURL(`${APP_ORIGIN}/index.html`);
}

// One app per PC user: a second start would be a second writer of the same workspace. It hands over to the first,
// which comes to the front.
const firstInstance = app.requestSingleInstanceLock();
if (!firstInstance) app.quit();
app.on('second-instance', () => {
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
});

app.whenReady().then(async () => {
  if (!firstInstance) return;
  harden();
  client = new BackendClient({ recentFile: join(app.getPath('userData'), 'recent.json') });
  registerIpc(client);
  // First run from a checkout (npm start): open the example workspace made by scripts/example-workspace.ts.
  const example = process.argv.find((a) => a.startsWith('--example='))?.slice('--example='.length);
  if (example && existsSync(example) && (await client.call('workspace.recent', {})).paths.length === 0) {
    await client.call('workspace.open', { path: example, create: false });
  }
  await createWindow();
});

app.on('window-all-closed', async () => {
  await client?.close();
  app.quit();
});
