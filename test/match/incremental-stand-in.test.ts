import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { tempDir, writeCsv } from '../helpers/files';
import { importAndRematchBoth, matchedCopies } from './match-equality';
import { ORDINARY_HEADER, ordinaryPerson, stockName, validId } from './ordinary-rows';

/**
 * Issue 13: a new year's roll is mostly last year's records typed the same way. Such a record is not blocked again:
 * the record it copies stands in for it, and its pairs are copied (incremental-stand-in.ts). The county here holds
 * every case where a copy's pairs are not simply its original's: two people without a number who share a block
 * (both copied, so the copies pair with each other), twins registered without numbers in one household (the twin
 * guard), a record with nothing to block on, the same row twice in the new roll, a block the copies take past the
 * cap, one past it already, and a number past it. After each year the incremental link must equal a full match with
 * the same parameters, pair by pair.
 */
const dir = tempDir();
const header = [...ORDINARY_HEADER, '户号'];

/** Ordinary people with valid numbers, each in a household of their own: k-th person's row. */
function person(k: number): string[] {
  return [...ordinaryPerson(k), `H${1000 + k}`];
}

/** Rows that make copies' pairs differ from a plain copy of their original's. */
const hard = [
  // Two people named 王芳 without a number in one township: a 姓名＋乡镇 block pairs them, and their copies next
  // year pair with both of them and with each other.
  ['王芳', '', '女', '1980-05-01', '城关镇', '村1', 'H2001'],
  ['王芳', '', '女', '1982-07-09', '城关镇', '村2', 'H2002'],
  // Twins registered without numbers, names that sound alike, one household: the twin guard reads the household.
  ['张鑫', '', '男', '2015-03-02', '城关镇', '村3', 'H2003'],
  ['张兴', '', '男', '2015-03-02', '城关镇', '村3', 'H2003'],
  // Nothing to block on: no number, no birth date, no place. Its copy is not paired with it.
  ['钱多多', '', '', '', '', '', ''],
];

describe('新一年的名册：与旧记录完全相同的记录由旧记录代为分组（增量结果与完整比对一致）', () => {
  let inc: Workspace, full: Workspace;
  const out = join(dir, 'copies');

  beforeAll(async () => {
    mkdirSync(out, { recursive: true });
    const base = writeCsv(join(out, 'base.csv'), [
      header,
      ...Array.from({ length: 1200 }, (_, k) => person(k)),
      ['张鑫', validId('2015-03-02', 11), '男', '2015-03-02', '城关镇', '村3', 'H2003'],
      ['张兴', validId('2015-03-02', 13), '男', '2015-03-02', '城关镇', '村3', 'H2003'],
    ]);
    const rural = writeCsv(join(out, 'rural.csv'), [
      header,
      ...Array.from({ length: 120 }, (_, k) => person(k * 3)),
      ...hard,
    ]);
    ({ inc, full } = await matchedCopies(out, [
      { path: base, kind: 'population', year: 2026 },
      { path: rural, kind: 'resident_rural', year: 2026 },
    ]));
  }, 60_000);
  afterAll(() => {
    inc.close();
    full.close();
  });

  it('links the next two years of the same roll (one row twice) pair by pair as a full match, blocking only a few records', async () => {
    // The roll again, with one row twice: the first is stood in for, the second blocked (it pairs with the original,
    // and the copy takes that pair).
    const again = writeCsv(join(out, 'rural-again.csv'), [
      header,
      ...Array.from({ length: 120 }, (_, k) => person(k * 3)),
      ...hard,
      person(9),
    ]);
    for (const year of [2027, 2028]) {
      const { a } = await importAndRematchBoth(inc, full, { path: again, kind: 'resident_rural', year });
      expect(a.changedRecords).toBe(126);
      // The copies are not blocked: only the second of the row given twice, its original and the numbers they share.
      expect(a.blockedRecords).toBeLessThan(12);
    }
  });
});

