import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Service } from '../../electron/core/service/service';
import { tempDir } from '../helpers/files';

const flag = { isSet: () => false, set: () => undefined, clear: () => undefined };
const service = (recentFile: string, actor?: string) =>
  new Service({ recentFile, actor, emit: () => undefined, cancel: flag as never });

describe('经办人：问一次，记住，日志里从不写占位的“经办人”', () => {
  it('on first start no name is given: the app is told to ask, and the log would name the PC user, not "经办人"', async () => {
    const s = service(join(tempDir('canbao-clerk-'), 'recent.json'));
    const status = await s.handle('workspace.status', {});
    expect(status.actorNamed).toBe(false);
    expect(status.actor).not.toBe('经办人');
    expect(status.actor.trim()).not.toBe('');
  });

  it('a name given once is remembered by the next start, beside the recent list', async () => {
    const recent = join(tempDir('canbao-clerk-'), 'recent.json');
    await service(recent).handle('settings.actor', { name: ' 王芳 ' });
    const again = await service(recent).handle('workspace.status', {});
    expect(again).toMatchObject({ actor: '王芳', actorNamed: true });
  });

  it('refuses the placeholder "经办人" as a name, and asks again if an earlier version saved it', async () => {
    const dir = tempDir('canbao-clerk-');
    const s = service(join(dir, 'recent.json'));
    await expect(s.handle('settings.actor', { name: '经办人' })).rejects.toThrow(/请填写您自己的姓名/);
    writeFileSync(join(dir, 'actor.json'), JSON.stringify('经办人'));
    expect((await service(join(dir, 'recent.json')).handle('workspace.status', {})).actorNamed).toBe(false);
  });

  it('the CLI’s --by names the clerk: nothing to ask', async () => {
    const s = service(join(tempDir('canbao-clerk-'), 'recent.json'), '李四');
    expect(await s.handle('workspace.status', {})).toMatchObject({ actor: '李四', actorNamed: true });
  });
});
