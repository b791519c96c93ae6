/**
 * Makes the example workspace that `npm start` opens on first run: a generated county (synthetic people, never
 * real ones) imported and matched, so a clerk sees every screen filled. Kept beside the checkout in example/.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Workspace } from '../electron/core/db/workspace';
import { importFile } from '../electron/core/import/import-file';
import { runMatch } from '../electron/core/match/run-match';
import { generateCounty } from '../test/fixtures/county-generator';

const dir = resolve('example');
const path = join(dir, '示例县2026.canbao');
if (existsSync(path)) {
  process.stdout.write(`示例工作区已存在：${path}\n`);
} else {
  mkdirSync(dir, { recursive: true });
  const { truth } = await generateCounty({ people: 6000, seed: 2026, out: join(dir, '示例名册') });
  // Built under a temporary name and renamed when complete: a run stopped half-way must not leave a half-made
  // workspace that the next run would take for finished.
  const partial = `${path}.partial`;
  for (const p of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(p, { force: true });
  const ws = Workspace.open(partial, { create: true });
  for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year, actor: '示例' });
  runMatch(ws, { actor: '示例' });
  ws.close(); // checkpoints the WAL into the file, so the renamed file alone is complete
  renameSync(partial, path);
  process.stdout.write(`已生成示例工作区：${path}\n`);
}
