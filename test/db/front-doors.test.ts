import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODE } from '../../electron/core/cli/exit-codes';
import { Workspace } from '../../electron/core/db/workspace';
import { exportWorkbooks } from '../../electron/core/export/export-all';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch } from '../../electron/core/match/run-match';
import { BackendClient } from '../../electron/core/service/backend-client';
import { CONTINUITY_DEFAULTS } from '../../shared/domain/continuity-settings';
import { REQUESTS } from '../../shared/ipc/contract';
import { EngineError } from '../../shared/ipc/errors';
import { generateCounty } from '../fixtures/county-generator';
import { tempDir, writeCsv } from '../helpers/files';
import { cli } from '../helpers/run-cli';

// The CLI, the app's handler path (BackendClient → engine worker → handler map) and the IPC schema are three front
// doors to one engine: the same action must give the same result and the same log entry, and be refused alike.
const dir = tempDir('canbao-doors-');
const original = join(dir, 'original.canbao');
const clients: BackendClient[] = [];

function copyOf(name: string): string {
  const path = join(dir, `${name}.canbao`);
  copyFileSync(original, path);
  return path;
}

async function app(
  workspace: string,
  recent = join(dir, `app-${clients.length}`, 'recent.json'),
): Promise<BackendClient> {
  const c = new BackendClient({ recentFile: recent });
  clients.push(c);
  await c.call('workspace.open', { path: workspace });
  return c;
}

function auditSince(path: string, afterId: number): { action: string; actor: string; detail: unknown }[] {
  const db = new Database(path, { readonly: true });
  try {
    return (
      db.prepare('SELECT actor, action, detail_json FROM audit_log WHERE id > ? ORDER BY id').all(afterId) as {
        actor: string;
        action: string;
        detail_json: string;
      }[]
    ).map((r) => ({ action: r.action, actor: r.actor, detail: JSON.parse(r.detail_json) }));
  } finally {
    db.close();
  }
}

function lastAuditId(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT coalesce(max(id), 0) AS n FROM audit_log').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  const { truth } = await generateCounty({ people: 1200, seed: 8801, out: join(dir, 'county') });
  const ws = Workspace.open(original, { create: true });
  for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year, actor: '准备' });
  runMatch(ws, { actor: '准备' });
  ws.close();
});

afterAll(async () => {
  for (const c of clients) await c.close();
});

