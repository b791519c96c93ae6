import Database from 'better-sqlite3';
import { existsSync, linkSync, renameSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { CanbaoError, type CancelFlag } from '../errors';
import { LATEST_VERSION, MIGRATIONS } from './migrations';
import { applyKey, looksEncrypted, rekey } from './workspace-key';
import { takenOverMessage, WorkspaceLock } from './workspace-lock';

/** 'CBAO' as a 32-bit integer: marks a SQLite file as a Canbao workspace. */
export const APPLICATION_ID = 0x4342414f;

export interface OpenOptions {
  /** Create the file when it does not exist (the CLI's import does; opening from the UI does not). */
  create?: boolean;
  readonly?: boolean;
  /**
   * The workspace's password: required to open an encrypted one; with create, a new workspace is encrypted with it.
   * Ignored for an existing plain workspace (the CLI's CANBAO_PASSWORD may be set for all of them).
   */
  password?: string;
  /** Who holds the write lock, as the lock file tells a second opener (default: the OS user). */
  owner?: string;
}

/**
 * One reconciliation in one SQLite file. Opened in WAL mode with synchronous=FULL (a clerk's PC may lose power
 * mid-import; a committed import must survive it), foreign keys on; refuses files from a newer Canbao.
 */
export class Workspace {
  readonly db: Database.Database;

  private constructor(
    readonly path: string,
    db: Database.Database,
    /** Kept only in this process's memory: the export's second thread opens its own connection with it. */
    private key: string | undefined,
    private readonly lock: WorkspaceLock | null,
  ) {
    this.db = db;
  }

  get password(): string | undefined {
    return this.key;
  }

  get encrypted(): boolean {
    return this.key !== undefined;
  }

  static open(path: string, opts: OpenOptions = {}): Workspace {
    if (opts.create && !opts.readonly && opts.password !== '' && !existsSync(path)) Workspace.createWhole(path, opts);
    return Workspace.openFile(path, opts);
  }

  /**
   * A new workspace is made whole under a staging name, then linked to its own name (which fails if another process
   * made one there first). A process killed while creating it (a power cut during the first import) leaves no
   * half-made file under the workspace's name, which would open as "not a workspace"; only a staging file beside it.
   */
  private static createWhole(path: string, opts: OpenOptions): void {
    const staging = `${path}.creating-${process.pid}`;
    for (const suffix of ['', '-wal', '-shm']) rmSync(staging + suffix, { force: true });
    Workspace.openFile(staging, { ...opts, create: true }).close();
    try {
      linkSync(staging, path);
    } catch (e) {
      // A drive without hard links (a FAT32 USB stick): renamed instead, unless one appeared meanwhile.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' && !existsSync(path)) renameSync(staging, path);
    } finally {
      rmSync(staging, { force: true });
    }
  }

  private static openFile(path: string, opts: OpenOptions): Workspace {
    if (opts.readonly && existsSync(path)) {
      // A read-only open cannot migrate: bring an older workspace up to date first, then reopen read-only.
      const probe = new Database(path, {
        readonly: true,
        fileMustExist: true,
        nativeBinding: process.env.CANBAO_SQLITE_BINDING || undefined,
      });
      let version = 0;
      try {
        if (opts.password !== undefined && looksEncrypted(path)) applyKey(probe, opts.password);
        version = probe.pragma('user_version', { simple: true }) as number;
      } catch {
        // not a database: the regular path below reports it
      } finally {
        probe.close();
      }
      if (version > 0 && version < LATEST_VERSION) Workspace.open(path, { password: opts.password }).close();
    }
    const exists = existsSync(path);
    if (!exists && !opts.create)
      throw new CanbaoError(
        'notFound',
        `工作区文件不存在：${basename(path)}。它可能已被移动或改名，请重新选择工作区文件`,
      );
    const encrypted = exists ? looksEncrypted(path) : opts.password !== undefined;
    if (encrypted && opts.password === undefined)
      throw new CanbaoError('workspacePassword', `工作区“${basename(path)}”已加密，请输入密码`);
    if (opts.create && !exists && opts.password === '')
      throw new CanbaoError('badInput', '密码不能为空；不想加密请不设密码');
    const password = encrypted ? opts.password : undefined;
    // A writer takes the workspace's lock before touching the file (migrations write); a reader needs none.
    const lock = opts.readonly ? null : WorkspaceLock.acquire(path, opts.owner);
    let db: Database.Database;
    try {
      // In Electron run from a checkout, better-sqlite3 is built for Node (tests, CLI); scripts/start.mjs builds a
      // copy for Electron's ABI and names it here. The packaged app has only the Electron build and needs nothing.
      const nativeBinding = process.env.CANBAO_SQLITE_BINDING || undefined;
      db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: !opts.create, nativeBinding });
    } catch (e) {
      lock?.release();
      throw new CanbaoError('notAWorkspace', cannotOpen(path, e));
    }
    try {
      if (password !== undefined) {
        applyKey(db, password);
        if (exists && !keyOpens(db))
          throw new CanbaoError(
            'workspacePassword',
            `工作区“${basename(path)}”的密码不正确（或它不是参保比对的工作区文件）。请重新输入；密码区分大小写`,
          );
      }
      const version = db.pragma('user_version', { simple: true }) as number;
      const appId = db.pragma('application_id', { simple: true }) as number;
      if (version > 0 && appId !== APPLICATION_ID) {
        throw new CanbaoError(
          'notAWorkspace',
          `“${basename(path)}”不是参保比对的工作区文件。请选择一个 .canbao 工作区文件；若它是损坏的工作区，请从“备份”文件夹恢复`,
        );
      }
      // An existing file that is empty or holds other tables is not ours: only create makes a new workspace.
      if (version === 0 && exists && (hasUserTables(db) || !opts.create)) {
        throw new CanbaoError(
          'notAWorkspace',
          `“${basename(path)}”不是参保比对的工作区文件。请选择一个 .canbao 工作区文件；若它是损坏的工作区，请从“备份”文件夹恢复`,
        );
      }
      if (version > LATEST_VERSION) {
        throw new CanbaoError(
          'workspaceTooNew',
          `工作区“${basename(path)}”由更新版本的参保比对创建（版本${version}，本程序支持到${LATEST_VERSION}），请升级程序后再打开`,
        );
      }
      if (!opts.readonly) {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = FULL');
      }
      db.pragma('foreign_keys = ON');
      db.pragma('temp_store = MEMORY');
      db.pragma('busy_timeout = 5000');
      // 64 MB of page cache, not SQLite's 2 MB: a match writes a million records' persons at random places of the
      // person index, and with 2 MB those pages were spilled and read back (an UPDATE 25 → 15 µs at 1,000,000 people).
      db.pragma('cache_size = -65536');
      if (!opts.readonly) migrate(db, version);
      // A new workspace's first pages would sit in the WAL, leaving the file itself empty; an empty file cannot say
      // it is encrypted (looksEncrypted), so the schema is checkpointed into it at once.
      if (!exists) db.pragma('wal_checkpoint(TRUNCATE)');
      return new Workspace(path, db, password, lock);
    } catch (e) {
      db.close();
      lock?.release();
      if (e instanceof CanbaoError) throw e;
      throw new CanbaoError(
        'notAWorkspace',
        `“${basename(path)}”不是参保比对的工作区文件，或文件已损坏。请选择一个 .canbao 工作区文件；若它是损坏的工作区，请从“备份”文件夹恢复`,
      );
    }
  }

  get version(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  /**
   * Online backup (consistent even while the workspace is open), never a file copy of a live database. SQLite's
   * backup API refuses an encrypted source with a plain target, so an encrypted workspace is copied by VACUUM INTO,
   * which writes the copy encrypted with the same key (checked by test/db/encryption.test.ts).
   */
  async backup(destination: string): Promise<void> {
    if (this.encrypted) this.db.prepare('VACUUM INTO ?').run(destination);
    else await this.db.backup(destination);
  }

  /**
   * Encrypts a plain workspace, or changes an encrypted one's password, in place. Backups made before keep the
   * password (or the lack of one) they were made with.
   */
  setPassword(password: string): void {
    if (password === '') throw new CanbaoError('badInput', '密码不能为空');
    rekey(this.db, password);
    this.key = password;
  }

  /**
   * A long job's cancel flag: set when the clerk cancels, or when a colleague has taken the workspace over while the
   * job ran (checked at most twice a second, WorkspaceLock.checkDuringWork). The job then stops at its next check,
   * its transaction rolled back.
   */
  jobSignal(cancel: CancelFlag): CancelFlag {
    const lock = this.lock;
    return {
      get aborted() {
        return cancel.aborted || (lock !== null && lock.checkDuringWork() !== null);
      },
    };
  }

  /**
   * Called by a long job just before it commits (read now, not throttled): a PC woken from sleep between the job's
   * last check and its commit must not write beside the colleague who took the workspace over.
   */
  assertStillHeld(): void {
    const held = this.lock?.takenOverBy();
    if (held) throw new CanbaoError('workspaceLocked', takenOverMessage(this.path, held));
  }

  /**
   * When another opener has taken this workspace's lock over (this PC slept past the stale time on a shared drive):
   * the connection is closed without a checkpoint, which would write, and the clerk is told why. Null while the lock
   * is this one's (and for a reader, which holds none).
   */
  closeIfTakenOver(): CanbaoError | null {
    // As a job found it, if one did: read again, the file might say otherwise for a moment, and the job was stopped.
    const held = this.lock?.lost ?? this.lock?.takenOverBy();
    if (!held) return null;
    if (this.db.open) this.db.close();
    this.lock!.release();
    return new CanbaoError('workspaceLocked', takenOverMessage(this.path, held));
  }

  /**
   * Checkpoints the WAL into the .canbao file first (TRUNCATE leaves the -wal empty), so the file alone is complete
   * when a clerk copies it; then releases the write lock.
   */
  close(): void {
    if (this.db.open) {
      if (!this.db.readonly) {
        try {
          this.db.pragma('wal_checkpoint(TRUNCATE)');
        } catch {
          // another connection still reading: SQLite checkpoints when the last one closes
        }
      }
      this.db.close();
    }
    this.lock?.release();
  }
}

