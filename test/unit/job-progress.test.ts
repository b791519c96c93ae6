import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { overallFraction, secondsLeft, timeLeftWords } from '../../shared/ipc/job-progress';
import type { EngineEvent, JobDoneEvent, ProgressEvent } from '../../shared/ipc/jobs';
import { Service } from '../../electron/core/service/service';
import { generateCounty } from '../fixtures/county-generator';
import { tempDir } from '../helpers/files';
import { FIXED_SEED } from '../helpers/seed';

const dir = tempDir('canbao-progress-');

/** Every progress event of one job, in order, and its end. */
function recorder() {
  const progress: ProgressEvent[] = [];
  const done: JobDoneEvent[] = [];
  const flag = { isSet: () => false, set: () => undefined, clear: () => undefined };
  const emit = (e: EngineEvent) => void (e.type === 'progress' ? progress.push(e.event) : done.push(e.event));
  return { s: new Service({ actor: '王芳', emit, cancel: flag as never }), progress, done };
}

/** The bar a clerk watches: never goes back, and ends near full. */
function expectOneBar(events: ProgressEvent[]) {
  const overall = events.map((e) => e.overall).filter((f): f is number => f !== null);
  expect(overall.length).toBeGreaterThan(3);
  for (let i = 1; i < overall.length; i++) expect(overall[i]!).toBeGreaterThanOrEqual(overall[i - 1]!);
  expect(overall.at(-1)!).toBeGreaterThan(0.9);
  expect(overall.at(-1)!).toBeLessThanOrEqual(1);
}

describe(`一个任务一条进度条（seed ${FIXED_SEED}）`, () => {
  it('an import of three sheets moves one bar from start to end, instead of starting again at each sheet', async () => {
    const { truth } = await generateCounty({ people: 3000, seed: FIXED_SEED, out: join(dir, 'county') });
    const { s, progress, done } = recorder();
    await s.handle('workspace.open', { path: join(dir, 'w.canbao'), create: true });
    const base = truth.files.find((f) => f.kind === 'population')!;
    await s.handle('import.run', { path: base.path, kind: 'population', year: 2026 });
    await expect.poll(() => done.length).toBe(1);
    expect(done[0]!.ok).toBe(true);
    const sheets = new Set(progress.filter((p) => p.stage === 'read').map((p) => p.label));
    expect(sheets.size).toBe(3);
    expectOneBar(progress);
    expect(progress.map((p) => p.label)).toContain('备份工作区');

    // And a match over its stages, with every stage named in Chinese.
    await s.handle('match.run', {});
    await expect.poll(() => done.length).toBe(2);
    const match = progress.filter((p) => p.jobId !== progress[0]!.jobId);
    expectOneBar(match);
    for (const p of match) expect(p.label).not.toMatch(/[A-Za-z]{3,}/);
    s.close();
  });

  it('says the time left only once there is enough to go on, in minutes a clerk reads', () => {
    expect(secondsLeft(0.01, 10)).toBeNull();
    expect(secondsLeft(0.5, 1)).toBeNull();
    expect(secondsLeft(0.25, 60)).toBe(180);
    expect(timeLeftWords(180)).toBe('约剩 3 分钟');
    expect(timeLeftWords(42)).toBe('约剩 50 秒');
    expect(timeLeftWords(5)).toBe('即将完成');
    expect(timeLeftWords(4000)).toBe('约剩 1 小时 7 分钟');
    expect(timeLeftWords(null)).toBe('');
  });

  it('places each match stage at its measured share of the whole', () => {
    expect(overallFraction('match.run', 'load', 0, 1)).toBe(0);
    expect(overallFraction('match.run', 'estimate', 0, 1)).toBeCloseTo(0.25);
    expect(overallFraction('match.run', 'outcomes', 1, 1)).toBeCloseTo(1);
    expect(overallFraction('import.run', 'read', 10, null, 0.5)).toBeCloseTo(0.51);
    expect(overallFraction('export.run', 'export', 30, 120)).toBe(0.25);
  });
});
