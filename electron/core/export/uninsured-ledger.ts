import type Database from 'better-sqlite3';
import { formatPersonId, GENDER_LABEL, type Gender } from '../../../shared/domain/types';
import { categoryLabel, effectOf, EVIDENCE_LABEL, VERIFICATION_CATEGORIES } from '../../../shared/domain/verification';
import { maskId } from '../../../shared/export/mask';
import { SPECIAL_GROUPS } from '../../../shared/headers/coded-values';
import { readSettings } from '../settings';
import { roundTripFacts, type RoundTripFacts } from '../township/round-trip-facts';
import type { ListContext } from './township-lists';
import { byVillage, writeVillageWorkbook, type WrittenFile } from './village-workbook';
import type { ColumnSpec } from './xlsx-sheet-writer';

/** The batch a ledger is dispatched in: its rows are the batch's persons, and each row names it. */
export interface LedgerBatch {
  id: number;
  no: string;
  /** ISO time of the dispatch. */
  at: string;
}

/**
 * The ledger's columns, also the header words a returned ledger is read by (returns-read.ts). The 核实情况 column
 * is a drop-down; the evidence columns are what R2.1 asks each category to carry.
 */
export const LEDGER_COLUMNS: ColumnSpec[] = [
  { header: '序号', width: 6 },
  { header: '下发批次', width: 13 },
  { header: '人员编号', width: 12 },
  { header: '姓名', width: 10 },
  { header: '公民身份号码', width: 21, text: true },
  { header: '性别', width: 5 },
  { header: '出生日期', width: 11 },
  { header: '村（社区）', width: 10 },
  { header: '组', width: 7 },
  { header: '户主姓名', width: 10 },
  { header: '与户主关系', width: 9 },
  { header: '特殊人群', width: 12 },
  { header: '联系电话', width: 13, text: true },
  { header: '上次核实', width: 20 },
  { header: '核实情况', width: 16 },
  { header: EVIDENCE_LABEL.place, width: 16 },
  { header: EVIDENCE_LABEL.deathDate, width: 11 },
  { header: EVIDENCE_LABEL.paidDate, width: 11 },
  { header: EVIDENCE_LABEL.paidAmount, width: 9 },
  { header: '核实人', width: 9 },
  { header: '核实日期', width: 11 },
  { header: EVIDENCE_LABEL.note, width: 20 },
];
const CATEGORY_COLUMN = LEDGER_COLUMNS.findIndex((c) => c.header === '核实情况');

const specialLabel = (groups: string | null) =>
  (groups ?? '')
    .split(',')
    .filter(Boolean)
    .map((g) => SPECIAL_GROUPS.find((s) => s.code === g)?.label ?? g)
    .join('、');

interface LedgerRow {
  person_id: number;
  name: string;
  id_number: string | null;
  id_raw: string | null;
  gender: string | null;
  birth_date: string | null;
  village_key: string | null;
  group_name: string | null;
  household_head: string | null;
  relation: string | null;
  special_groups: string | null;
  phone: string | null;
}

const COLUMNS_SQL = `s.person_id, s.name, s.id_number, b.id_raw, b.gender, b.birth_date, s.village_key, b.group_name,
  b.household_head, b.relation, s.special_groups, b.phone`;

/**
 * Who is still to be visited in a township: base persons with no enrolment whose current answer neither removes them
 * from the base nor says they are insured (a 死亡 or 县外参保 answered in an earlier batch is not asked again).
 * Special groups first (they must reach 100%), then by village and name, as the ledger lists them.
 */
export function openUninsured(db: Database.Database, township: string, facts: RoundTripFacts): LedgerRow[] {
  const s = readSettings(db);
  const rows = db
    .prepare(
      `SELECT ${COLUMNS_SQL} FROM person_status s JOIN record b ON b.id = s.base_record_id
      WHERE s.in_base = 1 AND s.insured = 0 AND coalesce(s.township_key, '') = ?
      ORDER BY s.village_key, s.special_rank, b.name_pinyin, s.person_id`,
    )
    .all(township) as LedgerRow[];
  return rows.filter((r) => {
    const a = facts.answers.get(r.person_id);
    return !a || effectOf(a.code, s) === 'stays';
  });
}

