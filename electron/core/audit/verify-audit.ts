import type Database from 'better-sqlite3';
import { entryHash, GENESIS, readAnchor } from './audit-chain';

/** The log's actions in the clerk's words (the 操作日志 screen and the verification message). */
export const AUDIT_ACTION_LABEL: Record<string, string> = {
  import: '导入',
  match: '比对',
  decide: '复核判断',
  undoDecide: '撤销复核判断',
  export: '导出',
  revealId: '查看完整身份证号',
  exportIssues: '导出数据问题',
  saveMapping: '保存列对应',
  settings: '修改设置',
  setPassword: '设置工作区密码',
  backup: '备份',
  saveCopy: '另存副本',
  restore: '从备份恢复',
  removeRoll: '删除名册',
  replaceRoll: '替换名册',
  dispatch: '下发台账',
  returns: '导入核实回执',
  subsidyList: '导入资助名单',
  subsidyTiers: '修改资助标准',
  subsidyLink: '确认资助名单人员',
};

export interface AuditVerification {
  ok: boolean;
  /** Entries read. */
  entries: number;
  head: { id: number; hash: string } | null;
  /** The first entry that does not follow from the one before (null when the break is at the tail). */
  broken: { id: number; at: string; actor: string; action: string } | null;
  /** One Chinese sentence: intact, or what is wrong and where. */
  message: string;
}

type Row = {
  id: number;
  at: string;
  actor: string;
  action: string;
  detail_json: string;
  prev_hash: string | null;
  hash: string | null;
};

/**
 * Recomputes the chain from the first entry: each entry's hash from its own fields and the hash before it. A changed
 * entry breaks its own hash, a deleted or inserted one the link after it; entries cut from the end break no link,
 * so the head recorded beside the log (number, hash, count) must equal the last entry. Reads only.
 */
export function verifyAudit(db: Database.Database): AuditVerification {
  const it = db
    .prepare('SELECT id, at, actor, action, detail_json, prev_hash, hash FROM audit_log ORDER BY id')
    .iterate() as IterableIterator<Row>;
  let prev = GENESIS;
  let entries = 0;
  let last: Row | null = null;
  const fail = (r: Row, why: string): AuditVerification => {
    const action = AUDIT_ACTION_LABEL[r.action] ?? r.action;
    const at = r.at
      .replace('T', ' ')
      .replace(/\.\d+Z$/, '')
      .replace(/Z$/, '');
    return {
      ok: false,
      entries,
      head: null,
      broken: { id: r.id, at: r.at, actor: r.actor, action },
      message: `操作日志校验未通过：第 ${r.id} 条（${at}，经办人 ${r.actor}，${action}）${why}。日志在此处或之前被改动过，请保留工作区文件并报告信息管理员`,
    };
  };
  for (const r of it) {
    entries++;
    if (r.hash === null) {
      // Entries from before the chain are chained on the next write; one after a chained entry was slipped in.
      if (last === null || last.hash === null) {
        last = r;
        continue;
      }
      it.return?.();
      return fail(r, '没有校验值，是后来插入的');
    }
    if (r.prev_hash !== prev) {
      it.return?.();
      return fail(r, '与前一条衔接不上，前面有条目被删除或插入');
    }
    if (entryHash(r.id, r.at, r.actor, r.action, r.detail_json, prev) !== r.hash) {
      it.return?.();
      return fail(r, '的内容与校验值不符，已被修改');
    }
    prev = r.hash;
    last = r;
  }
  const anchor = readAnchor(db);
  const head = last?.hash ? { id: last.id, hash: last.hash } : null;
  const chained = last !== null && last.hash !== null;
  if (chained && anchor === null)
    return {
      ok: false,
      entries,
      head,
      broken: null,
      message:
        '操作日志校验未通过：日志末尾的记录标记缺失，无法确认末尾的条目是否被删除，请保留工作区文件并报告信息管理员',
    };
  if (anchor && (!head || anchor.id !== head.id || anchor.hash !== head.hash || anchor.count !== entries))
    return {
      ok: false,
      entries,
      head,
      broken: null,
      message: `操作日志校验未通过：日志应有 ${anchor.count} 条、到第 ${anchor.id} 条为止，现只有 ${entries} 条${head ? `、到第 ${head.id} 条为止` : ''}，末尾的条目被删除了。请保留工作区文件并报告信息管理员`,
    };
  return {
    ok: true,
    entries,
    head,
    broken: null,
    message: entries
      ? `操作日志完整：共 ${entries} 条，逐条校验无误${chained ? '' : '（早期条目将在下次操作时加上校验值）'}`
      : '操作日志为空',
  };
}
