/**
 * The 断保风险名单 line of one person (DOMAIN-RULES §5, §7.1): enrolled last year, not yet this year — what they wait
 * if they pay by the deadline, after it, or skip the year; the incentive they lose; and the last day to pay.
 * Also the continuity settings themselves: every one explained with its source, bounds refused in Chinese.
 */
import { describe, expect, it } from 'vitest';
import {
  atStake,
  CONTINUITY_DEFAULTS,
  CONTINUITY_INFO,
  CONTINUITY_KEYS,
  CONTINUITY_PRESETS,
  continuitySettings,
  continuityValueText,
  enrolmentWindow,
  INCENTIVE_FROM_2021,
  INCENTIVE_FROM_2025,
  READING_A_XIAMEN,
  READING_B_LITERAL,
  summarizeContinuity,
  type YearRecord,
} from '../../shared/domain/continuity';
import {
  DEFAULT_SETTINGS,
  SETTING_LABEL,
  SETTINGS,
  SETTINGS_PATCH,
  settingValueKind,
} from '../../shared/domain/settings';

const resident = (from: number, to: number): YearRecord[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    year: from + i,
    scheme: 'resident',
    paidOn: `${from + i - 1}-10-15`,
  }));

describe('断保风险名单：去年参保、今年尚未缴费的人', () => {
  const sixYears = { years: resident(2021, 2026) };

  it('窗口期内：截止日是福建延长期的最后一天，按时缴费没有等待期，断保则等待并少拿激励', () => {
    const a = atStake(sixYears, 2027, continuitySettings(READING_A_XIAMEN, INCENTIVE_FROM_2021), '2026-11-27')!;
    expect(a).toMatchObject({
      consecutiveYearsSoFar: 6,
      windowEnd: '2026-12-31',
      deadline: '2027-02-28',
      daysLeft: 93,
      waitIfPaidByDeadline: 0,
      waitIfPaidLate: 3,
      waitNextYearIfLapsed: 3,
      stepsIfPaid: 3,
      stepsNextYearIfPaid: 4,
      stepsNextYearIfLapsed: 0,
      stepsLost: 4,
      amountLostYuan: 12000,
    });
    expect(a.explanation).toContain('2026年已参保（已连续参保6年），2027年尚未缴费');
    expect(a.explanation).toContain('2027-02-28前缴费：没有待遇等待期');
    expect(a.explanation).toContain('2028年少4档激励（12,000元）');
    const b = atStake(sixYears, 2027, continuitySettings(READING_B_LITERAL, INCENTIVE_FROM_2021), '2026-11-27')!;
    expect(b.waitNextYearIfLapsed).toBe(4);
  });

  it('没有延长期的地方，截止日是集中参保期最后一天；过了截止日只能逾期缴费', () => {
    const s = continuitySettings({ extensionEnd: '' });
    expect(atStake(sixYears, 2027, s, '2026-11-27')).toMatchObject({ deadline: '2026-12-31', daysLeft: 34 });
    const past = atStake(sixYears, 2027, s, '2027-01-05')!;
    expect(past).toMatchObject({ waitIfPaidByDeadline: null, waitIfPaidLate: 3, daysLeft: -5 });
    expect(past.explanation).toContain('缴费截止日2026-12-31已过');
    expect(past.explanation).toContain('现在缴费：等待期3个月');
  });

  it('激励从2025年起计时，说明里仍写出名册上连续参保的年数，并说明计入激励的有几年', () => {
    const h = { birthDate: '1980-05-01', years: resident(2023, 2026) };
    const a = atStake(h, 2027, continuitySettings(READING_A_XIAMEN, INCENTIVE_FROM_2025), '2026-11-27')!;
    expect(a.consecutiveYearsSoFar).toBe(2);
    expect(a.explanation).toContain('2026年已参保（已连续参保4年，其中计入激励的自2025年起2年），2027年尚未缴费');
    expect(a.explanation).toContain('已连续参保的4年从头算');
  });

  it('去年未参保或今年已缴费的人不在名单上', () => {
    expect(atStake({ years: resident(2021, 2025) }, 2027, CONTINUITY_DEFAULTS, '2026-11-27')).toBeNull();
    expect(atStake({ years: resident(2021, 2027) }, 2027, CONTINUITY_DEFAULTS, '2026-11-27')).toBeNull();
  });
});

