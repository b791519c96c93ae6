import { checkDigit } from '../../../shared/id/id-number';
import { soundKey } from '../../../shared/text/name';
import type { MatchData } from './match-data';

import {
  birthOfKey,
  COMPARISONS,
  FIELDS,
  idOfKey,
  isNeutral,
  LEVEL_INDEX,
  nameOfKey,
  packLevels,
  placeOfKey,
  unpackLevels,
  type FieldName,
  type Levels,
} from './comparison-levels';

export { FIELDS, isNeutral, LEVEL_INDEX, type FieldName, type Levels };

/** Field and level words for screens and the CLI, derived from the level objects. */
export const FIELD_LABEL = Object.fromEntries(Object.values(COMPARISONS).map((c) => [c.field, c.label])) as Record<
  FieldName,
  string
>;
export const LEVEL_LABEL = Object.fromEntries(
  Object.values(COMPARISONS).map((c) => [c.field, Object.fromEntries(c.levels.map((l) => [l.name, l.label]))]),
) as Record<FieldName, Record<string, string>>;

const { id: ID, name: NAME, birth: BIRTH, gender: GENDER, place: PLACE } = LEVEL_INDEX;

/**
 * The significant digits an Excel-damaged number still holds. A number cell keeps 15 (the rest become zeros); a CSV
 * saved from Excel's General format keeps what the cell showed, `6.10921E+17`: six digits, the region code only.
 * Read back from .xlsx that same cell is the number 610921000000000000, so trailing zeros are not evidence.
 */
export function excelHeldDigits(typed: string): string {
  const sci = /^(\d)(?:\.(\d+))?E\+?(\d+)$/i.exec(typed);
  if (sci) return sci[3] === '17' ? (sci[1]! + (sci[2] ?? '')).slice(0, 15).replace(/0+$/, '') : '';
  if (/^\d{16,18}$/.test(typed)) return typed.slice(0, 15).replace(/0+$/, '');
  return '';
}

/**
 * Fewest held digits that still contain the whole birth date: a true 15-digit prefix ends with the birth day and the
 * first sequence digit, and a day is never 00, so its held digits are at least 13 long. Fewer means the cell lost
 * the birth date and says only "region 610921" — the same value for thousands of people, never a key by itself.
 */
export const MIN_HELD_DIGITS = 13;

/**
 * Digits of an untrusted number that can still be compared: 18 typed characters, 17 digits whose last character
 * was left off, or the 15 Excel kept.
 */
export function usableTyped(status: string, typed: string): string {
  if (status === 'badChecksum' || (status === 'malformed' && /^\d{17}[\dX]?$/.test(typed))) return typed;
  if (status === 'excelDamaged' && excelHeldDigits(typed).length >= MIN_HELD_DIGITS && /^\d{18}$/.test(typed))
    return typed.slice(0, 15);
  return '';
}

/** The region code (first six digits) an untrusted number still shows, for narrowing name keys; '' if none. */
export function heldRegion(status: string, typed: string): string {
  if (status === 'excelDamaged') {
    const held = excelHeldDigits(typed);
    return held.length >= 6 ? held.slice(0, 6) : '';
  }
  return /^\d{6}/.test(typed) ? typed.slice(0, 6) : '';
}

/**
 * Whether Excel could have turned this 18-digit number into these 15 digits and 000. Typed into a cell, Excel cuts
 * the digits past the fifteenth to zeros; computed or converted numbers are rounded to 15 significant digits.
 */
export function roundsTo(id18: string, first15: string): boolean {
  if (!/^\d{18}$/.test(id18)) return false;
  const head = id18.slice(0, 15);
  if (head === first15) return true;
  return +id18[15]! >= 5 && (BigInt(head) + 1n).toString().padStart(15, '0') === first15;
}

export function oneEditApart(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let first = -1,
    diffs = 0;
  for (let i = 0; i < a.length; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) {
      if (++diffs > 2) return false;
      if (first < 0) first = i;
    }
  }
  if (diffs === 1) return true;
  // Adjacent transposition.
  return diffs === 2 && a[first] === b[first + 1] && a[first + 1] === b[first];
}

/**
 * Whether one of two different valid numbers may be the other cut by Excel: it ends in 000 and Excel's cut or
 * rounding of the other gives its first 15 digits. One such cut in eleven passes the checksum by chance.
 */
export function possibleCut(x: string, y: string): boolean {
  return (x.endsWith('000') && roundsTo(y, x.slice(0, 15))) || (y.endsWith('000') && roundsTo(x, y.slice(0, 15)));
}

/**
 * The leading digits an Excel-damaged number that lost its birth date still holds: its region code at least
 * (`6.1092E+17` shows 610920, the zero Excel does not print included); '' when it holds less.
 */
