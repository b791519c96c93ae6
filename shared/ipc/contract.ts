/**
 * The one contract between the renderer and the engine: channel → zod schema of the request, and the response type.
 * Electron's main process and the test harness both parse every request with these schemas before doing anything.
 */
import { z } from 'zod';
import { ROLL_KINDS, type IdStatus, type RollKind } from '../domain/types';
import { SETTINGS_PATCH, type Settings } from '../domain/settings';
import type { ParticipationFigures, ProgressState, RateBasis } from '../domain/participation';
import { DEPARTMENTS, IDENTITIES, type Identity, type TierKind } from '../domain/subsidy';
import { MASK_PROFILES } from '../export/mask';
import { FIELDS, type Field } from '../headers/fields';
import type { KindSuggestion } from '../headers/roll-kind-evidence';
import { CHANNELS as CHANNEL_NAMES, type ChannelName } from './channels';
import type { AtRiskResponse, ContinuitySummaryView, PersonContinuityView } from './continuity-views';
import { JOB_LABEL, type EngineEvent, type JobChannel, type JobStarted } from './jobs';

// Every message a clerk may see is Chinese, zod's own included.
z.config(z.locales.zhCN());

const rollKind = z.enum(ROLL_KINDS, { error: `名册类型应为 ${ROLL_KINDS.join('、')} 之一` });
const mask = z.enum(MASK_PROFILES, { error: `身份证号脱敏方式应为 ${MASK_PROFILES.join('、')} 之一` });
const verdict = z.enum(['same', 'different'], { error: '判断应为 same（同一人）或 different（不是同一人）' });
const year = z
  .number({ error: '年度应为四位年份，如 2026' })
  .int({ error: '年度应为四位年份，如 2026' })
  .min(2000, { error: '年度应在 2000 到 2100 之间' })
  .max(2100, { error: '年度应在 2000 到 2100 之间' });
const encoding = z.enum(['utf8', 'gb18030', 'utf16le', 'utf16be'], {
  error: '编码应为 utf8、gb18030、utf16le 或 utf16be',
});
const headerRow = z
  .number({ error: '表头行应为正整数' })
  .int({ error: '表头行应为正整数' })
  .min(1, { error: '表头行应为正整数' });
const recordId = z.number().int().min(1);
const password = z
  .string({ error: '请输入密码' })
  .min(1, { error: '密码不能为空' })
  .max(200, { error: '密码不能超过200个字符' });
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: '日期应写成 2026-11-27 的形式' });
const page = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(5000).default(200) };
const path = z.string({ error: '缺少路径' }).min(1, { error: '缺少路径' }).max(4096);
const mapping = z.partialRecord(
  z.enum(FIELDS, { error: `列对应中有无法识别的字段，可用字段：${FIELDS.join(', ')}` }),
  z.number().int().min(0).max(16383),
);
export const EXPORT_KINDS = [
  'ledger',
  'duplicates',
  'persons',
  'rates',
  'linkage',
  'issues',
  'bulletin',
  'subsidy',
  'continuity',
] as const;
const exportKind = z.enum(EXPORT_KINDS, { error: `导出内容应为 ${EXPORT_KINDS.join(', ')} 中的几项` });

export const LIST_SORT_COLUMNS = ['personId', 'name', 'township', 'village', 'detail', 'special'] as const;
/** The 参保率 table's own columns (its place sorts as 'township' or 'village'). */
export const RATE_SORT_COLUMNS = ['base', 'insured', 'uninsured', 'rate'] as const;
/** A result list with the clerk's filters and order: done in SQL, so it works the same at a million rows. */
const listQuery = {
  list: z.enum(['persons', 'duplicates', 'uninsured', 'notInBase', 'issues']),
  township: z.string().optional(),
  village: z.string().optional(),
  specialOnly: z.boolean().default(false),
  /** Part of a name, 人员编号, village or (on 数据问题) file and problem. */
  text: z.string().trim().max(50).optional(),
  sortBy: z.enum(LIST_SORT_COLUMNS).optional(),
  sortDir: z.enum(['asc', 'desc']).default('asc'),
};

