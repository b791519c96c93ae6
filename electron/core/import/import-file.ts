import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Statement } from 'better-sqlite3';
import { ID_STATUSES, ROLL_KIND_LABEL, type IdStatus, type RollKind } from '../../../shared/domain/types';
import { columnLetter, FIELD_LABEL, headerSignature, type ColumnMapping } from '../../../shared/headers/fields';
import { townshipKey } from '../../../shared/place/place-key';
import { appendAudit, defaultActor } from '../audit/audit-log';
import { sha256File } from '../file-hash';
import type { Workspace } from '../db/workspace';
import { CanbaoError, throwIfAborted, type CancelFlag } from '../errors';
import { openSource } from './open-source';
import type { CsvEncoding } from './read-csv';
import { buildRecord, issueColumnLabel, type QualityIssue, type SheetContext } from './record-builder';
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
import { cellText, type SourceRow, type SourceSheet } from './source';

export interface ImportProgress {
  stage: 'hash' | 'read';
  sheet: string;
  done: number;
  total: number | null;
}

export interface ImportOptions {
  kind: RollKind;
  year: number;
  /** Sheets to import by name; all sheets with a recognizable header when absent. */
  sheets?: string[];
  encoding?: CsvEncoding;
  /** 1-based Excel row of the header, overriding detection (applies to every imported sheet). */
  headerRow?: number;
  /** Field → 0-based column, overriding detection; remembered for files with the same header. */
  mapping?: ColumnMapping;
  actor?: string;
  /** Import a file whose identical bytes were already imported as this kind and year. */
  allowSameFile?: boolean;
  asOf?: string;
  onProgress?: (p: ImportProgress) => void;
  signal?: CancelFlag;
}

export interface SheetSummary {
  sheet: string;
  rollId: number;
  headerRow: number;
  /** The header row's signature: the key under which a clerk's mapping is remembered. */
  signature: string;
  mapping: ColumnMapping;
  township: string | null;
  rowsRead: number;
  imported: number;
  skipped: Record<SkipReason, number>;
  idStatus: Record<IdStatus, number>;
  issues: number;
}

export interface ImportSummary {
  file: string;
  format: string;
  encoding: string | null;
  sha256: string;
  kind: RollKind;
  year: number;
  sheets: SheetSummary[];
  /** Sheets passed over because no header was found (e.g. a 说明 sheet). */
  skippedSheets: { sheet: string; reason: string }[];
  records: number;
  issues: number;
}

/** record's columns, each bound by name from the RecordValues field of the same name in camelCase (id_number ← idNumber). */
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
] as const;
const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const INSERT_RECORD = `INSERT INTO record (${RECORD_COLUMNS.join(', ')}) VALUES (${RECORD_COLUMNS.map((c) => '@' + camel(c)).join(', ')})`;

/**
 * Imports one file into the workspace, all or nothing: everything happens inside one IMMEDIATE transaction that
 * is rolled back on any error or cancel, so a failed import leaves the workspace exactly as it was.
 */
