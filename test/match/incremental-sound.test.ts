import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RollKind } from '../../shared/domain/types';
import { Workspace } from '../../electron/core/db/workspace';
import { readMatchState } from '../../electron/core/match/match-state';
import { tempDir, writeCsv } from '../helpers/files';
import { importAndRematchBoth, matchedCopies } from './match-equality';
import { ORDINARY_HEADER, ordinaryPerson, validId } from './ordinary-rows';

/**
 * Names heard and typed by ear (何静璐 / 何锦璐) are paired on their sound with the birth date or the village when either
 * record has no trusted number (blocking.ts, keys 10–11). A re-match must find such a pair whichever side is new: a
 * new record with a mistyped number reads the old holders of its sound block, and a new record with a valid number
 * joins a block an old record with a mistyped number wants. Twins in one household whose numbers are damaged are held
 * apart by the twin guard (comparisons.ts twinAtRisk) whichever of them came last.
 */
const dir = tempDir();

describe('增量重新比对：读音相近、号码有误的人（与完整比对一致）', () => {
  let inc: Workspace, full: Workspace;
  const out = join(dir, 'sound');
  const pairsOf = (ws: Workspace) => {
    const s = readMatchState(ws.db)!;
    return new Set([...s.pairs.a].map((a, j) => `${a}-${s.pairs.b[j]}`));
  };
  const idsOf = (ws: Workspace, name: string) =>
    (ws.db.prepare('SELECT id FROM record WHERE name = ? ORDER BY id').pluck().all(name) as number[]).join();
  /** Whether the incremental state holds a candidate pair of the two names' records. */
  const paired = (x: string, y: string) => pairsOf(inc).has(`${idsOf(inc, x)}-${idsOf(inc, y)}`);
  /** A roll of 40 ordinary people (every `step`-th) and `row`, imported into both copies and re-matched. */
  const addRoll = (file: string, kind: RollKind, step: number, row: string[]) =>
    importAndRematchBoth(inc, full, {
      path: writeCsv(join(out, file), [
        ORDINARY_HEADER,
        ...Array.from({ length: 40 }, (_, k) => ordinaryPerson(k * step)),
        row,
      ]),
      kind,
      year: 2026,
    });

  beforeAll(async () => {
    mkdirSync(out, { recursive: true });
    const base = writeCsv(join(out, 'base.csv'), [
      ORDINARY_HEADER,
      ...Array.from({ length: 800 }, (_, k) => ordinaryPerson(k)),
      // Her number cut by Excel: 15 digits and 000.
      ['何静璐', '610923200410232000', '女', '2004-10-23', '城关镇', '村1'],
      // His number cut by Excel.
      ['张振涛', '610923198312067000', '男', '1983-12-06', '江口镇', '团结村'],
      // Her number typed with 1983 for 1988: the check digit no longer fits, and the region, birth date and gender it
      // gives are not hers.
      ['王静', '610923198303050225', '女', '1988-03-05', '城关镇', '村2'],
    ]);
    ({ inc, full } = await matchedCopies(out, [{ path: base, kind: 'population', year: 2026 }]));
  }, 60_000);
  afterAll(() => {
    inc.close();
    full.close();
  });

  it('pairs a new record with a mistyped number and an old one whose name sounds alike, born the same day', async () => {
    // Her number 610923200410232781 typed with 2000 for 2004 and its last two digits swapped: two mistakes, so no
    // number either record looks up is the other's. Her name by ear: jǐn for jìng.
    await addRoll('employee.csv', 'employee', 7, ['何锦璐', '610923200010232718', '女', '2004-10-23', '', '']);
    expect(paired('何静璐', '何锦璐')).toBe(true);
  });

  it('pairs a new record with a valid number and an old one with a mistyped number whose name sounds alike', async () => {
    // jǐn for jìng again; her valid number differs from the mistyped one in the sequence too.
    await addRoll('urban.csv', 'resident_urban', 11, [
      '王锦',
      validId('1988-03-05', 36),
      '女',
      '1988-03-05',
      '城关镇',
      '村2',
    ]);
    expect(paired('王静', '王锦')).toBe(true);
  });

  it('pairs a new record with a mistyped number and an old one of the same village whose name sounds alike', async () => {
    // As seed 11 of the 20,000-person county: his day typed as 09 for 06 (here 75 as 57 too, and a wrong check digit,
    // so that no number either record looks up joins them), the birth month only, zhèng for zhèn.
    await addRoll('rural.csv', 'resident_rural', 13, [
      '张正涛',
      '610923198312097572',
      '男',
      '1983-12',
      '江口镇',
      '团结村委会',
    ]);
    expect(paired('张振涛', '张正涛')).toBe(true);
  });
});

describe('增量重新比对：号码有误的双胞胎，妹妹后来才参保（与完整比对一致）', () => {
  const out = join(dir, 'twins');
  const withHousehold = [...ORDINARY_HEADER, '户号'];
  const his = validId('2015-03-04', 11);
  // His number with the check digit mistyped; his enrolment's number cut by Excel to its first 15 digits.
  const mistypedHis = his.slice(0, 17) + (his[17] === '1' ? '2' : '1');
  let inc: Workspace, full: Workspace;
  const personOf = (name: string) => inc.db.prepare('SELECT person_id FROM record WHERE name = ?').pluck().get(name);

  beforeAll(async () => {
    mkdirSync(out, { recursive: true });
    const base = writeCsv(join(out, 'base.csv'), [
      withHousehold,
      ...Array.from({ length: 300 }, (_, k) => [...ordinaryPerson(k), `H${k}`]),
      ['张鑫', mistypedHis, '男', '2015-03-04', '城关镇', '村3', 'H8888'],
    ]);
    const rural = writeCsv(join(out, 'rural.csv'), [
      ORDINARY_HEADER,
      ...Array.from({ length: 30 }, (_, k) => ordinaryPerson(k * 3)),
      // 欣 for 鑫: the same sound; with a number that agrees in 15 digits he is linked while no twin is known.
      ['张欣', `${his.slice(0, 15)}000`, '男', '2015-03-04', '城关镇', '村3'],
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

  it('once his twin sister is in the base, his sound-alike enrolment is held apart as a full match holds it', async () => {
    expect(personOf('张鑫')).toBe(personOf('张欣'));
    const sister = writeCsv(join(out, 'sister.csv'), [
      withHousehold,
      // A name unlike theirs: she shares no block with his enrolment, only the household with him.
      ['张丽', validId('2015-03-04', 2), '女', '2015-03-04', '城关镇', '村3', 'H8888'],
    ]);
    await importAndRematchBoth(inc, full, { path: sister, kind: 'population', year: 2026 });
    expect(personOf('张鑫')).not.toBe(personOf('张欣'));
  });

  it('a new sound-alike enrolment of his is held apart too: the re-match reads his household for the twin guard', async () => {
    // Only 张鑫 shares a block with it; his sister, whose record makes them twins, must be read through his household.
    const urban = writeCsv(join(out, 'urban.csv'), [
      ORDINARY_HEADER,
      ...Array.from({ length: 30 }, (_, k) => ordinaryPerson(k * 7)),
      ['张新', `${his.slice(0, 15)}000`, '男', '2015-03-04', '城关镇', '村3'],
    ]);
    await importAndRematchBoth(inc, full, { path: urban, kind: 'resident_urban', year: 2026 });
    expect(personOf('张鑫')).not.toBe(personOf('张新'));
  });
});
