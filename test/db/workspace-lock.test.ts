import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileNameKey } from '../../electron/core/db/file-names';
import { Workspace } from '../../electron/core/db/workspace';
import { createBackup, listBackups, restoreBackup, saveCopy } from '../../electron/core/db/workspace-backup';
import { lockPathOf } from '../../electron/core/db/workspace-lock';
import { CanbaoError } from '../../electron/core/errors';
import { importFile } from '../../electron/core/import/import-file';
import { listAudit } from '../../electron/core/audit/audit-log';
import { tempDir, writeCsv } from '../helpers/files';
import { cli } from '../helpers/run-cli';
import { Service } from '../../electron/core/service/service';
import { readSettings } from '../../electron/core/settings';

const dir = tempDir('canbao-lock-');
let n = 0;
const fresh = () => join(dir, `w${++n}.canbao`);

function roll(path: string, rows: number): string {
  const lines = [['姓名', '身份证号码', '乡镇']];
  for (let i = 0; i < rows; i++) lines.push([`张${i}`, '', '城关镇']);
  return writeCsv(path, lines);
}

function lockedError(fn: () => unknown): CanbaoError {
  try {
    fn();
  } catch (e) {
    return e as CanbaoError;
  }
  throw new Error('expected the open to be refused');
}

describe('一个工作区同一时间只有一处写入', () => {
  it('a lock file names the holder while a writer has the workspace open, and is gone after close', () => {
    const path = fresh();
    const ws = Workspace.open(path, { create: true, owner: '王芳' });
    const held = JSON.parse(readFileSync(lockPathOf(path), 'utf8'));
    expect(held).toMatchObject({ owner: '王芳', host: hostname(), pid: process.pid });
    ws.close();
    expect(existsSync(lockPathOf(path))).toBe(false);
    Workspace.open(path, { readonly: true }).close(); // a reader takes no lock
    expect(existsSync(lockPathOf(path))).toBe(false);
  });

  it('a second writer in another process is refused in Chinese, naming who, where and since when', async () => {
    const path = fresh();
    Workspace.open(path, { create: true }).close();
    const other = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `const { Workspace } = await import(${JSON.stringify(join(process.cwd(), 'electron/core/db/workspace.ts'))});
         Workspace.open(${JSON.stringify(path)}, { owner: '李四' }); console.log('held'); setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((res, rej) => {
        other.stdout!.on('data', (d) => String(d).includes('held') && res());
        other.on('exit', () => rej(new Error('holder exited')));
      });
      const e = lockedError(() => Workspace.open(path));
      expect(e.kind).toBe('workspaceLocked');
      expect(e.message).toMatch(/正由本机上的用户“李四”（进程\d+）自\d{4}-\d\d-\d\d \d\d:\d\d起使用/);
      expect(e.message).toContain('请等对方关闭工作区后重试');
      const r = await cli('status', '--workspace', path);
      expect(r.code).toBe(9);
      expect(r.err).toContain('李四');
    } finally {
      other.kill('SIGKILL');
      await new Promise((res) => other.once('exit', res));
    }
    // the holder was killed: its lock is stale and the next opener takes it over
    const ws = Workspace.open(path);
    expect(JSON.parse(readFileSync(lockPathOf(path), 'utf8')).pid).toBe(process.pid);
    ws.close();
    expect(existsSync(lockPathOf(path))).toBe(false);
  });

  it("another computer's lock is honoured while fresh; one untouched for 15 minutes is taken over", async () => {
    const path = fresh();
    Workspace.open(path, { create: true }).close();
    const since = new Date().toISOString();
    const foreign = { owner: '赵六', host: 'PC-财务科', pid: 4242, since, tokens: ['x'] };
    writeFileSync(lockPathOf(path), JSON.stringify(foreign));
    const e = lockedError(() => Workspace.open(path));
    expect(e.kind).toBe('workspaceLocked');
    expect(e.message).toContain('计算机“PC-财务科”上的用户“赵六”');
    const { utimesSync } = await import('node:fs');
    const old = new Date(Date.now() - 16 * 60_000);
    utimesSync(lockPathOf(path), old, old);
    Workspace.open(path).close();
    expect(existsSync(lockPathOf(path))).toBe(false);
  });

  it('a lock of this computer from before it last started (a power cut) is taken over, though its process number is in use again', async () => {
    const path = fresh();
    Workspace.open(path, { create: true }).close();
    const { uptime } = await import('node:os');
    const { utimesSync } = await import('node:fs');
    // The parent process is alive: the number Windows gave to another program after the restart.
    const before = {
      owner: '李四',
      host: hostname(),
      pid: process.ppid,
      since: new Date().toISOString(),
      tokens: ['x'],
    };
    writeFileSync(lockPathOf(path), JSON.stringify(before));
    // Touched a minute ago: its holder may be running, so it is honoured.
    expect(lockedError(() => Workspace.open(path)).kind).toBe('workspaceLocked');
    const lastTouched = new Date(Date.now() - uptime() * 1000 - 10 * 60_000);
    utimesSync(lockPathOf(path), lastTouched, lastTouched);
    Workspace.open(path).close();
    expect(existsSync(lockPathOf(path))).toBe(false);
  });

  it('a PC that slept past 15 minutes on a shared drive, its workspace taken over by a colleague: it writes nothing more, and says why', async () => {
    const path = fresh();
    const s = new Service({
      recentFile: join(dir, 'recent-sleep.json'),
      actor: '王芳',
      emit: () => undefined,
      cancel: { isSet: () => false, set: () => undefined, clear: () => undefined } as never,
    });
    await s.handle('workspace.open', { path, create: true });
    await s.handle('settings.set', { targetRate: 0.9 });
    // While this PC slept, the colleague's PC found the lock untouched for 15 minutes and took it over.
    const theirs = { owner: '赵六', host: 'PC-财务科', pid: 4242, since: new Date().toISOString(), tokens: ['theirs'] };
    writeFileSync(lockPathOf(path), JSON.stringify(theirs));
    const refused = await s.handle('settings.set', { targetRate: 0.8 }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: 'workspaceLocked' });
    expect((refused as Error).message).toMatch(
      /已由计算机“PC-财务科”上的用户“赵六”打开.*本机已关闭它，这次操作没有执行/,
    );
    // The colleague's lock is left as it is, and this PC has no workspace open any more.
    expect(JSON.parse(readFileSync(lockPathOf(path), 'utf8'))).toEqual(theirs);
    expect((await s.handle('workspace.status', {})).path).toBeNull();
    const ws = Workspace.open(path, { readonly: true });
    expect(readSettings(ws.db).targetRate).toBe(0.9);
    ws.close();
  });

  it('a lock file left empty by a crash between its creation and its writing is removed once it is old', async () => {
    const path = fresh();
    Workspace.open(path, { create: true }).close();
    writeFileSync(lockPathOf(path), '');
    const { utimesSync } = await import('node:fs');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockPathOf(path), old, old);
    Workspace.open(path).close();
    expect(existsSync(lockPathOf(path))).toBe(false);
  });

  it('the same process may open a workspace twice; the lock stays until the last one closes', () => {
    const path = fresh();
    const a = Workspace.open(path, { create: true });
    const b = Workspace.open(path);
    a.close();
    expect(existsSync(lockPathOf(path))).toBe(true);
    b.close();
    expect(existsSync(lockPathOf(path))).toBe(false);
  });
});

describe('另存副本、备份与恢复', () => {
  it('a copy is one self-contained file with every committed import, even while the WAL holds them', async () => {
    const path = fresh();
    const ws = Workspace.open(path, { create: true });
    await importFile(ws, roll(join(dir, '居民.csv'), 30), { kind: 'resident_rural', year: 2026 });
    const copy = join(dir, '副本.canbao');
    await saveCopy(ws, copy, '王芳');
    expect(existsSync(`${copy}-wal`)).toBe(false);
    const c = Workspace.open(copy, { readonly: true });
    expect((c.db.prepare('SELECT count(*) AS n FROM record').get() as { n: number }).n).toBe(30);
    c.close();
    expect(listAudit(ws.db).some((e) => e.action === 'saveCopy')).toBe(true);
    ws.close();
    expect(existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`).length : 0).toBe(0); // checkpointed on close
  });

  it('keeps the newest N backups, and a restore brings a backup back after backing up the current state', async () => {
    const path = fresh();
    let ws = Workspace.open(path, { create: true });
    await importFile(ws, roll(join(dir, 'a.csv'), 10), { kind: 'employee', year: 2026 });
    const first = await createBackup(ws, 'manual', 3, '王芳');
    for (let i = 0; i < 4; i++) await createBackup(ws, 'import', 3, '王芳');
    expect(listBackups(path)).toHaveLength(3);
    expect(listBackups(path).map((b) => b.file)).not.toContain(first.file);
    const keep = listBackups(path)[2]!;
    await importFile(ws, roll(join(dir, 'b.csv'), 7), { kind: 'population', year: 2026 });
    ws = await restoreBackup(ws, keep.file, 3, '王芳');
    expect((ws.db.prepare('SELECT count(*) AS n FROM record').get() as { n: number }).n).toBe(10);
    const backups = listBackups(path);
    expect(backups[0]!.reason).toBe('restore');
    const before = Workspace.open(backups[0]!.path, { readonly: true });
    expect((before.db.prepare('SELECT count(*) AS n FROM record').get() as { n: number }).n).toBe(17);
    before.close();
    const actions = listAudit(ws.db).map((e) => e.action);
    expect(actions).toContain('restore');
    ws.close();
    expect(readdirSync(dir).filter((f) => f.endsWith('.restoring') || f.endsWith('.part'))).toEqual([]);
  });

  it('the CLI backs up, lists and restores, and refuses an unknown backup in Chinese', async () => {
    const path = fresh();
    const file = roll(join(dir, 'c.csv'), 12);
    expect((await cli('import', '--workspace', path, '--kind', 'employee', '--year', '2026', file)).code).toBe(0);
    const made = await cli('backup', '--workspace', path, '--json');
    expect(made.code, made.err).toBe(0);
    const list = JSON.parse((await cli('backup', '--workspace', path, '--list', '--json')).out);
    expect(list.backups.map((b: { reasonLabel: string }) => b.reasonLabel)).toContain('手动备份');
    const bad = await cli('restore', '--workspace', path, '--from', '没有这个.canbao');
    expect(bad.code).toBe(3);
    expect(bad.err).toContain('找不到备份');
    const manual = list.backups.find((b: { reason: string }) => b.reason === 'manual');
    const r = await cli('restore', '--workspace', path, '--from', manual.file, '--json');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).records).toBe(12);
    expect(existsSync(lockPathOf(path))).toBe(false);
  });
});

