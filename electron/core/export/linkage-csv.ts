import type Database from 'better-sqlite3';
import { formatPersonId, LINK_RULE_LABEL, ROLL_KIND_LABEL, type RollKind } from '../../../shared/domain/types';
import { maskId, type MaskProfile } from '../../../shared/export/mask';
import { csvLine } from '../../../shared/export/safe-cell';
import { throwIfAborted, type CancelFlag } from '../errors';
import { EXPORT_CANCELLED } from './export-cancel';
import { guardedStream } from './export-streams';

export const LINKAGE_HEADER = [
  '来源文件',
  '工作表',
  '行号',
  '人员编号',
  '名册类型',
  '年度',
  '姓名',
  '身份证号',
  '身份证号状态',
  '匹配依据',
  '匹配分值',
];

/** One row per imported record: where it came from and which person it was linked to, and how. UTF-8 with BOM. */
export async function writeLinkageCsv(
  db: Database.Database,
  path: string,
  mask: MaskProfile,
  onRow?: (n: number) => void,
  signal?: CancelFlag,
): Promise<number> {
  const out = guardedStream(path);
  try {
    return await writeRows(db, out, mask, onRow, signal);
  } catch (e) {
    out.stream.destroy();
    throw e;
  }
}

async function writeRows(
  db: Database.Database,
  { stream: out, drain, failed }: ReturnType<typeof guardedStream>,
  mask: MaskProfile,
  onRow?: (n: number) => void,
  signal?: CancelFlag,
): Promise<number> {
  out.write('\ufeff' + csvLine(LINKAGE_HEADER));
  const rows = db
    .prepare(
      `SELECT r.file_name AS file, r.sheet, c.source_row AS row, c.person_id AS person, r.kind, r.year, c.name,
      coalesce(c.id_number, c.id_raw) AS id, c.id_status AS status, c.link_rule AS rule, c.link_score AS score
    FROM record c JOIN roll r ON r.id = c.roll_id ORDER BY r.id, c.source_row`,
    )
    .iterate() as IterableIterator<{
    file: string;
    sheet: string;
    row: number;
    person: number | null;
    kind: RollKind;
    year: number;
    name: string;
    id: string;
    status: string;
    rule: string | null;
    score: number | null;
  }>;
  let n = 0;
  for (const r of rows) {
    const line = csvLine([
      r.file,
      r.sheet,
      r.row,
      formatPersonId(r.person),
      ROLL_KIND_LABEL[r.kind],
      r.year,
      r.name,
      maskId(r.id, mask),
      r.status,
      r.rule ? (LINK_RULE_LABEL[r.rule] ?? r.rule) : '',
      r.score ?? '',
    ]);
    if (!out.write(line)) await drain();
    if (++n % 10_000 === 0) {
      onRow?.(n);
      throwIfAborted(signal, EXPORT_CANCELLED);
    }
  }
  await Promise.race([
    new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve()))),
    failed,
  ]);
  return n;
}
