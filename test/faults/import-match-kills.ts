/**
 * Kill trials for import and match: the CLI runs in a child process on a small generated county and is killed
 * (SIGKILL: no handler, no cleanup, like a power cut of the process) at a seeded random moment; the workspace is then
 * reopened for writing (which must recover the dead process's lock) and checked against a clean run.
 * Used by test/faults/import-match-kills.test.ts at small n, and by the bench at n = 50.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Workspace } from '../../electron/core/db/workspace';
import { lockPathOf } from '../../electron/core/db/workspace-lock';
import { generateCounty } from '../fixtures/county-generator';
import type { GeneratedFile } from '../fixtures/county-generator';

export interface KillReport {
  /** Runs made: a kill moment drawn after a run's end finds it finished, so trials go on until `kills` reach n. */
  trials: number;
  kills: number;
  rowsLost: number;
  partialStates: number;
  /** One line per trial that found something wrong, for the test's message. */
  problems: string[];
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = ['--max-semi-space-size=32', '--import', 'tsx', join(ROOT, 'electron/core/cli/main.ts')];

/** mulberry32: a small seeded generator, so a trial's kill moment replays from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Run {
  code: number | null;
  killed: boolean;
  err: string;
  ms: number;
}

/** Runs the CLI; kills it after `killAfterMs` when given. */
export function runCliProcess(args: string[], killAfterMs?: number): Promise<Run> {
  return new Promise((done) => {
    const started = Date.now();
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    let killed = false;
    const timer =
      killAfterMs === undefined
        ? null
        : setTimeout(() => {
            killed = child.kill('SIGKILL');
          }, killAfterMs);
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      done({ code, killed: killed && code === null, err, ms: Date.now() - started });
    });
  });
}

async function county(seed: number, people: number): Promise<{ dir: string; files: GeneratedFile[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'canbao-kills-'));
  const { truth } = await generateCounty({ people, seed, out: join(dir, 'county') });
  return { dir, files: truth.files };
}

const count = (ws: Workspace, sql: string) => (ws.db.prepare(sql).get() as { n: number }).n;

/** Reopens for writing (recovering the lock) and checks integrity; null when the workspace was never created. */
function reopen(path: string, problems: string[], label: string): Workspace | null {
  if (!existsSync(path)) return null;
  let ws: Workspace;
  try {
    ws = Workspace.open(path);
  } catch (e) {
    problems.push(`${label}: reopen failed: ${(e as Error).message}`);
    return null;
  }
  const check = ws.db.pragma('integrity_check', { simple: true });
  if (check !== 'ok') problems.push(`${label}: integrity_check ${String(check)}`);
  return ws;
}

function closeAndCheckLock(ws: Workspace, path: string, problems: string[], label: string): void {
  ws.close();
  if (existsSync(lockPathOf(path))) problems.push(`${label}: lock left after close`);
}

/**
 * Kills `canbao import` of one roll into a fresh workspace n times. After each kill the roll is either fully present
 * (its records equal the file's rows) or absent; a roll without all its records is a partial state, rows missing
 * from a present roll are rows lost.
 */
export async function importKillTrials(n: number, seed: number, people = 600): Promise<KillReport> {
  const { dir, files } = await county(seed, people);
  const file = files.find((f) => f.kind === 'employee') ?? files[0]!;
  const args = (ws: string) => ['import', '--workspace', ws, '--kind', file.kind, '--year', '2026', file.path];
  const clean = await runCliProcess(args(join(dir, 'clean.canbao')));
  if (clean.code !== 0) throw new Error(`clean import failed: ${clean.err}`);
  const random = rng(seed);
  const report: KillReport = { trials: 0, kills: 0, rowsLost: 0, partialStates: 0, problems: [] };
  for (let i = 0; report.kills < n && i < 3 * n; i++) {
    report.trials++;
    const path = join(dir, `import-${i}.canbao`);
    const run = await runCliProcess(args(path), Math.floor(random() * clean.ms * 1.1));
    if (run.killed) report.kills++;
    const label = `import trial ${i} (seed ${seed})`;
    const ws = reopen(path, report.problems, label);
    if (!ws) continue;
    const rolls = count(ws, 'SELECT count(*) AS n FROM roll');
    const records = count(ws, 'SELECT count(*) AS n FROM record');
    const orphanRolls = count(ws, 'SELECT count(*) AS n FROM roll WHERE id NOT IN (SELECT roll_id FROM record)');
    if (rolls === 0 && records !== 0) report.partialStates++;
    if (orphanRolls > 0) report.partialStates++;
    if (rolls > 0 && records < file.records) report.rowsLost += file.records - records;
    if (!run.killed && run.code === 0 && records !== file.records) report.rowsLost += file.records - records;
    if (report.partialStates || report.rowsLost) report.problems.push(`${label}: rolls ${rolls}, records ${records}`);
    closeAndCheckLock(ws, path, report.problems, label);
  }
  return report;
}

const MATCH_TABLES = ['person', 'person_status', 'duplicate_item', 'review_pair', 'match_run'] as const;

function matchCounts(ws: Workspace): string {
  return MATCH_TABLES.map((t) => `${t}=${count(ws, `SELECT count(*) AS n FROM ${t}`)}`).join(' ');
}

/**
 * Kills `canbao match` on a workspace holding the whole county n times. After each kill the match tables hold
 * either exactly what they held before (no match) or exactly what a clean match writes; anything else is partial.
 */
export async function matchKillTrials(n: number, seed: number, people = 600): Promise<KillReport> {
  const { dir, files } = await county(seed, people);
  const base = join(dir, 'base.canbao');
  for (const f of files) {
    const r = await runCliProcess(['import', '--workspace', base, '--kind', f.kind, '--year', '2026', f.path]);
    if (r.code !== 0) throw new Error(`import of ${f.path} failed: ${r.err}`);
  }
  const records = files.reduce((a, f) => a + f.records, 0);
  const before = (() => {
    const ws = Workspace.open(base, { readonly: true });
    const c = matchCounts(ws);
    ws.close();
    return c;
  })();
  const cleanPath = join(dir, 'clean.canbao');
  copyFileSync(base, cleanPath);
  const clean = await runCliProcess(['match', '--workspace', cleanPath]);
  if (clean.code !== 0) throw new Error(`clean match failed: ${clean.err}`);
  const after = (() => {
    const ws = Workspace.open(cleanPath, { readonly: true });
    const c = matchCounts(ws);
    ws.close();
    return c;
  })();
  const random = rng(seed ^ 0x5eed);
  const report: KillReport = { trials: 0, kills: 0, rowsLost: 0, partialStates: 0, problems: [] };
  mkdirSync(join(dir, 'trials'), { recursive: true });
  for (let i = 0; report.kills < n && i < 3 * n; i++) {
    report.trials++;
    const path = join(dir, 'trials', `match-${i}.canbao`);
    copyFileSync(base, path);
    const run = await runCliProcess(['match', '--workspace', path], Math.floor(random() * clean.ms * 1.1));
    if (run.killed) report.kills++;
    const label = `match trial ${i} (seed ${seed})`;
    const ws = reopen(path, report.problems, label);
    if (!ws) {
      report.partialStates++;
      continue;
    }
    const got = matchCounts(ws);
    if (got !== before && got !== after) {
      report.partialStates++;
      report.problems.push(`${label}: ${got}; before ${before}; clean ${after}`);
    }
    const kept = count(ws, 'SELECT count(*) AS n FROM record');
    if (kept < records) report.rowsLost += records - kept;
    closeAndCheckLock(ws, path, report.problems, label);
  }
  return report;
}
