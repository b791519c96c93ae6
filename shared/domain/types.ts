/** The four kinds of roll a clerk loads. The population base says who should be insured; the others are enrolments. */
export const ROLL_KINDS = ['population', 'employee', 'resident_rural', 'resident_urban'] as const;
export type RollKind = (typeof ROLL_KINDS)[number];

export const ROLL_KIND_LABEL: Record<RollKind, string> = {
  population: '户籍人口底册',
  employee: '职工医保',
  resident_rural: '城乡居民医保（农村）',
  resident_urban: '城乡居民医保（城镇）',
};

export const ID_STATUSES = ['valid', 'converted15', 'badChecksum', 'excelDamaged', 'malformed', 'missing'] as const;
export type IdStatus = (typeof ID_STATUSES)[number];

export const ID_STATUS_LABEL: Record<IdStatus, string> = {
  valid: '有效',
  converted15: '15位已升18位',
  badChecksum: '校验位错误',
  excelDamaged: '被Excel损坏',
  malformed: '格式错误',
  missing: '缺失',
};

export type Gender = 'M' | 'F';
export const GENDER_LABEL: Record<Gender, string> = { M: '男', F: '女' };

/** 人员编号 as clerks see it: P and eight digits, stable across re-runs. */
export function formatPersonId(id: number | null | undefined): string {
  return id ? `P${String(id).padStart(8, '0')}` : '';
}

/** How a record came to belong to its person. */
export const LINK_RULE_LABEL: Record<string, string> = {
  id: '身份证号一致',
  score: '多项信息综合比对',
  clerk: '经办人确认',
  single: '仅此一条记录',
};
