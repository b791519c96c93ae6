/**
 * The workspace settings: rules that differ by place, kept as settings with national defaults (DESIGN §1), with
 * their bounds and labels written once. The app (工作区 → 设置), the CLI (`canbao settings --set`) and the engine all
 * go through these schemas: a value out of bounds is refused the same way everywhere.
 */
import { z } from 'zod';
import { windowProblem } from './continuity-dates';
import {
  CONTINUITY_DEFAULTS,
  CONTINUITY_FIELDS,
  CONTINUITY_INFO,
  CONTINUITY_KEYS,
  type ContinuityKey,
} from './continuity-settings';

const between = (min: number, max: number, message: string) =>
  z.number({ error: message }).min(min, { error: message }).max(max, { error: message });

const FIELDS = {
  /** County (区、市) name in export titles; detected from the rolls' title rows until the clerk sets it. */
  countyName: z.string({ error: '县（区）名称应为文字' }).trim().max(30, { error: '县（区）名称最多 30 个字' }),
  /** Participation-rate target drawn on the chart and marked in the rates table (national goal: 95%). */
  targetRate: between(0.5, 1, '参保率目标应在 0.5 到 1 之间（如 0.95 表示 95%）'),
  /** Match weight (bits) at or above which a pair links automatically. */
  linkWeight: between(1, 40, '自动归并的最低匹配权重应在 1 到 40 之间'),
  /** Match weight at or above which a pair that does not link goes to the clerk's review queue. */
  reviewWeight: between(-20, 40, '进入复核的最低匹配权重应在 -20 到 40 之间'),
  /** Employee insurance prevails over resident insurance in the same year (national rule). */
  employeeWins: z.boolean({ error: '职工医保优先应为 true 或 false' }),
  /** Which of two resident enrolments stays: the one in the person's registered (base) village, or the earliest imported. */
  residentKeep: z.enum(['baseVillage', 'earliest'], { error: '两条居民参保保留哪条应为 baseVillage 或 earliest' }),
  /** Whether a cancelled resident enrolment is refunded (shown on the duplicates list). */
  refundCancelledResident: z.boolean({ error: '注销的居民参保退费应为 true 或 false' }),
  /** Random record pairs drawn to estimate u probabilities. */
  /** How many automatic and manual backups (备份 folder beside the workspace) are kept; older ones are removed. */
  backupsKept: between(1, 100, '保留的备份个数应为 1 到 100 之间的整数').int({ error: '保留的备份个数应为整数' }),
  /** 出国（境）定居 leaves the 应参保 base (DOMAIN-RULES §2.1 (d) code 09: removed, a setting). */
  removeAbroad: z.boolean({ error: '出国（境）定居是否核减应为 true 或 false' }),
  /** 失联 / 失踪 leaves the 应参保 base (§6 Q12: some counties remove 失踪; default stays). */
  removeMissing: z.boolean({ error: '失联是否核减应为 true 或 false' }),
  /** Which 参保率 ranks villages and decides 达标/滞后 (§2.2 R2.3, §6 Q11): both are always shown. */
  rateBasis: z.enum(['household', 'local'], {
    error: '排名所用参保率口径应为 household（户籍口径）或 local（本地口径）',
  }),
  /** Below this rate a village or township is 滞后 in the 进度通报 (S22: 滞后 < 80%). */
  lagRate: between(0, 1, '滞后线应在 0 到 1 之间（如 0.8 表示 80%）'),
  randomPairs: between(10_000, 10_000_000, '估计参数用的随机记录对数应为 10000 到 10000000 之间的整数').int({
    error: '估计参数用的随机记录对数应为整数',
  }),
  /** Waiting periods and incentives (DOMAIN-RULES §1, §6 Q1–Q10): shared/domain/continuity-settings.ts. */
  ...CONTINUITY_FIELDS,
};

export type SettingKey = keyof typeof FIELDS;
export const SETTING_KEYS = Object.keys(FIELDS) as SettingKey[];

