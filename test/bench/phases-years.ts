/**
 * Issue 13's benchmark: a county with five years of enrolment rolls (about 6 records a person). The newest year's
 * rolls are linked into a workspace that holds the base and the first four years, fully matched, as the app does
 * (the engine picks incremental or full), next to a full match of one year's workspace (the base and one year's
 * rolls) measured in the same run; then the continuity summary of every person (`canbao continuity --json`).
 *
 * Prepared once under .cache (county, rolls, the four-year and the one-year workspaces) and copied before each
 * measured step, so that every run starts from the same state.
 */
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { continuitySummary } from '../../electron/core/continuity/continuity-report';
import { atRiskList } from '../../electron/core/continuity/continuity-report';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch, type MatchProgress, type MatchSummary } from '../../electron/core/match/run-match';
import { ENGINE_VERSION } from '../../electron/core/match/match-state';
import { generateBase } from '../fixtures/county-generator';
import { generateYearRolls, type YearRolls } from '../fixtures/continuity-histories';
import { fmt, peakRssMB, runPhase, type PhaseResult } from './measure';

/**
 * Part of the cache's name, with the engine's version: rolls or workspaces prepared by an older version of this phase
 * are not reused, nor workspaces whose match state an older engine wrote (the link would be a full match).
 */
const YEARS_VERSION = 1;
const YEARS = [2022, 2023, 2024, 2025, 2026];
const NEWEST = YEARS.at(-1)!;

type Phase = (dir: string, args: string[]) => Promise<{ items: number; extra?: Record<string, unknown> }>;

interface Prepared {
  base: string;
  files: YearRolls['files'];
}
const preparedOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'rolls.json'), 'utf8')) as Prepared;
const wsPath = (dir: string, name: string) => join(dir, `${name}.canbao`);

/** The county's base (for NEWEST) and five years of rolls: both need the generator's persons, so one process. */
const generate: Phase = async (dir, [people, seed]) => {
  const { county, path } = await generateBase({
    people: Number(people),
    seed: Number(seed),
    out: join(dir, 'county'),
    year: NEWEST,
  });
  const rolls = generateYearRolls(county, { seed: Number(seed), years: YEARS, out: dir });
  writeFileSync(join(dir, 'rolls.json'), JSON.stringify({ base: path, files: rolls.files } satisfies Prepared));
  const records = rolls.files.reduce((a, f) => a + f.records, 0);
  const perYear = YEARS.map((y) => rolls.files.filter((f) => f.year === y).reduce((a, f) => a + f.records, 0));
  return { items: records, extra: { people: county.people.length, rollRecords: records, perYear } };
};

/** 'four': the base and the first four years; 'one': the base and the newest year (one year's workspace). */
const importYears: Phase = async (dir, [name]) => {
  const path = wsPath(dir, name!);
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const p = preparedOf(dir);
  const years = name === 'one' ? [NEWEST] : YEARS.slice(0, -1);
  const ws = Workspace.open(path, { create: true });
  let items = (await importFile(ws, p.base, { kind: 'population', year: NEWEST, actor: 'bench' })).records;
  for (const f of p.files)
    if (years.includes(f.year) && f.records)
      items += (await importFile(ws, f.path, { kind: f.kind, year: f.year, actor: 'bench' })).records;
  ws.close();
  return { items };
};

/** The newest year's rolls, imported into the copy of the four-year workspace. */
const importNewest: Phase = async (dir, [name]) => {
  const ws = Workspace.open(wsPath(dir, name!));
  let items = 0;
  for (const f of preparedOf(dir).files)
    if (f.year === NEWEST && f.records)
      items += (await importFile(ws, f.path, { kind: f.kind, year: f.year, actor: 'bench' })).records;
  ws.close();
  return { items };
};

/** CPU seconds (user and system) of this process since `from`: on a shared machine, steadier than the clock. */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(from);
  return Number(((c.user + c.system) / 1e6).toFixed(1));
};

/** A match with the seconds and the RSS at the end of each of its stages (from the progress it reports). */
function timedMatch(path: string, mode: 'full' | 'auto') {
  const ws = Workspace.open(path);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const stages: Record<string, { s: number; rssMB: number }> = {};
  let stage = '';
  let since = t0;
  const close = (now: number) => {
    if (stage) stages[stage] = { s: Number(((now - since) / 1000).toFixed(1)), rssMB: peakRssMB() };
  };
  const s: MatchSummary = runMatch(ws, {
    mode,
    actor: 'bench',
    onProgress: (p: MatchProgress) => {
      if (p.stage === stage) return;
      const now = performance.now();
      close(now);
      stage = p.stage;
      since = now;
    },
  });
  close(performance.now());
  const records = s.records;
  const extra = {
    mode: s.mode,
    changedRecords: s.changedRecords,
    reclustered: s.reclustered,
    blockedRecords: s.blockedRecords,
    records,
    persons: s.persons,
    candidatePairs: s.candidatePairs,
    reviewPending: s.reviewPending,
    matchSeconds: Number(s.seconds.toFixed(1)),
    cpuSeconds: cpuSince(cpu0),
    stages,
  };
  ws.close();
  return { items: records, extra };
}

const matchFull: Phase = async (dir, [name]) => timedMatch(wsPath(dir, name!), 'full');
const matchAsTheAppDoes: Phase = async (dir, [name]) => timedMatch(wsPath(dir, name!), 'auto');

