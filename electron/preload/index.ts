/**
 * The bridge: exactly one function per contract channel, plus file path, folder chooser and event subscription.
 * Nothing raw (no ipcRenderer, no Node) reaches the page.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { CHANNELS } from '../../shared/ipc/channels';
import type { BridgeApi } from '../../shared/ipc/bridge';
import type { EngineEvent } from '../../shared/ipc/contract';
import type { Reply } from '../../shared/ipc/errors';

/**
 * The main process's reply as it is, result or error envelope: the page unwraps it (shared/ipc/bridge.ts fromBridge).
 * Thrown here, an error would cross the bridge as its message alone.
 */
async function invoke(channel: string, input?: unknown): Promise<Reply> {
  return (await ipcRenderer.invoke(channel, input)) as Reply;
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

contextBridge.exposeInMainWorld('api', api as unknown as BridgeApi);
