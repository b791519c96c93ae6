import { describe, expect, it } from 'vitest';
import { checkDigit } from '../../shared/id/id-number';
import { nameKeys, soundKey } from '../../shared/text/name';
import { candidatePairs } from '../../electron/core/match/blocking';
import { clusterRecords } from '../../electron/core/match/clustering';
import { compare, compareId, compareName, LEVEL_INDEX, siblingRisk } from '../../electron/core/match/comparisons';
import type { MatchData } from '../../electron/core/match/match-data';
import { plainWords, type PlainSide } from '../../electron/core/match/plain-words';

const ID = LEVEL_INDEX.id;
const NAME = LEVEL_INDEX.name;

interface Rec {
  name?: string;
  idNumber?: string;
  idRaw?: string;
  idStatus?: string;
  birthDate?: string;
  village?: string;
  household?: string;
}

function data(recs: Rec[]): MatchData {
  const keys = recs.map((r) => nameKeys(r.name ?? ''));
  return {
    n: recs.length,
    recordId: Int32Array.from(recs, (_, i) => i + 1),
    kind: recs.map(() => 'population'),
    year: Int16Array.from(recs, () => 2026),
    nameKey: keys.map((k) => k.key),
    namePinyin: keys.map((k) => k.pinyin),
    idNumber: recs.map((r) => r.idNumber ?? ''),
    idRaw: recs.map((r) => (r.idNumber ? '' : (r.idRaw ?? ''))),
    idStatus: recs.map((r) => r.idStatus ?? (r.idNumber ? 'valid' : 'missing')),
    birthDate: recs.map((r) => r.birthDate ?? ''),
    gender: recs.map(() => ''),
    townshipKey: recs.map(() => '城关镇'),
    villageKey: recs.map((r) => r.village ?? ''),
    householdKey: recs.map((r) => r.household ?? ''),
    personId: new Int32Array(recs.length),
  };
}

const valid = (first17: string) => first17 + checkDigit(first17);

/** One side of a pair as the plain words read it: only the ID status differs between the two sides here. */
const plainSide =
  (name: string, birthDate: string, village: string) =>
  (idStatus: string): PlainSide => ({
    name,
    idStatus,
    birthDate,
    gender: 'F',
    township: '城关镇',
    village,
  });

/** A true number whose cut to 15 digits and 000 passes the checksum by chance (one cut in eleven does). */
function cutThatPasses(): { whole: string; cut: string } {
  for (let seq = 10; seq < 1000; seq += 10) {
    const head = `61092319900102${String(seq).padStart(3, '0')}`.slice(0, 15);
    if (checkDigit(head + '00') !== '0') continue;
    return { whole: valid(head + '52'), cut: head + '000' };
  }
  throw new Error('no such number');
}

