/**
 * The worked examples E1–E14 of DOMAIN-RULES §1.5 as data: each person's history and the table's numbers, the
 * waiting months under readings [A, B] and the incentive steps under counting starts [I-21, I-25]. Rows the table
 * leaves open (E5 keep-accrued, E8/E11/E12/E13 scopes and evidence) appear once per setting, each saying why.
 */
import type { ContinuitySettings, PersonHistory, YearRecord } from '../../shared/domain/continuity';

export const inWindow = (y: number) => `${y - 1}-10-15`;
export const resident = (from: number, to: number): YearRecord[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ year: from + i, scheme: 'resident', paidOn: inWindow(from + i) }));
const employee = (from: number, to: number, lastEndedOn: string): YearRecord[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    year: from + i,
    scheme: 'employee',
    ...(from + i === to ? { endedOn: lastEndedOn } : {}),
  }));
const elsewhere = (from: number, to: number, place: string): YearRecord[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    year: from + i,
    scheme: 'elsewhere',
    place,
    evidence: '乡镇核实回执',
  }));

/** Waiting months under [A, B], or 'none' when the person is not insured that year. */
export type Wait = readonly [number, number] | 'none';
/** Incentive steps (new + kept) under [I-21, I-25]. */
export type Steps = readonly [number, number];

export interface Example {
  id: string;
  says: string;
  history: PersonHistory;
  /** Settings of this row on top of the defaults (the reading and counting start are applied by the test). */
  settings?: Partial<ContinuitySettings>;
  years: Partial<Record<2026 | 2027 | 2029, { wait?: Wait; steps?: Steps }>>;
}

