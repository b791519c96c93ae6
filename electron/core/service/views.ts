import { BACKUP_REASON_LABEL, type BackupReason } from '../db/workspace-backup';
import type Database from 'better-sqlite3';
import { formatPersonId, LINK_RULE_LABEL, ROLL_KIND_LABEL, type RollKind } from '../../../shared/domain/types';
import { maskId, type MaskProfile } from '../../../shared/export/mask';
import { SPECIAL_GROUPS } from '../../../shared/headers/coded-values';
import type {
  AuditRow,
  MaskedRecord,
  ParsedRequest,
  ResultsResponse,
  ReviewPairView,
  SearchHitView,
} from '../../../shared/ipc/contract';
import { SETTING_LABEL, type SettingKey } from '../../../shared/domain/settings';
import type { AuditEntry } from '../audit/audit-log';
import { AUDIT_ACTION_LABEL } from '../audit/verify-audit';
import { FIELD_LABEL, LEVEL_LABEL, type FieldName } from '../match/comparisons';
import { DUPLICATE_KIND_LABEL, type DuplicateKind } from '../match/outcomes';
import type { ReviewPair, ReviewRecord } from '../review/review-queue';
import type { PersonHit } from '../search/person-search';

/** On screen IDs are masked (first 6, last 4); the full number only on an explicit, logged reveal. */
const SCREEN_MASK = '6-4' as const;

export function maskedRecord(r: ReviewRecord, mask: MaskProfile = SCREEN_MASK): MaskedRecord {
  const { idNumber, personId: _personId, ...shown } = r;
  return { ...shown, idMasked: maskId(idNumber, mask) };
}

export function reviewView(p: ReviewPair, mask: MaskProfile = SCREEN_MASK): ReviewPairView {
  return {
    id: p.id,
    weight: p.weight,
    probability: p.probability,
    impactLabel: p.impactLabel,
    siblingRisk: p.siblingRisk,
    prior: p.prior,
    contributions: p.contributions.map((c) => ({
      field: c.field,
      fieldLabel: FIELD_LABEL[c.field as FieldName],
      level: c.level,
      levelLabel: (LEVEL_LABEL[c.field as FieldName] as Record<string, string>)[c.level] ?? c.level,
      weight: c.weight,
    })),
    a: maskedRecord(p.a, mask),
    b: maskedRecord(p.b, mask),
  };
}

export function searchView(h: PersonHit, mask: MaskProfile = SCREEN_MASK): SearchHitView {
  return {
    personId: formatPersonId(h.personId),
    name: h.name,
    idMasked: maskId(h.idNumber, mask),
    township: h.township,
    village: h.village,
    inBase: h.inBase,
    insured: h.insured,
    duplicate: h.duplicateKind ? DUPLICATE_KIND_LABEL[h.duplicateKind as DuplicateKind] : null,
    records: h.records.map((r) => ({
      ...r,
      idMasked: maskId(r.idNumber, mask),
      linkRule: r.linkRule ? (LINK_RULE_LABEL[r.linkRule] ?? r.linkRule) : '',
    })),
  };
}

const specialLabel = (g: string | null) =>
  (g ?? '')
    .split(',')
    .filter(Boolean)
    .map((c) => SPECIAL_GROUPS.find((s) => s.code === c)?.label ?? c)
    .join('、');

