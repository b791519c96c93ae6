// npm start: build, make the example workspace, build better-sqlite3 for Electron's ABI (once), start Electron.
// The Node build in node_modules stays as it is, so tests and the CLI keep working from the same checkout.
//
// Where Electron cannot run — its binary cannot be downloaded, or its headers cannot (building better-sqlite3 for
// Electron needs them) — it says so in one line and serves the same UI to the system browser on 127.0.0.1 instead
// (scripts/serve-browser.ts, through the test harness; never packaged). CANBAO_NO_ELECTRON=1 goes there directly;
// CANBAO_NO_OPEN=1 only prints the address; CANBAO_DATA_DIR sets the browser mode's data folder (recent list, uploads,
// exports; default .cache/browser).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const run = (cmd, args, env = {}) =>
  execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
/**
 * A package's command, run by this Node rather than through npx: on Windows npx is npx.cmd, and Node refuses to
 * start a .cmd without a shell (EINVAL since Node 20.12, CVE-2024-27980), so `npm start` stopped at its first build.
 */
function tool(pkg, ...args) {
  const { bin } = JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8'));
  run(process.execPath, [join(root, 'node_modules', pkg, typeof bin === 'string' ? bin : bin[pkg]), ...args]);
}
const example = join(root, 'example', '示例县2026.canbao');
const mirrorHint = (variable) => `网络需要镜像时设置 ${variable} 后重试，见 README`;

/** Electron's executable, or why there is none. require('electron') downloads the binary when it is missing. */
async function findElectron() {
  if (process.env.CANBAO_NO_ELECTRON === '1') return { reason: '已设置 CANBAO_NO_ELECTRON=1' };
  // In a child process: a failed download prints a stack trace, which the clerk need not see. A download that
  // fails at once (no network) says nothing; one that takes a while says what it is doing.
  const probe = spawn(process.execPath, ['-e', "process.stdout.write('\\n' + require('electron'))"], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  probe.stdout.setEncoding('utf8').on('data', (d) => (out += d));
  const saying = setTimeout(() => console.log('下载 Electron（仅第一次，约 100 MB）…'), 3000);
  const giveUp = setTimeout(() => probe.kill(), 10 * 60_000);
  const code = await new Promise((r) => probe.on('close', r).on('error', () => r(1)));
  clearTimeout(saying);
  clearTimeout(giveUp);
  // The path is the last line: electron's index.js says 'Downloading Electron binary...' on stdout first.
  const path = out.split('\n').pop();
  if (code === 0 && path && existsSync(path)) return { path };
  return { reason: `无法下载 Electron 程序（${mirrorHint('ELECTRON_MIRROR')}）` };
}

/** better-sqlite3 built for Electron's ABI, or why it could not be built. */
function electronSqlite() {
  const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
  const nativeDir = join(root, '.cache', `electron-${electronVersion}`);
  const binding = join(nativeDir, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  // The copy starts out with the Node build inside; only this marker says the Electron build succeeded.
  const marker = join(nativeDir, 'built-for-electron');
  if (existsSync(marker)) return { binding };
  console.log(`为 Electron ${electronVersion} 编译 better-sqlite3（仅第一次）…`);
  rmSync(nativeDir, { recursive: true, force: true });
  mkdirSync(join(nativeDir, 'node_modules'), { recursive: true });
  cpSync(join(root, 'node_modules/better-sqlite3'), join(nativeDir, 'node_modules/better-sqlite3'), {
    recursive: true,
  });
  // electron-rebuild works on a project: give the copy one that depends on better-sqlite3 only.
  const sqliteVersion = JSON.parse(
    readFileSync(join(root, 'node_modules/better-sqlite3/package.json'), 'utf8'),
  ).version;
  writeFileSync(
    join(nativeDir, 'package.json'),
    JSON.stringify({
      name: 'canbao-electron-native',
      private: true,
      dependencies: { 'better-sqlite3': sqliteVersion },
    }),
  );
  // Straight to electron-rebuild (not through npx), without npm's nodedir setting: that would make node-gyp build
  // against Node's own headers and report success for a binary Electron cannot load. Its output goes to a log, so a
  // failure is one line here; ELECTRON_REBUILD_DIST_URL (a mirror of Electron's headers) passes through.
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^npm_config_nodedir$/i.test(k)) delete env[k];
  const build = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/@electron/rebuild/lib/cli.js'),
      '--version',
      electronVersion,
      '--module-dir',
      nativeDir,
      '--only',
      'better-sqlite3',
      '--force',
    ],
    {
      cwd: root,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 20 * 60_000,
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  const log = join(root, '.cache', `electron-${electronVersion}-rebuild.log`);
  writeFileSync(log, `${build.stdout ?? ''}${build.stderr ?? ''}${build.error ? String(build.error) : ''}`);
  if (build.status !== 0) {
    rmSync(nativeDir, { recursive: true, force: true });
    return {
      reason: `为 Electron 编译 better-sqlite3 失败，多半是无法下载 Electron 的头文件（详见 ${relative(root, log)}；${mirrorHint('ELECTRON_REBUILD_DIST_URL')}）`,
    };
  }
  writeFileSync(marker, new Date().toISOString());
  return { binding };
}

async function serveInBrowser(reason) {
  console.log(`${reason}，不启动 Electron 窗口，改在浏览器中打开参保比对。`);
  // tsx in this process: the server is TypeScript and reuses the harness and the engine client from source.
  const { register } = await import('tsx/esm/api');
  register();
  const { serveBrowser } = await import('./serve-browser.ts');
  await serveBrowser({
    rendererDir: join(root, 'out', 'renderer'),
    dataDir: resolve(root, process.env.CANBAO_DATA_DIR || join('.cache', 'browser')),
    example,
    openBrowser: process.env.CANBAO_NO_OPEN !== '1',
  });
}

const electron = await findElectron();
if (electron.path) tool('electron-vite', 'build');
// Only the renderer is needed in a browser.
else tool('vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn');
tool('tsx', 'scripts/example-workspace.ts');

const sqlite = electron.path ? electronSqlite() : {};
if (!electron.path || !sqlite.binding) {
  await serveInBrowser(electron.reason ?? sqlite.reason);
} else {
  const child = spawn(electron.path, ['.', `--example=${example}`], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CANBAO_SQLITE_BINDING: sqlite.binding },
  });
  child.on('exit', (code) => process.exit(code ?? 0));
}
