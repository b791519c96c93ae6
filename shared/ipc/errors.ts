/**
 * The one error envelope of the engine: every failure — of a request, of a long job, in any worker thread — travels
 * as `{ kind, message, file?, sheet?, row?, column? }` to the renderer, the harness and the CLI (whose exit code
 * follows the kind). The message is Chinese and already names the place; the location fields are there for screens
 * that want to point at it. No zod here: the sandboxed preload imports this file.
 */
export const ERROR_KINDS = [
  'workspaceTooNew',
  'notAWorkspace',
  'unsupportedFile',
  'fileUnreadable',
  'noHeader',
  'badMapping',
  'alreadyImported',
  'kindMismatch',
  'cancelled',
  'badInput',
  'notFound',
  'limitExceeded',
  'storageFault',
  'workspaceLocked',
  'workspacePassword',
  'forbidden',
  'internal',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface ErrorEnvelope {
  kind: ErrorKind;
  message: string;
  file?: string;
  sheet?: string;
  row?: number;
  column?: string;
}

/** An engine failure on the receiving side (renderer, harness, CLI, main process): the envelope as an Error. */
export class EngineError extends Error implements ErrorEnvelope {
  readonly kind: ErrorKind;
  readonly file?: string;
  readonly sheet?: string;
  readonly row?: number;
  readonly column?: string;

  constructor(envelope: ErrorEnvelope) {
    super(envelope.message);
    this.name = 'EngineError';
    this.kind = (ERROR_KINDS as readonly string[]).includes(envelope.kind) ? envelope.kind : 'internal';
    if (envelope.file !== undefined) this.file = envelope.file;
    if (envelope.sheet !== undefined) this.sheet = envelope.sheet;
    if (envelope.row !== undefined) this.row = envelope.row;
    if (envelope.column !== undefined) this.column = envelope.column;
  }

  /** The envelope again, to send on (structured clone and JSON drop an Error's own fields). */
  toEnvelope(): ErrorEnvelope {
    const { kind, message, file, sheet, row, column } = this;
    return {
      kind,
      message,
      ...(file !== undefined && { file }),
      ...(sheet !== undefined && { sheet }),
      ...(row !== undefined && { row }),
      ...(column !== undefined && { column }),
    };
  }
}

/** What a transport (IPC reply, HTTP body, worker message) carries for one request. */
export type Reply<T = unknown> = { ok: true; result: T } | { ok: false; error: ErrorEnvelope };

/** Unwraps a reply on the receiving side: the result, or the envelope thrown as an EngineError. */
export function unwrapReply<T>(r: Reply<T>): T {
  if (!r.ok) throw new EngineError(r.error);
  return r.result;
}
