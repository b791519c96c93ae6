/** Where in a source file something is: the clerk must be able to find it again in Excel/WPS. */
export interface SourceLocation {
  file?: string;
  sheet?: string;
  row?: number;
  column?: string;
}

export type CanbaoErrorKind =
  | 'workspaceTooNew'
  | 'notAWorkspace'
  | 'unsupportedFile'
  | 'fileUnreadable'
  | 'noHeader'
  | 'badMapping'
  | 'alreadyImported'
  | 'cancelled'
  | 'badInput'
  | 'notFound'
  /** Work that would exceed a designed limit (memory, pairs): said in Chinese with the cause, never a RangeError. */
  | 'limitExceeded';

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

/** Anything with an aborted flag: an AbortSignal, or a flag shared with a worker thread. */
export interface CancelFlag {
  readonly aborted: boolean;
}

export function throwIfAborted(signal: CancelFlag | undefined): void {
  if (signal?.aborted) throw new CanbaoError('cancelled', '操作已取消，工作区保持不变');
}
