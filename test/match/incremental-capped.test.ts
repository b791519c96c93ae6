import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDigit } from '../../shared/id/id-number';
import { removeRoll } from '../../electron/core/import/remove-roll';
import { readMatchState } from '../../electron/core/match/match-state';
import { keyHash } from '../../electron/core/match/record-keys';
import { tempDir, writeCsv } from '../helpers/files';
import { importAndRematchBoth, matchedCopies, rematchBoth } from './match-equality';

/**
 * Issue 13: a name common in the county is held by hundreds of records once six years of rolls are in, past the cap
 * (MAX_BLOCK, 400) of its 区划＋姓名 block. A new year's record of that name used to make the re-match read and block
 * every holder, to count the block on strings rather than on the 32-bit hashes the state keeps. The state now keeps
 * the strings of such blocks whose hash no other string holds (capped-values.ts), and the re-match leaves their
 * holders alone; a new name that happens to share the hash takes that trust away. Each year the incremental link
 * must equal a full match with the same parameters, pair by pair, and the state must keep the same strings.
 */
const dir = tempDir();
const header = ['姓名', '身份证号码', '性别', '出生日期', '乡镇', '村（社区）', '户号'];
const TOWNSHIPS = ['城关镇', '江口镇', '龙王镇', '石泉镇', '后柳镇'];
const birthOf = (k: number) =>
  `19${String(50 + (k % 45)).padStart(2, '0')}-${String(1 + (k % 12)).padStart(2, '0')}-${String(1 + (k % 28)).padStart(2, '0')}`;
