import type { Statement } from 'better-sqlite3';
import { ID_STATUSES, type IdStatus } from '../../../shared/domain/types';
import { columnLetter, FIELD_LABEL, headerSignature, type ColumnMapping } from '../../../shared/headers/fields';
import { townshipKey } from '../../../shared/place/place-key';
import type { Workspace } from '../db/workspace';
import { CanbaoError, throwIfAborted } from '../errors';
import type { ImportOptions, SheetSummary } from './import-file';
import {
  buildRecord,
  issueColumnLabel,
  type QualityIssue,
  type RecordValues,
  type SheetContext,
} from './record-builder';
import {
  chooseHeader,
  classifyDataRow,
  countyFromText,
  HEADER_SEARCH_ROWS,
  SKIP_REASONS,
  townshipFromText,
  villageFromSheetName,
  type HeaderChoice,
  type SkipReason,
} from './sheet-layout';
import { IMPORT_LIMITS, limitExceeded } from './limits';
import { unreadable } from './read-errors';
import { cellText, type SourceRow, type SourceSheet } from './source';

/**
 * One sheet of an import, inside the import's transaction (import-file.ts): find the header, resolve the column
 * mapping, and turn every data row into a record, counting what is skipped and why.
 */

/**
 * record's columns; each takes the RecordValues field of the same name in camelCase (id_number ← idNumber). The
 * values are picked by those names into one reused array and bound by position: binding 27 named parameters from a
 * spread object cost about 1.7 s per 200,000 rows (profiled on a generated base roll).
 */
const RECORD_COLUMNS = [
  'roll_id',
  'source_row',
  'raw_json',
  'name',
  'name_key',
  'name_pinyin',
  'name_initials',
  'id_raw',
  'id_number',
  'id_status',
  'id_cert_kind',
  'birth_date',
  'gender',
  'township',
  'township_key',
  'village',
  'village_key',
  'group_name',
  'household_no',
  'household_head',
  'relation',
  'category',
  'special_groups',
  'phone',
  'unit_name',
  'insured_status',
  'person_no',
  'paid_date',
] as const;
const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
/** roll's columns, bound by name (@import_id …) from one object keyed by the column names. */
const ROLL_COLUMNS = [
  'import_id',
  'kind',
  'year',
  'file_name',
  'sheet',
  'file_sha256',
  'file_format',
  'encoding',
  'header_row',
  'header_json',
  'mapping_json',
  'township_scope',
  'imported_at',
  'imported_by',
] as const;
const INSERT_ROLL = `INSERT INTO roll (${ROLL_COLUMNS.join(', ')}) VALUES (${ROLL_COLUMNS.map((c) => '@' + c).join(', ')})`;

export const INSERT_RECORD = `INSERT INTO record (${RECORD_COLUMNS.join(', ')}) VALUES (${RECORD_COLUMNS.map(() => '?').join(', ')})`;
const RECORD_FIELDS = RECORD_COLUMNS.map(camel);

/** INSERT_RECORD's values for one record, picked by field name into one array reused row after row. */
function recordValuesWriter(): (r: RecordValues, rollId: number) => unknown[] {
  const values: unknown[] = new Array(RECORD_FIELDS.length);
  // roll_id and raw_json are not RecordValues fields: filled in after the loop, at their columns' positions.
  const rollAt = RECORD_FIELDS.indexOf('rollId');
  const rawAt = RECORD_FIELDS.indexOf('rawJson');
  return (r, rollId) => {
    const source = r as unknown as Record<string, unknown>;
    for (let k = 0; k < RECORD_FIELDS.length; k++) values[k] = source[RECORD_FIELDS[k]!];
    values[rollAt] = rollId;
    values[rawAt] = JSON.stringify(r.raw);
    return values;
  };
}

/** A row past the designed column or cell-length limits is refused before anything of it is kept. */
function checkRowLimits(row: SourceRow, loc: { file: string; sheet?: string }): void {
  const cells = row.cells;
  if (cells.length > IMPORT_LIMITS.columns)
    throw limitExceeded(
      `此行有 ${cells.length} 列（上限 ${IMPORT_LIMITS.columns} 列）`,
      '请删除名册以外的多余列（或另存时只保留名册所在区域）后再导入',
      { ...loc, row: row.rowNumber },
    );
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (typeof c === 'string' && c.length > IMPORT_LIMITS.cellChars)
      throw limitExceeded(
        `此单元格有 ${c.length} 个字符（上限 ${IMPORT_LIMITS.cellChars} 个，与 Excel 单元格的上限相同）`,
        '请在 Excel/WPS 中检查并改正这个单元格后再导入',
        { ...loc, row: row.rowNumber, column: columnLetter(i) },
      );
  }
}

