import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../electron/core/audit/verify-audit';
import { EXIT_CODE } from '../../electron/core/cli/exit-codes';
import { Workspace } from '../../electron/core/db/workspace';
import { CanbaoError } from '../../electron/core/errors';
import { importFile } from '../../electron/core/import/import-file';
import { previewFile } from '../../electron/core/import/preview';
import { removeRoll } from '../../electron/core/import/remove-roll';
import { runMatch } from '../../electron/core/match/run-match';
import { listAuditView } from '../../electron/core/audit/audit-view';
import { importStatus } from '../../electron/core/workspace-status';
import { generateCounty, type CountyTruth } from '../fixtures/county-generator';
import { tempDir } from '../helpers/files';
import { cli } from '../helpers/run-cli';
import { FIXED_SEED } from '../helpers/seed';

const dir = tempDir('canbao-roll-');
let truth: CountyTruth;
const file = (kind: string) => truth.files.find((f) => f.kind === kind)!;
let n = 0;
const ws = () => Workspace.open(join(dir, `w${++n}.canbao`), { create: true });
const opts = { year: 2026, asOf: '2026-11-23', actor: '王芳' };

/** Everything an import leaves in a workspace, row by row (not the log, which only grows, nor the settings). */
const TABLES = [
  'roll',
  'record',
  'quality_issue',
  'person',
  'person_status',
  'duplicate_item',
  'review_pair',
  'pair_decision',
];
function snapshot(w: Workspace): Record<string, unknown[]> {
  return Object.fromEntries(TABLES.map((t) => [t, w.db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()]));
}

async function refusal(p: Promise<unknown>): Promise<CanbaoError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(CanbaoError);
  return e as CanbaoError;
}

beforeAll(async () => {
  ({ truth } = await generateCounty({ people: 400, seed: FIXED_SEED, out: join(dir, 'county') }));
}, 120_000);

describe(`名册类型：与文件内容不符时先确认（县样例 seed ${FIXED_SEED}）`, () => {
  it('refuses the 职工医保 export with a neutral file name as the base, saying what the file looks like and why', async () => {
    const neutral = join(dir, '导出数据.csv');
    copyFileSync(file('employee').path, neutral);
    const w = ws();
    const e = await refusal(importFile(w, neutral, { ...opts, kind: 'population' }));
    expect(e.kind).toBe('kindMismatch');
    expect(e.message).toContain('文件“导出数据.csv”看起来是职工医保名册');
    expect(e.message).toContain('标题行写着“职工基本医疗保险”');
    expect(e.message).toContain('AAC001');
    expect(importStatus(w.db).records).toBe(0);
    // Confirmed, it goes ahead as the clerk chose.
    const s = await importFile(w, neutral, { ...opts, kind: 'population', kindConfirmed: true });
    expect(s.records).toBe(file('employee').records);
    w.close();
  });

  it('imports each generated roll as its own kind without asking', async () => {
    const w = ws();
    for (const f of truth.files) await importFile(w, f.path, { ...opts, kind: f.kind });
    expect(importStatus(w.db).records).toBe(truth.files.reduce((a, f) => a + f.records, 0));
    w.close();
  });

  it('refuses the same file under another kind, naming when and as what, even with --force', async () => {
    const w = ws();
    await importFile(w, file('population').path, { ...opts, kind: 'population' });
    const at = (w.db.prepare('SELECT imported_at AS t FROM roll LIMIT 1').get() as { t: string }).t;
    const e = await refusal(
      importFile(w, file('population').path, { ...opts, kind: 'employee', kindConfirmed: true, allowSameFile: true }),
    );
    expect(e.kind).toBe('alreadyImported');
    expect(e.message).toContain(`同一文件已于${at.slice(0, 16).replace('T', ' ')}作为2026年户籍人口底册导入过`);
    expect(e.message).toContain('不能再作为职工医保导入');
    expect(importStatus(w.db).rolls.every((r) => r.kind === 'population')).toBe(true);
    w.close();
  });
});

describe('导入预览：建议的名册类型', () => {
  it('suggests each generated roll as its own kind, with the title row as the first reason', async () => {
    for (const f of truth.files) {
      const p = await previewFile(f.path);
      expect(p.suggestion?.kind, f.file).toBe(f.kind);
      expect(p.suggestion!.evidence[0]!.source, f.file).toBe('title');
    }
  });
});

