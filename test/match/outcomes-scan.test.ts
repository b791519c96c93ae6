import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch } from '../../electron/core/match/run-match';
import { computeOutcomes, computeOutcomesFor } from '../../electron/core/match/outcomes';
import { countTotals } from '../../electron/core/match/person-totals';
import { readSettings } from '../../electron/core/settings';
import { tempDir } from '../helpers/files';
import { TEST_SEEDS } from '../helpers/seed';
import { yearsWorkspace } from '../helpers/years-workspace';

const YEARS = [2022, 2023, 2024, 2025, 2026];

/** Every row of the lists, in one order: what the clerk's screens and ledgers are read from. */
function listRows(ws: Workspace): unknown[] {
  return [
    ...ws.db.prepare('SELECT * FROM person_status ORDER BY person_id').raw(true).all(),
    ...ws.db.prepare('SELECT * FROM duplicate_item ORDER BY person_id, record_id').raw(true).all(),
  ];
}

for (const seed of TEST_SEEDS) {
  describe(`名单：一次读遍全部记录，与逐人读取的结果一致（seed ${seed}）`, () => {
    it('gives every person the same status, duplicate and counts for the newest year and an older one', async () => {
      const dir = tempDir();
      const { ws, truth } = await yearsWorkspace({
        people: 600,
        seed,
        years: YEARS,
        baseYear: 2026,
        dir,
        path: join(dir, 'w.canbao'),
      });
      // The county's own rolls of 2026 too: two enrolments of one person in one year make duplicates.
      for (const f of truth.files.filter((x) => x.kind !== 'population'))
        await importFile(ws, f.path, { kind: f.kind, year: 2026, actor: '王芳' });
      runMatch(ws, { actor: '王芳' });
      const db = ws.db;
      const settings = readSettings(db);
      const persons = (db.prepare('SELECT DISTINCT person_id FROM record ORDER BY 1').pluck().all() as number[]).map(
        Number,
      );

      // 2026 has a base roll; 2024 counts on the 2026 base, and persons seen only in earlier years show their
      // earliest record.
      for (const year of [2026, 2024]) {
        db.exec('SAVEPOINT scan');
        const summary = computeOutcomes(db, year, settings);
        // Dropped while every row is written again, and built again after them: the villages' pages look up by it.
        expect(db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'person_status_place'`).pluck().get()).toBe(
          'CREATE INDEX person_status_place ON person_status(township_key, village_key)',
        );
        const counted = countTotals(db);
        const byScan = listRows(ws);
        db.exec('DELETE FROM person_status; DELETE FROM duplicate_item;');
        computeOutcomesFor(db, year, settings, persons);
        const byPerson = listRows(ws);
        db.exec('ROLLBACK TO scan; RELEASE scan');

        expect(byScan.length).toBeGreaterThanOrEqual(persons.length);
        expect(byScan).toEqual(byPerson);
        const { year: _y, baseYear: _b, ...counts } = summary;
        expect(counts).toEqual(counted);
      }
      const dupes = db.prepare('SELECT count(*) FROM person_status WHERE duplicate_kind IS NOT NULL').pluck().get();
      expect(dupes).toBeGreaterThan(0);
      ws.close();
    });
  });
}
