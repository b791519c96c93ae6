/**
 * The electron module, mocked: the Electron binary cannot run on our build machines, so the shell (main process
 * and preload) is tested against this stand-in, which records what the shell asks of it. One mock for every shell
 * test, so they all exercise the same surface:
 *
 *   const recorded = await vi.hoisted(async () => (await import('../helpers/electron-mock')).newRecorded());
 *   vi.mock('electron', async () => (await import('../helpers/electron-mock')).electronMock(recorded));
 */
export interface ElectronRecord {
  handlers: Map<string, (event: unknown, input: unknown) => Promise<unknown>>;
  appEvents: Map<string, (...args: unknown[]) => unknown>;
  windowOptions: Record<string, unknown>[];
  permissionRequest: null | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void);
  permissionCheck: null | (() => boolean);
  sandbox: boolean;
  /** What the main process sent to the page, and the page's listeners (the preload's side). */
  sent: { channel: string; payload: unknown }[];
  rendererListeners: ((e: unknown, payload: unknown) => void)[];
  /** What the preload exposed as window.api. */
  exposed: unknown;
  /** The user-data folder app.getPath returns. */
  userData: string;
  /** How often a window was brought to the front (a second start of the app). */
  focusCalls: number;
  /** What shell.openPath was asked to open. */
  opened: string[];
}

/** The record's starting state (made inside vi.hoisted, which runs before the test file's imports). */
export function newRecorded(): ElectronRecord {
  return {
    handlers: new Map(),
    appEvents: new Map(),
    windowOptions: [],
    permissionRequest: null,
    permissionCheck: null,
    sandbox: false,
    sent: [],
    rendererListeners: [],
    exposed: null,
    userData: '/tmp/canbao-shell-test',
    focusCalls: 0,
    opened: [],
  };
}

export function electronMock(recorded: ElectronRecord) {
  const page = { url: 'app://canbao/index.html' };
  // invoke from the preload reaches the main process's handler as from the app's top frame.
  const event = { senderFrame: page, sender: { mainFrame: page } };
  class BrowserWindow {
    webContents = {
      send: (channel: string, payload: unknown) => {
        recorded.sent.push({ channel, payload });
        for (const l of recorded.rendererListeners) l({}, payload);
      },
    };
    constructor(opts: Record<string, unknown>) {
      recorded.windowOptions.push(opts);
    }
    once() {}
    loadURL() {
      return Promise.resolve();
    }
    show() {}
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {
      recorded.focusCalls++;
    }
  }
  return {
    app: {
      enableSandbox: () => (recorded.sandbox = true),
      whenReady: () => Promise.resolve(),
      requestSingleInstanceLock: () => true,
      on: (e: string, f: (...args: unknown[]) => unknown) => recorded.appEvents.set(e, f),
      getPath: () => recorded.userData,
      quit: () => undefined,
    },
    BrowserWindow,
    ipcMain: {
      handle: (c: string, f: (event: unknown, input: unknown) => Promise<unknown>) => recorded.handlers.set(c, f),
    },
    protocol: { registerSchemesAsPrivileged: () => undefined, handle: () => undefined },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (f: never) => (recorded.permissionRequest = f),
        setPermissionCheckHandler: (f: never) => (recorded.permissionCheck = f),
      },
    },
    dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
    shell: { openPath: async (p: string) => (recorded.opened.push(p), '') },
    net: { fetch: async () => new Response('') },
    ipcRenderer: {
      invoke: (channel: string, input: unknown) => recorded.handlers.get(channel)!(event, input),
      on: (_c: string, f: (e: unknown, payload: unknown) => void) => recorded.rendererListeners.push(f),
      removeListener: () => undefined,
    },
    contextBridge: { exposeInMainWorld: (_name: string, api: unknown) => (recorded.exposed = api) },
    webUtils: { getPathForFile: () => '' },
  };
}
