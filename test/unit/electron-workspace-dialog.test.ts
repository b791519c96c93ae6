import { beforeAll, describe, expect, it, vi } from 'vitest';

// 打开… / 新建… in the app: the shell answers with the system dialog's choice (mocked electron; the binary cannot run here).
const recorded = await vi.hoisted(async () => (await import('../helpers/electron-mock')).newRecorded());
const asked = vi.hoisted(() => [] as { kind: string; options: Record<string, unknown> }[]);
const answer = vi.hoisted(() => ({ canceled: false }));
vi.mock('electron', async () => {
  const m = (await import('../helpers/electron-mock')).electronMock(recorded);
  return {
    ...m,
    dialog: {
      showOpenDialog: async (_w: unknown, options: Record<string, unknown>) => {
        asked.push({ kind: 'open', options });
        return { canceled: answer.canceled, filePaths: answer.canceled ? [] : ['D:\\参保比对\\2026年度.canbao'] };
      },
      showSaveDialog: async (_w: unknown, options: Record<string, unknown>) => {
        asked.push({ kind: 'save', options });
        return { canceled: answer.canceled, filePath: answer.canceled ? '' : 'D:\\参保比对\\新建.canbao' };
      },
    },
  };
});
vi.mock('../../electron/core/service/backend-client', () => ({
  BackendClient: class {
    onEvent() {
      return () => undefined;
    }
    async call(channel: string) {
      return channel === 'workspace.recent' ? { paths: [] } : { ok: true };
    }
  },
}));

const trusted = { senderFrame: { url: 'app://canbao/index.html' }, sender: { mainFrame: null as unknown } };
trusted.sender.mainFrame = trusted.senderFrame;
const choose = (mode: unknown) => recorded.handlers.get('app.chooseWorkspace')!(trusted, mode);

beforeAll(async () => {
  await import('../../electron/main/index');
  await vi.waitFor(() => expect(recorded.handlers.has('app.chooseWorkspace')).toBe(true));
});

describe('打开… / 新建… 用系统的文件对话框', () => {
  it('打开… shows the open dialog for .canbao files and answers the chosen path', async () => {
    await expect(choose('open')).resolves.toEqual({ ok: true, result: 'D:\\参保比对\\2026年度.canbao' });
    expect(asked.at(-1)).toMatchObject({
      kind: 'open',
      options: { title: '打开工作区', filters: [{ extensions: ['canbao'] }] },
    });
  });

  it('新建… shows the save dialog for a .canbao file and answers where to create it', async () => {
    await expect(choose('create')).resolves.toEqual({ ok: true, result: 'D:\\参保比对\\新建.canbao' });
    expect(asked.at(-1)).toMatchObject({ kind: 'save', options: { title: '新建工作区' } });
  });

  it('a cancelled dialog answers nothing, and an unknown mode is refused', async () => {
    answer.canceled = true;
    await expect(choose('open')).resolves.toEqual({ ok: true, result: null });
    await expect(choose('create')).resolves.toEqual({ ok: true, result: null });
    expect(((await choose('delete')) as { ok: boolean }).ok).toBe(false);
  });
});
