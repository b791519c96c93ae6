import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { appendAudit } from '../audit/audit-log';
import { CanbaoError } from '../errors';
import { storageFault } from '../storage-faults';
import { fileNameKey } from './file-names';
import { Workspace } from './workspace';
import { applyKey } from './workspace-key';

/** Why a backup was made, as its file name and the list say it. */
export type BackupReason = 'manual' | 'import' | 'match' | 'restore' | 'removeRoll';
export const BACKUP_REASON_LABEL: Record<BackupReason, string> = {
  manual: '手动备份',
  import: '导入前自动备份',
  match: '比对前自动备份',
  restore: '恢复前自动备份',
  removeRoll: '删除或替换名册前自动备份',
};

export interface BackupInfo {
  file: string;
  path: string;
  at: string;
  bytes: number;
  reason: BackupReason;
}

/** Beside the workspace, where a clerk who copies the workspace's folder takes its backups along. */
export function backupFolderOf(workspacePath: string): string {
  return join(dirname(workspacePath), '备份');
}

/**
 * The one place a copy of a workspace is written: `Workspace.backup` (SQLite's online backup, or VACUUM INTO for an
 * encrypted workspace, so the copy keeps its password; both consistent while the workspace is open, committed WAL
 * pages included) into a temporary name, renamed when complete, so a copy that exists is whole.
 */
export async function writeWorkspaceCopy(ws: Workspace, dest: string): Promise<void> {
  const tmp = `${dest}.part`;
  try {
    rmSync(tmp, { force: true });
    await ws.backup(tmp);
    // The copy is a single file: no -wal to carry along.
    const copy = new Database(tmp, { nativeBinding: process.env.CANBAO_SQLITE_BINDING || undefined });
    try {
      if (ws.password !== undefined) applyKey(copy, ws.password);
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    renameSync(tmp, dest);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw storageFault(e, dest, 'write') ?? e;
  }
}

/** Saves a copy where the clerk chose (另存副本), logged. */
export async function saveCopy(ws: Workspace, dest: string, actor: string): Promise<{ path: string; bytes: number }> {
  await writeWorkspaceCopy(ws, dest);
  const bytes = statSync(dest).size;
  appendAudit(ws.db, actor, 'saveCopy', { file: basename(dest), bytes });
  return { path: dest, bytes };
}

/** A backup into the 备份 folder, then only the newest `keep` are kept. */
export async function createBackup(
  ws: Workspace,
  reason: BackupReason,
  keep: number,
  actor: string,
): Promise<BackupInfo> {
  const folder = backupFolderOf(ws.path);
  mkdirSync(folder, { recursive: true });
  // A backup cut short by a kill leaves its .part; only this workspace's writer (it holds the lock) writes here.
  const mine = fileNameKey(`${stemOf(ws.path)}_`);
  for (const f of readdirSync(folder))
    if (fileNameKey(f).startsWith(mine) && f.endsWith('.part')) rmSync(join(folder, f), { force: true });
  const now = new Date();
  const file = `${stemOf(ws.path)}_${stamp(now)}_${reason}.canbao`;
  const path = join(folder, file);
  await writeWorkspaceCopy(ws, path);
  const info: BackupInfo = { file, path, at: now.toISOString(), bytes: statSync(path).size, reason };
  // A clerk's backup is logged; the automatic ones before an import or a match are not: they are listed with their
  // reason, and logging them would change the workspace even when the import is then refused (hostile-files test).
  if (reason === 'manual' || reason === 'restore')
    appendAudit(ws.db, actor, 'backup', { file, reason, bytes: info.bytes });
  for (const old of listBackups(ws.path).slice(Math.max(1, keep))) rmSync(old.path, { force: true });
  return info;
}

/**
 * This workspace's backups, newest first. On Windows the file names are compared without case: a workspace opened
 * under its name typed in another case has the same backups.
 */
export function listBackups(workspacePath: string, platform: NodeJS.Platform = process.platform): BackupInfo[] {
  const folder = backupFolderOf(workspacePath);
  const prefix = fileNameKey(`${stemOf(workspacePath)}_`, platform);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const out: BackupInfo[] = [];
  for (const file of names) {
    if (!fileNameKey(file, platform).startsWith(prefix) || !file.endsWith('.canbao')) continue;
    const m = /_(\d{8})-(\d{6})-(\d{3})_(manual|import|match|restore|removeRoll)\.canbao$/.exec(file);
    if (!m) continue;
    const [d, t, ms] = [m[1]!, m[2]!, m[3]!];
    const at = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4)}.${ms}Z`;
    const path = join(folder, file);
    out.push({ file, path, at, bytes: statSync(path).size, reason: m[4] as BackupReason });
  }
  return out.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

/**
 * Restores a backup in place of the workspace: the current state is backed up first; the backup is checked to be a
 * workspace, copied beside the workspace and renamed over it (atomic on one volume), then reopened.
 * Returns the reopened workspace; `ws` is closed.
 */
export async function restoreBackup(ws: Workspace, file: string, keep: number, actor: string): Promise<Workspace> {
  const chosen = listBackups(ws.path).find((b) => b.file === file);
  if (!chosen) throw new CanbaoError('notFound', `找不到备份“${file}”，请在备份列表中选择`);
  const source = openBackup(chosen.path, ws.password);
  const staged = `${ws.path}.restoring`;
  try {
    await writeWorkspaceCopy(source, staged);
  } finally {
    source.close();
  }
  const before = await createBackup(ws, 'restore', keep + 1, actor);
  const path = ws.path;
  ws.close();
  // On Windows an antivirus scan or the search indexer holds a file just written for a moment, and the rename over
  // it is refused (EBUSY, EPERM): tried five times over two seconds before giving up.
  for (let attempt = 1; ; attempt++) {
    try {
      renameSync(staged, path);
      break;
    } catch (e) {
      if (attempt < 5) {
        await new Promise((r) => setTimeout(r, 400));
        continue;
      }
      rmSync(staged, { force: true });
      throw storageFault(e, path, 'write') ?? e;
    }
  }
  const reopened = Workspace.open(path, { password: ws.password });
  // A backup made before the workspace was encrypted is plain: restoring it must not undo the encryption.
  if (ws.password !== undefined && !reopened.encrypted) reopened.setPassword(ws.password);
  appendAudit(reopened.db, actor, 'restore', { file, backupBefore: before.file });
  return reopened;
}

/** A backup keeps the password its workspace had when it was made; restoring one made under another is refused. */
function openBackup(path: string, password: string | undefined): Workspace {
  try {
    return Workspace.open(path, { readonly: true, password });
  } catch (e) {
    if (e instanceof CanbaoError && e.kind === 'workspacePassword')
      throw new CanbaoError(
        'workspacePassword',
        `备份“${basename(path)}”是在修改密码之前用另一个密码做的，不能用当前密码恢复。请选择修改密码之后的备份`,
      );
    throw e;
  }
}

function stemOf(path: string): string {
  return basename(path, extname(path));
}

function stamp(d: Date): string {
  const iso = d.toISOString(); // UTC, so names sort in time order whatever the PC's zone
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}-${iso.slice(20, 23)}`;
}