export const REQUESTS = {
  'workspace.recent': z.object({}),
  // The password travels only in this request; the engine keeps it in memory while the workspace is open.
  'workspace.open': z.object({ path, create: z.boolean().default(false), password: password.optional() }),
  // Encrypts the open workspace, or changes its password (then the current one is asked again).
  'workspace.setPassword': z.object({ password, current: z.string().max(200).optional() }),
  'workspace.status': z.object({}),
  'import.preview': z.object({ path, encoding: encoding.optional(), headerRow: headerRow.optional() }),
  'import.run': z.object({
    path,
    kind: rollKind,
    year,
    sheets: z.array(z.string()).optional(),
    encoding: encoding.optional(),
    headerRow: headerRow.optional(),
    mapping: mapping.optional(),
    /** Import a file whose identical bytes were already imported for this kind and year. */
    force: z.boolean().default(false),
    /** Go ahead although the file's title, sheet names or headers say another kind (the clerk confirmed). */
    confirmKind: z.boolean().default(false),
    /** Replace the import this roll belongs to by this file, in one step: refused, the old roll stays. */
    replaceRollId: recordId.optional(),
  }),
  // Removes the import a roll belongs to (all its sheets), after an automatic backup; audited.
  'roll.remove': z.object({ rollId: recordId }),
  /** full: compare and estimate everything again, instead of only what changed since the last match. */
  'match.run': z.object({ year: year.optional(), full: z.boolean().optional() }),
  'job.cancel': z.object({ jobId: z.string().min(1).max(100) }),
  'review.list': z.object({ ...page, mask: mask.default('6-4') }),
  // By the queue's pair number (what a list shows) or by the two record ids: going back to a decided pair (whose
  // queue entry is gone) and changing the verdict must work. Either way the decision is kept by record ids.
  'review.decide': z
    .object({ pairId: recordId.optional(), recordA: recordId.optional(), recordB: recordId.optional(), verdict })
    .refine((r) => (r.pairId !== undefined) !== (r.recordA !== undefined && r.recordB !== undefined), {
      error: '请给出待复核对的编号，或两条记录的编号（只给一种）',
    }),
  // Takes back the verdict on two records (the review screen's 撤销 / Ctrl+Z).
  'review.undo': z.object({ recordA: recordId, recordB: recordId }),
  'results.list': z.object({ ...listQuery, ...page }),
  // The list as the clerk sees it (its filter and order), written to one .xlsx with IDs masked 6-4; audited.
  // Into `dir`, or the folder 导出 beside the workspace.
  // 'rates' is the 参保率 table as shown: the townships, or the villages of the township chosen, in its order.
  'results.export': z.object({
    ...listQuery,
    list: z.enum([...listQuery.list.options, 'rates']),
    sortBy: z.enum([...LIST_SORT_COLUMNS, ...RATE_SORT_COLUMNS]).optional(),
    dir: path.optional(),
  }),
  // 一人一档 of one person, by 人员编号 (P00000012) or by one of the person's records.
  'person.get': z
    .object({
      personId: z
        .string()
        .regex(/^P\d{8}$/, { error: '人员编号应为 P 加 8 位数字' })
        .optional(),
      recordId: recordId.optional(),
    })
    .refine((r) => (r.personId !== undefined) !== (r.recordId !== undefined), {
      error: '请给出人员编号或一条记录的编号（只给一种）',
    }),
  'results.places': z.object({}),
  'results.rates': z.object({}),
  'search.find': z.object({
    query: z.string().trim().min(1, { error: '请给出要查找的姓名、拼音、拼音首字母或身份证号片段' }).max(100),
    mask: mask.default('6-4'),
    limit: z.number().int().min(1).max(500).default(20),
  }),
  // Why a full number is shown (核对身份, 群众来电, 乡镇核实, or the clerk's own words): kept in the log with who.
  'id.reveal': z.object({
    recordId,
    reason: z
      .string({ error: '请说明查看完整身份证号的原因' })
      .trim()
      .min(1, { error: '请说明查看完整身份证号的原因' })
      .max(60)
      // "其他" says nothing an auditor can check: it needs its words.
      .refine((r) => !/^其他[：:]?\s*$/.test(r), { error: '选“其他”时请写明查看的原因' }),
  }),
  'export.run': z.object({
    dir: path,
    what: z.array(exportKind).min(1, { error: '请至少选择一项导出内容' }),
    townships: z.array(z.string()).optional(),
    mask: mask.default('6-4'),
    format: z.enum(['xlsx', 'csv'], { error: '格式应为 xlsx 或 csv' }).default('xlsx'),
    /** 进度通报: compare with the last snapshot on or before this day instead of before today. */
    since: isoDay.optional(),
    /** 连续参保与断保风险名单: the year chosen on its page; the year being collected for when absent. */
    year: year.optional(),
  }),
  /** 下发: a numbered batch of 未参保 ledgers for the townships (all with persons to visit when none given). */
  'dispatch.run': z.object({
    dir: path,
    townships: z.array(z.string()).optional(),
    mask: mask.default('6-4'),
    format: z.enum(['xlsx', 'csv'], { error: '格式应为 xlsx 或 csv' }).default('xlsx'),
  }),
  'dispatch.list': z.object({}),
  /** 导入核实回执: the workbooks townships sent back, all in one step. */
  'returns.import': z.object({
    paths: z
      .array(path)
      .min(1, { error: '请选择乡镇发回的核实回执文件' })
      .max(200, { error: '一次最多导入 200 个文件' }),
  }),
  /** The daily snapshots of a township's villages (or of the county's townships) for the trend lines. */
  'progress.trend': z.object({ township: z.string().optional(), days: z.number().int().min(2).max(365).default(60) }),
  /** A department's full 资助参保 list for a month (DOMAIN-RULES §4, R4.5). */
  'subsidy.import': z.object({
    path,
    department: z.enum(DEPARTMENTS, { error: `部门应为 ${DEPARTMENTS.join('、')} 之一` }),
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: '月份应写成 2026-10 的形式' }),
  }),
  'subsidy.summary': z.object({}),
  /** The year's identity table (R4.2): the individual contribution and each identity's subsidy. */
  'subsidy.tiers': z.object({ year: year.optional() }),
  'subsidy.setTiers': z.object({
    year,
    contribution: z
      .number({ error: '个人缴费标准应为金额（元）' })
      .min(0, { error: '个人缴费标准不能为负数' })
      .max(100_000, { error: '个人缴费标准应在 0 到 100000 元之间' })
      .optional(),
    tiers: z
      .partialRecord(
        z.enum(IDENTITIES, { error: `身份应为 ${IDENTITIES.join('、')} 之一` }),
        z
          .object({
            kind: z.enum(['full', 'percent', 'amount', 'none'], {
              error: '资助方式应为 full（全额）、percent（比例）、amount（定额）或 none（不资助）',
            }),
            value: z.number({ error: '资助比例或金额应为数字' }).min(0, { error: '资助比例或金额不能为负数' }),
          })
          .refine((t) => t.kind !== 'percent' || t.value <= 100, { error: '资助比例应在 0 到 100 之间' }),
      )
      .optional(),
  }),
  /** Continuity (issue 13) for a year: by default the year the campaign is collecting for today. */
  'continuity.summary': z.object({ year: year.optional() }),
  /** The 断保风险名单: enrolled last year, not yet this year, by township and village. */
  'continuity.atRisk': z.object({
    year: year.optional(),
    township: z.string().max(60).optional(),
    village: z.string().max(60).optional(),
    text: z.string().max(60).optional(),
    ...page,
  }),
  /** One person's years (一人一档's 历年参保) and the explanation of the year. */
  'continuity.person': z.object({
    personId: z.string().regex(/^P\d{8}$/, { error: '人员编号应为 P 加 8 位数字' }),
    year: year.optional(),
  }),
  'audit.list': z.object({
    beforeId: z.number().int().optional(),
    limit: z.number().int().min(1).max(1000).default(200),
    // Filters of the 操作日志: one clerk, one kind of action, entries at or after `from` and before `to` (ISO times).
    actor: z.string().max(40).optional(),
    action: z.string().max(40).optional(),
    from: z.string().max(40).optional(),
    to: z.string().max(40).optional(),
  }),
  /** With manifest: also ties that export's 导出清单 to the log by the chain head it recorded. */
  'audit.verify': z.object({ manifest: path.optional() }),
  'settings.actor': z.object({
    name: z
      .string()
      .trim()
      .min(1, { error: '请填写经办人姓名' })
      .max(40)
      .refine((n) => n !== '经办人', { error: '请填写您自己的姓名，日志里要写明是谁操作的' }),
  }),
  'settings.get': z.object({}),
  'settings.set': SETTINGS_PATCH,
  'backup.list': z.object({}),
  /** Without dest: a backup into the 备份 folder beside the workspace; with dest: a copy saved there (另存副本). */
  'backup.create': z.object({ dest: path.optional() }),
  'backup.restore': z.object({ file: z.string().min(1, { error: '请选择要恢复的备份' }) }),
  // issue 14 item 2: listed ID numbers no person carries, the persons proposed for them, and the clerk's verdict.
  'subsidy.links': z.object({ mask: mask.default('6-4') }),
  /** By the proposal's number (what a list shows), or by the listed ID number and the person's 人员编号. */
  'subsidy.decideLink': z
    .object({
      candidateId: z.number().int().min(1).optional(),
      memberIdNumber: z.string().trim().max(18).optional(),
      personId: z.number().int().min(1).optional(),
      verdict,
    })
    .refine((r) => (r.candidateId !== undefined) !== (r.memberIdNumber !== undefined && r.personId !== undefined), {
      error: '请给出待确认的编号，或名单上的身份证号和人员编号（只给一种）',
    }),
} as const satisfies Record<ChannelName, z.ZodType>;

