import type Database from 'better-sqlite3';
import type { RollKind } from '../../../shared/domain/types';
import { specialGroupRank, type SpecialGroup } from '../../../shared/headers/coded-values';
import type { MatchSettings } from '../settings';

export const DUPLICATE_KINDS = ['employeeAndResident', 'employeeTwice', 'twoResidentSchemes', 'twoVillages', 'sameRollTwice'] as const;
export type DuplicateKind = (typeof DUPLICATE_KINDS)[number];
export const DUPLICATE_KIND_LABEL: Record<DuplicateKind, string> = {
  employeeAndResident: '职工医保与城乡居民医保重复',
  employeeTwice: '职工医保重复登记',
  twoResidentSchemes: '农村、城镇居民医保重复',
  twoVillages: '在两个村（社区）重复参保',
  sameRollTwice: '同一名册重复登记',
};

interface Rec {
  id: number; person_id: number; kind: RollKind; year: number; name: string; id_number: string | null;
  township: string | null; township_key: string | null; village: string | null; village_key: string | null; special_groups: string | null;
  insured_status: string | null;
}

export interface OutcomeSummary {
  year: number;
  baseYear: number | null;
  persons: number;
  basePersons: number;
  insuredBasePersons: number;
  uninsured: number;
  duplicates: number;
  notInBase: number;
}

/** An enrolment counts when the roll says nothing of its status, or says it is active. */
function counts(r: Rec): boolean {
  return r.insured_status === null || r.insured_status === 'active';
}

/**
 * Derives, per person, the lists the clerk works from: in the base or not, insured or not, which duplicate and which
 * enrolment stays. Runs over records grouped by person in SQLite, so memory stays flat.
 */
export function computeOutcomes(db: Database.Database, year: number, settings: MatchSettings): OutcomeSummary {
  const baseYears = (db.prepare(`SELECT DISTINCT year FROM roll WHERE kind = 'population' ORDER BY year DESC`).all() as { year: number }[]).map((r) => r.year);
  const baseYear = baseYears.includes(year) ? year : (baseYears[0] ?? null);
  db.exec('DELETE FROM person_status; DELETE FROM duplicate_item;');
  const insertStatus = db.prepare(`INSERT INTO person_status (person_id, year, in_base, base_record_id, name, id_number, township, township_key, village, village_key,
    enrolments, insured, special_groups, special_rank, duplicate_kind, records) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
  const insertDup = db.prepare('INSERT INTO duplicate_item (person_id, record_id, action, rule) VALUES (?,?,?,?)');
  const summary: OutcomeSummary = { year, baseYear, persons: 0, basePersons: 0, insuredBasePersons: 0, uninsured: 0, duplicates: 0, notInBase: 0 };

  const flush = (group: Rec[]) => {
    const base = group.filter((r) => r.kind === 'population' && r.year === baseYear);
    const enrol = group.filter((r) => r.kind !== 'population' && r.year === year && counts(r));
    const home = base[0] ?? enrol[0] ?? group[0]!;
    const groups = new Set<SpecialGroup>();
    for (const r of group) for (const g of (r.special_groups ?? '').split(',')) if (g) groups.add(g as SpecialGroup);
    const dup = enrol.length > 1 ? decideDuplicate(enrol, base[0], settings) : null;
    const inBase = base.length > 0;
    summary.persons++;
    if (inBase) {
      summary.basePersons++;
      if (enrol.length > 0) summary.insuredBasePersons++;
      else summary.uninsured++;
    } else if (enrol.length > 0) summary.notInBase++;
    if (dup) {
      summary.duplicates++;
      for (const item of dup.items) insertDup.run(home.person_id, item.record.id, item.action, item.rule);
    }
    const idNumber = group.find((r) => r.id_number)?.id_number ?? null;
    insertStatus.run(
      home.person_id, year, inBase ? 1 : 0, base[0]?.id ?? null, home.name, idNumber, home.township, home.township_key, home.village, home.village_key,
      enrol.length, enrol.length > 0 ? 1 : 0, groups.size ? [...groups].join(',') : null, specialGroupRank([...groups]), dup?.kind ?? null, group.length,
    );
  };

  // In slices of person ids: better-sqlite3 cannot write while a statement is still iterating.
  const stmt = db.prepare(`SELECT c.id, c.person_id, r.kind, r.year, c.name, c.id_number, c.township, c.township_key, c.village, c.village_key,
      c.special_groups, c.insured_status FROM record c JOIN roll r ON r.id = c.roll_id WHERE c.person_id BETWEEN ? AND ? ORDER BY c.person_id, c.id`);
  const range = db.prepare('SELECT min(person_id) AS lo, max(person_id) AS hi FROM record').get() as { lo: number | null; hi: number | null };
  const SLICE = 20_000;
  for (let lo = range.lo ?? 1; range.hi !== null && lo <= range.hi; lo += SLICE) {
    let group: Rec[] = [];
    for (const r of stmt.all(lo, lo + SLICE - 1) as Rec[]) {
      if (group.length && group[0]!.person_id !== r.person_id) {
        flush(group);
        group = [];
      }
      group.push(r);
    }
    if (group.length) flush(group);
  }
  return summary;
}

interface DuplicateDecision {
  kind: DuplicateKind;
  items: { record: Rec; action: 'keep' | 'cancel'; rule: string }[];
}

/** Which enrolment stays and why, by the workspace's rules (national defaults in settings.ts). */
export function decideDuplicate(enrol: Rec[], base: Rec | undefined, s: MatchSettings): DuplicateDecision {
  const employee = enrol.filter((r) => r.kind === 'employee');
  const resident = enrol.filter((r) => r.kind !== 'employee');
  const refund = s.refundCancelledResident ? '，已缴个人保费予以退还' : '';
  if (employee.length && resident.length && s.employeeWins) {
    const rule = `同一年度职工医保优先，城乡居民医保参保应予注销${refund}`;
    return {
      kind: 'employeeAndResident',
      items: [
        { record: employee[0]!, action: 'keep', rule },
        ...employee.slice(1).map((r) => ({ record: r, action: 'cancel' as const, rule: '职工医保重复登记，保留最早一条' })),
        ...resident.map((r) => ({ record: r, action: 'cancel' as const, rule })),
      ],
    };
  }
  if (employee.length > 1 && resident.length === 0) {
    return { kind: 'employeeTwice', items: employee.map((r, i) => ({ record: r, action: i === 0 ? 'keep' : 'cancel', rule: '职工医保重复登记，保留最早导入的一条' })) };
  }
  const kinds = new Set(resident.map((r) => r.kind));
  const villages = new Set(resident.map((r) => `${r.township_key ?? ''}/${r.village_key ?? ''}`));
  const kind: DuplicateKind = kinds.size > 1 ? 'twoResidentSchemes' : villages.size > 1 ? 'twoVillages' : 'sameRollTwice';
  let keep = resident[0]!;
  let why = '保留最早导入的一条';
  if (s.residentKeep === 'baseVillage' && base) {
    const home = resident.find((r) => r.village_key && r.village_key === base.village_key && (!r.township_key || r.township_key === base.township_key));
    if (home) {
      keep = home;
      why = '保留户籍所在村（社区）的参保';
    }
  }
  const all = employee.length ? [...employee, ...resident] : resident;
  return { kind, items: all.map((r) => ({ record: r, action: r === keep ? 'keep' : 'cancel', rule: `${DUPLICATE_KIND_LABEL[kind]}：${why}${r === keep ? '' : refund}` })) };
}
