/**
 * The bridge: exactly one function per contract channel, plus file path, folder chooser and event subscription.
 * Nothing raw (no ipcRenderer, no Node) reaches the page.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { CHANNELS } from '../../shared/ipc/channels';
import type { CanbaoApi, EngineEvent } from '../../shared/ipc/contract';
import { unwrapReply, type Reply } from '../../shared/ipc/errors';

/** The result, or the engine's error envelope thrown as an EngineError (kind and Chinese message kept). */
async function invoke(channel: string, input?: unknown): Promise<unknown> {
  return unwrapReply((await ipcRenderer.invoke(channel, input)) as Reply);
}

const api = Object.fromEntries(CHANNELS.map((c) => [c, (request: unknown) => invoke(c, request)])) as Record<
  string,
  unknown
>;
api.onEvent = (listener: (e: EngineEvent) => void) => {
  const handler = (_e: unknown, event: EngineEvent) => listener(event);
  ipcRenderer.on('canbao:event', handler);
  return () => ipcRenderer.removeListener('canbao:event', handler);
};
api.pathForFile = async (file: File) => webUtils.getPathForFile(file);
api.chooseFolder = () => invoke('app.chooseFolder');
api.chooseWorkspace = (mode: 'open' | 'create') => invoke('app.chooseWorkspace', mode);
api.openFolder = (path: string) => invoke('app.openFolder', path);

contextBridge.exposeInMainWorld('api', api as unknown as CanbaoApi);
