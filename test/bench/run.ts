/**
 * npm run bench [-- --people N --seed S --only import,match,export]
 * Generates (or reuses) a synthetic county, then measures each engine phase in its own process next to a
 * baseline measured in the same run, printing throughput and peak RSS.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCounty } from '../fixtures/county-generator';
import { fmt, runPhase, type PhaseResult } from './measure';
import { measureScroll } from './ui-scroll';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '20261123' },
    only: { type: 'string', default: 'import' },
  },
});
const people = Number(values.people);
// The generator's version is part of the name: a county written by an older generator is not reused.
const GENERATOR_VERSION = 2; // 2: Excel damage as Excel leaves it (6.10921E+17, six digits; issue 17)
const cache = resolve('.cache', `county-${people}-${values.seed}-g${GENERATOR_VERSION}`);
const workspace = join(cache, 'bench.canbao');
const only = new Set(values.only!.split(','));

if (!existsSync(join(cache, 'truth.json'))) {
  const t0 = performance.now();
  process.stdout.write(`生成 ${fmt(people)} 人的模拟县（seed ${values.seed}）…\n`);
  await generateCounty({ people, seed: Number(values.seed), out: cache });
  process.stdout.write(`  用时 ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

const line = (label: string, r: PhaseResult, unit: string) =>
  process.stdout.write(
    `  ${label.padEnd(34)} ${r.seconds.toFixed(1).padStart(7)} s  ${fmt(r.items / r.seconds).padStart(10)} ${unit}/s  peak RSS ${fmt(r.peakRssMB).padStart(6)} MB\n`,
  );

if (only.has('import')) {
  process.stdout.write(`\n导入（${fmt(people)} 人）\n`);
  const floor = runPhase('read-floor', [cache, workspace]);
  line('baseline: bare readers only', floor, 'rows');
  const imp = runPhase('import', [cache, workspace]);
  line('canbao import (4 files)', imp, 'rows');
  process.stdout.write(
    `  records imported: ${fmt(imp.items)}; rows read by the baseline: ${fmt(floor.items)}; import / floor time: ${(imp.seconds / floor.seconds).toFixed(2)}×\n`,
  );
}
for (const phase of ['match', 'export']) {
  if (!only.has(phase)) continue;
  const baseline = runPhase(`${phase}-baseline`, [cache, workspace]);
  const r = runPhase(phase, [cache, workspace]);
  process.stdout.write(`\n${phase}\n`);
  if (phase === 'match') {
    const x = baseline.extra as {
      exactIdGroupingSeconds: number;
      exactIdGroupingRecordsPerSecond: number;
      fusePerQuerySeconds: number;
      fuseOneQueryPerRecordExtrapolatedHours: number;
    };
    process.stdout.write(
      `  baseline: exact-ID grouping (VLOOKUP)    ${x.exactIdGroupingSeconds} s  ${fmt(x.exactIdGroupingRecordsPerSecond)} records/s (finds only identical IDs)\n`,
    );
    process.stdout.write(
      `  baseline: fuse.js one query per record   ${x.fusePerQuerySeconds} s/query → ${x.fuseOneQueryPerRecordExtrapolatedHours} h for all records (extrapolated from a sample)\n`,
    );
  } else line(`baseline: ${String(baseline.extra?.label ?? '')}`, baseline, 'records');
  line(`canbao ${phase}`, r, 'records');
  if (r.extra) process.stdout.write(`    ${JSON.stringify(r.extra)}\n`);
  if (phase === 'match')
    process.stdout.write(
      `    accuracy against the generator's truth: ${JSON.stringify(runPhase('match-accuracy', [cache, workspace]).extra)}\n`,
    );
}

if (only.has('scroll')) {
  const r = await measureScroll(workspace, resolve('test-output', 'bench-1m-scroll-screenshot.png'));
  process.stdout.write(
    `\n界面滚动（全部人员 ${fmt(r.rows)} 行，Chromium 无头模式）\n  ${r.frames} 帧：中位 ${r.median.toFixed(1)} ms，95% ${r.p95.toFixed(1)} ms，最长 ${r.max.toFixed(1)} ms\n`,
  );
}
