import { excelJS } from '../spreadsheet/exceljs';
import { guardedStream } from './export-streams';
import { extname } from 'node:path';
import type Database from 'better-sqlite3';
import { csvLine } from '../../../shared/export/safe-cell';
import { maskId, type MaskProfile } from '../../../shared/export/mask';
import { ROLL_KIND_LABEL, type RollKind } from '../../../shared/domain/types';
import { throwIfAborted, type CancelFlag } from '../errors';
import { EXPORT_CANCELLED } from './export-cancel';
import { addLayoutSheet, addPlainRow, type ColumnSpec } from './xlsx-sheet-writer';

export interface QualityIssueRow {
  file: string;
  sheet: string;
  kind: RollKind;
  row: number;
  column: string | null;
  columnName: string | null;
  value: string | null;
  code: string;
  message: string;
  name: string | null;
}

const COLUMNS: ColumnSpec[] = [
  { header: '来源文件', width: 28 },
  { header: '工作表', width: 14 },
  { header: '名册类型', width: 18 },
  { header: '行号', width: 8 },
  { header: '列', width: 6 },
  { header: '列名', width: 14 },
  { header: '姓名', width: 12 },
  { header: '原值', width: 24, text: true },
  { header: '问题', width: 60 },
];

export function* iterateQualityIssues(db: Database.Database): Generator<QualityIssueRow> {
  const stmt =
    db.prepare(`SELECT r.file_name AS file, r.sheet, r.kind, q.source_row AS row, q.column_letter AS column, q.column_name AS columnName,
      q.value, q.code, q.message, rec.name
    FROM quality_issue q JOIN roll r ON r.id = q.roll_id LEFT JOIN record rec ON rec.id = q.record_id
    ORDER BY q.roll_id, q.source_row, q.id`);
  yield* stmt.iterate() as IterableIterator<QualityIssueRow>;
}

function shown(i: QualityIssueRow, mask: MaskProfile): string {
  // ID values are masked like any other export; other values are shown as typed.
  return i.code.startsWith('id_') ? maskId(i.value, mask) : (i.value ?? '');
}

/** The data-quality report a clerk opens in Excel/WPS: one row per problem, with file, sheet, row and column. */
export async function writeQualityReport(
  db: Database.Database,
  out: string,
  mask: MaskProfile = 'full',
  signal?: CancelFlag,
): Promise<number> {
  let n = 0;
  const check = () => {
    if (n % 10_000 === 0) throwIfAborted(signal, EXPORT_CANCELLED);
  };
  if (extname(out).toLowerCase() === '.csv') {
    const { stream, drain, failed } = guardedStream(out);
    try {
      stream.write('\ufeff' + csvLine(COLUMNS.map((c) => c.header)));
      for (const i of iterateQualityIssues(db)) {
        check();
        if (
          !stream.write(
            csvLine([
              i.file,
              i.sheet,
              ROLL_KIND_LABEL[i.kind],
              i.row,
              i.column,
              i.columnName,
              i.name,
              shown(i, mask),
              i.message,
            ]),
          )
        ) {
          await drain();
        }
        n++;
      }
      await Promise.race([
        new Promise<void>((resolve, reject) => stream.end((e?: Error | null) => (e ? reject(e) : resolve()))),
        failed,
      ]);
    } catch (e) {
      stream.destroy();
      throw e;
    }
    return n;
  }
  const file = guardedStream(out);
  const wb = new (excelJS().stream.xlsx.WorkbookWriter)({
    stream: file.stream,
    useStyles: true,
    useSharedStrings: false,
  });
  const { sheet } = addLayoutSheet(wb, '数据问题', {
    title: '数据质量问题清单',
    subtitle: `导出时间：${new Date().toLocaleString('zh-CN')}`,
    columns: COLUMNS,
  });
  try {
    for (const i of iterateQualityIssues(db)) {
      check();
      addPlainRow(
        sheet,
        [i.file, i.sheet, ROLL_KIND_LABEL[i.kind], i.row, i.column, i.columnName, i.name, shown(i, mask), i.message],
        COLUMNS,
      );
      n++;
    }
    sheet.commit();
    // exceljs would wait forever on a file stream that failed: its error ends the wait.
    await Promise.race([wb.commit(), file.failed]);
  } catch (e) {
    file.stream.destroy();
    throw e;
  }
  return n;
}