/** What `canbao continuity --json` asks the engine for: the summary of the campaign year over every person. */
const continuity: Phase = async (dir, [name, year]) => {
  const cpu0 = process.cpuUsage();
  const ws = Workspace.open(wsPath(dir, name!), { readonly: true });
  const s = continuitySummary(ws.db, { year: Number(year) });
  ws.close();
  const { waitingMonths, incentiveSteps, persons, insured, atRisk, yearsKnown } = s;
  return {
    items: persons,
    extra: {
      year: s.year,
      persons,
      insured,
      atRisk,
      yearsKnown,
      waitingMonths,
      incentiveSteps,
      cpuSeconds: cpuSince(cpu0),
    },
  };
};

/** The 断保风险名单 of the whole county, as the app's page computes it once before paging. */
const atRisk: Phase = async (dir, [name, year]) => {
  const cpu0 = process.cpuUsage();
  const ws = Workspace.open(wsPath(dir, name!), { readonly: true });
  const r = atRiskList(ws.db, { year: Number(year) });
  ws.close();
  return { items: r.rows.length, extra: { cpuSeconds: cpuSince(cpu0) } };
};

export const yearsPhases: Record<string, Phase> = {
  'years-generate': generate,
  'years-import': importYears,
  'years-import-newest': importNewest,
  'years-match-full': matchFull,
  'years-match': matchAsTheAppDoes,
  'years-continuity': continuity,
  'years-at-risk': atRisk,
};

/** Copies a closed workspace (its WAL checkpointed into the file at close) so a measured step starts afresh. */
function copyWorkspace(dir: string, from: string, to: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(wsPath(dir, to) + suffix, { force: true });
  copyFileSync(wsPath(dir, from), wsPath(dir, to));
}

type Line = (label: string, r: PhaseResult, unit: string) => void;

/** `npm run bench -- --only years`: prepares (or reuses) the five-year county, then measures each step. */
export function benchYears(people: number, seed: string, line: Line): void {
  const dir = resolve('.cache', `years-${people}-${seed}-y${YEARS_VERSION}-e${ENGINE_VERSION}`);
  const out = (s: string) => process.stdout.write(s);
  out(`\n五年参保名册（${fmt(people)} 人，seed ${seed}，${YEARS[0]}–${NEWEST}）\n`);
  const done = join(dir, 'prepared.json');
  if (!existsSync(done)) {
    out('  准备（只做一次，缓存于 .cache）\n');
    const steps: { label: string; r: PhaseResult }[] = [];
    const step = (label: string, phase: string, args: string[], unit: string) => {
      const r = runPhase(phase, args);
      line(label, r, unit);
      if (phase === 'years-match-full') out(`    ${JSON.stringify(r.extra)}\n`);
      steps.push({ label, r });
    };
    step('prepare: base + 5 years of rolls', 'years-generate', [dir, String(people), seed], 'roll rows');
    step('prepare: import base + 4 years', 'years-import', [dir, 'four'], 'rows');
    step('prepare: full match of 4 years', 'years-match-full', [dir, 'four'], 'records');
    step('prepare: import base + 1 year', 'years-import', [dir, 'one'], 'rows');
    writeFileSync(done, JSON.stringify(steps));
  } else {
    out('  准备（缓存，当初的用时）：\n');
    for (const { label, r } of JSON.parse(readFileSync(done, 'utf8')) as { label: string; r: PhaseResult }[]) {
      line(label, r, 'items');
      if (r.phase === 'years-match-full') out(`    ${JSON.stringify(r.extra)}\n`);
    }
  }

  copyWorkspace(dir, 'one', 'one-run');
  const base = runPhase('years-match-full', [dir, 'one-run']);
  line("baseline: full match, one year's ws", base, 'records');
  out(`    ${JSON.stringify(base.extra)}\n`);

  copyWorkspace(dir, 'four', 'six');
  const imp = runPhase('years-import-newest', [dir, 'six']);
  line(`import ${NEWEST} rolls (not the goal)`, imp, 'rows');
  copyWorkspace(dir, 'six', 'six-full');
  const m = runPhase('years-match', [dir, 'six']);
  line(`match after ${NEWEST}'s rolls (app)`, m, 'records');
  out(`    ${JSON.stringify(m.extra)}\n`);
  out(`  match after the newest year / one year's full match: ${(m.seconds / base.seconds).toFixed(2)}× (goal ≤ 1)\n`);
  if ((m.extra as { mode?: string } | undefined)?.mode !== 'incremental')
    out('  !! the newest year was matched in full, not linked: this is not the measure of the goal\n');

  // The newest year, whose rolls are all in: its insured have waiting months and incentive steps to work out.
  const year = String(NEWEST);
  const c = runPhase('years-continuity', [dir, 'six', year]);
  line(`continuity summary ${year}, every person`, c, 'persons');
  out(`    ${JSON.stringify(c.extra)}\n`);
  const r = runPhase('years-at-risk', [dir, 'six', year]);
  line(`断保风险名单 ${year}, whole county`, r, 'rows');
  out(`    ${JSON.stringify(r.extra)}\n`);

  // For the record: the same six years matched in full, what the engine would otherwise have to do.
  const f = runPhase('years-match-full', [dir, 'six-full']);
  line('reference: full match of all 6 years', f, 'records');
  out(`    ${JSON.stringify(f.extra)}\n`);
  for (const name of ['one-run', 'six-full']) rmSync(wsPath(dir, name), { force: true });
}
