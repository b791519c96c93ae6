/**
 * The worked examples E1–E14 of DOMAIN-RULES §1.5 (test/unit/continuity-examples.ts), each as a cadre would read
 * it: the months a person waits and the incentive steps they have, under Xiamen's reading (A: the first lapse year
 * adds no month) and the literal one (B), and with incentive years counted from 2021 (I-21) or only from 2025 (I-25).
 * Payments are in the window unless the example says otherwise.
 */
import { describe, expect, it } from 'vitest';
import {
  continuitySettings,
  incentiveSteps,
  INCENTIVE_FROM_2021,
  INCENTIVE_FROM_2025,
  READING_A_XIAMEN,
  READING_B_LITERAL,
  waitingPeriod,
} from '../../shared/domain/continuity';
import { formatCount } from '../../shared/text/clerk-format';
import { EXAMPLES, resident } from './continuity-examples';

const READINGS = [
  { name: 'A 厦门口径', reading: READING_A_XIAMEN, i: 0 },
  { name: 'B 文件字面', reading: READING_B_LITERAL, i: 1 },
] as const;
const COUNTS = [
  { name: 'I-21', counting: INCENTIVE_FROM_2021, i: 0 },
  { name: 'I-25', counting: INCENTIVE_FROM_2025, i: 1 },
] as const;

const cases = EXAMPLES.flatMap((e) =>
  Object.entries(e.years).flatMap(([year, want]) =>
    READINGS.flatMap((r) =>
      COUNTS.map((c) => ({ e, year: Number(year), want: want!, r, c, title: `${e.id} ${year}年 ${r.name} ${c.name}` })),
    ),
  ),
);

describe('连续参保：DOMAIN-RULES §1.5 的算例，两种口径各算一遍', () => {
  it.each(cases)('$title', ({ e, year, want, r, c }) => {
    const s = continuitySettings(e.settings ?? {}, r.reading, c.counting);
    const w = waitingPeriod(e.history, year, s);
    if (want.wait === 'none') {
      expect(w.insured, e.says).toBe(false);
      expect(w.explanation).toContain(`${year}年未参保`);
    } else if (want.wait) {
      const months = want.wait[r.i];
      expect(w.insured, e.says).toBe(true);
      expect(w.totalMonths, `${e.says}：${w.explanation}`).toBe(months);
      if (months > 0) expect(w.explanation).toContain(`${months}个月`);
      else expect(w.explanation).toMatch(/没有待遇等待期|免待遇等待期/);
      if (w.lapseYears > 0 && !w.exemption) expect(w.explanation).toContain(`断保${w.lapseYears}年`);
    }
    if (want.steps) {
      const st = incentiveSteps(e.history, year, s);
      const steps = want.steps[c.i];
      expect(st.steps + st.keptSteps, `${e.says}：${st.explanation}`).toBe(steps);
      expect(st.amountYuan).toBe(steps * 3000);
      if (st.consecutiveYears > 0) expect(st.explanation).toContain(`连续参保${st.consecutiveYears}年`);
      if (steps > 0) expect(st.explanation).toContain(`${formatCount(steps * 3000)}元`);
    }
  });
});

