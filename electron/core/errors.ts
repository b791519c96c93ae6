import { z } from 'zod';
import { describeInvalid } from '../../shared/ipc/contract';
import { EngineError, type ErrorEnvelope, type ErrorKind } from '../../shared/ipc/errors';
import { internalErrorMessage, writeDeveloperLog } from './developer-log';

/** Where in a source file something is: the clerk must be able to find it again in Excel/WPS. */
export interface SourceLocation {
  file?: string;
  sheet?: string;
  row?: number;
  column?: string;
}

/** The kinds the engine raises itself ('internal' is what anything else becomes; 'forbidden' is the shell's). */
export type CanbaoErrorKind = Exclude<ErrorKind, 'internal' | 'forbidden'>;

export function describeLocation(loc: SourceLocation): string {
  const parts: string[] = [];
  if (loc.file) parts.push(`文件“${loc.file}”`);
  if (loc.sheet) parts.push(`工作表“${loc.sheet}”`);
  if (loc.row !== undefined) parts.push(`第${loc.row}行`);
  if (loc.column) parts.push(`${loc.column}列`);
  return parts.join('，');
}

/** An error whose kind drives the UI and whose message is Chinese and names the place in the source. */
export class CanbaoError extends Error {
  constructor(
    readonly kind: CanbaoErrorKind,
    readonly detail: string,
    readonly location: SourceLocation = {},
  ) {
    const where = describeLocation(location);
    super(where ? `${where}：${detail}` : detail);
    this.name = 'CanbaoError';
  }
}

/**
 * Any failure as the one error envelope: the engine's own errors keep their kind, message and place; a refused
 * request is badInput with the problems in Chinese; anything else is a program error (internal), said in one Chinese
 * sentence: its English text and stack go only to the developer log (developer-log.ts), never to the clerk.
 */
export function toEnvelope(e: unknown): ErrorEnvelope {
  if (e instanceof CanbaoError) {
    const { file, sheet, row, column } = e.location;
    return {
      kind: e.kind,
      message: e.message,
      ...(file !== undefined && { file }),
      ...(sheet !== undefined && { sheet }),
      ...(row !== undefined && { row }),
      ...(column !== undefined && { column }),
    };
  }
  if (e instanceof EngineError) return e.toEnvelope();
  if (e instanceof z.ZodError) return { kind: 'badInput', message: describeInvalid(e) };
  return { kind: 'internal', message: internalErrorMessage(writeDeveloperLog(e)) };
}

/** Anything with an aborted flag: an AbortSignal, or a flag shared with a worker thread. */
export interface CancelFlag {
  readonly aborted: boolean;
}

export function throwIfAborted(signal: CancelFlag | undefined, message = '操作已取消，工作区保持不变'): void {
  if (signal?.aborted) throw new CanbaoError('cancelled', message);
}

/** A cancel flag over shared memory: set by one thread, polled by the job running in another. */
export function sharedFlag(buffer: SharedArrayBuffer): CancelFlag & { set(): void; clear(): void } {
  const flag = new Int32Array(buffer);
  return {
    get aborted() {
      return Atomics.load(flag, 0) === 1;
    },
    set: () => Atomics.store(flag, 0, 1),
    clear: () => Atomics.store(flag, 0, 0),
  };
}
