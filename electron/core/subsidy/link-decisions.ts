import type Database from 'better-sqlite3';
import { appendAudit } from '../audit/audit-log';
import { personOfRecord } from '../audit/audit-view';
import { formatPersonId } from '../../../shared/domain/types';
import { CanbaoError } from '../errors';
import { applyListedGroups } from './listed-groups';
import { confirmedLinks } from './subsidy-links';

/**
 * One listed number is one person and one person one listed number: a number some person already carries needs no
 * link, and a person already on the lists (by their own number or another link) cannot be linked again.
 */
function refuseDoubleListing(db: Database.Database, member: string, personId: number): void {
  const carried = db.prepare('SELECT person_id FROM person_status WHERE id_number = ? LIMIT 1').pluck().get(member) as
    number | undefined;
  if (carried !== undefined)
    throw new CanbaoError('badInput', `名单上的这个身份证号已对上人员 ${formatPersonId(carried)}，无需链接`);
  const own = db.prepare('SELECT id_number FROM person_status WHERE person_id = ?').pluck().get(personId) as
    string | null | undefined;
  const listedAsSelf = own
    ? db
        .prepare(
          `SELECT 1 FROM subsidy_member m JOIN subsidy_list l ON l.id = m.list_id WHERE m.id_number = ?
          AND l.month = (SELECT max(month) FROM subsidy_list x WHERE x.department = l.department) LIMIT 1`,
        )
        .get(own)
    : undefined;
  const linkedElsewhere = db
    .prepare(
      `SELECT 1 FROM subsidy_link k JOIN record c ON c.id = k.record_id
      WHERE k.verdict = 'same' AND c.person_id = ? AND k.member_id_number <> ? LIMIT 1`,
    )
    .get(personId, member);
  if (listedAsSelf || linkedElsewhere)
    throw new CanbaoError(
      'badInput',
      `${formatPersonId(personId)} 已经以${listedAsSelf ? '本人的身份证号' : '另一个身份证号'}在资助名单上，不能再链接到这一行：请核对名单是否把同一人列了两次`,
    );
}

export type LinkVerdict = 'same' | 'different';

/**
 * A clerk's verdict on a listed number and a person (by the proposal, or by the number and the person). 'same'
 * links them: the number counts as that person in every check, list and export from now on; 'different' drops the
 * proposal and it is not made again. Logged with the person's name and 人员编号 as they are now.
 */
export function decideLink(
  db: Database.Database,
  target: { candidateId?: number; memberIdNumber?: string; personId?: number },
  verdict: LinkVerdict,
  by: string,
): { member: string; recordId: number; personId: number } {
  let member: string, recordId: number;
  if (target.candidateId !== undefined) {
    const c = db
      .prepare('SELECT member_id_number AS m, record_id AS r FROM subsidy_link_candidate WHERE id = ?')
      .get(target.candidateId) as { m: string; r: number } | undefined;
    if (!c)
      throw new CanbaoError(
        'notFound',
        `待确认的第 ${target.candidateId} 条不存在（可能已处理，或名单、比对已更新），请刷新后重试`,
      );
    member = c.m;
    recordId = c.r;
  } else {
    member = target.memberIdNumber ?? '';
    const listed = db.prepare('SELECT 1 FROM subsidy_member WHERE id_number = ? LIMIT 1').get(member);
    if (!listed) throw new CanbaoError('notFound', '资助名单上没有这个身份证号，请核对后重试');
    const r = db
      .prepare('SELECT id FROM record WHERE person_id = ? ORDER BY id LIMIT 1')
      .pluck()
      .get(target.personId ?? -1) as number | undefined;
    if (r === undefined)
      throw new CanbaoError('notFound', '工作区里没有这个人员编号，请核对后重试（比对后人员编号可能变化）');
    recordId = r;
  }
  const personId = db.prepare('SELECT person_id FROM record WHERE id = ?').pluck().get(recordId) as number;
  if (verdict === 'same') refuseDoubleListing(db, member, personId);
  // The person linked before (a link replaced, or taken back by 不是同一人) loses the listed groups too.
  const before = confirmedLinks(db).get(member);
  db.transaction(() => {
    if (verdict === 'same') {
      // One listed number is one person: a new link replaces an earlier one.
      db.prepare(`DELETE FROM subsidy_link WHERE member_id_number = ? AND verdict = 'same'`).run(member);
    } else {
      // 不是同一人 on a linked person takes the link back, whichever of their records it named.
      db.prepare(
        `DELETE FROM subsidy_link WHERE member_id_number = @member AND verdict = 'same'
        AND (record_id IN (SELECT id FROM record WHERE person_id = @personId)
          OR person_id_number = (SELECT id_number FROM person_status WHERE person_id = @personId))`,
      ).run({ member, personId });
    }
    db.prepare(
      `INSERT INTO subsidy_link (member_id_number, record_id, person_id_number, verdict, decided_by, decided_at)
      VALUES (?, ?, (SELECT id_number FROM person_status WHERE person_id = ?), ?, ?, ?)
      ON CONFLICT (member_id_number, record_id) DO UPDATE SET verdict = excluded.verdict, decided_by = excluded.decided_by,
      decided_at = excluded.decided_at, person_id_number = excluded.person_id_number`,
    ).run(member, recordId, personId, verdict, by, new Date().toISOString());
    if (verdict === 'same') db.prepare('DELETE FROM subsidy_link_candidate WHERE member_id_number = ?').run(member);
    else
      db.prepare(
        'DELETE FROM subsidy_link_candidate WHERE member_id_number = ? AND record_id IN (SELECT id FROM record WHERE person_id = ?)',
      ).run(member, personId);
    const name = db.prepare('SELECT max(name) FROM subsidy_member WHERE id_number = ?').pluck().get(member) as string;
    // The linked person takes the listed groups at once (ledger order, filters, 一人一档), not at the next match.
    applyListedGroups(db, before !== undefined && before !== personId ? [personId, before] : [personId]);
    appendAudit(db, by, 'subsidyLink', {
      member: `${name}（${member.slice(0, 6)}********${member.slice(-4)}）`,
      verdict,
      recordId,
      person: personOfRecord(db, recordId),
    });
  })();
  return { member, recordId, personId };
}
