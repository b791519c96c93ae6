import { join } from 'node:path';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { generateCounty, type CountyTruth } from '../fixtures/county-generator';
import { generateYearRolls, type YearRolls } from '../fixtures/continuity-histories';
import type { County } from '../fixtures/gen/people';

/**
 * A county's population base of `baseYear` and its generated enrolment rolls of `years`, imported by 王芳 into a new
 * workspace at `path`, as a clerk brings in several years: not matched yet.
 */
export async function yearsWorkspace(o: {
  people: number;
  seed: number;
  years: number[];
  baseYear: number;
  dir: string;
  path: string;
}): Promise<{ ws: Workspace; truth: CountyTruth; county: County; rolls: YearRolls }> {
  const { truth, county } = await generateCounty({
    people: o.people,
    seed: o.seed,
    out: join(o.dir, 'county'),
    year: o.baseYear,
  });
  const rolls = generateYearRolls(county, { seed: o.seed, years: o.years, out: o.dir });
  const ws = Workspace.open(o.path, { create: true });
  const base = truth.files.find((f) => f.kind === 'population')!;
  await importFile(ws, base.path, { kind: 'population', year: o.baseYear, actor: '王芳' });
  for (const f of rolls.files)
    if (f.records) await importFile(ws, f.path, { kind: f.kind, year: f.year, actor: '王芳' });
  return { ws, truth, county, rolls };
}
