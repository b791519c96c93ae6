import { defineConfig } from 'vitest/config';

// Unit and db tests run in plain Node. E2E (browser) and LibreOffice checks are their own project:
// they need Debian's chromium / soffice, which .ci/run installs.
export default defineConfig({
  test: {
    // Both cores: vitest's default on a 2-core machine is one worker, which ran every file in turn (16.7 min of tests
    // in a 20-minute CI budget). Browser files still run one at a time (fileParallelism: false below).
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'test/unit/**/*.test.ts',
            'test/db/**/*.test.ts',
            'test/import/**/*.test.ts',
            'test/match/**/*.test.ts',
            'test/export/**/*.test.ts',
            'test/faults/**/*.test.ts',
            'test/audit/**/*.test.ts',
            'test/township/**/*.test.ts',
          ],
          testTimeout: 120_000,
          // Counties generated before a file's tests took 120 s on a 2-core machine running other work.
          hookTimeout: 300_000,
          pool: 'forks',
          expect: { poll: { timeout: 30_000, interval: 100 } },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/build-renderer.global.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          pool: 'forks',
          fileParallelism: false,
          // expect.poll waits on what the clerk would see; its default of 1 s failed on a loaded machine (opening an
          // encrypted workspace derives its key with PBKDF2, ~0.5 s alone).
          expect: { poll: { timeout: 30_000, interval: 100 } },
        },
      },
    ],
    reporters: process.env.CANBAO_TEST_JSON
      ? ['default', ['json', { outputFile: process.env.CANBAO_TEST_JSON }]]
      : ['default'],
  },
});
