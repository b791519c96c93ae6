import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';

/**
 * Staging folders start with a dot so Linux and macOS hide them and no clerk takes one for a result; the host and
 * pid in the name let the next export tell a folder of a killed process from one still being written.
 */
export const STAGING_PREFIX = '.canbao-export-';
/** A staging folder of another PC (a shared drive) is only removed after this long untouched. */
const FOREIGN_STALE_MS = 60 * 60 * 1000;

export function stagingFolderName(): string {
  return `${STAGING_PREFIX}${safeHost()}-${process.pid}-${randomBytes(6).toString('hex')}`;
}

function safeHost(): string {
  return hostname().replace(/[^A-Za-z0-9_]/g, '_') || 'host';
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as { code?: string }).code === 'EPERM';
  }
}

/** Staging folders of this process's finished exports that could not be removed then (an antivirus scan held one). */
const leftBehind = new Set<string>();

/** A finished export's staging folder that could not be removed: the next export in this folder removes it. */
export function leaveForLater(path: string): void {
  leftBehind.add(path);
}

/**
 * Removes staging folders left in `dir` by killed exports (of this host when their process is gone, else when old)
 * and by this process's finished ones (leaveForLater).
 */
export function cleanAbandonedStaging(dir: string, now = Date.now()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const m = /^(.*)-(\d+)-[0-9a-f]+$/.exec(name.slice(STAGING_PREFIX.length));
    const path = join(dir, name);
    let abandoned: boolean;
    if (leftBehind.has(path)) abandoned = true;
    else if (m && m[1] === safeHost()) abandoned = Number(m[2]) !== process.pid && !pidAlive(Number(m[2]));
    else {
      try {
        abandoned = now - statSync(path).mtimeMs > FOREIGN_STALE_MS;
      } catch {
        continue;
      }
    }
    if (!abandoned) continue;
    try {
      rmSync(path, { recursive: true, force: true });
      leftBehind.delete(path);
      removed.push(name);
    } catch {
      // A folder that cannot be removed now is tried again by the next export.
    }
  }
  return removed;
}

/**
 * Forces a written file to the disk, so a rename never publishes a name whose content is still in the cache. Opened
 * for writing: Windows flushes (FlushFileBuffers) only a handle with write access, and refused the read-only one with
 * EPERM, so every export failed there as if its file were open in WPS (nodejs/node#3879).
 */
export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The folder entry of a rename is made durable too (not possible on Windows, where it is not needed). */
export function fsyncDir(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Windows and some network drives refuse fsync on a folder.
  } finally {
    closeSync(fd);
  }
}

/** Writes `text` to `final` through a staged temporary file, fsync'd and renamed: the name exists only complete. */
export function writeFileAtomic(stagingDir: string, final: string, text: string): void {
  const tmp = join(stagingDir, basename(final));
  writeFileSync(tmp, text);
  fsyncFile(tmp);
  renameSync(tmp, final);
}
