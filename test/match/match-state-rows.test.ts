import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { readMatchState } from '../../electron/core/match/match-state';
import { runMatch } from '../../electron/core/match/run-match';
import { decidePair } from '../../electron/core/review/review-queue';
import { generateCounty } from '../fixtures/county-generator';
import { tempDir } from '../helpers/files';

const dir = tempDir();

/**
 * Migration 10: a workspace matched by the version before keeps the state its last match left (the next re-match
 * after a clerk's decision is still the quick one), now in a table with row ids; rows of the older one-blob format
 * are dropped.
 */
describe('升级后，上次比对留下的状态仍可用于增量比对', () => {
  it('keeps every part of the state, drops the one-blob rows, and re-matches a decision incrementally', async () => {
    const { truth } = await generateCounty({ people: 300, seed: 1010, out: join(dir, 'county') });
    const path = join(dir, 'w.canbao');
    const ws = Workspace.open(path, { create: true });
    for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year, actor: '王芳' });
    runMatch(ws, { actor: '王芳' });
    const before = readMatchState(ws.db);
    expect(before?.pairs.a.length).toBeGreaterThan(0);
    ws.close();

    // The table as version 9 made it, with a row of the one-blob format beside the parts.
    const raw = new Database(path);
    raw.exec(`CREATE TABLE old_state (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
      INSERT INTO old_state SELECT key, value FROM match_state;
      INSERT INTO old_state SELECT 'pairA', value FROM match_state WHERE key = 'pairA#00000';
      DROP TABLE match_state; ALTER TABLE old_state RENAME TO match_state;`);
    raw.pragma('user_version = 9');
    raw.close();

    const again = Workspace.open(path);
    expect(again.version).toBe(10);
    const keys = again.db.prepare('SELECT key FROM match_state ORDER BY rowid').pluck().all() as string[];
    expect(keys).not.toContain('pairA');
    expect(keys).toContain('pairA#00000');
    expect(readMatchState(again.db)).toEqual(before);
    // The clerk parts two records the match had joined.
    const [a, b] = again.db
      .prepare('SELECT min(id), max(id) FROM record GROUP BY person_id HAVING count(*) = 2 LIMIT 1')
      .raw()
      .get() as [number, number];
    decidePair(again.db, a, b, 'different', '王芳');
    expect(runMatch(again, { actor: '王芳' }).mode).toBe('incremental');
    again.close();
  });
});
