import { describe, expect, it } from 'vitest';
import { BackendClient } from '../../electron/core/service/backend-client';
import type { EngineEvent } from '../../shared/ipc/contract';

describe('计算引擎意外停止时', () => {
  it('answers the running job with a Chinese message instead of waiting forever, and carries on with a fresh engine', async () => {
    const client = new BackendClient({ workerUrl: new URL('../fixtures/workers/dying-worker.mjs', import.meta.url) });
    const events: EngineEvent[] = [];
    client.onEvent((e) => events.push(e));
    try {
      const job = client.runJob('match.run', {});
      await expect(job).rejects.toMatchObject({
        kind: 'internal',
        message: expect.stringContaining('计算引擎意外停止（代码 9）'),
      });
      await expect(job).rejects.toMatchObject({ message: expect.stringContaining('工作区保持不变') });
      // The renderer hears of it the same way: a done event for that job, with the envelope.
      expect(events.at(-1)).toMatchObject({ type: 'done', event: { jobId: 'job-1', channel: 'match.run', ok: false } });
      // The next request reaches a fresh worker.
      await expect(client.call('workspace.status', {})).resolves.toEqual({ alive: true });
    } finally {
      await client.close();
    }
  });
});
