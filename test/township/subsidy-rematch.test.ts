import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { checkDigit } from '../../shared/id/id-number';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { removeRoll } from '../../electron/core/import/remove-roll';
import { runMatch } from '../../electron/core/match/run-match';
import { refreshListedGroups } from '../../electron/core/subsidy/listed-groups';
import { importSubsidyList } from '../../electron/core/subsidy/subsidy-import';
import { generateCounty } from '../fixtures/county-generator';
import { tempDir, writeCsv } from '../helpers/files';
import { FIXED_SEED } from '../helpers/seed';

const dir = tempDir();
const id = (first17: string) => first17 + checkDigit(first17);
const list = (name: string, rows: unknown[][]) => {
  const wb = XLSX.utils.book_new();
  const header = ['序号', '姓名', '身份证号码', '镇（街）', '村（居）', '医疗救助身份'];
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([header, ...rows]), '名单');
  const file = join(dir, name);
  writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  return file;
};

describe('重新比对后，特殊人群身份与全县重算一致', () => {
  it('a person only an earlier month named, derived again by a re-match, shows the groups a pass over the county gives', async () => {
    const { truth } = await generateCounty({ people: 300, seed: FIXED_SEED, out: join(dir, 'county') });
    const ws = Workspace.open(join(dir, 'w.canbao'), { create: true });
    for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year });
    // 王芳: 特困 and 低保 on her own rolls (the lists' derivation keeps them in that order, the county's pass sorts).
    const wang = id('61092319900102001');
    const zhao = id('61092319850304002');
    const header = ['姓名', '身份证号码', '性别', '出生日期', '乡镇', '村（社区）', '人员类别'];
    const base = writeCsv(join(dir, 'base.csv'), [
      header,
      ['王芳', wang, '女', '1990-01-02', '城关镇', '南街社区', '特困 低保'],
      ['赵六', zhao, '女', '1985-03-04', '城关镇', '南街社区', ''],
    ]);
    const roll = writeCsv(join(dir, 'roll.csv'), [
      header,
      ['王芳', wang, '女', '1990-01-02', '城关镇', '南街社区', ''],
    ]);
    await importFile(ws, base, { kind: 'population', year: truth.year });
    await importFile(ws, roll, { kind: 'resident_rural', year: truth.year });
    runMatch(ws);
    // 民政 names her in September, not in October (cancelled): only an earlier month's list has her.
    const row = (n: string, x: string, who: string) => [1, n, x, '城关镇', '南街社区', who];
    await importSubsidyList(ws.db, list('9月.xlsx', [row('王芳', wang, '低保')]), {
      department: '民政',
      month: '2026-09',
      actor: '王芳',
    });
    await importSubsidyList(ws.db, list('10月.xlsx', [row('赵六', zhao, '低保')]), {
      department: '民政',
      month: '2026-10',
      actor: '王芳',
    });
    const groupsOf = ws.db.prepare('SELECT special_groups FROM person_status WHERE id_number = ?').pluck();
    expect(groupsOf.get(wang)).toBe('dibao,tekun');
    // Her roll is imported again: the re-match derives her person again, from her records alone.
    const rollId = ws.db
      .prepare(
        `SELECT roll_id FROM record WHERE id_number = ? AND roll_id != (
      SELECT min(roll_id) FROM record WHERE id_number = ?)`,
      )
      .pluck()
      .get(wang, wang) as number;
    removeRoll(ws, rollId, '测试');
    await importFile(ws, roll, { kind: 'resident_rural', year: truth.year });
    const s = runMatch(ws);
    expect(s.mode).toBe('incremental');
    expect(s.reclustered).toBeGreaterThan(0);
    const groups = () =>
      ws.db
        .prepare('SELECT person_id, special_groups, special_rank, listed_groups FROM person_status ORDER BY 1')
        .all();
    const afterRematch = groups();
    expect(groupsOf.get(wang)).toBe('dibao,tekun');
    refreshListedGroups(ws.db);
    expect(groups()).toEqual(afterRematch);
    ws.close();
  });
});
