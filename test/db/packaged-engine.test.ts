import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch } from '../../electron/core/match/run-match';
import { BackendClient } from '../../electron/core/service/backend-client';
import { excelJS } from '../../electron/core/spreadsheet/exceljs';
import { generateCounty } from '../fixtures/county-generator';
import { tempDir } from '../helpers/files';
import { FIXED_SEED } from '../helpers/seed';

// Every other test runs the engine from its TypeScript sources. The packaged app runs what `electron-vite build`
// makes of them, and nothing else ever loaded that: a second `require` declared in the bundle made its engine worker
// a SyntaxError before it ran a line (found 29 November 2026). This builds the app as a package would (into
// test-output, where node_modules is found as in the package) and has its worker do a clerk's first hour.
const root = resolve(import.meta.dirname, '../..');
const out = join(root, 'test-output', `packaged-${process.pid}`);
const clients: BackendClient[] = [];

afterAll(async () => {
  for (const c of clients) await c.close();
  rmSync(out, { recursive: true, force: true });
});

describe('the engine as the packaged app runs it (the build of electron-vite, in a worker thread)', () => {
  it('imports .xlsx, .xls and .csv rolls, matches them exactly as the engine under test does, and exports a ledger workbook', async () => {
    execFileSync('npx', ['electron-vite', 'build', '--outDir', out, '--logLevel', 'error'], { cwd: root });
    const worker = join(out, 'main', 'backend-worker.js');
    expect(existsSync(worker)).toBe(true);

    const dir = tempDir('canbao-packaged-');
    const { truth } = await generateCounty({ people: 400, seed: FIXED_SEED, out: join(dir, 'county') });
    // The generated county has a roll of each format the import reads: exceljs reads the .xlsx, SheetJS the .xls.
    expect(new Set(truth.files.map((f) => f.path.split('.').pop()))).toEqual(new Set(['xlsx', 'xls', 'csv']));

    const built = join(dir, 'built.canbao');
    const c = new BackendClient({ workerUrl: pathToFileURL(worker), recentFile: join(dir, 'recent.json') });
    clients.push(c);
    await c.call('workspace.open', { path: built, create: true });
    let imported = 0;
    for (const f of truth.files)
      imported += (await c.runJob('import.run', { path: f.path, kind: f.kind, year: truth.year })).records;
    expect(imported).toBe(truth.files.reduce((n, f) => n + f.records, 0));
    const matched = await c.runJob('match.run', {});

    // The same rolls through the engine's sources, in this process.
    const ws = Workspace.open(join(dir, 'sources.canbao'), { create: true });
    for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year });
    const expected = runMatch(ws);
    ws.close();
    expect(matched).toMatchObject({
      records: expected.records,
      persons: expected.persons,
      uninsured: expected.uninsured,
      duplicates: expected.duplicates,
      reviewPending: expected.reviewPending,
    });
    expect(matched.uninsured).toBeGreaterThan(0);

    const exported = await c.runJob('export.run', { dir: join(dir, 'exports'), what: ['ledger'] });
    const ledgers = exported.files.filter((f) => f.file.endsWith('.xlsx'));
    // A ledger per township: with more than one, the export's second thread (export-worker.js) writes half of them.
    expect(ledgers.length, JSON.stringify(exported.files)).toBeGreaterThan(1);
    // Every person of the 未参保 list is a row of a township's ledger, as the export reports and as the file holds.
    let rows = 0;
    for (const f of ledgers) {
      const book = new (excelJS().Workbook)();
      await book.xlsx.readFile(f.file);
      rows += book.worksheets.reduce((n, s) => n + s.actualRowCount, 0);
    }
    expect(ledgers.reduce((n, f) => n + f.rows, 0)).toBe(expected.uninsured);
    expect(rows).toBeGreaterThan(expected.uninsured);
  });
});
