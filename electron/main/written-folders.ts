import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EngineEvent } from '../../shared/ipc/contract';

/**
 * The folders the app itself wrote into this session (an export's folder, the backup folder): the only ones
 * "打开文件夹" may open. Filled from the successful job results the main process forwards to the page, so a path
 * the page makes up — a program, a file, any other folder — is never opened.
 */
export class WrittenFolders {
  private readonly folders = new Set<string>();

  add(path: string): void {
    this.folders.add(canonical(path));
  }

  /** Remembers the folder of a finished export (and of any job whose result names the folder it wrote). */
  note(e: EngineEvent): void {
    if (e.type !== 'done' || !e.event.ok) return;
    const result = e.event.result as { dir?: unknown; backupDir?: unknown };
    for (const d of [result.dir, result.backupDir]) if (typeof d === 'string' && d) this.add(d);
  }

  /** The folder to open, or a Chinese reason why not. */
  check(path: string): { ok: true; path: string } | { ok: false; message: string } {
    const p = canonical(path);
    if (!this.folders.has(p)) return { ok: false, message: '只能打开本程序本次导出或备份写入的文件夹' };
    try {
      if (!statSync(p).isDirectory()) return { ok: false, message: '这不是文件夹，不能打开' };
    } catch {
      return { ok: false, message: '文件夹已不存在（可能被移动或删除）' };
    }
    return { ok: true, path: p };
  }
}

/** Absolute, with links resolved where the folder exists, so two spellings of one folder compare equal. */
function canonical(path: string): string {
  const p = resolve(path);
  try {
    return realpathSync.native(p);
  } catch {
    return p;
  }
}