/** The request fields a clerk may get wrong, in the words the screens and the CLI use for them. */
const PARAM_LABEL: Record<string, string> = {
  pairId: '待复核对的编号',
  candidateId: '待确认的编号',
  memberIdNumber: '名单上的身份证号',
  recordA: '记录编号',
  recordB: '记录编号',
  recordId: '记录编号',
  rollId: '名册编号',
  replaceRollId: '要替换的名册编号',
  query: '查找内容',
  limit: '条数',
  offset: '起始位置',
  beforeId: '日志编号',
  what: '导出内容',
  dir: '导出文件夹',
  path: '文件路径',
  townships: '乡镇',
  jobId: '任务编号',
  name: '姓名',
  list: '名单',
};

/**
 * zod's own words where a schema gave none: its zh-CN locale still says "期望 number >=1", "实际接收 NaN". Our own
 * messages never use its phrasing (期望, 实际接收, 无效), so those are replaced and ours kept.
 */
function plainWords(i: z.core.$ZodIssue): string {
  if (!/期望|实际接收|无效/.test(i.message)) return i.message;
  const n = i as unknown as {
    minimum?: number | bigint;
    maximum?: number | bigint;
    expected?: string;
    values?: unknown[];
  };
  switch (i.code) {
    case 'too_small':
      return `应不小于 ${String(n.minimum)}`;
    case 'too_big':
      return `应不大于 ${String(n.maximum)}`;
    case 'invalid_type':
      return n.expected === 'number' ? '应为数字' : n.expected === 'string' ? '应为文字' : '格式不对';
    case 'invalid_value':
      return `应为 ${(n.values ?? []).map(String).join('、')} 之一`;
    default:
      return '格式不对';
  }
}