/** The result lists, paged in SQL so a million rows never travel at once (the table is virtual). */
export function resultsList(db: Database.Database, q: ParsedRequest<'results.list'>): ResultsResponse {
  const where: string[] = [];
  const args: unknown[] = [];
  if (q.township) {
    where.push('s.township_key = ?');
    args.push(q.township);
  }
  if (q.village) {
    where.push('s.village_key = ?');
    args.push(q.village);
  }
  if (q.specialOnly) {
    where.push('s.special_rank < ?');
    args.push(SPECIAL_GROUPS.length);
  }
  if (q.list === 'issues') {
    const total = (db.prepare('SELECT count(*) AS n FROM quality_issue').get() as { n: number }).n;
    const rows = db
      .prepare(
        `SELECT q.record_id AS recordId, r.file_name AS file, r.sheet, q.source_row AS row, q.column_letter AS col, q.column_name AS colName, q.value, q.code, q.message, c.name
      FROM quality_issue q JOIN roll r ON r.id = q.roll_id LEFT JOIN record c ON c.id = q.record_id ORDER BY q.id LIMIT ? OFFSET ?`,
      )
      .all(q.limit, q.offset) as {
      recordId: number | null;
      file: string;
      sheet: string;
      row: number;
      col: string | null;
      colName: string | null;
      value: string | null;
      code: string;
      message: string;
      name: string | null;
    }[];
    return {
      total,
      rows: rows.map((r) => ({
        personId: '',
        name: r.name ?? '',
        idMasked: r.code.startsWith('id_') ? maskId(r.value, SCREEN_MASK) : (r.value ?? ''),
        recordId: r.recordId,
        township: null,
        village: null,
        detail: `${r.file}${r.sheet ? ' / ' + r.sheet : ''} 第${r.row}行${r.col ? ' ' + r.col + '列' : ''}${r.colName ? '（' + r.colName + '）' : ''}：${r.message}`,
        special: '',
      })),
    };
  }
  const listWhere = {
    persons: '1 = 1',
    duplicates: 's.duplicate_kind IS NOT NULL',
    uninsured: 's.in_base = 1 AND s.insured = 0',
    notInBase: 's.in_base = 0 AND s.insured = 1',
  }[q.list];
  where.unshift(listWhere);
  const w = where.join(' AND ');
  const total = (db.prepare(`SELECT count(*) AS n FROM person_status s WHERE ${w}`).get(...args) as { n: number }).n;
  const order =
    q.list === 'uninsured'
      ? 's.special_rank, s.township_key, s.village_key, s.name'
      : 's.township_key, s.village_key, s.person_id';
  const rows = db
    .prepare(
      `SELECT s.person_id AS p, s.name, s.id_number AS id, s.base_record_id AS base, s.township, s.village, s.special_groups AS sg, s.duplicate_kind AS dk, s.enrolments,
      (SELECT min(c.id) FROM record c WHERE c.person_id = s.person_id) AS anyRecord
    FROM person_status s WHERE ${w} ORDER BY ${order} LIMIT ? OFFSET ?`,
    )
    .all(...args, q.limit, q.offset) as {
    p: number;
    name: string;
    id: string | null;
    base: number | null;
    township: string | null;
    village: string | null;
    sg: string | null;
    dk: DuplicateKind | null;
    enrolments: number;
    anyRecord: number;
  }[];
  return {
    total,
    rows: rows.map((r) => ({
      personId: formatPersonId(r.p),
      name: r.name,
      idMasked: maskId(r.id, SCREEN_MASK),
      recordId: r.base ?? r.anyRecord,
      township: r.township,
      village: r.village,
      detail: r.dk
        ? DUPLICATE_KIND_LABEL[r.dk]
        : r.base !== null
          ? r.enrolments
            ? `底册内，参保 ${r.enrolments} 条`
            : '底册内，无参保记录'
          : `参保 ${r.enrolments} 条，底册中没有此人`,
      special: specialLabel(r.sg),
    })),
  };
}

export function auditView(e: AuditEntry): AuditRow {
  const d = e.detail as Record<string, unknown>;
  let summary = '';
  if (e.action === 'import') summary = `${d.file}：${d.records} 条记录（${d.kind} ${d.year}）`;
  else if (e.action === 'match')
    summary = `${d.records} 条记录 → ${d.persons} 人；重复 ${d.duplicates}，未参保 ${d.uninsured}，待复核 ${d.reviewPending}`;
  else if (e.action === 'decide')
    summary = `记录 ${d.recordA} 与 ${d.recordB}：${d.verdict === 'same' ? '同一人' : '不同人'}`;
  else if (e.action === 'undoDecide')
    summary = `记录 ${d.recordA} 与 ${d.recordB}：撤销“${d.verdict === 'same' ? '同一人' : '不同人'}”`;
  else if (e.action === 'export') summary = `${(d.files as unknown[] | undefined)?.length ?? 0} 个文件，脱敏 ${d.mask}`;
  else if (e.action === 'revealId')
    summary =
      d.recordId !== undefined
        ? `记录 ${d.recordId}${d.reason ? `，原因：${String(d.reason)}` : ''}`
        : d.search !== undefined
          ? `查人“${d.search}”时显示完整号码`
          : '复核列表显示完整号码';
  else if (e.action === 'settings')
    summary = Object.entries(d)
      .map(([k, v]) => `${SETTING_LABEL[k as SettingKey] ?? k} = ${String(v)}`)
      .join('；');
  else if (e.action === 'setPassword') summary = d.change === 'changed' ? '修改了密码' : '工作区已加密';
  else if (e.action === 'backup') summary = `${d.file}（${BACKUP_REASON_LABEL[d.reason as BackupReason] ?? ''}）`;
  else if (e.action === 'saveCopy') summary = `${d.file}`;
  else if (e.action === 'restore') summary = `从 ${d.file} 恢复；恢复前的状态已备份为 ${d.backupBefore}`;
  else if (e.action === 'removeRoll' || e.action === 'replaceRoll') summary = rollChangeSummary(d);
  else summary = JSON.stringify(d).slice(0, 200);
  return { id: e.id, at: e.at, actor: e.actor, action: AUDIT_ACTION_LABEL[e.action] ?? e.action, summary };
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
