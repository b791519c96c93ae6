/**
 * The settings of the continuity rules (DOMAIN-RULES §1.2–1.4, §6 Q1–Q10): waiting periods (待遇等待期) and the
 * continuous-enrolment incentive (连续参保激励). Each is one point where provinces differ or the sources are silent,
 * so it is a setting with its bounds, its Chinese label, one sentence saying what it means and where it comes from,
 * its default, and its standing (全国统一 / 地区口径 / 未核实). shared/domain/settings.ts adds them to the workspace
 * settings; shared/domain/continuity.ts reads them.
 */
import { z } from 'zod';
import { formatCount } from '../text/clerk-format';

const whole = (min: number, max: number, message: string) =>
  z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** 'MM-DD' of a real day (02-29 allowed: it means the end of February, 02-28 in a common year). */
export function isMonthDay(v: string): boolean {
  const m = /^(\d\d)-(\d\d)$/.exec(v);
  if (!m) return false;
  const month = Number(m[1]);
  const day = Number(m[2]);
  return month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1]!;
}

const monthDay = (message: string, optional = false) =>
  z
    .string({ error: message })
    .trim()
    .refine((v) => (optional && v === '') || isMonthDay(v), { error: message });

export const SCHEME_SCOPES = ['resident', 'residentEmployee', 'anywhere'] as const;
export type SchemeScope = (typeof SCHEME_SCOPES)[number];
export const SCHEME_SCOPE_LABEL: Record<SchemeScope, string> = {
  resident: '只算本县居民医保',
  residentEmployee: '本县居民医保或职工医保',
  anywhere: '任何统筹区的基本医保（县外须有凭据）',
};

export const WAIT_STARTS = ['laterOfPaymentAndYearStart', 'payment'] as const;
export type WaitStart = (typeof WAIT_STARTS)[number];
export const WAIT_START_LABEL: Record<WaitStart, string> = {
  laterOfPaymentAndYearStart: '缴费日与1月1日中较晚的一天',
  payment: '缴费日',
};

/** Groups that may be exempt from the waiting period (R1.8a–c); which are is regional (§6 Q9). */
export const EXEMPT_GROUPS = ['newborn', 'assisted', 'veteran', 'veteranSpouse', 'lowIncome'] as const;
export type ExemptGroup = (typeof EXEMPT_GROUPS)[number];
export const EXEMPT_GROUP_LABEL: Record<ExemptGroup, string> = {
  newborn: '新生儿（宽限天数内参保）',
  assisted: '医疗救助对象（动态新增的特困、低保、返贫致贫人口）',
  veteran: '当年退出现役的军人',
  veteranSpouse: '随军未就业配偶',
  lowIncome: '非因个人原因断保的农村低收入人口',
};

export const CONTINUITY_FIELDS = {
  firstLapseYearFree: z.boolean({ error: '断保第1年不加变动等待期应为 true 或 false' }),
  lapseCountFromYear: whole(2000, 2100, '断保年数起算年份应为 2000 到 2100 之间的年份'),
  lapseSchemeScope: z.enum(SCHEME_SCOPES, {
    error: '算作未断保的参保记录应为 resident、residentEmployee 或 anywhere',
  }),
  fixedWaitMonths: whole(0, 12, '固定等待期应为 0 到 12 之间的整月数'),
  longLapseYears: whole(1, 20, '长期断保的年数应为 1 到 20 之间的整数'),
  longLapseMinMonths: whole(0, 24, '长期断保的等待期下限应为 0 到 24 之间的整月数'),
  waitStart: z.enum(WAIT_STARTS, { error: '等待期起算日应为 laterOfPaymentAndYearStart 或 payment' }),
  centralWindowStart: monthDay('集中参保期开始日期应写成 月-日，如 09-01'),
  centralWindowEnd: monthDay('集中参保期结束日期应写成 月-日，如 12-31'),
  extensionEnd: monthDay('延长缴费期结束日期应写成 月-日（如 02-29 表示2月底），没有延长期则留空', true),
  extensionHasNoWait: z.boolean({ error: '延长期内缴费没有等待期应为 true 或 false' }),
  newbornGraceDays: whole(0, 366, '新生儿参保宽限天数应为 0 到 366 之间的整数'),
  exemptGroups: z.array(z.enum(EXEMPT_GROUPS, { error: `免等待期群体应为 ${EXEMPT_GROUPS.join('、')} 中的几项` }), {
    error: '免等待期群体应为一组名称，用逗号分隔',
  }),
  switchMinYears: whole(0, 10, '转换险种前连续参保年数应为 0 到 10 之间的整数'),
  switchMaxGapMonths: whole(0, 12, '转换险种最多中断月数应为 0 到 12 之间的整数'),
  incentiveCountFromYear: whole(2000, 2100, '连续参保年数起算年份应为 2000 到 2100 之间的年份'),
  incentiveSchemeScope: z.enum(SCHEME_SCOPES, {
    error: '算作连续参保的年份应为 resident、residentEmployee 或 anywhere',
  }),
  incentiveStep: whole(1000, 100_000, '连续参保激励每档金额应为 1000 到 100000 元（国家规定每档不低于1000元）'),
  incentiveStepZeroClaim: whole(1000, 100_000, '零报销激励每档金额应为 1000 到 100000 元（国家规定每档不低于1000元）'),
  dabingOriginalCap: whole(10_000, 10_000_000, '大病保险原最高支付限额应为 10000 到 10000000 元'),
  incentiveCapPct: z
    .number({ error: '激励合计上限应为 0 到 100 之间的百分数' })
    .min(0, { error: '激励合计上限应为 0 到 100 之间的百分数' })
    .max(100, { error: '激励合计上限应为 0 到 100 之间的百分数' }),
  lapseKeepsAccruedContinuous: z.boolean({ error: '断保后保留已获得的激励应为 true 或 false' }),
  lapseCapReduction: whole(0, 1_000_000, '断保再参保时限额降低金额应为 0 到 1000000 元'),
};