/** A refused request, in the clerk's words: each problem with the parameter it concerns, never a field's code name. */
export function describeInvalid(e: z.ZodError): string {
  const parts = e.issues.map((i) => {
    const field = i.path.find((p): p is string => typeof p === 'string');
    const label = field ? (PARAM_LABEL[field] ?? null) : null;
    const words = plainWords(i);
    return label && !words.includes(label) ? `${label}${words}` : words;
  });
  return `请求参数不正确：${[...new Set(parts)].join('；')}`;
}

export type Channel = keyof typeof REQUESTS;
// Both directions: every channel name has a schema (above) and every schema has a name.
const _everySchemaNamed: ChannelName = '' as Channel;
void _everySchemaNamed;
export type Request<C extends Channel> = z.input<(typeof REQUESTS)[C]>;
export type ParsedRequest<C extends Channel> = z.output<(typeof REQUESTS)[C]>;

export interface RollSummary {
  id: number;
  /** One import of one file: its sheets share it, and removal or replacement acts on all of them. */
  importId: string;
  file: string;
  sheet: string;
  kind: RollKind;
  year: number;
  rows: number;
  rowsRead: number;
  skipped: number;
  importedAt: string;
}

/** What a workspace holds and where its reconciliation stands (also what `canbao status` reports). */
export interface WorkspaceStatus {
  records: number;
  rolls: RollSummary[];
  idStatus: Record<IdStatus, number>;
  qualityIssues: number;
  /** Whether a match has run, and whether records were imported since (the lists are then out of date). */
  matched: boolean;
  /** A roll was removed or replaced since the last match: its lists are out of date (需要重新比对). */
  rollsChangedSinceMatch: boolean;
  unmatchedRecords: number;
  persons: number;
  duplicates: number;
  uninsured: number;
  notInBase: number;
  reviewPending: number;
  /**
   * Review decisions (and undos) recorded since the last match: they are kept at once, but the lists and exports
   * follow them only after the next match.
   */
  decisionsUnapplied: number;
  /** Blocks the last match's caps left out, per blocking key (words in shared/match/blocking-keys.ts). */
  matchCapped: { key: string; label: string; blocks: number; records: number }[];
  /** Lists were exported after the last match (the step guide's 导出 is done). */
  exportedSinceMatch: boolean;
}

