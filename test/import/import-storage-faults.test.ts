import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDoneEvent } from '../../shared/ipc/contract';
import { Workspace } from '../../electron/core/db/workspace';
import { Service } from '../../electron/core/service/service';
import { generateCounty, type GeneratedFile } from '../fixtures/county-generator';
import { tempDir } from '../helpers/files';
import { cli } from '../helpers/run-cli';
import { FIXED_SEED } from '../helpers/seed';
import { mountTmpfs, setReadonly, tmpfsRefused } from '../helpers/tmpfs';

/** Issue 9 item 3: a full or read-only disk during an import is said truly, and the workspace stays as it was. */
const dir = tempDir('canbao-import-faults-');
const seed = FIXED_SEED;
const prepared = join(dir, 'prepared.canbao');
const small = join(dir, 'small-disk');
const readonly = join(dir, 'readonly-disk');
let rural: GeneratedFile;
let room = '';
const refused = tmpfsRefused(join(dir, 'probe'));

const snapshot = (path: string) => {
  const ws = Workspace.open(path, { readonly: true });
  try {
    const n = (sql: string) => (ws.db.prepare(sql).get() as { n: number }).n;
    return { rolls: n('SELECT count(*) AS n FROM roll'), records: n('SELECT count(*) AS n FROM record') };
  } finally {
    ws.close();
  }
};
const ENGLISH_OR_STACK = /\bat \S+ \(|Error:|SQLITE|ENOSPC|EROFS|[A-Za-z]{5,}/;

beforeAll(async () => {
  const { truth } = await generateCounty({ people: 3000, seed, out: join(dir, 'county') });
  rural = truth.files.find((f) => f.kind === 'resident_rural')!;
  const base = truth.files.find((f) => f.kind === 'population')!;
  const r = await cli('import', '--workspace', prepared, '--kind', 'population', '--year', '2026', base.path);
  if (r.code !== 0) throw new Error(r.err);
  // Room for the workspace and the automatic backup taken before the import, not for the import itself.
  room = `${Math.ceil((statSync(prepared).size * 2) / 1024) + 192}k`;
}, 300_000);

afterAll(() => {
  for (const at of [small, readonly]) if (existsSync(at)) spawnSync('umount', ['-l', at]);
});

describe(`导入时磁盘已满或只读（seed ${seed}）`, () => {
  it.skipIf(refused)(
    `a full disk: exit 8 in Chinese naming the workspace, nothing of the roll kept, and it imports once moved to a disk with room ${refused ?? ''}`,
    async () => {
      expect(mountTmpfs(small, room)).toBeNull();
      const path = join(small, 'w.canbao');
      copyFileSync(prepared, path);
      const before = snapshot(path);
      const r = await cli('import', '--workspace', path, '--kind', rural.kind, '--year', '2026', rural.path);
      expect(r.code, r.err).toBe(8);
      expect(r.err).toMatch(/磁盘空间已满.*请清理磁盘或换一个有空间的位置后重试/);
      expect(r.err).toContain('w.canbao');
      expect(r.err.replace(/“[^”]*”/g, '')).not.toMatch(ENGLISH_OR_STACK);
      expect(snapshot(path)).toEqual(before);

      // The app's engine, in this process: the job ends with the same answer and the service still answers. (The
      // backup the CLI took before its import is moved away first, so this import meets the full disk at the same step.)
      rmSync(join(small, '备份'), { recursive: true, force: true });
      const done: JobDoneEvent[] = [];
      const flag = { isSet: () => false, set: () => undefined, clear: () => undefined };
      const s = new Service({
        actor: '王芳',
        emit: (e) => void (e.type === 'done' && done.push(e.event)),
        cancel: flag as never,
      });
      await s.handle('workspace.open', { path });
      await s.handle('import.run', { path: rural.path, kind: rural.kind, year: 2026 });
      await expect.poll(() => done.length, { timeout: 60_000 }).toBe(1);
      expect(done[0]).toMatchObject({ ok: false, error: { kind: 'storageFault' } });
      expect((await s.handle('workspace.status', {})).records).toBe(before.records);
      s.close();
      expect(snapshot(path)).toEqual(before);

      // Moved to a disk with room, as the message says: the same roll imports whole; it was never counted as imported.
      const roomy = join(dir, 'moved.canbao');
      copyFileSync(path, roomy);
      const again = await cli('import', '--workspace', roomy, '--kind', rural.kind, '--year', '2026', rural.path);
      expect(again.code, again.err).toBe(0);
      expect(snapshot(roomy).records).toBe(before.records + rural.records);
    },
    180_000,
  );

  it.skipIf(refused)(
    `a read-only disk: exit 8 in Chinese saying the folder cannot be written, the workspace unchanged ${refused ?? ''}`,
    async () => {
      expect(mountTmpfs(readonly, '4m')).toBeNull();
      const path = join(readonly, 'w.canbao');
      copyFileSync(prepared, path);
      const before = snapshot(path);
      setReadonly(readonly, true);
      try {
        const r = await cli('import', '--workspace', path, '--kind', rural.kind, '--year', '2026', rural.path);
        expect(r.code, r.err).toBe(8);
        expect(r.err).toMatch(/可写|只读/);
        expect(r.err.replace(/“[^”]*”/g, '')).not.toMatch(ENGLISH_OR_STACK);
        expect(snapshot(path)).toEqual(before);
      } finally {
        setReadonly(readonly, false);
      }
    },
    120_000,
  );
});