describe('Windows 不分大小写的文件名', () => {
  it('lists the backups of CG2026.canbao for the workspace opened as Cg2026.CANBAO on Windows, not on Linux', async () => {
    const folder = join(dir, 'case');
    mkdirSync(folder);
    const path = join(folder, 'CG2026.canbao');
    const ws = Workspace.open(path, { create: true });
    const made = await createBackup(ws, 'manual', 3, '王芳');
    ws.close();
    const typedOtherwise = join(folder, 'Cg2026.CANBAO');
    expect(listBackups(typedOtherwise, 'win32').map((b) => b.file)).toEqual([made.file]);
    expect(listBackups(typedOtherwise, 'linux')).toEqual([]);
    expect(fileNameKey('D:\\参保\\CG2026.canbao', 'win32')).toBe(fileNameKey('d:\\参保\\cg2026.CANBAO', 'win32'));
    expect(fileNameKey('CG2026.canbao', 'linux')).not.toBe(fileNameKey('cg2026.canbao', 'linux'));
  });
});

describe('最近打开的工作区', () => {
  it('a workspace on a USB stick that is out is not offered, and is offered again once the stick is back', async () => {
    const recentFile = join(dir, 'recent-usb.json');
    const service = () =>
      new Service({
        recentFile,
        actor: '王芳',
        emit: () => undefined,
        cancel: { isSet: () => false, set: () => undefined, clear: () => undefined } as never,
      });
    const stick = join(dir, 'U盘');
    const onStick = join(stick, '县2026.canbao');
    const onDisk = fresh();
    const { renameSync } = await import('node:fs');
    mkdirSync(stick);
    const s = service();
    await s.handle('workspace.open', { path: onStick, create: true });
    await s.handle('workspace.open', { path: onDisk, create: true });
    s.close();
    // The stick is pulled out; the clerk works on the PC's own workspace meanwhile.
    renameSync(stick, `${stick}-拔出`);
    const t = service();
    expect((await t.handle('workspace.recent', {})).paths).toEqual([onDisk]);
    await t.handle('workspace.open', { path: onDisk });
    t.close();
    renameSync(`${stick}-拔出`, stick);
    expect((await service().handle('workspace.recent', {})).paths).toEqual([onDisk, onStick]);
  });
});
