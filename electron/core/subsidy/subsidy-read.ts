import { basename } from 'node:path';
import { parseDate } from '../../../shared/date/parse-date';
import { parseIdentities, IDENTITY_LABEL, type Identity } from '../../../shared/domain/subsidy';
import { columnLetter, headerKey, recognizeHeader } from '../../../shared/headers/fields';
import { parseIdNumber } from '../../../shared/id/id-number';
import { CanbaoError, throwIfAborted, type CancelFlag } from '../errors';
import { openSource } from '../import/open-source';
import { cellText, isBlankRow, type RawCell, type SourceRow } from '../import/source';

/** One person on a department's list as read: the ID normalised (15→18, x→X), the identities in the fixed set. */
export interface ListRow {
  idNumber: string;
  name: string;
  township: string | null;
  village: string | null;
  identities: Identity[];
  includedOn: string | null;
  sheet: string;
  row: number;
}

type Column = 'name' | 'idNumber' | 'township' | 'village' | 'identity' | 'includedOn';
const WORDS: Record<Exclude<Column, 'name' | 'idNumber'>, string[]> = {
  township: ['镇（街）', '镇(街)', '乡镇', '乡镇（街道）', '镇街', '所属乡镇', '乡（镇）'],
  village: ['村（居）', '村(居)', '村（社区）', '村', '村社区', '行政村', '所属村'],
  identity: [
    '医疗救助身份',
    '资助身份',
    '资助参保身份',
    '救助身份',
    '人员类别',
    '身份类别',
    '救助类别',
    '对象类别',
    '残疾类别',
    '残疾等级',
    '优抚类别',
    '类别',
    '身份',
  ],
  includedOn: ['纳入资助时间', '纳入时间', '认定时间', '纳入日期', '认定日期', '享受时间'],
};
const LOOKUP = new Map<string, Column>();
for (const [c, ws] of Object.entries(WORDS)) for (const w of ws) LOOKUP.set(headerKey(w), c as Column);

interface Layout {
  columns: Partial<Record<Column, number>>;
  /** ✓ columns: a header naming one identity (特困, 低保, 监测对象…) whose cell is ticked. */
  ticks: { col: number; identity: Identity }[];
}

function layoutOf(cells: readonly RawCell[]): Layout | null {
  const columns: Layout['columns'] = {};
  const ticks: Layout['ticks'] = [];
  cells.forEach((c, col) => {
    const k = headerKey(cellText(c));
    if (!k) return;
    const f =
      LOOKUP.get(k) ?? (recognizeHeader(k) === 'name' ? 'name' : recognizeHeader(k) === 'idNumber' ? 'idNumber' : null);
    if (f && columns[f] === undefined) {
      columns[f] = col;
      return;
    }
    const ids = parseIdentities(cellText(c));
    if (ids.length === 1 && k.length <= 12) ticks.push({ col, identity: ids[0]! });
  });
  if (columns.idNumber === undefined || columns.name === undefined) return null;
  if (columns.identity === undefined && !ticks.length) return null;
  return { columns, ticks };
}

const TICKED = /^(✓|√|✔|☑|是|有|1|y|yes|●|○|\*)$/i;

export interface ListFile {
  file: string;
  rows: ListRow[];
}

/**
 * Reads a department's full list (民政, 农业农村, 残联, 退役军人) in the shapes it comes: one sheet or several, the
 * identity in one column ("低保、特困", "重度残疾（1-2级）") or as ✓ columns. A row without a usable ID number or
 * without an identity would cancel somebody by mistake: the whole list is refused, naming every such row.
 */
export async function readSubsidyList(path: string, signal?: CancelFlag): Promise<ListFile> {
  const file = basename(path);
  const book = openSource(path);
  const rows: ListRow[] = [];
  const bad: string[] = [];
  let sheetsRead = 0;
  for await (const sheet of book.sheets) {
    let layout: Layout | null = null;
    let searched = 0;
    for await (const r of sheet.rows as AsyncIterable<SourceRow>) {
      if (!layout) {
        if (searched++ < 30) layout = layoutOf(r.cells);
        continue;
      }
      if (rows.length % 5000 === 0) throwIfAborted(signal, '已取消，资助名单未导入');
      if (isBlankRow(r.cells)) continue;
      const get = (c: Column) => (layout!.columns[c] !== undefined ? r.cells[layout!.columns[c]!] : undefined);
      const name = cellText(get('name'));
      const idText = cellText(get('idNumber'));
      // 合计、制表人 lines under the list name nobody and carry no ID.
      if (!idText && (!name || r.cells.some((c) => /^(合计|小计|总计|制表|审核|填报|日期|单位)/.test(cellText(c)))))
        continue;
      const where = `${sheet.name ? `工作表“${sheet.name}”` : ''}第${r.rowNumber}行`;
      const id = parseIdNumber(get('idNumber'));
      const ids = new Set<Identity>(parseIdentities(cellText(get('identity'))));
      for (const t of layout.ticks) if (TICKED.test(cellText(r.cells[t.col]))) ids.add(t.identity);
      if (!id.idNumber || (id.status !== 'valid' && id.status !== 'converted15')) {
        const col = columnLetter(layout.columns.idNumber!);
        bad.push(
          `${where} ${col}列：${idText ? `身份证号“${idText}”${id.problem ? '，' + id.problem : '无效'}` : '没有填写身份证号'}`,
        );
        continue;
      }
      if (!ids.size) {
        const col = layout.columns.identity !== undefined ? `${columnLetter(layout.columns.identity)}列` : '';
        const said = cellText(get('identity'));
        bad.push(`${where} ${col}：${said ? `身份“${said}”无法识别` : '没有填写身份'}`);
        continue;
      }
      rows.push({
        idNumber: id.idNumber,
        name,
        township: cellText(get('township')) || null,
        village: cellText(get('village')) || null,
        identities: [...ids],
        includedOn: parseDate(get('includedOn') ?? null)?.slice(0, 10) ?? null,
        sheet: sheet.name,
        row: r.rowNumber,
      });
    }
    if (layout) sheetsRead++;
  }
  if (!sheetsRead)
    throw new CanbaoError(
      'badInput',
      `没有找到资助名单：前30行内没有同时含“姓名”“身份证号”和身份（如“医疗救助身份”，或“特困”“低保”等打勾列）的表头`,
      { file },
    );
  if (bad.length)
    throw new CanbaoError(
      'badInput',
      `这份资助名单有 ${bad.length} 行缺少有效的身份证号或身份，整份名单未导入（以免把这些人误作“取消”）。` +
        `请在原表中补正后重新导入：${bad.slice(0, 20).join('；')}${bad.length > 20 ? `；……共 ${bad.length} 行` : ''}`,
      { file },
    );
  return { file, rows };
}

export const identityWords = (ids: readonly Identity[]) => ids.map((i) => IDENTITY_LABEL[i]).join('、');
