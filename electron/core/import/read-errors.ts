import { CanbaoError, type SourceLocation } from '../errors';

/** What a clerk can do about a file that has an open password: nothing we could do for them safely. */
export const PASSWORD_MESSAGE = '文件设有打开密码，请在 Excel/WPS 中取消密码后另存再导入';

export function passwordProtected(file: string): CanbaoError {
  return new CanbaoError('fileUnreadable', PASSWORD_MESSAGE, { file });
}

/**
 * A library's failure said in Chinese, with what the clerk can do. The libraries' own words (English, stack
 * fragments such as "Cannot read properties of undefined") mean nothing to a clerk and are never shown; the
 * original error stays attached as `cause` for a developer's debugger.
 */
export function unreadable(e: unknown, where: SourceLocation, format: string, rowsRead?: number): CanbaoError {
  if (e instanceof CanbaoError) return e;
  const text = e instanceof Error ? e.message : String(e);
  if (/password|encrypt/i.test(text)) return passwordProtected(where.file ?? '');
  const kind = format === 'csv' ? '文本（CSV）' : 'Excel';
  const at = rowsRead !== undefined && rowsRead > 0 ? `读到第${rowsRead}行附近时出错，` : '';
  const err = new CanbaoError(
    'fileUnreadable',
    `${at}无法读取文件，可能已损坏或不是${kind}文件。请在 Excel/WPS 中打开后另存为 .xlsx 再导入`,
    where,
  );
  (err as { cause?: unknown }).cause = e;
  return err;
}
