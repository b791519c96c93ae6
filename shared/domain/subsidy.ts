/**
 * 资助参保 identities as the departments write them (DOMAIN-RULES §4): normalised to a fixed set, ranked so a person
 * on several lists is subsidised once at the highest (R4.4 "就高不重复"), and the month-by-month diff of a
 * department's full list (R4.5: 新增 / 变更 / 取消).
 */

export const IDENTITIES = ['tekun', 'orphan', 'dibao', 'monitor', 'tuopin', 'disabled', 'youfu'] as const;
export type Identity = (typeof IDENTITIES)[number];

/** In priority order: the first a person holds is the one subsidised (R4.1, R4.2: 特困 and 孤儿 fully). */
export const IDENTITY_LABEL: Record<Identity, string> = {
  tekun: '特困人员',
  orphan: '孤儿（含事实无人抚养儿童）',
  dibao: '低保对象',
  monitor: '防返贫监测对象',
  tuopin: '脱贫人口',
  disabled: '重度残疾（1-2级）',
  youfu: '优抚对象',
};

/** Which department certifies each identity (R4.3): a list naming another department's identity is still read. */
export const DEPARTMENTS = ['民政', '农业农村', '残联', '退役军人'] as const;
export type Department = (typeof DEPARTMENTS)[number];

const WORDS: readonly [Identity, RegExp][] = [
  ['tekun', /特困|五保|分散供养|集中供养/],
  ['orphan', /孤儿|事实无人抚养|无人抚养/],
  ['dibao', /低保(?!边缘)|最低生活保障/],
  ['monitor', /监测|防返贫|返贫致贫|边缘易致贫|突发严重困难/],
  ['tuopin', /脱贫|建档立卡|贫困户/],
  ['disabled', /(重度|一级|二级|1级|2级|1-2级|一、二级|1、2级).*残|残.*(重度|一级|二级|1级|2级|1-2级)|重残/],
  ['youfu', /优抚|烈属|伤残军人|军烈属|重点优抚/],
];

/**
 * The identities one cell names: "低保、特困", "重度残疾（1-2级）", "特困供养人员", "✓" columns joined by the reader.
 * Empty when it names none of them (the caller refuses such a row: nobody is cancelled for a typo).
 */
export function parseIdentities(text: string): Identity[] {
  const s = text.replace(/\s/g, '').replace(/[（(]/g, '(').replace(/[）)]/g, ')');
  if (!s) return [];
  const found = new Set<Identity>();
  // Several identities in one cell are separated by 、 , ， ; ； / or +.
  for (const part of s.split(/[、,，;；/+]/)) for (const [id, re] of WORDS) if (re.test(part)) found.add(id);
  return IDENTITIES.filter((i) => found.has(i));
}

/** The highest identity of a set (R4.4), or null for none. */
export function highestIdentity(ids: readonly Identity[]): Identity | null {
  return IDENTITIES.find((i) => ids.includes(i)) ?? null;
}

export type DiffKind = 'added' | 'changed' | 'cancelled';
export const DIFF_LABEL: Record<DiffKind, string> = { added: '新增', changed: '变更', cancelled: '取消' };

export interface ListMember {
  /** The person's 18-digit ID (the key of a department's list). */
  idNumber: string;
  identities: Identity[];
}

export interface DiffEntry {
  idNumber: string;
  kind: DiffKind;
  /** The highest identity before (null when added) and after (null when cancelled). */
  before: Identity | null;
  after: Identity | null;
}

/**
 * R4.5: this month's full list against the last one. An ID new to the list is 新增; one whose highest identity
 * changed, or that comes back after a 取消 (`cancelledBefore`), is 变更; one missing this month is 取消.
 */
export function diffMonth(
  previous: readonly ListMember[],
  current: readonly ListMember[],
  cancelledBefore: ReadonlySet<string> = new Set(),
): DiffEntry[] {
  const before = new Map(previous.map((m) => [m.idNumber, highestIdentity(m.identities)]));
  const out: DiffEntry[] = [];
  const seen = new Set<string>();
  for (const m of current) {
    if (seen.has(m.idNumber)) continue;
    seen.add(m.idNumber);
    const now = highestIdentity(m.identities);
    if (!before.has(m.idNumber)) {
      out.push({
        idNumber: m.idNumber,
        kind: cancelledBefore.has(m.idNumber) ? 'changed' : 'added',
        before: null,
        after: now,
      });
    } else if (before.get(m.idNumber) !== now) {
      out.push({ idNumber: m.idNumber, kind: 'changed', before: before.get(m.idNumber)!, after: now });
    }
  }
  for (const [id, was] of before)
    if (!seen.has(id)) out.push({ idNumber: id, kind: 'cancelled', before: was, after: null });
  return out;
}

/**
 * How an identity is subsidised in a year (R4.1, R4.2; §6 Q15): fully, a share of the individual contribution, a
 * fixed amount, or not at all. A yearly table, copied from the year before when a new year begins.
 */
export type TierKind = 'full' | 'percent' | 'amount' | 'none';
export interface SubsidyTier {
  kind: TierKind;
  /** percent: 0–100; amount: yuan; otherwise 0. */
  value: number;
}

export const TIER_KIND_LABEL: Record<TierKind, string> = {
  full: '全额资助',
  percent: '按比例资助',
  amount: '定额资助',
  none: '不资助',
};

/**
 * The table before a county sets its own: 特困 and 孤儿 fully (R4.1 [A S6], R4.2 [B S7]); 低保 and 监测对象 60% of the
 * individual contribution (R4.2, Hebei 2025: "不低于60%"); the others are local (S25) and start at 不资助.
 * 2026 individual contribution 400 yuan (S19, the 2026 township speech; §6 Q16).
 */
export const DEFAULT_CONTRIBUTION = 400;
export const DEFAULT_TIERS: Record<Identity, SubsidyTier> = {
  tekun: { kind: 'full', value: 0 },
  orphan: { kind: 'full', value: 0 },
  dibao: { kind: 'percent', value: 60 },
  monitor: { kind: 'percent', value: 60 },
  tuopin: { kind: 'none', value: 0 },
  disabled: { kind: 'none', value: 0 },
  youfu: { kind: 'none', value: 0 },
};

/** What the person pays themselves, in yuan, given the year's contribution and their highest identity's tier. */
export function personalPayment(contribution: number, tier: SubsidyTier): number {
  switch (tier.kind) {
    case 'full':
      return 0;
    case 'percent':
      return Math.round(contribution * (1 - tier.value / 100) * 100) / 100;
    case 'amount':
      return Math.max(0, contribution - tier.value);
    default:
      return contribution;
  }
}