describe('同一个引擎接口：命令行与界面走同一组处理函数', () => {
  it('deciding a pair, changing settings and exporting with a mask give identical results and audit entries from the CLI and the app', async () => {
    const viaCli = copyOf('cli');
    const viaApp = copyOf('app');
    const since = lastAuditId(original);

    // The CLI: the pair number shown by --list, settings as key=value, export flags.
    const listed = JSON.parse((await cli('review', '--workspace', viaCli, '--list', '--json')).out);
    const pair = listed.pairs[0];
    expect(pair.id).toBeGreaterThan(0);
    const decided = await cli(
      'review',
      '--workspace',
      viaCli,
      '--decide',
      String(pair.id),
      'same',
      '--by',
      '王芳',
      '--json',
    );
    expect(decided.code, decided.err).toBe(0);
    const set = await cli(
      'settings',
      '--workspace',
      viaCli,
      '--set',
      'targetRate=0.9',
      '--set',
      'linkWeight=8',
      '--set',
      'residentKeep=earliest',
      '--by',
      '王芳',
      '--json',
    );
    expect(set.code, set.err).toBe(0);
    const outCli = join(dir, 'export-cli');
    const exported = await cli(
      'export',
      '--workspace',
      viaCli,
      '--out',
      outCli,
      '--what',
      'rates,linkage,issues',
      '--format',
      'csv',
      '--mask',
      '3-4',
      '--by',
      '王芳',
      '--json',
    );
    expect(exported.code, exported.err).toBe(0);

    // The app: the clerk's name set once, the pair decided by its two records (as the 复核 screen does).
    const c = await app(viaApp);
    await c.call('settings.actor', { name: '王芳' });
    const shown = await c.call('review.list', { limit: 10 });
    expect(shown.pairs[0]!.id).toBe(pair.id);
    const appDecided = await c.call('review.decide', {
      recordA: shown.pairs[0]!.a.recordId,
      recordB: shown.pairs[0]!.b.recordId,
      verdict: 'same',
    });
    const appSet = await c.call('settings.set', { targetRate: 0.9, linkWeight: 8, residentKeep: 'earliest' });
    const outApp = join(dir, 'export-app');
    const appExported = await c.runJob('export.run', {
      dir: outApp,
      what: ['rates', 'linkage', 'issues'],
      format: 'csv',
      mask: '3-4',
    });

    const cliDecided = JSON.parse(decided.out);
    expect({
      pending: cliDecided.pending,
      recordA: cliDecided.recordA,
      recordB: cliDecided.recordB,
      verdict: cliDecided.verdict,
    }).toEqual(appDecided);
    expect(JSON.parse(set.out)).toEqual(appSet);
    expect(appSet).toMatchObject({ targetRate: 0.9, linkWeight: 8, residentKeep: 'earliest' });
    const cliExported = JSON.parse(exported.out);
    const relative = (r: typeof appExported, root: string) => ({
      ...r,
      dir: '',
      files: r.files.map((f) => ({ ...f, file: f.file.slice(root.length) })),
    });
    expect(relative(cliExported, outCli)).toEqual(relative(appExported, outApp));
    expect(appExported.files.map((f) => f.kind)).toEqual(['rates', 'linkage', 'issues']);

    const normalise = (entries: ReturnType<typeof auditSince>, root: string) =>
      JSON.parse(JSON.stringify(entries).split(JSON.stringify(root).slice(1, -1)).join('<导出目录>'));
    const cliLog = normalise(auditSince(viaCli, since), outCli);
    const appLog = normalise(auditSince(viaApp, since), outApp);
    expect(cliLog.map((e: { action: string }) => e.action)).toEqual(['decide', 'settings', 'export']);
    expect(cliLog).toEqual(appLog);
    expect(cliLog[1].detail).toEqual({ targetRate: 0.9, linkWeight: 8, residentKeep: 'earliest' });
    expect(cliLog[2].detail).toMatchObject({ mask: '3-4', format: 'csv', what: ['rates', 'linkage', 'issues'] });
  });

  it('refuses a setting out of its bounds from the CLI, the handler path and the IPC schema, with the same Chinese message', async () => {
    const path = copyOf('bounds');
    const message = '参保率目标应在 0.5 到 1 之间';

    const r = await cli('settings', '--workspace', path, '--set', 'targetRate=5');
    expect(r.code).toBe(EXIT_CODE.badInput);
    expect(r.err).toContain(message);

    const c = await app(path);
    await expect(c.call('settings.set', { targetRate: 5 })).rejects.toMatchObject({
      name: 'EngineError',
      kind: 'badInput',
      message: expect.stringContaining(message),
    });
    for (const bad of [
      { targetRate: 5 },
      { targetRate: 0.2 },
      { linkWeight: 100 },
      { randomPairs: 12.5 },
      { residentKeep: 'youngest' },
      { employeeWins: 'yes' },
      { nonsense: 1 },
      { incentiveStep: 500 },
      { exemptGroups: 'newborn' },
      { centralWindowEnd: '2026-12-31' },
    ]) {
      expect(REQUESTS['settings.set'].safeParse(bad).success, JSON.stringify(bad)).toBe(false);
      await expect(c.call('settings.set', bad as never), JSON.stringify(bad)).rejects.toMatchObject({
        kind: 'badInput',
      });
    }
    // Each in bounds, together inconsistent: refused too.
    await expect(c.call('settings.set', { reviewWeight: 9 })).rejects.toMatchObject({
      kind: 'badInput',
      message: expect.stringContaining('不能高于自动归并'),
    });
    expect(await c.call('settings.get', {})).toMatchObject({ targetRate: 0.95, linkWeight: 7, reviewWeight: 0 });
    expect(auditSince(path, lastAuditId(original))).toEqual([]);

    // Every one is settable within bounds, from the CLI as from the app.
    const all = await cli(
      'settings',
      '--workspace',
      path,
      '--json',
      '--set',
      'countyName=石泉县',
      '--set',
      'targetRate=0.97',
      '--set',
      'linkWeight=9',
      '--set',
      'reviewWeight=1',
      '--set',
      'employeeWins=false',
      '--set',
      'residentKeep=earliest',
      '--set',
      'refundCancelledResident=false',
      '--set',
      'randomPairs=200000',
      '--set',
      'backupsKept=3',
      '--set',
      'removeAbroad=false',
      '--set',
      'removeMissing=true',
      '--set',
      'rateBasis=local',
      '--set',
      'lagRate=0.7',
      // The continuity rules (DOMAIN-RULES §1): switches, years, yuan, month-days, an empty one, and a list.
      '--set',
      'firstLapseYearFree=false',
      '--set',
      'lapseCountFromYear=2024',
      '--set',
      'incentiveCountFromYear=2021',
      '--set',
      'incentiveStep=2000',
      '--set',
      'lapseSchemeScope=residentEmployee',
      '--set',
      'centralWindowEnd=02-28',
      '--set',
      'extensionEnd=',
      '--set',
      'exemptGroups=newborn,assisted,veteranSpouse',
    );
    expect(all.code, all.err).toBe(0);
    expect(await c.call('settings.get', {})).toEqual({
      countyName: '石泉县',
      targetRate: 0.97,
      linkWeight: 9,
      reviewWeight: 1,
      employeeWins: false,
      residentKeep: 'earliest',
      refundCancelledResident: false,
      randomPairs: 200000,
      backupsKept: 3,
      removeAbroad: false,
      removeMissing: true,
      rateBasis: 'local',
      lagRate: 0.7,
      ...CONTINUITY_DEFAULTS,
      firstLapseYearFree: false,
      lapseCountFromYear: 2024,
      incentiveCountFromYear: 2021,
      incentiveStep: 2000,
      lapseSchemeScope: 'residentEmployee',
      centralWindowEnd: '02-28',
      extensionEnd: '',
      exemptGroups: ['newborn', 'assisted', 'veteranSpouse'],
    });
  });

  it('validates find --mask and review --decide like the app does', async () => {
    const path = copyOf('find');
    const bad = await cli('find', '--workspace', path, '--mask', '5-5', '王');
    expect(bad.code).toBe(EXIT_CODE.badInput);
    expect(bad.err).toContain('身份证号脱敏方式应为 full、6-4、3-4 之一');
    const full = JSON.parse((await cli('find', '--workspace', path, '--mask', 'full', '--json', '王')).out);
    expect(full.hits[0].idMasked).not.toContain('*');
    expect(auditSince(path, lastAuditId(original)).map((e) => e.action)).toEqual(['revealId']);
    const gone = await cli('review', '--workspace', path, '--decide', '99999999', 'same');
    expect(gone.code).toBe(EXIT_CODE.notFound);
    expect(gone.err).toContain('待复核的第 99999999 对不存在');
    const maybe = await cli('review', '--workspace', path, '--decide', '1', 'maybe');
    expect(maybe.code).toBe(EXIT_CODE.badInput);
    expect(maybe.err).toContain('判断应为 same（同一人）或 different（不是同一人）');
  });
});