export const SETTING_LABEL: Record<SettingKey, string> = {
  countyName: '县（区）名称（导出标题）',
  targetRate: '参保率目标',
  linkWeight: '自动归并的最低匹配权重',
  reviewWeight: '进入复核的最低匹配权重',
  employeeWins: '职工医保优先',
  residentKeep: '两条居民参保保留哪条（baseVillage 户籍地 / earliest 最早）',
  refundCancelledResident: '注销的居民参保退费',
  randomPairs: '估计参数用的随机记录对数',
  backupsKept: '保留的备份个数',
  removeAbroad: '出国（境）定居从应参保人数中核减',
  removeMissing: '失联人员从应参保人数中核减',
  rateBasis: '排名所用参保率口径（household 户籍口径 / local 本地口径）',
  lagRate: '进度通报的滞后线',
  ...continuityLabels(),
};

/** The CLI lists the values an enum or list setting takes, as the other settings' labels do. */
function continuityLabels(): Record<ContinuityKey, string> {
  const label = {} as Record<ContinuityKey, string>;
  for (const k of CONTINUITY_KEYS) {
    const { label: l, options, unit } = CONTINUITY_INFO[k];
    // Without the options' own brackets: the 操作日志 drops a bracket holding codes, and must find where it ends.
    const values = options ? Object.entries(options).map(([v, say]) => `${v} ${say.replace(/（[^）]*）/g, '')}`) : [];
    label[k] = values.length ? `${l}（${values.join(' / ')}）` : unit ? `${l}（${unit}）` : l;
  }
  return label;
}

const unknownKey = (iss: { code: string; keys?: string[] }) =>
  iss.code === 'unrecognized_keys'
    ? `无法识别的设置“${(iss.keys ?? []).join('、')}”，可用：${SETTING_KEYS.join(', ')}`
    : undefined;

const ALL = z.strictObject(FIELDS, { error: unknownKey });

/** A complete, consistent set of settings (what a workspace holds after any change). */
export const SETTINGS = ALL.refine((s) => s.reviewWeight <= s.linkWeight, {
  error: '进入复核的最低匹配权重不能高于自动归并的最低匹配权重',
  path: ['reviewWeight'],
})
  .refine((s) => s.lagRate <= s.targetRate, { error: '滞后线不能高于参保率目标', path: ['lagRate'] })
  .superRefine((s, ctx) => {
    const problem = windowProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['extensionEnd'] });
  });

/** A change: any of the settings, each within its bounds; unknown names are refused. */
export const SETTINGS_PATCH = ALL.partial();

export type Settings = z.output<typeof ALL>;
export type SettingsPatch = z.output<typeof SETTINGS_PATCH>;
/** Settings of the township round-trip (DOMAIN-RULES §2): they change the rates, never the match. */
export const PARTICIPATION_KEYS = ['removeAbroad', 'removeMissing', 'rateBasis', 'lagRate'] as const;
export type ParticipationSettings = Pick<Settings, (typeof PARTICIPATION_KEYS)[number] | 'targetRate'>;
/** Settings of the continuity rules (DOMAIN-RULES §1): they change waiting periods and incentives, never the match. */
export { CONTINUITY_KEYS, type ContinuitySettings } from './continuity-settings';
export type WorkspaceSettings = Pick<Settings, 'countyName' | 'targetRate' | 'backupsKept'>;
export type MatchSettings = Omit<
  Settings,
  'countyName' | 'targetRate' | 'backupsKept' | (typeof PARTICIPATION_KEYS)[number] | ContinuityKey
>;

export const DEFAULT_SETTINGS: Settings = {
  countyName: '',
  targetRate: 0.95,
  linkWeight: 7,
  reviewWeight: 0,
  employeeWins: true,
  residentKeep: 'baseVillage',
  refundCancelledResident: true,
  randomPairs: 400_000,
  backupsKept: 5,
  removeAbroad: true,
  removeMissing: false,
  rateBasis: 'household',
  lagRate: 0.8,
  ...CONTINUITY_DEFAULTS,
};

/** The kind of value a setting takes, for front ends that read text (the CLI's key=value; a list is comma-separated). */
export function settingValueKind(key: SettingKey): 'number' | 'boolean' | 'string' | 'list' {
  const d = DEFAULT_SETTINGS[key];
  return typeof d === 'number' ? 'number' : typeof d === 'boolean' ? 'boolean' : Array.isArray(d) ? 'list' : 'string';
}