describe('全县汇总', () => {
  it('counts persons, those at risk, and the waiting months and steps of the insured', () => {
    const people = [
      { years: resident(2021, 2027) }, // 7 years from 2021: 3 steps, no wait
      { years: resident(2021, 2026) }, // at risk
      { years: [...resident(2021, 2024), ...resident(2027, 2027)] }, // lapse 2025–2026: A 4 months
      { years: [] }, // never enrolled: neither insured nor at risk
    ];
    const s = continuitySettings(READING_A_XIAMEN, INCENTIVE_FROM_2021);
    expect(summarizeContinuity(people, 2027, s)).toEqual({
      year: 2027,
      persons: 4,
      insured: 2,
      atRisk: 1,
      waitingMonths: { 0: 1, 4: 1 },
      incentiveSteps: { 3: 1, 0: 1 },
    });
  });
});

describe('连续参保的设置', () => {
  it('每项设置都有中文名称、带出处的一句说明和默认值，并在工作区设置里', () => {
    for (const k of CONTINUITY_KEYS) {
      const info = CONTINUITY_INFO[k];
      expect(info.label, k).toMatch(/[\u4e00-\u9fff]/);
      expect(info.explain, k).toMatch(/\[[^\]]+\]$/);
      expect(DEFAULT_SETTINGS[k], k).toEqual(CONTINUITY_DEFAULTS[k]);
      expect(SETTING_LABEL[k], k).toContain(info.label);
    }
    expect(CONTINUITY_INFO.firstLapseYearFree.explain).toContain('厦门：断保一年没有变动等待期');
    expect(CONTINUITY_PRESETS.map((p) => p.name)).toHaveLength(4);
    expect(SETTINGS.safeParse(DEFAULT_SETTINGS).success).toBe(true);
  });

  it('操作日志里的值用中文说', () => {
    expect(continuityValueText('firstLapseYearFree', false)).toBe('否');
    expect(continuityValueText('incentiveStep', 3000)).toBe('3,000元');
    expect(continuityValueText('lapseSchemeScope', 'resident')).toBe('只算本县居民医保');
    expect(continuityValueText('exemptGroups', ['newborn', 'veteran'])).toBe(
      '新生儿（宽限天数内参保）、当年退出现役的军人',
    );
    expect(continuityValueText('extensionEnd', '')).toBe('不设');
    expect(continuityValueText('lapseCountFromYear', 2025)).toBe('2025');
  });

  it('命令行按类型读值：开关、数字、月-日和用逗号分隔的一组', () => {
    expect(settingValueKind('firstLapseYearFree')).toBe('boolean');
    expect(settingValueKind('incentiveStep')).toBe('number');
    expect(settingValueKind('centralWindowEnd')).toBe('string');
    expect(settingValueKind('exemptGroups')).toBe('list');
  });

  it('超出范围的值用中文拒绝', () => {
    const refused = (patch: object) => {
      const r = SETTINGS_PATCH.safeParse(patch);
      expect(r.success, JSON.stringify(patch)).toBe(false);
      return r.error!.issues[0]!.message;
    };
    expect(refused({ incentiveStep: 500 })).toContain('国家规定每档不低于1000元');
    expect(refused({ centralWindowEnd: '13-01' })).toContain('月-日');
    expect(refused({ extensionEnd: '2-30' })).toContain('月-日');
    expect(refused({ exemptGroups: ['pets'] })).toContain('免等待期群体');
    expect(refused({ lapseSchemeScope: 'all' })).toContain('算作未断保');
    expect(SETTINGS_PATCH.safeParse({ extensionEnd: '' }).success).toBe(true);
    const overlap = SETTINGS.safeParse({ ...DEFAULT_SETTINGS, extensionEnd: '10-01' });
    expect(overlap.success).toBe(false);
    expect(overlap.error!.issues[0]!.message).toContain('延长缴费期应在下一个集中参保期开始之前结束');
  });

  it('集中参保期：开始在上一年，早于开始日的结束日在参保年度当年（江西）', () => {
    expect(enrolmentWindow(2027, CONTINUITY_DEFAULTS)).toEqual({
      start: '2026-09-01',
      end: '2026-12-31',
      extensionEnd: '2027-02-28',
    });
    expect(enrolmentWindow(2028, CONTINUITY_DEFAULTS).extensionEnd).toBe('2028-02-29');
    const jiangxi = { centralWindowStart: '09-15', centralWindowEnd: '02-28', extensionEnd: '' };
    expect(enrolmentWindow(2027, jiangxi)).toEqual({ start: '2026-09-15', end: '2027-02-28' });
  });
});
