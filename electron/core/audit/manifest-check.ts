import type Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { CanbaoError } from '../errors';

export interface ManifestCheck {
  ok: boolean;
  /** One Chinese sentence: the manifest's export is in this log, or why it cannot be tied to it. */
  message: string;
}

/**
 * Ties an export's manifest (导出清单-….json) to this workspace's audit log: the chain head the manifest recorded must
 * be an entry of the log with the same hash. With an intact chain (verifyAudit), that entry and every one before it
 * are as they were when the files were written.
 */
export function checkManifest(db: Database.Database, manifestPath: string): ManifestCheck {
  const name = basename(manifestPath);
  let head: { id?: unknown; hash?: unknown } | null | undefined;
  try {
    head = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { auditHead?: typeof head }).auditHead;
  } catch {
    throw new CanbaoError(
      'badInput',
      `“${name}”不是参保比对的导出清单，或无法读取。请选择导出文件夹中的“导出清单-….json”`,
      {
        file: name,
      },
    );
  }
  if (!head || typeof head.id !== 'number' || typeof head.hash !== 'string')
    return { ok: false, message: `导出清单“${name}”没有记下操作日志的校验值（可能来自较早的版本），无法与日志核对` };
  const row = db.prepare('SELECT hash FROM audit_log WHERE id = ?').get(head.id) as { hash: string | null } | undefined;
  if (!row)
    return { ok: false, message: `导出清单“${name}”记下的是操作日志第 ${head.id} 条，本工作区的日志中没有这一条` };
  if (row.hash !== head.hash)
    return {
      ok: false,
      message: `导出清单“${name}”与操作日志第 ${head.id} 条的校验值不符：清单不是这个工作区导出的，或日志被改动过`,
    };
  return { ok: true, message: `导出清单“${name}”与操作日志第 ${head.id} 条相符` };
}
