import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file, beside the open workspace, that keeps the program's own account of unexpected errors. */
export const DEVELOPER_LOG_NAME = '参保比对程序日志.txt';

let logDir: string | null = null;

/** Where unexpected errors are written: the open workspace's folder (the clerk can find and send it), or nowhere. */
export function setDeveloperLogDir(dir: string | null): void {
  logDir = dir;
}

/**
 * Appends an unexpected error (its English message and stack, which mean nothing to a clerk) to the developer log.
 * Answers whether it was written: the clerk's message then says which file to send. Never throws: a full or
 * read-only disk must not turn one error into another.
 */
export function writeDeveloperLog(e: unknown): boolean {
  if (process.env.CANBAO_DEBUG) process.stderr.write(`${errorText(e)}\n`);
  if (!logDir) return false;
  try {
    appendFileSync(join(logDir, DEVELOPER_LOG_NAME), `[${new Date().toISOString()}] ${errorText(e)}\n\n`);
    return true;
  } catch {
    return false;
  }
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.stack ?? `${e.name}: ${e.message}`;
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}

/** What a clerk reads for an error the program did not foresee: that it happened, that nothing is half-done, what to do. */
export function internalErrorMessage(logged: boolean): string {
  return logged
    ? `程序内部错误，这项操作没有完成。请重试一次；如仍出错，请把工作区文件夹中的“${DEVELOPER_LOG_NAME}”发给信息管理员`
    : '程序内部错误，这项操作没有完成。请重试一次；如仍出错，请记下刚才的操作步骤，告知信息管理员';
}
