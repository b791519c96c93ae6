/**
 * Known answers for the matcher's parts, worked by hand and independent of the county generator: if one of these
 * changes, a rule changed, not a random draw.
 */
import { describe, expect, it } from 'vitest';
import { decideDuplicate, type EnrolmentRecord } from '../../shared/domain/enrolment-rules';
import { checkDigit, hasValidCheckDigit } from '../../shared/id/id-number';
import { clusterRecords } from '../../electron/core/match/clustering';
import { COMPARISONS, LEVEL_INDEX } from '../../electron/core/match/comparison-levels';
import { compare, compareId, idNeighbours, roundsTo, truncatedCandidates } from '../../electron/core/match/comparisons';
import type { MatchData } from '../../electron/core/match/match-data';
import { estimateM, estimateU, patternKey, rareIdLevelU } from '../../electron/core/match/parameters';
import { assignPersonIds } from '../../electron/core/match/person-ids';

const id = (f17: string) => f17 + checkDigit(f17);

interface Rec {
  idNumber?: string;
  idRaw?: string;
  idStatus?: string;
  name?: string;
  birthDate?: string;
  gender?: string;
  township?: string;
  village?: string;
  personId?: number;
}

/** Column-wise match data from a few hand-written records (untrusted numbers keep idRaw, as loadMatchData does). */
function data(recs: Rec[]): MatchData {
  const col = <K extends keyof Rec>(k: K, dflt: NonNullable<Rec[K]>) =>
    recs.map((r) => r[k] ?? dflt) as NonNullable<Rec[K]>[];
  return {
    n: recs.length,
    recordId: Int32Array.from(recs, (_, i) => i + 1),
    kind: recs.map(() => 'population'),
    year: Int16Array.from(recs, () => 2026),
    nameKey: col('name', ''),
    namePinyin: col('name', ''),
    idNumber: col('idNumber', ''),
    idRaw: recs.map((r) => (r.idNumber ? '' : (r.idRaw ?? ''))),
    idStatus: recs.map((r) => r.idStatus ?? (r.idNumber ? 'valid' : 'missing')),
    birthDate: col('birthDate', ''),
    gender: col('gender', ''),
    townshipKey: col('township', ''),
    villageKey: col('village', ''),
    householdKey: recs.map(() => ''),
    personId: Int32Array.from(recs, (r) => r.personId ?? 0),
  };
}

/** Every valid 18-character number one substitution or one adjacent swap away from `typed`, by brute force. */
function bruteNeighbours(typed: string): Set<string> {
  const out = new Set<string>();
  const ok = (s: string) => s !== typed && /^\d{17}[\dX]$/.test(s) && hasValidCheckDigit(s);
  for (let p = 0; p < 18; p++) {
    for (const c of p === 17 ? '0123456789X' : '0123456789') {
      const s = typed.slice(0, p) + c + typed.slice(p + 1);
      if (ok(s)) out.add(s);
    }
    if (p < 17) {
      const s = typed.slice(0, p) + typed[p + 1] + typed[p] + typed.slice(p + 2);
      if (ok(s)) out.add(s);
    }
  }
  return out;
}

const TRUE_ID = id('61092319900102001'); // 610923199001020010
const ID = LEVEL_INDEX.id;