export interface StatusResponse extends WorkspaceStatus {
  path: string | null;
  actor: string;
  /** False until a clerk's name is given once (then remembered): the app asks for it on first start. */
  actorNamed: boolean;
  /** Whether the open workspace is encrypted with a password. */
  encrypted: boolean;
}

export interface PreviewSheet {
  name: string;
  headerRow: number | null;
  header: string[];
  mapping: Partial<Record<Field, number>>;
  /** The first data rows as shown, with the problems found in each cell. */
  rows: {
    rowNumber: number;
    cells: string[];
    problems: { column: number | null; message: string }[];
    skipped: string | null;
  }[];
}
/** `sheets` previews the first sheet(s); `sheetNames` lists every sheet of the file, for the clerk to choose from. */
export interface PreviewResponse {
  file: string;
  format: string;
  encoding: string | null;
  sheets: PreviewSheet[];
  sheetNames: string[];
  /** The kind the title rows, sheet names, file name and headers point to (shared/headers/roll-kind-evidence.ts). */
  suggestion: KindSuggestion | null;
}

/** What removing a roll took away (the whole import it belonged to), and the workspace after. */
export interface RollRemovedResponse {
  removed: { file: string; kind: RollKind; year: number; sheets: string[]; records: number; issues: number };
  status: StatusResponse;
}

export interface MaskedRecord {
  recordId: number;
  /** The person the record is linked to now (P00000012), null before the first match: opens 一人一档. */
  personId: string | null;
  kind: RollKind;
  file: string;
  sheet: string;
  row: number;
  name: string;
  idMasked: string;
  idStatus: string;
  birthDate: string | null;
  gender: string | null;
  township: string | null;
  village: string | null;
  householdNo: string | null;
  householdHead: string | null;
  category: string | null;
}
/** How one field of a review pair compares, in words (electron/core/match/plain-words.ts). */
export type PlainAgreement = 'agree' | 'partly' | 'differ' | 'missing';
export interface PlainField {
  field: string;
  fieldLabel: string;
  agreement: PlainAgreement;
  /** ✓ agrees, ≈ partly, ✗ differs, — cannot be compared. */
  mark: string;
  words: string;
}
/** What else review shows of one side: its household (as listed in its roll) and the person's other records. */
export interface ReviewSideContext {
  household: { name: string; birthDate: string | null; householdHead: string | null }[];
  otherRecords: {
    kind: RollKind;
    year: number;
    file: string;
    sheet: string;
    row: number;
    name: string;
    idMasked: string;
  }[];
}
export interface ReviewPairView {
  id: number;
  weight: number;
  probability: number;
  impactLabel: string;
  siblingRisk: boolean;
  prior: number;
  contributions: { field: string; fieldLabel: string; level: string; levelLabel: string; weight: number }[];
  /** Each field in plain words, from the same levels as `contributions`. */
  plain: PlainField[];
  /** e.g. “3 项一致，1 项部分一致，1 项无法比较”. */
  plainTally: string;
  a: MaskedRecord;
  b: MaskedRecord;
  sides: { a: ReviewSideContext; b: ReviewSideContext };
}
export interface ReviewListResponse {
  pending: number;
  pairs: ReviewPairView[];
}

