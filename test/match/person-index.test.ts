import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { writingPersons } from '../../electron/core/match/match-run-parts';
import { runMatch } from '../../electron/core/match/run-match';
import { generateCounty } from '../fixtures/county-generator';
import { tempDir } from '../helpers/files';
import { FIXED_SEED } from '../helpers/seed';

const dir = tempDir();
const personIndex = (ws: Workspace) =>
  ws.db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'record_person'`).pluck().get();
const plan = (ws: Workspace) =>
  (ws.db.prepare('EXPLAIN QUERY PLAN SELECT id FROM record WHERE person_id = 7').all() as { detail: string }[])
    .map((r) => r.detail)
    .join(' ');

describe('比对写入人员编号：人员索引先删后建（首次比对快 5 秒）', () => {
  it('after a first match, which writes every record, the person index is there and lookups use it', async () => {
    const { truth } = await generateCounty({ people: 300, seed: FIXED_SEED, out: join(dir, 'county') });
    const ws = Workspace.open(join(dir, 'w.canbao'), { create: true });
    for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year });
    const before = personIndex(ws);
    runMatch(ws);
    expect(personIndex(ws)).toBe(before);
    expect(plan(ws)).toContain('record_person');
    expect(ws.db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
    ws.close();
  });

  it('a write that fails leaves the index as it was, with the transaction', () => {
    const ws = Workspace.open(join(dir, 'w.canbao'), {});
    expect(() =>
      ws.db.transaction(() =>
        writingPersons(ws.db, 100, 100, () => {
          ws.db.exec('UPDATE record SET person_id = NULL');
          throw new Error('磁盘已满');
        }),
      )(),
    ).toThrow('磁盘已满');
    expect(plan(ws)).toContain('record_person');
    expect(ws.db.prepare('SELECT count(*) FROM record WHERE person_id IS NULL').pluck().get()).toBe(0);
    expect(() => writingPersons(ws.db, 1, 1, () => undefined)).toThrow();
    ws.close();
  });
});
