// npm start: build, make the example workspace, build better-sqlite3 for Electron's ABI (once), start Electron.
// The Node build in node_modules stays as it is, so tests and the CLI keep working from the same checkout.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const run = (cmd, args, env = {}) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

run(npx, ['electron-vite', 'build']);
run(npx, ['tsx', 'scripts/example-workspace.ts']);

const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const nativeDir = join(root, '.cache', `electron-${electronVersion}`);
const binding = join(nativeDir, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
// The copy starts out with the Node build inside; only this marker says the Electron build succeeded.
const marker = join(nativeDir, 'built-for-electron');
if (!existsSync(marker)) {
  console.log(`为 Electron ${electronVersion} 编译 better-sqlite3（仅第一次）…`);
  rmSync(nativeDir, { recursive: true, force: true });
  mkdirSync(join(nativeDir, 'node_modules'), { recursive: true });
  cpSync(join(root, 'node_modules/better-sqlite3'), join(nativeDir, 'node_modules/better-sqlite3'), { recursive: true });
  // electron-rebuild works on a project: give the copy one that depends on better-sqlite3 only.
  const sqliteVersion = JSON.parse(readFileSync(join(root, 'node_modules/better-sqlite3/package.json'), 'utf8')).version;
  writeFileSync(join(nativeDir, 'package.json'), JSON.stringify({ name: 'canbao-electron-native', private: true, dependencies: { 'better-sqlite3': sqliteVersion } }));
  try {
    // Straight to electron-rebuild (not through npx), without npm's nodedir setting: that would make node-gyp build
    // against Node's own headers and report success for a binary Electron cannot load.
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (/^npm_config_nodedir$/i.test(k)) delete env[k];
    execFileSync(process.execPath, [join(root, 'node_modules/@electron/rebuild/lib/cli.js'), '--version', electronVersion, '--module-dir', nativeDir, '--only', 'better-sqlite3', '--force'], { cwd: root, stdio: 'inherit', env });
  } catch {
    rmSync(nativeDir, { recursive: true, force: true });
    console.error('为 Electron 编译 better-sqlite3 失败：需要联网下载 Electron 的头文件，请联网后重试 npm start');
    process.exit(1);
  }
  writeFileSync(marker, new Date().toISOString());
}

const electron = createRequire(import.meta.url)('electron');
const child = spawn(electron, ['.', `--example=${join(root, 'example', '示例县2026.canbao')}`], {
  cwd: root, stdio: 'inherit', env: { ...process.env, CANBAO_SQLITE_BINDING: binding },
});
child.on('exit', (code) => process.exit(code ?? 0));
