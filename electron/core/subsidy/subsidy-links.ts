import type Database from 'better-sqlite3';
import type { PlainField } from '../../../shared/ipc/contract';
import { nameKeys } from '../../../shared/text/name';
import { townshipKey, villageKey } from '../../../shared/place/place-key';
import { LEVEL_INDEX, levelValues, type Levels } from '../match/comparison-levels';
import { compare, compareBirth, oneEditApart } from '../match/comparisons';
import type { MatchData } from '../match/match-data';
import type { MatchParameters } from '../match/parameters';
import { plainTally, plainWords, type PlainSide } from '../match/plain-words';
import { scorePair, type FieldContribution } from '../match/scoring';

/**
 * Listed persons whose ID number finds no person (a department's typo, a transposed pair, an old 15-digit number
 * from before a region was recoded): persons with the same name (or its sound), the same birth date (or one digit
 * off) and not in another township are proposed to the clerk, scored and explained with the match engine's own
 * comparison levels. A clerk's 链接到此人 makes the listed number count as that person everywhere; 不是同一人 keeps
 * the person from being proposed again. Decisions name the person by one of its records, so they outlive matches.
 */

/** At most this many persons proposed for one listed number: the best by weight. */
const MAX_CANDIDATES = 3;

const { id: ID, name: NAME, birth: BIRTH, place: PLACE } = LEVEL_INDEX;

/** The members of the departments' current lists (each department's latest month), one per ID number. */
function currentMembers(db: Database.Database) {
  return db
    .prepare(
      `SELECT m.id_number AS id, max(m.name) AS name, max(m.township) AS township, max(m.village) AS village
      FROM subsidy_member m JOIN subsidy_list l ON l.id = m.list_id
      WHERE l.month = (SELECT max(month) FROM subsidy_list x WHERE x.department = l.department)
      GROUP BY m.id_number ORDER BY m.id_number`,
    )
    .all() as { id: string; name: string; township: string | null; village: string | null }[];
}

/**
 * The clerk's verdicts as they stand now: listed ID number and the person its record belongs to after the last match;
 * a verdict whose record went with a removed or replaced roll finds the person by the number they carried.
 */
function verdicts(db: Database.Database, verdict: 'same' | 'different'): { id: string; p: number }[] {
  const rows = db
    .prepare(
      `SELECT k.member_id_number AS id, c.person_id AS p, k.person_id_number AS own FROM subsidy_link k
      LEFT JOIN record c ON c.id = k.record_id WHERE k.verdict = ? ORDER BY k.id`,
    )
    .all(verdict) as { id: string; p: number | null; own: string | null }[];
  const lost = rows.filter((r) => r.p === null && r.own).map((r) => r.own!);
  const found = lost.length ? personsByIdNumber(db, lost) : new Map<string, number>();
  return rows.flatMap((r) => {
    const p = r.p ?? (r.own ? found.get(r.own) : undefined);
    return p === undefined ? [] : [{ id: r.id, p }];
  });
}

/** Confirmed links: listed ID number → the person it counts as. */
export function confirmedLinks(db: Database.Database): Map<string, number> {
  return new Map(verdicts(db, 'same').map((r) => [r.id, r.p]));
}

/** The persons carrying these ID numbers (the filter runs inside SQLite: person_status has no index on them). */
function personsByIdNumber(db: Database.Database, ids: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of db
    .prepare(
      `SELECT id_number AS id, person_id AS p FROM person_status
      WHERE id_number IN (SELECT value FROM json_each(?))`,
    )
    .iterate(JSON.stringify(ids)) as IterableIterator<{ id: string; p: number }>)
    out.set(r.id, r.p);
  return out;
}

/** m and u of the last match (the workspace's own), or the levels' defaults before any match. */
function parametersOf(db: Database.Database): MatchParameters {
  const json = db.prepare('SELECT params_json FROM match_run ORDER BY id DESC LIMIT 1').pluck().get() as
    string | undefined;
  const stored = json ? (JSON.parse(json) as { params?: MatchParameters }).params : undefined;
  if (stored?.m && stored.u) return stored;
  return {
    m: levelValues((l) => l.defaultM),
    u: levelValues((l) => l.uPrior),
    lambda: 0,
    randomMatchProbability: 1e-4,
    anchorPairs: 0,
    randomPairs: 0,
  };
}

