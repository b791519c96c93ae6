/**
 * The enrolment rules of one person in one year, in one place: which enrolments count, and when one person is
 * enrolled twice, which enrolment stays and why (national rules as defaults; DESIGN §1, DOMAIN-RULES).
 * Pure: the engine feeds it records, the screens and exports show its words.
 */
import type { RollKind } from './types';

export const DUPLICATE_KINDS = [
  'employeeAndResident',
  'employeeTwice',
  'twoResidentSchemes',
  'twoVillages',
  'sameRollTwice',
] as const;
export type DuplicateKind = (typeof DUPLICATE_KINDS)[number];
export const DUPLICATE_KIND_LABEL: Record<DuplicateKind, string> = {
  employeeAndResident: '职工医保与城乡居民医保重复',
  employeeTwice: '职工医保重复登记',
  twoResidentSchemes: '农村、城镇居民医保重复',
  twoVillages: '在两个村（社区）重复参保',
  sameRollTwice: '同一名册重复登记',
};

/** One record as the rules see it (fields named as their record columns, in camelCase). */
export interface EnrolmentRecord {
  id: number;
  kind: RollKind;
  townshipKey: string | null;
  villageKey: string | null;
  /** Decoded 参保状态: null when the roll does not say. */
  insuredStatus: string | null;
}

/** The settings these rules read (settings: employeeWins, residentKeep, refundCancelledResident). */
export interface DuplicateRules {
  /** Employee insurance prevails over resident insurance in the same year (national rule). */
  employeeWins: boolean;
  /** Of two resident enrolments, keep the one in the registered village, or the earliest imported. */
  residentKeep: 'baseVillage' | 'earliest';
  refundCancelledResident: boolean;
}

/** An enrolment counts when the roll says nothing of its status, or says it is active (参保状态 1 正常参保). */
export function countsAsEnrolled(r: Pick<EnrolmentRecord, 'insuredStatus'>): boolean {
  return r.insuredStatus === null || r.insuredStatus === 'active';
}

export interface DuplicateDecision<R extends EnrolmentRecord = EnrolmentRecord> {
  kind: DuplicateKind;
  items: { record: R; action: 'keep' | 'cancel'; rule: string }[];
}

/**
 * Which enrolment stays and why. `enrol` are one person's counting enrolments of the year in import order (at
 * least two); `base` is their record in the population base, if any.
 */
export function decideDuplicate<R extends EnrolmentRecord>(
  enrol: R[],
  base: EnrolmentRecord | undefined,
  s: DuplicateRules,
): DuplicateDecision<R> {
  const employee = enrol.filter((r) => r.kind === 'employee');
  const resident = enrol.filter((r) => r.kind !== 'employee');
  const refund = s.refundCancelledResident ? '，已缴个人保费予以退还' : '';
  if (employee.length && resident.length && s.employeeWins) {
    const rule = `同一年度职工医保优先，城乡居民医保参保应予注销${refund}`;
    return {
      kind: 'employeeAndResident',
      items: [
        { record: employee[0]!, action: 'keep', rule },
        ...employee
          .slice(1)
          .map((r) => ({ record: r, action: 'cancel' as const, rule: '职工医保重复登记，保留最早一条' })),
        ...resident.map((r) => ({ record: r, action: 'cancel' as const, rule })),
      ],
    };
  }
  if (employee.length > 1 && resident.length === 0) {
    return {
      kind: 'employeeTwice',
      items: employee.map((r, i) => ({
        record: r,
        action: i === 0 ? 'keep' : 'cancel',
        rule: '职工医保重复登记，保留最早导入的一条',
      })),
    };
  }
  const kinds = new Set(resident.map((r) => r.kind));
  const villages = new Set(resident.map((r) => `${r.townshipKey ?? ''}/${r.villageKey ?? ''}`));
  const kind: DuplicateKind =
    kinds.size > 1 ? 'twoResidentSchemes' : villages.size > 1 ? 'twoVillages' : 'sameRollTwice';
  let keep = resident[0]!;
  let why = '保留最早导入的一条';
  if (s.residentKeep === 'baseVillage' && base) {
    const home = resident.find(
      (r) => r.villageKey && r.villageKey === base.villageKey && (!r.townshipKey || r.townshipKey === base.townshipKey),
    );
    if (home) {
      keep = home;
      why = '保留户籍所在村（社区）的参保';
    }
  }
  const all = employee.length ? [...employee, ...resident] : resident;
  return {
    kind,
    items: all.map((r) => ({
      record: r,
      action: r === keep ? 'keep' : 'cancel',
      rule: `${DUPLICATE_KIND_LABEL[kind]}：${why}${r === keep ? '' : refund}`,
    })),
  };
}
