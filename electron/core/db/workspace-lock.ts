import {
  closeSync,
  existsSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { statSync } from 'node:fs';
import { hostname, uptime, userInfo } from 'node:os';
import { basename } from 'node:path';
import { randomUUID } from 'node:crypto';
import { CanbaoError } from '../errors';

/**
 * One writer per workspace, across app windows, the CLI and PCs sharing a drive: a lock file beside the workspace
 * (`<name>.canbao.lock`), created with O_EXCL, saying who holds it, on which computer, in which process, since when.
 *
 * Same process: several Workspace objects of one process may hold the workspace (the service and a CLI call in one
 * test, the migration probe of a read-only open): SQLite's own locks order their writes, and the import's duplicate
 * check runs inside its write transaction. Each adds its token to the file and removes it on close; the last removes
 * the file.
 *
 * Stale: a lock of this computer whose process is gone (a crash, a kill) is taken over at once. A lock of another
 * computer cannot be checked for its process, so its holder touches the file every minute and it is taken over only
 * when untouched for 15 minutes — fifteen missed touches, far beyond the longest step that blocks the engine's
 * thread (a county match, about a minute at a million people), and short enough that a crashed PC does not lock its
 * colleagues out for the day.
 */
export const LOCK_TOUCH_MS = 60_000;
export const LOCK_STALE_OTHER_HOST_MS = 15 * 60_000;
/** How often long work reads the lock (checkDuringWork): a small file, read at most twice a second. */
export const LOCK_CHECK_MS = 500;

export interface LockInfo {
  owner: string;
  host: string;
  pid: number;
  since: string;
  tokens: string[];
}

export function lockPathOf(workspacePath: string): string {
  return `${workspacePath}.lock`;
}

/** Who holds a lock that is no longer there: nobody known (takenOverMessage says so). */
const LOCK_GONE: LockInfo = { owner: '', host: '', pid: 0, since: '', tokens: [] };

export class WorkspaceLock {
  private timer: NodeJS.Timeout | null = null;
  private lastTouch = Date.now();
  private lastCheck = 0;
  private lostTo: LockInfo | null = null;

  private constructor(
    readonly path: string,
    private readonly token: string,
  ) {
    this.timer = setInterval(() => this.touch(), LOCK_TOUCH_MS);
    this.timer.unref();
  }

  static acquire(workspacePath: string, owner = defaultOwner()): WorkspaceLock {
    const path = lockPathOf(workspacePath);
    const token = randomUUID();
    for (let attempt = 0; attempt < 50; attempt++) {
      const mine: LockInfo = {
        owner,
        host: hostname(),
        pid: process.pid,
        since: new Date().toISOString(),
        tokens: [token],
      };
      if (createExclusive(path, mine)) return new WorkspaceLock(path, token);
      const held = readLock(path);
      if (!held) {
        // Just created by another opener and not yet written, or removed since: look again in a moment. Unreadable
        // for 10 s, it was cut short by a crash between create and write, and is removed.
        if (ageMs(path) > 10_000) removeUnreadable(path);
        else pause(20);
        continue;
      }
      if (held.host === hostname() && held.pid === process.pid) {
        writeAtomically(path, { ...held, tokens: [...held.tokens, token] });
        return new WorkspaceLock(path, token);
      }
      if (isStale(path, held)) {
        takeOver(path, held);
        continue;
      }
      throw lockedBy(workspacePath, held);
    }
    const held = readLock(path);
    if (held) throw lockedBy(workspacePath, held);
    throw new CanbaoError(
      'workspaceLocked',
      `工作区“${basename(workspacePath)}”正被另一处打开，同一时间只能有一处写入。请稍后重试；如果没有其他程序在用，删除旁边的“${basename(path)}”后重试`,
    );
  }

  release(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const held = readLock(this.path);
    if (!held || !held.tokens.includes(this.token)) return;
    const rest = held.tokens.filter((t) => t !== this.token);
    try {
      if (rest.length === 0) unlinkSync(this.path);
      else writeAtomically(this.path, { ...held, tokens: rest });
    } catch {
      // a lock that cannot be removed (a drive gone) is stale by its dead process next time
    }
  }

  /**
   * Who holds the lock now, when it is no longer this one's: a PC that slept (or lost the network drive) longer than
   * LOCK_STALE_OTHER_HOST_MS had its lock taken over by a colleague's PC, and must not write beside it. Null while it
   * is this one's, or when the lock cannot be read at this moment (a drive away for a moment is not a takeover).
   */
  takenOverBy(): LockInfo | null {
    const held = readLock(this.path);
    if (held) return held.tokens.includes(this.token) ? null : held;
    // No lock file beside a workspace that is there: a colleague took it over and has closed it since (a drive away
    // for a moment loses both files).
    return !existsSync(this.path) && existsSync(this.path.slice(0, -'.lock'.length)) ? LOCK_GONE : null;
  }

  /**
   * For long work, called from its cancel checks: the touch timer does not run while a match holds the thread, and a
   * PC put to sleep mid-job wakes inside it. At most every LOCK_CHECK_MS, whether a colleague has taken the lock over
   * (then it stays lost), and a touch when one is due. Null while the lock is this one's.
   */
  checkDuringWork(): LockInfo | null {
    const now = Date.now();
    // A clock set back (a time sync after waking) checks at once rather than waiting for the old time to come again.
    if (this.lostTo || (now >= this.lastCheck && now - this.lastCheck < LOCK_CHECK_MS)) return this.lostTo;
    this.lastCheck = now;
    this.lostTo = this.takenOverBy();
    if (!this.lostTo && (now < this.lastTouch || now - this.lastTouch >= LOCK_TOUCH_MS)) this.touch();
    return this.lostTo;
  }

  /** Who took the lock over, as long work found it (checkDuringWork); it stays lost. */
  get lost(): LockInfo | null {
    return this.lostTo;
  }

  private touch(): void {
    // A lock taken over is not touched: its mtime is its new holder's to keep.
    if (this.takenOverBy()) return;
    try {
      const now = new Date();
      utimesSync(this.path, now, now);
      this.lastTouch = now.getTime();
    } catch {
      // the drive may be away for a moment; the next touch tries again
    }
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function removeUnreadable(path: string): void {
  const aside = `${path}.${process.pid}.${randomUUID().slice(0, 8)}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return;
  }
  if (readLock(aside))
    renameSync(aside, path); // a fresh lock was written meanwhile: put it back
  else unlinkSync(aside);
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function defaultOwner(): string {
  try {
    return userInfo().username;
  } catch {
    return '未知用户';
  }
}

/**
 * Creates the lock with its content in one step: written under a temporary name, then hard-linked to the lock's name
 * (atomic, and refused if the lock exists), so no opener ever meets an empty lock. A process killed between an
 * exclusive create and its write left one, and the next opener was refused for 10 s (bench --only faults, kill 26
 * of 60). File systems without hard links (a FAT32 USB drive) fall back to the exclusive create.
 */
function createExclusive(path: string, info: LockInfo): boolean {
  const tmp = `${path}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(info));
  } catch {
    rmSync(tmp, { force: true });
    throw cannotCreate(path);
  }
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // Any other refusal may be a file system without hard links, under whatever code: EPERM, ENOTSUP or ENOSYS,
    // and EISDIR for an exFAT USB stick on Windows (nodejs/node#65817). The exclusive create says whether the folder
    // is writable at all.
    return createExclusiveUnlinked(path, info);
  } finally {
    rmSync(tmp, { force: true });
  }
}

