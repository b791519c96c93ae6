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
      // IPC copies what it carries (structured clone), both ways.
      invoke: async (channel: string, input: unknown) =>
        structuredClone(await recorded.handlers.get(channel)!(event, structuredClone(input))),
      on: (_c: string, f: (e: unknown, payload: unknown) => void) => recorded.rendererListeners.push(f),
      removeListener: () => undefined,
    },
    contextBridge: { exposeInMainWorld: (_name: string, api: unknown) => (recorded.exposed = acrossBridge(api)) },
    webUtils: { getPathForFile: () => '' },
  };
}

/**
 * A value as the page meets it across Electron's contextBridge: functions proxied (what they take and give crosses
 * too), other values copied, and an error thrown or rejected across it a new Error with the message alone: errors are
 * not serializable, so Electron takes the message off and throws a new Error on the other side (electron#28346).
 * Its own fields (an EngineError's kind, file, row) and its class stay behind.
 */
function acrossBridge(value: unknown): unknown {
  const bare = (e: unknown) => new Error(e instanceof Error ? e.message : String(e));
  if (typeof value === 'function')
    return (...args: unknown[]) => {
      let out: unknown;
      try {
        out = (value as (...a: unknown[]) => unknown)(...args.map(acrossBridge));
      } catch (e) {
        throw bare(e);
      }
      return acrossBridge(out);
    };
  if (value instanceof Promise)
    return value.then(acrossBridge, (e: unknown) => {
      throw bare(e);
    });
  if (value && typeof value === 'object') {
    if (Object.values(value).some((v) => typeof v === 'function'))
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, acrossBridge(v)]));
    return structuredClone(value);
  }
  return value;
}