export async function importFile(ws: Workspace, path: string, opts: ImportOptions): Promise<ImportSummary> {
  const fileName = basename(path);
  try {
    statSync(path);
  } catch {
    throw new CanbaoError('notFound', '找不到文件', { file: fileName });
  }
  const actor = opts.actor ?? defaultActor();
  const asOf = opts.asOf ?? new Date().toISOString().slice(0, 10);
  opts.onProgress?.({ stage: 'hash', sheet: '', done: 0, total: null });
  const sha256 = await sha256File(path);
  const db = ws.db;
  const seen = db
    .prepare('SELECT imported_at FROM roll WHERE file_sha256 = ? AND kind = ? AND year = ? LIMIT 1')
    .get(sha256, opts.kind, opts.year) as { imported_at: string } | undefined;
  if (seen && !opts.allowSameFile) {
    throw new CanbaoError(
      'alreadyImported',
      `同一文件已于${seen.imported_at.slice(0, 16).replace('T', ' ')}作为${opts.year}年${ROLL_KIND_LABEL[opts.kind]}导入过，未重复导入`,
      { file: fileName },
    );
  }
  const book = openSource(path, opts.encoding);
  const wanted = opts.sheets?.length ? new Set(opts.sheets) : null;
  const summary: ImportSummary = {
    file: fileName,
    format: book.format,
    encoding: book.encoding,
    sha256,
    kind: opts.kind,
    year: opts.year,
    sheets: [],
    skippedSheets: [],
    records: 0,
    issues: 0,
  };
  const importId = randomUUID();
  const insertRecord = db.prepare(INSERT_RECORD);
  const insertIssue = db.prepare(
    `INSERT INTO quality_issue (roll_id, record_id, source_row, column_letter, column_name, value, code, message) VALUES (?,?,?,?,?,?,?,?)`,
  );
  const seenSheets: string[] = [];

  db.exec('BEGIN IMMEDIATE');
  try {
    for await (const sheet of book.sheets) {
      seenSheets.push(sheet.name);
      if (wanted && !wanted.has(sheet.name)) {
        for await (const _ of sheet.rows) void _; // the stream must be drained to reach the next sheet
        continue;
      }
      const result = await importSheet(sheet, {
        ws,
        opts,
        asOf,
        fileName,
        sha256,
        importId,
        actor,
        format: book.format,
        encoding: book.encoding,
        insertRecord,
        insertIssue,
        explicit: wanted !== null,
      });
      if ('skippedSheet' in result) summary.skippedSheets.push({ sheet: sheet.name, reason: result.skippedSheet });
      else {
        summary.sheets.push(result);
        summary.records += result.imported;
        summary.issues += result.issues;
      }
    }
    if (wanted) {
      const missing = [...wanted].filter((s) => !seenSheets.includes(s));
      if (missing.length)
        throw new CanbaoError(
          'badInput',
          `找不到工作表“${missing.join('、')}”。文件中的工作表：${seenSheets.join('、')}`,
          { file: fileName },
        );
    }
    if (summary.sheets.length === 0) {
      throw new CanbaoError(
        'noHeader',
        `没有找到可导入的工作表：前${HEADER_SEARCH_ROWS}行中没有包含“姓名”或“身份证号码”的表头行`,
        { file: fileName },
      );
    }
    if (opts.mapping) rememberMapping(ws, summary, opts.mapping, actor);
    appendAudit(db, actor, 'import', {
      file: fileName,
      sha256,
      kind: opts.kind,
      year: opts.year,
      format: book.format,
      encoding: book.encoding,
      sheets: summary.sheets.map((s) => ({
        sheet: s.sheet,
        rowsRead: s.rowsRead,
        imported: s.imported,
        skipped: s.skipped,
      })),
      records: summary.records,
      issues: summary.issues,
    });
    db.exec('COMMIT');
    return summary;
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (e instanceof CanbaoError) throw e;
    // A damaged or mislabelled file (not a zip, not BIFF): say so in Chinese, naming the file.
    throw new CanbaoError(
      'fileUnreadable',
      `无法读取文件，可能已损坏或不是${book.format === 'csv' ? '文本' : 'Excel'}文件（${(e as Error).message}）`,
      { file: fileName },
    );
  }
}

interface SheetJob {
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

async function importSheet(sheet: SourceSheet, job: SheetJob): Promise<SheetSummary | { skippedSheet: string }> {
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
  const rollId = Number(
    db
      .prepare(
        `INSERT INTO roll (import_id, kind, year, file_name, sheet, file_sha256, file_format, encoding, header_row, header_json, mapping_json, township_scope, imported_at, imported_by)
      VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      )
      .run(
        job.importId,
        opts.kind,
        opts.year,
        fileName,
        sheet.name,
        job.sha256,
        job.format,
        job.encoding,
        header.rowNumber,
        JSON.stringify(header.cells.map(cellText)),
        JSON.stringify(mapping),
        townshipFallback ? townshipKey(townshipFallback) : null,
        new Date().toISOString(),
        job.actor,
      ).lastInsertRowid,
  );

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
    const recordId = job.insertRecord.run({ ...r, rollId, rawJson: JSON.stringify(r.raw) }).lastInsertRowid;
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
    if (e instanceof CanbaoError) throw e;
    throw new CanbaoError('fileUnreadable', `读取到第${rowsRead}行附近时出错：${(e as Error).message}`, loc);
  }
  throwIfAborted(opts.signal);
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

/** The clerk's override is saved per header signature, so the next file of the same layout maps itself. */
function rememberMapping(ws: Workspace, summary: ImportSummary, mapping: ColumnMapping, actor: string): void {
  const save = ws.db.prepare(
    'INSERT OR REPLACE INTO header_mapping (signature, mapping_json, saved_at, saved_by) VALUES (?,?,?,?)',
  );
  for (const s of summary.sheets)
    if (s.signature) save.run(s.signature, JSON.stringify(mapping), new Date().toISOString(), actor);
}