interface Side {
  name: string;
  /** The trusted number, or '' (then idRaw and idStatus say what was typed, as the engine keeps them). */
  idNumber: string;
  idRaw: string;
  idStatus: string;
  birthDate: string;
  gender: string;
  township: string;
  village: string;
}

const birthOf = (id: string) =>
  /^\d{17}[\dX]$/.test(id) ? `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}` : '';
const genderOf = (id: string) => (/^\d{17}[\dX]$/.test(id) ? (+id[16]! % 2 ? 'M' : 'F') : '');

/** The two sides as the engine's column-wise data, so its comparisons and scoring run unchanged on them. */
function pairData(a: Side, b: Side): MatchData {
  const k = [nameKeys(a.name), nameKeys(b.name)];
  return {
    n: 2,
    recordId: new Int32Array(2),
    kind: ['population', 'population'],
    year: new Int16Array(2),
    nameKey: k.map((x) => x.key),
    namePinyin: k.map((x) => x.pinyin),
    idNumber: [a.idNumber, b.idNumber],
    idRaw: [a.idRaw, b.idRaw],
    idStatus: [a.idStatus, b.idStatus],
    birthDate: [a.birthDate, b.birthDate],
    gender: [a.gender, b.gender],
    townshipKey: [a.township, b.township],
    villageKey: [a.village, b.village],
    householdKey: ['', ''],
    personId: new Int32Array(2),
  };
}

export interface LinkExplanation {
  contributions: FieldContribution[];
  plain: PlainField[];
  plainTally: string;
  /** What the levels cannot say: the birth date and sequence agree and only the region code differs. */
  note: string | null;
}

/**
 * The levels of a listed number against a record: the engine's, except that two valid numbers whose first 17
 * digits are one typo or one swap apart are 'oneEdit' (a department's system recomputes the check digit, so its
 * mistyped number is valid and the engine's own rule, for untrusted numbers, would call it different).
 */
function levelsOf(d: MatchData): Levels {
  const l = compare(d, 0, 1);
  const [x, y] = [d.idNumber[0]!, d.idNumber[1]!];
  if (x && y && x !== y && oneEditApart(x.slice(0, 17), y.slice(0, 17)))
    return { ...l, id: ID.oneEdit, birth: BIRTH.implied, gender: LEVEL_INDEX.gender.implied };
  if (l.birth === BIRTH.implied && l.id === ID.birthSegment)
    return { ...l, birth: compareBirth(d.birthDate[0]!, d.birthDate[1]!) };
  return l;
}

/** Whether the engine's levels make the record worth a clerk's look: same name or sound, birth, not elsewhere. */
function proposable(l: Levels): boolean {
  // Names one character apart are how twins and siblings look (siblingRisk): never proposed.
  if (l.name !== NAME.exact && l.name !== NAME.pinyin) return false;
  if (l.place === PLACE.different) return false;
  return l.id === ID.oneEdit || l.birth === BIRTH.exact || l.birth === BIRTH.close;
}

function explain(d: MatchData, l: Levels, p: MatchParameters, list: PlainSide, rec: PlainSide) {
  const score = scorePair(d, 0, 1, l, p, new Map(), false);
  const plain = plainWords(score.contributions, list, rec).map((f) => ({
    ...f,
    words: f.words.replace(/记录A/g, '名单').replace(/记录B/g, '名册记录'),
  }));
  const [x, y] = [d.idNumber[0]!, d.idNumber[1]!];
  const note =
    x && y && x.slice(0, 6) !== y.slice(0, 6) && x.slice(6, 17) === y.slice(6, 17)
      ? '身份证号的出生日期和顺序码一致，只有前6位地区码不同：名单上可能是区划调整前的旧号码（15位老号码换算而来）'
      : null;
  return {
    weight: score.weight,
    explanation: { contributions: score.contributions, plain, plainTally: plainTally(plain), note },
  };
}

