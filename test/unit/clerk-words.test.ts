import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../electron/core/audit/audit-log';
import { Workspace } from '../../electron/core/db/workspace';
import { DEVELOPER_LOG_NAME, setDeveloperLogDir } from '../../electron/core/developer-log';
import { toEnvelope } from '../../electron/core/errors';
import { importFile } from '../../electron/core/import/import-file';
import { BackendClient } from '../../electron/core/service/backend-client';
import { fileFault } from '../../electron/core/storage-faults';
import type { AuditRow } from '../../shared/ipc/contract';
import { EngineError } from '../../shared/ipc/errors';
import { tempDir, writeCsv } from '../helpers/files';
import { cli } from '../helpers/run-cli';

// Every message a clerk can see — the CLI's stderr, the app's error envelope, the 操作日志 — is Chinese: no
// library's English, no stack trace, no URL, no record id. File names, and CSV / Excel / WPS / ID, may appear.
const dir = tempDir('canbao-clerk-words-');

/** The English words left in `text` once file names and the tokens a clerk knows are taken out. */
function englishIn(text: string): string[] {
  const stripped = text
    .replace(/[^\s“”"'（）()：:，,；;、。]*\.(xlsx|xlsm|xls|csv|txt|canbao)\b/gi, '')
    .replace(/\b(CSV|Excel|WPS|ID)\b/g, '');
  return stripped.match(/[A-Za-z]{3,}/g) ?? [];
}

function expectClerkWords(text: string, what: string): void {
  expect(englishIn(text), `${what}: ${text}`).toEqual([]);
  expect(text, what).not.toMatch(/https?:\/\/|www\./);
  expect(text, what).not.toMatch(/\bat\s+\S+\s+\(|\.(ts|js|mjs):\d+|Error\b/);
}

const files = {
  fakeXlsx: join(dir, '户籍底册.xlsx'),
  emptyXlsx: join(dir, '空表.xlsx'),
  zeroCsv: join(dir, '职工医保.csv'),
  truncatedZip: join(dir, '残缺.xlsx'),
  noIdColumn: join(dir, '没有身份证列.csv'),
  missing: join(dir, '已被删除.xlsx'),
  notWorkspace: join(dir, '不是工作区.canbao'),
};

beforeAll(() => {
  writeFileSync(files.fakeXlsx, "Can't find end of central directory : is this a zip file ?\nhello world\n");
  writeFileSync(files.emptyXlsx, '');
  writeFileSync(files.zeroCsv, '');
  writeFileSync(files.truncatedZip, Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(200, 7)]));
  writeCsv(files.noIdColumn, [
    ['姓名', '联系电话', '村（社区）'],
    ['王小明', '13800000000', '东关社区'],
  ]);
  writeFileSync(files.notWorkspace, 'SQLite? no: just some text that is not a database\n');
});

describe('出错时的话：程序内部错误只说中文和该怎么办', () => {
  afterAll(() => setDeveloperLogDir(null));

  it('an unexpected library error is one Chinese sentence; its English detail goes only to the developer log', () => {
    const logDir = join(dir, '工作区文件夹');
    mkdirSync(logDir);
    setDeveloperLogDir(logDir);
    const e = new Error("Can't find end of central directory : see https://stuk.github.io/jszip/documentation");
    const env = toEnvelope(e);
    expect(env.kind).toBe('internal');
    expect(env.message).toContain('程序内部错误');
    expect(env.message).toContain(`请把工作区文件夹中的“${DEVELOPER_LOG_NAME}”发给信息管理员`);
    expectClerkWords(env.message, 'internal');
    const log = readFileSync(join(logDir, DEVELOPER_LOG_NAME), 'utf8');
    expect(log).toContain('central directory');
    expect(log).toContain('clerk-words.test.ts');
  });

  it('without an open workspace the sentence still says what to do', () => {
    setDeveloperLogDir(null);
    const env = toEnvelope(new TypeError("Cannot read properties of undefined (reading 'length')"));
    expect(env.message).toBe(
      '程序内部错误，这项操作没有完成。请重试一次；如仍出错，请记下刚才的操作步骤，告知信息管理员',
    );
  });

  it('a file gone since it was chosen, or a folder chosen as a file, is said as such', () => {
    const gone = fileFault(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' }), files.missing);
    expect(toEnvelope(gone)).toMatchObject({ kind: 'notFound', file: '已被删除.xlsx' });
    expect(toEnvelope(gone).message).toContain('它可能已被移动、改名或删除。请重新选择文件');
    const folder = fileFault(Object.assign(new Error('EISDIR'), { code: 'EISDIR' }), join(dir, '名册文件夹'));
    expect(toEnvelope(folder)).toMatchObject({ kind: 'unsupportedFile' });
    expectClerkWords(toEnvelope(folder).message, 'folder');
  });
});

describe('坏文件（伪 .xlsx、空文件、非工作区、无身份证列、0 字节 CSV）经命令行和引擎都只得到中文', () => {
  const ws = join(dir, '县2026.canbao');
  let client: BackendClient;

  beforeAll(async () => {
    // A workspace with a roll, one verdict logged the new way and one the old way (record ids only).
    const w = Workspace.open(ws, { create: true });
    await importFile(
      w,
      writeCsv(join(dir, '底册.csv'), [
        ['姓名', '公民身份号码', '村（社区）'],
        ['王小明', '610923199001021234', '东关社区'],
        ['王晓明', '610923199001021234', '东关社区'],
      ]),
      { kind: 'population', year: 2026, actor: '王芳' },
    );
    appendAudit(w.db, '李明', 'decide', { recordA: 1, recordB: 2, verdict: 'different' });
    w.close();
    client = new BackendClient({ recentFile: join(dir, 'app', 'recent.json') });
    await client.call('settings.actor', { name: '王芳' });
    await client.call('workspace.open', { path: ws });
  });
  afterAll(() => client?.close());

  const importArgs = (file: string) => [
    'import',
    '--workspace',
    ws,
    '--kind',
    'employee',
    '--year',
    '2026',
    '--by',
    '王芳',
    file,
  ];

  it.each([
    ['a text file named .xlsx', () => importArgs(files.fakeXlsx), 5],
    ['an empty .xlsx', () => importArgs(files.emptyXlsx), 5],
    ['a zero-byte .csv', () => importArgs(files.zeroCsv), 5],
    ['a truncated zip named .xlsx', () => importArgs(files.truncatedZip), 5],
    ['a file deleted since it was chosen', () => importArgs(files.missing), 3],
    ['a text file opened as a workspace', () => ['status', '--workspace', files.notWorkspace], 4],
  ])('CLI: %s is refused in Chinese, with its exit code', async (_what, args, code) => {
    const r = await cli(...args());
    expect(r.code, r.err).toBe(code);
    expect(r.err).toMatch(/[\u4e00-\u9fff]/);
    expectClerkWords(r.err, args().join(' '));
  });

  it('CLI: a file with no ID column imports, its missing IDs counted as data problems', async () => {
    const r = await cli(...importArgs(files.noIdColumn));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('身份证号：缺失 1');
    expectClerkWords(r.err, 'no ID column');
  });

  it('engine: preview and import of each bad file fail with a Chinese envelope naming the file', async () => {
    for (const f of [files.fakeXlsx, files.emptyXlsx, files.zeroCsv, files.truncatedZip, files.missing]) {
      const name = f.slice(dir.length + 1);
      const run = await client.runJob('import.run', { path: f, kind: 'employee', year: 2026 }).catch((e) => e);
      expect(run, name).toBeInstanceOf(EngineError);
      expect((run as EngineError).kind, name).not.toBe('internal');
      expect((run as EngineError).message, name).toContain(name);
      expectClerkWords((run as EngineError).message, name);
      const preview = await client.call('import.preview', { path: f }).catch((e: unknown) => e);
      if (preview instanceof EngineError) expectClerkWords(preview.message, `preview ${name}`);
    }
    const open = await client.call('workspace.open', { path: files.notWorkspace }).catch((e: unknown) => e);
    expect(open).toMatchObject({ kind: 'notAWorkspace' });
    expectClerkWords((open as EngineError).message, 'open');
    expect((open as EngineError).message).toContain('请选择一个 .canbao 工作区文件');
  });

  it('the 操作日志 names persons by name, never by record id, and says kinds and masks in words', async () => {
    await client.call('workspace.open', { path: ws });
    await client.call('review.decide', { recordA: 1, recordB: 2, verdict: 'same' });
    await client.call('id.reveal', { recordId: 2, reason: '群众来电' });
    const { rows, actors, actions } = await client.call('audit.list', {});
    const text = rows.map((r: AuditRow) => `${r.action} ${r.summary}`).join('\n');
    for (const r of rows) expectClerkWords(`${r.action} ${r.summary}`, `log entry ${r.id}`);
    expect(text).not.toMatch(/记录 \d+/);
    // The old entry, looked up in the workspace as it is now: not matched yet, so where each record came from.
    const oldEntry = '王小明（底册.csv 第2行，尚未比对） 与 王晓明（底册.csv 第3行，尚未比对）：不同人';
    expect(text).toContain(oldEntry);
    expect(text).toContain('王小明 与 王晓明：同一人');
    expect(text).toContain('王晓明的完整身份证号，原因：群众来电');
    expect(text).toContain('底册.csv：2 条记录（户籍人口底册，2026年）');
    expect(actors).toEqual(expect.arrayContaining(['王芳', '李明']));
    expect(actions.map((a) => a.label)).toEqual(expect.arrayContaining(['导入', '复核判断', '查看完整身份证号']));
  });

  it('the 操作日志 filters by 经办人, 操作 and time', async () => {
    const byLi = await client.call('audit.list', { actor: '李明' });
    expect(byLi.rows.map((r) => r.summary)).toEqual([
      '王小明（底册.csv 第2行，尚未比对） 与 王晓明（底册.csv 第3行，尚未比对）：不同人',
    ]);
    const decisions = await client.call('audit.list', { action: 'decide' });
    expect(decisions.rows.map((r) => r.actor)).toEqual(['王芳', '李明']);
    const all = await client.call('audit.list', {});
    const newest = all.rows[0]!.at;
    const since = await client.call('audit.list', { from: newest });
    expect(since.rows.map((r) => r.id)).toEqual([all.rows[0]!.id]);
    const before = await client.call('audit.list', { to: newest });
    expect(before.rows).toHaveLength(all.rows.length - 1);
    expect(existsSync(ws)).toBe(true);
  });

  it('the CLI lists the log in the same words, with the same filters', async () => {
    const r = await cli('audit', '--workspace', ws, '--list', '--actor', '李明', '--action', '复核判断');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(
      '李明  复核判断  王小明（底册.csv 第2行，尚未比对） 与 王晓明（底册.csv 第3行，尚未比对）：不同人',
    );
    expect(r.out.trim().split('\n')).toHaveLength(1);
    const wrong = await cli('audit', '--workspace', ws, '--list', '--action', '删除名册');
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('日志中没有“删除名册”这种操作。可选：');
    expectClerkWords(wrong.err, 'audit --action');
  });
});
