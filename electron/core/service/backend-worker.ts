/** Worker-thread entry of the engine behind the UI: parses each request with the contract, answers, emits events. */
import { parentPort, workerData } from 'node:worker_threads';
import { REQUESTS, type Channel } from '../../../shared/ipc/contract';
import { CanbaoError } from '../errors';
import { Backend } from './backend';

const { recentFile, cancel } = workerData as { recentFile: string; cancel: SharedArrayBuffer };
const backend = new Backend({ recentFile, cancelFlag: new Int32Array(cancel), emit: (event) => parentPort!.postMessage({ type: 'event', event }) });

parentPort!.on('message', async (m: { id: number; channel: Channel; input: unknown } | { type: 'close' }) => {
  if ('type' in m) {
    backend.close();
    parentPort!.close();
    return;
  }
  try {
    const schema = REQUESTS[m.channel];
    if (!schema) throw new CanbaoError('badInput', `未知的请求“${String(m.channel)}”`);
    const input = schema.parse(m.input);
    const result = await backend.handle(m.channel, input as never);
    parentPort!.postMessage({ type: 'reply', id: m.id, ok: true, result });
  } catch (e) {
    const error = e instanceof CanbaoError ? { kind: e.kind, message: e.message }
      : (e as { name?: string }).name === 'ZodError' ? { kind: 'badInput', message: `请求参数不正确：${(e as Error).message}` }
      : { kind: 'internal', message: `程序错误：${(e as Error).message}` };
    parentPort!.postMessage({ type: 'reply', id: m.id, ok: false, error });
  }
});
