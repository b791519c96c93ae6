import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fromBridge, type BridgeApi } from '../../shared/ipc/bridge';
import type { CanbaoApi, EngineEvent } from '../../shared/ipc/contract';
import { EngineError } from '../../shared/ipc/errors';

// The real engine worker behind Electron's main process and preload, with only the electron module mocked (its
// contextBridge copying as Electron's does): an error raised inside the worker must reach the page with its kind and
// its Chinese message, not as a bare message.
const recorded = await vi.hoisted(async () => (await import('../helpers/electron-mock')).newRecorded());
vi.mock('electron', async () => (await import('../helpers/electron-mock')).electronMock(recorded));

/** window.api as the page receives it from the preload. */
let bridge: BridgeApi;
/** The API the page's code calls (renderer/src/api.ts). */
let api: CanbaoApi;

beforeAll(async () => {
  recorded.userData = mkdtempSync(join(tmpdir(), 'canbao-shell-errors-'));
  await import('../../electron/main/index');
  await import('../../electron/preload/index');
  await vi.waitFor(() => expect(recorded.handlers.size).toBeGreaterThan(0));
  bridge = recorded.exposed as BridgeApi;
  api = fromBridge(bridge);
});

afterAll(async () => {
  await recorded.appEvents.get('window-all-closed')?.();
  rmSync(recorded.userData, { recursive: true, force: true });
});

describe('错误经主进程到达页面时保留种类和中文说明', () => {
  it('a request refused inside the engine worker: the envelope crosses the bridge whole, and the page throws it as its EngineError', async () => {
    const notWorkspace = join(recorded.userData, '不是工作区.canbao');
    writeFileSync(notWorkspace, '这不是数据库');
    const trusted = { senderFrame: { url: 'app://canbao/index.html' }, sender: { mainFrame: null as unknown } };
    trusted.sender.mainFrame = trusted.senderFrame;
    const reply = await recorded.handlers.get('workspace.open')!(trusted, { path: notWorkspace });
    expect(reply).toMatchObject({
      ok: false,
      error: { kind: 'notAWorkspace', message: expect.stringContaining('不是参保比对的工作区文件') },
    });
    // Crossing the bridge as a reply, not as a thrown error (which would arrive as its message alone).
    expect(await bridge['workspace.open']({ path: notWorkspace })).toEqual(reply);
    const thrown = await api['workspace.open']({ path: notWorkspace }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(EngineError);
    expect(thrown).toMatchObject({
      kind: 'notAWorkspace',
      message: (reply as { error: { message: string } }).error.message,
    });
    // A request the schema refuses: badInput, in Chinese.
    await expect(api['settings.set']({ targetRate: 5 })).rejects.toMatchObject({
      kind: 'badInput',
      message: expect.stringContaining('参保率目标应在 0.5 到 1 之间'),
    });
    await expect(api['import.run']({ path: 'x.csv', kind: 'teachers' as never, year: 2026 })).rejects.toMatchObject({
      kind: 'badInput',
      message: expect.stringContaining('名册类型应为'),
    });
  });

  it('a job that fails inside the worker: its done event reaches the page with kind, Chinese message and file', async () => {
    await api['workspace.open']({ path: join(recorded.userData, 'w.canbao'), create: true });
    const bad = join(recorded.userData, '无表头.csv');
    writeFileSync(bad, '说明：本表由系统导出\n1,2\n');
    const events: EngineEvent[] = [];
    const off = api.onEvent((e) => events.push(e));
    const { jobId } = await api['import.run']({ path: bad, kind: 'employee', year: 2026 });
    await vi.waitFor(() => expect(events.some((e) => e.type === 'done' && e.event.jobId === jobId)).toBe(true), {
      timeout: 20_000,
    });
    off();
    const done = events.find((e) => e.type === 'done')!.event;
    expect(done).toMatchObject({
      jobId,
      channel: 'import.run',
      ok: false,
      error: {
        kind: 'noHeader',
        file: '无表头.csv',
        message: expect.stringMatching(/^文件“无表头.csv”：没有找到可导入的工作表/),
      },
    });
    expect(recorded.sent.some((s) => s.channel === 'canbao:event')).toBe(true);
  });
});
