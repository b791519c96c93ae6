/**
 * The incremental re-match's hash table (electron/core/match/hash-table.ts) against a Map, on random operations
 * (fast-check, seed printed below): hashes across the whole 32-bit range, many colliding in their low bits, and
 * enough of them to make the table grow several times.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HashTable } from '../../electron/core/match/hash-table';
import { PROPERTY_SEED } from '../helpers/seed';

const hash = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }),
  // Values that differ only in their high bits land near each other before the Fibonacci spread.
  fc.integer({ min: 0, max: 63 }).map((k) => ((k << 26) | 5) >>> 0),
  fc.constantFrom(0x80000000, 0xffffffff, 1, 0),
);
const op = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), h: hash, count: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('bump' as const), h: hash }),
);

describe(`增量比对的散列表：与 Map 相同（fast-check seed ${PROPERTY_SEED}）`, () => {
  it('holds, counts and lists every hash as a Map does, 0 never', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), fc.array(hash, { maxLength: 50 }), (ops, probes) => {
        const table = new HashTable(4);
        const map = new Map<number, number>();
        for (const o of ops) {
          if (o.kind === 'add') {
            table.add(o.h, o.count);
            if (o.h !== 0) map.set(o.h, (map.get(o.h) ?? 0) + o.count);
          } else {
            table.bump(o.h);
            if (map.has(o.h)) map.set(o.h, map.get(o.h)! + 1);
          }
        }
        expect(table.size).toBe(map.size);
        for (const h of [...probes, ...map.keys()]) {
          expect(table.has(h)).toBe(map.has(h));
          expect(table.count(h)).toBe(map.get(h) ?? -1);
        }
        const listed = new Map<number, number>();
        table.forEach((h, c) => listed.set(h, c));
        expect(listed).toEqual(map);
      }),
    );
  });

  it('answers the same past the size where it stops keeping a bit per hash (a new year’s link: millions of hashes)', () => {
    const table = new HashTable(16);
    const members = 700_000;
    let x = PROPERTY_SEED >>> 0 || 1;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    const map = new Map<number, number>();
    for (let i = 0; i < members; i++) {
      const h = next() || 1;
      table.add(h, 1);
      map.set(h, (map.get(h) ?? 0) + 1);
    }
    expect(table.size).toBe(map.size);
    // Counted, not one expect per hash (a million expects take seconds).
    let wrongCounts = 0,
      wrongAnswers = 0;
    for (const [h, c] of map) if (table.count(h) !== c) wrongCounts++;
    for (let i = 0; i < 100_000; i++) {
      const h = next() || 1;
      if (table.has(h) !== map.has(h)) wrongAnswers++;
    }
    expect({ wrongCounts, wrongAnswers }).toEqual({ wrongCounts: 0, wrongAnswers: 0 });
  });
});
