/**
 * One variable seeds every random test. `CANBAO_SEED=N npm test` replays a run exactly: every seeded test (county
 * generator, fast-check properties) then uses N alone. Without it a run uses the fixed seed — the same county every
 * run, so a red run is never luck — plus one fresh seed drawn for this run, so the rules are also tried on data
 * nobody tuned them to. Every seed is printed in the test's name; a failing fresh seed is replayed with CANBAO_SEED.
 * A file with fast-check properties imports PROPERTY_SEED (which configures fast-check) and prints it in a name.
 */
import fc from 'fast-check';

export const FIXED_SEED = 20261126;

function drawFresh(): number {
  return Math.floor(Math.random() * 1e9);
}

const pinned = process.env.CANBAO_SEED ? Number(process.env.CANBAO_SEED) : null;
if (pinned !== null && !Number.isSafeInteger(pinned))
  throw new Error(`CANBAO_SEED must be an integer, got ${process.env.CANBAO_SEED}`);

/** The seeds this run uses: [CANBAO_SEED], or [the fixed seed, one fresh seed]. */
export const TEST_SEEDS: readonly number[] = pinned !== null ? [pinned] : [FIXED_SEED, drawFresh()];

/** The seed of fast-check's properties in this run: CANBAO_SEED, or a fresh one (printed in the describe's name). */
export const PROPERTY_SEED: number = pinned ?? drawFresh();
fc.configureGlobal({ seed: PROPERTY_SEED });
