import { toHalfWidth } from '../text/width';

/** Every field the rolls carry that the engine understands. */
export const FIELDS = [
  'seq',
  'personNo',
  'name',
  'idNumber',
  'gender',
  'birthDate',
  'ethnicity',
  'township',
  'village',
  'group',
  'householdNo',
  'householdHead',
  'relation',
  'category',
  'phone',
  'unitName',
  'insuredStatus',
  'payStatus',
  'payAmount',
  'paidDate',
  'year',
  'address',
  'remark',
] as const;
export type Field = (typeof FIELDS)[number];

export const FIELD_LABEL: Record<Field, string> = {
  seq: '序号',
  personNo: '个人编号',
  name: '姓名',
  idNumber: '身份证号码',
  gender: '性别',
  birthDate: '出生日期',
  ethnicity: '民族',
  township: '乡镇（街道）',
  village: '村（社区）',
  group: '组',
  householdNo: '户号',
  householdHead: '户主姓名',
  relation: '与户主关系',
  category: '人员类别',
  phone: '联系电话',
  unitName: '单位名称',
  insuredStatus: '参保状态',
  payStatus: '缴费状态',
  payAmount: '缴费金额',
  paidDate: '缴费日期',
  year: '参保年度',
  address: '住址',
  remark: '备注',
};

/**
 * Header words by field: the Chinese headers seen on rolls, the pinyin initials of system exports,
 * and the data-element codes of the insurance systems (AAC001…, AAB004). Compared after headerKey().
 */
const SYNONYMS: Record<Field, string[]> = {
  seq: ['序号', '编号', '顺序号', 'xh', 'no'],
  personNo: ['个人编号', '人员编号', '参保人编号', '个人识别号', '社保编号', 'grbh', 'rybh', 'aac001'],
  name: [
    '姓名',
    '参保人姓名',
    '人员姓名',
    '参保人',
    '被保险人姓名',
    '成员姓名',
    '户籍人员姓名',
    '居民姓名',
    '职工姓名',
    'xm',
    'aac003',
  ],
  idNumber: [
    '公民身份号码',
    '身份证号',
    '身份证号码',
    '证件号码',
    '身份证件号码',
    '公民身份证号码',
    '身份证',
    '证件号',
    '社会保障号码',
    '社会保障号',
    '参保人身份证号',
    '身份号码',
    'sfzh',
    'sfzhm',
    'zjhm',
    'aac002',
  ],
  gender: ['性别', 'xb', 'aac004'],
  birthDate: ['出生日期', '出生年月', '出生年月日', '生日', 'csrq', 'csny', 'aac006'],
  ethnicity: ['民族', 'mz', 'aac005'],
  township: [
    '乡镇',
    '乡镇街道',
    '乡镇（街道）',
    '镇街',
    '街道',
    '所属乡镇',
    '乡镇名称',
    '乡（镇）',
    '镇（乡）',
    '乡镇街道名称',
    'xz',
    'xzjd',
    'aab301',
  ],
  village: [
    '村',
    '村社区',
    '村（社区）',
    '村居',
    '所属社区',
    '所属村',
    '村委会',
    '社区',
    '村名',
    '村（居）委会',
    '村居委会',
    '行政村',
    '村社区名称',
    '村（居）',
    '居委会',
    'cun',
    'csq',
    'sq',
  ],
  group: ['组', '村民小组', '组别', '小组', '社', '组（社）', 'zu'],
  householdNo: ['户号', '户编号', '家庭编号', '户籍编号', '户口号', 'hh', 'hbh'],
  householdHead: ['户主姓名', '户主', 'hzxm'],
  relation: ['与户主关系', '家庭关系', '与户主的关系', '关系', 'yhzgx', 'aac069'],
  category: [
    '人员类别',
    '参保身份',
    '资助类别',
    '人员身份',
    '特殊人群类别',
    '参保类别',
    '资助对象类别',
    '困难类别',
    '人员类型',
    'rylb',
    'cbsf',
    'zzlb',
  ],
  phone: ['联系电话', '电话', '手机号', '手机号码', '联系方式', 'lxdh', 'sjhm', 'aae005'],
  unitName: ['单位名称', '参保单位', '工作单位', '所在单位', 'dwmc', 'aab004'],
  insuredStatus: ['参保状态', '人员参保状态', '个人参保状态', 'cbzt', 'aac008'],
  payStatus: ['缴费状态', '个人缴费状态', 'jfzt', 'aac031'],
  payAmount: ['缴费金额', '个人缴费金额', '缴费总金额', '缴费额', '应缴金额', '实缴金额', 'jfje', 'jfzje', 'aae058'],
  // The day the premium was paid: R1.1's fixed wait turns on it (payment after the 集中参保期).
  paidDate: [
    '缴费日期',
    '缴费时间',
    '参保缴费日期',
    '到账日期',
    '缴费到账日期',
    '实缴日期',
    '缴费日',
    '交费日期',
    '交费时间',
    'jfrq',
    'jfsj',
  ],
  year: ['参保年度', '年度', '缴费年度', '参保年份', 'cbnd', 'aae001'],
  address: ['住址', '家庭住址', '户籍地址', '居住地址', '地址', 'zz', 'jtzz', 'aae006'],
  remark: ['备注', 'bz', 'aae013'],
};