describe('比对部件：身份证号的比较级别（手算答案）', () => {
  it('gives each pair of numbers the level a clerk would', () => {
    const typo = TRUE_ID.slice(0, 10) + '9' + TRUE_ID.slice(11); // one digit mistyped: check digit no longer fits
    const swapped = TRUE_ID.slice(0, 8) + TRUE_ID[9] + TRUE_ID[8] + TRUE_ID.slice(10); // "90" typed "09"
    expect(hasValidCheckDigit(typo)).toBe(false);
    // Two digits of the birth date and sequence mistyped; the birth year mistyped (1990 typed 1940).
    const change = (s: string, at: number) => s.slice(0, at) + String((Number(s[at]) + 5) % 10) + s.slice(at + 1);
    const twoTypos = change(change(TRUE_ID, 11), 15);
    const wrongYear = change(TRUE_ID, 8);
    expect([twoTypos, wrongYear].map(hasValidCheckDigit)).toEqual([false, false]);
    const d = data([
      { idNumber: TRUE_ID },
      { idNumber: TRUE_ID },
      { idNumber: id('61092319900102003') }, // same region and birth date, another sequence: a twin
      { idNumber: id('61092219850506002') },
      { idRaw: typo, idStatus: 'badChecksum' },
      { idRaw: swapped, idStatus: 'badChecksum' },
      { idRaw: TRUE_ID.slice(0, 15) + '000', idStatus: 'excelDamaged' }, // a number cell: 15 digits kept
      { idRaw: '6.10923E+17', idStatus: 'excelDamaged' }, // General format in a CSV: region only
      { idRaw: '610923000000000000', idStatus: 'excelDamaged' }, // the same, read back as a number cell
      {},
      { idRaw: twoTypos, idStatus: 'badChecksum' },
      { idRaw: wrongYear, idStatus: 'badChecksum' },
    ]);
    expect(compareId(d, 0, 1)).toBe(ID.exact);
    expect(compareId(d, 0, 2)).toBe(ID.birthSegment);
    expect(compareId(d, 0, 3)).toBe(ID.different);
    expect(compareId(d, 0, 4)).toBe(ID.oneEdit);
    expect(compareId(d, 0, 5)).toBe(ID.oneEdit);
    expect(compareId(d, 0, 6)).toBe(ID.prefix15);
    // Region only: compared on the six digits it still holds, never 'different' for the twelve it lost.
    expect(compareId(d, 0, 7)).toBe(ID.region);
    expect(compareId(d, 0, 8)).toBe(ID.region);
    expect(compareId(d, 3, 7)).toBe(ID.regionDiffers);
    expect(compareId(d, 0, 9)).toBe(ID.missing);
    expect(compareId(d, 7, 9)).toBe(ID.missing);
    // Neither number trusted and they differ: both were typed wrong, which says little (a trusted one against a
    // number two typos away is different).
    expect(compareId(d, 4, 10)).toBe(ID.bothUntrusted);
    expect(compareId(d, 6, 11)).toBe(ID.bothUntrusted); // Excel's 15 digits against a wrong birth year
    expect(compareId(d, 0, 10)).toBe(ID.different);
    // Birth date and gender are inside an agreeing number: not counted twice.
    expect(compare(d, 0, 6)).toMatchObject({ birth: LEVEL_INDEX.birth.implied, gender: LEVEL_INDEX.gender.implied });
  });

  it('finds the true number among the valid numbers one typo away, and only numbers one edit away', () => {
    const typo = TRUE_ID.slice(0, 12) + '7' + TRUE_ID.slice(13);
    const swap = TRUE_ID.slice(0, 15) + TRUE_ID[16] + TRUE_ID[15] + TRUE_ID.slice(17); // sequence 001 typed 010
    expect(swap).not.toBe(TRUE_ID);
    for (const typed of [typo, swap]) {
      const neighbours = idNeighbours(typed);
      expect(neighbours).toContain(TRUE_ID);
      for (const n of neighbours) {
        expect(hasValidCheckDigit(n)).toBe(true);
        const diffs = [...n].filter((c, i) => c !== typed[i]).length;
        expect(diffs === 1 || diffs === 2).toBe(true);
      }
    }
    // A mistyped check digit: the only neighbour that keeps the first 17 digits is the true number.
    const badCheck = TRUE_ID.slice(0, 17) + (TRUE_ID[17] === '5' ? '6' : '5');
    expect(idNeighbours(badCheck)[0]).toBe(TRUE_ID);
    // And the whole set, against brute force: every string one substitution or adjacent swap away that is valid.
    for (const typed of [typo, swap, badCheck]) expect(new Set(idNeighbours(typed))).toEqual(bruteNeighbours(typed));
  });

  it('lists the numbers Excel could have cut or rounded to 15 digits, each valid, the true one included', () => {
    // Cut: 610923199001020010 → 610923199001020|000.
    expect(roundsTo(TRUE_ID, '610923199001020')).toBe(true);
    expect(truncatedCandidates('610923199001020')).toContain(TRUE_ID);
    // Rounded: a 16th digit of 5 or more carries into the 15th (…0205x → …021).
    // (A number ending in X is never a number cell: Excel keeps it as text.)
    const roundsUp = id('61092319900102067'); // 610923199001020678
    expect(roundsTo(roundsUp, '610923199001021')).toBe(true);
    expect(roundsTo(roundsUp, '610923199001020')).toBe(true);
    expect(truncatedCandidates('610923199001021')).toContain(roundsUp);
    for (const c of truncatedCandidates('610923199001020')) {
      expect(hasValidCheckDigit(c)).toBe(true);
      expect(roundsTo(c, '610923199001020')).toBe(true);
    }
    // Not a cut of it: another birth date.
    expect(roundsTo(id('61092319900103001'), '610923199001020')).toBe(false);
    // The whole set, against arithmetic: every valid all-digit number N with ⌊N / 1000⌋ or ⌊(N + 500) / 1000⌋ = D.
    for (const d of ['610923199001020', '610923199001021', '610923199012319']) {
      const expected = new Set<string>();
      for (let n = BigInt(d) * 1000n - 1000n; n < BigInt(d) * 1000n + 1000n; n++) {
        const s = n.toString().padStart(18, '0');
        if (!hasValidCheckDigit(s) || s.endsWith('X')) continue;
        if (n / 1000n === BigInt(d) || (n + 500n) / 1000n === BigInt(d)) expected.add(s);
      }
      expect(new Set(truncatedCandidates(d))).toEqual(expected);
    }
  });
});

