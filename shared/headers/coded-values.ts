/** Coded values found in system exports, decoded to what the engine reasons with. */

export type InsuredStatus = 'active' | 'suspended' | 'terminated';

/** 参保状态 (AAC008): 1 正常参保, 2 暂停, 4 终止 (3 is used by some provinces for 终止 too). */
export function parseInsuredStatus(value: unknown): InsuredStatus | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  if (s === '') return null;
  if (s === '1' || /^(正常|参保|在保|正常参保|参保缴费|已参保|已缴费)$/.test(s)) return 'active';
  if (s === '2' || /暂停|中断|停保/.test(s)) return 'suspended';
  if (s === '3' || s === '4' || /终止|退保|注销|停止|销户/.test(s)) return 'terminated';
  return null;
}

/**
 * Special groups whose coverage must be 100% (DESIGN §1). Listed by priority: the ledger sorts by it.
 * The words are those used on 资助类别 / 人员类别 columns; codes vary by province and are matched by name.
 */
export const SPECIAL_GROUPS = [
  { code: 'tekun', label: '特困人员', words: ['特困', '五保', '孤儿', '事实无人抚养'] },
  { code: 'dibao', label: '低保对象', words: ['低保'] },
  { code: 'disabled', label: '重度残疾', words: ['重度残疾', '一级残疾', '二级残疾', '重残'] },
  {
    code: 'tuopin',
    label: '脱贫/监测对象',
    words: ['脱贫', '监测', '建档立卡', '防返贫', '边缘易致贫', '突发严重困难'],
  },
] as const;
export type SpecialGroup = (typeof SPECIAL_GROUPS)[number]['code'];

export function specialGroupsOf(category: unknown): SpecialGroup[] {
  if (category === null || category === undefined) return [];
  const s = String(category);
  return SPECIAL_GROUPS.filter((g) => g.words.some((w) => s.includes(w))).map((g) => g.code);
}

export function specialGroupRank(groups: readonly SpecialGroup[]): number {
  let best: number = SPECIAL_GROUPS.length;
  for (const g of groups)
    best = Math.min(
      best,
      SPECIAL_GROUPS.findIndex((x) => x.code === g),
    );
  return best;
}
