/**
 * Comparison levels as named objects (as Splink's comparison levels are): each level of each field carries its
 * label, the sentence a clerk reads, whether it carries evidence, its starting m and its county prior for u, and
 * how this workspace estimates them. Everything else (level indexes, labels, default arrays) is derived from here.
 */

export type FieldName = 'id' | 'name' | 'birth' | 'gender' | 'place';
export const FIELDS: readonly FieldName[] = ['id', 'name', 'birth', 'gender', 'place'];

/** How a workspace estimates m for a level (parameters.ts). */
export type MEstimate =
  /** measured on candidate pairs agreeing on a trusted ID (matches with near certainty) */
  | 'anchors'
  /** from how often each ID status occurs in the workspace */
  | 'idStatusShares'
  /** documented typing-error rates; not estimated */
  | 'documented'
  /** a neutral level: no evidence, m = u = 1 */
  | 'none';

/** How a workspace estimates u for a level (parameters.ts). */
export type UEstimate =
  /** level frequencies among 400,000 random record pairs, smoothed toward uPrior */
  | 'randomPairs'
  /** pairs at the level whose names are entirely different (random pairs almost never show the level) */
  | 'coincidences'
  /** an assumed rate of one ID shared by two different people per 100,000 records */
  | 'collisionRate'
  | 'none';

export interface ComparisonLevel {
  /** Stable name, stored in explanations and match runs. */
  readonly name: string;
  /** Short words shown beside the weight. */
  readonly label: string;
  /** What the level says about the pair, in a clerk's words. */
  readonly explanation: string;
  /** Missing or already implied by the ID: carries no evidence (weight 0). */
  readonly neutral: boolean;
  /** Share of one person's record pairs at this level, used when the workspace is too small to estimate it. */
  readonly defaultM: number;
  /** Typical share of unrelated record pairs at this level in a county: the prior random pairs are smoothed toward. */
  readonly uPrior: number;
  readonly mEstimate: MEstimate;
  readonly uEstimate: UEstimate;
}

export interface Comparison {
  readonly field: FieldName;
  readonly label: string;
  readonly levels: readonly ComparisonLevel[];
}

const level = <N extends string>(
  name: N,
  label: string,
  explanation: string,
  defaultM: number,
  uPrior: number,
  mEstimate: MEstimate,
  uEstimate: UEstimate,
): ComparisonLevel & { name: N } => ({
  name,
  label,
  explanation,
  neutral: false,
  defaultM,
  uPrior,
  mEstimate,
  uEstimate,
});
const neutral = <N extends string>(name: N, label: string, explanation: string): ComparisonLevel & { name: N } => ({
  name,
  label,
  explanation,
  neutral: true,
  defaultM: 1,
  uPrior: 1,
  mEstimate: 'none',
  uEstimate: 'none',
});

