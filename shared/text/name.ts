import * as OpenCC from 'opencc-js/t2cn';
import { pinyin } from 'pinyin-pro';
import { toHalfWidth } from './width';

/**
 * Every way a middle dot in minority names gets typed, and the hyphens used in its place: U+00B7, U+0387 (Greek
 * ano teleia, which NFC makes of U+00B7), bullets, katakana and half-width middle dots, ㆍ (Hangul araea, next to
 * · on Korean IMEs), full-width, half-width and ASCII full stops (｡ 。 ． .), word-separator and sinological dots,
 * and hyphens and dashes. All become U+00B7 in the normalized form.
 */
const DOT_LIKE = /[·\u0387•‧∙・･⋅ㆍ⸱ꞏ．.。｡\u2024\u00b7\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g;
const SPACES = /[\s\u00a0\u3000]+/g;
/** Invisible characters pasted in from web pages and Word: zero-width space/joiners, word joiner, BOM, soft hyphen. */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad\u180e]/g;

const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

/**
 * Surnames that OpenCC's t2cn merges with another surname: 於 (Yū) is not 于, 乾 (Qián) is not 干, 麴 is not 曲,
 * 鬱 is not 郁, 雲 is not 云, 範 is not 范 — each a surname of its own in the household registry, which keeps the
 * character as registered. Simplifying them in the first position would make two families one name.
 */
const DISTINCT_SURNAMES = new Set(['於', '乾', '麴', '鬱', '雲', '範']);

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

/**
 * Traditional → simplified, character by character, so that no character changes plane or merges surnames:
 * OpenCC turns some BMP characters into supplementary ones (桱 → 𣐕), which the pinyin library cannot read.
 */
function simplify(s: string): string {
  // A few of OpenCC's mappings chain (薴 → 苧 → 苎): apply until nothing changes, so a key is its own key.
  for (let i = 0; i < 3; i++) {
    const next = simplifyOnce(s);
    if (next === s) break;
    s = next;
  }
  return s;
}

function simplifyOnce(s: string): string {
  const whole = toSimplified(s);
  if (whole === s) return s;
  const from = [...s];
  const to = [...whole];
  if (to.length !== from.length) return from.map((c) => simplifyChar(c)).join('');
  return from.map((c, i) => ((i === 0 && DISTINCT_SURNAMES.has(c)) || !sameWidth(c, to[i]!) ? c : to[i]!)).join('');
}

function simplifyChar(c: string): string {
  const t = toSimplified(c);
  return [...t].length === 1 && sameWidth(c, t) ? t : c;
}

const sameWidth = (a: string, b: string) => a.length === b.length;

export function normalizeName(raw: unknown): string {
  if (raw === null || raw === undefined) return '';
  // NFC turns compatibility ideographs with a canonical equivalent (U+F900 豈 → 豈) into the unified character,
  // and leaves the twelve unified ones in that block (﨑 U+FA11) as they are.
  const flat = toHalfWidth(String(raw).normalize('NFC'))
    .replace(INVISIBLE, '')
    .replace(SPACES, '')
    .replace(DOT_LIKE, '·')
    .replace(/·{2,}/g, '·')
    .replace(/^·+|·+$/g, '');
  const first = flat.slice(0, flat.codePointAt(0)! > 0xffff ? 2 : 1);
  return flat && DISTINCT_SURNAMES.has(first) ? first + simplify(flat.slice(first.length)) : simplify(flat);
}

export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A syllable's first letter; a character the pinyin library cannot read is kept whole, never half a pair. */
function initialOf(syllable: string): string {
  const cp = syllable.codePointAt(0);
  return cp === undefined ? '' : String.fromCodePoint(cp);
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
    initials = syllables.map(initialOf).join('').toLowerCase();
    // Whatever the library returns, a key is never stored with a lone surrogate (SQLite would store invalid UTF-8).
    py = py.replace(LONE_SURROGATE, '');
    initials = initials.replace(LONE_SURROGATE, '');
  }
  const keys: NameKeys = { display, norm, key, pinyin: py, initials };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(display, keys);
  return keys;
}

/**
 * The pinyin as it is heard and typed across much of the south and west, where front and back nasals (in/ing,
 * en/eng, an/ang), flat and retroflex initials (z/zh, c/ch, s/sh), n/l and hu-/f- (hui/fei, hu/fu, hong/feng) are
 * not told apart: 张欣 (zhangxin) and 张星 (zhangxing) share it. Works on the stored toneless pinyin, whose only h is
 * an initial once zh, ch and sh are folded. Names that merely sound alike share it, so it is weaker evidence than
 * exact pinyin.
 */
export function soundKey(pinyin: string): string {
  return (
    pinyin
      .replace(/([zcs])h/g, '$1')
      // A final -ng, not the n of one syllable before the g of the next (fan|gui): that g is followed by a vowel.
      .replace(/ng(?![aeiouv])/g, 'n')
      .replace(/l/g, 'n')
      .replace(/hua/g, 'fa')
      .replace(/hui/g, 'fei')
      .replace(/h[ou]n/g, 'fen')
      .replace(/huo/g, 'fo')
      .replace(/hu/g, 'fu')
  );
}

/**
 * True when the name looks like a person's name at all (used to tell data rows from footers and banners):
 * ideographs of every block — Unified and Extension A, 〇 (U+3007, in names such as 李〇), the compatibility
 * block (﨑), Extensions B–F and the compatibility supplement, Extensions G–H — or Latin letters.
 */
export function looksLikePersonName(norm: string): boolean {
  return (
    /^[\u3007\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{2fa1f}\u{30000}-\u{323af}·]{2,20}$/u.test(norm) ||
    /^[A-Za-z][A-Za-z ·]{1,40}$/.test(norm)
  );
}
