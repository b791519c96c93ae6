import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { CanbaoError } from '../../electron/core/errors';
import { importFile } from '../../electron/core/import/import-file';
import { ZipArchive, ZipFormatError } from '../../electron/core/spreadsheet/zip-entries';
import { writeHostileFiles, type HostileFile } from '../fixtures/hostile-files';
import { tempDir, writeCsv } from '../helpers/files';

const dir = tempDir('canbao-hostile-');
const files: HostileFile[] = await writeHostileFiles(dir);
const wsPath = join(dir, '县2026.canbao');
const opts = { kind: 'population' as const, year: 2026, asOf: '2026-11-23' };
let ws: Workspace;

/** What a clerk may read in a message besides Chinese: product and format names, units. */
const ALLOWED_LATIN = /Excel|WPS|CSV|MB|xlsx|xls|csv/g;

function expectChineseReason(message: string): void {
  expect(message).toMatch(/[\u4e00-\u9fa5]{4}/);
  expect(message.replace(ALLOWED_LATIN, '')).not.toMatch(/[A-Za-z]{3,}/);
  expect(message).not.toMatch(/\bat\s|\.ts:|Error|undefined|程序内部错误/);
}

function snapshot(w: Workspace): string {
  const counts = ['roll', 'record', 'quality_issue', 'audit_log']
    .map((t) => `${t}=${(w.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n}`)
    .join(',');
  return counts;
}

beforeAll(async () => {
  ws = Workspace.open(wsPath, { create: true });
  const good = writeCsv(join(dir, '好名册.csv'), [
    ['姓名', '身份证号码'],
    ['张伟', '610923198503120011'],
  ]);
  await importFile(ws, good, opts);
});
afterAll(() => ws?.close());

describe('导入：恶意或损坏的文件一律以中文说明拒绝，工作区不变', () => {
  for (const f of files) {
    it(`refuses ${f.what}`, async () => {
      const before = snapshot(ws);
      const error = await importFile(ws, f.path, opts).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CanbaoError);
      const e = error as CanbaoError;
      expect(e.kind).not.toBe('internal');
      expect(e.message).toContain(f.path.split('/').pop()!);
      expectChineseReason(e.message);
      expect(snapshot(ws)).toBe(before);
    });
  }

  it('says which limit was hit and where: the 2,000,000-character name names its row and column', async () => {
    const f = files.find((x) => x.path.endsWith('超长姓名.csv'))!;
    const e = (await importFile(ws, f.path, opts).catch((x: unknown) => x)) as CanbaoError;
    expect(e.kind).toBe('limitExceeded');
    expect(e.location).toMatchObject({ row: 2, column: 'B' });
    expect(e.message).toContain('上限');
  });

  it('stops a part that inflates past the size it declares at that size, instead of inflating 200 MB', async () => {
    const f = files.find((x) => x.path.endsWith('谎报大小.xlsx'))!;
    const archive = ZipArchive.open(f.path);
    const entry = archive.get('xl/worksheets/sheet1.xml')!;
    expect(entry.uncompressedSize).toBe(10 * 1024);
    let inflated = 0;
    const read = (async () => {
      for await (const chunk of archive.stream(entry)) inflated += (chunk as Buffer).length;
    })();
    await expect(read).rejects.toBeInstanceOf(ZipFormatError);
    expect(inflated).toBeLessThanOrEqual(10 * 1024);
  });

  it('refuses a header-only file as such, not as an empty roll', async () => {
    const f = files.find((x) => x.path.endsWith('只有表头.csv'))!;
    const e = (await importFile(ws, f.path, opts).catch((x: unknown) => x)) as CanbaoError;
    expect(e.kind).toBe('noHeader');
    expect(e.message).toContain('没有任何人员数据');
  });
});

const TIME = '/usr/bin/time';

/** Each file imported by the CLI in a child process; its peak RSS read from GNU time (includes the engine worker). */
describe.skipIf(!existsSync(TIME))('导入：恶意文件的内存与时间有界（子进程中测量）', () => {
  const cliMain = join(process.cwd(), 'electron/core/cli/main.ts');
  for (const f of files) {
    it(`stays under 1 GB peak RSS on ${f.what}`, () => {
      const w = join(dir, '子进程.canbao');
      const hashBefore = existsSync(w) ? createHash('sha256').update(readFileSync(w)).digest('hex') : null;
      const started = Date.now();
      const r = spawnSync(
        TIME,
        [
          '-v',
          process.execPath,
          '--max-semi-space-size=32',
          '--import',
          'tsx',
          cliMain,
          'import',
          '--workspace',
          w,
          '--kind',
          'population',
          '--year',
          '2026',
          f.path,
        ],
        { encoding: 'utf8', timeout: 300_000 },
      );
      const seconds = (Date.now() - started) / 1000;
      const maxKb = Number(r.stderr.match(/Maximum resident set size \(kbytes\): (\d+)/)?.[1]);
      console.log(`${f.what}: exit ${r.status}, peak RSS ${Math.round(maxKb / 1024)} MB, ${seconds.toFixed(1)} s`);
      expect(r.status).not.toBe(0);
      expect(r.status).not.toBe(70);
      expect(maxKb).toBeLessThanOrEqual(1024 * 1024);
      if (hashBefore) expect(createHash('sha256').update(readFileSync(w)).digest('hex')).toBe(hashBefore);
    }, 320_000);
  }
});