export function heldPrefix(status: string, typed: string): string {
  if (status !== 'excelDamaged') return '';
  const held = excelHeldDigits(typed);
  return held.length >= 4 ? held.padEnd(6, '0') : '';
}

/** x.slice(0, k) === y.slice(0, k), without making the two slices (millions of pairs compare their first digits). */
function samePrefix(x: string, y: string, k: number): boolean {
  const len = Math.min(x.length, k);
  if (len !== Math.min(y.length, k)) return false;
  for (let i = 0; i < len; i++) if (x.charCodeAt(i) !== y.charCodeAt(i)) return false;
  return true;
}

export function compareId(d: MatchData, a: number, b: number): number {
  const ta = d.idNumber[a]!,
    tb = d.idNumber[b]!;
  if (ta && tb) {
    if (ta === tb) return ID.exact;
    if (possibleCut(ta, tb)) return ID.cut000;
    return samePrefix(ta, tb, 14) ? ID.birthSegment : ID.different;
  }
  const ua = ta || usableTyped(d.idStatus[a]!, d.idRaw[a]!);
  const ub = tb || usableTyped(d.idStatus[b]!, d.idRaw[b]!);
  if (!ua || !ub) {
    // Compared on the digits the damaged side still holds, never called different for the digits it lost.
    const ha = ua || heldPrefix(d.idStatus[a]!, d.idRaw[a]!);
    const hb = ub || heldPrefix(d.idStatus[b]!, d.idRaw[b]!);
    if (!ha || !hb) return ID.missing;
    const k = Math.min(ha.length, hb.length);
    if (ha.slice(0, k) === hb.slice(0, k)) return ID.region;
    // Held digits against a number typed with a mistake (17 or 18 characters that do not check): the typo may be in
    // those digits as well as anywhere, so neither number is trusted and they differ. Against a trusted number, or
    // digits Excel left of another number (15 of them, or a region), what is left is the region as typed: it differs.
    return (ua || ub).length >= 17 && !ta && !tb ? ID.bothUntrusted : ID.regionDiffers;
  }
  if (ua.length === 18 && ub.length === 18) {
    if (ua === ub) return ID.exact;
    if (oneEditApart(ua, ub)) return ID.oneEdit;
    // A valid 000 tail against a mistyped number whose first 15 digits it keeps: the tail says nothing.
    if (possibleCut(ua, ub)) return ID.cut000;
  } else if (Math.min(ua.length, ub.length) === 17) {
    // A number typed without its last character: one character off the other's first 17.
    if (ua.slice(0, 17) === ub.slice(0, 17)) return ID.oneEdit;
  } else if (ua.length === 18 || ub.length === 18) {
    const [full, short] = ua.length === 18 ? [ua, ub] : [ub, ua];
    if (roundsTo(full, short)) return ID.prefix15;
  } else if (ua === ub) return ID.prefix15;
  if (samePrefix(ua, ub, 14)) return ID.birthSegment;
  // One trusted number against another the typist got wrong beyond one edit: different. Neither trusted: both wrong.
  return ta || tb ? ID.different : ID.bothUntrusted;
}

/** Edit distance at most one (substitution, insertion or deletion of one character). */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length,
    lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) return a.slice(i + 1) === b.slice(i + 1);
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

const soundKeys = new Map<string, string>();
/** soundKey memoised: a county repeats the same names many times (158,723 distinct among 1,943,485 records). */
export function soundOf(pinyin: string): string {
  let k = soundKeys.get(pinyin);
  if (k === undefined) {
    if (soundKeys.size >= 200_000) soundKeys.clear();
    k = soundKey(pinyin);
    soundKeys.set(pinyin, k);
  }
  return k;
}

/**
 * Every record's sound key ('' without pinyin), looked up once per record: a full match's compare loop and
 * estimateU's random pairs then compare two array entries instead of looking up two names per pair.
 */
export function soundKeysOf(d: MatchData): string[] {
  const out = new Array<string>(d.n);
  for (let i = 0; i < d.n; i++) out[i] = d.namePinyin[i] ? soundOf(d.namePinyin[i]!) : '';
  return out;
}

/** `sounds`: soundKeysOf(d), where the caller compares many pairs of d. */
export function compareName(d: MatchData, a: number, b: number, sounds?: readonly string[]): number {
  const ka = d.nameKey[a]!,
    kb = d.nameKey[b]!;
  if (!ka || !kb) return NAME.missing;
  if (ka === kb) return NAME.exact;
  const pa = d.namePinyin[a]!,
    pb = d.namePinyin[b]!;
  if (pa && pa === pb) return NAME.pinyin;
  if (pa && pb && (sounds ? sounds[a] === sounds[b] : soundOf(pa) === soundOf(pb))) return NAME.sound;
  if (Math.min(ka.length, kb.length) >= 2 && withinOneEdit(ka, kb)) return NAME.close;
  return NAME.different;
}

