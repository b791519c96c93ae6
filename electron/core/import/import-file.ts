import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { ROLL_KIND_LABEL, type IdStatus, type RollKind } from '../../../shared/domain/types';
import { type ColumnMapping } from '../../../shared/headers/fields';
import { appendAudit, defaultActor } from '../audit/audit-log';
import { sha256File } from '../file-hash';
import type { Workspace } from '../db/workspace';
import { CanbaoError, type CancelFlag } from '../errors';
import { importSheet, INSERT_RECORD } from './import-sheet';
import { kindCheckedSheet } from './kind-check';
import { auditDetail, describeImport, removeImportInTransaction } from './remove-roll';
import { fileFault, storageFault, withStorageFaults } from '../storage-faults';
import { describeBytes, IMPORT_LIMITS, limitExceeded } from './limits';
import { openSource } from './open-source';
import { unreadable } from './read-errors';
import type { CsvEncoding } from './read-csv';
import { HEADER_SEARCH_ROWS, type SkipReason } from './sheet-layout';
import type { SourceBook } from './source';

export interface ImportProgress {
  stage: 'hash' | 'read';
  sheet: string;
  done: number;
  total: number | null;
  /** The reader's fraction of the whole file, across sheets (ReadMeter); null while hashing. */
  fraction?: number | null;
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
  /** The clerk confirmed the kind although the file's title, sheet names or headers say another (kind-check.ts). */
  kindConfirmed?: boolean;
  /** A roll of the import this file replaces: removed in the same transaction, so a refused file leaves it. */
  replaceRollId?: number;
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

/**
 * Imports one file into the workspace, all or nothing: everything happens inside one IMMEDIATE transaction that
 * is rolled back on any error or cancel, so a failed import leaves the workspace exactly as it was.
 */
export async function importFile(ws: Workspace, path: string, opts: ImportOptions): Promise<ImportSummary> {
  const fileName = basename(path);
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw fileFault(e, path);
  }
  if (size > IMPORT_LIMITS.fileBytes)
    throw limitExceeded(
      `文件有 ${describeBytes(size)}（上限 ${describeBytes(IMPORT_LIMITS.fileBytes)}）`,
      '请按乡镇拆分成几个文件分别导入',
      { file: fileName },
    );
  const actor = opts.actor ?? defaultActor();
  const asOf = opts.asOf ?? new Date().toISOString().slice(0, 10);
  opts.onProgress?.({ stage: 'hash', sheet: '', done: 0, total: null });
  let sha256: string;
  try {
    sha256 = await sha256File(path);
  } catch (e) {
    throw storageFault(e, path, 'read') ?? unreadable(e, { file: fileName }, 'xlsx');
  }
  const db = ws.db;
  const replacing = opts.replaceRollId !== undefined ? describeImport(db, opts.replaceRollId) : null;
  // Checked once before reading (a quick refusal) and again inside the write transaction: two imports of the same
  // roll started together both pass the first check, and only the second, under the write lock, decides.
  refuseIfImported(ws, sha256, opts, fileName, replacing?.importId);
  let book: SourceBook;
  try {
    book = openSource(path, opts.encoding);
  } catch (e) {
    throw fileFault(e, path);
  }
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

