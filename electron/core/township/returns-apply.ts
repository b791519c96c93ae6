import type Database from 'better-sqlite3';
import { parseDate } from '../../../shared/date/parse-date';
import { parseIdNumber } from '../../../shared/id/id-number';
import { columnLetter } from '../../../shared/headers/fields';
import { villageKey } from '../../../shared/place/place-key';
import { normalizeName } from '../../../shared/text/name';
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
import type { ReturnField, ReturnFile, ReturnRow } from './returns-read';

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

interface Person {
  personId: number;
  name: string;
  idNumber: string | null;
  villageKey: string | null;
}

const nameKey = (s: string) => normalizeName(s).replace(/·/g, '');

/** A masked number as dispatched (610923********1234) fits a full one when every shown character agrees. */
function fitsMasked(masked: string, full: string): boolean {
  if (masked.length !== full.length) return false;
  for (let i = 0; i < masked.length; i++) if (masked[i] !== '*' && masked[i] !== full[i]) return false;
  return true;
}

/**
 * The village a row is about: its 村 column, else the sheet's name (a sheet per village, as dispatched) without a
 * township's note such as "（已核实）" added when renaming it.
 */
function rowVillage(r: ReturnRow): string {
  return villageKey(cellText(r.cells.village) || r.sheet.replace(/[（(【[].*?[)）】\]]/g, '').trim());
}

