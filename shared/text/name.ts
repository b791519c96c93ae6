import * as OpenCC from 'opencc-js/t2cn';
import { pinyin } from 'pinyin-pro';
import { toHalfWidth } from './width';

/**
 * The ways a middle dot in minority names gets typed: U+00B7, bullets, katakana middle dot,
 * full-width and ASCII full stops, hyphen-like dots. All become U+00B7 in the normalized form.
 */
const DOT_LIKE = /[·•‧∙・･⋅．.。]/g;
const SPACES = /[\s\u00a0\u3000]+/g;

const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

export interface NameKeys {
  /** Trimmed as typed: what the clerk sees. */
  display: string;
  /** Half-width, no spaces, one middle-dot form, simplified characters. */
  norm: string;
  /** norm without the middle dot: 买买提·艾力, 买买提.艾力 and 买买提艾力 share it. The key matching compares. */
  key: string;
  /** Toneless pinyin of key, syllables joined without separators (homophones 晓/小 agree). */
  pinyin: string;
  /** First letters of each syllable, for search by initials. */
  initials: string;
}

const cache = new Map<string, NameKeys>();
const CACHE_LIMIT = 200_000;

export function normalizeName(raw: unknown): string {
  if (raw === null || raw === undefined) return '';
  return toSimplified(toHalfWidth(String(raw)).replace(SPACES, '').replace(DOT_LIKE, '·')).replace(/^·+|·+$/g, '');
}

/** All matching keys of a name. Memoised: county rolls repeat the same names many times. */
export function nameKeys(raw: unknown): NameKeys {
  const display = raw === null || raw === undefined ? '' : String(raw).trim();
  const hit = cache.get(display);
  if (hit) return hit;
  const norm = normalizeName(display);
  const key = norm.replace(/·/g, '');
  let py = '';
  let initials = '';
  if (key) {
    const syllables = pinyin(key, { toneType: 'none', type: 'array', surname: 'head', v: true });
    py = syllables.join('').toLowerCase();
    initials = syllables
      .map((s) => s[0] ?? '')
      .join('')
      .toLowerCase();
  }
  const keys: NameKeys = { display, norm, key, pinyin: py, initials };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(display, keys);
  return keys;
}

/** True when the name looks like a person's name at all (used to tell data rows from footers and banners). */
export function looksLikePersonName(norm: string): boolean {
  return /^[\u3400-\u9fff\u{20000}-\u{2fa1f}·]{2,20}$/u.test(norm) || /^[A-Za-z][A-Za-z ·]{1,40}$/.test(norm);
}
