import type Database from 'better-sqlite3';
import {
  diffMonth,
  highestIdentity,
  type Department,
  type Identity,
  type ListMember,
} from '../../../shared/domain/subsidy';
import { appendAudit } from '../audit/audit-log';
import { CanbaoError, throwIfAborted, type CancelFlag } from '../errors';
import { sha256File } from '../file-hash';
import { refreshListedGroups } from './listed-groups';
import { readSubsidyList } from './subsidy-read';

export interface SubsidyImportResult {
  file: string;
  department: Department;
  month: string;
  rows: number;
  /** 新增 / 变更 / 取消 against the department's previous month (all 新增 for its first list). */
  added: number;
  changed: number;
  cancelled: number;
  /** Whether it replaced a list already imported for the same department and month. */
  replaced: boolean;
}

const membersOf = (db: Database.Database, listId: number): ListMember[] =>
  (
    db.prepare('SELECT id_number AS idNumber, identities FROM subsidy_member WHERE list_id = ?').all(listId) as {
      idNumber: string;
      identities: string;
    }[]
  ).map((m) => ({ idNumber: m.idNumber, identities: m.identities.split(',') as Identity[] }));

/**
 * Imports a department's full list for a month (R4.5) in one transaction: its members, and the diff against the
 * department's previous month — 新增, 变更 (highest identity changed, or back after a 取消), 取消 (absent now).
 * Months come in order: the latest month may be imported again (a corrected list replaces it), an earlier one not.
 */
export async function importSubsidyList(
  db: Database.Database,
  path: string,
  o: { department: Department; month: string; actor: string; signal?: CancelFlag },
): Promise<SubsidyImportResult> {
  const list = await readSubsidyList(path, o.signal);
  const sha256 = await sha256File(path);
  return db.transaction((): SubsidyImportResult => {
    // Read again after the awaits: a PC woken from sleep writes nothing beside a colleague who took the workspace over.
    throwIfAborted(o.signal);
    const later = db
      .prepare('SELECT month FROM subsidy_list WHERE department = ? AND month > ? ORDER BY month DESC LIMIT 1')
      .pluck()
      .get(o.department, o.month) as string | undefined;
    if (later)
      throw new CanbaoError(
        'badInput',
        `${o.department}的资助名单已导入到 ${later}，不能再导入更早的 ${o.month}：请按月份顺序导入（最新一个月可以重新导入以更正）`,
        { file: list.file },
      );
    const same = db
      .prepare('SELECT id FROM subsidy_list WHERE department = ? AND month = ?')
      .pluck()
      .get(o.department, o.month) as number | undefined;
    if (same !== undefined) db.prepare('DELETE FROM subsidy_list WHERE id = ?').run(same);
    const prev = db
      .prepare('SELECT id FROM subsidy_list WHERE department = ? AND month < ? ORDER BY month DESC LIMIT 1')
      .pluck()
      .get(o.department, o.month) as number | undefined;
    // Everyone this department cancelled in an earlier month: back on the list, they are a change, not new.
    const cancelledBefore = new Set(
      db
        .prepare(
          `SELECT c.id_number FROM subsidy_change c JOIN subsidy_list l ON l.id = c.list_id
          WHERE l.department = ? AND l.month < ? AND c.kind = 'cancelled'`,
        )
        .pluck()
        .all(o.department, o.month) as string[],
    );
    const id = Number(
      db
        .prepare(
          `INSERT INTO subsidy_list (department, month, file_name, file_sha256, rows, imported_at, imported_by)
          VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(o.department, o.month, list.file, sha256, list.rows.length, new Date().toISOString(), o.actor)
        .lastInsertRowid,
    );
    const insert = db.prepare(
      `INSERT OR IGNORE INTO subsidy_member (list_id, id_number, name, township, village, identities, highest, included_on, sheet, source_row)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // A person listed twice (two sheets, two identities on two rows) is one member with both identities.
    const merged = new Map<string, (typeof list.rows)[number]>();
    for (const r of list.rows) {
      const had = merged.get(r.idNumber);
      if (had) had.identities = [...new Set([...had.identities, ...r.identities])];
      else merged.set(r.idNumber, { ...r, identities: [...r.identities] });
    }
    for (const r of merged.values())
      insert.run(
        id,
        r.idNumber,
        r.name,
        r.township,
        r.village,
        r.identities.join(','),
        highestIdentity(r.identities),
        r.includedOn,
        r.sheet,
        r.row,
      );
    const diff = diffMonth(prev !== undefined ? membersOf(db, prev) : [], membersOf(db, id), cancelledBefore);
    const change = db.prepare(
      'INSERT INTO subsidy_change (list_id, id_number, kind, before, after) VALUES (?, ?, ?, ?, ?)',
    );
    for (const d of diff) change.run(id, d.idNumber, d.kind, d.before, d.after);
    const count = (k: string) => diff.filter((d) => d.kind === k).length;
    const result: SubsidyImportResult = {
      file: list.file,
      department: o.department,
      month: o.month,
      rows: merged.size,
      added: count('added'),
      changed: count('changed'),
      cancelled: count('cancelled'),
      replaced: same !== undefined,
    };
    refreshListedGroups(db);
    appendAudit(db, o.actor, 'subsidyList', { ...result, sha256 });
    return result;
  })();
}