describe('比对部件：归并与人员编号（手算答案）', () => {
  const A = id('61092319800101001'),
    B = id('61092319800101002');

  it('refuses a chain that would put two trusted numbers in one person, unless a clerk joined them', () => {
    // 0 and 2 hold different trusted numbers; 1 has none and looks like both.
    const d = data([{ idNumber: A }, {}, { idNumber: B }]);
    const links = [
      { a: 0, b: 1, weight: 20, rule: 'score' as const },
      { a: 1, b: 2, weight: 15, rule: 'score' as const },
    ];
    const { root, refused } = clusterRecords(d, links, []);
    expect(root[0]).toBe(root[1]);
    expect(root[2]).not.toBe(root[1]);
    expect(refused).toEqual([links[1]]);
    // A clerk's 同一人 joins across numbers (a changed ID, a registry error).
    const clerk = clusterRecords(d, [...links, { a: 0, b: 2, weight: Infinity, rule: 'clerk' }], []);
    expect(new Set(clerk.root).size).toBe(1);
  });

  it('keeps two records a clerk separated apart, whatever chain of links would join them', () => {
    const d = data([{}, {}, {}]);
    const links = [
      { a: 0, b: 1, weight: 30, rule: 'score' as const },
      { a: 1, b: 2, weight: 25, rule: 'score' as const },
    ];
    const { root, refused } = clusterRecords(d, links, [[0, 2]]);
    expect(root[0]).toBe(root[1]);
    expect(root[2]).not.toBe(root[0]);
    expect(refused).toHaveLength(1);
  });

  it('keeps a person id on the part with their earliest record when split, and the oldest id when merged', () => {
    // Split: person 5 held records 0, 1, 2; now {0, 1} and {2}.
    const split = assignPersonIds(
      data([{ personId: 5 }, { personId: 5 }, { personId: 5 }]),
      Int32Array.from([0, 0, 2]),
      9,
    );
    expect([...split.personOf]).toEqual([5, 5, 9]);
    expect(split.created).toEqual([9]);
    expect(split.retired).toEqual([]);
    // Merge: persons 7 (record 0) and 3 (record 1) become one: 3 survives, 7 is retired with 3 as successor.
    const merge = assignPersonIds(data([{ personId: 7 }, { personId: 3 }, {}]), Int32Array.from([0, 0, 2]), 9);
    expect([...merge.personOf]).toEqual([3, 3, 9]);
    expect(merge.retired).toEqual([{ id: 7, reason: 'merged', successor: 3 }]);
  });
});

describe('比对部件：重复参保保留哪条（手算答案）', () => {
  const rec = (id: number, kind: EnrolmentRecord['kind'], villageKey: string | null): EnrolmentRecord => ({
    id,
    kind,
    townshipKey: '城关',
    villageKey,
    insuredStatus: null,
  });
  const national = { employeeWins: true, residentKeep: 'baseVillage' as const, refundCancelledResident: true };

  it('keeps the employee enrolment and cancels the resident one, with the refund said', () => {
    const d = decideDuplicate(
      [rec(1, 'resident_rural', '金星'), rec(2, 'employee', null)],
      rec(9, 'population', '金星'),
      national,
    );
    expect(d.kind).toBe('employeeAndResident');
    expect(d.items.map((i) => [i.record.id, i.action])).toEqual([
      [2, 'keep'],
      [1, 'cancel'],
    ]);
    expect(d.items[1]!.rule).toContain('已缴个人保费予以退还');
  });

  it('of two resident enrolments keeps the one in the registered village, or the earliest when so set', () => {
    const enrol = [rec(1, 'resident_rural', '红旗'), rec(2, 'resident_rural', '金星')];
    const home = decideDuplicate(enrol, rec(9, 'population', '金星'), national);
    expect(home.kind).toBe('twoVillages');
    expect(home.items.find((i) => i.action === 'keep')!.record.id).toBe(2);
    expect(home.items.find((i) => i.action === 'keep')!.rule).toContain('户籍所在村');
    const earliest = decideDuplicate(enrol, rec(9, 'population', '金星'), {
      ...national,
      residentKeep: 'earliest',
      refundCancelledResident: false,
    });
    expect(earliest.items.find((i) => i.action === 'keep')!.record.id).toBe(1);
    expect(earliest.items.find((i) => i.action === 'cancel')!.rule).not.toContain('退还');
  });
});