const cannotCreate = (path: string) =>
  new CanbaoError('storageFault', `无法在工作区所在文件夹建立锁文件“${basename(path)}”：请确认文件夹可写后重试`);

function createExclusiveUnlinked(path: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw cannotCreate(path);
  }
  try {
    writeSync(fd, JSON.stringify(info));
  } finally {
    closeSync(fd);
  }
  return true;
}

function writeAtomically(path: string, info: LockInfo): void {
  const tmp = `${path}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  writeFileSync(tmp, JSON.stringify(info));
  renameSync(tmp, path);
}

export function readLock(path: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
    return typeof info.pid === 'number' && Array.isArray(info.tokens) ? info : null;
  } catch {
    return null;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/**
 * This computer's lock is stale when its process is gone, or when it was last touched before the computer last
 * started (a power cut): Windows soon gives the old process number to another program, often a system one that
 * answers EPERM, which looks alive, and the clerk would have been locked out for good.
 */
function isStale(path: string, held: LockInfo): boolean {
  if (held.host === hostname()) return !processAlive(held.pid) || ageMs(path) > uptime() * 1000 + LOCK_TOUCH_MS;
  try {
    return Date.now() - statSync(path).mtimeMs > LOCK_STALE_OTHER_HOST_MS;
  } catch {
    return true;
  }
}

/**
 * Moves the stale lock aside (rename is atomic) and checks it was the one judged stale: if another opener recovered
 * it first and already made a fresh lock, that one is put back.
 */
function takeOver(path: string, stale: LockInfo): void {
  const aside = `${path}.${process.pid}.${randomUUID().slice(0, 8)}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return;
  }
  const moved = readLock(aside);
  if (moved && moved.pid === stale.pid && moved.since === stale.since && moved.host === stale.host) {
    unlinkSync(aside);
    return;
  }
  try {
    renameSync(aside, path);
  } catch {
    unlinkSync(aside);
  }
}

function lockedBy(workspacePath: string, held: LockInfo): CanbaoError {
  const since = new Date(held.since);
  const when = Number.isNaN(since.getTime())
    ? '不久前'
    : `${since.getFullYear()}-${pad(since.getMonth() + 1)}-${pad(since.getDate())} ${pad(since.getHours())}:${pad(since.getMinutes())}`;
  const where = held.host === hostname() ? '本机' : `计算机“${held.host}”`;
  return new CanbaoError(
    'workspaceLocked',
    `工作区“${basename(workspacePath)}”正由${where}上的用户“${held.owner}”（进程${held.pid}）自${when}起使用，` +
      `同一时间只能有一处写入。请等对方关闭工作区后重试；如果对方程序已经退出或电脑已关机，` +
      `在${where === '本机' ? '该进程结束后或电脑重新启动后' : '15分钟后'}重新打开即可自动解除。`,
  );
}

/** Said when this process's lock was taken over while it slept: it has closed the workspace and writes nothing. */
export function takenOverMessage(workspacePath: string, held: LockInfo): string {
  const name = basename(workspacePath);
  if (!held.host)
    return (
      `本机休眠或与网络盘断开超过15分钟期间，工作区“${name}”已被另一处打开过（本机的锁文件已不在）。` +
      `为免两处同时写入同一工作区，本机已关闭它，这次操作没有执行。请在“工作区”页面重新打开`
    );
  const where = held.host === hostname() ? '本机' : `计算机“${held.host}”`;
  return (
    `本机休眠或与网络盘断开超过15分钟期间，工作区“${name}”已由${where}上的用户“${held.owner}”打开。` +
    `为免两处同时写入同一工作区，本机已关闭它，这次操作没有执行。请等对方关闭工作区后，在“工作区”页面重新打开`
  );
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
