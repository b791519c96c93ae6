import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDigit } from '../../shared/id/id-number';
import { Workspace } from '../../electron/core/db/workspace';
import { CanbaoError } from '../../electron/core/errors';
import { importFile } from '../../electron/core/import/import-file';
import { MAX_BLOCK, PairBuffer } from '../../electron/core/match/blocking';
import { excelHeldDigits, usableTyped } from '../../electron/core/match/comparisons';
import { runMatch } from '../../electron/core/match/run-match';
import { tempDir, writeCsv, writeXlsx, type Cell } from '../helpers/files';
import { cli } from '../helpers/run-cli';

const dir = tempDir();
const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '马',
  '胡',
  '朱',
  '郭',
  '何',
  '罗',
  '高',
  '林',
];
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌宇浩凯鹏飞';

/** A person of the base: a distinct name (surname + two given characters), birth date, village and valid ID. */
function person(k: number) {
  const name =
    SURNAMES[k % 20]! +
    GIVEN[Math.floor(k / 20) % GIVEN.length]! +
    GIVEN[Math.floor(k / (20 * GIVEN.length)) % GIVEN.length]!;
  const year = 1950 + (k % 50),
    month = 1 + (k % 12),
    day = 1 + (k % 28);
  const birth = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  // The birth date repeats every 2,100 people (lcm of 50, 12, 28): the sequence number keeps IDs distinct.
  const seq = Math.floor(k / 2100);
  const f17 = `610923${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return { name, birth, id: f17 + checkDigit(f17), village: `村${k % 40}`, gender: seq % 2 === 1 ? '男' : '女' };
}

describe('比对：被 Excel 科学计数法损坏的身份证号（6.10923E+17，一个地区一个值）', () => {
  it('reads the digits such a cell still holds: six from 6.10923E+17, fifteen from a number cell', () => {
    expect(excelHeldDigits('6.10923E+17')).toBe('610923');
    expect(excelHeldDigits('610923000000000000')).toBe('610923');
    expect(excelHeldDigits('610923199001021000')).toBe('610923199001021');
    // A day of 10/20/30 and a sequence starting with 0 still hold 13 digits: the birth date is whole.
    expect(excelHeldDigits('610923199001300000')).toBe('6109231990013');
    expect(usableTyped('excelDamaged', '610923199001300000')).toBe('610923199001300');
    // Six digits say only "region 610923": never a key, never compared as a number.
    expect(usableTyped('excelDamaged', '610923000000000000')).toBe('');
    expect(usableTyped('excelDamaged', '6.10923E+17')).toBe('');
  });

  it('matches 20,000 roll records that share one damaged value with near-linear candidate pairs, and links each to its person', async () => {
    // A county-like mix: 30,000 in the base; 20,000 enrolments damaged to one value, 10,000 typed intact.
    const people = Array.from({ length: 30_000 }, (_, k) => person(k));
    const header = ['姓名', '身份证号码', '性别', '出生日期', '乡镇', '村（社区）'];
    const base = writeCsv(join(dir, 'base.csv'), [
      header,
      ...people.map((p) => [p.name, p.id, p.gender, p.birth, '城关镇', p.village]),
    ]);
    // Half come back as number cells of an .xlsx (610923000000000000), half as the text Excel wrote into a CSV.
    const asNumbers: Cell[][] = [
      header,
      ...people.slice(0, 10_000).map((p) => [p.name, 6.10923e17, p.gender, p.birth, '城关镇', p.village]),
    ];
    const numbers = await writeXlsx(join(dir, 'rural.xlsx'), { 城关镇: asNumbers });
    const urban = [
      ...people.slice(10_000, 20_000).map((p) => [p.name, '6.10923E+17', p.gender, p.birth, '城关镇', p.village]),
      ...people.slice(20_000).map((p) => [p.name, p.id, p.gender, p.birth, '城关镇', p.village]),
    ];
    const texts = writeCsv(join(dir, 'urban.csv'), [header, ...urban]);
    const ws = Workspace.open(join(dir, 'damage.canbao'), { create: true });
    await importFile(ws, base, { kind: 'population', year: 2026 });
    await importFile(ws, numbers, { kind: 'resident_rural', year: 2026 });
    await importFile(ws, texts, { kind: 'resident_urban', year: 2026 });
    const damaged = ws.db.prepare(`SELECT count(*) AS n FROM record WHERE id_status = 'excelDamaged'`).get() as {
      n: number;
    };
    expect(damaged.n).toBe(20_000);

    const s = runMatch(ws);
    // Quadratic would be 200 million pairs; every record proposes a handful at most.
    expect(s.candidatePairs).toBeLessThan(3 * s.records);
    expect(s.blocking.byKey.idTyped ?? 0).toBe(0);
    expect(s.persons).toBe(30_000);
    expect(s.uninsured).toBe(0);
    expect(s.notInBase).toBe(0);
    const split = ws.db
      .prepare(`SELECT count(*) AS n FROM (SELECT person_id FROM record GROUP BY person_id HAVING count(*) != 2)`)
      .get() as { n: number };
    expect(split.n).toBe(0);
    ws.close();
  });

  it('skips a block larger than the cap and says so in the summary, instead of pairing it', async () => {
    // 450 people called 张伟 born the same day in one township, none with a usable ID: a block of 900 records.
    const rows = (n: number, id: string) =>
      Array.from({ length: n }, () => ['张伟', id, '男', '1990-01-01', '城关镇', '']);
    const header = ['姓名', '身份证号码', '性别', '出生日期', '乡镇', '村（社区）'];
    const ws = Workspace.open(join(dir, 'cap.canbao'), { create: true });
    await importFile(ws, writeCsv(join(dir, 'cap-base.csv'), [header, ...rows(450, '')]), {
      kind: 'population',
      year: 2026,
    });
    await importFile(ws, writeCsv(join(dir, 'cap-roll.csv'), [header, ...rows(450, '6.10923E+17')]), {
      kind: 'resident_rural',
      year: 2026,
    });
    const s = runMatch(ws);
    expect(s.blocking.capped.nameBirth).toEqual({ blocks: 1, records: 900 });
    expect(s.blocking.byKey.nameBirth ?? 0).toBe(0);
    expect(900).toBeGreaterThan(MAX_BLOCK);
    ws.close();
    // The clerk is told, in words, by the command line (and the 比对 screen, from the same job result).
    const r = await cli('match', '--workspace', join(dir, 'cap.canbao'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('以下分组过于常见，未逐对比较：“姓名＋出生日期”1 组（900 条记录）');
    const json = JSON.parse((await cli('match', '--workspace', join(dir, 'cap.canbao'), '--json')).out) as {
      capped: { key: string; blocks: number }[];
    };
    expect(json.capped).toContainEqual(expect.objectContaining({ key: 'nameBirth', blocks: 1, records: 900 }));
    // Kept with the run: the 比对 screen (from the status) still says it after the workspace is reopened.
    const status = JSON.parse((await cli('status', '--workspace', join(dir, 'cap.canbao'), '--json')).out) as {
      matchCapped: { key: string; label: string; blocks: number; records: number }[];
    };
    expect(status.matchCapped).toContainEqual({ key: 'nameBirth', label: '姓名＋出生日期', blocks: 1, records: 900 });
  });

  it('stops with a Chinese message naming the key and the rows, never a RangeError, when pairs would pass the limit', async () => {
    const header = ['姓名', '身份证号码', '性别', '出生日期', '乡镇', '村（社区）'];
    const rows = Array.from({ length: 60 }, () => ['李娜', '', '女', '1985-05-05', '城关镇', '']);
    const ws = Workspace.open(join(dir, 'limit.canbao'), { create: true });
    await importFile(ws, writeCsv(join(dir, 'limit.csv'), [header, ...rows]), { kind: 'population', year: 2026 });
    let error: unknown;
    try {
      runMatch(ws, { maxCandidates: 100 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CanbaoError);
    const e = error as CanbaoError;
    expect(e.kind).toBe('limitExceeded');
    expect(e.message).toContain('正在按“姓名＋出生日期”分组');
    expect(e.message).toContain('“limit.csv”第2行');
    // Chinese only, apart from the file's own name.
    expect(e.message.replaceAll('limit.csv', '')).not.toMatch(/[A-Za-z]{2,}/);
    // Nothing was written: the workspace has no persons.
    expect((ws.db.prepare('SELECT count(*) AS n FROM person').get() as { n: number }).n).toBe(0);
    ws.close();
  });

  it('keeps candidate pairs in a typed buffer, sorted and distinct, refusing past its limit', () => {
    const b = new PairBuffer(10, 5);
    expect([b.add(3, 1), b.add(1, 3), b.add(2, 9), b.add(4, 4), b.add(0, 1)]).toEqual([true, true, true, true, true]);
    expect(b.add(5, 6)).toBe(true);
    expect(b.add(7, 8)).toBe(false);
    expect([...b.finish()]).toEqual([1, 13, 29, 56]);
  });
});