export interface SheetJob {
  ws: Workspace;
  opts: ImportOptions;
  asOf: string;
  fileName: string;
  sha256: string;
  importId: string;
  actor: string;
  format: string;
  encoding: string | null;
  insertRecord: Statement;
  insertIssue: Statement;
  explicit: boolean;
}

export async function importSheet(sheet: SourceSheet, job: SheetJob): Promise<SheetSummary | { skippedSheet: string }> {
  const { opts, fileName } = job;
  const db = job.ws.db;
  const loc = { file: fileName, sheet: sheet.name || undefined };
  const skipped = Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<SkipReason, number>;
  const idStatus = Object.fromEntries(ID_STATUSES.map((s) => [s, 0])) as Record<IdStatus, number>;
  const iterator = sheet.rows[Symbol.asyncIterator]();
  const pre: SourceRow[] = [];
  let rowsRead = 0;

  // Look for the header among the first rows, keeping them to replay.
  let header: HeaderChoice | null = null;
  while (pre.length < HEADER_SEARCH_ROWS) {
    const next = await iterator.next();
    if (next.done) break;
    checkRowLimits(next.value, loc);
    pre.push(next.value);
  }
  if (opts.headerRow !== undefined) {
    const row = pre.find((r) => r.rowNumber === opts.headerRow);
    if (!row)
      throw new CanbaoError('noHeader', `指定的表头行第${opts.headerRow}行不存在或超出前${HEADER_SEARCH_ROWS}行`, loc);
    header = chooseHeader([row]) ?? {
      rowNumber: row.rowNumber,
      cells: row.cells,
      mapping: {},
      signature: headerSignature(row.cells),
    };
  } else {
    header = chooseHeader(pre);
  }
  if (!header) {
    for (;;) if ((await iterator.next()).done) break;
    if (job.explicit)
      throw new CanbaoError('noHeader', `前${HEADER_SEARCH_ROWS}行中没有包含“姓名”或“身份证号码”的表头行`, loc);
    return { skippedSheet: `前${HEADER_SEARCH_ROWS}行中没有表头` };
  }
  const detected = header;
  const remembered = detected.signature
    ? (db.prepare('SELECT mapping_json FROM header_mapping WHERE signature = ?').get(header.signature) as
        { mapping_json: string } | undefined)
    : undefined;
  const mapping: ColumnMapping = {
    ...detected.mapping,
    ...(remembered ? (JSON.parse(remembered.mapping_json) as ColumnMapping) : {}),
    ...(opts.mapping ?? {}),
  };
  if (mapping.name === undefined && mapping.idNumber === undefined) {
    throw new CanbaoError('badMapping', '列对应中既没有“姓名”也没有“身份证号码”，无法识别人员', {
      ...loc,
      row: header.rowNumber,
    });
  }
  // From here on the header carries the effective mapping: detected, then remembered, then the clerk's override.
  header = { ...detected, mapping };
  const width = Math.max(header.cells.length, ...pre.map((r) => r.cells.length));
  for (const [f, col] of Object.entries(mapping)) {
    if (col === undefined || col < 0 || col >= Math.max(width, 1) + 50) {
      throw new CanbaoError(
        'badMapping',
        `“${FIELD_LABEL[f as keyof typeof FIELD_LABEL] ?? f}”对应的列${col === undefined ? '' : columnLetter(col)}超出表格范围`,
        { ...loc, row: header.rowNumber },
      );
    }
  }

  const titleText = pre
    .filter((r) => r.rowNumber < header.rowNumber)
    .map((r) => r.cells.map(cellText).join(''))
    .join(' ');
  const county = countyFromText(titleText);
  if (county) db.prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('detectedCounty', ?)`).run(county);
  const townshipFallback =
    mapping.township === undefined ? (townshipFromText(sheet.name) ?? townshipFromText(titleText)) : null;
  const ctx: SheetContext = {
    mapping,
    headerCells: header.cells,
    townshipFallback,
    villageFallback: mapping.village === undefined ? villageFromSheetName(sheet.name) : null,
    asOf: job.asOf,
  };
  const roll: Record<(typeof ROLL_COLUMNS)[number], string | number | null> = {
    import_id: job.importId,
    kind: opts.kind,
    year: opts.year,
    file_name: fileName,
    sheet: sheet.name,
    file_sha256: job.sha256,
    file_format: job.format,
    encoding: job.encoding,
    header_row: header.rowNumber,
    header_json: JSON.stringify(header.cells.map(cellText)),
    mapping_json: JSON.stringify(mapping),
    township_scope: townshipFallback ? townshipKey(townshipFallback) : null,
    imported_at: new Date().toISOString(),
    imported_by: job.actor,
  };
  const rollId = Number(db.prepare(INSERT_ROLL).run(roll).lastInsertRowid);

  const valuesOf = recordValuesWriter();
  let imported = 0;
  let issueCount = 0;
  const issues: QualityIssue[] = [];
  let lastRow = 0;
  const handle = (row: SourceRow) => {
    // Rows Excel leaves out of the file are blank rows to the clerk: count them so the numbers match the sheet.
    if (row.rowNumber > lastRow + 1) {
      const gap = row.rowNumber - lastRow - 1;
      skipped.blank += gap;
      rowsRead += gap;
    }
    lastRow = row.rowNumber;
    rowsRead++;
    if (rowsRead > IMPORT_LIMITS.rows)
      throw limitExceeded(`工作表超过 ${IMPORT_LIMITS.rows} 行`, '请按乡镇拆分成几个文件分别导入', {
        ...loc,
        row: row.rowNumber,
      });
    checkRowLimits(row, loc);
    if (row.rowNumber < header.rowNumber) {
      skipped[row.cells.some((c) => cellText(c) !== '') ? 'title' : 'blank']++;
      return;
    }
    if (row.rowNumber === header.rowNumber) return;
    const kind = classifyDataRow(row, header);
    if (kind !== 'data') {
      skipped[kind]++;
      if (kind === 'noPerson') {
        job.insertIssue.run(
          rollId,
          null,
          row.rowNumber,
          null,
          null,
          row.cells.map(cellText).filter(Boolean).join(' ').slice(0, 200),
          'noPerson',
          '此行没有姓名和身份证号，未导入',
        );
        issueCount++;
      }
      return;
    }
    issues.length = 0;
    const r = buildRecord(row, ctx, issues);
    const recordId = job.insertRecord.run(valuesOf(r, rollId)).lastInsertRowid;
    imported++;
    idStatus[r.idStatus as IdStatus]++;
    for (const q of issues) {
      const col = issueColumnLabel(ctx, q.column, q.field);
      job.insertIssue.run(rollId, recordId, q.sourceRow, col.letter, col.name, q.value, q.code, q.message);
      issueCount++;
    }
  };

  try {
    for (const row of pre) handle(row);
    for (let ticks = 1; ; ticks++) {
      const next = await iterator.next();
      if (next.done) break;
      handle(next.value);
      if (ticks % 4096 === 0) {
        throwIfAborted(opts.signal);
        opts.onProgress?.({ stage: 'read', sheet: sheet.name, done: rowsRead, total: null });
      }
    }
  } catch (e) {
    throw unreadable(e, loc, job.format, rowsRead);
  }
  throwIfAborted(opts.signal);
  if (imported === 0) {
    // A header with nothing under it is not an empty roll: the clerk most likely chose the wrong file or sheet.
    const reason = `表头（第${header.rowNumber}行）下面没有任何人员数据行`;
    if (job.explicit) throw new CanbaoError('noHeader', `${reason}，请确认选择的文件和工作表是否正确`, loc);
    db.prepare('DELETE FROM quality_issue WHERE roll_id = ?').run(rollId);
    db.prepare('DELETE FROM roll WHERE id = ?').run(rollId);
    return { skippedSheet: reason };
  }
  const skippedTotal = Object.values(skipped).reduce((a, b) => a + b, 0);
  db.prepare('UPDATE roll SET rows_read = ?, rows_imported = ?, rows_skipped = ?, skipped_json = ? WHERE id = ?').run(
    rowsRead,
    imported,
    skippedTotal,
    JSON.stringify(skipped),
    rollId,
  );
  opts.onProgress?.({ stage: 'read', sheet: sheet.name, done: rowsRead, total: rowsRead });
  return {
    sheet: sheet.name,
    rollId,
    headerRow: header.rowNumber,
    signature: header.signature,
    mapping,
    township: townshipFallback,
    rowsRead,
    imported,
    skipped,
    idStatus,
    issues: issueCount,
  };
}
