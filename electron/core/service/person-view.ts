import type Database from 'better-sqlite3';
import {
  formatPersonId,
  GENDER_LABEL,
  ID_STATUS_LABEL,
  ROLL_KIND_LABEL,
  type IdStatus,
  type RollKind,
} from '../../../shared/domain/types';
import { maskId } from '../../../shared/export/mask';
import { SPECIAL_GROUPS } from '../../../shared/headers/coded-values';
import type { PersonView } from '../../../shared/ipc/contract';
import { CanbaoError } from '../errors';
import { excelHeldDigits, MIN_HELD_DIGITS } from '../match/comparisons';
import { DUPLICATE_KIND_LABEL, type DuplicateKind } from '../match/outcomes';
import { personRoundTrip } from '../township/person-history';

interface Rec {
  id: number;
  kind: RollKind;
  year: number;
  file: string;
  sheet: string;
  row: number;
  name: string;
  nameKey: string;
  pinyin: string;
  idNumber: string | null;
  idRaw: string;
  idStatus: IdStatus;
  birthDate: string | null;
  gender: 'M' | 'F' | null;
  townshipKey: string | null;
  village: string | null;
  villageKey: string | null;
  linkRule: string | null;
}

export const specialLabel = (g: string | null): string =>
  (g ?? '')
    .split(',')
    .filter(Boolean)
    .map((c) => SPECIAL_GROUPS.find((s) => s.code === c)?.label ?? c)
    .join('、');

const where = (r: Rec) => `${ROLL_KIND_LABEL[r.kind]} ${r.file}${r.sheet ? ' / ' + r.sheet : ''} 第${r.row}行`;

const typedId = (r: Rec) => r.idNumber ?? r.idRaw;
const oneTypo = (x: string, y: string) => {
  if (x.length !== y.length) return false;
  const diff = [...x].map((c, i) => (c === y[i] ? -1 : i)).filter((i) => i >= 0);
  if (diff.length === 1) return true;
  return diff.length === 2 && diff[1] === diff[0]! + 1 && x[diff[0]!] === y[diff[1]!] && x[diff[1]!] === y[diff[0]!];
};

/** How two records' ID numbers compare, said as a clerk would check them on paper. */
function idAgreement(r: Rec, a: Rec): { kind: 'same' | 'differ' | 'note' | 'none'; words: string } {
  const x = typedId(r);
  const y = typedId(a);
  if (!x || !y || r.idStatus === 'missing' || a.idStatus === 'missing') return { kind: 'none', words: '' };
  if (x === y) return { kind: 'same', words: '身份证号' };
  const damaged = r.idStatus === 'excelDamaged' ? r : a.idStatus === 'excelDamaged' ? a : null;
  if (damaged) {
    const held = excelHeldDigits(damaged.idRaw);
    const other = typedId(damaged === r ? a : r);
    if (held.length >= MIN_HELD_DIGITS && other.startsWith(held))
      return { kind: 'same', words: `身份证号被Excel损坏后剩下的前${held.length}位` };
    if (held.length < MIN_HELD_DIGITS) return { kind: 'note', words: '一方身份证号被Excel损坏，只剩地区码，无法比较' };
    return { kind: 'differ', words: '身份证号（Excel损坏后剩下的数字）' };
  }
  if (oneTypo(x, y)) return { kind: 'note', words: '身份证号只差一位或两位对调（疑似录入错误）' };
  if (x.length >= 15 && y.length >= 15 && x.slice(0, 15) === y.slice(0, 15))
    return { kind: 'same', words: '身份证号前15位' };
  return { kind: 'differ', words: '身份证号' };
}

/** What a score-linked record shares with the person's anchor record, in the words a clerk checks by eye. */
function agreement(r: Rec, a: Rec): string {
  const same: string[] = [];
  const differ: string[] = [];
  const put = (ok: boolean | null, label: string) => {
    if (ok === null) return;
    (ok ? same : differ).push(label);
  };
  const notes: string[] = [];
  const idWords = idAgreement(r, a);
  if (idWords.kind === 'same') same.push(idWords.words);
  else if (idWords.kind === 'differ') differ.push(idWords.words);
  else if (idWords.kind === 'note') notes.push(idWords.words);
  put(r.nameKey === a.nameKey ? true : r.pinyin === a.pinyin ? null : false, '姓名');
  if (r.nameKey !== a.nameKey && r.pinyin === a.pinyin) same.push('姓名读音');
  put(r.birthDate && a.birthDate ? r.birthDate === a.birthDate : null, '出生日期');
  put(r.gender && a.gender ? r.gender === a.gender : null, '性别');
  put(r.townshipKey && a.townshipKey ? r.townshipKey === a.townshipKey : null, '乡镇');
  put(r.villageKey && a.villageKey ? r.villageKey === a.villageKey : null, '村（社区）');
  const parts = [
    same.length ? `${same.join('、')}一致` : '',
    differ.length ? `${differ.join('、')}不同` : '',
    ...notes,
  ];
  return `与${where(a)}比：${parts.filter(Boolean).join('；') || '无可比较的信息'}`;
}