export type ContinuityKey = keyof typeof CONTINUITY_FIELDS;
/** In the order the settings screen shows them. */
export const CONTINUITY_KEYS = Object.keys(CONTINUITY_FIELDS) as ContinuityKey[];
export type ContinuitySettings = { [K in ContinuityKey]: z.output<(typeof CONTINUITY_FIELDS)[K]> };

export const CONTINUITY_DEFAULTS: ContinuitySettings = {
  firstLapseYearFree: true,
  lapseCountFromYear: 2025,
  // DOMAIN-RULES D3 proposes 居民 + 职工; 'anywhere' is the same for everyone without recorded out-of-county
  // evidence, and for those with it (E12, E13) it gives the answer the national platform gives (R5.1): no lapse.
  lapseSchemeScope: 'anywhere',
  fixedWaitMonths: 3,
  longLapseYears: 4,
  longLapseMinMonths: 6,
  waitStart: 'laterOfPaymentAndYearStart',
  centralWindowStart: '09-01',
  centralWindowEnd: '12-31',
  extensionEnd: '02-29',
  extensionHasNoWait: true,
  newbornGraceDays: 90,
  exemptGroups: ['newborn', 'assisted', 'veteran'],
  switchMinYears: 2,
  switchMaxGapMonths: 3,
  // Promise no reward the province may not pay: only years from 2025 count until the province says otherwise (Q3).
  incentiveCountFromYear: 2025,
  incentiveSchemeScope: 'resident',
  incentiveStep: 3000,
  incentiveStepZeroClaim: 3000,
  dabingOriginalCap: 400_000,
  incentiveCapPct: 20,
  lapseKeepsAccruedContinuous: false,
  lapseCapReduction: 0,
};

export type Standing = 'national' | 'regional' | 'unverified';
export const STANDING_LABEL: Record<Standing, string> = {
  national: '全国统一',
  regional: '地区口径',
  unverified: '未核实',
};

export type ContinuityPart = 'waiting' | 'window' | 'exempt' | 'incentive';
export const CONTINUITY_PART_LABEL: Record<ContinuityPart, string> = {
  waiting: '待遇等待期',
  window: '集中参保期',
  exempt: '免等待期',
  incentive: '连续参保激励',
};

export interface ContinuitySettingInfo {
  part: ContinuityPart;
  /** Plain Chinese, for the form and the audit log. */
  label: string;
  /** One sentence: what it means, and its source in [] (DOMAIN-RULES §0.1 ids). */
  explain: string;
  standing: Standing;
  unit?: '年' | '个月' | '天' | '元' | '%';
  min?: number;
  max?: number;
  step?: number;
  /** Chinese names of the values of an enum or list setting. */
  options?: Record<string, string>;
}

