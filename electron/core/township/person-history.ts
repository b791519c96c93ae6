import type Database from 'better-sqlite3';
import { categoryLabel, effectOf } from '../../../shared/domain/verification';
import type { PersonRoundTrip } from '../../../shared/ipc/contract';
import { readSettings } from '../settings';

const EFFECT_WORDS = {
  removed: '已核减，不计入应参保',
  elsewhere: '县外参保，户籍口径计为已参保',
  insured: '本县职工医保，计为已参保',
  stays: '仍计入应参保、未参保',
} as const;

/**
 * A person's round-trip history for 一人一档: every batch that listed them and every answer returned for them,
 * newest first, with the file, sheet and row it came from, who brought it in, and which answer counts now.
 * Answers given under a 人员编号 a later match merged into this person are theirs too.
 */
export function personRoundTrip(db: Database.Database, personId: number, idNumber: string | null): PersonRoundTrip {
  const ids = [personId];
  const retiredInto = db.prepare('SELECT id FROM person WHERE successor_id = ?').pluck();
  for (let i = 0; i < ids.length && ids.length < 100; i++) ids.push(...(retiredInto.all(ids[i]) as number[]));
  const marks = ids.map(() => '?').join(',');
  const idClause = idNumber ? ' OR v.id_number = ?' : '';
  const args = idNumber ? [...ids, idNumber] : ids;
  const answers = db
    .prepare(
      `SELECT v.id, v.code, v.answer_text AS text, v.place, v.death_date AS deathDate, v.paid_date AS paidDate,
        v.paid_amount AS paidAmount, v.note, v.verifier, v.verified_on AS verifiedOn, v.effective_on AS effectiveOn,
        v.file_name AS file, v.sheet, v.source_row AS row, v.imported_at AS importedAt, v.imported_by AS importedBy,
        b.batch_no AS batchNo
      FROM verification v LEFT JOIN dispatch_batch b ON b.id = v.batch_id
      WHERE v.person_id IN (${marks})${idClause} ORDER BY v.effective_on DESC, v.id DESC`,
    )
    .all(...args) as {
    code: string;
    text: string;
    place: string | null;
    deathDate: string | null;
    paidDate: string | null;
    paidAmount: number | null;
    note: string | null;
    verifier: string | null;
    verifiedOn: string | null;
    effectiveOn: string;
    file: string;
    sheet: string;
    row: number;
    importedAt: string;
    importedBy: string;
    batchNo: string | null;
  }[];
  const settings = readSettings(db);
  const dispatches = db
    .prepare(
      `SELECT DISTINCT b.batch_no AS batchNo, b.dispatched_at AS dispatchedAt, b.dispatched_by AS dispatchedBy
      FROM dispatch_item i JOIN dispatch_batch b ON b.id = i.batch_id
      WHERE b.state = 'done' AND (i.person_id IN (${marks})${idNumber ? ' OR i.id_number = ?' : ''})
      ORDER BY b.dispatched_at DESC`,
    )
    .all(...args) as PersonRoundTrip['dispatches'];
  return {
    current: answers[0]
      ? { category: categoryLabel(answers[0].code), effect: EFFECT_WORDS[effectOf(answers[0].code, settings)] }
      : null,
    dispatches,
    answers: answers.map((a, i) => ({
      category: categoryLabel(a.code),
      written: a.text,
      evidence: [
        a.place ? `参保地：${a.place}` : '',
        a.deathDate ? `死亡日期：${a.deathDate}` : '',
        a.paidDate ? `缴费日期：${a.paidDate}` : '',
        a.paidAmount !== null ? `缴费金额：${a.paidAmount}元` : '',
        a.note ? `备注：${a.note}` : '',
      ]
        .filter(Boolean)
        .join('；'),
      verifier: a.verifier,
      verifiedOn: a.verifiedOn,
      batchNo: a.batchNo,
      source: `${a.file}${a.sheet ? ' / ' + a.sheet : ''} 第${a.row}行`,
      importedAt: a.importedAt,
      importedBy: a.importedBy,
      current: i === 0,
    })),
  };
}
