/**
 * Worker-thread entry of the engine (the app's, the CLI's and the harness's alike): a thin transport to the one
 * Service. Requests come as `{ id, channel, input }` and are answered `{ type: 'reply', id, ok, result | error }`
 * with the error envelope; job events are posted as `{ type: 'event', event }`. Cancel arrives through shared memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Channel } from '../../../shared/ipc/contract';
import { sharedFlag, toEnvelope } from '../errors';
import { Service } from './service';

const { recentFile, actor, cancel } = workerData as { recentFile?: string; actor?: string; cancel: SharedArrayBuffer };
const service = new Service({
  recentFile,
  actor,
  cancel: sharedFlag(cancel),
  emit: (event) => parentPort!.postMessage({ type: 'event', event }),
});

parentPort!.on('message', async (m: { id: number; channel: Channel; input: unknown } | { type: 'close' }) => {
  if ('type' in m) {
    service.close();
    parentPort!.close();
    return;
  }
  try {
    const result = await service.handle(m.channel, m.input);
    parentPort!.postMessage({ type: 'reply', id: m.id, ok: true, result });
  } catch (e) {
    parentPort!.postMessage({ type: 'reply', id: m.id, ok: false, error: toEnvelope(e) });
  }
});
