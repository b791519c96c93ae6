import { basename } from 'node:path';
import { CanbaoError } from './errors';

/** What the program was doing when the disk refused: the message says it in the clerk's words. */
export type StorageAction = 'write' | 'read' | 'createFolder' | 'openWorkspace' | 'writeWorkspace';

const ACTION_WORDS: Record<StorageAction, string> = {
  write: '写入',
  read: '读取',
  createFolder: '创建文件夹',
  openWorkspace: '打开工作区',
  writeWorkspace: '保存工作区',
};

/**
 * An operating-system or SQLite failure of the disk as a storageFault in Chinese, or null when `e` is not one.
 * Node gives errno codes (ENOSPC…), better-sqlite3 gives SQLite's extended codes (SQLITE_FULL, SQLITE_IOERR_WRITE…).
 * Windows reports a file locked by another program (Excel, WPS) as EBUSY or EPERM, and a too-long path as
 * ENAMETOOLONG or ENOENT; the last cannot be told from a missing folder, so ENOENT is left to the caller.
 */
export function storageFault(e: unknown, path: string, action: StorageAction): CanbaoError | null {
  const code = String((e as { code?: unknown })?.code ?? '');
  const name = basename(path) || path;
  const doing = ACTION_WORDS[action];
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_WRITE_FULL')
    return new CanbaoError('storageFault', `${doing}“${name}”时磁盘空间已满。请清理磁盘或换一个有空间的位置后重试`);
  if (code === 'EROFS' || code.startsWith('SQLITE_READONLY'))
    return new CanbaoError(
      'storageFault',
      `${doing}“${name}”失败：所在磁盘或文件是只读的。请取消文件的只读属性，或换一个可写的位置（U盘请检查写保护开关）`,
    );
  if (code === 'EACCES' || code === 'EPERM')
    return new CanbaoError(
      'storageFault',
      `${doing}“${name}”失败：没有权限，或文件正被其他程序（如 Excel、WPS）打开。请关闭该文件、检查权限后重试`,
    );
  if (code === 'EBUSY' || code === 'ETXTBSY' || code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
    return new CanbaoError('storageFault', `${doing}“${name}”失败：文件正被其他程序占用。请关闭占用它的程序后重试`);
  if (code === 'ENAMETOOLONG')
    return new CanbaoError('storageFault', `${doing}“${name}”失败：路径太长。请换一个层级较浅、名称较短的文件夹`);
  if (code === 'EIO' || code.startsWith('SQLITE_IOERR'))
    return new CanbaoError(
      'storageFault',
      `${doing}“${name}”时磁盘读写出错。请检查磁盘或U盘是否已拔出、是否损坏，换一个位置后重试`,
    );
  return null;
}

/** Runs `fn`; a disk failure becomes a storageFault naming `path`, anything else is rethrown unchanged. */
export function withStorageFaults<T>(path: string, action: StorageAction, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw storageFault(e, path, action) ?? e;
  }
}

/**
 * A source file that cannot be opened, in the clerk's words: a disk fault (storageFault), a file that is gone (moved,
 * renamed, deleted since it was chosen) or a folder where a file was expected; anything else is rethrown as is.
 */
export function fileFault(e: unknown, path: string): unknown {
  const code = String((e as { code?: unknown })?.code ?? '');
  const file = basename(path) || path;
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new CanbaoError('notFound', '找不到这个文件，它可能已被移动、改名或删除。请重新选择文件', { file });
  if (code === 'EISDIR')
    return new CanbaoError('unsupportedFile', '这是一个文件夹，不是文件。请打开文件夹，选择其中的名册文件', { file });
  return storageFault(e, path, 'read') ?? e;
}
