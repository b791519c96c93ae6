import type Database from 'better-sqlite3';
import { parseDate } from '../../../shared/date/parse-date';
import { parseIdNumber } from '../../../shared/id/id-number';
import { columnLetter } from '../../../shared/headers/fields';
import { todayLocal } from '../../../shared/text/clerk-format';
import {
  categoryLabel,
  EVIDENCE_LABEL,
  missingEvidence,
  parseCategory,
  type EvidenceField,
} from '../../../shared/domain/verification';
import { cellText, type RawCell } from '../import/source';
import { roundTripFacts, type RoundTripFacts } from './round-trip-facts';
import {
  fitsMasked,
  nameKey,
  rowKeys,
  rowLookups,
  rowVillage,
  type Person,
  type ProblemAt,
  type RowKey,
} from './returns-identify';
import type { ReturnColumns, ReturnField, ReturnFile, ReturnRow } from './returns-read';

export interface ReturnProblem {
  file: string;
  sheet: string;
  row: number;
  /** Column letter as the township's file has it ('' when the column the row needs is missing from the sheet). */
  column: string;
  message: string;
}

export interface ReturnsOutcome {
  rows: number;
  applied: number;
  /** The same answer was already recorded (the same return imported again, or an unchanged row of a later one). */
  unchanged: number;
  /** Rows returned with no 核实情况 yet: the person is still to be visited. */
  unanswered: number;
  problems: ReturnProblem[];
  /** Applied answers by 核实情况 code. */
  byCategory: Record<string, number>;
}

const FIELD_WORD: Record<ReturnField, string> = {
  personNo: '人员编号',
  batchNo: '下发批次',
  name: '姓名',
  idNumber: '身份证号',
  village: '村（社区）',
  category: '核实情况',
  place: EVIDENCE_LABEL.place,
  deathDate: EVIDENCE_LABEL.deathDate,
  paidDate: EVIDENCE_LABEL.paidDate,
  paidAmount: EVIDENCE_LABEL.paidAmount,
  verifier: '核实人',
  verifiedOn: '核实日期',
  note: EVIDENCE_LABEL.note,
};

/** `parse` once per distinct value, up to `limit` of them: a county's returns use a few dozen words and dates. */
function remembered<K, V>(parse: (k: K) => V, limit = 20_000): (k: K) => V {
  const seen = new Map<K, V>();
  return (k) => {
    if (seen.has(k)) return seen.get(k)!;
    const v = parse(k);
    if (seen.size < limit) seen.set(k, v);
    return v;
  };
}

/** Evidence a row without 核实情况 may still carry (then it is a problem, not an unanswered row). */
const EVIDENCE_COLUMNS = ['place', 'deathDate', 'paidDate', 'paidAmount'] as const;
const DATE_COLUMNS = ['deathDate', 'paidDate', 'verifiedOn'] as const;

function amountOf(cell: RawCell): number | null {
  if (typeof cell === 'number') return Number.isFinite(cell) && cell >= 0 ? cell : null;
  const s = cellText(cell).replace(/[,，\s元￥¥]/g, '');
  return /^\d+(\.\d+)?$/.test(s) ? Number(s) : null;
}

/**
 * Applies returned rows in one transaction (the caller's): each row is matched back to its person by 人员编号, then a
 * full ID number, then name + village; checked (R2.1: the name and ID agree with the person, the category is one of
 * the list, its evidence is there); and recorded as an answer unless the person already has exactly that answer.
 * Every other row becomes a problem naming file, sheet, row and column. Nothing is dropped silently.
 */
