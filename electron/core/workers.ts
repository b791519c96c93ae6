import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The file of a worker entry: the compiled .js in the app (beside the calling module, or one folder up when the
 * bundler put the caller into a chunks/ folder), else the tsx dev entry (-dev.mjs) beside the source in a checkout.
 */
export function workerUrl(base: string, name: string): URL {
  for (const candidate of [`./${name}.js`, `../${name}.js`]) {
    const js = new URL(candidate, base);
    if (existsSync(fileURLToPath(js))) return js;
  }
  return new URL(`./${name}-dev.mjs`, base);
}

/**
 * V8 limits for the engine's worker threads.
 * - A 96 MB young generation (32 MB semi-spaces): parsing a county roll allocates millions of short-lived objects,
 *   and with V8's default the scavenger ran so often that import took half as long again (measured here: 9.8 s →
 *   6.4 s for 194,000 rows). The CLI passes --max-semi-space-size=32 for the same reason.
 * - A 4 GB old generation: V8 sizes its default from the machine's memory, which on an 8 GB office PC is less than
 *   matching a 1,000,000-person county needs.
 */
export const ENGINE_LIMITS = { maxYoungGenerationSizeMb: 96, maxOldGenerationSizeMb: 4096 };
