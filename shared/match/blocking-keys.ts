/**
 * The blocking keys of the matcher, in the order they run, with the words a clerk reads in a match summary.
 * Shared so that the CLI, the app and the engine say the same thing about the same key.
 */
import { formatCount } from '../text/clerk-format';

export const BLOCKING_KEY_LABEL = {
  id: '身份证号相同',
  idTypo: '身份证号差一位',
  idTruncated: '被Excel截断的身份证号',
  idTyped: '相同的错误身份证号',
  nameBirth: '姓名＋出生日期',
  pinyinMonth: '姓名拼音＋出生年月',
  nameTownship: '姓名＋乡镇',
  regionBirthGender: '地区码＋出生日期＋性别',
  regionName: '残存地区码＋姓名',
  soundBirth: '姓名读音相近＋出生日期（身份证号缺失或有误）',
  soundVillage: '姓名读音相近＋同村（身份证号缺失或有误）',
} as const;

export type BlockingKey = keyof typeof BLOCKING_KEY_LABEL;
/** In the order the matcher runs them. */
export const BLOCKING_KEYS = Object.keys(BLOCKING_KEY_LABEL) as BlockingKey[];

/**
 * One sentence on what the caps left out: a value shared by more than 400 records (a region code with a common name,
 * a placeholder ID) says nothing about who someone is, so its block is not paired; other keys still compare them.
 */
export function cappedNote(capped: readonly { label: string; blocks: number; records: number }[]): string {
  const parts = capped.map((c) => `“${c.label}”${formatCount(c.blocks)} 组（${formatCount(c.records)} 条记录）`);
  return `以下分组过于常见，未逐对比较：${parts.join('，')}；这些记录仍按其他条件比对。`;
}
