/**
 * The bridge: exactly one function per contract channel, plus file path, folder chooser and event subscription.
 * Nothing raw (no ipcRenderer, no Node) reaches the page.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { CHANNELS } from '../../shared/ipc/channels';
import type { CanbaoApi, EngineEvent } from '../../shared/ipc/contract';

type Reply = { ok: true; result: unknown } | { ok: false; error: { message: string } };

async function invoke(channel: string, input?: unknown): Promise<unknown> {
  const r = (await ipcRenderer.invoke(channel, input)) as Reply;
  if (!r.ok) throw new Error(r.error.message);
  return r.result;
}

const api = Object.fromEntries(CHANNELS.map((c) => [c, (request: unknown) => invoke(c, request)])) as Record<string, unknown>;
api.onEvent = (listener: (e: EngineEvent) => void) => {
  const handler = (_e: unknown, event: EngineEvent) => listener(event);
  ipcRenderer.on('canbao:event', handler);
  return () => ipcRenderer.removeListener('canbao:event', handler);
};
api.pathForFile = async (file: File) => webUtils.getPathForFile(file);
api.chooseFolder = () => invoke('app.chooseFolder');
api.openFolder = (path: string) => invoke('app.openFolder', path);

contextBridge.exposeInMainWorld('api', api as unknown as CanbaoApi);
