import { formatCount } from '../../../shared/text/clerk-format';
import type Database from 'better-sqlite3';
import { SETTING_LABEL, type SettingKey } from '../../../shared/domain/settings';
import { CONTINUITY_KEYS, continuityValueText, type ContinuityKey } from '../../../shared/domain/continuity-settings';
import { formatPersonId, ROLL_KIND_LABEL, type RollKind } from '../../../shared/domain/types';
import type { AuditRow, ParsedRequest } from '../../../shared/ipc/contract';
import { BACKUP_REASON_LABEL, type BackupReason } from '../db/workspace-backup';
import type { AuditAction } from './audit-log';
import { AUDIT_ACTION_LABEL } from './verify-audit';

/**
 * The 操作日志 as an auditor reads it: actions, roll kinds and masks in words, and every person a decision or a
 * reveal touched named by 人员编号 and name — never a record id, a code name or raw JSON. Old entries hold only
 * record ids; they are looked up in the workspace as it is now (the log itself is hash-chained and never rewritten).
 */

const EXPORT_KIND_LABEL: Record<string, string> = {
  ledger: '未参保台账',
  duplicates: '重复参保清理名单',
  persons: '一人一档',
  rates: '参保率表',
  linkage: '比对明细',
  issues: '数据问题清单',
  list: '当前列表',
  bulletin: '进度通报',
  subsidy: '特殊对象资助参保台账',
};

const MASK_WORDS: Record<string, string> = {
  full: '完整身份证号（未脱敏）',
  '6-4': '脱敏（显示前6后4位）',
  '3-4': '脱敏（显示前3后4位）',
};

const VERDICT_WORDS: Record<string, string> = { same: '同一人', different: '不同人' };

/** Who a record belongs to, as written at the time (new entries) or as the workspace knows it now (old ones). */
export interface PersonRef {
  name: string;
  personId: string;
}

/** The name and 人员编号 of a record, for writing into a log entry: identifies the person without the ID number. */
export function personOfRecord(db: Database.Database, recordId: number): PersonRef | null {
  const r = db.prepare('SELECT name, person_id AS personId FROM record WHERE id = ?').get(recordId) as
    { name: string | null; personId: number | null } | undefined;
  return r ? { name: r.name ?? '', personId: formatPersonId(r.personId) } : null;
}

function personWords(db: Database.Database, recordId: unknown, stored?: unknown): string {
  const s = stored as Partial<PersonRef> | null | undefined;
  if (s && typeof s.name === 'string')
    return s.personId ? `${s.name || '无姓名'}（${s.personId}）` : s.name || '无姓名';
  const now = typeof recordId === 'number' ? recordWords(db, recordId) : null;
  return now ?? '（该记录已不在工作区，其名册可能已移除）';
}

/** An old entry's record: its person now, or where it came from when it is not matched yet. */
function recordWords(db: Database.Database, recordId: number): string | null {
  const r = db
    .prepare(
      `SELECT c.name, c.person_id AS personId, r.file_name AS file, c.source_row AS row
      FROM record c JOIN roll r ON r.id = c.roll_id WHERE c.id = ?`,
    )
    .get(recordId) as { name: string | null; personId: number | null; file: string; row: number } | undefined;
  if (!r) return null;
  const name = r.name || '无姓名';
  return r.personId ? `${name}（${formatPersonId(r.personId)}）` : `${name}（${r.file} 第${r.row}行，尚未比对）`;
}

const settingLabel = (k: string) =>
  (SETTING_LABEL[k as SettingKey] ?? '其他设置').replace(/（[^）]*[A-Za-z][^）]*）/g, '');

function settingValue(k: string, v: unknown): string {
  if ((CONTINUITY_KEYS as readonly string[]).includes(k)) return continuityValueText(k as ContinuityKey, v);
  if (k === 'rateBasis') return v === 'local' ? '本地口径' : '户籍口径';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (k === 'residentKeep') return v === 'earliest' ? '最早导入的那条' : '户籍所在村的那条';
  if (k === 'targetRate' && typeof v === 'number') return `${(v * 100).toFixed(1)}%`;
  return String(v);
}

/** Counts in the log as everywhere else: 12,345 (shared/text/clerk-format.ts). */
const n = (v: unknown) => (typeof v === 'number' ? formatCount(v) : String(v));