/** 一人一档 of one person, for the drawer that opens from any list: every record, why it belongs, its problems. */
export function personView(db: Database.Database, q: { personId?: string; recordId?: number }): PersonView {
  let pid = q.personId ? Number(q.personId.replace(/^P/, '')) : null;
  if (pid === null && q.recordId !== undefined) {
    const r = db.prepare('SELECT person_id AS p FROM record WHERE id = ?').get(q.recordId) as
      { p: number | null } | undefined;
    if (!r) throw new CanbaoError('notFound', '这条记录已不在工作区（所在名册可能已移除），请刷新列表后再试');
    pid = r.p;
  }
  if (!pid) throw new CanbaoError('notFound', '这条记录还没有归到任何人员，请先运行“比对”');
  const s = db
    .prepare(
      `SELECT name, id_number AS id, base_record_id AS base, township, village, in_base AS inBase, insured, special_groups AS sg, duplicate_kind AS dk
      FROM person_status WHERE person_id = ?`,
    )
    .get(pid) as
    | {
        name: string;
        id: string | null;
        base: number | null;
        township: string | null;
        village: string | null;
        inBase: number;
        insured: number;
        sg: string | null;
        dk: DuplicateKind | null;
      }
    | undefined;
  if (!s) throw new CanbaoError('notFound', `人员 ${formatPersonId(pid)} 不在当前比对结果中，请重新运行“比对”后再试`);
  const recs = db
    .prepare(
      `SELECT c.id, r.kind, r.year, r.file_name AS file, r.sheet, c.source_row AS row, c.name, c.name_key AS nameKey, c.name_pinyin AS pinyin,
        c.id_number AS idNumber, c.id_raw AS idRaw, c.id_status AS idStatus, c.birth_date AS birthDate, c.gender, c.township_key AS townshipKey,
        c.village, c.village_key AS villageKey, c.link_rule AS linkRule
      FROM record c JOIN roll r ON r.id = c.roll_id WHERE c.person_id = ? ORDER BY r.kind = 'population' DESC, c.id`,
    )
    .all(pid) as Rec[];
  const ids = recs.map((r) => r.id);
  const marks = ids.map(() => '?').join(',');
  const decisions = db
    .prepare(
      `SELECT record_a AS a, record_b AS b, decided_by AS by, decided_at AS at FROM pair_decision
      WHERE verdict = 'same' AND record_a IN (${marks}) AND record_b IN (${marks})`,
    )
    .all(...ids, ...ids) as { a: number; b: number; by: string; at: string }[];
  const dups = new Map(
    (
      db.prepare('SELECT record_id AS id, action, rule FROM duplicate_item WHERE person_id = ?').all(pid) as {
        id: number;
        action: 'keep' | 'cancel';
        rule: string;
      }[]
    ).map((d) => [d.id, d]),
  );
  const anchor = recs.find((r) => r.id === s.base) ?? recs.find((r) => r.linkRule === 'id') ?? recs[0];
  const byId = new Map(recs.map((r) => [r.id, r]));
  const why = (r: Rec): string => {
    if (recs.length === 1) return '仅此一条记录';
    const d = decisions.find((x) => x.a === r.id || x.b === r.id);
    if (d) {
      const other = byId.get(d.a === r.id ? d.b : d.a);
      return `经办人判定为同一人（${d.by}，${d.at.slice(0, 10)}${other ? '，与' + where(other) : ''}）`;
    }
    const twin = recs.find((o) => o !== r && o.idNumber && o.idNumber === r.idNumber);
    if (twin) return `身份证号一致（与${where(twin)}）`;
    if (r === anchor) {
      const next = recs.find((o) => o !== r);
      return next ? `多项信息综合比对：${agreement(r, next)}` : '仅此一条记录';
    }
    return `多项信息综合比对：${agreement(r, anchor!)}`;
  };
  const issues = ids.length
    ? (db
        .prepare(
          `SELECT r.file_name AS file, r.sheet, q.source_row AS row, q.column_letter AS col, q.column_name AS colName, q.message
          FROM quality_issue q JOIN roll r ON r.id = q.roll_id WHERE q.record_id IN (${marks}) ORDER BY q.id`,
        )
        .all(...ids) as {
        file: string;
        sheet: string;
        row: number;
        col: string | null;
        colName: string | null;
        message: string;
      }[])
    : [];
  const firstKeep = [...dups.values()].find((d) => d.action === 'keep');
  const roundTrip = personRoundTrip(db, pid, s.id);
  return {
    personId: formatPersonId(pid),
    name: s.name,
    idMasked: maskId(s.id ?? byId.get(s.base ?? Math.min(...ids))?.idRaw ?? null, '6-4'),
    recordId: s.base ?? anchor?.id ?? null,
    township: s.township,
    village: s.village,
    status: s.inBase
      ? s.insured
        ? '底册内，已参保'
        : `底册内，未参保${roundTrip.current ? `（乡镇核实：${roundTrip.current.category}）` : ''}`
      : '不在户籍底册，有参保记录',
    duplicate: s.dk ? DUPLICATE_KIND_LABEL[s.dk] : null,
    duplicateRule: firstKeep?.rule ?? null,
    special: specialLabel(s.sg),
    roundTrip,
    records: recs.map((r) => ({
      recordId: r.id,
      kindLabel: ROLL_KIND_LABEL[r.kind],
      year: r.year,
      file: r.file,
      sheet: r.sheet,
      row: r.row,
      name: r.name,
      idMasked: maskId(r.idNumber ?? r.idRaw, '6-4'),
      idStatus: ID_STATUS_LABEL[r.idStatus] ?? '',
      birthDate: r.birthDate,
      gender: r.gender ? GENDER_LABEL[r.gender] : null,
      village: r.village,
      link: why(r),
      action: dups.get(r.id)?.action === 'keep' ? '保留' : dups.get(r.id)?.action === 'cancel' ? '注销' : null,
      rule: dups.get(r.id)?.rule ?? null,
    })),
    issues: issues.map((i) => ({
      where: `${i.file}${i.sheet ? ' / ' + i.sheet : ''} 第${i.row}行${i.col ? ' ' + i.col + '列' : ''}${i.colName ? '（' + i.colName + '）' : ''}`,
      message: i.message,
    })),
  };
}
