import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LONE_SURROGATE, looksLikePersonName, nameKeys } from '../../shared/text/name';
import { PROPERTY_SEED } from '../helpers/seed';

/** CJK Unified Ideographs and Extensions A–G (Unicode 15.1 block ranges, assigned code points). */
const CJK_BLOCKS: [string, number, number][] = [
  ['Unified', 0x4e00, 0x9fff],
  ['A', 0x3400, 0x4dbf],
  ['B', 0x20000, 0x2a6df],
  ['C', 0x2a700, 0x2b739],
  ['D', 0x2b740, 0x2b81d],
  ['E', 0x2b820, 0x2cea1],
  ['F', 0x2ceb0, 0x2ebe0],
  ['G', 0x30000, 0x3134a],
];
const wellFormed = (s: string) => s.replace(LONE_SURROGATE, '') === s;

describe(`姓名键完整：不留半个代理对，不合并不同的姓 (fast-check seed ${PROPERTY_SEED})`, () => {
  it('keeps a character outside the BMP whole in every key (王𠈌)', () => {
    const k = nameKeys('王𠈌');
    expect(k.key).toBe('王𠈌');
    expect([k.key, k.pinyin, k.initials].every(wellFormed)).toBe(true);
    expect(k.initials).toBe('w𠈌');
    // OpenCC would turn 桱 into 𣐕 (a supplementary character): the key keeps what was typed.
    expect(nameKeys('王桱').key).toBe('王桱');
  });

  it('never merges distinct surnames in simplification, while simplifying the rest of the name', () => {
    for (const [a, b] of [
      ['於丹', '于丹'],
      ['乾隆', '干隆'],
      ['麴義', '曲义'],
    ])
      expect(nameKeys(a).key).not.toBe(nameKeys(b).key);
    expect(nameKeys('麴義').key).toBe('麴义');
    expect(nameKeys('張偉').key).toBe('张伟');
  });

  it('unifies every dot form, hyphens and invisible separators', () => {
    // The separator between the two parts of the name, each as some system typed it.
    const separators = ['\u0387', 'ㆍ', '｡', '。', '-', '－', '—', '\u2027', '\u200b', '\ufeff·', '\u00ad', '\u2060'];
    const forms = separators.map((sep) => `买买提${sep}艾力`);
    for (const f of forms) expect(nameKeys(f).key, f).toBe('买买提艾力');
    expect(nameKeys('买买提ㆍ艾力').norm).toBe('买买提·艾力');
  });

  it('accepts 〇 and compatibility ideographs as name characters', () => {
    for (const n of ['李〇', '﨑山', '王\uf900', '王𠈌']) expect(looksLikePersonName(nameKeys(n).norm), n).toBe(true);
    expect(nameKeys('王\uf900').key).toBe('王岂'); // U+F900 is canonically 豈 (U+8C48), simplified 岂
  });

  it('gives every CJK Unified Ideograph and Extension A–G a well-formed, stable key that round-trips through SQLite', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE k (name TEXT, key TEXT, pinyin TEXT, initials TEXT)');
    const insert = db.prepare('INSERT INTO k VALUES (?,?,?,?)');
    const bad: string[] = [];
    let count = 0;
    db.transaction(() => {
      for (const [block, from, to] of CJK_BLOCKS)
        for (let cp = from; cp <= to; cp++) {
          const name = '王' + String.fromCodePoint(cp);
          const k = nameKeys(name);
          count++;
          if (![k.key, k.pinyin, k.initials].every(wellFormed))
            bad.push(`${block} U+${cp.toString(16)} not well-formed`);
          else if (nameKeys(k.key).key !== k.key) bad.push(`${block} U+${cp.toString(16)} unstable`);
          else if ([...k.key].length !== 2) bad.push(`${block} U+${cp.toString(16)} changed length`);
          insert.run(name, k.key, k.pinyin, k.initials);
        }
    })();
    const back = db.prepare('SELECT name, key, pinyin, initials FROM k').all() as Record<string, string>[];
    for (const r of back) {
      const k = nameKeys(r.name);
      if (r.key !== k.key || r.pinyin !== k.pinyin || r.initials !== k.initials)
        bad.push(`${r.name} changed in SQLite`);
    }
    db.close();
    expect(count).toBeGreaterThan(90_000);
    expect(bad.slice(0, 20)).toEqual([]);
  }, 120_000);

  it('property: any name of ideographs, dots, spaces and invisibles has a well-formed, stable key', () => {
    const ideograph = fc
      .constantFrom(...CJK_BLOCKS)
      .chain(([, from, to]) => fc.integer({ min: from, max: to }))
      .map((cp) => String.fromCodePoint(cp));
    const noise = fc.constantFrom('·', '.', 'ㆍ', '\u0387', '-', ' ', '\u3000', '\u200b', '\ufeff');
    const db = new Database(':memory:');
    const roundTrip = db.prepare('SELECT ? AS v');
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 4, arbitrary: ideograph }, { weight: 1, arbitrary: noise }), {
          minLength: 1,
          maxLength: 8,
        }),
        (parts) => {
          const k = nameKeys(parts.join(''));
          expect([k.norm, k.key, k.pinyin, k.initials].every(wellFormed)).toBe(true);
          expect(nameKeys(k.norm).key).toBe(k.key);
          expect(nameKeys(k.key).key).toBe(k.key);
          expect((roundTrip.get(k.key) as { v: string }).v).toBe(k.key);
        },
      ),
      { numRuns: 2000 },
    );
    db.close();
  });
});
