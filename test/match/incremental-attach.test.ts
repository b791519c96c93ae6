import { describe, expect, it } from 'vitest';
import { attachNewRecords } from '../../electron/core/match/incremental-attach';
import { PAIR_ID_EXACT, PairWriter } from '../../electron/core/match/match-state';

/**
 * Issue 13: a new year's record joins its person without the person being clustered again only where a full
 * match could not decide otherwise. Each case below is one the rules must send to clustering instead.
 */
describe('新一年的记录直接归入已有人员的条件', () => {
  // Record id → [person (0 for a new record), trusted number held].
  const records: Record<number, [number, boolean]> = {
    1: [10, true],
    2: [10, true],
    3: [0, true], // the same number again
    4: [20, true],
    5: [20, true],
    6: [0, true], // another trusted number, linked by score only
    7: [30, false],
    8: [0, false], // no number on either side
    9: [40, false],
    10: [50, false],
    11: [0, false], // a link between two persons was refused before
    13: [60, false],
    14: [70, false],
    15: [0, false],
    16: [0, false], // a new record reaching two persons
    17: [80, false],
    18: [0, false], // the person changed otherwise (a seed)
    19: [90, false],
    20: [0, false], // a clerk decided a pair of the person
    21: [100, true],
    22: [0, false],
    23: [0, true], // a group of new records, one with the person's number
  };
  const links: [number, number, number, number][] = [
    [1, 2, 20, PAIR_ID_EXACT],
    [1, 3, 20, PAIR_ID_EXACT],
    [2, 3, 20, PAIR_ID_EXACT],
    [4, 5, 20, PAIR_ID_EXACT],
    [4, 6, 12, 0],
    [7, 8, 15, 0],
    [9, 10, 15, 0],
    [9, 11, 15, 0],
    [13, 15, 15, 0],
    [13, 16, 15, 0],
    [14, 15, 15, 0],
    [17, 18, 15, 0],
    [19, 20, 15, 0],
    [21, 23, 20, PAIR_ID_EXACT],
    [22, 23, 14, 0],
  ];
  const writer = new PairWriter(links.length);
  for (const [a, b, w, f] of links) writer.add(a, b, w, f);
  const recordIds = Int32Array.from(Object.keys(records).map(Number));
  const personIds = Int32Array.from(recordIds, (rid) => records[rid]![0]);
  const result = attachNewRecords({
    pairs: writer.finish(),
    recordIds,
    personIds,
    trusted: (p) => records[recordIds[p]!]![1],
    linkWeight: 10,
    seeds: [17],
    seedPersons: [],
    decisions: [[19, 400]],
  });
  const joins = Object.fromEntries(result.positions.map((p) => [recordIds[p]!, result.personOf.get(p)]));

  it('joins a record with the number its person holds, a record with no number to a person with none, and a group holding the number', () => {
    expect(joins).toEqual({ 3: 10, 8: 30, 22: 100, 23: 100 });
  });

  it('clusters again a record with another trusted number, around a refused link, reaching two persons, or where the person changed', () => {
    expect(result.rest).toEqual([6, 11, 15, 16, 18, 20]);
  });
});
