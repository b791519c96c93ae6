import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { excelJS } from '../spreadsheet/exceljs';
import { ZipArchive, type ZipEntry } from '../spreadsheet/zip-entries';
import { describeBytes, IMPORT_LIMITS, limitExceeded } from './limits';
import { fillMergedDown, parseRangeRef, type MergedRange } from './merged-cells';
import { ReadMeter, type SourceSheet } from './source';
import { worksheetRows, type ColumnChoice, type WorkbookLookups } from './worksheet-rows';

const SHARED_STRINGS_WEIGHT = 0.5;
const MERGE_SCAN_WEIGHT = 0.1;
/** Worksheets up to this size (inflated) are read whole rather than streamed: a village sheet is ~60 KB. */
const WHOLE_PART_BYTES = 4 * 1024 * 1024;

/** The parts of exceljs's WorkbookReader we drive ourselves, one part at a time, in the order they depend on. */
interface WorkbookParts {
  model?: { sheets?: { id: number | string; name: string; rId: string }[] };
  properties?: unknown;
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  sharedStrings?: unknown[];
  styles: { getStyleModel(id: number): { numFmt?: string } | null };
}

const REL = /<(?:\w+:)?Relationship\b([^>]*)\/?>/g;
const attr = (tag: string, name: string) => tag.match(new RegExp(`\\b${name}="([^"]*)"`))?.[1];

function relationships(xml: string): { id: string; type: string; target: string }[] {
  return [...xml.matchAll(REL)].map((m) => ({
    id: attr(m[1]!, 'Id') ?? '',
    type: attr(m[1]!, 'Type') ?? '',
    target: attr(m[1]!, 'Target') ?? '',
  }));
}

/** A relationship target relative to xl/ (or absolute from the package root) as a part name. */
function partName(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = ['xl'];
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg && seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

/**
 * Reads an .xlsx part by part through its central directory (zip-entries.ts): relationships, workbook, styles and
 * shared strings first, then each worksheet in the workbook's own order, streamed row by row
 * (worksheet-rows.ts), so memory stays flat for county-sized rolls whatever order the writer used.
 * The workbook's date system is read here: exceljs only honours date1904="1", but writers also put "true"
 * (ECMA-376 xsd:boolean), and a 1904 workbook read as 1900 puts every date 1,462 days early.
 */
export async function* readXlsx(path: string, meter = new ReadMeter()): AsyncIterable<SourceSheet> {
  const zip = ZipArchive.open(path);
  // Progress in compressed bytes read, weighted by what reading them costs (measured on a 100,000-person base): the
  // rows of each worksheet in full, its merged-range scan and the shared strings a tenth and a half of that.
  let weight = 1;
  zip.onRead = (bytes) => (meter.done += bytes * weight);
  for (const e of zip.entries())
    if (/^xl\/sharedStrings\.xml$/i.test(e.name)) meter.total += SHARED_STRINGS_WEIGHT * e.compressedSize;
    else if (/^xl\/worksheets\/[^/]+\.xml$/i.test(e.name)) meter.total += (1 + MERGE_SCAN_WEIGHT) * e.compressedSize;
  const file = basename(path);
  const need = (name: string): ZipEntry => {
    const e = zip.get(name);
    if (!e) throw new XlsxPartMissing(name);
    return checkedPart(e, IMPORT_LIMITS.smallPartBytes, file);
  };
  const reader = new (excelJS().stream.xlsx.WorkbookReader)(path, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  }) as unknown as WorkbookParts;
  const relsXml = await zip.text(need('xl/_rels/workbook.xml.rels'));
  await reader._parseRels(Readable.from([Buffer.from(relsXml)]));
  const workbookXml = await zip.text(need('xl/workbook.xml'));
  await reader._parseWorkbook(Readable.from([Buffer.from(workbookXml)]));
  const date1904 = /<(?:\w+:)?workbookPr\b[^>]*\bdate1904="(?:1|true)"/.test(workbookXml);
  reader.properties = { model: { date1904 } };
  const rels = relationships(relsXml);
  const byType = (suffix: string) => rels.find((r) => r.type.endsWith(suffix));
  const styles = byType('/styles');
  const stylesEntry = zip.get(styles ? partName(styles.target) : 'xl/styles.xml');
  weight = 0; // styles: small, and not counted in the total
  if (stylesEntry) await reader._parseStyles(zip.stream(checkedPart(stylesEntry, IMPORT_LIMITS.smallPartBytes, file)));
  const strings = byType('/sharedStrings');
  const stringsEntry = zip.get(strings ? partName(strings.target) : 'xl/sharedStrings.xml');
  if (stringsEntry) {
    const checked = checkedPart(stringsEntry, IMPORT_LIMITS.sharedStringsBytes, file);
    weight = /sharedStrings\.xml$/i.test(checked.name) ? SHARED_STRINGS_WEIGHT : 0;
    for await (const _ of reader._parseSharedStrings(zip.stream(checked))) void _;
  }

  const lookups: WorkbookLookups = {
    sharedStrings: reader.sharedStrings ?? [],
    numFmtOf: (styleId) => reader.styles.getStyleModel(styleId)?.numFmt ?? '',
    date1904,
  };
  for (const sheet of reader.model?.sheets ?? []) {
    const rel = rels.find((r) => r.id === sheet.rId);
    const entry = rel ? zip.get(partName(rel.target)) : undefined;
    if (!entry) continue; // a chart sheet or a dangling reference: nothing to read
    checkedPart(entry, IMPORT_LIMITS.worksheetBytes, file, sheet.name);
    const where = { file, sheet: sheet.name };
    const choice: ColumnChoice = { only: null };
    const readOnly = (columns: ReadonlySet<number>) => void (choice.only = columns);
    if (entry.uncompressedSize <= WHOLE_PART_BYTES) {
      // A small sheet is inflated once, for its merged ranges and its rows alike.
      weight = 1 + MERGE_SCAN_WEIGHT;
      const xml = zip.bytes(entry);
      const merges = await scanMerges([xml]);
      yield { name: sheet.name, rows: fillMergedDown(worksheetRows([xml], lookups, where, choice), merges), readOnly };
      continue;
    }
    weight = MERGE_SCAN_WEIGHT;
    const merges = await scanMerges(zip.stream(entry));
    weight = 1;
    yield {
      name: sheet.name,
      rows: fillMergedDown(worksheetRows(zip.stream(entry), lookups, where, choice), merges),
      readOnly,
    };
  }
}