/** Header text reduced to compare: half-width, no spaces/newlines/asterisks, no bracketed notes like （必填）, lower case. */
export function headerKey(raw: unknown): string {
  if (raw === null || raw === undefined) return '';
  let s = toHalfWidth(String(raw))
    .replace(/[\s*＊:：]/g, '')
    .toLowerCase();
  s = s.replace(/\((必填|选填|必录|18位|文本|文本格式|元|如有)\)/g, '');
  return s;
}

const LOOKUP = new Map<string, Field>();
for (const field of FIELDS) {
  for (const word of SYNONYMS[field]) {
    LOOKUP.set(headerKey(word), field);
    LOOKUP.set(headerKey(word).replace(/[()]/g, ''), field);
  }
}

/** The field a header cell names, or null. Exact synonyms first, then "…姓名"/"…身份证号" style endings. */
export function recognizeHeader(raw: unknown): Field | null {
  const k = headerKey(raw);
  if (!k) return null;
  const exact = LOOKUP.get(k) ?? LOOKUP.get(k.replace(/[()]/g, ''));
  if (exact) return exact;
  // AAC002身份证号 / 身份证号aac002 style: codes with a label.
  const code = k.match(/aa[bce]\d{3}/);
  if (code && LOOKUP.has(code[0])) return LOOKUP.get(code[0])!;
  if (k.length <= 12) {
    if (/身份证|证件号码|身份号码/.test(k)) return 'idNumber';
    if (k.endsWith('姓名') && !k.includes('户主') && !k.includes('经办') && !k.includes('联系人')) return 'name';
    if (/出生/.test(k)) return 'birthDate';
  }
  return null;
}

export type ColumnMapping = Partial<Record<Field, number>>;

/** Maps a header row to fields: the first column naming a field wins, so a later "备注" cannot displace it. */
export function mapHeaderRow(cells: readonly unknown[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  cells.forEach((cell, col) => {
    const field = recognizeHeader(cell);
    if (field && mapping[field] === undefined) mapping[field] = col;
  });
  return mapping;
}

/** How strongly a row looks like a header row: the number of distinct fields it names; 0 unless it names a person field. */
export function headerScore(cells: readonly unknown[]): number {
  const m = mapHeaderRow(cells);
  if (m.name === undefined && m.idNumber === undefined) return 0;
  return Object.keys(m).length;
}

/** A stable signature of a header row, to remember a clerk's mapping for files of the same layout. */
export function headerSignature(cells: readonly unknown[]): string {
  return cells.map(headerKey).join('|').replace(/\|+$/, '');
}

/** Spreadsheet column letters for a 0-based index: 0 → A, 27 → AB. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}
