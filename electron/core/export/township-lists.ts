import type Database from 'better-sqlite3';
import { formatPersonId, LINK_RULE_LABEL, ROLL_KIND_LABEL, type RollKind } from '../../../shared/domain/types';
import { maskId, type MaskProfile } from '../../../shared/export/mask';
import { DUPLICATE_KIND_LABEL, type DuplicateKind } from '../match/outcomes';
import type { CancelFlag } from '../errors';
import type { ColumnSpec } from './xlsx-sheet-writer';
import { byVillage, writeVillageWorkbook, type WrittenFile } from './village-workbook';

/** What every exported file is made with: where, which year, the title's county and date, masking and format. */
export interface ExportSettings {
  dir: string;
  year: number;
  county: string;
  exportDate: string;
  mask: MaskProfile;
  format: 'xlsx' | 'csv';
}

export interface ListContext extends ExportSettings {
  db: Database.Database;
  /** Checked between villages and rows: a cancelled export stops within a moment. */
  signal?: CancelFlag;
}

const ID_COL: ColumnSpec = { header: '公民身份号码', width: 22, text: true };

interface DupRow {
  person_id: number;
  name: string;
  id_number: string | null;
  duplicate_kind: DuplicateKind;
  village_key: string | null;
  action: 'keep' | 'cancel';
  rule: string;
  kind: RollKind;
  file: string;
  sheet: string;
  row: number;
  rec_village: string | null;
  rec_id: string;
}

/** 重复参保清理名单: each duplicated person's enrolments, which stays, which is cancelled, and the rule. */
export async function writeDuplicates(ctx: ListContext, township: string): Promise<WrittenFile> {
  const columns: ColumnSpec[] = [
    { header: '序号', width: 6 },
    { header: '人员编号', width: 12 },
    { header: '姓名', width: 12 },
    ID_COL,
    { header: '重复类型', width: 24 },
    { header: '参保名册', width: 20 },
    { header: '参保地', width: 16 },
    { header: '来源', width: 30 },
    { header: '处理', width: 8 },
    { header: '依据', width: 50 },
  ];
  const rows = ctx.db
    .prepare(
      `SELECT s.person_id, s.name, s.id_number, s.duplicate_kind, s.village_key, d.action, d.rule, r.kind, r.file_name AS file, r.sheet,
      c.source_row AS row, c.village AS rec_village, coalesce(c.id_number, c.id_raw) AS rec_id
    FROM person_status s JOIN duplicate_item d ON d.person_id = s.person_id JOIN record c ON c.id = d.record_id JOIN roll r ON r.id = c.roll_id
    WHERE s.duplicate_kind IS NOT NULL AND coalesce(s.township_key, '') = ? ORDER BY s.village_key, s.person_id, d.action DESC, c.id`,
    )
    .all(township) as DupRow[];
  const counts = ctx.db
    .prepare(
      `SELECT village_key AS v, count(*) AS n, sum(duplicate_kind = 'employeeAndResident') AS er FROM person_status
      WHERE duplicate_kind IS NOT NULL AND coalesce(township_key, '') = ? GROUP BY village_key ORDER BY village_key`,
    )
    .all(township) as { v: string | null; n: number; er: number }[];
  return writeVillageWorkbook({
    dir: ctx.dir,
    fileBase: `${township || '未分乡镇'}_重复参保清理名单_${ctx.year}`,
    kind: 'duplicates',
    township,
    format: ctx.format,
    signal: ctx.signal,
    title: (v) => `${ctx.county}${township}${v}${ctx.year}年度重复参保清理名单`,
    subtitle: `导出日期：${ctx.exportDate}　每人列出全部参保记录：“保留”的一条继续有效，“注销”的应予清退`,
    columns,
    summaryColumns: [
      { header: '村（社区）', width: 18 },
      { header: '重复参保人数', width: 14 },
      { header: '其中职工与居民重复', width: 18 },
    ],
    summaryRows: counts.map((c) => [c.v ?? '', c.n, c.er]),
    villages: byVillage(
      rows,
      (r) => r.village_key ?? '',
      (r, i) => [
        i,
        formatPersonId(r.person_id),
        r.name,
        maskId(r.id_number ?? r.rec_id, ctx.mask),
        DUPLICATE_KIND_LABEL[r.duplicate_kind],
        ROLL_KIND_LABEL[r.kind],
        r.rec_village ?? '',
        `${r.file}${r.sheet ? ' / ' + r.sheet : ''} 第${r.row}行`,
        r.action === 'keep' ? '保留' : '注销',
        r.rule,
      ],
    ),
    footerLines: ['经办人：＿＿＿＿＿＿　　　审核人：＿＿＿＿＿＿　　　日期：＿＿＿＿年＿＿月＿＿日'],
  });
}

interface PersonRow {
  person_id: number;
  name: string;
  id_number: string | null;
  village_key: string | null;
  in_base: number;
  insured: number;
  duplicate_kind: string | null;
  records: string;
}