export function applyReturns(
  db: Database.Database,
  files: { file: ReturnFile; sha256: string }[],
  actor: string,
  now = new Date(),
): { outcome: ReturnsOutcome; facts: RoundTripFacts } {
  const out: ReturnsOutcome = { rows: 0, applied: 0, unchanged: 0, unanswered: 0, problems: [], byCategory: {} };
  // Everything a row is checked against is read in a few statements before the first row: at a million persons,
  // one lookup per row (person, earlier answers, batch) cost seconds for a county's returns.
  const keys = rowKeys(files);
  const personNos = new Set<number>();
  for (const fileKeys of keys) for (const k of fileKeys) if (k.personNumber !== null) personNos.add(k.personNumber);
  const facts = roundTripFacts(db, personNos);
  const resolve = facts.resolve;
  const lookups = rowLookups(db, files, keys, facts);
  const onePerson = db.prepare(`SELECT person_id AS personId, name, id_number AS idNumber, village_key AS villageKey
    FROM person_status WHERE person_id = ?`);
  const personById = (id: number): Person | undefined =>
    facts.persons.get(id) ?? lookups.persons.get(id) ?? (onePerson.get(id) as Person | undefined);
  const batches = new Map(
    (
      db.prepare(`SELECT batch_no AS no, id FROM dispatch_batch WHERE state = 'done'`).all() as {
        no: string;
        id: number;
      }[]
    ).map((b) => [b.no, b.id]),
  );
  const known = facts.answerKeys;
  const insert = db.prepare(
    `INSERT INTO verification (person_id, id_number, batch_id, code, answer_text, place, death_date, paid_date, paid_amount,
      note, verifier, verified_on, effective_on, content_key, file_name, file_sha256, sheet, source_row, imported_at, imported_by)
    VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const today = todayLocal(now);
  const importedAt = now.toISOString();
  // Freehand answers take up to a dozen expressions each (parseCategory): 0.7 s of a county's import in a profile.
  const categoryOf = remembered(parseCategory);
  const dateOfValue = remembered((raw: Exclude<RawCell, Date>) => parseDate(raw));
  const dateOfTime = remembered((time: number) => parseDate(new Date(time)));
  const dateOf = (raw: RawCell) => (raw instanceof Date ? dateOfTime(raw.getTime()) : dateOfValue(raw));

  // The row being applied and its sheet's columns: the helpers below are made once, not once per row (a closure
  // per row and helper was a tenth of a second of a county's rows under tsx, which names every function it makes).
  let r: ReturnRow;
  let cols: ReturnColumns = {};
  const problem: ProblemAt = (field, message) => {
    const col = field !== null ? cols[field] : undefined;
    out.problems.push({
      file: r.file,
      sheet: r.sheet,
      row: r.row,
      column: col !== undefined ? columnLetter(col) : '',
      message,
    });
  };
  const text = (f: ReturnField) => cellText(r.cells[f]);
  const hasText = (f: ReturnField) => text(f) !== '';

  for (const [f, { file, sha256 }] of files.entries()) {
    const columnsOf = new Map(file.sheets.map((s) => [s.sheet, s.columns]));
    for (const [i, row] of file.rows.entries()) {
      r = row;
      out.rows++;
      cols = columnsOf.get(r.sheet) ?? {};
      const person = identify(keys[f]![i]!);
      if (!person) continue;
      const categoryText = text('category');
      if (!categoryText) {
        const evidence = EVIDENCE_COLUMNS.find(hasText);
        if (evidence)
          problem('category', `填写了${FIELD_WORD[evidence]}，但没有选择核实情况，请在“核实情况”中选择一项`);
        else out.unanswered++;
        continue;
      }
      const code = categoryOf(categoryText);
      if (!code) {
        problem(
          'category',
          `核实情况“${categoryText}”无法识别，请从下拉列表中选择（如 死亡、服兵役、县外居民医保、外出务工未缴费）`,
        );
        continue;
      }
      const dates: Partial<Record<'deathDate' | 'paidDate' | 'verifiedOn', string>> = {};
      let bad = false;
      for (const f of DATE_COLUMNS) {
        const raw = r.cells[f];
        if (raw === undefined) continue;
        const d = dateOf(raw);
        if (!d) {
          problem(f, `${FIELD_WORD[f]}“${cellText(raw)}”不是日期，请写成 2026-11-27 或 2026年11月27日`);
          bad = true;
        } else if (d.slice(0, 10) > today && f !== 'paidDate') {
          problem(f, `${FIELD_WORD[f]}“${cellText(raw)}”晚于今天，请核对`);
          bad = true;
        } else dates[f] = d;
      }
      let amount: number | null = null;
      if (r.cells.paidAmount !== undefined) {
        amount = amountOf(r.cells.paidAmount);
        if (amount === null) {
          problem('paidAmount', `缴费金额“${text('paidAmount')}”不是金额，请只填数字，如 400`);
          bad = true;
        }
      }
      if (bad) continue;
      const evidence: Partial<Record<EvidenceField, string | number>> = {
        place: text('place') || undefined,
        deathDate: dates.deathDate,
        paidDate: dates.paidDate,
        paidAmount: amount ?? undefined,
        note: text('note') || undefined,
      };
      const missing = missingEvidence(code, evidence);
      if (missing.length) {
        const field = missing.find((f) => cols[f] !== undefined) ?? missing[0]!;
        const words = missing.map((f) => EVIDENCE_LABEL[f]).join('或');
        problem(
          field,
          cols[field] !== undefined
            ? `核实情况为“${categoryLabel(code)}”，请填写${words}`
            : `核实情况为“${categoryLabel(code)}”，需要填写${words}，但本表没有这一列，请在下发的台账中填写后再发回`,
        );
        continue;
      }
      const verifier = text('verifier') || null;
      const key = [
        code,
        evidence.place ?? '',
        dates.deathDate ?? '',
        dates.paidDate ?? '',
        amount ?? '',
        evidence.note ?? '',
        verifier ?? '',
        dates.verifiedOn ?? '',
      ].join('\u001f');
      const seen = known.get(person.personId);
      if (seen?.has(key)) {
        out.unchanged++;
        continue;
      }
      if (seen) seen.add(key);
      else known.set(person.personId, new Set([key]));
      const batchId = batches.get(text('batchNo')) ?? facts.latestBatch.get(person.personId) ?? null;
      const effectiveOn = dates.verifiedOn ?? today;
      const verificationId = Number(
        insert.run(
          person.personId,
          person.idNumber,
          batchId,
          code,
          categoryText,
          evidence.place ?? null,
          dates.deathDate ?? null,
          dates.paidDate ?? null,
          amount,
          evidence.note ?? null,
          verifier,
          dates.verifiedOn ?? null,
          effectiveOn,
          key,
          file.file,
          sha256,
          r.sheet,
          r.row,
          importedAt,
          actor,
        ).lastInsertRowid,
      );
      // The current answer is the latest by effective day, then the later row (roundTripFacts' order).
      const current = facts.answers.get(person.personId);
      if (!current || current.effectiveOn <= effectiveOn)
        facts.answers.set(person.personId, {
          verificationId,
          personId: person.personId,
          code,
          batchId,
          effectiveOn,
        });
      out.applied++;
      out.byCategory[code] = (out.byCategory[code] ?? 0) + 1;
    }
  }
  return { outcome: out, facts };

  /** The person a row is about, or null with the problem said. */
  function identify({ personNo, personNumber: n }: RowKey): Person | null {
    const name = text('name');
    const idText = text('idNumber').replace(/\s/g, '');
    let person: Person | undefined;
    let by: ReturnField;
    if (personNo) {
      const p = n !== null ? resolve(n, null) : null;
      person = p !== null ? personById(p) : undefined;
      if (!person) {
        problem('personNo', `人员编号“${personNo}”在本工作区中不存在，请核对是否抄错或从其他台账复制而来`);
        return null;
      }
      by = 'personNo';
    } else {
      const { byIdNumber: ids, byNameVillage: names } = lookups;
      const parsed = idText && !idText.includes('*') ? parseIdNumber(idText) : null;
      if (parsed?.idNumber && (parsed.status === 'valid' || parsed.status === 'converted15')) {
        const found = ids.get(parsed.idNumber) ?? [];
        if (found.length !== 1) {
          problem(
            'idNumber',
            found.length
              ? `身份证号对应 ${found.length} 个人员，请填写人员编号`
              : `身份证号为“${idText}”的人不在工作区中，请核对号码，或先把此人补录进户籍底册`,
          );
          return null;
        }
        person = personById(found[0]!)!;
        by = 'idNumber';
      } else {
        const village = rowVillage(r);
        if (!name) {
          problem('name', '这一行没有人员编号、完整身份证号和姓名，无法确定是谁，请补填');
          return null;
        }
        const found = (names.get(`${nameKey(name)}|${village}`) ?? []).filter(
          (p) => !idText.includes('*') || fitsMasked(idText, personById(p)!.idNumber ?? ''),
        );
        if (found.length !== 1) {
          problem(
            found.length ? 'name' : 'village',
            found.length
              ? `${village || '该村'}有 ${found.length} 个叫“${name}”的人，请填写人员编号或完整身份证号`
              : `在底册的“${village || '（未填村）'}”中找不到“${name}”，请填写人员编号或完整身份证号`,
          );
          return null;
        }
        person = personById(found[0]!)!;
        by = 'name';
      }
    }
    // R2.1: the row must still be about that person (a row pasted over another's is caught here).
    if (by !== 'name' && name && name !== person.name && nameKey(name) !== nameKey(person.name)) {
      problem('name', `${FIELD_WORD[by]}对应的是“${person.name}”，本行姓名为“${name}”，请核对是否填错了行`);
      return null;
    }
    if (by === 'personNo' && idText && person.idNumber) {
      const parsed = idText.includes('*') ? null : parseIdNumber(idText);
      const agrees = idText.includes('*') ? fitsMasked(idText, person.idNumber) : parsed?.idNumber === person.idNumber;
      if (!agrees) {
        problem('idNumber', `人员编号对应的身份证号与本行的“${idText}”不一致，请核对是否填错了行`);
        return null;
      }
    }
    return person;
  }
}