/** A wrong key is only noticed when a page is read: SQLite then says the file is not a database. */
function keyOpens(db: Database.Database): boolean {
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_NOTADB') return false;
    throw e;
  }
}

/** SQLite's reasons, in the clerk's words (its own text is English). */
function cannotOpen(path: string, e: unknown): string {
  const code = (e as { code?: string }).code ?? '';
  const name = basename(path);
  if (code === 'SQLITE_CANTOPEN')
    return `无法打开“${name}”：它是文件夹、所在文件夹不存在，或没有读写权限。请选择一个 .canbao 工作区文件`;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')
    return `“${name}”不是参保比对的工作区文件，或文件已损坏。请选择一个 .canbao 工作区文件；若它是损坏的工作区，请从“备份”文件夹恢复`;
  if (code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') return `“${name}”是只读的，请检查文件属性或权限`;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return `“${name}”正被另一个程序使用，请关闭后重试`;
  return `无法打开工作区文件“${name}”，请确认它是参保比对的工作区文件`;
}

function hasUserTables(db: Database.Database): boolean {
  return (db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'`).get() as { n: number }).n > 0;
}

function migrate(db: Database.Database, from: number): void {
  const pending = MIGRATIONS.filter((m) => m.version > from);
  if (pending.length === 0) return;
  const apply = db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
    db.pragma(`application_id = ${APPLICATION_ID}`);
  });
  apply.immediate();
}
