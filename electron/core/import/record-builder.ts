import { datesAgree, parseDate } from '../../../shared/date/parse-date';
import { GENDER_LABEL, ID_STATUS_LABEL } from '../../../shared/domain/types';
import { columnLetter, FIELD_LABEL, type ColumnMapping, type Field } from '../../../shared/headers/fields';
import { parseInsuredStatus, specialGroupsOf } from '../../../shared/headers/coded-values';
import { parseIdNumber } from '../../../shared/id/id-number';
import { looksLikePersonName, nameKeys } from '../../../shared/text/name';
import { parseGender } from '../../../shared/text/gender';
import { townshipKey, villageKey } from '../../../shared/place/place-key';
import { cellText, type RawCell, type SourceRow } from './source';

/** One record as stored: the row's normalized fields. */
export interface RecordValues {
  sourceRow: number;
  raw: string[];
  name: string;
  nameKey: string;
  namePinyin: string;
  nameInitials: string;
  idRaw: string;
  idNumber: string | null;
  idStatus: string;
  idCertKind: string | null;
  birthDate: string | null;
  gender: string | null;
  township: string | null;
  townshipKey: string | null;
  village: string | null;
  villageKey: string | null;
  groupName: string | null;
  householdNo: string | null;
  householdHead: string | null;
  relation: string | null;
  category: string | null;
  specialGroups: string | null;
  phone: string | null;
  unitName: string | null;
  insuredStatus: string | null;
  personNo: string | null;
  /** Day the premium was paid ('YYYY-MM-DD'), when the roll has the column and the cell is a full date. */
  paidDate: string | null;
}

export interface QualityIssue {
  sourceRow: number;
  column: number | null;
  field: Field | null;
  value: string;
  code: string;
  message: string;
}

export interface SheetContext {
  mapping: ColumnMapping;
  headerCells: RawCell[];
  /** From the sheet name or title when the roll has no township column. */
  townshipFallback: string | null;
  villageFallback: string | null;
  asOf: string;
}

function field(row: SourceRow, m: ColumnMapping, f: Field): RawCell {
  const i = m[f];
  return i === undefined ? null : (row.cells[i] ?? null);
}

function text(row: SourceRow, m: ColumnMapping, f: Field): string | null {
  const t = cellText(field(row, m, f));
  return t === '' ? null : t;
}

export function buildRecord(row: SourceRow, ctx: SheetContext, issues: QualityIssue[]): RecordValues {
  const m = ctx.mapping;
  const issue = (f: Field, code: string, message: string, value: unknown = field(row, m, f)) => {
    const col = m[f] ?? null;
    issues.push({ sourceRow: row.rowNumber, column: col, field: f, value: cellText(value as RawCell), code, message });
  };

  // A value filled down from a merged cell above (merged-cells.ts) is what the clerk sees, but not what the cell
  // holds: say so for each field that took one, so the data-quality report shows where it came from.
  if (row.filledFrom)
    for (const [f, col] of Object.entries(m) as [Field, number][]) {
      const top = row.filledFrom.get(col);
      if (top !== undefined) issue(f, 'mergedFill', `${FIELD_LABEL[f]}取自第${top}行的合并单元格`);
    }

  const names = nameKeys(field(row, m, 'name'));
  if (!names.key) issue('name', 'nameMissing', '姓名为空');
  else if (!looksLikePersonName(names.norm)) issue('name', 'nameSuspicious', '姓名含数字或其他不像姓名的字符');

  const idCol = m.idNumber;
  const idCell = field(row, m, 'idNumber');
  const id = parseIdNumber(idCell, {
    asOf: ctx.asOf,
    fromNumericCell: idCol !== undefined && row.numeric?.has(idCol) === true,
  });
  if (id.status !== 'valid')
    issue('idNumber', `id_${id.status}`, `身份证号${ID_STATUS_LABEL[id.status]}${id.problem ? '：' + id.problem : ''}`);

  const birthCell = field(row, m, 'birthDate');
  const birthFromColumn = parseDate(birthCell);
  if (cellText(birthCell) !== '' && !birthFromColumn) issue('birthDate', 'birthUnreadable', '出生日期无法识别');
  if (birthFromColumn && id.birthDate && !datesAgree(birthFromColumn, id.birthDate)) {
    issue('birthDate', 'birthMismatch', `出生日期与身份证号不一致（身份证号为${id.birthDate}）`);
  }
  const genderFromColumn = parseGender(field(row, m, 'gender'));
  if (genderFromColumn && id.gender && genderFromColumn !== id.gender) {
    issue('gender', 'genderMismatch', `性别与身份证号不一致（身份证号为${GENDER_LABEL[id.gender]}）`);
  }

  // A payment date counts only to the day (it decides whether the payment came after the window): a month alone or
  // anything unreadable is said, and the record is kept with the day unknown.
  const paidCell = field(row, m, 'paidDate');
  const paid = parseDate(paidCell);
  const paidDate = paid && paid.length === 10 ? paid : null;
  if (cellText(paidCell) !== '' && !paidDate)
    issue(
      'paidDate',
      'paidDateUnreadable',
      paid ? '缴费日期只有年月，没有日：按缴费日期不详处理' : '缴费日期无法识别，请写成 2026-10-15 或 2026年10月15日',
    );

  const township = text(row, m, 'township') ?? ctx.townshipFallback;
  const village = text(row, m, 'village') ?? ctx.villageFallback;
  const category = text(row, m, 'category');
  const groups = specialGroupsOf(category);
  const insured = field(row, m, 'insuredStatus');
  const insuredStatus = parseInsuredStatus(insured);
  if (cellText(insured) !== '' && !insuredStatus) issue('insuredStatus', 'statusUnknown', '参保状态无法识别');

  return {
    sourceRow: row.rowNumber,
    raw: row.cells.map(cellText),
    name: names.display,
    nameKey: names.key,
    namePinyin: names.pinyin,
    nameInitials: names.initials,
    idRaw: id.cleaned,
    idNumber: id.idNumber,
    idStatus: id.status,
    idCertKind: id.certKind,
    // A 出生年月 column gives only YYYY-MM: kept as such, and compared at month precision.
    birthDate: id.birthDate ?? birthFromColumn,
    gender: id.gender ?? genderFromColumn,
    township,
    townshipKey: township ? townshipKey(township) : null,
    village,
    villageKey: village ? villageKey(village, township) : null,
    groupName: text(row, m, 'group'),
    householdNo: text(row, m, 'householdNo'),
    householdHead: text(row, m, 'householdHead'),
    relation: text(row, m, 'relation'),
    category,
    specialGroups: groups.length ? groups.join(',') : null,
    phone: text(row, m, 'phone'),
    unitName: text(row, m, 'unitName'),
    insuredStatus,
    personNo: text(row, m, 'personNo'),
    paidDate,
  };
}

export function issueColumnLabel(
  ctx: SheetContext,
  col: number | null,
  f: Field | null,
): { letter: string | null; name: string | null } {
  if (col === null) return { letter: null, name: f ? FIELD_LABEL[f] : null };
  return { letter: columnLetter(col), name: cellText(ctx.headerCells[col]) || (f ? FIELD_LABEL[f] : null) };
}
