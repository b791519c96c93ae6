/**
 * The blocking keys of the matcher, in the order they run, with the words a clerk reads in a match summary.
 * Shared so that the CLI, the app and the engine say the same thing about the same key.
 */
export const BLOCKING_KEYS = [
  'id',
  'idTypo',
  'idTruncated',
  'idTyped',
  'nameBirth',
  'pinyinMonth',
  'nameTownship',
  'regionBirthGender',
  'regionName',
] as const;

export type BlockingKey = (typeof BLOCKING_KEYS)[number];

export const BLOCKING_KEY_LABEL: Record<BlockingKey, string> = {
  id: '身份证号相同',
  idTypo: '身份证号差一位',
  idTruncated: '被Excel截断的身份证号',
  idTyped: '相同的错误身份证号',
  nameBirth: '姓名＋出生日期',
  pinyinMonth: '姓名拼音＋出生年月',
  nameTownship: '姓名＋乡镇',
  regionBirthGender: '地区码＋出生日期＋性别',
  regionName: '残存地区码＋姓名',
};