describe('真实名册的损坏：方言读音、Excel损坏的号码', () => {
  it('hears names the way a dialect blurs them: in/ing, en/eng, an/ang, z/zh, n/l, hu/f — and no more', () => {
    const sound = (a: string, b: string) => soundKey(nameKeys(a).pinyin) === soundKey(nameKeys(b).pinyin);
    expect(sound('张欣', '张星')).toBe(true); // xin / xing
    expect(sound('王浩平', '王浩品')).toBe(true); // ping / pin
    expect(sound('徐振睿', '徐正睿')).toBe(true); // zhen / zheng
    expect(sound('李兰', '李南')).toBe(true); // lan / nan
    expect(sound('陈辉', '陈飞')).toBe(true); // hui / fei
    expect(sound('张帆桂', '张芳桂')).toBe(true); // fan|gui / fang|gui: the g of gui is not a nasal
    expect(sound('张欣', '李欣')).toBe(false);
    expect(sound('张欣', '张霞')).toBe(false);
    const d = data([{ name: '张欣' }, { name: '张星' }, { name: '张新' }, { name: '张霞' }]);
    expect(compareName(d, 0, 1)).toBe(NAME.sound);
    expect(compareName(d, 0, 2)).toBe(NAME.pinyin);
    expect(compareName(d, 0, 3)).toBe(NAME.close);
  });

  it('pairs a record without a usable number with one whose name sounds alike, born the same day', () => {
    const d = data([
      { name: '张欣', birthDate: '1990-01-02', village: '李家村' }, // the base: ID missing
      { name: '张星', birthDate: '1990-01-02', idNumber: valid('61092319900102002') },
      { name: '张星', birthDate: '1990-01-02', idNumber: valid('61092319900102013') }, // both trusted: never by name
    ]);
    const { keys, stats } = candidatePairs(d);
    expect([...keys]).toEqual([0 * 3 + 1, 0 * 3 + 2]);
    expect(stats.byKey.soundBirth).toBe(2);
  });

  it('pairs two mistyped numbers whose names sound alike, born the same day', () => {
    // Seed 7 of the 200,000-person county: 何静璐 (jìng) in the base, her number cut by Excel; 何锦璐 (jǐn) on the
    // employee roll, typed with 2000 for 2004. No key paired them, so she was listed as 未参保.
    const d = data([
      { name: '何静璐', idRaw: '610923200410232000', idStatus: 'excelDamaged', birthDate: '2004-10-23' },
      { name: '何锦璐', idRaw: '610923200010232781', idStatus: 'badChecksum', birthDate: '2004-10-23' },
      { name: '何锦璐', idNumber: valid('61092320041023278'), birthDate: '2004-10-23' },
    ]);
    const { keys, stats } = candidatePairs(d);
    expect([...keys]).toContain(0 * 3 + 1);
    expect(stats.byKey.soundBirth).toBeGreaterThanOrEqual(1);
    expect(compareId(d, 0, 1)).toBe(ID.bothUntrusted);
    expect(compareName(d, 0, 1)).toBe(NAME.sound);
  });

  it('never links a name that only sounds alike when the household has twins and one was registered without a number', () => {
    const twin = valid('61092320150304002');
    const d = data([
      { name: '张鑫', birthDate: '2015-03-04', village: '李家村', household: '城关镇#8' }, // base, ID missing
      { name: '张兴', birthDate: '2015-03-04', village: '李家村', household: '城关镇#8', idNumber: twin }, // base
      { name: '张兴', birthDate: '2015-03-04', village: '李家村', idNumber: twin }, // enrolment of the twin
      { name: '张欣', birthDate: '1990-01-02', village: '李家村', household: '城关镇#9' }, // base, no twin, no ID
      { name: '张星', birthDate: '1990-01-02', village: '李家村', idNumber: valid('61092319900102002') },
      { name: '张兴', birthDate: '2015-03-04', village: '李家村', idNumber: valid('61092320150304013') }, // not the twin
    ]);
    expect(compareName(d, 0, 2)).toBe(NAME.sound);
    expect(siblingRisk(d, 0, 2, compare(d, 0, 2))).toBe(true);
    // A number that is neither twin's says the record is not the other twin: it may be the one without a number.
    expect(siblingRisk(d, 0, 5, compare(d, 0, 5))).toBe(false);
    expect(compareName(d, 3, 4)).toBe(NAME.sound);
    expect(siblingRisk(d, 3, 4, compare(d, 3, 4))).toBe(false);
  });

  it('never links twins whose numbers are both damaged: his mistyped, hers cut by Excel, their names alike', () => {
    // From the review of the sound keys' widening: the two numbers agree in their first 15 digits (前15位一致) and
    // the sound keys now pair them, so the twin guard must cover records without a trusted number, not only those
    // without a usable one.
    const his = valid('61092320150304011');
    const d = data([
      {
        name: '张鑫',
        idRaw: his.slice(0, 17) + (his[17] === '1' ? '2' : '1'),
        idStatus: 'badChecksum',
        birthDate: '2015-03-04',
        village: '李家村',
        household: '城关镇#8',
      },
      {
        name: '张兴',
        idRaw: '610923201503040000',
        idStatus: 'excelDamaged',
        birthDate: '2015-03-04',
        village: '李家村',
        household: '城关镇#8',
      },
    ]);
    expect([...candidatePairs(d).keys]).toEqual([1]);
    expect(compareId(d, 0, 1)).toBe(ID.prefix15);
    expect(compareName(d, 0, 1)).toBe(NAME.sound);
    expect(siblingRisk(d, 0, 1, compare(d, 0, 1))).toBe(true);
  });

  it('finds the number a record typed without its last character, and calls it one character off', () => {
    const whole = valid('61092319900102001');
    const d = data([{ idNumber: whole }, { idRaw: whole.slice(0, 17), idStatus: 'malformed' }]);
    expect(compareId(d, 0, 1)).toBe(ID.oneEdit);
    const { keys, stats } = candidatePairs(d);
    expect([...keys]).toEqual([1]);
    expect(stats.byKey.idTypo).toBe(1);
  });

  it('compares a number Excel left as 6.10921E+17 on its region only, never as a different number', () => {
    const d = data([
      { idNumber: valid('61092119900102001') },
      { idRaw: '6.10921E+17', idStatus: 'excelDamaged' },
      { idNumber: valid('61092319900102001') },
      { idRaw: '6.1E+17', idStatus: 'excelDamaged' }, // two digits: says nothing
      { idRaw: '610933199001020019', idStatus: 'badChecksum' }, // 610923… with a typo in the region
      { idRaw: '6.10923E+17', idStatus: 'excelDamaged' },
      { idRaw: '610933199001020000', idStatus: 'excelDamaged' }, // 15 digits Excel left, region 610933
    ]);
    expect(compareId(d, 0, 1)).toBe(ID.region);
    expect(compareId(d, 1, 2)).toBe(ID.regionDiffers);
    expect(compareId(d, 0, 3)).toBe(ID.missing);
    // Against a mistyped number the typo may be in the region: neither is trusted (张东骏/张东俊 of a 20,000-person
    // county weighed 6.59 as 残存的前几位不同, under the link weight). Two numbers' held digits (a region, or the 15
    // digits Excel left) are each the region as typed.
    expect(compareId(d, 4, 5)).toBe(ID.bothUntrusted);
    expect(compareId(d, 1, 5)).toBe(ID.regionDiffers);
    expect(compareId(d, 5, 6)).toBe(ID.regionDiffers);
    const side = plainSide('张欣', '1990-01-02', '李家村');
    const [words] = plainWords([{ field: 'id', level: 'region' }], side('valid'), side('excelDamaged'));
    expect(words!.words).toBe('记录B的身份证号被Excel损坏，只剩前几位（地区码），这几位与另一方一致');
    expect(words!.agreement).toBe('partly');
  });

  it('does not hold two numbers both typed wrong against a person: the base cut by Excel, the employee roll a wrong year', () => {
    // Seed 33 of the 20,000-person county: 杨英凤 born 1987-07-22, her base number cut by Excel, her employee number
    // typed with 1937. Called 不同 (about −10), the pair weighed 5.95, under the link weight 7, and she was listed
    // as 未参保. Neither number is trusted, so their difference says little.
    const d = data([
      { name: '杨英凤', idRaw: '610923198707229000', idStatus: 'excelDamaged', birthDate: '1987-07-22' },
      { name: '杨英凤', idRaw: '610923193707229604', idStatus: 'badChecksum', birthDate: '1987-07-22' },
      { name: '杨英凤', idNumber: valid('61092319870722961'), birthDate: '1987-07-22' },
    ]);
    expect(compareId(d, 0, 1)).toBe(ID.bothUntrusted);
    // A trusted number against one two digits away stays different.
    expect(compareId(d, 1, 2)).toBe(ID.different);
    const side = plainSide('杨英凤', '1987-07-22', '和平社区');
    const [words] = plainWords([{ field: 'id', level: 'bothUntrusted' }], side('excelDamaged'), side('badChecksum'));
    expect(words!.words).toBe(
      '两个身份证号都有误（校验位不对，或被Excel截断、损坏），而且互不一致，说明不了是不是同一人',
    );
  });

  it('holds a valid number ending in 000 that agrees with another in 15 digits as a possible cut, not a second person', () => {
    const { whole, cut } = cutThatPasses();
    const other = valid('61092219850506002');
    const d = data([
      { name: '张欣', idNumber: cut, birthDate: '1990-01-02' }, // the base: Excel cut it, the checksum passed
      { name: '张欣', idNumber: whole, birthDate: '1990-01-02' },
      { name: '张欣', idNumber: other, birthDate: '1985-05-06' },
    ]);
    expect(compareId(d, 0, 1)).toBe(ID.cut000);
    expect(compareId(d, 0, 2)).toBe(ID.different);
    // Against the true number mistyped after its fifteenth digit, the 000 tail still says nothing.
    const typo = whole.slice(0, 15) + ((+whole[15]! + 1) % 10) + whole.slice(16);
    const e = data([{ idNumber: cut }, { idRaw: typo, idStatus: 'badChecksum' }]);
    expect(compareId(e, 0, 1)).toBe(ID.cut000);
    const { keys, stats } = candidatePairs(d);
    expect([...keys]).toContain(0 * 3 + 1);
    expect(stats.byKey.idTruncated).toBe(1);
    expect([...d.possibleCut!]).toEqual([1, 0, 0]);
    // Linked, the two join one person; two unrelated trusted numbers still never do.
    const { root, refused } = clusterRecords(
      d,
      [
        { a: 0, b: 1, weight: 20, rule: 'score' },
        { a: 1, b: 2, weight: 20, rule: 'score' },
      ],
      [],
    );
    expect(root[0]).toBe(root[1]);
    expect(root[2]).not.toBe(root[1]);
    expect(refused).toHaveLength(1);
  });
});
