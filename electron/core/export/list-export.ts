import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { ParsedRequest, ResultRow } from '../../../shared/ipc/contract';
import { formatDateTime, formatPercent } from '../../../shared/text/clerk-format';
import { appendAudit } from '../audit/audit-log';
import { readSettings } from '../settings';
import { excelJS } from '../spreadsheet/exceljs';
import { storageFault } from '../storage-faults';
import { iterateList } from '../service/views';
import { guardedStream } from './export-streams';
import { participation, type PlaceFigures } from '../township/participation';
import { addLayoutSheet, addPlainRow, type ColumnSpec } from './xlsx-sheet-writer';

type ListRequest = ParsedRequest<'results.export'> & { dir: string };
type ListSort = ParsedRequest<'results.list'>['sortBy'];

export const LIST_LABEL: Record<ListRequest['list'], string> = {
  uninsured: '未参保',
  duplicates: '重复参保',
  notInBase: '不在底册',
  issues: '数据问题',
  persons: '全部人员',
  rates: '参保率',
};

const PERSON_COLUMNS: ColumnSpec[] = [
  { header: '序号', width: 8 },
  { header: '人员编号', width: 12 },
  { header: '姓名', width: 12 },
  { header: '身份证号', width: 22, text: true },
  { header: '乡镇', width: 14 },
  { header: '村（社区）', width: 16 },
  { header: '情况', width: 30 },
  { header: '特殊人群', width: 18 },
];
const ISSUE_COLUMNS: ColumnSpec[] = [
  { header: '序号', width: 8 },
  { header: '姓名', width: 12 },
  { header: '原值', width: 22, text: true },
  { header: '位置与问题', width: 80 },
];

const rateColumns = (place: string): ColumnSpec[] => [
  { header: '序号', width: 8 },
  { header: place, width: 18 },
  { header: '底册人数', width: 12 },
  { header: '已参保', width: 12 },
  { header: '未参保', width: 12 },
  { header: '参保率', width: 10 },
  { header: '是否达到目标', width: 14 },
];

type RateSort = 'township' | 'village' | 'base' | 'insured' | 'uninsured' | 'rate';

/**
 * The 参保率 table as the screen shows it: the townships, or the villages of the township chosen, sorted as the
 * clerk sorted it (places by pinyin, as the screen does), then its total; each row as cells after 序号.
 */
function* rateRows(db: Database.Database, q: ListRequest): Generator<unknown[]> {
  const settings = readSettings(db);
  const r = participation(db, settings);
  const target = settings.targetRate;
  const place = (x: PlaceFigures) => (q.township !== undefined ? (x.village ?? '') : x.township);
  const rows = q.township !== undefined ? r.villages.filter((v) => v.township === q.township) : [...r.townships];
  const by = q.sortBy as RateSort | undefined;
  if (by) {
    const sign = q.sortDir === 'desc' ? -1 : 1;
    rows.sort(
      (a, b) =>
        sign * (by === 'township' || by === 'village' ? place(a).localeCompare(place(b), 'zh-CN') : a[by] - b[by]),
    );
  }
  const cells = (x: PlaceFigures, name: string) => [
    name,
    x.base,
    x.insured,
    x.uninsured,
    formatPercent(x.rate, 2),
    x.rate >= target ? '是' : '否',
  ];
  for (const x of rows) yield cells(x, place(x) || '（未填）');
  const total = q.township !== undefined ? r.townships.find((t) => t.township === q.township) : r.county;
  if (total) yield cells(total, '合计');
}

const stamp = (d: Date) =>
  `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}-` +
  `${String(d.getHours()).padStart(2, '0')}${String(d.getMinutes()).padStart(2, '0')}${String(d.getSeconds()).padStart(2, '0')}`;

/** What the clerk filtered by, said in the sheet's subtitle and the log. */
function filterWords(q: ListRequest): string {
  const w = [q.township ? `乡镇：${q.township}` : '', q.village ? `村（社区）：${q.village}` : ''];
  if (q.specialOnly) w.push('只看特殊人群');
  if (q.text) w.push(`查找：${q.text}`);
  return w.filter(Boolean).join('，');
}

/**
 * 导出当前列表: the rows of one result list with the clerk's filter and order, as on screen (IDs masked 6-4), into
 * one .xlsx written under a temporary name and renamed when complete, then logged like every export.
 */
export async function exportCurrentList(
  db: Database.Database,
  q: ListRequest,
  actor: string,
): Promise<{ file: string; rows: number }> {
  const label = LIST_LABEL[q.list];
  const file = join(q.dir, `${label}_当前列表_${stamp(new Date())}.xlsx`);
  const part = `${file}.part`;
  const columns =
    q.list === 'rates'
      ? rateColumns(q.township !== undefined ? '村（社区）' : '乡镇')
      : q.list === 'issues'
        ? ISSUE_COLUMNS
        : PERSON_COLUMNS;
  const filters = q.list === 'rates' ? (q.township !== undefined ? `乡镇：${q.township}` : '全县') : filterWords(q);
  const person = (r: ResultRow) =>
    q.list === 'issues'
      ? [r.name, r.idMasked, r.detail]
      : [r.personId, r.name, r.idMasked, r.township ?? '', r.village ?? '', r.detail, r.special];
  const { list } = q;
  const rows: Iterable<unknown[]> =
    list === 'rates'
      ? rateRows(db, q)
      : (function* () {
          for (const r of iterateList(db, { ...q, list, sortBy: q.sortBy as ListSort })) yield person(r);
        })();
  const subtitle =
    q.list === 'rates'
      ? `导出时间：${formatDateTime(new Date())}　参保率 = 已参保的底册人员 / 底册人数；目标 ${formatPercent(readSettings(db).targetRate, 0)}`
      : `导出时间：${formatDateTime(new Date())}${filters ? '　' + filters : ''}　身份证号已脱敏（前6后4）`;
  let n = 0;
  try {
    mkdirSync(q.dir, { recursive: true });
    const out = guardedStream(part);
    const wb = new (excelJS().stream.xlsx.WorkbookWriter)({
      stream: out.stream,
      useStyles: true,
      useSharedStrings: false,
    });
    const { sheet } = addLayoutSheet(wb, label, {
      title: q.list === 'rates' ? `${label}（${filters}）` : `${label}名单`,
      subtitle,
      columns,
    });
    for (const cells of rows) {
      n++;
      addPlainRow(sheet, [n, ...cells], columns);
    }
    sheet.commit();
    await Promise.race([wb.commit(), out.failed]);
    renameSync(part, file);
  } catch (e) {
    rmSync(part, { force: true });
    throw storageFault(e, file, 'write') ?? e;
  }
  appendAudit(db, actor, 'export', {
    dir: q.dir,
    what: ['list'],
    list: LIST_LABEL[q.list],
    filters,
    // The 参保率 table holds no ID numbers: the log says none, not how they were masked.
    mask: q.list === 'rates' ? null : '6-4',
    format: 'xlsx',
    files: [{ file, rows: n }],
  });
  return { file, rows: n };
}
