/**
 * 核实情况: why a person on a township's 未参保 ledger is not enrolled, as village cadres write it back
 * (DOMAIN-RULES §2.1 (d), the product's canonical list), what each answer does to the participation base
 * (§2.2 R2.2–R2.3) and what evidence it must carry to count as verified (R2.1).
 */

export const VERIFICATION_CODES = [
  '01',
  '02',
  '03',
  '04',
  '05',
  '06',
  '07',
  '08',
  '09',
  '10',
  '11',
  '12',
  '13',
  '99',
] as const;
export type VerificationCode = (typeof VERIFICATION_CODES)[number];

/** The evidence an answer carries, one column each on the ledger. */
export type EvidenceField = 'place' | 'deathDate' | 'paidDate' | 'paidAmount' | 'note';

export const EVIDENCE_LABEL: Record<EvidenceField, string> = {
  place: '参保地（单位/学校）',
  deathDate: '死亡日期',
  paidDate: '缴费日期',
  paidAmount: '缴费金额',
  note: '备注',
};

/**
 * What an answer does to the 参保率:
 * - `insured`: insured in this county although no roll shows it yet (01);
 * - `elsewhere`: insured outside the county (02–04): in the numerator on the 户籍口径, out of the denominator on the
 *   本地口径;
 * - `removed`: out of 应参保 altogether (06–10; 09 and 13 by setting);
 * - `stays`: still due and not insured (05 until the next roll shows the payment, 11–13, 99).
 */
export type VerificationEffect = 'insured' | 'elsewhere' | 'removed' | 'stays';

export interface VerificationCategory {
  code: VerificationCode;
  /** Short, so the drop-down's list fits Excel's 255-character limit for a list validation. */
  label: string;
  /** Evidence that must be filled for the answer to count as verified: any one of them. */
  requires: EvidenceField[];
  effect: VerificationEffect;
}

export const VERIFICATION_CATEGORIES: readonly VerificationCategory[] = [
  { code: '01', label: '本县职工医保', requires: [], effect: 'insured' },
  { code: '02', label: '县外职工医保', requires: ['place'], effect: 'elsewhere' },
  { code: '03', label: '县外居民医保', requires: ['place'], effect: 'elsewhere' },
  { code: '04', label: '学籍地参保', requires: ['place'], effect: 'elsewhere' },
  { code: '05', label: '已缴费未同步', requires: ['paidDate', 'paidAmount'], effect: 'stays' },
  { code: '06', label: '死亡', requires: ['deathDate'], effect: 'removed' },
  { code: '07', label: '服兵役', requires: [], effect: 'removed' },
  { code: '08', label: '服刑', requires: [], effect: 'removed' },
  { code: '09', label: '出国（境）定居', requires: [], effect: 'removed' },
  { code: '10', label: '户籍迁出或注销', requires: [], effect: 'removed' },
  { code: '11', label: '外出务工未缴费', requires: [], effect: 'stays' },
  { code: '12', label: '拒绝参保', requires: [], effect: 'stays' },
  { code: '13', label: '失联', requires: [], effect: 'stays' },
  { code: '99', label: '其他', requires: ['note'], effect: 'stays' },
];

export const CATEGORY_BY_CODE = new Map(VERIFICATION_CATEGORIES.map((c) => [c.code, c]));

export function categoryLabel(code: string): string {
  return CATEGORY_BY_CODE.get(code as VerificationCode)?.label ?? code;
}

/** The two regional choices of §2.1 (d) and §6 Q12: whether 出国（境）定居 and 失联 leave the 应参保 base. */
export interface BaseSettings {
  removeAbroad: boolean;
  removeMissing: boolean;
}

export function effectOf(code: string, s: BaseSettings): VerificationEffect {
  if (code === '09') return s.removeAbroad ? 'removed' : 'stays';
  if (code === '13') return s.removeMissing ? 'removed' : 'stays';
  return CATEGORY_BY_CODE.get(code as VerificationCode)?.effect ?? 'stays';
}

/**
 * Words cadres type instead of picking from the list, tried in this order (DOMAIN-RULES §2.1 (a)–(c) and the raw
 * township answers of (b)). Working away is asked before "elsewhere" (外地务工 is 11, not insured), and "elsewhere"
 * before 职工 (在外地参加职工医保 is 02, not 01).
 */
const ELSEWHERE = /外地|县外|省外|外省|异地|外县|外市|外区|区外|市外/;
const INSURANCE = /参保|医保|职保|居保|缴费|交费/;
const RULES: readonly [VerificationCode, (s: string) => boolean][] = [
  ['06', (s) => /死亡|去世|病故|亡故|过世|已故|逝世|身故/.test(s)],
  ['07', (s) => /服兵役|参军|当兵|入伍|现役|服役|部队|军人/.test(s)],
  ['08', (s) => /服刑|坐牢|在押|监狱|羁押/.test(s)],
  ['09', (s) => /出国|出境|国外|境外/.test(s)],
  ['10', (s) => /迁出|迁走|注销|空挂|重复户籍|数据错误|查无此人|户口不在|销户|非本村/.test(s)],
  ['13', (s) => /失联|失踪|联系不上|无法联系|找不到|下落不明|走失/.test(s)],
  ['04', (s) => /学籍|在校|学生|学校|大学|读书|上学/.test(s)],
  ['11', (s) => /务工|打工|做工/.test(s) && !INSURANCE.test(s)],
  ['02', (s) => ELSEWHERE.test(s) && /职工|职保|单位/.test(s)],
  ['03', (s) => ELSEWHERE.test(s)],
  ['01', (s) => /职工|职保|单位参保|机关事业|退休/.test(s)],
  ['12', (s) => /拒绝|拒参|不愿|不参|放弃|不交|不缴|无意愿|不想/.test(s)],
  ['05', (s) => /已缴|已交|缴费|交费|已参保|本县参保|已录入/.test(s)],
  ['11', (s) => /外出|在外/.test(s)],
  ['99', (s) => /其他|其它/.test(s)],
];

const normal = (s: string) =>
  s
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s()（）【】\[\]、，,。.;；:：/\\-]/g, '');

const EXACT = new Map<string, VerificationCode>();
for (const c of VERIFICATION_CATEGORIES) EXACT.set(normal(c.label), c.code);

/**
 * The category a cadre's answer names, or null when it names none: the list's own label, a leading code ("06",
 * "06 死亡"), or the words of RULES ("已去世", "参军", "在外地参保", "外出打工").
 */
export function parseCategory(text: string): VerificationCode | null {
  const raw = normal(text);
  if (!raw) return null;
  const exact = EXACT.get(raw);
  if (exact) return exact;
  const code = raw.match(/^(\d{1,2})(?!\d)/);
  if (code) {
    const c = code[1]!.padStart(2, '0');
    if (CATEGORY_BY_CODE.has(c as VerificationCode)) return c as VerificationCode;
  }
  for (const [c, test] of RULES) if (test(raw)) return c;
  return null;
}

/** An answer's evidence, as read from the ledger's columns (dates ISO, amount in yuan). */
export type Evidence = Partial<Record<EvidenceField, string | number>>;

/** The evidence the category needs and the answer lacks (all of `requires` when none is given), or [] when enough. */
export function missingEvidence(code: VerificationCode, e: Evidence): EvidenceField[] {
  const need = CATEGORY_BY_CODE.get(code)?.requires ?? [];
  if (!need.length) return [];
  const has = (f: EvidenceField) => e[f] !== undefined && e[f] !== '' && e[f] !== null;
  return need.some(has) ? [] : need;
}
