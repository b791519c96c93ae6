import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

/**
 * A small disk of its own (a tmpfs of `size`), optionally read-only: the honest way to fill a disk or refuse writes
 * (root ignores file permissions). Returns null when mounted, or why not: tests that need it are then skipped with
 * that reason in their name, never passed.
 */
export function mountTmpfs(at: string, size: string, readonly = false): string | null {
  mkdirSync(at, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at], { stdio: 'pipe' });
  } catch (e) {
    return `（跳过：tmpfs 挂载被拒绝，需要 root：${String((e as Error).message).slice(0, 80)}）`;
  }
  if (readonly) setReadonly(at, true);
  return null;
}

export function setReadonly(at: string, readonly: boolean): void {
  execFileSync('mount', ['-o', `remount,${readonly ? 'ro' : 'rw'}`, at], { stdio: 'pipe' });
}

export function unmount(at: string): void {
  execFileSync('umount', ['-l', at], { stdio: 'pipe' });
}

/** Why this machine cannot mount a small disk for a test (null when it can): for `it.skipIf`, named in the test. */
export function tmpfsRefused(probeAt: string): string | null {
  const refused = mountTmpfs(probeAt, '64k');
  if (!refused) unmount(probeAt);
  return refused;
}
