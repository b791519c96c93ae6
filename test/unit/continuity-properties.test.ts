/**
 * Properties of the continuity rules on random histories and random settings (fast-check, seed printed below):
 * what must hold for any person whatever the county decides, e.g. a lapse of 4+ years never waits less than the floor.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONTINUITY_DEFAULTS,
  EXEMPT_GROUPS,
  incentiveSteps,
  SCHEME_SCOPES,
  waitingPeriod,
  type ContinuitySettings,
  type PersonHistory,
  type YearRecord,
} from '../../shared/domain/continuity';
import { SETTINGS_PATCH } from '../../shared/domain/settings';
import { PROPERTY_SEED } from '../helpers/seed';

const day = (year: number) =>
  fc
    .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
    .map(([m, d]) => `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);

const yearRecord = (year: number): fc.Arbitrary<YearRecord[]> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant<YearRecord[]>([]) },
    {
      weight: 5,
      arbitrary: fc
        .tuple(fc.boolean(), day(year - 1), day(year))
        .map(([early, a, b]) => [
          { year, scheme: 'resident' as const, paidOn: early && a >= `${year - 1}-09-01` ? a : b },
        ]),
    },
    {
      weight: 2,
      arbitrary: fc
        .option(day(year), { nil: undefined })
        .map((end) => [{ year, scheme: 'employee' as const, ...(end ? { endedOn: end } : {}) }]),
    },
    { weight: 1, arbitrary: fc.constant<YearRecord[]>([{ year, scheme: 'elsewhere', place: '外县' }]) },
  );

const history: fc.Arbitrary<PersonHistory> = fc
  .record({
    born: fc.option(fc.integer({ min: 1950, max: 2029 }), { nil: undefined }),
    years: fc.tuple(...Array.from({ length: 16 }, (_, i) => yearRecord(2015 + i))),
    exemptions: fc.array(
      fc.record({ kind: fc.constantFrom(...EXEMPT_GROUPS), on: fc.integer({ min: 2020, max: 2030 }).chain(day) }),
      { maxLength: 2 },
    ),
    repair: fc.integer({ min: 0, max: 6 }),
  })
  .chain(({ born, years, exemptions, repair }) =>
    (born ? day(born) : fc.constant(undefined)).map((birthDate) => ({
      ...(birthDate ? { birthDate } : {}),
      years: years.flat().filter((r) => !birthDate || r.year >= Number(birthDate.slice(0, 4))),
      exemptions,
      repairYearsPaid: repair,
    })),
  );

const settings: fc.Arbitrary<ContinuitySettings> = fc
  .record({
    firstLapseYearFree: fc.boolean(),
    lapseCountFromYear: fc.integer({ min: 2015, max: 2028 }),
    lapseSchemeScope: fc.constantFrom(...SCHEME_SCOPES),
    incentiveCountFromYear: fc.integer({ min: 2015, max: 2028 }),
    incentiveSchemeScope: fc.constantFrom(...SCHEME_SCOPES),
    lapseKeepsAccruedContinuous: fc.boolean(),
    incentiveStep: fc.integer({ min: 1, max: 20 }).map((n) => n * 1000),
    incentiveCapPct: fc.integer({ min: 0, max: 100 }),
    exemptGroups: fc.subarray([...EXEMPT_GROUPS]),
    extensionHasNoWait: fc.boolean(),
    centralWindowEnd: fc.constantFrom('12-31', '02-28'),
    extensionEnd: fc.constantFrom('', '02-29', '03-31'),
    waitStart: fc.constantFrom('laterOfPaymentAndYearStart' as const, 'payment' as const),
  })
  .map((s) => ({ ...CONTINUITY_DEFAULTS, ...s }));

const target = fc.integer({ min: 2021, max: 2030 });

describe(`连续参保规则的性质 (fast-check seed ${PROPERTY_SEED})`, () => {
  it('随机设置都在各自的范围内', () => {
    fc.assert(
      fc.property(settings, (s) => {
        expect(SETTINGS_PATCH.safeParse(s).success).toBe(true);
      }),
    );
  });

  it('等待期从不为负，免等待期的人为0，说明里没有英文', () => {
    fc.assert(
      fc.property(history, target, settings, (h, t, s) => {
        const w = waitingPeriod(h, t, s);
        for (const n of [w.lapseYears, w.fixedMonths, w.variableMonths, w.repairedMonths, w.totalMonths])
          expect(n).toBeGreaterThanOrEqual(0);
        expect(w.repairedMonths).toBeLessThanOrEqual(w.variableMonths);
        if (w.exemption) expect(w.totalMonths).toBe(0);
        if (!w.insured) expect(w.totalMonths).toBe(0);
        expect(w.explanation).not.toMatch(/[A-Za-z]|undefined|NaN/);
        if (w.benefitsFrom) expect(w.benefitsFrom.slice(0, 4) <= String(t)).toBe(true);
      }),
    );
  });

  it('连续断保4年及以上：除免等待期外，等待期不少于6个月', () => {
    fc.assert(
      fc.property(history, target, settings, (h, t, s) => {
        const w = waitingPeriod(h, t, s);
        if (w.insured && !w.exemption && w.lapseYears >= s.longLapseYears)
          expect(w.totalMonths).toBeGreaterThanOrEqual(s.longLapseMinMonths);
      }),
    );
  });

  it('文件字面口径的等待期不少于厦门口径', () => {
    fc.assert(
      fc.property(history, target, settings, (h, t, s) => {
        const a = waitingPeriod(h, t, { ...s, firstLapseYearFree: true });
        const b = waitingPeriod(h, t, { ...s, firstLapseYearFree: false });
        expect(b.totalMonths).toBeGreaterThanOrEqual(a.totalMonths);
        expect(b.totalMonths - a.totalMonths).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('激励金额为档数×每档金额且不超过上限；起算年份越早，档数不会更少', () => {
    fc.assert(
      fc.property(history, target, settings, (h, t, s) => {
        const st = incentiveSteps(h, t, s);
        expect(st.amountYuan).toBeLessThanOrEqual(st.capYuan);
        expect(st.amountYuan).toBeGreaterThanOrEqual(0);
        expect(st.steps).toBe(Math.max(0, st.consecutiveYears - 4));
        if (st.consecutiveYears > 0)
          expect(st.amountYuan).toBe(Math.min((st.steps + st.keptSteps) * s.incentiveStep, st.capYuan));
        else expect(st.amountYuan).toBe(0);
        if (!s.lapseKeepsAccruedContinuous) expect(st.keptSteps).toBe(0);
        expect(st.explanation).not.toMatch(/[A-Za-z]|undefined|NaN/);
        const earlier = incentiveSteps(h, t, { ...s, incentiveCountFromYear: s.incentiveCountFromYear - 3 });
        expect(earlier.consecutiveYears).toBeGreaterThanOrEqual(st.consecutiveYears);
      }),
    );
  });
});
