import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every page writes counts and times through shared/text/clerk-format.ts (12,345; 2026-11-27 10:05): the browser's
// own forms differ with its locale and version ("2026/11/27 10:05:09", "12345" in some), so none is used directly.
const renderer = resolve(import.meta.dirname, '../../renderer/src');
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );

describe('one form of numbers and dates on every page', () => {
  it('no page formats a number or a date in the browser’s own way', () => {
    const own = /\.toLocale(String|DateString|TimeString)\(|\.toISOString\(\)\.(slice|substring|replace)|Intl\./;
    const offenders = sources(renderer).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (own.test(line) ? [`${file.slice(renderer.length + 1)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(sources(renderer).length).toBeGreaterThan(20);
    expect(offenders).toEqual([]);
  });
});
