/**
 * Measures matching accuracy by hand on a generated county, larger than tests can afford (issue 15's 200,000):
 *   npx tsx test/match/measure-accuracy.ts --people 200000 --seed 7 [--damage real] [--dir /tmp/x]
 * Prints the scores against the generator's truth, the review share and the match time. Not a test: no assertions.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch } from '../../electron/core/match/run-match';
import { generateCounty, type CountyTruth, type DamageKind } from '../fixtures/county-generator';
import { scoreAgainstTruth } from '../helpers/truth';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '20261126' },
    damage: { type: 'string', default: 'real' },
    dir: { type: 'string', default: '/tmp/canbao-measure' },
  },
});
const people = Number(values.people),
  seed = Number(values.seed);
const out = join(values.dir, `c-${people}-${seed}-${values.damage}`);
const wsPath = join(out, 'w.canbao');
if (!existsSync(wsPath)) {
  mkdirSync(out, { recursive: true });
  const { truth } = await generateCounty({ people, seed, out, damage: values.damage as DamageKind });
  const ws = Workspace.open(wsPath, { create: true });
  for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year });
  ws.close();
}
const truth = JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')) as CountyTruth;
const ws = Workspace.open(wsPath);
const started = performance.now();
const summary = runMatch(ws);
const seconds = (performance.now() - started) / 1000;
const s = scoreAgainstTruth(ws.db, out, truth);
ws.close();
const f = (x: number) => x.toFixed(4);
process.stdout.write(
  `${people} people seed ${seed} damage ${values.damage}: ${summary.records} records, match ${seconds.toFixed(1)} s\n` +
    `  pairs P ${f(s.pairPrecision)} R ${f(s.pairRecall)} | uninsured P ${f(s.uninsuredPrecision)} R ${f(s.uninsuredRecall)}` +
    ` | duplicates P ${f(s.duplicatePrecision)} R ${f(s.duplicateRecall)} | twins merged ${s.twinsMerged}` +
    ` | review ${summary.reviewPending} (${((100 * summary.reviewPending) / summary.records).toFixed(3)}%)\n`,
);