/**
 * Rebuilds the proposals: for every listed number no person carries and no clerk has linked, the persons whose
 * records agree on name (or sound) and birth date, not in another township, not rejected for this number, and not
 * already someone else on the lists. One pass over the records, only when some listed number finds nobody.
 */
export function refreshSubsidyCandidates(db: Database.Database): number {
  db.prepare('DELETE FROM subsidy_link_candidate').run();
  const members = currentMembers(db);
  if (!members.length) return 0;
  const byId = personsByIdNumber(
    db,
    members.map((m) => m.id),
  );
  const links = confirmedLinks(db);
  const open = members.filter((m) => !byId.has(m.id) && !links.has(m.id));
  if (!open.length) return 0;
  // Persons already on the lists as themselves (by ID or by a clerk's link) are nobody else's candidate.
  const taken = new Set<number>(links.values());
  for (const m of members) if (byId.has(m.id)) taken.add(byId.get(m.id)!);
  const rejected = new Set(verdicts(db, 'different').map((r) => `${r.id}|${r.p}`));
  const wanted = new Map<string, typeof open>();
  const sides = new Map<string, Side>();
  for (const m of open) {
    const k = nameKeys(m.name);
    sides.set(m.id, {
      name: m.name,
      idNumber: m.id,
      idRaw: '',
      idStatus: 'valid',
      birthDate: birthOf(m.id),
      gender: genderOf(m.id),
      township: m.township ? townshipKey(m.township) : '',
      village: m.village ? villageKey(m.village, m.township ?? undefined) : '',
    });
    for (const key of [k.key, k.pinyin]) if (key) wanted.set(key, [...(wanted.get(key) ?? []), m]);
  }
  const params = parametersOf(db);
  type Found = { recordId: number; personId: number; weight: number; explanation: LinkExplanation; exact: boolean };
  const found = new Map<string, Map<number, Found>>();
  for (const r of db
    .prepare(
      `SELECT id, person_id AS p, name, name_key AS k, name_pinyin AS py, id_number AS idNumber, id_status AS idStatus,
      id_raw AS idRaw, birth_date AS birth, gender, township, township_key AS t, village, village_key AS v FROM record
      WHERE person_id IS NOT NULL AND (name_key IN (SELECT value FROM json_each(@keys))
        OR name_pinyin IN (SELECT value FROM json_each(@keys)))`,
    )
    .iterate({ keys: JSON.stringify([...wanted.keys()]) }) as IterableIterator<{
    id: number;
    p: number;
    name: string;
    k: string;
    py: string;
    idNumber: string | null;
    idStatus: string;
    idRaw: string | null;
    birth: string | null;
    gender: string | null;
    township: string | null;
    t: string | null;
    village: string | null;
    v: string | null;
  }>) {
    const hits = [...(wanted.get(r.k) ?? []), ...(r.py !== r.k ? (wanted.get(r.py) ?? []) : [])];
    if (!hits.length || taken.has(r.p)) continue;
    const rec: Side = {
      name: r.name,
      idNumber: r.idNumber ?? '',
      // A mistyped number in the roll is compared as the engine compares it (one typo or swap apart: 'oneEdit').
      idRaw: r.idNumber ? '' : (r.idRaw ?? ''),
      idStatus: r.idStatus,
      birthDate: r.birth ?? birthOf(r.idNumber ?? ''),
      gender: r.gender ?? genderOf(r.idNumber ?? ''),
      township: r.t ?? '',
      village: r.v ?? '',
    };
    for (const m of new Set(hits)) {
      if (rejected.has(`${m.id}|${r.p}`)) continue;
      const list = sides.get(m.id)!;
      const d = pairData(list, rec);
      const l = levelsOf(d);
      if (!proposable(l)) continue;
      const { weight, explanation } = explain(
        d,
        l,
        params,
        {
          ...list,
          idStatus: 'valid',
          birthDate: list.birthDate || null,
          gender: list.gender || null,
          township: m.township,
          village: m.village,
        },
        {
          ...rec,
          idStatus: r.idStatus,
          birthDate: rec.birthDate || null,
          gender: rec.gender || null,
          township: r.township,
          village: r.village,
        },
      );
      const per = found.get(m.id) ?? found.set(m.id, new Map()).get(m.id)!;
      const had = per.get(r.p);
      if (!had || weight > had.weight)
        per.set(r.p, { recordId: r.id, personId: r.p, weight, explanation, exact: l.name === NAME.exact });
    }
  }
  const insert = db.prepare(
    'INSERT INTO subsidy_link_candidate (member_id_number, record_id, weight, explanation_json) VALUES (?, ?, ?, ?)',
  );
  let n = 0;
  for (const [member, per] of found) {
    let all = [...per.values()];
    // A sound-alike is proposed only when nobody has the very name: a twin 张晓明 is not his brother 张小明.
    if (all.some((f) => f.exact)) all = all.filter((f) => f.exact);
    for (const f of all.sort((a, b) => b.weight - a.weight).slice(0, MAX_CANDIDATES)) {
      insert.run(member, f.recordId, f.weight, JSON.stringify(f.explanation));
      n++;
    }
  }
  return n;
}

