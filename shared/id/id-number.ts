import type { Gender, IdStatus } from '../domain/types';
import { toHalfWidth } from '../text/width';
import { certKindOf, certKindOfNumber, type CertKind } from './regions';

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

/** Validates YYYYMMDD as a real calendar date, not in the future and at most 120 years before asOf. */
export function isPlausibleBirthDate(yyyymmdd: string, asOf: string): boolean {
  if (!/^\d{8}$/.test(yyyymmdd)) return false;
  const y = +yyyymmdd.slice(0, 4),
    m = +yyyymmdd.slice(4, 6),
    d = +yyyymmdd.slice(6, 8);
  if (m < 1 || m > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return false;
  const iso = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  if (iso > asOf) return false;
  const asOfYear = +asOf.slice(0, 4);
  return asOfYear - y <= 120;
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
    if (!isPlausibleBirthDate('19' + cleaned.slice(6, 12), asOf))
      return info('malformed', cleaned, '15位号码中的出生日期不存在');
    return describe18(convert15to18(cleaned), 'converted15', cleaned);
  }

  if (/^\d{17}[\dX]$/.test(cleaned)) {
    if (!certKindOfNumber(cleaned)) return info('malformed', cleaned, '地区码（前两位）不存在');
    // Foreign permanent residence cards (9 prefix) carry the birth date in the same place.
    if (!isPlausibleBirthDate(cleaned.slice(6, 14), asOf))
      return info('malformed', cleaned, '号码中的出生日期不存在或在未来');
    if (!hasValidCheckDigit(cleaned)) {
      if (cleaned.endsWith('000')) return info('excelDamaged', cleaned, '末三位为000且校验位不符，疑似被Excel截断');
      return info('badChecksum', cleaned, `校验位应为${checkDigit(cleaned.slice(0, 17))}，疑似录入错误`);
    }
    return describe18(cleaned, 'valid', cleaned);
  }

  // Old-style foreign permanent residence card: three letters and twelve digits.
  if (/^[A-Z]{3}\d{12}$/.test(cleaned)) {
    return { ...info('valid', cleaned, null, cleaned), certKind: 'foreignPermanent' };
  }
  if (/^\d+$/.test(cleaned)) return info('malformed', cleaned, `位数不对（${cleaned.length}位）`);
  return info('malformed', cleaned, '含有非法字符');
}
