import { ROLL_KIND_LABEL, type RollKind } from '../domain/types';
import { toHalfWidth } from '../text/width';

/**
 * Which kind of roll a file looks like, from what a clerk would read on it: the title rows above the header, the
 * sheet names, the file name and the headers. Pure: the engine feeds it the top of the first sheet, the app shows
 * the suggestion, and the import refuses a chosen kind the evidence contradicts unless the clerk confirms.
 */

/** The two resident kinds are one family: a file says 城乡居民 far more often than 农村 or 城镇. */
export type KindFamily = 'population' | 'employee' | 'resident';

export function familyOf(kind: RollKind): KindFamily {
  return kind === 'population' || kind === 'employee' ? kind : 'resident';
}

export const FAMILY_LABEL: Record<KindFamily, string> = {
  population: ROLL_KIND_LABEL.population,
  employee: ROLL_KIND_LABEL.employee,
  resident: '城乡居民医保',
};

export type EvidenceSource = 'title' | 'sheet' | 'file' | 'header';

export interface KindEvidence {
  family: KindFamily;
  source: EvidenceSource;
  /** The words found, as they stand in the file. */
  text: string;
  weight: number;
}

export interface KindSuggestion {
  kind: RollKind;
  family: KindFamily;
  /** Points for the suggested family; ≥ 2 is enough to ask before importing as another kind. */
  score: number;
  /** The evidence for the suggested family, strongest first. */
  evidence: KindEvidence[];
}

export interface KindClues {
  fileName?: string;
  sheetNames?: readonly string[];
  /** Text of the rows above the header (one string per row). */
  titleLines?: readonly string[];
  header?: readonly string[];
}

/** Words in titles, sheet and file names. Order matters only within a family (the first hit is reported). */
const TITLE_WORDS: { family: KindFamily; re: RegExp }[] = [
  { family: 'employee', re: /职工基本医疗保险|城镇职工|职工医保|职工医疗保险|在职职工|退休职工|职工/ },
  {
    family: 'resident',
    re: /城乡居民基本医疗保险|城乡居民医保|城乡居民|居民基本医疗保险|居民医保|城镇居民|新型农村合作医疗|新农合/,
  },
  { family: 'population', re: /户籍人口底册|户籍人口|人口底册|户籍|底册|人口/ },
];

const SOURCE_WEIGHT: Record<EvidenceSource, number> = { title: 3, sheet: 2, file: 1, header: 0 };

/**
 * Headers that only one family's rolls carry. The platform's employee export uses data-element codes (AAC001
 * 个人编号, AAC003 姓名, AAB004 单位名称…); the unit columns and the contribution base are employment facts.
 */
const HEADER_WORDS: { family: KindFamily; re: RegExp; weight: number }[] = [
  {
    family: 'employee',
    re: /^(单位名称|参保单位|工作单位|所在单位|单位编号|单位代码|缴费基数|缴费工资|用人单位)$/,
    weight: 2,
  },
  { family: 'employee', re: /^AAB0\d\d$/i, weight: 2 },
  { family: 'resident', re: /^(资助类别|参保身份|缴费档次|个人缴费档次|医疗救助类别)$/, weight: 2 },
  { family: 'population', re: /^(户号|户籍地址|户别|户口性质|户籍地)$/, weight: 1 },
];
const DATA_ELEMENT_CODE = /^AA[A-Z]\d{3}$/i;

function clean(s: string): string {
  return toHalfWidth(s).replace(/\s+/g, '');
}

function scanWords(text: string, source: EvidenceSource, out: KindEvidence[]): void {
  const t = clean(text);
  if (!t) return;
  // 城镇职工 says employee; 城镇 alone must not make it resident: the employee word, once found, is cut out.
  let rest = t;
  for (const { family, re } of TITLE_WORDS) {
    const m = re.exec(rest);
    if (!m) continue;
    out.push({ family, source, text: m[0], weight: SOURCE_WEIGHT[source] });
    rest = rest.replace(m[0], '');
  }
}

