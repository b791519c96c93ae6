import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch, type MatchSummary } from '../../electron/core/match/run-match';
import { GENERATED_FILES, generateCounty, type CountyTruth } from '../fixtures/county-generator';
import { tempDir } from '../helpers/files';
import { TEST_SEEDS } from '../helpers/seed';
import { scoreAgainstTruth, type Scored } from '../helpers/truth';

// Counties with the damage real rolls show (issue 15: Excel damage and missing IDs in the base too, cut IDs that
// pass the checksum, names typed by ear). 6,000 people with the fixed seed and one the parameters were not tuned on
// (printed in the test name; replay with CANBAO_SEED, see test/helpers/seed.ts), and 20,000 with the first seed only,
// held to issue 15's targets (200,000 is measured by hand: test/match/measure-accuracy.ts).
const runs = [
  ...TEST_SEEDS.map((seed) => ({ people: 6000, seed, strict: false })),
  { people: 20000, seed: TEST_SEEDS[0]!, strict: true },
];
const dir = tempDir();
const results: { truth: CountyTruth; summary: MatchSummary; score: Scored }[] = [];

beforeAll(async () => {
  for (const r of runs) {
    const out = join(dir, `c-${r.people}-${r.seed}`);
    const { truth } = await generateCounty({ people: r.people, seed: r.seed, out, damage: 'real' });
    const ws = Workspace.open(join(out, 'w.canbao'), { create: true });
    for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year });
    const summary = runMatch(ws);
    results.push({ truth, summary, score: scoreAgainstTruth(ws.db, out, truth) });
    ws.close();
  }
});

// A 6,000-person county lists about 250 uninsured and 50–90 duplicates: one error moves uninsured precision by 0.004
// and duplicate recall by up to 0.02 (a duplicate in another village whose two numbers Excel and a clerk both
// damaged cannot be told), so the small counties are held to looser bounds than the 20,000-person one.
describe.each(runs.map((r, i) => ({ ...r, i })))(
  '比对准确率（真实损坏）：模拟县 $people 人（seed $seed）',
  ({ i, strict }) => {
    it('links records automatically with pairwise precision ≥ 0.999 and recall ≥ 0.998', () => {
      const { score } = results[i]!;
      expect(score.pairPrecision).toBeGreaterThanOrEqual(0.999);
      expect(score.pairRecall).toBeGreaterThanOrEqual(0.998);
    });
    it(`finds the uninsured with precision ≥ ${strict ? 0.998 : 0.99} and recall ≥ ${strict ? 0.999 : 0.99}, before any review`, () => {
      const { score } = results[i]!;
      expect(score.uninsuredPrecision).toBeGreaterThanOrEqual(strict ? 0.998 : 0.99);
      expect(score.uninsuredRecall).toBeGreaterThanOrEqual(strict ? 0.999 : 0.99);
    });
    it(`finds duplicate enrolments with precision and recall ≥ ${strict ? 0.995 : 0.96}`, () => {
      const { score } = results[i]!;
      expect(score.duplicatePrecision).toBeGreaterThanOrEqual(strict ? 0.995 : 0.96);
      expect(score.duplicateRecall).toBeGreaterThanOrEqual(strict ? 0.995 : 0.96);
    });
    it('sends at most 0.3% of records to review and never merges twins', () => {
      const { score, summary, truth } = results[i]!;
      expect(summary.reviewPending / summary.records).toBeLessThanOrEqual(0.003);
      expect(truth.twins.length).toBeGreaterThan(0);
      expect(score.twinsMerged).toBe(0);
    });
    it('is measured on damage in the base too: about 1 ID in 100 Excel-damaged, 1 in 100 missing', () => {
      const { truth } = results[i]!;
      const base = readFileSync(join(dir, `c-${runs[i]!.people}-${runs[i]!.seed}`, 'truth-records.tsv'), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith(GENERATED_FILES.population));
      const share = (status: string) => base.filter((l) => l.endsWith(`\t${status}`)).length / truth.basePeople;
      expect(share('excelDamaged')).toBeGreaterThan(0.006);
      expect(share('missing')).toBeGreaterThan(0.006);
    });
  },
);
