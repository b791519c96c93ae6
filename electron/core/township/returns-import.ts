import type Database from 'better-sqlite3';
import { webcrypto } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { appendAudit } from '../audit/audit-log';
import { throwIfAborted, type CancelFlag } from '../errors';
import { applyReturns, type ReturnsOutcome } from './returns-apply';
import { readReturnFile, type ReturnFile } from './returns-read';
import { takeSnapshot } from './snapshots';

/** sha256 of each file, one file at a time (a township's workbook in memory at once, not all of them). */
async function hashAll(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths)
    out.push(Buffer.from(await webcrypto.subtle.digest('SHA-256', await readFile(path))).toString('hex'));
  return out;
}

export interface ReturnsResult extends ReturnsOutcome {
  files: { file: string; sheets: number; rows: number; skippedSheets: string[] }[];
}

/**
 * 导入核实回执: reads every file first (a file that is no returned ledger refuses the whole import, naming it), then
 * applies all rows, the log entry and a snapshot of the rates in one transaction: the workspace changes completely
 * or not at all.
 */
export async function importReturns(
  db: Database.Database,
  paths: readonly string[],
  o: { actor: string; signal?: CancelFlag; onProgress?: (p: { label: string; done: number; total: number }) => void },
): Promise<ReturnsResult> {
  // Hashed in libuv's pool (WebCrypto) while the rows are read here: the hashes cost no time of their own.
  const hashing = hashAll(paths);
  hashing.catch(() => undefined); // a read that fails first is the error said; this one is then not waited for
  const read: ReturnFile[] = [];
  for (const [i, path] of paths.entries()) {
    read.push(await readReturnFile(path, o.signal));
    o.onProgress?.({ label: `读取 ${read[i]!.file}`, done: i + 1, total: paths.length + 1 });
  }
  const hashes = await hashing;
  const files = read.map((file, i) => ({ file, sha256: hashes[i]! }));
  o.onProgress?.({ label: '核对并写入', done: paths.length, total: paths.length + 1 });
  const outcome = db.transaction(() => {
    // Read again after the awaits: a PC woken from sleep writes nothing beside a colleague who took the workspace over.
    throwIfAborted(o.signal);
    const { outcome: r, facts } = applyReturns(db, files, o.actor);
    if (r.applied) takeSnapshot(db, 'returns', new Date(), facts);
    appendAudit(db, o.actor, 'returns', {
      files: files.map((f) => f.file.file),
      sha256: files.map((f) => f.sha256),
      rows: r.rows,
      applied: r.applied,
      unchanged: r.unchanged,
      unanswered: r.unanswered,
      problems: r.problems.length,
    });
    return r;
  })();
  return {
    files: files.map(({ file }) => ({
      file: file.file,
      sheets: file.sheets.length,
      rows: file.rows.length,
      skippedSheets: file.skippedSheets,
    })),
    ...outcome,
  };
}
