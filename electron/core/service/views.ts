import { categoryLabel } from '../../../shared/domain/verification';
import type Database from 'better-sqlite3';
import { formatPersonId, LINK_RULE_LABEL } from '../../../shared/domain/types';
import { maskId, type MaskProfile } from '../../../shared/export/mask';
import { SPECIAL_GROUPS } from '../../../shared/headers/coded-values';
import { specialLabel } from './person-view';
import type {
  MaskedRecord,
  ParsedRequest,
  ResultRow,
  ResultsResponse,
  ReviewPairView,
  SearchHitView,
} from '../../../shared/ipc/contract';
import { FIELD_LABEL, LEVEL_LABEL, type FieldName } from '../match/comparisons';
import { plainTally, plainWords } from '../match/plain-words';
import { DUPLICATE_KIND_LABEL, type DuplicateKind } from '../match/outcomes';
import type { ReviewPair, ReviewRecord } from '../review/review-queue';
import type { PersonHit } from '../search/person-search';

/** On screen IDs are masked (first 6, last 4); the full number only on an explicit, logged reveal. */
const SCREEN_MASK = '6-4' as const;

export function maskedRecord(r: ReviewRecord, mask: MaskProfile = SCREEN_MASK): MaskedRecord {
  const { idNumber, personId, ...shown } = r;
  return { ...shown, personId: personId === null ? null : formatPersonId(personId), idMasked: maskId(idNumber, mask) };
}

export function reviewView(
  p: ReviewPair,
  mask: MaskProfile = SCREEN_MASK,
  sides: ReviewPairView['sides'] = { a: NO_CONTEXT, b: NO_CONTEXT },
): ReviewPairView {
  const plain = plainWords(p.contributions, p.a, p.b);
  return {
    id: p.id,
    weight: p.weight,
    probability: p.probability,
    impactLabel: p.impactLabel,
    siblingRisk: p.siblingRisk,
    prior: p.prior,
    contributions: p.contributions.map((c) => ({
      field: c.field,
      fieldLabel: FIELD_LABEL[c.field as FieldName],
      level: c.level,
      levelLabel: (LEVEL_LABEL[c.field as FieldName] as Record<string, string>)[c.level] ?? c.level,
      weight: c.weight,
    })),
    plain,
    plainTally: plainTally(plain),
    a: maskedRecord(p.a, mask),
    b: maskedRecord(p.b, mask),
    sides,
  };
}

const NO_CONTEXT = { household: [], otherRecords: [] };

export function searchView(h: PersonHit, mask: MaskProfile = SCREEN_MASK): SearchHitView {
  return {
    personId: formatPersonId(h.personId),
    name: h.name,
    idMasked: maskId(h.idNumber, mask),
    township: h.township,
    village: h.village,
    inBase: h.inBase,
    insured: h.insured,
    duplicate: h.duplicateKind ? DUPLICATE_KIND_LABEL[h.duplicateKind as DuplicateKind] : null,
    records: h.records.map((r) => ({
      ...r,
      idMasked: maskId(r.idNumber, mask),
      linkRule: r.linkRule ? (LINK_RULE_LABEL[r.linkRule] ?? r.linkRule) : '',
    })),
  };
}

type ListQuery = Omit<ParsedRequest<'results.list'>, 'offset' | 'limit'>;
const likeArg = (t: string) => `%${t.replace(/[\\%_]/g, (c) => '\\' + c)}%`;

interface IssueRow {
  recordId: number | null;
  file: string;
  sheet: string;
  row: number;
  col: string | null;
  colName: string | null;
  value: string | null;
  code: string;
  message: string;
  name: string | null;
}
interface PersonRow {
  p: number;
  name: string;
  id: string | null;
  base: number | null;
  township: string | null;
  village: string | null;
  sg: string | null;
  dk: DuplicateKind | null;
  enrolments: number;
  anyRecord: number;
  /** The latest 核实情况 code a township returned for the person, if any. */
  answer: string | null;
}

const ISSUE_SQL = `FROM quality_issue q JOIN roll r ON r.id = q.roll_id LEFT JOIN record c ON c.id = q.record_id`;
const ISSUE_SORT: Partial<Record<string, string[]>> = {
  name: ['c.name'],
  detail: ['r.file_name', 'r.sheet', 'q.source_row'],
};
/** Names sort by their pinyin, as WPS sorts Chinese (by code point 黄 would come before 陈). */
const NAME_PINYIN = '(SELECT c.name_pinyin FROM record c WHERE c.person_id = s.person_id ORDER BY c.id LIMIT 1)';
const PERSON_SORT: Record<string, string[]> = {
  personId: ['s.person_id'],
  name: [NAME_PINYIN, 's.name'],
  township: ['s.township_key'],
  village: ['s.village_key'],
  detail: ['s.duplicate_kind', 's.in_base', 's.enrolments'],
  special: ['s.special_rank'],
};

