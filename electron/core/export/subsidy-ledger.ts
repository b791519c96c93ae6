import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { DIFF_LABEL, IDENTITY_LABEL, type DiffKind, type Identity } from '../../../shared/domain/subsidy';
import { categoryLabel } from '../../../shared/domain/verification';
import { maskId } from '../../../shared/export/mask';
import { townshipKey, villageKey } from '../../../shared/place/place-key';
import { sha256File } from '../file-hash';
import { excelJS } from '../spreadsheet/exceljs';
import { subsidyChecks, type ListedPerson } from '../subsidy/subsidy-checks';
import { roundTripFacts } from '../township/round-trip-facts';
import { guardedStream } from './export-streams';
import type { ListContext } from './township-lists';
import { byVillage, writeVillageWorkbook, type WrittenFile } from './village-workbook';
import { addLayoutSheet, addPlainRow, type ColumnSpec } from './xlsx-sheet-writer';

/** DOMAIN-RULES §4.3: the columns of the real 特殊对象资助参保台账; what the county has no data for is left to fill. */
const COLUMNS: ColumnSpec[] = [
  { header: '序号', width: 6 },
  { header: '纳入资助时间', width: 11 },
  { header: '身份取消时间', width: 10 },
  { header: '身份变更情况', width: 14 },
  { header: '镇（街）', width: 10 },
  { header: '村（居）', width: 10 },
  { header: '姓名', width: 9 },
  { header: '身份证号码', width: 21, text: true },
  { header: '医疗救助身份', width: 16 },
  { header: '资助参保身份', width: 12 },
  { header: '是否参保', width: 8 },
  { header: '参保类别', width: 9 },
  { header: '居民医保缴费金额', width: 9 },
  { header: '缴费时间', width: 10 },
  { header: '是否符合资助', width: 8 },
  { header: '是否获得资助', width: 8 },
  { header: '获得资助身份类别', width: 12 },
  { header: '资助方式', width: 8 },
  { header: '税务第一批请款情况', width: 10 },
  { header: '资助金额', width: 8 },
  { header: '资助地或参保地（区外备注）', width: 16 },
  { header: '备注（死亡时间）', width: 12 },
  { header: '未参保原因', width: 14 },
];

const INSURED_WORDS: Record<ListedPerson['status'], [string, string]> = {
  insured: ['是', '居民医保'],
  employee: ['是', '职工医保（无需资助）'],
  elsewhere: ['县外参保', ''],
  uninsured: ['否', ''],
  diedBeforeYear: ['否（年度前已死亡）', ''],
};

interface Row extends ListedPerson {
  township: string;
  village: string;
  includedOn: string | null;
  change: string;
  death: string | null;
  reason: string;
}

const memo = new WeakMap<Database.Database, { key: string; rows: Row[] }>();

/** Every listed person with place, inclusion date, last change and township answer; computed once per state. */
export function listedRows(db: Database.Database): Row[] {
  const key = (db
    .prepare(
      `SELECT (SELECT max(id) FROM subsidy_list) || '|' || (SELECT max(id) FROM verification) || '|' || (SELECT max(id) FROM match_run)
      || '|' || (SELECT coalesce(max(id), 0) || ':' || count(*) FROM subsidy_link)`,
    )
    .pluck()
    .get() ?? '') as string;
  const hit = memo.get(db);
  if (hit?.key === key) return hit.rows;
  const { persons } = subsidyChecks(db);
  const facts = roundTripFacts(db);
  const place = db.prepare(
    `SELECT coalesce(township_key, '') AS t, coalesce(village_key, '') AS v FROM person_status WHERE person_id = ?`,
  );
  const member = db.prepare(
    `SELECT m.township AS t, m.village AS v, m.included_on AS included FROM subsidy_member m JOIN subsidy_list l ON l.id = m.list_id
    WHERE m.id_number = ? ORDER BY l.month DESC LIMIT 1`,
  );
  const change = db.prepare(
    `SELECT c.kind, l.month FROM subsidy_change c JOIN subsidy_list l ON l.id = c.list_id
    WHERE c.id_number = ? AND c.kind <> 'cancelled' ORDER BY l.month DESC LIMIT 1`,
  );
  const answer = db.prepare('SELECT code, death_date AS death FROM verification WHERE id = ?');
  const rows = persons.map((p): Row => {
    const at = p.personId !== null ? (place.get(p.personId) as { t: string; v: string } | undefined) : undefined;
    const m = member.get(p.idNumber) as { t: string | null; v: string | null; included: string | null };
    const c = change.get(p.idNumber) as { kind: DiffKind; month: string } | undefined;
    const a = p.personId !== null ? facts.answers.get(p.personId) : undefined;
    const said = a ? (answer.get(a.verificationId) as { code: string; death: string | null }) : undefined;
    return {
      ...p,
      township: at?.t || townshipKey(m.t ?? ''),
      village: at?.v || villageKey(m.v ?? '', m.t ?? undefined),
      includedOn: m.included,
      change: c ? `${c.month} ${DIFF_LABEL[c.kind]}` : '',
      death: said?.code === '06' ? said.death : null,
      reason: p.status === 'uninsured' && said ? categoryLabel(said.code) : '',
    };
  });
  memo.set(db, { key, rows });
  return rows;
}

const identities = (ids: readonly Identity[]) => ids.map((i) => IDENTITY_LABEL[i]).join('、');

