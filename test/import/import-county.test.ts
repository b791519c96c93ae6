import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IdStatus } from '../../shared/domain/types';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { importStatus } from '../../electron/core/workspace-status';
import { generateCounty, type CountyTruth } from '../fixtures/county-generator';
import { tempDir } from '../helpers/files';
import { TEST_SEEDS } from '../helpers/seed';

const dir = tempDir();
interface Row {
  file: string;
  sheet: string;
  row: number;
  uid: number;
  idStatus: IdStatus;
}

// The fixed county and one the import rules were not tuned on (seeds: test/helpers/seed.ts).
describe.each(TEST_SEEDS)('导入一个模拟县的四种名册（seed %i）', (seed) => {
  let truth: CountyTruth;
  let ws: Workspace;
  let truthRows: Row[];

  beforeAll(async () => {
    ({ truth } = await generateCounty({ people: 4000, seed, out: join(dir, `county-${seed}`) }));
    truthRows = readFileSync(join(dir, `county-${seed}`, 'truth-records.tsv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => {
        const [file, sheet, row, uid, idStatus] = l.split('\t');
        return { file: file!, sheet: sheet!, row: +row!, uid: +uid!, idStatus: idStatus as IdStatus };
      });
    ws = Workspace.open(join(dir, `county-${seed}.canbao`), { create: true });
    for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year, asOf: '2026-11-23' });
  });

  it('turns every data row into exactly one record, at its source row, and nothing else', () => {
    const got = ws.db
      .prepare('SELECT r.file_name AS file, r.sheet, c.source_row AS row FROM record c JOIN roll r ON r.id = c.roll_id')
      .all() as Row[];
    const key = (x: { file: string; sheet: string; row: number }) => `${x.file}|${x.sheet}|${x.row}`;
    const gotKeys = got.map(key);
    expect(new Set(gotKeys).size).toBe(gotKeys.length);
    expect(new Set(gotKeys)).toEqual(new Set(truthRows.map(key)));
    expect(importStatus(ws.db).records).toBe(truthRows.length);
  });

  it('gives every ID the status the generator typed it with', () => {
    const got = new Map(
      (
        ws.db
          .prepare(
            'SELECT r.file_name AS file, r.sheet, c.source_row AS row, c.id_status AS s FROM record c JOIN roll r ON r.id = c.roll_id',
          )
          .all() as { file: string; sheet: string; row: number; s: string }[]
      ).map((x) => [`${x.file}|${x.sheet}|${x.row}`, x.s]),
    );
    const wrong = truthRows
      .filter((t) => got.get(`${t.file}|${t.sheet}|${t.row}`) !== t.idStatus)
      .map(
        (t) => `${t.file}/${t.sheet}/${t.row}: expected ${t.idStatus}, got ${got.get(`${t.file}|${t.sheet}|${t.row}`)}`,
      );
    expect(wrong).toEqual([]);
    expect(importStatus(ws.db).idStatus).toEqual(truth.idStatusCounts);
    // Every status actually occurs, so the comparison above means something.
    for (const s of ['valid', 'converted15', 'badChecksum', 'excelDamaged', 'missing'] as const)
      expect(truth.idStatusCounts[s]).toBeGreaterThan(0);
  });

  it('counts rolls by file and sheet, and records the import in the audit log', () => {
    const s = importStatus(ws.db);
    for (const f of truth.files)
      expect(s.rolls.filter((r) => r.file === f.file).reduce((a, r) => a + r.rows, 0)).toBe(f.records);
    expect(ws.db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'import'`).get()).toEqual({ n: 4 });
  });
});