export const CONTINUITY_INFO: Record<ContinuityKey, ContinuitySettingInfo> = {
  firstLapseYearFree: {
    part: 'waiting',
    label: '断保第1年不加变动等待期',
    explain: '厦门：断保一年没有变动等待期，断保2年及以上才有；关闭则按国家文件字面，每断保1年加1个月 [S10；S1]',
    standing: 'regional',
  },
  lapseCountFromYear: {
    part: 'waiting',
    label: '断保年数从哪一年算起',
    explain: '厦门：2024年及以前的年份不参与计算，待遇等待期自2025年起执行 [S10；S1]',
    standing: 'regional',
    unit: '年',
    min: 2000,
    max: 2100,
    step: 1,
  },
  lapseSchemeScope: {
    part: 'waiting',
    label: '哪些参保记录算作未断保',
    explain:
      '某年有基本医保记录即不算断保；文件未明说是否含职工医保和外地参保，默认都算，县外参保须录入凭据 [S2、S3，推断]',
    standing: 'unverified',
    options: SCHEME_SCOPE_LABEL,
  },
  fixedWaitMonths: {
    part: 'waiting',
    label: '固定等待期',
    explain: '未在集中参保期内参保或未连续参保的，自2025年起设3个月固定待遇等待期，新生儿等特殊群体除外 [S1]',
    standing: 'national',
    unit: '个月',
    min: 0,
    max: 12,
    step: 1,
  },
  longLapseYears: {
    part: 'waiting',
    label: '连续断保几年起等待期有下限',
    explain: '连续断保4年及以上的，修复后的固定等待期和变动等待期合计不少于6个月 [S1]',
    standing: 'national',
    unit: '年',
    min: 1,
    max: 20,
    step: 1,
  },
  longLapseMinMonths: {
    part: 'waiting',
    label: '长期断保的等待期下限',
    explain: '连续断保4年及以上的，修复后的固定等待期和变动等待期合计不少于6个月 [S1]',
    standing: 'national',
    unit: '个月',
    min: 0,
    max: 24,
    step: 1,
  },
  waitStart: {
    part: 'waiting',
    label: '断保后在集中参保期内再参保，等待期从何时算起',
    explain: '文件未明说；默认从缴费日和参保年度1月1日中较晚的一天算起 [推断，§6 Q8]',
    standing: 'unverified',
    options: WAIT_START_LABEL,
  },
  centralWindowStart: {
    part: 'window',
    label: '集中参保期开始（上一年的月-日）',
    explain: '福建：集中参保期为上一年9月1日至12月31日，参保年度1月1日起享受待遇 [S2]',
    standing: 'regional',
  },
  centralWindowEnd: {
    part: 'window',
    label: '集中参保期结束（月-日）',
    explain: '福建为12月31日，江西为次年2月28日；早于开始日期的月-日表示参保年度当年 [S2；江西]',
    standing: 'regional',
  },
  extensionEnd: {
    part: 'window',
    label: '延长缴费期结束（月-日，没有则留空）',
    explain: '福建：参保年度1月1日至2月底为延长缴费期；填02-29表示2月底，平年为2月28日 [S2]',
    standing: 'regional',
  },
  extensionHasNoWait: {
    part: 'window',
    label: '延长期内缴费没有等待期',
    explain: '福建：延长期内缴费的，自缴费之日起享受待遇，不设等待期 [S2]',
    standing: 'regional',
  },
  newbornGraceDays: {
    part: 'exempt',
    label: '新生儿参保宽限天数',
    explain:
      '新生儿出生后90天内参保缴费的，自出生之日起享受待遇，没有等待期；有的地方为60天或3个月 [S1；泉州、西安、江西]',
    standing: 'regional',
    unit: '天',
    min: 0,
    max: 366,
    step: 1,
  },
  exemptGroups: {
    part: 'exempt',
    label: '免等待期的特殊群体',
    explain:
      '国家：新生儿等特殊群体除外；福建另列医疗救助对象、当年退役军人，滁州含随军未就业配偶，泰安含非因个人原因断保的困难群众 [S1；S2；S15；S16]',
    standing: 'regional',
    options: EXEMPT_GROUP_LABEL,
  },
  switchMinYears: {
    part: 'exempt',
    label: '职工与居民医保转换：此前至少连续参保',
    explain: '已连续参保2年及以上、因就业等变化转换险种且中断不超过3个月的，缴费后即享受待遇 [S4；S15；S17]',
    standing: 'regional',
    unit: '年',
    min: 0,
    max: 10,
    step: 1,
  },
  switchMaxGapMonths: {
    part: 'exempt',
    label: '职工与居民医保转换：最多中断',
    explain: '中断超过3个月或此前参保不足2年的，按断保处理 [S4；S15；S17]',
    standing: 'regional',
    unit: '个月',
    min: 0,
    max: 12,
    step: 1,
  },
  incentiveCountFromYear: {
    part: 'incentive',
    label: '连续参保年数从哪一年算起',
    explain: '2021—2024年是否计入“连续参保满4年”未见文件，请向省医保局确认；默认只算2025年起的年份 [§6 Q3，未见出处]',
    standing: 'unverified',
    unit: '年',
    min: 2000,
    max: 2100,
    step: 1,
  },
  incentiveSchemeScope: {
    part: 'incentive',
    label: '哪些年份算作连续参保',
    explain: '国家文件为“连续参加居民医保满4年”，职工医保和外地参保的年份是否计入未见文件 [S1]',
    standing: 'unverified',
    options: SCHEME_SCOPE_LABEL,
  },
  incentiveStep: {
    part: 'incentive',
    label: '连续参保激励每档',
    explain:
      '连续参保满4年后每多参保1年，大病保险最高支付限额提高不低于1000元；福建、河南和本县讲话为3000元 [S1；S2、S3、S19]',
    standing: 'regional',
    unit: '元',
    min: 1000,
    max: 100_000,
    step: 500,
  },
  incentiveStepZeroClaim: {
    part: 'incentive',
    label: '零报销激励每档',
    explain: '当年基金未报销的，次年大病保险最高支付限额提高不低于1000元；名册里没有报销数据，暂不计入 [S1]',
    standing: 'regional',
    unit: '元',
    min: 1000,
    max: 100_000,
    step: 500,
  },
  dabingOriginalCap: {
    part: 'incentive',
    label: '大病保险原最高支付限额',
    explain: '本统筹区大病保险原来的最高支付限额；默认40万元只是示例，请按本地文件填写 [S1；S3]',
    standing: 'regional',
    unit: '元',
    min: 10_000,
    max: 10_000_000,
    step: 10_000,
  },
  incentiveCapPct: {
    part: 'incentive',
    label: '两项激励合计占原限额的上限',
    explain: '连续参保激励和零报销激励合计不超过大病保险原最高支付限额的20% [S1]',
    standing: 'national',
    unit: '%',
    min: 0,
    max: 100,
    step: 1,
  },
  lapseKeepsAccruedContinuous: {
    part: 'incentive',
    label: '断保后保留已获得的连续参保激励',
    explain: '河南：断保后再参保，前期积累的连续参保激励额度继续保留；国家文件只说断保后连续年数重新计算 [S3；S1]',
    standing: 'regional',
  },
  lapseCapReduction: {
    part: 'incentive',
    label: '断保后再参保当年限额降低',
    explain: '国家文件允许各省降低断保后再参保人员的大病保险最高支付限额，默认不降低 [S1]',
    standing: 'regional',
    unit: '元',
    min: 0,
    max: 1_000_000,
    step: 1000,
  },
};

