/**
 * Vitest global setup of the browser project: the renderer is built once for every browser file, as the packaged
 * app serves it (into out/renderer). Each file building it again cost 5–10 s of a 20-minute CI budget, 13 times.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function setup(): void {
  execFileSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error'], {
    cwd: resolve(import.meta.dirname, '../..'),
    stdio: 'inherit',
  });
}