/** 特殊对象资助参保台账 of one township: a sheet per village, the uninsured first (they must reach 100%). */
export async function writeSubsidyLedger(ctx: ListContext, township: string): Promise<WrittenFile> {
  const rows = listedRows(ctx.db)
    .filter((r) => r.township === township)
    .sort(
      (a, b) =>
        (a.village < b.village ? -1 : a.village > b.village ? 1 : 0) ||
        Number(a.status !== 'uninsured') - Number(b.status !== 'uninsured') ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
  const summary = new Map<string, { listed: number; uninsured: number; wrong: number }>();
  for (const r of rows) {
    const s = summary.get(r.village) ?? { listed: 0, uninsured: 0, wrong: 0 };
    s.listed++;
    if (r.status === 'uninsured') s.uninsured++;
    if (r.wrongSubsidy) s.wrong++;
    summary.set(r.village, s);
  }
  return writeVillageWorkbook({
    dir: ctx.dir,
    fileBase: `${township || '未分乡镇'}_特殊对象资助参保台账_${ctx.year}`,
    kind: 'subsidy',
    township,
    format: ctx.format,
    signal: ctx.signal,
    title: (v) => `${ctx.county}${township}${v}${ctx.year}年度特殊对象资助参保台账`,
    subtitle: `导出日期：${ctx.exportDate}　名单取各部门最近一个月的全量名单；一人多种身份按最高身份资助一次（就高不重复）`,
    columns: COLUMNS,
    summaryColumns: [
      { header: '村（居）', width: 16 },
      { header: '资助对象', width: 10 },
      { header: '未参保', width: 10 },
      { header: '资助身份不符', width: 12 },
    ],
    summaryRows: [...summary].map(([v, s]) => [v, s.listed, s.uninsured, s.wrong]),
    villages: byVillage(
      rows,
      (r) => r.village,
      (r, i) => [
        i,
        r.includedOn ?? '',
        '',
        r.change,
        r.township,
        r.village,
        r.name,
        maskId(r.idNumber, ctx.mask),
        identities(r.identities),
        IDENTITY_LABEL[r.highest],
        INSURED_WORDS[r.status][0],
        INSURED_WORDS[r.status][1],
        r.paid ?? '',
        '',
        r.status === 'insured' ? (r.wrongSubsidy ? '否' : '是') : '',
        r.status === 'insured' ? (r.subsidisedAs ? '是' : '否') : '',
        r.subsidisedAs ? IDENTITY_LABEL[r.subsidisedAs] : '',
        '',
        '',
        '',
        r.elsewherePlace ?? '',
        r.death ?? '',
        r.reason,
      ],
    ),
  });
}

const CHANGE_COLUMNS: ColumnSpec[] = [
  { header: '序号', width: 6 },
  { header: '增量形式', width: 8 },
  { header: '部门', width: 9 },
  { header: '姓名', width: 9 },
  { header: '身份证号码', width: 21, text: true },
  { header: '变更前身份', width: 16 },
  { header: '变更后身份', width: 16 },
  { header: '纳入资助时间', width: 12 },
];

/** 资助名单变化: a sheet per month, each department's 新增, 变更 and 取消 against its month before (R4.5). */
export async function writeSubsidyChanges(ctx: ListContext): Promise<WrittenFile> {
  const file = join(ctx.dir, `资助名单变化_${ctx.year}.xlsx`);
  const guarded = guardedStream(file);
  const wb = new (excelJS().stream.xlsx.WorkbookWriter)({
    stream: guarded.stream,
    useStyles: true,
    useSharedStrings: false,
  });
  const months = ctx.db.prepare('SELECT DISTINCT month FROM subsidy_list ORDER BY month').pluck().all() as string[];
  const rows = ctx.db.prepare(
    `SELECT c.kind, l.department, c.id_number AS id, c.before, c.after,
      coalesce(m.name, (SELECT name FROM subsidy_member x WHERE x.id_number = c.id_number LIMIT 1)) AS name, m.included_on AS included
    FROM subsidy_change c JOIN subsidy_list l ON l.id = c.list_id
    LEFT JOIN subsidy_member m ON m.list_id = c.list_id AND m.id_number = c.id_number
    WHERE l.month = ? ORDER BY l.department, CASE c.kind WHEN 'added' THEN 0 WHEN 'changed' THEN 1 ELSE 2 END, c.id_number`,
  );
  const sheets: { name: string; rows: number }[] = [];
  const label = (x: string | null) => (x ? IDENTITY_LABEL[x as Identity] : '');
  const write = async () => {
    for (const month of months) {
      const list = rows.all(month) as {
        kind: DiffKind;
        department: string;
        id: string;
        before: string | null;
        after: string | null;
        name: string | null;
        included: string | null;
      }[];
      const title = `${ctx.county}${month.replace('-', '年')}月资助参保名单变化`;
      const { sheet } = addLayoutSheet(wb, month, {
        title,
        subtitle: `导出日期：${ctx.exportDate}　与各部门上月名单对比：新增、变更（最高身份变化或取消后恢复）、取消（本月名单中没有）`,
        columns: CHANGE_COLUMNS,
        footerLeft: title,
      });
      list.forEach((r, i) =>
        addPlainRow(
          sheet,
          [
            i + 1,
            DIFF_LABEL[r.kind],
            r.department,
            r.name ?? '',
            maskId(r.id, ctx.mask),
            label(r.before),
            label(r.after),
            r.included ?? '',
          ],
          CHANGE_COLUMNS,
        ),
      );
      sheet.commit();
      sheets.push({ name: month, rows: list.length });
    }
    await wb.commit();
  };
  await Promise.race([write(), guarded.failed]);
  return {
    file,
    kind: 'subsidy',
    township: null,
    rows: sheets.reduce((a, s) => a + s.rows, 0),
    sheets,
    sha256: await sha256File(file),
  };
}
