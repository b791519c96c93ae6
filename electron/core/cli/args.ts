import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolve } from 'node:path';
import { CanbaoError } from '../errors';

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parse(argv: string[], options: Options) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CanbaoError('badInput', `参数有误：${(e as Error).message}`);
  }
}

export function requireString(v: unknown, flag: string): string {
  if (typeof v !== 'string' || v === '') throw new CanbaoError('badInput', `缺少参数 --${flag}`);
  return v;
}

export function workspacePath(v: unknown): string {
  return resolve(requireString(v, 'workspace'));
}

/** A number flag as typed; whether it is a valid one is for the request's schema to say, as for the app. */
export function num(v: unknown): number | undefined {
  return typeof v === 'string' ? (v.trim() === '' ? Number.NaN : Number(v)) : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Writes a line to stdout; JSON mode prints exactly one object. */
export function out(line: string): void {
  process.stdout.write(line + '\n');
}