describe(`删除与替换名册（县样例 seed ${FIXED_SEED}）`, () => {
  it('removing a roll leaves the workspace as before it was imported, and is in the log', async () => {
    const w = ws();
    await importFile(w, file('population').path, { ...opts, kind: 'population' });
    const before = snapshot(w);
    const s = await importFile(w, file('resident_rural').path, { ...opts, kind: 'resident_rural' });
    expect(s.sheets.length).toBeGreaterThan(1);
    expect(s.issues).toBeGreaterThan(0);
    const removed = removeRoll(w, s.sheets[1]!.rollId, '王芳');
    expect(removed).toMatchObject({ file: '城乡居民医保_农村.xlsx', kind: 'resident_rural', records: s.records });
    expect(removed.sheets).toHaveLength(s.sheets.length);
    expect(snapshot(w)).toEqual(before);
    const entry = listAuditView(w.db, { limit: 1 })[0]!;
    expect(entry).toMatchObject({ actor: '王芳', action: '删除名册' });
    expect(entry.summary).toContain(
      `删除 2026年城乡居民医保（农村）“城乡居民医保_农村.xlsx”（${s.records.toLocaleString('zh-CN')} 条记录`,
    );
    expect(verifyAudit(w.db).ok).toBe(true);
    // The same file can then be imported again (it is no longer in the workspace).
    await importFile(w, file('resident_rural').path, { ...opts, kind: 'resident_rural' });
    w.close();
  });

  it('after a match, removing a roll drops its persons and pairs, and the status asks for a new match', async () => {
    const w = ws();
    await importFile(w, file('population').path, { ...opts, kind: 'population' });
    const s = await importFile(w, file('employee').path, { ...opts, kind: 'employee' });
    runMatch(w, { actor: '王芳' });
    expect(importStatus(w.db).rollsChangedSinceMatch).toBe(false);
    removeRoll(w, s.sheets[0]!.rollId, '王芳');
    const db = w.db;
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    expect(
      count(`SELECT count(*) AS n FROM record r JOIN roll ON roll.id = r.roll_id WHERE roll.kind = 'employee'`),
    ).toBe(0);
    expect(
      count(
        'SELECT count(*) AS n FROM person p WHERE retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM record WHERE person_id = p.id)',
      ),
    ).toBe(0);
    expect(
      count(
        'SELECT count(*) AS n FROM review_pair WHERE record_a NOT IN (SELECT id FROM record) OR record_b NOT IN (SELECT id FROM record)',
      ),
    ).toBe(0);
    expect(count('SELECT count(*) AS n FROM person_status WHERE person_id NOT IN (SELECT id FROM person)')).toBe(0);
    expect(importStatus(db)).toMatchObject({ matched: true, rollsChangedSinceMatch: true });
    runMatch(w, { actor: '王芳' });
    expect(importStatus(db).rollsChangedSinceMatch).toBe(false);
    w.close();
  });

  it('replaces a roll by a corrected file in one step; a refused replacement leaves the old roll as it was', async () => {
    const w = ws();
    await importFile(w, file('population').path, { ...opts, kind: 'population' });
    const old = await importFile(w, file('employee').path, { ...opts, kind: 'employee' });
    const kept = snapshot(w);

    // A file with no header cannot replace anything: the old roll stays, row for row.
    const broken = join(dir, '职工医保_更正.csv');
    writeFileSync(broken, '这不是名册\n只是说明文字\n');
    const e = await refusal(importFile(w, broken, { ...opts, kind: 'employee', replaceRollId: old.sheets[0]!.rollId }));
    expect(e.kind).toBe('noHeader');
    expect(snapshot(w)).toEqual(kept);
    // Nor can the urban resident roll, whose title says 城镇居民医保, replace the 职工医保 roll unasked.
    const asked = await refusal(
      importFile(w, file('resident_urban').path, { ...opts, kind: 'employee', replaceRollId: old.sheets[0]!.rollId }),
    );
    expect(asked.kind).toBe('kindMismatch');
    expect(asked.message).toContain('看起来是城乡居民医保名册');
    expect(snapshot(w)).toEqual(kept);

    // The corrected file: the same roll less its last data line.
    const lines = readLines(file('employee').path);
    const corrected = join(dir, '职工医保_更正版.csv');
    writeFileSync(corrected, Buffer.concat(lines.slice(0, -1)));
    const s = await importFile(w, corrected, { ...opts, kind: 'employee', replaceRollId: old.sheets[0]!.rollId });
    expect(s.records).toBe(old.records - 1);
    const rolls = importStatus(w.db).rolls;
    expect(new Set(rolls.map((r) => r.file))).toEqual(new Set(['户籍人口底册.xlsx', '职工医保_更正版.csv']));
    const [imported, replacedEntry] = listAuditView(w.db, { limit: 2 });
    expect([imported!.action, replacedEntry!.action]).toEqual(['导入', '替换名册']);
    expect(replacedEntry!.summary).toContain(
      `2026年职工医保“职工医保参保人员.csv”（${old.records.toLocaleString('zh-CN')} 条记录`,
    );
    expect(replacedEntry!.summary).toContain('换为“职工医保_更正版.csv”');
    w.close();
  });
});