function scanHeader(header: readonly string[], out: KindEvidence[]): void {
  const cells = header.map(clean).filter(Boolean);
  const codes = cells.filter((c) => DATA_ELEMENT_CODE.test(c));
  if (codes.length >= 3)
    out.push({ family: 'employee', source: 'header', text: codes.slice(0, 3).join('、'), weight: 2 });
  for (const { family, re, weight } of HEADER_WORDS) {
    const hit = cells.find(
      (c) => re.test(c) && !(DATA_ELEMENT_CODE.test(c) && codes.length >= 3 && family === 'employee'),
    );
    if (hit) out.push({ family, source: 'header', text: hit, weight });
  }
}

/** Every piece of evidence found, in the order title, sheet names, file name, header. */
export function collectEvidence(clues: KindClues): KindEvidence[] {
  const out: KindEvidence[] = [];
  for (const line of clues.titleLines ?? []) scanWords(line, 'title', out);
  for (const name of clues.sheetNames ?? []) scanWords(name, 'sheet', out);
  if (clues.fileName) scanWords(clues.fileName.replace(/\.[^.]+$/, ''), 'file', out);
  if (clues.header) scanHeader(clues.header, out);
  return out;
}

/** Each source counts once per family (ten sheets named 城乡居民 are one clue), capped so one source cannot win alone. */
function scores(evidence: readonly KindEvidence[]): Map<KindFamily, number> {
  const best = new Map<string, number>();
  for (const e of evidence) {
    const key = `${e.family}|${e.source}`;
    best.set(key, Math.max(best.get(key) ?? 0, e.weight));
  }
  const out = new Map<KindFamily, number>();
  for (const [key, w] of best) {
    const family = key.split('|')[0] as KindFamily;
    out.set(family, (out.get(family) ?? 0) + w);
  }
  return out;
}

/**
 * The kind the file most looks like, or null when nothing points anywhere or two families tie. Within the resident
 * family 城镇 (without 职工) says urban; otherwise rural, the common case.
 */
export function suggestRollKind(clues: KindClues): KindSuggestion | null {
  const evidence = collectEvidence(clues);
  const ranked = [...scores(evidence)].sort((a, b) => b[1] - a[1]);
  const top = ranked[0];
  if (!top || (ranked[1] && ranked[1][1] === top[1])) return null;
  const [family, score] = top;
  let kind: RollKind = family === 'resident' ? 'resident_rural' : family;
  if (family === 'resident') {
    const words = [...(clues.titleLines ?? []), ...(clues.sheetNames ?? []), clues.fileName ?? ''].map(clean).join('|');
    const withoutEmployee = words.replace(/城镇职工/g, '');
    if (/城镇居民|城镇/.test(withoutEmployee) && !/农村|新农合/.test(withoutEmployee)) kind = 'resident_urban';
  }
  const mine = evidence.filter((e) => e.family === family).sort((a, b) => b.weight - a.weight);
  return { kind, family, score, evidence: mine };
}

/** Whether importing as `chosen` goes against the file's own words strongly enough to ask the clerk first. */
export function contradicts(suggestion: KindSuggestion | null, chosen: RollKind): boolean {
  return !!suggestion && suggestion.score >= 2 && suggestion.family !== familyOf(chosen);
}

/** One piece of evidence as a clerk reads it: 标题行写着“职工基本医疗保险”. */
export function describeEvidence(e: KindEvidence): string {
  switch (e.source) {
    case 'title':
      return `标题行写着“${e.text}”`;
    case 'sheet':
      return `工作表名写着“${e.text}”`;
    case 'file':
      return `文件名写着“${e.text}”`;
    case 'header':
      return DATA_ELEMENT_CODE.test(e.text.split('、')[0] ?? '')
        ? `表头是医保信息平台职工参保导出的数据元代码（${e.text}）`
        : `表头有“${e.text}”列`;
  }
}

/** The refusal (engine, CLI) and the confirmation dialog (app) say the same sentence. */
export function kindMismatchMessage(fileName: string, chosen: RollKind, s: KindSuggestion): string {
  const why = s.evidence.slice(0, 3).map(describeEvidence).join('，');
  return (
    `文件“${fileName}”看起来是${FAMILY_LABEL[s.family]}名册（${why}），却选择了按${ROLL_KIND_LABEL[chosen]}导入。` +
    `请确认名册类型：选错类型，未参保和重复参保名单都会算错。确实是${ROLL_KIND_LABEL[chosen]}时，确认后再导入`
  );
}