describe('一个错误信封：种类和中文说明一路保留', () => {
  it('an engine error raised in the worker reaches the caller with its kind, Chinese message and place; the CLI exits with the mapped code', async () => {
    const bad = writeCsv(join(dir, '无表头.csv'), [['说明：本表由系统导出'], ['1', '2']]);
    const c = await app(copyOf('errors'));
    const failure = await c.runJob('import.run', { path: bad, kind: 'employee', year: 2026 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(EngineError);
    expect(failure).toMatchObject({
      kind: 'noHeader',
      file: '无表头.csv',
      message: expect.stringMatching(/^文件“无表头.csv”：没有找到可导入的工作表/),
    });
    const notWorkspace = join(dir, '不是工作区.canbao');
    writeFileSync(notWorkspace, '这不是数据库');
    await expect(c.call('workspace.open', { path: notWorkspace })).rejects.toMatchObject({
      kind: 'notAWorkspace',
      message: expect.stringContaining('不是参保比对的工作区文件'),
    });

    const r = await cli(
      'import',
      '--workspace',
      join(dir, 'errors-cli.canbao'),
      '--kind',
      'employee',
      '--year',
      '2026',
      bad,
    );
    expect(r.code).toBe(EXIT_CODE.noHeader);
    expect(r.err.split('\x1b[K').at(-1)).toBe(`错误：${(failure as Error).message}\n`); // after the progress line is cleared
    const w = await cli('status', '--workspace', notWorkspace);
    expect(w.code).toBe(EXIT_CODE.notAWorkspace);
    expect(w.err).toContain('不是参保比对的工作区文件');
  });
});

describe('取消导出', () => {
  it('leaves no file in the folder, neither finished workbooks nor half-written ones, from either thread', async () => {
    const path = copyOf('cancel');
    const out = join(dir, 'cancelled');
    mkdirSync(out);
    const ws = Workspace.open(path);
    let started = 0;
    let filesSeen = 0;
    const failure = await exportWorkbooks(ws.db, {
      dir: out,
      what: ['ledger', 'duplicates', 'persons', 'rates', 'linkage', 'issues'],
      mask: '6-4',
      format: 'xlsx',
      actor: '王芳',
      workspacePath: path,
      onProgress: () => {
        started++;
        filesSeen = Math.max(filesSeen, readdirSync(out).filter((f) => !f.startsWith('.')).length);
      },
      // Cancelled once a few files are under way: some are finished by then, one is half-written.
      signal: {
        get aborted() {
          return started >= 5;
        },
      },
    }).catch((e: unknown) => e);
    const audit = ws.db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'export'`).get();
    ws.close();
    expect(failure).toMatchObject({
      kind: 'cancelled',
      message: expect.stringContaining('导出已取消，未留下任何文件'),
    });
    expect(filesSeen).toBeGreaterThan(0);
    expect(readdirSync(out)).toEqual([]);
    expect(audit).toEqual({ n: 0 });
  });

  it('cancelled from the handler path (job.cancel) ends with kind cancelled and an empty folder', async () => {
    const c = await app(copyOf('cancel-app'));
    const out = join(dir, 'cancelled-app');
    mkdirSync(out);
    let jobId = '';
    const failure = await c
      .runJob(
        'export.run',
        { dir: out, what: ['ledger', 'duplicates', 'persons', 'rates', 'linkage', 'issues'], mask: '6-4' },
        {
          started: (id) => (jobId = id),
          progress: (p) => void (p.stage === 'export' && c.call('job.cancel', { jobId })),
        },
      )
      .catch((e: unknown) => e);
    expect(failure).toMatchObject({ kind: 'cancelled' });
    expect(readdirSync(out)).toEqual([]);
  });
});