export const EXAMPLES: Example[] = [
  {
    id: 'E1',
    says: '居 2021–2025，2026、2027 在集中参保期内缴费',
    history: { years: resident(2021, 2027) },
    years: { 2026: { wait: [0, 0], steps: [2, 0] }, 2027: { wait: [0, 0], steps: [3, 0] } },
  },
  {
    id: 'E2',
    says: '2026-03-10 出生，2026-05-20 参保（90天内），2027 在集中参保期内缴费',
    history: {
      birthDate: '2026-03-10',
      years: [{ year: 2026, scheme: 'resident', paidOn: '2026-05-20' }, ...resident(2027, 2027)],
    },
    years: { 2026: { wait: [0, 0], steps: [0, 0] }, 2027: { wait: [0, 0], steps: [0, 0] } },
  },
  {
    id: 'E3',
    says: '2026-03-10 出生，2026-08-01 才参保（超过90天）',
    history: {
      birthDate: '2026-03-10',
      years: [{ year: 2026, scheme: 'resident', paidOn: '2026-08-01' }, ...resident(2027, 2027)],
    },
    years: { 2026: { wait: [3, 3], steps: [0, 0] }, 2027: { wait: [0, 0], steps: [0, 0] } },
  },
  {
    id: 'E4',
    says: '居 2021–2024，2025 未参保，2025年10月缴 2026',
    history: { years: [...resident(2021, 2024), ...resident(2026, 2027)] },
    years: { 2026: { wait: [3, 4], steps: [0, 0] }, 2027: { wait: [0, 0], steps: [0, 0] } },
  },
  {
    id: 'E5',
    says: '居 2021–2025，2026 未参保，2027 在集中参保期内缴费（不保留已获激励）',
    history: { years: [...resident(2021, 2025), ...resident(2027, 2027)] },
    settings: { lapseKeepsAccruedContinuous: false },
    years: { 2026: { wait: 'none' }, 2027: { wait: [3, 4], steps: [0, 0] } },
  },
  {
    // E5 is ambiguous on keeping accrued steps: both readings are run. With Henan's rule the step of 2025 (5 years
    // counted from 2021) survives the lapse; counted from 2025 there was none to keep.
    id: 'E5 河南口径',
    says: '同 E5，断保后保留已获得的连续参保激励',
    history: { years: [...resident(2021, 2025), ...resident(2027, 2027)] },
    settings: { lapseKeepsAccruedContinuous: true },
    years: { 2026: { wait: 'none' }, 2027: { wait: [3, 4], steps: [1, 0] } },
  },
  {
    id: 'E6',
    says: '居 2021–2024，2025、2026 未参保，2027 在集中参保期内缴费，未补缴',
    history: { years: [...resident(2021, 2024), ...resident(2027, 2027)] },
    years: { 2026: { wait: 'none' }, 2027: { wait: [4, 5], steps: [0, 0] } },
  },
  {
    id: 'E6r',
    says: '同 E6，另按2027年标准补缴1年',
    history: { years: [...resident(2021, 2024), ...resident(2027, 2027)], repairYearsPaid: 1 },
    years: { 2027: { wait: [3, 4], steps: [0, 0] } },
  },
  {
    id: 'E7',
    says: '居 2025，2026-04-10 才缴 2026（已过集中参保期和延长期）',
    history: {
      years: [
        ...resident(2025, 2025),
        { year: 2026, scheme: 'resident', paidOn: '2026-04-10' },
        ...resident(2027, 2027),
      ],
    },
    // 2026 still counts as enrolled (D3): 2025–2026 is 2 years, 2025–2027 is 3, under either counting start.
    years: { 2026: { wait: [3, 3], steps: [0, 0] }, 2027: { wait: [0, 0], steps: [0, 0] } },
  },
  {
    id: 'E7f',
    says: '同 E7，但 2026-02-15 在福建延长缴费期内缴费',
    history: {
      years: [
        ...resident(2025, 2025),
        { year: 2026, scheme: 'resident', paidOn: '2026-02-15' },
        ...resident(2027, 2027),
      ],
    },
    years: { 2026: { wait: [0, 0] }, 2027: { wait: [0, 0] } },
  },
  {
    id: 'E8',
    says: '职 2019 至 2026-06-30，2026-08-20 参加居民医保（中断不超过3个月，连续2年以上）',
    history: {
      years: [
        ...employee(2019, 2026, '2026-06-30'),
        { year: 2026, scheme: 'resident', paidOn: '2026-08-20' },
        ...resident(2027, 2027),
      ],
    },
    years: { 2026: { wait: [0, 0], steps: [0, 0] }, 2027: { wait: [0, 0], steps: [0, 0] } },
  },
  {
    id: 'E8 职工年份计入激励',
    says: '同 E8，职工医保年份也算连续参保',
    history: {
      years: [
        ...employee(2019, 2026, '2026-06-30'),
        { year: 2026, scheme: 'resident', paidOn: '2026-08-20' },
        ...resident(2027, 2027),
      ],
    },
    settings: { incentiveSchemeScope: 'residentEmployee' },
    years: { 2026: { wait: [0, 0], steps: [2, 0] }, 2027: { wait: [0, 0], steps: [3, 0] } },
  },
  {
    id: 'E9',
    says: '职 至 2024-12，2025 无参保，2025年10月缴 2026 居民医保（中断超过3个月）',
    history: { years: [...employee(2023, 2024, '2024-12-31'), ...resident(2026, 2027)] },
    years: { 2026: { wait: [3, 4], steps: [0, 0] }, 2027: { wait: [0, 0], steps: [0, 0] } },
  },
  {
    id: 'E10',
    says: '从未参保，2026-05-06 认定为低保，2026-05-20 资助参保',
    history: {
      birthDate: '1980-04-02',
      years: [{ year: 2026, scheme: 'resident', paidOn: '2026-05-20' }, ...resident(2027, 2027)],
      exemptions: [{ kind: 'assisted', on: '2026-05-06' }],
    },
    years: { 2026: { wait: [0, 0], steps: [0, 0] }, 2027: { wait: [0, 0], steps: [0, 0] } },
  },
  {
    id: 'E11',
    says: '2021 至 2026-09 服役，2026年9月退役，10月参加居民医保',
    history: {
      years: [{ year: 2026, scheme: 'resident', paidOn: '2026-10-15' }, ...resident(2027, 2027)],
      exemptions: [{ kind: 'veteran', on: '2026-09-30' }],
    },
    years: { 2026: { wait: [0, 0], steps: [0, 0] }, 2027: { wait: [0, 0], steps: [0, 0] } },
  },
  {
    // E11's "(or counted if army cover counts: unverified)": army years recorded as cover elsewhere, and every
    // scheme counting for the incentive, make 2021–2026 six years and 2021–2027 seven.
    id: 'E11 军队保障年份计入',
    says: '同 E11，服役年份作为县外参保凭据录入，且任何统筹区的年份都算连续参保',
    history: {
      years: [
        ...elsewhere(2021, 2025, '部队'),
        { year: 2026, scheme: 'resident', paidOn: '2026-10-15' },
        ...resident(2027, 2027),
      ],
      exemptions: [{ kind: 'veteran', on: '2026-09-30' }],
    },
    settings: { incentiveSchemeScope: 'anywhere' },
    years: { 2026: { wait: [0, 0], steps: [2, 0] }, 2027: { wait: [0, 0], steps: [3, 0] } },
  },
  {
    // Without the school-place evidence the county sees 2025 and 2026 as lapses: L = 2 gives A 4, B 5 (the table's
    // "3 / 4+" is a loose bound of the same thing).
    id: 'E12 无凭据',
    says: '外地上学 2022–2026（县里数据显示未参保），2027 回本县在集中参保期内参保',
    history: { years: resident(2027, 2027) },
    years: { 2026: { wait: 'none' }, 2027: { wait: [4, 5], steps: [0, 0] } },
  },
  {
    id: 'E12 有学籍地凭据',
    says: '同上，2022–2026 学籍地参保凭据已录入',
    history: { years: [...elsewhere(2022, 2026, '厦门市（学籍地）'), ...resident(2027, 2027)] },
    years: { 2027: { wait: [0, 0], steps: [0, 0] } },
  },
  {
    id: 'E12 外地年份计入激励',
    says: '同上，任何统筹区的年份都算连续参保',
    history: { years: [...elsewhere(2022, 2026, '厦门市（学籍地）'), ...resident(2027, 2027)] },
    settings: { incentiveSchemeScope: 'anywhere' },
    years: { 2027: { wait: [0, 0], steps: [2, 0] } },
  },
  {
    // D3's proposed default (居民 + 职工) ignores the evidence: this is why lapseSchemeScope defaults to 'anywhere'.
    id: 'E12 只认本县记录',
    says: '同上，但设置为只认本县居民医保和职工医保',
    history: { years: [...elsewhere(2022, 2026, '厦门市（学籍地）'), ...resident(2027, 2027)] },
    settings: { lapseSchemeScope: 'residentEmployee' },
    years: { 2027: { wait: [4, 5] } },
  },
  {
    id: 'E13 有凭据',
    says: 'A县居民医保 2021–2025，迁来本县，2026 在集中参保期内参保',
    history: { years: [...elsewhere(2021, 2025, 'A县'), ...resident(2026, 2027)] },
    years: { 2026: { wait: [0, 0], steps: [0, 0] }, 2027: { wait: [0, 0], steps: [0, 0] } },
  },
  {
    id: 'E13 外地年份计入激励',
    says: '同上，任何统筹区的年份都算连续参保',
    history: { years: [...elsewhere(2021, 2025, 'A县'), ...resident(2026, 2027)] },
    settings: { incentiveSchemeScope: 'anywhere' },
    years: { 2026: { wait: [0, 0], steps: [2, 0] }, 2027: { wait: [0, 0], steps: [3, 0] } },
  },
  {
    // "首次在本县参保": without the evidence the 2025 lapse is counted (L = 1).
    id: 'E13 无凭据',
    says: '同上，县里没有A县的参保凭据',
    history: { years: resident(2026, 2027) },
    years: { 2026: { wait: [3, 4], steps: [0, 0] }, 2027: { wait: [0, 0], steps: [0, 0] } },
  },
  {
    id: 'E14',
    says: '居 2021–2024，2025–2028 断保4年，缴 2029 并补缴2年',
    history: { years: [...resident(2021, 2024), ...resident(2029, 2029)], repairYearsPaid: 2 },
    years: { 2029: { wait: [6, 6] } },
  },
];
