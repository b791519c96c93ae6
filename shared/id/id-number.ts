import type { Gender, IdStatus } from '../domain/types';
import { toHalfWidth } from '../text/width';
import { certKindOf, certKindOfNumber, PROVINCE_NAMES, type CertKind } from './regions';

/** ISO 7064 MOD 11-2 weights for the first 17 digits (GB 11643-1999). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** The check character for the first 17 digits of an 18-digit number. */
export function checkDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export function hasValidCheckDigit(id18: string): boolean {
  return id18.length === 18 && checkDigit(id18.slice(0, 17)) === id18[17];
}

/** 15-digit (1984–1999 cards) to 18: insert century 19 after the region, append the check digit. */
export function convert15to18(id15: string): string {
  const first17 = id15.slice(0, 6) + '19' + id15.slice(6, 15);
  return first17 + checkDigit(first17);
}

export interface IdCheckOptions {
  /** The day that counts as "today" for future-date and age checks (YYYY-MM-DD). Defaults to the real date. */
  asOf?: string;
  /** True when the value came from a numeric spreadsheet cell: such a cell cannot hold 18 digits intact. */
  fromNumericCell?: boolean;
}

export interface IdInfo {
  status: IdStatus;
  /** The normalized 18-character number when it can be trusted (valid or converted15), otherwise null. */
  idNumber: string | null;
  /** What the clerk typed after removing spaces, hyphens and full-width forms: kept for display and review. */
  cleaned: string;
  birthDate: string | null;
  gender: Gender | null;
  region: string | null;
  certKind: CertKind | null;
  /** A short Chinese explanation for non-valid statuses. */
  problem: string | null;
}

const SCIENTIFIC = /^\d(\.\d+)?E\+?\d+$/i;