/** 人员编号 as the ledger writes it (P00901662) → the person id, or null when it is not one. */
function personNumber(text: string): number | null {
  const m = text.match(/^P?0*(\d{1,9})$/i);
  return m ? Number(m[1]) : null;
}

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
  const personNos = new Set<number>();
  for (const { file } of files)
    for (const r of file.rows) {
      const n = personNumber(cellText(r.cells.personNo));
      if (n !== null) personNos.add(n);
    }
  const facts = roundTripFacts(db, personNos);
  const resolve = facts.resolve;
  const persons = new Map<number, Person>(facts.persons);
  const personSelect = `SELECT person_id AS personId, name, id_number AS idNumber, village_key AS villageKey
    FROM person_status`;
  const onePerson = db.prepare(`${personSelect} WHERE person_id = ?`);
  const personById = {
    get: (id: number): Person | undefined => persons.get(id) ?? (onePerson.get(id) as Person | undefined),
  };
  // Rows without a 人员编号 are found by ID number or by name + village: the persons those name are read in a few
  // statements that SQLite filters (not a million names normalised here), before any row is applied.
  const byIdNumber = new Map<string, number[]>();
  const byNameVillage = new Map<string, number[]>();
  const wantIds = new Set<string>();
  // Per village, the names its rows without 人员编号 give (as written, normalised and without the middle dot).
  const wantNames = new Map<string, Set<string>>();
  // (township, village) pairs the name rows are in: a returned file is one township's, known from the rows that
  // carry a 人员编号; a file without any is looked for in every township.
  const wantPlaces = new Set<string>();
  const allTownships = new Set<string>();
  for (const p of facts.persons.values()) allTownships.add(p.township);
  for (const t of db.prepare('SELECT DISTINCT township FROM village_base').pluck().all() as string[])
    allTownships.add(t);
  for (const { file } of files) {
    const townships = new Set<string>();
    for (const r of file.rows) {
      const n = personNumber(cellText(r.cells.personNo));
      const p = n !== null ? resolve(n, null) : null;
      const t = p !== null ? facts.persons.get(p)?.township : undefined;
      if (t !== undefined) townships.add(t);
    }
    for (const r of file.rows) {
      if (cellText(r.cells.personNo) || !cellText(r.cells.name)) continue;
      for (const t of townships.size ? townships : allTownships) wantPlaces.add(`${t}\u001f${rowVillage(r)}`);
    }
  }
  for (const { file } of files)
    for (const r of file.rows) {
      if (cellText(r.cells.personNo)) continue;
      const idText = cellText(r.cells.idNumber).replace(/\s/g, '');
      const parsed = idText && !idText.includes('*') ? parseIdNumber(idText) : null;
      if (parsed?.idNumber) wantIds.add(parsed.idNumber);
      const name = cellText(r.cells.name);
      if (!name) continue;
      const village = rowVillage(r);
      const names = wantNames.get(village) ?? wantNames.set(village, new Set()).get(village)!;
      for (const n of [name, normalizeName(name), nameKey(name)]) names.add(n);
    }
  type Found = { personId: number; name: string; idNumber: string | null; v: string | null; b: number };
  const columns = 'person_id AS personId, name, id_number AS idNumber, village_key AS v, in_base AS b';
  const found: Found[] = [];
  if (wantIds.size)
    found.push(
      ...(db
        .prepare(`SELECT ${columns} FROM person_status WHERE id_number IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify([...wantIds])) as Found[]),
    );
  if (wantNames.size) {
    // Through the place index, village by village: the whole table for one name cost 0.6 s at a million persons,
    // every township's village of that name 0.4 s.
    const where = `AND name IN (SELECT value FROM json_each(?))`;
    const inVillage = db.prepare(
      `SELECT ${columns} FROM person_status WHERE township_key = ? AND village_key = ? ${where}`,
    );
    // A place not written on the rolls is '' here and NULL in person_status: no index, but rare.
    const inUnnamed = db.prepare(
      `SELECT ${columns} FROM person_status WHERE coalesce(township_key, '') = ? AND coalesce(village_key, '') = ? ${where}`,
    );
    // Each village is searched for the names its own rows give only: a county's names in every query parsed and
    // indexed them again for each of hundreds of villages.
    for (const place of wantPlaces) {
      const [t, v] = place.split('\u001f') as [string, string];
      const names = JSON.stringify([...(wantNames.get(v) ?? [])]);
      found.push(...((t && v ? inVillage : inUnnamed).all(t, v, names) as Found[]));
    }
  }
  for (const p of found) {
    persons.set(p.personId, { personId: p.personId, name: p.name, idNumber: p.idNumber, villageKey: p.v });
    if (p.idNumber && wantIds.has(p.idNumber)) {
      const list = byIdNumber.get(p.idNumber) ?? byIdNumber.set(p.idNumber, []).get(p.idNumber)!;
      if (!list.includes(p.personId)) list.push(p.personId);
    }
    if (p.b) {
      const k = `${nameKey(p.name)}|${p.v ?? ''}`;
      const list = byNameVillage.get(k) ?? byNameVillage.set(k, []).get(k)!;
      if (!list.includes(p.personId)) list.push(p.personId);
    }
  }
  const indexes = () => ({ byIdNumber, byNameVillage });
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

  for (const { file, sha256 } of files) {
    const columnsOf = new Map(file.sheets.map((s) => [s.sheet, s.columns]));
    for (const r of file.rows) {
      out.rows++;
      const cols = columnsOf.get(r.sheet) ?? {};
      const problem = (field: ReturnField | null, message: string) => {
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
      const person = identify(r, text, problem);
      if (!person) continue;
      const categoryText = text('category');
      if (!categoryText) {
        const evidence = (['place', 'deathDate', 'paidDate', 'paidAmount'] as const).find((f) => text(f));
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
      for (const f of ['deathDate', 'paidDate', 'verifiedOn'] as const) {
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
  function identify(
    r: ReturnRow,
    text: (f: ReturnField) => string,
    problem: (field: ReturnField | null, message: string) => void,
  ): Person | null {
    const name = text('name');
    const idText = text('idNumber').replace(/\s/g, '');
    const personNo = text('personNo');
    let person: Person | undefined;
    let by: ReturnField;
    if (personNo) {
      const n = personNumber(personNo);
      const p = n !== null ? resolve(n, null) : null;
      person = p !== null ? personById.get(p) : undefined;
      if (!person) {
        problem('personNo', `人员编号“${personNo}”在本工作区中不存在，请核对是否抄错或从其他台账复制而来`);
        return null;
      }
      by = 'personNo';
    } else {
      const { byIdNumber: ids, byNameVillage: names } = indexes();
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
        person = personById.get(found[0]!)!;
        by = 'idNumber';
      } else {
        const village = rowVillage(r);
        if (!name) {
          problem('name', '这一行没有人员编号、完整身份证号和姓名，无法确定是谁，请补填');
          return null;
        }
        const found = (names.get(`${nameKey(name)}|${village}`) ?? []).filter(
          (p) => !idText.includes('*') || fitsMasked(idText, personById.get(p)!.idNumber ?? ''),
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
        person = personById.get(found[0]!)!;
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