const DATE_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9];

/** YYYY-MM-DD shaped: dashes at 4 and 7 and nowhere else (what replacing the dashes would leave as 8 characters). */
function isIsoDate(x: string): boolean {
  if (x.length !== 10 || x.charCodeAt(4) !== 45 || x.charCodeAt(7) !== 45) return false;
  for (const i of DATE_DIGITS) if (x.charCodeAt(i) === 45) return false;
  return true;
}

/** For two different YYYY-MM-DD dates: one digit apart, or day and month swapped (what compareBirth calls close). */
function closeIsoDates(x: string, y: string): boolean {
  let diffs = 0;
  for (const i of DATE_DIGITS) if (x.charCodeAt(i) !== y.charCodeAt(i)) diffs++;
  if (diffs === 1) return true;
  return (
    samePrefix(x, y, 4) &&
    x.charCodeAt(5) === y.charCodeAt(8) &&
    x.charCodeAt(6) === y.charCodeAt(9) &&
    x.charCodeAt(8) === y.charCodeAt(5) &&
    x.charCodeAt(9) === y.charCodeAt(6)
  );
}

export function compareBirth(x: string, y: string): number {
  if (!x || !y) return BIRTH.missing;
  if (x.length === 7 || y.length === 7) return x.slice(0, 7) === y.slice(0, 7) ? BIRTH.month : BIRTH.different;
  if (x === y) return BIRTH.exact;
  if (isIsoDate(x) && isIsoDate(y)) return closeIsoDates(x, y) ? BIRTH.close : BIRTH.different;
  const dx = x.replace(/-/g, ''),
    dy = y.replace(/-/g, '');
  let diffs = 0;
  for (let i = 0; i < 8; i++) if (dx[i] !== dy[i]) diffs++;
  if (diffs === 1) return BIRTH.close;
  // Day and month swapped (1990-03-04 / 1990-04-03).
  if (dx.slice(0, 4) === dy.slice(0, 4) && dx.slice(4, 6) === dy.slice(6, 8) && dx.slice(6, 8) === dy.slice(4, 6))
    return BIRTH.close;
  return BIRTH.different;
}

export function comparePlace(d: MatchData, a: number, b: number): number {
  const ta = d.townshipKey[a]!,
    tb = d.townshipKey[b]!;
  const va = d.villageKey[a]!,
    vb = d.villageKey[b]!;
  if (va && vb && va === vb && (!ta || !tb || ta === tb)) return PLACE.sameVillage;
  if (!ta || !tb) return PLACE.missing;
  return ta === tb ? PLACE.sameTownship : PLACE.different;
}

/** The comparison vector of one pair. Birth date and gender are implied when the ID numbers agree. */
export function compare(d: MatchData, a: number, b: number): Levels {
  return unpackLevels(compareKey(d, a, b));
}

/** compare, packed into one number (packLevels): no object per pair in a full match's loops. */
export function compareKey(d: MatchData, a: number, b: number, sounds?: readonly string[]): number {
  const id = compareId(d, a, b);
  const idCoversBirth =
    id === ID.exact || id === ID.oneEdit || id === ID.prefix15 || id === ID.cut000 || id === ID.birthSegment;
  const ga = d.gender[a]!,
    gb = d.gender[b]!;
  const gender =
    id === ID.exact || id === ID.oneEdit || id === ID.prefix15 || id === ID.cut000
      ? GENDER.implied
      : !ga || !gb
        ? GENDER.missing
        : ga === gb
          ? GENDER.same
          : GENDER.different;
  return packLevels(
    id,
    compareName(d, a, b, sounds),
    idCoversBirth ? BIRTH.implied : compareBirth(d.birthDate[a]!, d.birthDate[b]!),
    gender,
    comparePlace(d, a, b),
  );
}

const twinsOf = new WeakMap<MatchData, Map<string, string[]>>();
/**
 * Households that hold two people born the same day under different names (twins), among the households where
 * someone has no usable number (the only ones a name alone can link): household|birth date → the trusted numbers
 * of those twins. Computed once per MatchData.
 */
