/** One benchmark phase, run in a child process by run.ts: prints one JSON line with time, items and peak RSS. */
import { excelJS } from '../../electron/core/spreadsheet/exceljs';
import * as XLSX from '@e965/xlsx';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { createReadStream, readFileSync, rmSync } from 'node:fs';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import type { CountyTruth } from '../fixtures/county-generator';
import { benchPassword, peakRssMB, type PhaseResult } from './measure';
import { extraPhases } from './phases-match-export';
import { townshipPhases } from './phases-township';
import { rematchPhases } from './phases-rematch';
import { yearsPhases } from './phases-years';

async function readFloor(truth: CountyTruth): Promise<number> {
  let rows = 0;
  for (const f of truth.files) {
    if (f.path.endsWith('.xlsx')) {
      const reader = new (excelJS().stream.xlsx.WorkbookReader)(f.path, {
        sharedStrings: 'cache',
        styles: 'cache',
        hyperlinks: 'ignore',
        worksheets: 'emit',
        entries: 'ignore',
      });
      for await (const ws of reader as unknown as AsyncIterable<AsyncIterable<unknown>>)
        for await (const _ of ws) rows++;
    } else if (f.path.endsWith('.csv')) {
      const p = createReadStream(f.path)
        .pipe(iconv.decodeStream('gb18030'))
        .pipe(parse({ relax_column_count: true }));
      for await (const _ of p) rows++;
    } else {
      const wb = XLSX.read(readFileSync(f.path), { type: 'buffer', dense: true });
      for (const n of wb.SheetNames)
        rows += ((wb.Sheets[n] as unknown as { '!data'?: unknown[] })['!data'] ?? []).length;
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const [phase, countyDir, workspace] = process.argv.slice(2) as [string, string, string];
  // The five-year phases prepare their own county (the generator's persons are needed for the rolls): no truth.json.
  const truth = yearsPhases[phase]
    ? (undefined as unknown as CountyTruth)
    : (JSON.parse(readFileSync(`${countyDir}/truth.json`, 'utf8')) as CountyTruth);
  const started = performance.now();
  let items = 0;
  let extra: Record<string, unknown> | undefined;
  if (yearsPhases[phase]) {
    ({ items, extra } = await yearsPhases[phase]!(countyDir, process.argv.slice(4)));
  } else if (phase === 'read-floor') {
    items = await readFloor(truth);
  } else if (phase === 'import') {
    rmSync(workspace, { force: true });
    rmSync(workspace + '-wal', { force: true });
    rmSync(workspace + '-shm', { force: true });
    const ws = Workspace.open(workspace, { create: true, password: benchPassword() });
    for (const f of truth.files)
      items += (await importFile(ws, f.path, { kind: f.kind, year: truth.year, allowSameFile: true })).records;
    ws.close();
  } else if (extraPhases[phase]) {
    ({ items, extra } = await extraPhases[phase]!(truth, workspace));
  } else if (townshipPhases[phase]) {
    ({ items, extra } = await townshipPhases[phase]!(truth, workspace));
  } else if (rematchPhases[phase]) {
    ({ items, extra } = await rematchPhases[phase]!(truth, workspace));
  } else {
    throw new Error(`unknown phase ${phase}`);
  }
  const result: PhaseResult = {
    phase,
    seconds: (performance.now() - started) / 1000,
    items,
    peakRssMB: peakRssMB(),
    extra,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

await main();