/** The CSV's lines as raw bytes (GB18030), each with its line end. */
function readLines(path: string): Buffer[] {
  const buf = readFileSync(path);
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < buf.length; i++)
    if (buf[i] === 0x0a) {
      out.push(buf.subarray(start, i + 1));
      start = i + 1;
    }
  if (start < buf.length) out.push(buf.subarray(start));
  return out;
}

describe('命令行：--kind-confirmed、roll --remove、import --replace', () => {
  it('exits 10 with the reason for a contradicting kind, goes ahead with --kind-confirmed, removes and replaces', async () => {
    const w = join(dir, 'cli.canbao');
    const neutral = join(dir, '数据.csv');
    copyFileSync(file('employee').path, neutral);
    const refused = await cli('import', '--workspace', w, '--kind', 'population', '--year', '2026', neutral);
    expect(refused.code).toBe(EXIT_CODE.kindMismatch);
    expect(refused.code).toBe(10);
    expect(refused.err).toContain('标题行写着“职工基本医疗保险”');
    expect(refused.err).toContain('--kind-confirmed');
    const ok = await cli(
      'import',
      '--workspace',
      w,
      '--kind',
      'population',
      '--year',
      '2026',
      neutral,
      '--kind-confirmed',
    );
    expect(ok.code, ok.err).toBe(0);

    const base = await cli(
      'import',
      '--workspace',
      w,
      '--kind',
      'population',
      '--year',
      '2026',
      file('population').path,
    );
    expect(base.code, base.err).toBe(0);
    const status = await cli('status', '--workspace', w);
    expect(status.out).toMatch(/\[1\] 2026 户籍人口底册 {2}数据\.csv/);

    // The wrongly typed roll is replaced by the right file under the right kind.
    const replaced = await cli(
      'import',
      '--workspace',
      w,
      '--kind',
      'employee',
      '--year',
      '2026',
      neutral,
      '--replace',
      '1',
      '--json',
    );
    expect(replaced.code, replaced.err).toBe(0);
    const after = JSON.parse((await cli('status', '--workspace', w, '--json')).out) as ReturnType<typeof importStatus>;
    expect(after.rolls.filter((r) => r.file === '数据.csv').map((r) => r.kind)).toEqual(['employee']);

    const baseRoll = after.rolls.find((r) => r.kind === 'population')!;
    const removed = await cli('roll', '--workspace', w, '--remove', String(baseRoll.id), '--by', '李强');
    expect(removed.code, removed.err).toBe(0);
    expect(removed.out).toContain('已删除 2026年户籍人口底册“户籍人口底册.xlsx”');
    expect(removed.out).toContain(`${file('population').records} 条记录`);
    const gone = await cli('roll', '--workspace', w, '--remove', String(baseRoll.id));
    expect(gone.code).toBe(EXIT_CODE.notFound);
    expect(gone.err).toContain('不存在');
    const typo = await cli('roll', '--workspace', w, '--remove', '第三个');
    expect(typo.code).toBe(EXIT_CODE.badInput);
    expect(typo.err).toContain('名册编号');
    const bare = await cli('roll', '--workspace', w);
    expect(bare.code).toBe(EXIT_CODE.badInput);
    expect(bare.err).toContain('canbao status 中方括号里的数字');
    const backups = readdirSync(join(dir, '备份')).filter((f) => f.startsWith('cli_'));
    expect(backups.some((f) => f.endsWith('_removeRoll.canbao'))).toBe(true);
  });
});
