import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { loadMatchData } from '../../electron/core/match/match-data';
import { generateCounty } from '../fixtures/county-generator';
import { tempDir } from '../helpers/files';
import { FIXED_SEED } from '../helpers/seed';

const dir = tempDir();

describe('比对读取记录：只读指定的记录', () => {
  it('reads the records asked for in record-id order, and leaves out ids of records that are gone', async () => {
    const { truth } = await generateCounty({ people: 200, seed: FIXED_SEED, out: join(dir, 'county') });
    const ws = Workspace.open(join(dir, 'w.canbao'), { create: true });
    for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year });
    const all = loadMatchData(ws.db);
    const ids = [...all.recordId].filter((_, k) => k % 3 === 1);
    const top = all.recordId[all.n - 1]!;
    // Asked out of order, once twice, and with two ids no record has (the arrays are sized to the ids asked for).
    const asked = Int32Array.from([top + 5, ...ids.slice().reverse(), ids[0]!, top + 9]);
    const d = loadMatchData(ws.db, asked);
    expect(d.n).toBe(ids.length);
    expect([...d.recordId]).toEqual(ids);
    for (const column of [d.nameKey, d.idNumber, d.birthDate, d.townshipKey, d.personId, d.linkScore!])
      expect(column.length).toBe(ids.length);
    const at = all.recordId.indexOf(ids[4]!);
    expect([d.nameKey[4], d.idNumber[4], d.birthDate[4]]).toEqual([
      all.nameKey[at],
      all.idNumber[at],
      all.birthDate[at],
    ]);
    ws.close();
  });
});
