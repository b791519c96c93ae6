/**
 * Kill trials of the CLI's export: each trial starts `canbao export` in a child process, SIGKILLs it at a seeded
 * random moment, and checks the folder: every file under a final name must be complete. Then a second export into
 * the same folder runs to the end; it must clean the killed export's staging folder. Used by export-kills.test.ts at
 * small n and by the bench at n = 50.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch } from '../../electron/core/match/run-match';
import { generateCounty } from '../fixtures/county-generator';
import { rng } from './import-match-kills';

export interface ExportKillReport {
  /** Exports started: trials go on until `kills` reach n (a moment drawn after an export's end kills nothing). */
  trials: number;
  kills: number;
  filesChecked: number;
  partialFiles: string[];
  stagingLeftAfterNextExport: number;
}

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'electron/core/cli/main.ts');
const STAGING = '.canbao-export-';
// CSV: the same workspace exported twice on one day gives the same bytes, so a file left by a killed export can be
// checked against the next export's manifest even when the killed one never wrote its own.
const ARGS = ['--what', 'ledger,duplicates,persons,rates,linkage,issues', '--format', 'csv', '--mask', '6-4'];

function startExport(ws: string, out: string) {
  return spawn(process.execPath, ['--import', 'tsx', CLI, 'export', '--workspace', ws, ...ARGS, '--out', out], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs an export to its end: its exit code, and what it said on stderr (for the failure's message). */
async function runToEnd(ws: string, out: string): Promise<{ code: number; err: string }> {
  const child = startExport(ws, out);
  child.stdout.resume();
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((res) => child.on('exit', (code) => res({ code: code ?? -1, err })));
}

/**
 * Kills the export after `delayMs`, or lets it end by itself; resolves once the process is gone, with whether the
 * kill came first.
 */
async function killAfter(ws: string, out: string, delayMs: number): Promise<boolean> {
  const child = startExport(ws, out);
  child.stdout.resume();
  child.stderr.resume();
  const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_code, signal) => res(signal)));
  const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
  const signal = await exited;
  clearTimeout(timer);
  return signal === 'SIGKILL';
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const manifests = (dir: string) => readdirSync(dir).filter((f) => /^导出清单-.*\.json$/.test(f));
type Manifest = { files: { file: string; sha256: string }[] };
const readManifest = (dir: string, name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as Manifest;

export async function exportKillTrials(n: number, seed: number, people = 1500): Promise<ExportKillReport> {
  const dir = mkdtempSync(join(tmpdir(), 'canbao-export-kills-'));
  const random = rng(seed);
  const report: ExportKillReport = {
    trials: 0,
    kills: 0,
    filesChecked: 0,
    partialFiles: [],
    stagingLeftAfterNextExport: 0,
  };
  try {
    const { truth } = await generateCounty({ people, seed, out: join(dir, 'county') });
    const ws = join(dir, 'w.canbao');
    const w = Workspace.open(ws, { create: true });
    for (const f of truth.files) await importFile(w, f.path, { kind: f.kind, year: truth.year });
    runMatch(w);
    w.close();
    // One whole export first: how long it takes sets the range the kills are drawn from (startup included).
    const started = Date.now();
    const reference = await runToEnd(ws, join(dir, 'reference'));
    if (reference.code !== 0) throw new Error(`reference export failed: ${reference.err}`);
    const span = Date.now() - started;

    for (let i = 0; report.kills < n && i < 3 * n; i++) {
      report.trials++;
      const out = join(dir, `trial-${i}`);
      if (await killAfter(ws, out, Math.floor(random() * span))) report.kills++;
      const left = existsSync(out) ? readdirSync(out) : [];
      const own = existsSync(out) && manifests(out).length ? readManifest(out, manifests(out)[0]!) : null;
      // Hashed now: the next export replaces these names.
      const finals = new Map(
        left.filter((f) => !f.startsWith(STAGING) && !/^导出清单-/.test(f)).map((f) => [f, sha256(join(out, f))]),
      );

      const after = await runToEnd(ws, out);
      if (after.code !== 0) throw new Error(`export after kill ${i} failed (exit ${after.code}): ${after.err}`);
      report.stagingLeftAfterNextExport += readdirSync(out).filter((f) => f.startsWith(STAGING)).length;
      const ownName = own ? manifests(out)[0] : null;
      const next = readManifest(
        out,
        manifests(out).find((m) => m !== ownName)!,
      );
      // A killed export's own manifest must match its files; without one, each file must equal the next export's.
      const expected = new Map((own ?? next).files.map((f) => [f.file, f.sha256]));
      for (const [f, hash] of finals) {
        report.filesChecked++;
        if (expected.get(f) !== hash) report.partialFiles.push(`trial-${i}/${f}`);
      }
    }
    return report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