export interface ResultRow {
  personId: string;
  name: string;
  idMasked: string;
  recordId: number | null;
  township: string | null;
  village: string | null;
  detail: string;
  special: string;
  kind?: string;
}
export interface ResultsResponse {
  total: number;
  rows: ResultRow[];
}
export interface PersonRecordView {
  recordId: number;
  kindLabel: string;
  year: number;
  file: string;
  sheet: string;
  row: number;
  name: string;
  idMasked: string;
  idStatus: string;
  birthDate: string | null;
  gender: string | null;
  village: string | null;
  /** Why this record belongs to the person, in words (身份证号一致 / 多项信息综合比对：…一致 / 经办人判定). */
  link: string;
  /** For a duplicate enrolment: 保留 or 注销, and the rule. */
  action: '保留' | '注销' | null;
  rule: string | null;
}
export interface PersonView {
  personId: string;
  name: string;
  idMasked: string;
  /** The record whose full number a reveal shows. */
  recordId: number | null;
  township: string | null;
  village: string | null;
  status: string;
  duplicate: string | null;
  duplicateRule: string | null;
  special: string;
  records: PersonRecordView[];
  issues: { where: string; message: string }[];
  /** The township round-trip: batches that listed the person, answers returned, which one counts. */
  roundTrip: PersonRoundTrip;
}
export interface PersonRoundTrip {
  /** The answer that counts now and what it does to the rates, in words. */
  current: { category: string; effect: string } | null;
  dispatches: { batchNo: string; dispatchedAt: string; dispatchedBy: string }[];
  /** Newest first (by 核实日期, else the day it was imported). */
  answers: {
    category: string;
    /** What the cadre wrote, as written (已去世, 外出打工…). */
    written: string;
    evidence: string;
    verifier: string | null;
    verifiedOn: string | null;
    batchNo: string | null;
    /** File / sheet 第N行 it came back in. */
    source: string;
    importedAt: string;
    importedBy: string;
    current: boolean;
  }[];
}
export interface PlacesResponse {
  townships: { name: string; villages: string[] }[];
}
/** One place's participation (DOMAIN-RULES §2.2): both rate bases and the round-trip's counts. */
export interface RateRowView extends ParticipationFigures {
  township: string;
  /** null for a township's or the county's row. */
  village: string | null;
  /** due − insured − insuredElsewhere. */
  uninsured: number;
  /** The rate on the ranking basis (setting rateBasis). */
  rate: number;
  state: ProgressState;
}
export interface RatesResponse {
  target: number;
  lagRate: number;
  basis: RateBasis;
  county: RateRowView;
  townships: RateRowView[];
  villages: RateRowView[];
}
export interface BatchView {
  batchNo: string;
  dispatchedAt: string;
  dispatchedBy: string;
  townships: string[];
  persons: number;
  answered: number;
}
export interface TrendResponse {
  basis: RateBasis;
  /** One point per day (the day's last snapshot), oldest first: local date and time. */
  points: string[];
  /** One line per place (villages of the township asked for, or the county's townships), rate per point. */
  series: { place: string; rates: (number | null)[] }[];
}
export interface SearchHitView {
  personId: string;
  name: string;
  idMasked: string;
  township: string | null;
  village: string | null;
  inBase: boolean;
  insured: boolean;
  duplicate: string | null;
  records: {
    recordId: number;
    kind: RollKind;
    year: number;
    file: string;
    sheet: string;
    row: number;
    name: string;
    idMasked: string;
    village: string | null;
    linkRule: string;
  }[];
}
export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  summary: string;
}

/** The audit log checked entry by entry (electron/core/audit/verify-audit.ts). */
export interface AuditVerifyResponse {
  ok: boolean;
  entries: number;
  head: { id: number; hash: string } | null;
  /** The first entry that does not follow from the one before; null when intact or cut at the tail. */
  broken: { id: number; at: string; actor: string; action: string } | null;
  message: string;
  /** Present when a manifest was given: ok only if the chain is intact and the manifest's head is in it. */
  manifest?: { ok: boolean; message: string };
}

export interface Responses {
  'workspace.recent': { paths: string[] };
  'workspace.open': StatusResponse;
  'workspace.status': StatusResponse;
  'workspace.setPassword': StatusResponse;
  'import.preview': PreviewResponse;
  'import.run': JobStarted;
  'roll.remove': RollRemovedResponse;
  'match.run': JobStarted;
  'job.cancel': { cancelled: boolean };
  'review.list': ReviewListResponse;
  'review.decide': { pending: number; recordA: number; recordB: number; verdict: 'same' | 'different' };
  'review.undo': { pending: number };
  'results.list': ResultsResponse;
  'results.export': { file: string; rows: number };
  'person.get': PersonView;
  'results.places': PlacesResponse;
  'results.rates': RatesResponse;
  'search.find': { hits: SearchHitView[] };
  'id.reveal': { id: string };
  'export.run': JobStarted;
  'audit.list': { rows: AuditRow[]; actors: string[]; actions: { value: string; label: string }[] };
  'audit.verify': AuditVerifyResponse;
  'settings.actor': { actor: string };
  'settings.get': SettingsView;
  'settings.set': SettingsView;
  'backup.list': { backups: BackupView[] };
  'backup.create': { path: string; bytes: number };
  'backup.restore': StatusResponse;
  'dispatch.run': JobStarted;
  'dispatch.list': { batches: BatchView[] };
  'returns.import': JobStarted;
  'progress.trend': TrendResponse;
  'subsidy.import': JobStarted;
  'subsidy.summary': SubsidySummaryView;
  'subsidy.tiers': SubsidyTableView;
  'subsidy.setTiers': SubsidyTableView;
  'continuity.summary': ContinuitySummaryView;
  'continuity.atRisk': AtRiskResponse;
  'continuity.person': PersonContinuityView;
  'subsidy.links': SubsidyLinksView;
  'subsidy.decideLink': { toConfirm: number; verdict: 'same' | 'different'; personId: string };
}

