import { toHalfWidth } from '../text/width';
import * as OpenCC from 'opencc-js/t2cn';

const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

function clean(raw: unknown): string {
  if (raw === null || raw === undefined) return '';
  return toSimplified(
    toHalfWidth(String(raw))
      .replace(/[\s\u3000]+/g, '')
      .replace(/[()（）]/g, ''),
  );
}

/** Place names repeat on every row of a roll: remember their keys. */
const cache = new Map<string, string>();
function memo(key: string, compute: () => string): string {
  let v = cache.get(key);
  if (v === undefined) {
    if (cache.size > 50_000) cache.clear();
    v = compute();
    cache.set(key, v);
  }
  return v;
}

/** 城关镇人民政府 → 城关镇; 南街街道办事处 → 南街街道; a county prefix before the township is dropped. */
export function townshipKey(raw: unknown): string {
  return memo(`t|${String(raw ?? '')}`, () => computeTownshipKey(raw));
}

function computeTownshipKey(raw: unknown): string {
  let s = clean(raw);
  s = s.replace(/(人民政府|政府|办事处|便民服务中心)$/, '');
  const m = s.match(/^.{2,}?[县市区旗](.{2,}(镇|乡|街道))$/);
  if (m) s = m[1]!;
  return s;
}

/**
 * One village, one key: 南街社区 / 南街社区居委会 / 南街社区居民委员会 → 南街社区; 金星村 / 金星村委会 / 金星村民委员会 → 金星村.
 * A township prefix is dropped (城关镇南街社区 → 南街社区): the given township, or any 镇/乡/街道 prefix that leaves a name.
 */
export function villageKey(raw: unknown, township?: unknown): string {
  return memo(`v|${String(raw ?? '')}|${String(township ?? '')}`, () => computeVillageKey(raw, township));
}

function computeVillageKey(raw: unknown, township?: unknown): string {
  let s = clean(raw);
  s = s
    .replace(/(社区)?居民委员会$/, '社区')
    .replace(/(社区)?居委会$/, '社区')
    .replace(/(村)?村民委员会$/, '村')
    .replace(/村委会$/, '村');
  s = s.replace(/^(社区|村)$/, '');
  if (township !== undefined && township !== null) {
    const t = townshipKey(township);
    if (t && s.startsWith(t) && s.length > t.length + 1) s = s.slice(t.length);
  }
  const m = s.match(/^.{1,6}?(镇|乡|街道)(.{1,10}(村|社区))$/);
  if (m && m[2]!.length >= 3) s = m[2]!;
  return s;
}
