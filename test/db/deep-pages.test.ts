import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResultRow } from '../../shared/ipc/contract';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch } from '../../electron/core/match/run-match';
import { Service } from '../../electron/core/service/service';
import { generateCounty } from '../fixtures/county-generator';
import { tempDir } from '../helpers/files';
import { TEST_SEEDS } from '../helpers/seed';

// A page deep in a sorted list is a slice of the list sorted once (kept while the workspace is unchanged): it must
// be exactly the rows the same list read from its start shows there, and a change to the workspace sorts again.
const dir = tempDir();
const seed = TEST_SEEDS[0]!;
const flag = { isSet: () => false, set: () => undefined, clear: () => undefined };
const s = new Service({ actor: '王芳', emit: () => undefined, cancel: flag as never });

beforeAll(async () => {
  const { truth } = await generateCounty({ people: 1600, seed, out: join(dir, 'county') });
  await s.handle('workspace.open', { path: join(dir, 'w.canbao'), create: true });
  for (const f of truth.files) await importFile(s.need(), f.path, { kind: f.kind, year: truth.year });
  runMatch(s.need());
}, 300_000);

type Query = { list: 'persons' | 'uninsured'; sortBy: 'name' | 'village'; sortDir: 'asc' | 'desc'; township?: string };
const ids = (rows: ResultRow[]) => rows.map((r) => r.personId);
/** The list read from its start in one request (the engine's LIMIT … OFFSET 0 path, never the kept order). */
const whole = async (q: Query) => ids((await s.handle('results.list', { ...q, offset: 0, limit: 5000 })).rows);
const pageAt = async (q: Query, offset: number) =>
  ids((await s.handle('results.list', { ...q, offset, limit: 200 })).rows);

describe(`结果列表的深处分页（seed ${seed}）`, () => {
  it('a page deep in 全部人员 sorted by name, either way, shows the rows the whole list shows there', async () => {
    for (const sortDir of ['asc', 'desc'] as const) {
      const q: Query = { list: 'persons', sortBy: 'name', sortDir };
      const all = await whole(q);
      expect(all.length).toBeGreaterThan(1400);
      for (const offset of [1200, 1000, 1350, 200, 0])
        expect(await pageAt(q, offset)).toEqual(all.slice(offset, offset + 200));
    }
  });

  it('a filtered, sorted list pages the same way; another filter is another order', async () => {
    const township = (await s.handle('results.places', {})).townships[0]!.name;
    const q: Query = { list: 'persons', sortBy: 'village', sortDir: 'asc', township };
    const all = await whole(q);
    expect(await pageAt(q, 1000)).toEqual(all.slice(1000, 1200));
    const other: Query = { list: 'persons', sortBy: 'village', sortDir: 'desc' };
    expect(await pageAt(other, 1100)).toEqual((await whole(other)).slice(1100, 1300));
  });

  it('after the workspace changes (a roll removed, then matched again) a deep page is sorted anew', async () => {
    const q: Query = { list: 'persons', sortBy: 'name', sortDir: 'asc' };
    const before = await pageAt(q, 1000);
    const rolls = (await s.handle('workspace.status', {})).rolls;
    const employee = rolls.find((r) => r.kind === 'employee')!;
    await s.handle('roll.remove', { rollId: employee.id });
    runMatch(s.need());
    const all = await whole(q);
    const after = await pageAt(q, 1000);
    expect(after).toEqual(all.slice(1000, 1200));
    expect(after).not.toEqual(before);
  });
});
