import { EngineError } from '../../../shared/ipc/errors';
import { CanbaoError } from '../errors';

/**
 * A workspace password for the CLI: from CANBAO_PASSWORD (scripts), else asked at the terminal without echo. Never
 * a command-line argument: those are visible to every user of the PC in the process list and kept in shell history.
 */
export function envPassword(name: 'CANBAO_PASSWORD' | 'CANBAO_NEW_PASSWORD'): string | undefined {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
}

/** Whether a person is at the terminal to answer a question. */
export function canAsk(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/** Reads one line from the terminal with echo off (asterisks shown), Ctrl+C gives up with exit 130. */
export function askHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let typed = '';
    const done = (value: string | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (value === null) process.exit(130);
      resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(typed);
        if (ch === '\u0003') return done(null);
        if (ch === '\u007f' || ch === '\b') {
          if (typed.length) {
            typed = typed.slice(0, -1);
            process.stderr.write('\b \b');
          }
        } else if (ch >= ' ') {
          typed += ch;
          process.stderr.write('*');
        }
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * Opens with the password from the environment; when the workspace wants one and a person is at the terminal,
 * asks up to three times. Without a terminal the engine's Chinese message stands (exit 12).
 */
export async function withPasswordRetry<T>(open: (password: string | undefined) => Promise<T>): Promise<T> {
  const fromEnv = envPassword('CANBAO_PASSWORD');
  let password = fromEnv;
  for (let attempt = 0; ; attempt++) {
    try {
      return await open(password);
    } catch (e) {
      const wantsPassword = e instanceof EngineError && e.kind === 'workspacePassword';
      if (!wantsPassword || fromEnv !== undefined || !canAsk() || attempt >= 3) throw e;
      if (password !== undefined) process.stderr.write(`${e.message}\n`);
      password = await askHidden('工作区密码：');
    }
  }
}

/** A new password, typed twice at the terminal or given by CANBAO_NEW_PASSWORD. */
export async function newPassword(): Promise<string> {
  const fromEnv = envPassword('CANBAO_NEW_PASSWORD');
  if (fromEnv !== undefined) return fromEnv;
  if (!canAsk())
    throw new CanbaoError('badInput', '请在终端中运行以输入新密码，或用环境变量 CANBAO_NEW_PASSWORD 给出新密码');
  const first = await askHidden('新密码：');
  const again = await askHidden('再输入一次新密码：');
  if (first !== again) throw new CanbaoError('badInput', '两次输入的新密码不一致，密码未设置');
  return first;
}