describe('新一年的名册：相同记录使分组超过上限时照常分组', () => {
  // 397 people called 张伟 born the same day in one township, with numbers in the base; the resident roll lists two
  // of them without a number: their 姓名＋出生日期 block holds 399 records. Next year's copy of the roll brings the
  // two again, 401: past the cap, where a full match pairs none of them, so the copies cannot take their originals'
  // pairs.
  const zhangWei = (k: number, id: string) => [
    '张伟',
    id,
    k % 2 ? '男' : '女',
    '1990-01-01',
    '城关镇',
    `村${k % 7}`,
    '',
  ];
  const out = join(dir, 'cap');

  it('equals a full match when the copies take a block past the cap, and when they join one past it', async () => {
    mkdirSync(out, { recursive: true });
    const base = writeCsv(join(out, 'base.csv'), [
      header,
      ...Array.from({ length: 397 }, (_, k) => zhangWei(k, validId('1990-01-01', k))),
      ...Array.from({ length: 300 }, (_, k) => person(k)),
    ]);
    const roll = [header, zhangWei(1, ''), zhangWei(2, ''), ...Array.from({ length: 100 }, (_, k) => person(k * 2))];
    const rural = writeCsv(join(out, 'rural.csv'), roll);
    const { inc, full, first } = await matchedCopies(out, [
      { path: base, kind: 'population', year: 2026 },
      { path: rural, kind: 'resident_rural', year: 2026 },
    ]);
    expect(first.blocking.capped.nameBirth).toBeUndefined();
    const { b } = await importAndRematchBoth(inc, full, { path: rural, kind: 'resident_rural', year: 2027 });
    expect(b.blocking.capped.nameBirth).toEqual({ blocks: 1, records: 401 });
    // The year after, the block is past the cap already and stays so; the copies of its records are blocked (its
    // hash could be a smaller block's too), the others take their originals' pairs.
    const { a: c, b: d } = await importAndRematchBoth(inc, full, { path: rural, kind: 'resident_rural', year: 2028 });
    expect(c.blockedRecords).toBeLessThan(500);
    expect(d.blocking.capped.nameBirth).toEqual({ blocks: 1, records: 403 });
    inc.close();
    full.close();
  }, 60_000);
});

describe('新一年的名册：超过上限的分组不让记录与其副本配对', () => {
  /** The roll imported in 2026, matched, then again each of `years`: incremental and full must agree each time. */
  async function linkYears(name: string, base: string[][], roll: string[][], years: number[]) {
    const out = join(dir, name);
    mkdirSync(out, { recursive: true });
    const basePath = writeCsv(join(out, 'base.csv'), [header, ...base]);
    const rollPath = writeCsv(join(out, 'roll.csv'), [header, ...roll]);
    const { inc, full } = await matchedCopies(out, [
      { path: basePath, kind: 'population', year: 2026 },
      { path: rollPath, kind: 'resident_rural', year: 2026 },
    ]);
    for (const year of years) {
      await importAndRematchBoth(inc, full, { path: rollPath, kind: 'resident_rural', year });
    }
    inc.close();
    full.close();
  }

  it('a valid number more than 400 records hold (a placeholder): the copy of one of them is not paired with it', async () => {
    const placeholder = validId('1990-01-01', 7);
    const holders = Array.from({ length: 401 }, (_, k) => [
      stockName(k, 3),
      placeholder,
      k % 2 ? '男' : '女',
      '1990-01-01',
      '城关镇',
      `村${k % 5}`,
      `H${5000 + k}`,
    ]);
    const others = (count: number, step: number) => Array.from({ length: count }, (_, k) => person(k * step));
    await linkYears('placeholder', [...holders, ...others(50, 1)], [holders[0]!, ...others(20, 2)], [2027]);
  }, 60_000);

  it('a record without a number whose every block is past the cap', async () => {
    const zhangWei = (k: number, id: string) => ['张伟', id, k % 2 ? '男' : '女', '1990-01-01', '城关镇', '', ''];
    const base = [
      ...Array.from({ length: 397 }, (_, k) => zhangWei(k, validId('1990-01-01', k))),
      ...Array.from({ length: 100 }, (_, k) => person(k)),
    ];
    const roll = [zhangWei(1, ''), zhangWei(2, ''), ...Array.from({ length: 30 }, (_, k) => person(k * 2))];
    await linkYears('all-capped', base, roll, [2027, 2028]);
  }, 60_000);
});