/**
 * A part's declared inflated size and compression ratio against the designed limits, before a byte of it is
 * inflated (the stream itself refuses to inflate past the declared size).
 */
function checkedPart(entry: ZipEntry, maxBytes: number, file: string, sheet?: string): ZipEntry {
  const where = { file, ...(sheet !== undefined && { sheet }) };
  const part = partLabel(entry.name);
  const todo = '请在 Excel/WPS 中打开该文件，确认内容无误后另存为新的 .xlsx 再导入；若仍不行，请改存为 CSV';
  if (entry.uncompressedSize > maxBytes)
    throw limitExceeded(
      `文件中的${part}解压后有 ${describeBytes(entry.uncompressedSize)}（上限 ${describeBytes(maxBytes)}）`,
      todo,
      where,
    );
  const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
  if (entry.uncompressedSize > 1024 * 1024 && ratio > IMPORT_LIMITS.compressionRatio)
    throw limitExceeded(
      `文件中的${part}压缩比达 ${Math.round(ratio)} 倍（上限 ${IMPORT_LIMITS.compressionRatio} 倍），疑为恶意构造的压缩炸弹`,
      '请向提供文件的单位索取正常导出的名册',
      where,
    );
  return entry;
}

/** What a part holds, in a clerk's words (a part name such as xl/styles.xml means nothing to them). */
function partLabel(name: string): string {
  if (/worksheets\//i.test(name)) return '工作表数据';
  if (/sharedStrings/i.test(name)) return '共享文本';
  if (/styles/i.test(name)) return '格式（样式）数据';
  return '结构数据';
}

/** A part the workbook cannot be read without is missing: not an Excel workbook, or a damaged one. */
export class XlsxPartMissing extends Error {}

/**
 * The merged ranges of a worksheet. <mergeCells> follows <sheetData> in the part (ECMA-376 CT_Worksheet order), so
 * a streaming reader meets it only after every row: this first pass inflates the part and looks for it with a byte
 * search, without parsing XML.
 */
async function scanMerges(stream: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<MergedRange[]> {
  const marker = Buffer.from('<mergeCell ');
  let carry: Buffer = Buffer.alloc(0);
  let found = '';
  for await (const chunk of stream) {
    const buf = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    if (found) found += buf.toString('latin1');
    else {
      const at = buf.indexOf(marker);
      if (at >= 0) found = buf.toString('latin1', at);
      else carry = buf.subarray(Math.max(0, buf.length - marker.length));
      continue;
    }
    carry = Buffer.alloc(0);
  }
  const ranges: MergedRange[] = [];
  for (const m of found.matchAll(/<mergeCell\b[^>]*\bref="([^"]+)"/g)) {
    const r = parseRangeRef(m[1]!);
    if (r) ranges.push(r);
  }
  return ranges;
}