const idOf = (birth: string, seq: number) => {
  const f17 = `610923${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return f17 + checkDigit(f17);
};
/** A number with a wrong check digit: not trusted, but its region 610923 still shows (区划＋姓名 wants it). */
const typo = (birth: string, seq: number) => {
  const id = idOf(birth, seq);
  return id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
};
// Two names whose 区划＋姓名 values share a 32-bit hash (found by search; the test checks it below).
const COMMON = '孙晓爽';
const COLLIDING = '孙荔馨';
const SURNAMES = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许';
const GIVEN = '伟芳娜敏静丽强磊军洋明超秀霞平刚桂英华玉';

function person(k: number): string[] {
  const birth = birthOf(k);
  const name = `${SURNAMES[k % 20]}${GIVEN[Math.floor(k / 20) % 20]}${GIVEN[(k * 7) % 20]}`;
  return [name, idOf(birth, k % 1000), k % 2 ? '男' : '女', birth, TOWNSHIPS[k % 5]!, `村${k % 5}`, `H${1000 + k}`];
}
/**
 * The k-th 孙晓爽, with a valid number or a mistyped one; the mistyped ones of later years live in 新街镇's 新街村
 * (a mistyped number pairs with every 孙晓爽 of its village on the name's sound).
 */
function common(k: number, trusted: boolean): string[] {
  const birth = birthOf(k * 13 + 5);
  const id = trusted ? idOf(birth, 500 + (k % 400)) : typo(birth, 900 + (k % 90));
  const [township, village] = k > 400 ? ['新街镇', '新街村'] : [TOWNSHIPS[k % 5]!, `村${k % 5}`];
  return [COMMON, id, k % 2 ? '男' : '女', birth, township, village, `H${7000 + k}`];
}

describe('新一年的名册：超过上限的常见姓名分组不再整组重读（增量结果与完整比对一致）', () => {
  it('a common name past the cap: its holders are not blocked again each year, and a name sharing its hash is paired as in a full match', async () => {
    expect(keyHash(`610923|${COMMON}`)).toBe(keyHash(`610923|${COLLIDING}`));
    const out = join(dir, 'common');
    mkdirSync(out, { recursive: true });
    // 400 of them with numbers in the base and one mistyped: 401 holders of 610923|孙晓爽, past the cap.
    const base = writeCsv(join(out, 'base.csv'), [
      header,
      ...Array.from({ length: 400 }, (_, k) => common(k, true)),
      common(400, false),
      ...Array.from({ length: 300 }, (_, k) => person(k)),
    ]);
    const roll = [header, ...Array.from({ length: 30 }, (_, k) => person(k * 2))];
    const { inc, full, first } = await matchedCopies(out, [
      { path: base, kind: 'population', year: 2026 },
      { path: writeCsv(join(out, 'rural.csv'), roll), kind: 'resident_rural', year: 2026 },
    ]);
    expect(first.blocking.capped.regionName).toEqual({ blocks: 1, records: 401 });
    expect(readMatchState(inc.db)!.cappedValues?.regionName).toContain(`610923|${COMMON}`);

    /** The roll of `year` in both workspaces, matched: the incremental link equals the full match. */
    const link = async (year: number, rows: string[][]) => {
      const path = writeCsv(join(out, `rural-${year}.csv`), [header, ...rows]);
      return (await importAndRematchBoth(inc, full, { path, kind: 'resident_rural', year })).a;
    };
    // 2027 and 2028: last year's rows again and one more 孙晓爽 with a mistyped number each year. Only the new one is
    // blocked, with the records of its small blocks (3 records in 2027, 4 in 2028), not the big block's holders; last
    // year's 孙晓爽 again is stood in for by its copy (7 in 2028 when it was blocked).
    const rows = roll.slice(1);
    for (const year of [2027, 2028]) {
      rows.push(common(year, false));
      const a = await link(year, rows);
      expect(a.blockedRecords).toBeLessThanOrEqual(4);
      expect(readMatchState(inc.db)!.cappedValues?.regionName).toContain(`610923|${COMMON}`);
    }
    // 2029: two 孙荔馨 with mistyped numbers, whose only shared block is 610923|孙荔馨: two records, under the cap,
    // so a full match pairs them. Their hash is 孙晓爽's, whose count is no longer one string's: every holder is
    // read again, and the hash is not trusted after.
    rows.push(
      [COLLIDING, typo('1971-03-04', 11), '女', '1971-03-04', '城关镇', '村1', 'H9001'],
      [COLLIDING, typo('1985-11-20', 12), '女', '1985-11-20', '江口镇', '村2', 'H9002'],
    );
    const c = await link(2029, rows);
    expect(c.blockedRecords).toBeGreaterThan(400);
    expect(readMatchState(inc.db)!.cappedValues?.regionName ?? []).not.toContain(`610923|${COMMON}`);
    inc.close();
    full.close();
  }, 120_000);

  it('forgets the common name once its last holder without a trusted number is gone, as a full match does', async () => {
    // Found by review: a full match groups a name only if a record without a trusted number holds it, so only such a
    // block is listed. 401 孙晓爽 with numbers and one mistyped in the resident roll: listed. The roll removed, all
    // 401 left have numbers: the block is no longer grouped, and must leave the list.
    const out = join(dir, 'forget');
    mkdirSync(out, { recursive: true });
    const base = writeCsv(join(out, 'base.csv'), [
      header,
      ...Array.from({ length: 401 }, (_, k) => common(k, true)),
      ...Array.from({ length: 100 }, (_, k) => person(k)),
    ]);
    const rural = writeCsv(join(out, 'rural.csv'), [
      header,
      common(500, false),
      ...Array.from({ length: 10 }, (_, k) => person(k * 2)),
    ]);
    const { inc, full } = await matchedCopies(out, [
      { path: base, kind: 'population', year: 2026 },
      { path: rural, kind: 'resident_rural', year: 2026 },
    ]);
    expect(readMatchState(inc.db)!.cappedValues?.regionName).toContain(`610923|${COMMON}`);
    for (const w of [inc, full]) {
      const roll = w.db.prepare(`SELECT id FROM roll WHERE kind = 'resident_rural'`).get() as { id: number };
      removeRoll(w, roll.id, '王芳');
    }
    rematchBoth(inc, full);
    expect(readMatchState(inc.db)!.cappedValues?.regionName ?? []).not.toContain(`610923|${COMMON}`);
    inc.close();
    full.close();
  }, 60_000);
});
