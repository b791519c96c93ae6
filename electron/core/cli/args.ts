import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolve } from 'node:path';
import { CanbaoError } from '../errors';

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parse(argv: string[], options: Options) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CanbaoError('badInput', argsProblem(e as Error & { code?: string }));
  }
}

/** Node's own words for a bad command line are English: say each kind in Chinese, naming what was typed. */
function argsProblem(e: Error & { code?: string }): string {
  const typed = /'([^']+)'/.exec(e.message)?.[1] ?? '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `无法识别的选项“${typed}”，请检查拼写（各命令的选项见 canbao --help）`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `选项“${typed.split(' ')[0]}”后面缺少值，或值以 - 开头（负数请写成 --选项=-5 的形式）`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `多余的参数“${typed}”`;
    default:
      return '命令行参数有误，请对照 canbao --help 检查';
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