describe('比对部件：m 与 u 的估计（手算答案）', () => {
  it('estimates u from every pair of a small workspace, smoothed toward the county prior by 1,000 pseudo-pairs', () => {
    // Four records, six pairs: names agree in exactly one pair (张三/张三), differ in five.
    const d = data([{ name: '张三' }, { name: '张三' }, { name: '李四' }, { name: '王五' }]);
    const { u, drawn } = estimateU(d, 400_000);
    expect(drawn).toBe(6);
    const prior = COMPARISONS.name.levels.find((l) => l.name === 'exact')!.uPrior; // 2e-4
    expect(u.name.exact).toBeCloseTo((1 + 1000 * prior) / (6 + 1000), 12);
    expect(u.name.missing).toBe(1);
    // Shared trusted numbers among different people: one in 100,000 records, u = 2ε/n.
    expect(u.id.exact).toBeCloseTo((2 * 1e-5) / 4, 15);
  });

  it('measures m for names on pairs that agree on a trusted number, with half a pseudo-pair per level', () => {
    // 100 anchor pairs: 90 with the same name, 10 with a homophone; places all in the same village.
    const d = data(Array.from({ length: 10 }, () => ({ idNumber: A_ID })));
    const patterns = new Map<number, number>([
      [
        patternKey({
          id: ID.exact,
          name: LEVEL_INDEX.name.exact,
          birth: LEVEL_INDEX.birth.implied,
          gender: LEVEL_INDEX.gender.implied,
          place: LEVEL_INDEX.place.sameVillage,
        }),
        90,
      ],
      [
        patternKey({
          id: ID.exact,
          name: LEVEL_INDEX.name.pinyin,
          birth: LEVEL_INDEX.birth.implied,
          gender: LEVEL_INDEX.gender.implied,
          place: LEVEL_INDEX.place.sameVillage,
        }),
        10,
      ],
    ]);
    const m = estimateM(patterns, d);
    expect(m.anchorPairs).toBe(100);
    // (90 + 5·0.95) / (100 + 5) for exact, (10 + 5·0.03) / 105 for homophones, then normalised over the four levels.
    const raw = {
      exact: (90 + 5 * 0.95) / 105,
      pinyin: (10 + 5 * 0.03) / 105,
      sound: (5 * 0.01) / 105,
      close: (5 * 0.01) / 105,
      different: (5 * 0.01) / 105,
    };
    const sum = raw.exact + raw.pinyin + raw.sound + raw.close + raw.different;
    expect(m.m.name.exact).toBeCloseTo(raw.exact / sum, 12);
    expect(m.m.name.pinyin).toBeCloseTo(raw.pinyin / sum, 12);
    // Every record trusted: exact 1, the six typo and Excel levels (both numbers untrusted among them) floored at
    // 1e-4, birth segment 0.002, different 0.003, so m(exact) = 1 / 1.0056.
    expect(m.m.id.exact).toBeCloseTo(1 / 1.0056, 9);
    expect(m.m.id.birthSegment).toBeCloseTo(0.002 / 1.0056, 9);
  });

  it('estimates u for the one-typo level from pairs at that level whose names differ entirely', () => {
    const u = estimateU(data([{ name: '甲' }, { name: '乙' }]), 10).u;
    const key = (name: number) =>
      patternKey({
        id: ID.oneEdit,
        name,
        birth: LEVEL_INDEX.birth.implied,
        gender: LEVEL_INDEX.gender.implied,
        place: LEVEL_INDEX.place.missing,
      });
    rareIdLevelU(
      new Map([
        [key(LEVEL_INDEX.name.different), 4],
        [key(LEVEL_INDEX.name.exact), 500],
      ]),
      1000,
      u,
    );
    // Worked by hand: u(name different) = (1 + 1000 · 0.9947) / 1001 = 0.9947053 from the two records' one pair;
    // u(one edit) = (4 / 0.9947053 + 1) / 499,500 pairs = 1.0052636e-5.
    expect(u.name.different).toBeCloseTo(0.9947052947, 9);
    expect(u.id.oneEdit).toBeCloseTo(1.005263574e-5, 13);
    // No coincidence seen at the Excel level: one pseudo-pair, 1 / 499,500 — never certainty.
    expect(u.id.prefix15).toBeCloseTo(2.002002e-6, 12);
  });
});

const A_ID = id('61092319700707001');
