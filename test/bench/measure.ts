import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface PhaseResult {
  phase: string;
  seconds: number;
  items: number;
  peakRssMB: number;
  extra?: Record<string, unknown>;
}

/** Peak resident set size of this process so far (Linux VmHWM), in MB. */
export function peakRssMB(): number {
  try {
    const m = readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+) kB/);
    if (m) return Math.round(+m[1]! / 1024);
  } catch {
    // not Linux: fall back to the current RSS
  }
  return Math.round(process.memoryUsage().rss / 1048576);
}

/** Runs one phase in its own process so each peak RSS is that phase's alone. */
export function runPhase(phase: string, args: string[], env: NodeJS.ProcessEnv = process.env): PhaseResult {
  // The same V8 young-generation size the CLI and the app's engine worker use (see README), for baseline and engine alike.
  const r = spawnSync(
    process.execPath,
    ['--max-semi-space-size=32', '--import', 'tsx', new URL('./phase.ts', import.meta.url).pathname, phase, ...args],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (r.status !== 0) throw new Error(`bench phase ${phase} failed (exit ${r.status})`);
  const last = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(last) as PhaseResult;
}

/** The encryption comparison runs the same phases on an encrypted workspace: the password comes by environment. */
export function benchPassword(): string | undefined {
  return process.env.CANBAO_BENCH_PASSWORD || undefined;
}

export function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