/** Removes what people type around an ID: spaces, hyphens, apostrophes Excel users prefix, full-width forms, lower-case x. */
export function cleanIdInput(raw: unknown): string {
  if (raw === null || raw === undefined) return '';
  let s = typeof raw === 'number' ? numberToPlainString(raw) : String(raw);
  s = toHalfWidth(s)
    .replace(/[\s\-_'‘’`]/g, '')
    .toUpperCase();
  return s;
}

function numberToPlainString(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  // The shortest digits that round-trip (what Excel shows with 15 significant digits: …050000), not the binary
  // double's exact expansion (…049984), which would invent digits. Exponent form only past 1e21.
  return Number.isInteger(n) && Math.abs(n) >= 1e21 ? BigInt(n).toString() : String(n);
}

/** Why a YYYYMMDD birth date cannot be a living person's, or null when it can. */
export function birthDateProblem(yyyymmdd: string, asOf: string): string | null {
  if (!/^\d{8}$/.test(yyyymmdd)) return '出生日期不是8位数字';
  const y = +yyyymmdd.slice(0, 4),
    m = +yyyymmdd.slice(4, 6),
    d = +yyyymmdd.slice(6, 8);
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (m < 1 || m > 12 || d < 1 || dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d)
    return '出生日期不存在';
  const iso = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  if (iso > asOf) return '出生日期在未来';
  if (+asOf.slice(0, 4) - y > 120) return '出生日期早于120年前';
  return null;
}

/** Validates YYYYMMDD as a real calendar date, not in the future and at most 120 years before asOf. */
export function isPlausibleBirthDate(yyyymmdd: string, asOf: string): boolean {
  return birthDateProblem(yyyymmdd, asOf) === null;
}

function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

function info(status: IdStatus, cleaned: string, problem: string | null, idNumber: string | null = null): IdInfo {
  return { status, idNumber, cleaned, birthDate: null, gender: null, region: null, certKind: null, problem };
}

function describe18(id18: string, status: IdStatus, cleaned: string): IdInfo {
  const b = id18.slice(6, 14);
  return {
    status,
    idNumber: id18,
    cleaned,
    birthDate: `${b.slice(0, 4)}-${b.slice(4, 6)}-${b.slice(6, 8)}`,
    gender: (id18.charCodeAt(16) - 48) % 2 === 1 ? 'M' : 'F',
    region: id18.slice(0, 6),
    certKind: certKindOfNumber(id18),
    problem: status === 'converted15' ? '15位旧号码，已按规则升为18位' : null,
  };
}

/**
 * Classifies one ID cell. Exactly one status per value, and never a guessed repair:
 * a damaged or mistyped number keeps its status and no idNumber, so matching treats it as partial evidence only.
 */
export function parseIdNumber(raw: unknown, opts: IdCheckOptions = {}): IdInfo {
  const asOf = opts.asOf ?? todayIso();
  const cleaned = cleanIdInput(raw);
  if (cleaned === '' || /^(无|空|NULL|NONE|N\/A|\/|0+)$/.test(cleaned)) return info('missing', cleaned, '身份证号为空');

  if (SCIENTIFIC.test(cleaned)) return info('excelDamaged', cleaned, '身份证号被Excel转成科学计数法，后几位已丢失');
  const numericCell = opts.fromNumericCell === true || typeof raw === 'number';
  if (numericCell && /^\d+$/.test(cleaned) && cleaned.length >= 16) {
    return info('excelDamaged', cleaned, '身份证号存成了数字，Excel只保留15位有效数字，后几位已丢失');
  }

  if (/^\d{15}$/.test(cleaned)) {
    const kind = certKindOf(cleaned.slice(0, 2));
    if (!kind || kind !== 'resident') return info('malformed', cleaned, '15位号码的地区码不存在');
    const birth = birthDateProblem('19' + cleaned.slice(6, 12), asOf);
    if (birth) return info('malformed', cleaned, `15位号码中的${birth}`);
    return describe18(convert15to18(cleaned), 'converted15', cleaned);
  }

  if (/^\d{17}[\dX]$/.test(cleaned)) {
    const kind = certKindOfNumber(cleaned);
    if (!kind) return info('malformed', cleaned, '地区码（前两位）不存在');
    // Residence permits for Hong Kong, Macao and Taiwan residents carry exactly 810000, 820000 or 830000 as their
    // address code (国务院办公厅《港澳台居民居住证申领发放办法》, 2018); 81xxxx with other digits is no such permit.
    if ((kind === 'hkMacaoResidencePermit' || kind === 'taiwanResidencePermit') && cleaned.slice(2, 6) !== '0000')
      return info('malformed', cleaned, '港澳台居民居住证的前六位应为810000、820000或830000');
    // Foreign permanent residence cards (9 prefix) carry the birth date in the same place.
    const birth = birthDateProblem(cleaned.slice(6, 14), asOf);
    if (birth) return info('malformed', cleaned, `号码中的${birth}`);
    if (!hasValidCheckDigit(cleaned)) {
      if (cleaned.endsWith('000')) return info('excelDamaged', cleaned, '末三位为000且校验位不符，疑似被Excel截断');
      return info('badChecksum', cleaned, `校验位应为${checkDigit(cleaned.slice(0, 17))}，疑似录入错误`);
    }
    return describe18(cleaned, 'valid', cleaned);
  }

  if (/^[A-Z]{3}\d{12}$/.test(cleaned)) return parseOldForeignCard(cleaned, asOf);
  if (/^\d+$/.test(cleaned)) return info('malformed', cleaned, `位数不对（${cleaned.length}位）`);
  return info('malformed', cleaned, '含有非法字符');
}

/**
 * The ICAO Doc 9303 check digit (weights 7, 3, 1 repeating; digits as themselves, A–Z as 10–35; sum mod 10), which
 * the 2004-format foreign permanent residence card uses for its 15th character.
 */
export function icaoCheckDigit(s: string): string {
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    sum += (c >= 65 ? c - 55 : c - 48) * [7, 3, 1][i % 3]!;
  }
  return String(sum % 10);
}

/**
 * The 2004-format 外国人永久居留证 number (公安部, 2004; the format ten public validators check, e.g. credentialkit's
 * ForeignerPermanentResidenceIdNumberProcessor): 3 letters of nationality (ISO 3166-1 alpha-3), 4 digits of the
 * issuing place (the first four of its GB/T 2260 code), 6 digits of birth date (YYMMDD), 1 sequence digit, and an
 * ICAO 9303 check digit over the first 14 characters. The nationality is checked for shape only (three letters).
 */
function parseOldForeignCard(cleaned: string, asOf: string): IdInfo {
  if (!PROVINCE_NAMES[cleaned.slice(3, 5)] || cleaned.slice(3, 5) >= '80')
    return info('malformed', cleaned, '外国人永久居留证（旧版）第4–5位的签发省份代码不存在');
  const yymmdd = cleaned.slice(7, 13);
  const births = ['19', '20'].map((c) => c + yymmdd).filter((b) => birthDateProblem(b, asOf) === null);
  if (births.length === 0)
    return info('malformed', cleaned, '外国人永久居留证（旧版）第8–13位的出生日期不存在或超出范围');
  const expected = icaoCheckDigit(cleaned.slice(0, 14));
  if (cleaned[14] !== expected)
    return info('badChecksum', cleaned, `外国人永久居留证（旧版）校验位应为${expected}，疑似录入错误`);
  // The century is not in the number: a birth date is given only when one century alone is possible.
  const b = births.length === 1 ? births[0]! : null;
  return {
    ...info('valid', cleaned, null, cleaned),
    certKind: 'foreignPermanent',
    birthDate: b ? `${b.slice(0, 4)}-${b.slice(4, 6)}-${b.slice(6, 8)}` : null,
  };
}
