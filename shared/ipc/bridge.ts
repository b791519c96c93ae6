/**
 * What Electron's preload hands the page, and how the page turns it into the API its code calls.
 *
 * Electron's contextBridge copies an error thrown across it as a bare Error with its message only (electron#28346:
 * errors are not serializable, so the message is taken off and a new Error thrown on the other side). An EngineError
 * thrown in the preload reached the page without its kind or place, and not as the page's own EngineError class: every
 * refused request showed the generic "程序内部错误", and an encrypted workspace never asked for its password (the
 * dialog waits for kind 'workspacePassword'). So the preload answers with the transport's Reply, a plain object the
 * bridge copies whole, and the page unwraps it in its own world (fromBridge).
 */
import type { CanbaoApi, Channel, EngineEvent, Request, Response } from './contract';
import { CHANNELS } from './channels';
import { unwrapReply, type Reply } from './errors';

/** window.api as the preload exposes it: CanbaoApi, each request answered with its Reply instead of throwing. */
export type BridgeApi = { [C in Channel]: (request: Request<C>) => Promise<Reply<Response<C>>> } & {
  onEvent(listener: (e: EngineEvent) => void): () => void;
  pathForFile(file: File): Promise<string>;
  chooseFolder(): Promise<Reply<string | null>>;
  chooseWorkspace(mode: 'open' | 'create'): Promise<Reply<string | null>>;
  openFolder(path: string): Promise<Reply<void>>;
};

/** The page's API over the preload's: each reply unwrapped here, a failure thrown as this world's EngineError. */
export function fromBridge(bridge: BridgeApi): CanbaoApi {
  const unwrap =
    <A extends unknown[], T>(f: (...args: A) => Promise<Reply<T>>) =>
    async (...args: A): Promise<T> =>
      unwrapReply(await f(...args));
  const byChannel = Object.fromEntries(
    CHANNELS.map((c) => [c, unwrap(bridge[c] as (request: unknown) => Promise<Reply>)]),
  );
  return {
    ...(byChannel as unknown as Pick<CanbaoApi, Channel>),
    onEvent: (listener) => bridge.onEvent(listener),
    pathForFile: (file) => bridge.pathForFile(file),
    chooseFolder: unwrap(() => bridge.chooseFolder()),
    chooseWorkspace: unwrap((mode: 'open' | 'create') => bridge.chooseWorkspace(mode)),
    openFolder: unwrap((path: string) => bridge.openFolder(path)),
  };
}
