import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { tempDir } from '../helpers/files';
import { cli } from '../helpers/run-cli';

describe('操作日志中的设置变更：说人话，同样的值不再记一次', () => {
  it('logs a continuity setting in words once, and not again when the same list is set again', async () => {
    const ws = join(tempDir(), '县.canbao');
    Workspace.open(ws, { create: true }).close();
    for (let i = 0; i < 2; i++) {
      const r = await cli('settings', '--workspace', ws, '--set', 'exemptGroups=newborn,assisted', '--by', '王芳');
      expect(r.code, r.err).toBe(0);
    }
    const set = await cli('settings', '--workspace', ws, '--set', 'rateBasis=local', '--by', '王芳');
    expect(set.code, set.err).toBe(0);
    const log = await cli('audit', '--workspace', ws, '--list', '--action', '修改设置');
    expect(log.code, log.err).toBe(0);
    const lines = log.out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(log.out).toContain('新生儿');
    expect(log.out).toContain('本地口径');
    expect(log.out).not.toMatch(/newborn|assisted|local/);
  });
});