function householdTwins(d: MatchData): Map<string, string[]> {
  const known = twinsOf.get(d);
  if (known) return known;
  const wanted = new Set<string>();
  for (let i = 0; i < d.n; i++) if (d.householdKey[i] && !d.idNumber[i]) wanted.add(d.householdKey[i]!);
  const groups = new Map<string, number[]>();
  for (let i = 0; i < d.n && wanted.size > 0; i++) {
    const h = d.householdKey[i]!;
    if (!h || !d.birthDate[i] || !wanted.has(h)) continue;
    const k = `${h}|${d.birthDate[i]}`;
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  }
  const twins = new Map<string, string[]>();
  for (const [k, g] of groups)
    if (g.length > 1 && g.some((i) => d.nameKey[i] !== d.nameKey[g[0]!]))
      twins.set(k, g.map((i) => d.idNumber[i]!).filter(Boolean));
  twinsOf.set(d, twins);
  return twins;
}

/**
 * Whether record x is a twin registered without a trusted number and y may be the other twin: y has no trusted
 * number, or the very number one of x's twins carries. A mistyped or Excel-cut number counts as none: twins' numbers
 * share their first 14 digits, often 15, so a boy's mistyped number and his sister's cut one agree as 前15位一致.
 */
export function twinAtRisk(d: MatchData, x: number, y: number): boolean {
  if (!d.householdKey[x] || d.idNumber[x]) return false;
  const ids = householdTwins(d).get(`${d.householdKey[x]}|${d.birthDate[x]}`);
  return ids !== undefined && (!d.idNumber[y] || ids.includes(d.idNumber[y]!));
}

/**
 * Twins and siblings look alike on everything but the given name and the sequence digits: same birth date, same
 * household or village. Such a pair never links automatically, whatever its weight.
 */
export function siblingRisk(d: MatchData, a: number, b: number, l: Levels): boolean {
  return siblingRiskOf(d, a, b, l.id, l.name, l.birth, l.place);
}

/** siblingRisk of a packed comparison vector (packLevels). */
export function siblingRiskOfKey(d: MatchData, a: number, b: number, key: number): boolean {
  return siblingRiskOf(d, a, b, idOfKey(key), nameOfKey(key), birthOfKey(key), placeOfKey(key));
}

function siblingRiskOf(d: MatchData, a: number, b: number, id: number, name: number, birth: number, place: number) {
  // Twins' names often sound alike (张鑫 / 张兴): where one of them was registered without a trusted number, a name
  // that sounds the same is no proof against a twin, so in a household with twins it counts as a different name.
  const soundsAlike = name === NAME.sound || name === NAME.pinyin;
  const namesDiffer =
    name === NAME.close || name === NAME.different || (soundsAlike && (twinAtRisk(d, a, b) || twinAtRisk(d, b, a)));
  if (!namesDiffer) return false;
  // An identical trusted ID is one person whatever the names say; a near ID may be a twin's number mistyped.
  const sameBirth =
    id === ID.birthSegment ||
    id === ID.oneEdit ||
    id === ID.prefix15 ||
    id === ID.cut000 ||
    birth === BIRTH.exact ||
    birth === BIRTH.month;
  const together = place === PLACE.sameVillage || (d.householdKey[a] !== '' && d.householdKey[a] === d.householdKey[b]);
  return sameBirth && together;
}

/** All valid 18-digit numbers one substitution or adjacent transposition away from a typed one. */
export function idNeighbours(typed: string): string[] {
  if (typed.length !== 18) return [];
  const out: string[] = [];
  const first17 = typed.slice(0, 17);
  out.push(first17 + checkDigit(first17)); // the check digit itself mistyped
  for (let p = 0; p < 17; p++) {
    for (let dgt = 0; dgt <= 9; dgt++) {
      if (typed.charCodeAt(p) - 48 === dgt) continue;
      const f = first17.slice(0, p) + dgt + first17.slice(p + 1);
      if (checkDigit(f) === typed[17]) out.push(f + typed[17]);
    }
  }
  for (let p = 0; p < 17; p++) {
    if (typed[p] === typed[p + 1]) continue;
    const s = typed.slice(0, p) + typed[p + 1] + typed[p] + typed.slice(p + 2);
    if (/^\d{17}[\dX]$/.test(s) && checkDigit(s.slice(0, 17)) === s[17]) out.push(s);
  }
  return out;
}

/**
 * The valid numbers an Excel-damaged one may have been: cut (D·1000 ≤ T < D·1000 + 1000) or rounded
 * (D·1000 − 500 ≤ T < D·1000 + 500); 150 first-17 prefixes cover both.
 */
export function truncatedCandidates(first15: string): string[] {
  const out: string[] = [];
  const low = BigInt(first15) * 100n - 50n; // first 17 digits of D·1000 − 500
  for (let k = 0n; k < 150n; k++) {
    const f = (low + k).toString().padStart(17, '0');
    const c = checkDigit(f);
    if (c !== 'X' && roundsTo(f + c, first15)) out.push(f + c);
  }
  return out;
}
