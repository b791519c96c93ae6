import {
  headerKey,
  headerScore,
  headerSignature,
  mapHeaderRow,
  type ColumnMapping,
} from '../../../shared/headers/fields';
import { cellText, isBlankRow, type RawCell, type SourceRow } from './source';

/** Why a row did not become a record. Counted per sheet and shown to the clerk. */
export const SKIP_REASONS = ['title', 'blank', 'header', 'total', 'footer', 'noPerson'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
export const SKIP_REASON_LABEL: Record<SkipReason, string> = {
  title: '表头上方的标题行',
  blank: '空行',
  header: '重复的表头行',
  total: '合计/小计行',
  footer: '表尾签字/说明行',
  noPerson: '无姓名且无身份证号',
};

/** How far down a sheet the header may sit (title rows, 填报单位 lines, merged banners above it). */
export const HEADER_SEARCH_ROWS = 30;

export interface HeaderChoice {
  rowNumber: number;
  cells: RawCell[];
  mapping: ColumnMapping;
  signature: string;
}

/** Header keys per column, computed once per sheet: the repeated-header test runs on every row. */
const headerKeysCache = new WeakMap<HeaderChoice, string[]>();
function headerKeysOf(header: HeaderChoice): string[] {
  let keys = headerKeysCache.get(header);
  if (!keys) {
    keys = header.cells.map(headerKey);
    headerKeysCache.set(header, keys);
  }
  return keys;
}

/**
 * Picks the header row among the first rows: the first row that names a person field and at least one other,
 * unless one of the next two rows names more (two-level headers put the real one below a banner).
 */
export function chooseHeader(rows: readonly SourceRow[]): HeaderChoice | null {
  let best: { row: SourceRow; score: number } | null = null;
  for (const row of rows) {
    const score = headerScore(row.cells);
    if (score < 2) {
      if (best && row.rowNumber > best.row.rowNumber + 2) break;
      continue;
    }
    if (!best || score > best.score) best = { row, score };
    else if (row.rowNumber > best.row.rowNumber + 2) break;
  }
  if (!best) return null;
  return {
    rowNumber: best.row.rowNumber,
    cells: best.row.cells,
    mapping: mapHeaderRow(best.row.cells),
    signature: headerSignature(best.row.cells),
  };
}

const TOTAL = /^(合\s*计|小\s*计|总\s*计|共\s*计|累\s*计|本页合计|总人数|人数合计)/;
const FOOTER =
  /^(制表|填表|审核|负责人|单位负责人|经办人|分管领导|填报日期|制表日期|打印日期|说明|注[:：]|备注[:：]|签字|盖章|（?盖章）?)/;

/** Classifies a row below the header. */
export function classifyDataRow(row: SourceRow, header: HeaderChoice): SkipReason | 'data' {
  const cells = row.cells;
  if (isBlankRow(cells)) return 'blank';
  const m = header.mapping;
  // A repeated header (page breaks in printed-then-scanned-back rolls, or sheets pasted together).
  if (looksLikeRepeatedHeader(cells, header)) return 'header';
  const name = m.name !== undefined ? cellText(cells[m.name]) : '';
  const id = m.idNumber !== undefined ? cellText(cells[m.idNumber]) : '';
  const firstTexts = firstNonEmpty(cells, 3);
  if (firstTexts.some((t) => TOTAL.test(t)) || TOTAL.test(name)) return 'total';
  // A signature line may spill into the ID column ("审核人："), but never holds an ID-like number.
  if (!/\d{6,}/.test(id) && (FOOTER.test(firstTexts[0] ?? '') || FOOTER.test(name))) return 'footer';
  if (!name && !id) return 'noPerson';
  return 'data';
}

function looksLikeRepeatedHeader(cells: readonly RawCell[], header: HeaderChoice): boolean {
  const headerKeys = headerKeysOf(header);
  // Fast path: a data row holds a value, not a header word, in the name (or ID) column.
  const probe = header.mapping.name ?? header.mapping.idNumber;
  if (probe !== undefined && headerKey(cells[probe]) !== headerKeys[probe]) return false;
  let same = 0,
    nonEmpty = 0;
  for (let i = 0; i < headerKeys.length; i++) {
    if (!headerKeys[i]) continue;
    nonEmpty++;
    if (headerKey(cells[i]) === headerKeys[i]) same++;
  }
  return nonEmpty > 0 && same >= Math.max(2, Math.ceil(nonEmpty * 0.6));
}

function firstNonEmpty(cells: readonly RawCell[], n: number): string[] {
  const out: string[] = [];
  for (const c of cells) {
    const t = cellText(c);
    if (t) out.push(t.replace(/\s+/g, ''));
    if (out.length >= n) break;
  }
  return out;
}

const TOWNSHIP_IN_TEXT = /([\u4e00-\u9fa5]{1,8}?(?:镇|乡|街道))/;

/** A township named in a sheet name or title line: rolls often carry it only there. */
export function townshipFromText(text: string): string | null {
  const t = text.replace(/\s+/g, '');
  const m = t.match(TOWNSHIP_IN_TEXT);
  return m ? m[1]! : null;
}

/** A village named by the sheet name itself (one sheet per village). */
export function villageFromSheetName(name: string): string | null {
  const t = name.replace(/\s+/g, '');
  return /(村|社区|村委会|居委会|村民委员会|居民委员会)$/.test(t) ? t : null;
}

const COUNTY_IN_TEXT = /(?:^|[^\u4e00-\u9fa5])([\u4e00-\u9fa5]{2,8}?(?:自治县|县|旗))/;

/** A county named at the start of a title line ("宁陕县城关镇户籍人口底册", "2026年宁陕县…"), for export titles. */
export function countyFromText(text: string): string | null {
  // Years ("2026年", "2026年度") are not part of a name: cut them out first.
  const m = text
    .replace(/\s+/g, '')
    .replace(/\d{4}年度?/g, ' ')
    .match(COUNTY_IN_TEXT);
  return m ? m[1]! : null;
}
