import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type Database from 'better-sqlite3';

/**
 * Encryption at rest (issue 9 item 7). better-sqlite3 is better-sqlite3-multiple-ciphers (SQLite3 Multiple Ciphers):
 * the same API, plus page encryption. The scheme is SQLCipher 4 (AES-256-CBC, HMAC-SHA512, PBKDF2 with 256,000
 * iterations), so a county's IT officer can open a workspace with any SQLCipher tool and the password; the whole
 * file and its -wal are encrypted, page by page, headers included.
 */
function configure(db: Database.Database): void {
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
}

/** A string literal for a PRAGMA: the password never goes through a bound parameter there, so quotes are doubled. */
function literal(password: string): string {
  return `'${password.replace(/'/g, "''")}'`;
}

/** Must come first on a fresh connection, before anything reads the file. */
export function applyKey(db: Database.Database, password: string): void {
  configure(db);
  db.pragma(`key = ${literal(password)}`);
}

/**
 * Encrypts a plain workspace, or changes the password of an encrypted one (the connection already keyed). SQLite3MC
 * cannot rekey in WAL mode: the WAL is checkpointed into the file and dropped, the file rewritten in one
 * rollback-journal transaction (a crash leaves the old state), then WAL is restored.
 */
export function rekey(db: Database.Database, password: string): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  try {
    configure(db);
    db.pragma(`rekey = ${literal(password)}`);
  } finally {
    db.pragma('journal_mode = WAL');
  }
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Whether a file is an encrypted database rather than a plain one or something else. A plain SQLite file starts
 * with its 16-byte magic; an encrypted one starts with its random salt and, being whole pages, has a size that is a
 * multiple of 512. A text or spreadsheet file almost never is both; if one is, the password question it gets is
 * answered by "密码不正确，或不是工作区文件".
 */
export function looksEncrypted(path: string): boolean {
  const head = Buffer.alloc(16);
  try {
    const stat = statSync(path);
    if (!stat.isFile() || stat.size < 1024 || stat.size % 512 !== 0) return false;
    const fd = openSync(path, 'r');
    try {
      readSync(fd, head, 0, 16, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    // unreadable: opening it says why, in the clerk's words (cannotOpen)
    return false;
  }
  return !head.equals(SQLITE_HEADER);
}