describe('算例的细节：起算日、享受待遇日、补缴和下限', () => {
  const A = continuitySettings(READING_A_XIAMEN);
  const B = continuitySettings(READING_B_LITERAL);
  const ex = (id: string) => EXAMPLES.find((e) => e.id === id)!.history;

  it('E1 按2021年起算：2026年连续参保6年，提高2档共6,000元', () => {
    const st = incentiveSteps(ex('E1'), 2026, continuitySettings(INCENTIVE_FROM_2021));
    expect(st).toMatchObject({ consecutiveYears: 6, steps: 2, amountYuan: 6000, capYuan: 80000 });
    expect(st.explanation).toBe(
      '连续参保6年（2021—2026年），满4年后又连续参保2年：大病保险最高支付限额提高2档×3,000元＝6,000元。',
    );
  });

  it('E2 新生儿自出生之日起享受待遇', () => {
    const w = waitingPeriod(ex('E2'), 2026, A);
    expect(w).toMatchObject({ exemption: 'newborn', benefitsFrom: '2026-03-10', totalMonths: 0 });
    expect(w.explanation).toContain('出生后90天内');
  });

  it('E3 超过90天参保：从缴费日起等3个月，2026-11-01起享受待遇', () => {
    const w = waitingPeriod(ex('E3'), 2026, B);
    expect(w).toMatchObject({ lapseYears: 0, late: true, fixedMonths: 3, waitStart: '2026-08-01' });
    expect(w.benefitsFrom).toBe('2026-11-01');
    expect(waitingPeriod(ex('E3'), 2026, continuitySettings({ newbornGraceDays: 180 })).exemption).toBe('newborn');
  });

  it('E4 按文件字面：与示例说法一字不差', () => {
    const w = waitingPeriod(ex('E4'), 2026, B);
    expect(w.explanation).toContain('2025年未参保（断保1年）：固定等待期3个月＋变动等待期1个月＝4个月');
    expect(w).toMatchObject({ waitStart: '2026-01-01', benefitsFrom: '2026-05-01' });
    // R1.5c: counted from the payment date instead, the wait ends in February.
    const fromPayment = waitingPeriod(ex('E4'), 2026, continuitySettings(READING_B_LITERAL, { waitStart: 'payment' }));
    expect(fromPayment).toMatchObject({ waitStart: '2025-10-15', benefitsFrom: '2026-02-15', totalMonths: 4 });
  });

  it('E6r 补缴1年减1个月', () => {
    const w = waitingPeriod(ex('E6r'), 2027, B);
    expect(w).toMatchObject({ lapseYears: 2, variableMonths: 2, repairedMonths: 1, totalMonths: 4 });
    expect(w.explanation).toContain('2025—2026年未参保（断保2年）');
    expect(w.explanation).toContain('补缴1年减1个月');
  });

  it('E7 逾期缴费：2026-07-10至12-31享受待遇', () => {
    const w = waitingPeriod(ex('E7'), 2026, A);
    expect(w).toMatchObject({ late: true, waitStart: '2026-04-10', benefitsFrom: '2026-07-10' });
    expect(w.explanation).toContain('已过集中参保期（2025-09-01至2025-12-31）和延长缴费期（至2026-02-28）');
  });

  it('E7f 延长期内缴费自缴费之日起享受待遇；没有“延长期无等待期”的地方则等3个月', () => {
    expect(waitingPeriod(ex('E7f'), 2026, A)).toMatchObject({ totalMonths: 0, benefitsFrom: '2026-02-15' });
    const elsewhere = waitingPeriod(ex('E7f'), 2026, continuitySettings({ extensionHasNoWait: false }));
    expect(elsewhere).toMatchObject({ totalMonths: 3, late: true, benefitsFrom: '2026-05-15' });
    expect(elsewhere.explanation).toContain('本县设置延长期内缴费仍有等待期');
  });

  it('E8 职工转居民：免等待期；中断超过设置的月数则按逾期算', () => {
    const w = waitingPeriod(ex('E8'), 2026, A);
    expect(w).toMatchObject({ exemption: 'switch', benefitsFrom: '2026-08-20' });
    expect(w.explanation).toContain('职工医保2026-06-30停保');
    expect(waitingPeriod(ex('E8'), 2026, continuitySettings({ switchMaxGapMonths: 1 })).totalMonths).toBe(3);
    expect(waitingPeriod(ex('E8'), 2026, continuitySettings({ switchMinYears: 9 })).totalMonths).toBe(3);
  });

  it('E10 救助对象不在本县免等待期群体中时：断保1年且逾期缴费', () => {
    const s = continuitySettings(READING_B_LITERAL, { exemptGroups: ['newborn'] });
    const w = waitingPeriod(ex('E10'), 2026, s);
    expect(w).toMatchObject({ lapseYears: 1, late: true, totalMonths: 4, benefitsFrom: '2026-09-20' });
    expect(waitingPeriod(ex('E10'), 2026, A).explanation).toContain('2026-05-06认定为医疗救助对象');
  });

  it('E14 断保4年：两种口径都按下限6个月', () => {
    const a = waitingPeriod(ex('E14'), 2029, A);
    const b = waitingPeriod(ex('E14'), 2029, B);
    // The table writes A as "3 + 3 = 6" without the repair; with it A is 3 + 3 − 2 = 4, raised to the same 6.
    expect(a).toMatchObject({
      lapseYears: 4,
      variableMonths: 3,
      repairedMonths: 2,
      floorApplied: true,
      totalMonths: 6,
    });
    expect(b).toMatchObject({
      lapseYears: 4,
      variableMonths: 4,
      repairedMonths: 2,
      floorApplied: true,
      totalMonths: 6,
    });
    expect(b.explanation).toContain('2025—2028年未参保（断保4年）');
    expect(b.explanation).toContain('等待期不少于6个月，按6个月计');
  });

  it('新生儿的90天跨年：次年在宽限期内缴费也免等待期，过了宽限期按断保1年且逾期算', () => {
    const born = (paidOn: string) => ({
      birthDate: '2025-11-20',
      years: [{ year: 2026, scheme: 'resident' as const, paidOn }],
    });
    expect(waitingPeriod(born('2026-01-10'), 2026, A)).toMatchObject({
      exemption: 'newborn',
      benefitsFrom: '2026-01-01',
    });
    const after = waitingPeriod(born('2026-03-01'), 2026, A);
    expect(after).toMatchObject({ lapseYears: 1, late: true, totalMonths: 3, benefitsFrom: '2026-06-01' });
    expect(after.explanation).toContain('2025年未参保（断保1年），且2026-03-01缴费，已过集中参保期');
  });

  it('江西的集中参保期到次年2月28日：2月20日缴费不算逾期', () => {
    const jiangxi = continuitySettings({ centralWindowStart: '09-15', centralWindowEnd: '02-28', extensionEnd: '' });
    const h = { years: [...resident(2026, 2026), { year: 2027, scheme: 'resident' as const, paidOn: '2027-02-20' }] };
    expect(waitingPeriod(h, 2027, jiangxi)).toMatchObject({ late: false, totalMonths: 0, benefitsFrom: '2027-02-20' });
    const march = {
      years: [...resident(2026, 2026), { year: 2027, scheme: 'resident' as const, paidOn: '2027-03-02' }],
    };
    expect(waitingPeriod(march, 2027, jiangxi)).toMatchObject({
      late: true,
      totalMonths: 3,
      benefitsFrom: '2027-06-02',
    });
  });

  it('激励合计不超过原限额的20%', () => {
    const long = { years: resident(2000, 2060) };
    const st = incentiveSteps(long, 2060, continuitySettings({ incentiveCountFromYear: 2000 }));
    expect(st).toMatchObject({ steps: 57, amountYuan: 80000, capYuan: 80000, capped: true });
    expect(st.explanation).toContain('超过上限80,000元（原限额400,000元的20%），按80,000元计');
  });

  it('断保后再参保当年可降低限额（设置了才降）', () => {
    const s = continuitySettings({ lapseCapReduction: 5000 });
    expect(incentiveSteps(ex('E4'), 2026, s).capReductionYuan).toBe(5000);
    expect(incentiveSteps(ex('E4'), 2027, s).capReductionYuan).toBe(0);
    expect(incentiveSteps(ex('E4'), 2026, continuitySettings()).capReductionYuan).toBe(0);
  });
});