/** One entry's 内容 column. */
export function auditSummary(db: Database.Database, action: string, d: Record<string, unknown>): string {
  const files = Array.isArray(d.files) ? d.files.length : 0;
  switch (action) {
    case 'import':
      return `${String(d.file)}：${n(d.records)} 条记录（${ROLL_KIND_LABEL[d.kind as RollKind] ?? '名册'}，${String(d.year)}年）`;
    case 'match':
      return `${n(d.records)} 条记录 → ${n(d.persons)} 人；重复 ${n(d.duplicates)}，未参保 ${n(d.uninsured)}，待复核 ${n(d.reviewPending)}`;
    case 'decide':
    case 'undoDecide': {
      const names = d.persons as unknown[] | undefined;
      const pair = `${personWords(db, d.recordA, names?.[0])} 与 ${personWords(db, d.recordB, names?.[1])}`;
      const verdict = VERDICT_WORDS[String(d.verdict)] ?? '';
      return action === 'decide' ? `${pair}：${verdict}` : `${pair}：撤销“${verdict}”`;
    }
    case 'export':
    case 'exportIssues': {
      const what = Array.isArray(d.what) ? d.what.map((w) => EXPORT_KIND_LABEL[String(w)] ?? '其他').join('、') : '';
      const townships = Array.isArray(d.townships) && d.townships.length ? `，乡镇：${d.townships.join('、')}` : '';
      const ids = d.mask === null ? '' : `，身份证号${MASK_WORDS[String(d.mask)] ?? '按所选方式脱敏'}`;
      return `${what ? what + '，' : ''}${files} 个文件${ids}${townships}`;
    }
    case 'revealId': {
      const reason = d.reason ? `，原因：${String(d.reason)}` : '';
      if (d.recordId !== undefined) return `${personWords(db, d.recordId, d.person)}的完整身份证号${reason}`;
      if (d.search !== undefined) {
        const persons = Array.isArray(d.persons) && d.persons.length ? `（${d.persons.join('、')}）` : '';
        return `查人“${String(d.search)}”时显示完整号码${persons}`;
      }
      return '复核列表显示完整号码';
    }
    case 'settings':
      return Object.entries(d)
        .map(([k, v]) => `${settingLabel(k)} = ${settingValue(k, v)}`)
        .join('；');
    case 'setPassword':
      return d.change === 'changed' ? '修改了密码' : '工作区已加密';
    case 'backup':
      return `${String(d.file)}（${BACKUP_REASON_LABEL[d.reason as BackupReason] ?? '备份'}）`;
    case 'saveCopy':
      return String(d.file);
    case 'restore':
      return `从 ${String(d.file)} 恢复；恢复前的状态已备份为 ${String(d.backupBefore)}`;
    case 'removeRoll':
    case 'replaceRoll':
      return rollChangeSummary(d);
    case 'dispatch':
      return `批次 ${String(d.batchNo)}：${n(d.persons)} 人，${files} 个文件，乡镇：${(d.townships as string[]).join('、')}，身份证号${MASK_WORDS[String(d.mask)] ?? '按所选方式脱敏'}`;
    case 'returns':
      return `${(d.files as string[]).join('、')}：${n(d.rows)} 行，采用 ${n(d.applied)}，未变 ${n(d.unchanged)}，问题 ${n(d.problems)}`;
    case 'subsidyList':
      return `${String(d.department)} ${String(d.month)}：${String(d.file)}，${n(d.rows)} 人；新增 ${String(d.added)}，变更 ${String(d.changed)}，取消 ${String(d.cancelled)}${d.replaced ? '（更正了同月名单）' : ''}`;
    case 'subsidyTiers':
      return `${String(d.year)}年：个人缴费 ${String(d.contribution)} 元${Object.keys((d.tiers as object) ?? {}).length ? `，调整了 ${Object.keys(d.tiers as object).length} 种身份的资助标准` : ''}`;
    case 'subsidyLink':
      return `资助名单上的${String(d.member)} 与 ${personWords(db, d.recordId, d.person)}：${d.verdict === 'same' ? '链接到此人' : '不是同一人'}`;
    case 'saveMapping':
      return d.file ? `${String(d.file)} 的列对应已记住，表头相同的文件将按此导入` : '列对应已记住';
    default:
      return '';
  }
}

export type AuditFilter = ParsedRequest<'audit.list'>;

/** The log, newest first, filtered by 经办人, 操作 and a time range (ISO instants; the screen sends local days). */
export function listAuditView(db: Database.Database, q: AuditFilter): AuditRow[] {
  const where = ['id < ?'];
  const args: unknown[] = [q.beforeId ?? Number.MAX_SAFE_INTEGER];
  if (q.actor) {
    where.push('actor = ?');
    args.push(q.actor);
  }
  if (q.action) {
    where.push('action = ?');
    args.push(q.action);
  }
  if (q.from) {
    where.push('at >= ?');
    args.push(q.from);
  }
  if (q.to) {
    where.push('at < ?');
    args.push(q.to);
  }
  const rows = db
    .prepare(
      `SELECT id, at, actor, action, detail_json FROM audit_log WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`,
    )
    .all(...args, q.limit) as { id: number; at: string; actor: string; action: AuditAction; detail_json: string }[];
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: AUDIT_ACTION_LABEL[r.action] ?? '其他操作',
    summary: auditSummary(db, r.action, JSON.parse(r.detail_json) as Record<string, unknown>),
  }));
}

/** What the filters offer: every clerk and every kind of action the log holds. */
export function auditFilterOptions(db: Database.Database): {
  actors: string[];
  actions: { value: string; label: string }[];
} {
  const actors = (db.prepare('SELECT DISTINCT actor FROM audit_log ORDER BY actor').all() as { actor: string }[]).map(
    (r) => r.actor,
  );
  const present = new Set(
    (db.prepare('SELECT DISTINCT action FROM audit_log').all() as { action: string }[]).map((r) => r.action),
  );
  const actions = Object.entries(AUDIT_ACTION_LABEL)
    .filter(([value]) => present.has(value))
    .map(([value, label]) => ({ value, label }));
  return { actors, actions };
}

/** “删除 2026年职工医保“职工.csv”（1,234 条记录，2026-11-27 10:05 导入）” or “… 换为 新.csv”. */
function rollChangeSummary(d: Record<string, unknown>): string {
  const kind = ROLL_KIND_LABEL[d.kind as RollKind] ?? '名册';
  const at = String(d.importedAt ?? '')
    .slice(0, 16)
    .replace('T', ' ');
  const records = Number(d.records ?? 0).toLocaleString('zh-CN');
  const what = `${String(d.year)}年${kind}“${String(d.file)}”（${records} 条记录，${at} 导入）`;
  return d.replacedBy ? `${what} 换为“${String(d.replacedBy)}”` : `删除 ${what}`;
}