/** Listed numbers of the current lists awaiting a clerk: no person, no link, at least one proposal. */
export function linksToConfirm(db: Database.Database): number {
  // A proposal whose record went with a removed roll waits for the next match, which proposes again.
  return db
    .prepare(
      `SELECT count(DISTINCT k.member_id_number) FROM subsidy_link_candidate k JOIN record c ON c.id = k.record_id
      WHERE c.person_id IS NOT NULL`,
    )
    .pluck()
    .get() as number;
}

export interface LinkCandidate {
  candidateId: number;
  recordId: number;
  personId: number;
  name: string;
  idNumber: string;
  township: string | null;
  village: string | null;
  insured: boolean;
  weight: number;
  explanation: LinkExplanation;
}

export interface UnlinkedMember {
  /** The listed ID number as the department's list has it (after 15→18 and x→X). */
  idNumber: string;
  name: string;
  township: string | null;
  village: string | null;
  departments: string[];
  candidates: LinkCandidate[];
}

/** Every listed number awaiting a clerk, with its proposals (best first), in the order of the ID numbers. */
export function listUnlinked(db: Database.Database): UnlinkedMember[] {
  const rows = db
    .prepare(
      `SELECT k.id AS candidateId, k.member_id_number AS member, k.record_id AS recordId, k.weight, k.explanation_json AS e,
      c.person_id AS personId, c.name, coalesce(c.id_number, c.id_raw) AS idNumber, c.township, c.village,
      coalesce(s.insured, 0) AS insured
      FROM subsidy_link_candidate k JOIN record c ON c.id = k.record_id LEFT JOIN person_status s ON s.person_id = c.person_id
      WHERE c.person_id IS NOT NULL ORDER BY k.member_id_number, k.weight DESC`,
    )
    .all() as {
    candidateId: number;
    member: string;
    recordId: number;
    weight: number;
    e: string;
    personId: number;
    name: string;
    idNumber: string;
    township: string | null;
    village: string | null;
    insured: number;
  }[];
  const member = db.prepare(
    `SELECT m.name, m.township, m.village, group_concat(l.department, '、') AS departments
    FROM subsidy_member m JOIN subsidy_list l ON l.id = m.list_id
    WHERE m.id_number = ? AND l.month = (SELECT max(month) FROM subsidy_list x WHERE x.department = l.department)`,
  );
  const out = new Map<string, UnlinkedMember>();
  for (const r of rows) {
    let m = out.get(r.member);
    if (!m) {
      const x = member.get(r.member) as {
        name: string;
        township: string | null;
        village: string | null;
        departments: string;
      };
      m = {
        idNumber: r.member,
        name: x.name,
        township: x.township,
        village: x.village,
        departments: x.departments.split('、'),
        candidates: [],
      };
      out.set(r.member, m);
    }
    m.candidates.push({
      candidateId: r.candidateId,
      recordId: r.recordId,
      personId: r.personId,
      name: r.name,
      idNumber: r.idNumber,
      township: r.township,
      village: r.village,
      insured: r.insured === 1,
      weight: r.weight,
      explanation: JSON.parse(r.e) as LinkExplanation,
    });
  }
  return [...out.values()];
}
