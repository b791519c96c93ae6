import { describe, expect, it } from 'vitest';
import { COMPARISONS, FIELDS } from '../../electron/core/match/comparison-levels';
import { plainTally, plainWords, type PlainSide } from '../../electron/core/match/plain-words';

// What a clerk reads on the review screen for each compared field: agrees ✓, partly ≈, not ✗ or cannot be compared
// —, in words, derived from the very levels that scored the pair.
const side = (over: Partial<PlainSide> = {}): PlainSide => ({
  name: '王小明',
  idStatus: 'valid',
  birthDate: '1990-01-02',
  gender: 'M',
  township: '城关镇',
  village: '东关社区',
  ...over,
});

const say = (field: string, level: string, a = side(), b = side()) => plainWords([{ field, level }], a, b)[0]!;

describe('复核的逐项说明', () => {
  it('says an ID cut to 15 digits by Excel as such, naming the side that was cut', () => {
    const f = say('id', 'prefix15', side(), side({ idStatus: 'excelDamaged' }));
    expect(f).toMatchObject({ fieldLabel: '身份证号', agreement: 'partly', mark: '≈' });
    expect(f.words).toBe('身份证号前15位一致，记录B的号码被Excel截断');
  });

  it('says homophone names as 同音不同字, with both names', () => {
    const f = say('name', 'pinyin', side({ name: '张晓明' }), side({ name: '张小明' }));
    expect(f).toMatchObject({ agreement: 'partly', words: '姓名同音不同字（张晓明 / 张小明）' });
  });

  it('says agreement with ✓ and disagreement with ✗', () => {
    expect(say('birth', 'exact')).toMatchObject({ agreement: 'agree', mark: '✓', words: '出生日期一致' });
    expect(say('id', 'different')).toMatchObject({ agreement: 'differ', mark: '✗', words: '身份证号不同' });
    const g = say('gender', 'different', side(), side({ gender: 'F' }));
    expect(g).toMatchObject({ agreement: 'differ', words: '性别不同（男 / 女）' });
  });

  it('says which side lacks a usable value, and why an ID cannot be used', () => {
    expect(say('id', 'missing', side({ idStatus: 'missing' }), side()).words).toBe('记录A的身份证号缺失，无法比较');
    expect(say('id', 'missing', side(), side({ idStatus: 'excelDamaged' }))).toMatchObject({
      agreement: 'missing',
      mark: '—',
      // A number that still shows its region is compared on it (level 地区码一致); 'missing' means not even that.
      words: '记录B的身份证号被Excel损坏、连地区码也看不出，无法比较',
    });
    expect(say('place', 'missing', side(), side({ township: null })).words).toBe('记录B没有乡镇，无法比较');
    expect(say('name', 'missing', side({ name: '' }), side({ name: '' })).words).toBe('两条记录都没有姓名，无法比较');
  });

  it('says a date already inside the ID by comparing the dates shown, without counting it twice', () => {
    expect(say('birth', 'implied').words).toBe('出生日期一致（已含在身份证号中，不重复计分）');
    expect(say('birth', 'implied', side(), side({ birthDate: '1990-01' }))).toMatchObject({ agreement: 'partly' });
    expect(say('birth', 'implied', side(), side({ birthDate: '1991-05-06' }))).toMatchObject({ agreement: 'differ' });
  });

  it('names the village two records share, or the township they do not', () => {
    expect(say('place', 'sameVillage').words).toBe('同一个村（社区）：城关镇东关社区');
    expect(say('place', 'different', side(), side({ township: '江口镇' }))).toMatchObject({
      agreement: 'differ',
      words: '不在同一乡镇（城关镇 / 江口镇）',
    });
  });

  it('has words for every level of every field, none of them English or a code name', () => {
    for (const f of FIELDS)
      for (const l of COMPARISONS[f].levels) {
        const said = say(f, l.name);
        expect(said.words, `${f}.${l.name}`).toMatch(/[\u4e00-\u9fff]/);
        expect(said.words.replace(/Excel/g, ''), `${f}.${l.name}`).not.toMatch(/[A-Za-z]{3,}/);
      }
  });

  it('counts the fields in one line', () => {
    const fields = plainWords(
      [
        { field: 'id', level: 'exact' },
        { field: 'name', level: 'pinyin' },
        { field: 'birth', level: 'implied' },
        { field: 'gender', level: 'implied' },
        { field: 'place', level: 'missing' },
      ],
      side(),
      side({ township: null }),
    );
    expect(plainTally(fields)).toBe('3 项一致，1 项部分一致，1 项无法比较');
  });
});
