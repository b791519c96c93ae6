import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { exportWorkbooks } from '../../electron/core/export/export-all';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch } from '../../electron/core/match/run-match';
import { fileNameSafe } from '../../shared/text/file-name';
import { Service } from '../../electron/core/service/service';
import { generateCounty } from '../fixtures/county-generator';
import { tempDir } from '../helpers/files';
import { FIXED_SEED } from '../helpers/seed';

// The clerks' PCs run Windows; these tests run on Linux. node:fs is given the Windows rules that bit the app there
// (found by a helper's review, 29 November 2026), for the engine's code in this file's module graph:
// - a flush (FlushFileBuffers) needs a handle with write access: EPERM on one opened read-only (nodejs/node#3879);
// - a file WPS or Excel holds open cannot be renamed over or linked to (EBUSY), though it can be read;
// - an exFAT or FAT32 USB stick has no hard links, and Node reports EISDIR for them (nodejs/node#65817).
const windows = vi.hoisted(() => ({
  readOnly: new Set<number>(),
  held: new Set<string>(),
  /** Files an antivirus scan holds for the next so many renames. */
  scanned: new Map<string, number>(),
  /** A scan holds a file in every export staging folder: the folder cannot be removed. */
  stagingScanned: false,
  noHardLinks: false,
}));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const refuse = (code: string, syscall: string, path: string) =>
    Object.assign(new Error(`${code}: ${syscall} '${path}'`), { code, syscall, path });
  const openSync = (path: fs.PathLike, flags: fs.OpenMode = 'r', mode?: fs.Mode) => {
    const fd = real.openSync(path, flags, mode);
    if (flags === 'r' || flags === 'rs') windows.readOnly.add(fd);
    else windows.readOnly.delete(fd);
    return fd;
  };
  const fsyncSync = (fd: number) => {
    if (windows.readOnly.has(fd)) throw refuse('EPERM', 'fsync', String(fd));
    real.fsyncSync(fd);
  };
  const renameSync = (from: fs.PathLike, to: fs.PathLike) => {
    for (const p of [String(from), String(to)]) {
      if (windows.held.has(p)) throw refuse('EBUSY', 'rename', p);
      const left = windows.scanned.get(p) ?? 0;
      if (left > 0) {
        windows.scanned.set(p, left - 1);
        throw refuse('EBUSY', 'rename', p);
      }
    }
    real.renameSync(from, to);
  };
  const linkSync = (existing: fs.PathLike, path: fs.PathLike) => {
    if (windows.noHardLinks) throw refuse('EISDIR', 'link', String(path));
    if (windows.held.has(String(existing))) throw refuse('EBUSY', 'link', String(existing));
    real.linkSync(existing, path);
  };
  const rmSync = (path: fs.PathLike, opts?: fs.RmOptions) => {
    if (windows.stagingScanned && String(path).includes('.canbao-export-')) throw refuse('EBUSY', 'rm', String(path));
    real.rmSync(path, opts);
  };
  const mocked = { ...real, openSync, fsyncSync, renameSync, linkSync, rmSync };
  return { ...mocked, default: mocked };
});

const dir = tempDir('canbao-windows-');
const wsPath = join(dir, 'w.canbao');
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const ledgers = (out: string) => fs.readdirSync(out).filter((f) => f.includes('未参保人员台账'));
const options = (out: string) => ({ dir: out, what: ['ledger' as const], mask: '6-4' as const, actor: '王芳' });

beforeAll(async () => {
  const { truth } = await generateCounty({ people: 600, seed: FIXED_SEED, out: join(dir, 'county') });
  const ws = Workspace.open(wsPath, { create: true });
  for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year });
  runMatch(ws);
  ws.close();
}, 300_000);

beforeEach(() => {
  windows.held.clear();
  windows.scanned.clear();
  windows.stagingScanned = false;
  windows.noHardLinks = false;
});