/** The last answer a person gave, in a few words for the cadre who visits again: 外出务工未缴费（2026-11-20 李四）. */
function lastAnswers(db: Database.Database, facts: RoundTripFacts): (personId: number) => string {
  const get = db.prepare('SELECT code, verifier, verified_on AS on_ FROM verification WHERE id = ?');
  return (personId) => {
    const a = facts.answers.get(personId);
    if (!a) return '';
    const v = get.get(a.verificationId) as { code: string; verifier: string | null; on_: string | null } | undefined;
    if (!v) return '';
    const who = [v.on_, v.verifier].filter(Boolean).join(' ');
    return `${categoryLabel(v.code)}${who ? `（${who}）` : ''}`;
  };
}

/**
 * 未参保人员台账 of one township: one sheet per village with the persons to visit and the columns a cadre fills in.
 * Dispatched (`ctx.batch`), it lists exactly the batch's persons and names the batch on every row.
 */
export async function writeLedger(ctx: ListContext & { batch?: LedgerBatch }, township: string): Promise<WrittenFile> {
  const facts = roundTripFacts(ctx.db);
  const rows = ctx.batch
    ? (ctx.db
        .prepare(
          `SELECT ${COLUMNS_SQL} FROM dispatch_item i JOIN person_status s ON s.person_id = i.person_id
          JOIN record b ON b.id = s.base_record_id WHERE i.batch_id = ? AND coalesce(i.township_key, '') = ?
          ORDER BY i.seq`,
        )
        .all(ctx.batch.id, township) as LedgerRow[])
    : openUninsured(ctx.db, township, facts);
  const last = lastAnswers(ctx.db, facts);
  const summary = new Map<string, { listed: number; special: number }>();
  for (const r of rows) {
    const s = summary.get(r.village_key ?? '') ?? { listed: 0, special: 0 };
    s.listed++;
    if (r.special_groups) s.special++;
    summary.set(r.village_key ?? '', s);
  }
  const batchText = ctx.batch ? `下发批次 ${ctx.batch.no}（${ctx.batch.at.slice(0, 10)}）　` : '';
  return writeVillageWorkbook({
    dir: ctx.dir,
    fileBase: `${township || '未分乡镇'}_未参保人员台账_${ctx.batch ? ctx.batch.no : ctx.year}`,
    kind: 'ledger',
    township,
    format: ctx.format,
    signal: ctx.signal,
    title: (v) => `${ctx.county}${township}${v}${ctx.year}年度未参保人员台账`,
    subtitle:
      `${batchText}导出日期：${ctx.exportDate}　请在“核实情况”中选择一项，并填写该项所需的参保地、死亡日期或缴费日期；` +
      '特殊人群列在前面，须100%参保',
    columns: LEDGER_COLUMNS,
    summaryColumns: [
      { header: '村（社区）', width: 18 },
      { header: '下发人数', width: 10 },
      { header: '其中特殊人群', width: 14 },
    ],
    summaryRows: [...summary.entries()].map(([v, s]) => [v, s.listed, s.special]),
    villages: byVillage(
      rows,
      (r) => r.village_key ?? '',
      (r, i) => [
        i,
        ctx.batch?.no ?? '',
        formatPersonId(r.person_id),
        r.name,
        maskId(r.id_number ?? r.id_raw, ctx.mask),
        r.gender ? GENDER_LABEL[r.gender as Gender] : '',
        r.birth_date ?? '',
        r.village_key ?? '',
        r.group_name ?? '',
        r.household_head ?? '',
        r.relation ?? '',
        specialLabel(r.special_groups),
        r.phone ?? '',
        last(r.person_id),
        ...Array<string>(LEDGER_COLUMNS.length - CATEGORY_COLUMN).fill(''),
      ],
    ),
    footerLines: ['填表人：＿＿＿＿＿＿　　　审核人：＿＿＿＿＿＿　　　日期：＿＿＿＿年＿＿月＿＿日'],
    dropDown: { column: CATEGORY_COLUMN, values: VERIFICATION_CATEGORIES.map((c) => c.label) },
  });
}