/** The readings the worked examples are run under (DOMAIN-RULES §1.5). */
export const READING_A_XIAMEN: Partial<ContinuitySettings> = { firstLapseYearFree: true, lapseCountFromYear: 2025 };
export const READING_B_LITERAL: Partial<ContinuitySettings> = { firstLapseYearFree: false, lapseCountFromYear: 2025 };
export const INCENTIVE_FROM_2021: Partial<ContinuitySettings> = { incentiveCountFromYear: 2021 };
export const INCENTIVE_FROM_2025: Partial<ContinuitySettings> = { incentiveCountFromYear: 2025 };

export const CONTINUITY_PRESETS = [
  { name: '厦门口径（断保第1年不加变动等待期）', settings: READING_A_XIAMEN },
  { name: '文件字面口径（每断保1年加1个月）', settings: READING_B_LITERAL },
  { name: '激励从2021年起算', settings: INCENTIVE_FROM_2021 },
  { name: '激励从2025年起算', settings: INCENTIVE_FROM_2025 },
] as const;

/** The settings with one reading applied over the defaults (tests, the engine's "show both" columns). */
export function continuitySettings(...overrides: Partial<ContinuitySettings>[]): ContinuitySettings {
  return Object.assign({}, CONTINUITY_DEFAULTS, ...overrides) as ContinuitySettings;
}

/** A value as a clerk reads it in the 操作日志 (是/否, 3,000元, 新生儿、当年退出现役的军人, 不设), never its code. */
export function continuityValueText(key: ContinuityKey, value: unknown): string {
  const { options, unit } = CONTINUITY_INFO[key];
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (Array.isArray(value)) return value.map((v) => options?.[String(v)] ?? String(v)).join('、') || '无';
  if (options) return options[String(value)] ?? String(value);
  if (value === '') return '不设';
  if (typeof value === 'number' && unit && unit !== '年') return `${formatCount(value)}${unit === '%' ? '%' : unit}`;
  return String(value);
}