export const COMPARISONS = {
  id: {
    field: 'id',
    label: '身份证号',
    levels: [
      level('exact', '完全一致', '身份证号完全一致', 0.9, 1e-9, 'idStatusShares', 'collisionRate'),
      level(
        'oneEdit',
        '差一位或相邻两位颠倒',
        '身份证号只差一位或相邻两位颠倒，像是录入错误',
        0.02,
        1e-8,
        'idStatusShares',
        'coincidences',
      ),
      level(
        'prefix15',
        '前15位一致（另一方被Excel截断）',
        '身份证号前15位一致，另一方被Excel截断',
        0.01,
        1e-8,
        'idStatusShares',
        'coincidences',
      ),
      level(
        'cut000',
        '前15位一致，一方末三位为000（疑似被Excel截断）',
        '身份证号前15位一致，其中一个号码末三位为000、校验位碰巧正确：很可能是被Excel截断的同一个号码',
        0.001,
        1e-9,
        'idStatusShares',
        'coincidences',
      ),
      level(
        'birthSegment',
        '地区码和出生日期一致，顺序码不同',
        '身份证号的地区码和出生日期一致，顺序码不同：可能是双胞胎或同日出生的同乡',
        0.002,
        1e-5,
        'idStatusShares',
        'randomPairs',
      ),
      level(
        'region',
        '地区码一致（另一方被Excel损坏，只剩前几位）',
        '一方的身份证号被Excel损坏，只剩前几位（地区码），与另一方一致：只说明是同一地区的人',
        0.01,
        0.01,
        'idStatusShares',
        'randomPairs',
      ),
      level('different', '不同', '身份证号不同', 0.001, 0.99999, 'idStatusShares', 'randomPairs'),
      level(
        'regionDiffers',
        '残存的前几位不同',
        '一方的身份证号被Excel损坏，只剩前几位，而这几位与另一方的号码不同',
        1e-4,
        0.003,
        'idStatusShares',
        'randomPairs',
      ),
      // Neither number trusted (a wrong check digit, or cut by Excel) and they differ: two mistyped copies of one
      // number differ as often as two people's do, so this says little either way (issue 15: such pairs of one person
      // with the same name and birth date weighed about 6, under the link weight of 7, as 不同 does).
      level(
        'bothUntrusted',
        '两个号码都有误，互不一致',
        '两个身份证号都不可信（校验位不对，或被Excel截断、损坏），而且互不一致：像是两边都录错了，说明不了是不是同一人',
        5e-4,
        5e-4,
        'idStatusShares',
        'randomPairs',
      ),
      neutral(
        'missing',
        '一方缺失或无法使用',
        '一方没有可用的身份证号（缺失，或被Excel损坏、连地区码也看不出），不计分',
      ),
    ],
  },
  name: {
    field: 'name',
    label: '姓名',
    levels: [
      level('exact', '一致', '姓名一致（越少见的姓名越能说明是同一人）', 0.95, 2e-4, 'anchors', 'randomPairs'),
      level('pinyin', '同音（拼音一致）', '姓名读音相同，写法不同（如 晓/小）', 0.03, 1e-4, 'anchors', 'randomPairs'),
      level(
        'sound',
        '读音相近（方言易混）',
        '姓名读音相近：前后鼻音、平翘舌、n和l、f和h不分时听写成的字（如 欣/星、辉/飞）',
        0.01,
        3e-4,
        'anchors',
        'randomPairs',
      ),
      level('close', '相差一个字', '姓名相差一个字', 0.01, 5e-3, 'anchors', 'randomPairs'),
      level('different', '不同', '姓名不同', 0.01, 0.9947, 'anchors', 'randomPairs'),
      neutral('missing', '一方缺失', '一方没有姓名，不计分'),
    ],
  },
  birth: {
    field: 'birth',
    label: '出生日期',
    levels: [
      // Birth dates typed in a date column: mostly exact, month-only where the roll has 出生年月, rare typos.
      level('exact', '一致', '出生日期一致', 0.8, 3e-5, 'documented', 'randomPairs'),
      level('month', '年月一致', '出生年月一致（一方只有年月）', 0.15, 1e-3, 'documented', 'randomPairs'),
      level(
        'close',
        '差一位或日月颠倒',
        '出生日期差一位数字或日、月颠倒，像是录入错误',
        0.03,
        1e-3,
        'documented',
        'randomPairs',
      ),
      level('different', '不同', '出生日期不同', 0.02, 0.998, 'documented', 'randomPairs'),
      neutral('missing', '一方缺失', '一方没有出生日期，不计分'),
      neutral('implied', '已含在身份证号中', '出生日期已在身份证号中比较过，不重复计分'),
    ],
  },
  gender: {
    field: 'gender',
    label: '性别',
    levels: [
      level('same', '一致', '性别一致', 0.99, 0.5, 'documented', 'randomPairs'),
      level('different', '不同', '性别不同', 0.01, 0.5, 'documented', 'randomPairs'),
      neutral('missing', '一方缺失', '一方没有性别，不计分'),
      neutral('implied', '已含在身份证号中', '性别已在身份证号中比较过，不重复计分'),
    ],
  },
  place: {
    field: 'place',
    label: '村/乡镇',
    levels: [
      level('sameVillage', '同一村（社区）', '同一个村（社区）', 0.85, 0.03, 'anchors', 'randomPairs'),
      level('sameTownship', '同一乡镇，不同村', '同一乡镇，不同村（社区）', 0.05, 0.15, 'anchors', 'randomPairs'),
      level('different', '不同乡镇', '不在同一乡镇', 0.05, 0.82, 'anchors', 'randomPairs'),
      neutral('missing', '一方缺失', '一方没有乡镇，不计分'),
    ],
  },
} as const satisfies Record<FieldName, Comparison>;

export type LevelName<F extends FieldName> = (typeof COMPARISONS)[F]['levels'][number]['name'];

/** The level's position, as packed into comparison vectors and pattern keys. */
export function levelIndex<F extends FieldName>(field: F, name: LevelName<F>): number {
  const i = COMPARISONS[field].levels.findIndex((l) => l.name === name);
  if (i < 0) throw new Error(`no level ${name} in ${field}`);
  return i;
}

function indexes<F extends FieldName>(field: F): { [N in LevelName<F>]: number } {
  return Object.fromEntries(COMPARISONS[field].levels.map((l, i) => [l.name, i])) as { [N in LevelName<F>]: number };
}

/** Level positions by name: LEVEL_INDEX.id.exact, LEVEL_INDEX.place.sameVillage … (never a bare number). */
export const LEVEL_INDEX = {
  id: indexes('id'),
  name: indexes('name'),
  birth: indexes('birth'),
  gender: indexes('gender'),
  place: indexes('place'),
};

/** One pair's comparison vector: the position of its level in each field. */
export type Levels = { [F in FieldName]: number };

/**
 * A comparison vector packed into one number (one decimal digit per field, place in the ten-thousands): the hot
 * loops of a full match carry numbers, not objects, and the estimators count pairs per pattern.
 */
export function packLevels(id: number, name: number, birth: number, gender: number, place: number): number {
  return id * 1000 + name * 100 + birth * 10 + gender + place * 10000;
}

export const idOfKey = (key: number): number => Math.floor(key / 1000) % 10;
export const nameOfKey = (key: number): number => Math.floor(key / 100) % 10;
export const birthOfKey = (key: number): number => Math.floor(key / 10) % 10;
export const genderOfKey = (key: number): number => key % 10;
export const placeOfKey = (key: number): number => Math.floor(key / 10000);

export function unpackLevels(key: number): Levels {
  return {
    id: idOfKey(key),
    name: nameOfKey(key),
    birth: birthOfKey(key),
    gender: genderOfKey(key),
    place: placeOfKey(key),
  };
}

export function levelOf(field: FieldName, index: number): ComparisonLevel {
  return COMPARISONS[field].levels[index]!;
}

/** Whether a level carries no evidence by design. */
export function isNeutral(field: FieldName, index: number): boolean {
  return levelOf(field, index).neutral;
}

/** One number per level of each field, keyed by level name (m and u of a workspace). */
export type LevelValues = { [F in FieldName]: Record<string, number> };

export function levelValues(pick: (l: ComparisonLevel, f: FieldName) => number): LevelValues {
  const out = {} as LevelValues;
  for (const f of FIELDS) out[f] = Object.fromEntries(COMPARISONS[f].levels.map((l) => [l.name, pick(l, f)]));
  return out;
}