// With no valid ID among a person's records, the row shows the ID as typed on the record it opens (base first, else the
// earliest), as the person view and the township ledger do: a damaged number still helps a cadre find the person.
const PERSON_COLUMNS = `s.person_id AS p, s.name,
  coalesce(s.id_number, (SELECT c.id_raw FROM record c WHERE c.id = coalesce(s.base_record_id,
    (SELECT min(c2.id) FROM record c2 WHERE c2.person_id = s.person_id)))) AS id, s.base_record_id AS base, s.township, s.village, s.special_groups AS sg,
  s.duplicate_kind AS dk, s.enrolments, (SELECT min(c.id) FROM record c WHERE c.person_id = s.person_id) AS anyRecord,
  (SELECT v.code FROM verification v WHERE v.person_id = s.person_id ORDER BY v.effective_on DESC, v.id DESC LIMIT 1) AS answer`;

/**
 * The SQL of one result list with the clerk's filters and order (column whitelisted, person_id last so equal keys
 * keep one order between pages). Shared by the paged screen and the current-list export.
 */
export function listSql(q: ListQuery): { count: string; select: string; ids?: string; args: unknown[] } {
  const dir = q.sortDir === 'desc' ? 'DESC' : 'ASC';
  if (q.list === 'issues') {
    const args: unknown[] = [];
    let w = '1 = 1';
    if (q.text) {
      w = `(c.name LIKE ? ESCAPE '\\' OR r.file_name LIKE ? ESCAPE '\\' OR q.message LIKE ? ESCAPE '\\')`;
      args.push(likeArg(q.text), likeArg(q.text), likeArg(q.text));
    }
    const sort = q.sortBy && ISSUE_SORT[q.sortBy];
    const order = sort ? `${sort.map((c) => `${c} ${dir}`).join(', ')}, q.id` : 'q.id';
    return {
      count: `SELECT count(*) AS n ${ISSUE_SQL} WHERE ${w}`,
      select: `SELECT q.record_id AS recordId, r.file_name AS file, r.sheet, q.source_row AS row, q.column_letter AS col, q.column_name AS colName, q.value, q.code, q.message, c.name
        ${ISSUE_SQL} WHERE ${w} ORDER BY ${order}`,
      args,
    };
  }
  const where = [
    {
      persons: '1 = 1',
      duplicates: 's.duplicate_kind IS NOT NULL',
      uninsured: 's.in_base = 1 AND s.insured = 0',
      notInBase: 's.in_base = 0 AND s.insured = 1',
    }[q.list],
  ];
  const args: unknown[] = [];
  if (q.township) {
    where.push('s.township_key = ?');
    args.push(q.township);
  }
  if (q.village) {
    where.push('s.village_key = ?');
    args.push(q.village);
  }
  if (q.specialOnly) {
    where.push('s.special_rank < ?');
    args.push(SPECIAL_GROUPS.length);
  }
  if (q.text) {
    const pid = /^P?0*(\d{1,8})$/i.exec(q.text);
    where.push(`(s.name LIKE ? ESCAPE '\\' OR s.village LIKE ? ESCAPE '\\'${pid ? ' OR s.person_id = ?' : ''})`);
    args.push(likeArg(q.text), likeArg(q.text));
    if (pid) args.push(Number(pid[1]));
  }
  const w = where.join(' AND ');
  const sort = q.sortBy ? PERSON_SORT[q.sortBy] : undefined;
  const order = sort
    ? `${sort.map((c) => `${c} ${dir}`).join(', ')}, s.person_id`
    : q.list === 'uninsured'
      ? 's.special_rank, s.township_key, s.village_key, s.name, s.person_id'
      : 's.township_key, s.village_key, s.person_id';
  return {
    count: `SELECT count(*) AS n FROM person_status s WHERE ${w}`,
    select: `SELECT ${PERSON_COLUMNS} FROM person_status s WHERE ${w} ORDER BY ${order}`,
    ids: `SELECT s.person_id AS p FROM person_status s WHERE ${w} ORDER BY ${order}`,
    args,
  };
}

export function issueRow(r: IssueRow): ResultRow {
  return {
    personId: '',
    name: r.name ?? '',
    idMasked: r.code.startsWith('id_') ? maskId(r.value, SCREEN_MASK) : (r.value ?? ''),
    recordId: r.recordId,
    township: null,
    village: null,
    detail: `${r.file}${r.sheet ? ' / ' + r.sheet : ''} 第${r.row}行${r.col ? ' ' + r.col + '列' : ''}${r.colName ? '（' + r.colName + '）' : ''}：${r.message}`,
    special: '',
  };
}