/** A person proposed for a listed ID number: their record, and the comparison in plain words. */
export interface SubsidyLinkCandidateView {
  candidateId: number;
  /** 人员编号 (P00000012). */
  personId: string;
  name: string;
  idMasked: string;
  township: string;
  village: string;
  insured: boolean;
  weight: number;
  plain: PlainField[];
  plainTally: string;
  /** What the comparison levels cannot say (e.g. an old number from before a region was recoded). */
  note: string | null;
}

/** A listed ID number no person carries, as the department wrote it, with the persons proposed for it. */
export interface SubsidyLinkMemberView {
  name: string;
  idMasked: string;
  township: string;
  village: string;
  departments: string[];
  candidates: SubsidyLinkCandidateView[];
}
export interface SubsidyLinksView {
  toConfirm: number;
  members: SubsidyLinkMemberView[];
}

/** A year's identity table as shown and set: in priority order, with labels. */
export interface SubsidyTableView {
  year: number;
  contribution: number;
  tiers: { identity: Identity; label: string; kind: TierKind; kindLabel: string; value: number; pays: number }[];
}

/** 资助参保 at a glance (R4.7): the departments' current lists checked against enrolment. */
export interface SubsidySummaryView {
  year: number;
  /** Each department's current (latest) list. */
  lists: { department: string; month: string; rows: number }[];
  listed: number;
  insured: number;
  /** Of `insured`: in this county's employee insurance, who need no subsidy (R4.7b). */
  insuredEmployee: number;
  insuredElsewhere: number;
  uninsured: number;
  diedBeforeYear: number;
  wrongSubsidy: number;
  unlistedSubsidised: number;
  added: number;
  changed: number;
  cancelled: number;
  /** Listed ID numbers no person carries, with persons proposed by name and birth date, awaiting a clerk. */
  toConfirm: number;
}

/** One backup of the open workspace: its file in the 备份 folder, when (ISO), size and why it was made. */
export interface BackupView {
  file: string;
  at: string;
  bytes: number;
  reason: 'manual' | 'import' | 'match' | 'restore' | 'removeRoll';
  reasonLabel: string;
}

/** Every workspace setting, as stored (bounds and labels: shared/domain/settings.ts). */
export type SettingsView = Settings;

export type Response<C extends Channel> = Responses[C];
export const CHANNELS: readonly Channel[] = CHANNEL_NAMES;

export { JOB_LABEL, type JobChannel };
export type { EngineEvent, ExportFileView, JobDoneEvent, JobResult, JobStarted, ProgressEvent } from './jobs';
export type { ErrorEnvelope, ErrorKind } from './errors';

/** What the preload exposes as window.api (and the browser harness client implements): one function per channel. */
export type CanbaoApi = { [C in Channel]: (request: Request<C>) => Promise<Response<C>> } & {
  onEvent(listener: (e: EngineEvent) => void): () => void;
  /** A path the engine can read for a file the clerk dropped or picked (Electron: its path; harness: an upload). */
  pathForFile(file: File): Promise<string>;
  /** Folder chooser (Electron dialog; harness: a fixed folder of its own). */
  chooseFolder(): Promise<string | null>;
  /**
   * The system dialog for a workspace file: an existing one to open, or where to save a new one (Electron only;
   * the harness answers null and the clerk types the path).
   */
  chooseWorkspace(mode: 'open' | 'create'): Promise<string | null>;
  /** Opens a folder in the OS file manager (Electron only; no-op in the harness). */
  openFolder(path: string): Promise<void>;
};
