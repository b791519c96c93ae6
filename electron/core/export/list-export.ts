import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { ParsedRequest } from '../../../shared/ipc/contract';
import { appendAudit } from '../audit/audit-log';
import ExcelJS from '../spreadsheet/exceljs';
import { storageFault } from '../storage-faults';
import { iterateList } from '../service/views';
import { guardedStream } from './export-streams';
import { addLayoutSheet, addPlainRow, type ColumnSpec } from './xlsx-sheet-writer';

type ListRequest = ParsedRequest<'results.export'> & { dir: string };

export const LIST_LABEL: Record<ListRequest['list'], string> = {
  uninsured: '未参保',
  duplicates: '重复参保',
  notInBase: '不在底册',
  issues: '数据问题',
  persons: '全部人员',
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
  const columns = q.list === 'issues' ? ISSUE_COLUMNS : PERSON_COLUMNS;
  const filters = filterWords(q);
  let n = 0;
  try {
    mkdirSync(q.dir, { recursive: true });
    const out = guardedStream(part);
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out.stream, useStyles: true, useSharedStrings: false });
    const { sheet } = addLayoutSheet(wb, label, {
      title: `${label}名单`,
      subtitle: `导出时间：${new Date().toLocaleString('zh-CN')}${filters ? '　' + filters : ''}　身份证号已脱敏（前6后4）`,
      columns,
    });
    for (const r of iterateList(db, q)) {
      n++;
      addPlainRow(
        sheet,
        q.list === 'issues'
          ? [n, r.name, r.idMasked, r.detail]
          : [n, r.personId, r.name, r.idMasked, r.township ?? '', r.village ?? '', r.detail, r.special],
        columns,
      );
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
    mask: '6-4',
    format: 'xlsx',
    files: [{ file, rows: n }],
  });
  return { file, rows: n };
}