export function personRow(r: PersonRow): ResultRow {
  return {
    personId: formatPersonId(r.p),
    name: r.name,
    idMasked: maskId(r.id, SCREEN_MASK),
    recordId: r.base ?? r.anyRecord,
    township: r.township,
    village: r.village,
    detail: r.dk
      ? DUPLICATE_KIND_LABEL[r.dk]
      : r.base !== null
        ? r.enrolments
          ? `底册内，参保 ${r.enrolments} 条`
          : `底册内，无参保记录${r.answer ? `；乡镇核实：${categoryLabel(r.answer)}` : ''}`
        : `参保 ${r.enrolments} 条，底册中没有此人`,
    special: specialLabel(r.sg),
  };
}

/** Each row of a list as the screen shows it, in the list's order (the current-list export walks this). */
export function* iterateList(db: Database.Database, q: ListQuery): Generator<ResultRow> {
  const sql = listSql(q);
  const toRow =
    q.list === 'issues' ? (r: unknown) => issueRow(r as IssueRow) : (r: unknown) => personRow(r as PersonRow);
  for (const r of db.prepare(sql.select).iterate(...sql.args)) yield toRow(r);
}

/**
 * The order of a sorted list, kept in memory (4 bytes a person) while the workspace is unchanged. A sort has no
 * index to walk (names sort by their records' pinyin), so a page deep in the list costs a sort of the whole list:
 * seconds at a million persons. Sorted once, every further page, deep or not, is a slice of this order. The version
 * is the engine's own writes (total_changes) and any other connection's (data_version): after a match, a removed
 * roll or a verdict the next page sorts again. A few orders are kept: the clerk going back and forth between tabs.
 */
interface SortedOrders {
  version: string;
  byQuery: Map<string, Int32Array>;
}
const orders = new WeakMap<Database.Database, SortedOrders>();
const KEPT_ORDERS = 4;
/** Above this offset a page is read from the whole order (sorting it once) rather than by LIMIT … OFFSET. */
const DEEP_OFFSET = 1000;

function sortedOrder(db: Database.Database, q: ListQuery, idsSql: string, args: unknown[], deep: boolean) {
  const version = `${String(db.pragma('data_version', { simple: true }))}:${(db.prepare('SELECT total_changes() AS n').get() as { n: number }).n}`;
  let kept = orders.get(db);
  if (!kept || kept.version !== version) orders.set(db, (kept = { version, byQuery: new Map() }));
  const key = JSON.stringify([q.list, q.township, q.village, q.specialOnly, q.text, q.sortBy, q.sortDir]);
  const order = kept.byQuery.get(key);
  if (order) {
    // Most recently used last: the oldest is dropped first.
    kept.byQuery.delete(key);
    kept.byQuery.set(key, order);
    return order;
  }
  if (!deep) return undefined;
  const ids = Int32Array.from(
    db
      .prepare(idsSql)
      .pluck()
      .all(...args) as number[],
  );
  kept.byQuery.set(key, ids);
  if (kept.byQuery.size > KEPT_ORDERS) kept.byQuery.delete(kept.byQuery.keys().next().value!);
  return ids;
}

/** The result lists, paged in SQL so a million rows never travel at once (the table is virtual). */
export function resultsList(db: Database.Database, q: ParsedRequest<'results.list'>): ResultsResponse {
  const sql = listSql(q);
  const total = (db.prepare(sql.count).get(...sql.args) as { n: number }).n;
  if (sql.ids) {
    // Sorting carries only the person numbers: the row's columns (a lookup each) are read for one page alone, not
    // for every row the sort passes over on its way to a deep offset.
    const order = q.sortBy ? sortedOrder(db, q, sql.ids, sql.args, q.offset >= DEEP_OFFSET) : undefined;
    const ids = order
      ? Array.from(order.subarray(q.offset, q.offset + q.limit))
      : (db
          .prepare(`${sql.ids} LIMIT ? OFFSET ?`)
          .pluck()
          .all(...sql.args, q.limit, q.offset) as number[]);
    const byId = new Map(
      (
        db
          .prepare(
            `SELECT ${PERSON_COLUMNS} FROM person_status s WHERE s.person_id IN (${ids.map(() => '?').join(',')})`,
          )
          .all(...ids) as PersonRow[]
      ).map((r) => [r.p, r]),
    );
    return { total, rows: ids.flatMap((p) => (byId.has(p) ? [personRow(byId.get(p)!)] : [])) };
  }
  const rows = db.prepare(`${sql.select} LIMIT ? OFFSET ?`).all(...sql.args, q.limit, q.offset);
  return {
    total,
    rows: q.list === 'issues' ? rows.map((r) => issueRow(r as IssueRow)) : rows.map((r) => personRow(r as PersonRow)),
  };
}
