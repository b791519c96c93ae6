import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PROPERTY_SEED } from '../helpers/seed';
import { nameKeys, normalizeName } from '../../shared/text/name';
import { parseDate, excelSerialToIso } from '../../shared/date/parse-date';
import { parseGender } from '../../shared/text/gender';

describe(`姓名 matching keys (fast-check seed ${PROPERTY_SEED})`, () => {
  it('keeps the display form and compares half-width, space-free, simplified keys', () => {
    const k = nameKeys(' 張 偉 ');
    expect(k.display).toBe('張 偉');
    expect(k.key).toBe('张伟');
    expect(k.pinyin).toBe('zhangwei');
    expect(k.initials).toBe('zw');
    expect(nameKeys('王\u3000小明').key).toBe('王小明');
  });

  it('gives minority names one key whatever dot was typed', () => {
    const forms = [
      '买买提·艾力',
      '买买提.艾力',
      '买买提艾力',
      '买买提•艾力',
      '买买提・艾力',
      '买买提．艾力',
      '買買提·艾力',
    ];
    expect(new Set(forms.map((f) => nameKeys(f).key))).toEqual(new Set(['买买提艾力']));
    expect(normalizeName('买买提.艾力')).toBe('买买提·艾力');
  });

  it('lets homophones agree on pinyin but not on characters', () => {
    const a = nameKeys('王晓明'),
      b = nameKeys('王小明');
    expect(a.key).not.toBe(b.key);
    expect(a.pinyin).toBe(b.pinyin);
  });

  it('reads surnames with their surname pronunciation', () => {
    expect(nameKeys('单田芳').pinyin.startsWith('shan')).toBe(true);
    expect(nameKeys('曾志伟').pinyin.startsWith('zeng')).toBe(true);
  });

  it('never lets whitespace or full-width forms change the key (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('张伟', '欧阳梓萱', '阿依古丽·买买提'),
        fc.constantFrom(' ', '\u3000', '  '),
        fc.nat(3),
        (name, sp, at) => {
          const spaced = name.slice(0, at) + sp + name.slice(at);
          expect(nameKeys(spaced).key).toBe(nameKeys(name).key);
        },
      ),
    );
  });
});

describe(`日期 in every form clerks type (fast-check seed ${PROPERTY_SEED})`, () => {
  it.each([
    ['1990-01-02', '1990-01-02'],
    ['1990/1/2', '1990-01-02'],
    ['19900102', '1990-01-02'],
    ['1990.01.02', '1990-01-02'],
    ['1990年1月2日', '1990-01-02'],
    ['199001', '1990-01'],
    ['1990年1月', '1990-01'],
    ['1990-1', '1990-01'],
    ['1990/01/02 00:00:00', '1990-01-02'],
    ['32875', '1990-01-02'],
    ['１９９０年１月２日', '1990-01-02'],
  ])('%s → %s', (input, iso) => expect(parseDate(input)).toBe(iso));

  it('reads Excel serial numbers and date cells', () => {
    expect(parseDate(32875)).toBe('1990-01-02');
    expect(excelSerialToIso(61)).toBe('1900-03-01');
    expect(parseDate(new Date(Date.UTC(1990, 0, 2)))).toBe('1990-01-02');
    expect(parseDate(new Date(Date.UTC(1990, 0, 1, 23, 59, 59, 990)))).toBe('1990-01-02');
    expect(parseDate(19900102)).toBe('1990-01-02');
  });

  it('rejects what is not a date', () => {
    for (const v of ['1990-02-30', '不详', '1990', '', null, '13/13/1990', 'abc']) expect(parseDate(v)).toBeNull();
  });

  it('round-trips every real day through YYYYMMDD, slashes and 年月日 (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        const [y, m, dd] = iso.split('-').map(Number) as [number, number, number];
        expect(parseDate(iso.replace(/-/g, ''))).toBe(iso);
        expect(parseDate(`${y}/${m}/${dd}`)).toBe(iso);
        expect(parseDate(`${y}年${m}月${dd}日`)).toBe(iso);
      }),
    );
  });
});

describe('性别', () => {
  it('reads 男/女, 1/2 and M/F', () => {
    expect(['男', '男性', '1', 1, 'M'].map(parseGender)).toEqual(['M', 'M', 'M', 'M', 'M']);
    expect(['女', '女性', '2', 2, 'f'].map(parseGender)).toEqual(['F', 'F', 'F', 'F', 'F']);
    expect(['', '未知', null, 9].map(parseGender)).toEqual([null, null, null, null]);
  });
});
