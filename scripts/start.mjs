// npm start: build, make the example workspace, build better-sqlite3 for Electron's ABI (once), start Electron.
// The Node build in node_modules stays as it is, so tests and the CLI keep working from the same checkout.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
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
if (!existsSync(binding)) {
  console.log(`为 Electron ${electronVersion} 编译 better-sqlite3（仅第一次）…`);
  mkdirSync(join(nativeDir, 'node_modules'), { recursive: true });
  cpSync(join(root, 'node_modules/better-sqlite3'), join(nativeDir, 'node_modules/better-sqlite3'), { recursive: true });
  run(npx, ['electron-rebuild', '--version', electronVersion, '--module-dir', nativeDir, '--only', 'better-sqlite3', '--force']);
}

const electron = createRequire(import.meta.url)('electron');
const child = spawn(electron, ['.', `--example=${join(root, 'example', '示例县2026.canbao')}`], {
  cwd: root, stdio: 'inherit', env: { ...process.env, CANBAO_SQLITE_BINDING: binding },
});
child.on('exit', (code) => process.exit(code ?? 0));