describe('在 Windows 上：文件被 WPS 打开、U 盘没有硬链接、刷新需要写权限', () => {
  it('exports every township’s ledger, though Windows flushes a file only through a handle that may write', async () => {
    const out = join(dir, 'flush');
    const ws = Workspace.open(wsPath);
    const r = await exportWorkbooks(ws.db, { ...options(out), format: 'xlsx' });
    ws.close();
    expect(r.files.length).toBeGreaterThan(1);
    expect(ledgers(out).sort()).toEqual(r.files.map((f) => f.file.split('/').pop()).sort());
  });

  it('exporting again while one ledger is open in WPS: refused, naming that file, and last time’s ledgers all stay as they were', async () => {
    const out = join(dir, 'held');
    const ws = Workspace.open(wsPath);
    const first = await exportWorkbooks(ws.db, { ...options(out), format: 'csv' });
    const before = new Map(ledgers(out).map((f) => [f, sha256(join(out, f))]));
    expect(before.size).toBeGreaterThan(2);
    // The last ledger written is the one open: every other one has been moved into place when its rename fails.
    const open = first.files.at(-1)!.file;
    windows.held.add(open);
    // Different content this time (another mask), so a ledger put back is told from a new one.
    const failure = await exportWorkbooks(ws.db, { ...options(out), format: 'csv', mask: 'full' }).catch(
      (e: unknown) => e,
    );
    ws.close();
    const name = open.split('/').pop()!;
    expect(failure).toMatchObject({ kind: 'storageFault', message: expect.stringContaining(name) });
    expect((failure as Error).message).toMatch(/关闭/);
    // The ledgers written before it were moved into place, then put back as they were when the export failed.
    expect(new Map(ledgers(out).map((f) => [f, sha256(join(out, f))]))).toEqual(before);
    expect(fs.readdirSync(out).filter((f) => f.startsWith('.canbao-export-'))).toEqual([]);
  });

  it('an antivirus scan holding a file in the staging folder does not turn a finished export into a failure', async () => {
    const out = join(dir, 'scanned');
    windows.stagingScanned = true;
    const ws = Workspace.open(wsPath);
    const r = await exportWorkbooks(ws.db, { ...options(out), format: 'csv' });
    ws.close();
    expect(ledgers(out).length).toBe(r.files.length);
    expect(fs.readdirSync(out).filter((f) => f.startsWith('.canbao-export-')).length).toBe(1);
    windows.stagingScanned = false;
    // The next export clears the folder left behind.
    const ws2 = Workspace.open(wsPath);
    await exportWorkbooks(ws2.db, { ...options(out), format: 'csv' });
    ws2.close();
    expect(fs.readdirSync(out).filter((f) => f.startsWith('.canbao-export-'))).toEqual([]);
  });

  it('a township whose name holds a character Windows refuses in file names still gets its ledger', async () => {
    const copy = join(dir, 'slash.canbao');
    fs.copyFileSync(wsPath, copy);
    const ws = Workspace.open(copy);
    const t = (ws.db.prepare(`SELECT min(township_key) AS t FROM person_status`).get() as { t: string }).t;
    ws.db.prepare(`UPDATE person_status SET township_key = ? WHERE township_key = ?`).run(`${t}/开发区`, t);
    const out = join(dir, 'slash');
    const r = await exportWorkbooks(ws.db, { ...options(out), format: 'xlsx', townships: [`${t}/开发区`] });
    ws.close();
    expect(ledgers(out)).toEqual([`${t}／开发区_未参保人员台账_2026.xlsx`]);
    expect(r.files[0]!.rows).toBeGreaterThan(0);
    expect(fileNameSafe('城关镇:东区*"A"<B>|C?\\D. ')).toBe('城关镇：东区＊＂A＂＜B＞｜C？＼D');
  });

  it('a workspace on an exFAT USB stick, with no hard links: created and opened, its lock taken and given back', () => {
    windows.noHardLinks = true;
    const path = join(dir, 'usb.canbao');
    for (const create of [true, false]) {
      const ws = Workspace.open(path, { create });
      const lock = JSON.parse(fs.readFileSync(`${path}.lock`, 'utf8')) as { pid: number };
      expect(lock.pid).toBe(process.pid);
      ws.close();
      expect(fs.existsSync(`${path}.lock`)).toBe(false);
    }
  });

  it('restoring a backup while an antivirus scan holds the workspace: tried again; held on, refused by name, and the workspace open again as it was', async () => {
    const path = join(dir, 'restore.canbao');
    fs.copyFileSync(wsPath, path);
    const s = new Service({
      recentFile: join(dir, 'recent.json'),
      actor: '王芳',
      emit: () => undefined,
      cancel: { isSet: () => false, set: () => undefined, clear: () => undefined } as never,
    });
    await s.handle('workspace.open', { path });
    await s.handle('backup.create', {});
    const { backups } = await s.handle('backup.list', {});
    const file = backups[0]!.file;
    await s.handle('settings.set', { targetRate: 0.8 });
    // Held for two tries: the third puts the backup in place.
    windows.scanned.set(path, 2);
    await s.handle('backup.restore', { file });
    expect((await s.handle('settings.get', {})).targetRate).not.toBe(0.8);
    await s.handle('settings.set', { targetRate: 0.8 });
    windows.scanned.set(path, 1000);
    const refused = await s.handle('backup.restore', { file }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: 'storageFault', message: expect.stringContaining('restore.canbao') });
    // Not left with nothing open: the workspace is open again, unchanged.
    expect((await s.handle('workspace.status', {})).path).toBe(path);
    expect((await s.handle('settings.get', {})).targetRate).toBe(0.8);
    s.close();
  }, 60_000);
});