  withStorageFaults(ws.path, 'writeWorkspace', () => db.exec('BEGIN IMMEDIATE'));
  try {
    if (replacing) {
      const old = describeImport(db, opts.replaceRollId!);
      const { personsRemoved } = removeImportInTransaction(db, old);
      appendAudit(
        db,
        actor,
        'replaceRoll',
        auditDetail(old, { personsRemoved, replacedBy: fileName, newSha256: sha256 }),
      );
    }
    refuseIfImported(ws, sha256, opts, fileName);
    let kindChecked = opts.kindConfirmed === true;
    for await (const source of book.sheets) {
      seenSheets.push(source.name);
      if (wanted && !wanted.has(source.name)) {
        for await (const _ of source.rows) void _; // the stream must be drained to reach the next sheet
        continue;
      }
      // The first imported sheet's title rows and header say which kind of roll this is (kind-check.ts).
      const sheet = kindChecked ? source : kindCheckedSheet(source, fileName, opts.kind, opts.headerRow);
      const result = await importSheet(sheet, {
        ws,
        opts: {
          ...opts,
          onProgress: opts.onProgress && ((p) => opts.onProgress!({ ...p, fraction: book.meter.fraction() })),
        },
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
        kindChecked = true; // a 说明 sheet before the roll says nothing about it: the next sheet is checked instead
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
      const reasons = [...new Set(summary.skippedSheets.map((s) => s.reason))];
      const why = reasons.some((r) => r.includes('没有任何人员数据'))
        ? `${reasons.join('；')}。请确认选择的文件是否正确`
        : `前${HEADER_SEARCH_ROWS}行中没有包含“姓名”或“身份证号码”的表头行。请确认选择的是人员名册；若表头名称不同，请在导入时指定表头行和列对应`;
      throw new CanbaoError('noHeader', `没有找到可导入的工作表：${why}`, { file: fileName });
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
    // A PC woken from sleep mid-import commits nothing beside the colleague who took the workspace over.
    ws.assertStillHeld();
    db.exec('COMMIT');
    return summary;
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    // The workspace's disk (full, read-only) is said as such; the source file's disk likewise; only what is left
    // is a damaged or mislabelled file, said in Chinese, naming the file, without the library's own words.
    const cause = (e as { cause?: unknown })?.cause ?? e;
    const code = String((cause as { code?: unknown })?.code ?? '');
    throw (
      (code.startsWith('SQLITE_')
        ? storageFault(cause, ws.path, 'writeWorkspace')
        : storageFault(cause, path, 'read')) ?? unreadable(e, { file: fileName }, book.format)
    );
  }
}

function refuseIfImported(
  ws: Workspace,
  sha256: string,
  opts: ImportOptions,
  fileName: string,
  replacedImportId?: string,
): void {
  // The same bytes cannot be two kinds of roll: said whatever --force says, naming when and as what.
  const other = ws.db
    .prepare(
      'SELECT kind, year, imported_at FROM roll WHERE file_sha256 = ? AND kind != ? AND import_id IS NOT ? LIMIT 1',
    )
    .get(sha256, opts.kind, replacedImportId ?? null) as
    { kind: RollKind; year: number; imported_at: string } | undefined;
  if (other)
    throw new CanbaoError(
      'alreadyImported',
      `同一文件已于${other.imported_at.slice(0, 16).replace('T', ' ')}作为${other.year}年${ROLL_KIND_LABEL[other.kind]}导入过，不能再作为${ROLL_KIND_LABEL[opts.kind]}导入。` +
        `若原来的类型选错了，请先在“工作区 → 已导入的名册”中删除原来那次导入，再按正确的类型导入`,
      { file: fileName },
    );
  if (opts.allowSameFile) return;
  const seen = ws.db
    .prepare(
      'SELECT imported_at FROM roll WHERE file_sha256 = ? AND kind = ? AND year = ? AND import_id IS NOT ? LIMIT 1',
    )
    .get(sha256, opts.kind, opts.year, replacedImportId ?? null) as { imported_at: string } | undefined;
  if (seen) {
    throw new CanbaoError(
      'alreadyImported',
      `同一文件已于${seen.imported_at.slice(0, 16).replace('T', ' ')}作为${opts.year}年${ROLL_KIND_LABEL[opts.kind]}导入过，未重复导入`,
      { file: fileName },
    );
  }
}

/** The clerk's override is saved per header signature, so the next file of the same layout maps itself. */
function rememberMapping(ws: Workspace, summary: ImportSummary, mapping: ColumnMapping, actor: string): void {
  const save = ws.db.prepare(
    'INSERT OR REPLACE INTO header_mapping (signature, mapping_json, saved_at, saved_by) VALUES (?,?,?,?)',
  );
  for (const s of summary.sheets)
    if (s.signature) save.run(s.signature, JSON.stringify(mapping), new Date().toISOString(), actor);
}
