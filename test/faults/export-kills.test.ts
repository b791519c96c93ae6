import { describe, expect, it } from 'vitest';
import { FIXED_SEED, TEST_SEEDS } from '../helpers/seed';
import { exportKillTrials } from './export-kills';

const seed = TEST_SEEDS.at(-1) ?? FIXED_SEED;

describe(`导出被强行终止（seed ${seed}）`, () => {
  it('after each kill every file under a final name is complete, and the next export leaves no staging folder', async () => {
    const r = await exportKillTrials(6, seed, 800);
    expect(r.kills).toBe(6);
    expect(r.partialFiles).toEqual([]);
    expect(r.stagingLeftAfterNextExport).toBe(0);
  }, 600_000);
});
