import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { exportWorkbooks } from '../../electron/core/export/export-all';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch } from '../../electron/core/match/run-match';
import { importStatus } from '../../electron/core/workspace-status';
import { generateCounty } from '../fixtures/county-generator';
import { cli } from '../helpers/run-cli';
import { tempDir } from '../helpers/files';
import { mountTmpfs, unmount } from '../helpers/tmpfs';
import { FIXED_SEED } from '../helpers/seed';

const dir = tempDir();
const wsPath = join(dir, 'w.canbao');
const seed = FIXED_SEED;
const EVERYTHING = ['ledger', 'duplicates', 'persons', 'rates', 'linkage', 'issues'] as const;

beforeAll(async () => {
  const { truth } = await generateCounty({ people: 1200, seed, out: join(dir, 'county') });
  const ws = Workspace.open(wsPath, { create: true });
  for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year });
  runMatch(ws);
  ws.close();
}, 300_000);

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const staging = (d: string) => readdirSync(d).filter((f) => f.startsWith('.canbao-export-'));

const small = join(dir, 'small-disk');
const readonly = join(dir, 'readonly-disk');
const smallRefused = mountTmpfs(small, '64k');
const roRefused = mountTmpfs(readonly, '1m', true);
afterAll(() => {
  for (const [at, refused] of [
    [small, smallRefused],
    [readonly, roRefused],
  ] as const)
    if (!refused) unmount(at);
});

describe(`原子导出与导出清单（seed ${seed}）`, () => {
  it('writes a manifest last whose rows and sha256 match every file in the folder, and leaves no staging folder', async () => {
    const out = join(dir, 'ok');
    const ws = Workspace.open(wsPath);
    const r = await exportWorkbooks(ws.db, {
      dir: out,
      what: [...EVERYTHING],
      mask: '6-4',
      format: 'csv',
      actor: '王芳',
      workspacePath: wsPath,
    });
    const exportEntry = ws.db
      .prepare(`SELECT id, hash FROM audit_log WHERE action = 'export' ORDER BY id DESC LIMIT 1`)
      .get() as { id: number; hash: string };
    ws.close();
    const manifestFile = readdirSync(out).find((f) => /^导出清单-.*\.json$/.test(f))!;
    const manifest = JSON.parse(readFileSync(join(out, manifestFile), 'utf8'));
    expect(manifest).toMatchObject({
      workspace: 'w.canbao',
      actor: '王芳',
      // The chain head after the export's own entry: the files are tied to the log.
      auditHead: { id: exportEntry.id, hash: exportEntry.hash },
      options: { what: [...EVERYTHING], mask: '6-4', format: 'csv', townships: null },
    });
    expect(manifest.files.length).toBe(r.files.length);
    for (const f of manifest.files) {
      const text = readFileSync(join(out, f.file), 'utf8');
      expect(sha256(join(out, f.file)), f.file).toBe(f.sha256);
      // Ledgers have a title line; the plain CSVs (比对明细, 数据问题) a single header; rows are never more than lines.
      expect(text.split('\n').filter(Boolean).length, f.file).toBeGreaterThan(f.rows);
    }
    expect(readdirSync(out).sort()).toEqual(
      [...manifest.files.map((f: { file: string }) => f.file), manifestFile].sort(),
    );
    expect(staging(out)).toEqual([]);

    // An auditor ties the folder to the log; a manifest whose head was altered is not tied.
    const tied = await cli('audit', '--workspace', wsPath, '--verify', '--manifest', join(out, manifestFile));
    expect(tied.code, tied.err).toBe(0);
    expect(tied.out).toContain(`与操作日志第 ${exportEntry.id} 条相符`);
    const forged = join(dir, '改过的导出清单.json');
    writeFileSync(forged, JSON.stringify({ ...manifest, auditHead: { id: exportEntry.id, hash: '0'.repeat(64) } }));
    const untied = await cli('audit', '--workspace', wsPath, '--verify', '--manifest', forged);
    expect(untied.code).toBe(13);
    expect(untied.err).toMatch(/校验值不符/);
  }, 120_000);

  it('a cancelled export leaves no file, no manifest and no staging folder, and names the files not written', async () => {
    const out = join(dir, 'cancelled');
    const ws = Workspace.open(wsPath);
    let started = 0;
    const failure = await exportWorkbooks(ws.db, {
      dir: out,
      what: [...EVERYTHING],
      mask: '6-4',
      format: 'xlsx',
      actor: '王芳',
      workspacePath: wsPath,
      onProgress: () => void started++,
      signal: {
        get aborted() {
          return started >= 4;
        },
      },
    }).catch((e: unknown) => e);
    ws.close();
    expect(failure).toMatchObject({ kind: 'cancelled', message: expect.stringContaining('以下文件均未写入') });
    // The folder this export created is removed with everything in it.
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  }, 120_000);

  it('an abandoned staging folder of a dead process on this host is removed by the next export', async () => {
    const out = join(dir, 'abandoned');
    const host = (await import('node:os')).hostname().replace(/[^A-Za-z0-9_]/g, '_');
    // Pid 2^22+1 is above Linux's pid_max default range, so it is certainly not alive.
    mkdirSync(join(out, `.canbao-export-${host}-4194305-abcdef`), { recursive: true });
    const ws = Workspace.open(wsPath);
    await exportWorkbooks(ws.db, { dir: out, what: ['rates'], mask: '6-4', format: 'csv', actor: '王芳' });
    ws.close();
    expect(staging(out)).toEqual([]);
  }, 60_000);

  it.skipIf(smallRefused)(
    `a full disk: the clerk is told in Chinese, nothing half-written stays, and the workspace still answers ${smallRefused ?? ''}`,
    async () => {
      const out = join(small, 'ledgers');
      const r = await cli('export', '--workspace', wsPath, '--what', 'persons,linkage', '--out', out);
      expect(r.code, r.err).toBe(8);
      expect(r.err).toContain('磁盘空间已满');
      expect(r.err).toContain('以下文件均未写入');
      expect(r.err).not.toMatch(/\bat \S+ \(|Error:/);
      expect(readdirSync(small)).toEqual([]);
      // In this process too (the app's engine): both threads fail cleanly and the same connection still answers.
      const ws = Workspace.open(wsPath);
      const inProcess = await exportWorkbooks(ws.db, {
        dir: out,
        what: [...EVERYTHING],
        mask: '6-4',
        format: 'xlsx',
        actor: '王芳',
        workspacePath: wsPath,
      }).catch((e: unknown) => e);
      expect(inProcess).toMatchObject({ kind: 'storageFault', message: expect.stringContaining('磁盘空间已满') });
      expect(importStatus(ws.db).persons).toBeGreaterThan(0);
      ws.close();
      expect(readdirSync(small)).toEqual([]);
      const status = await cli('status', '--workspace', wsPath, '--json');
      expect(status.code, status.err).toBe(0);
      expect(JSON.parse(status.out).persons).toBeGreaterThan(0);
    },
    120_000,
  );

  it.skipIf(roRefused)(
    `a read-only disk: the folder cannot be made, said in Chinese, and the workspace still answers ${roRefused ?? ''}`,
    async () => {
      const r = await cli('export', '--workspace', wsPath, '--what', 'rates', '--out', join(readonly, 'ledgers'));
      expect(r.code, r.err).toBe(8);
      expect(r.err).toMatch(/只读|无法创建文件夹/);
      expect(r.err).not.toMatch(/\bat \S+ \(|Error:/);
      expect(readdirSync(readonly)).toEqual([]);
      expect((await cli('status', '--workspace', wsPath, '--json')).code).toBe(0);
    },
    60_000,
  );
});