/** 一人一档: one row per person with every enrolment, roll and village, the ID status, and how the person was verified. */
export async function writePersons(ctx: ListContext, township: string): Promise<WrittenFile> {
  const columns: ColumnSpec[] = [
    { header: '序号', width: 7 },
    { header: '人员编号', width: 12 },
    { header: '姓名', width: 12 },
    ID_COL,
    { header: '身份证号状态', width: 12 },
    { header: '在底册', width: 7 },
    { header: '参保情况', width: 28 },
    { header: '参保名册与来源', width: 48 },
    { header: '重复参保', width: 20 },
    { header: '核验方式', width: 30 },
  ];
  const decisions = new Map<number, { by: string; at: string }>();
  for (const d of ctx.db
    .prepare(`SELECT record_a, record_b, decided_by AS by, decided_at AS at FROM pair_decision WHERE verdict = 'same'`)
    .all() as { record_a: number; record_b: number; by: string; at: string }[]) {
    decisions.set(d.record_a, d);
    decisions.set(d.record_b, d);
  }
  // One string per person: id|kind|year|file|sheet|row|village|status|rule|score records joined by \u001e.
  const rows = ctx.db
    .prepare(
      `SELECT s.person_id, s.name, s.id_number, s.village_key, s.in_base, s.insured, s.duplicate_kind,
      group_concat(c.id || '\u001f' || r.kind || '\u001f' || r.year || '\u001f' || r.file_name || '\u001f' || r.sheet || '\u001f' || c.source_row || '\u001f' ||
        coalesce(c.village, '') || '\u001f' || c.id_status || '\u001f' || coalesce(c.link_rule, '') || '\u001f' || coalesce(c.link_score, '') || '\u001f' || c.id_raw, '\u001e') AS records
    FROM person_status s JOIN record c ON c.person_id = s.person_id JOIN roll r ON r.id = c.roll_id
    WHERE coalesce(s.township_key, '') = ? GROUP BY s.person_id ORDER BY s.village_key, s.person_id`,
    )
    .iterate(township) as IterableIterator<PersonRow>;
  const summary = ctx.db
    .prepare(
      `SELECT village_key AS v, count(*) AS n, sum(in_base) AS base, sum(insured) AS insured, sum(duplicate_kind IS NOT NULL) AS dup
      FROM person_status WHERE coalesce(township_key, '') = ? GROUP BY village_key ORDER BY village_key`,
    )
    .all(township) as { v: string | null; n: number; base: number; insured: number; dup: number }[];
  const toRow = (p: PersonRow, i: number): unknown[] => {
    const recs = p.records.split('\u001e').map((s) => {
      const [id, kind, year, file, sheet, row, village, status, rule, score, raw] = s.split('\u001f');
      return { id: Number(id), kind: kind as RollKind, year, file, sheet, row, village, status, rule, score, raw };
    });
    const enrol = recs
      .filter((r) => r.kind !== 'population')
      .map((r) => `${r.year}${ROLL_KIND_LABEL[r.kind]}${r.village ? '（' + r.village + '）' : ''}`);
    const clerk = recs.map((r) => decisions.get(r.id)).find(Boolean);
    const scores = recs.map((r) => Number(r.score)).filter((x) => Number.isFinite(x) && x !== 0);
    const how = clerk
      ? `经办人确认（${clerk.by}，${clerk.at.slice(0, 10)}）`
      : recs.length === 1
        ? LINK_RULE_LABEL.single!
        : recs.some((r) => r.rule === 'id') && scores.length
          ? `自动（身份证号一致，匹配分值 ${Math.max(...scores).toFixed(1)}）`
          : `自动（${LINK_RULE_LABEL.score}，匹配分值 ${scores.length ? Math.max(...scores).toFixed(1) : '—'}）`;
    const statuses = [...new Set(recs.map((r) => r.status))].join('、');
    return [
      i,
      formatPersonId(p.person_id),
      p.name,
      maskId(p.id_number ?? recs[0]?.raw ?? '', ctx.mask),
      statuses,
      p.in_base ? '是' : '否',
      enrol.length ? enrol.join('；') : '未参保',
      recs.map((r) => `${ROLL_KIND_LABEL[r.kind]}：${r.file}${r.sheet ? '/' + r.sheet : ''}第${r.row}行`).join('；'),
      p.duplicate_kind ? DUPLICATE_KIND_LABEL[p.duplicate_kind as DuplicateKind] : '',
      how,
    ];
  };
  return writeVillageWorkbook({
    dir: ctx.dir,
    fileBase: `${township || '未分乡镇'}_一人一档_${ctx.year}`,
    kind: 'persons',
    township,
    format: ctx.format,
    signal: ctx.signal,
    title: (v) => `${ctx.county}${township}${v}${ctx.year}年度参保人员一人一档`,
    subtitle: `导出日期：${ctx.exportDate}`,
    columns,
    summaryColumns: [
      { header: '村（社区）', width: 18 },
      { header: '人数', width: 10 },
      { header: '底册内', width: 10 },
      { header: '已参保', width: 10 },
      { header: '重复参保', width: 10 },
    ],
    summaryRows: summary.map((s) => [s.v ?? '', s.n, s.base, s.insured, s.dup]),
    villages: byVillage(rows, (r) => r.village_key ?? '', toRow),
  });
}
