#!/usr/bin/env node
import { CanbaoError } from '../errors';
import { importCommand, IMPORT_USAGE } from './import-command';
import { issuesCommand } from './issues-command';
import { statusCommand } from './status-command';
import { matchCommand } from './match-command';
import { reviewCommand } from './review-command';
import { exportCommand } from './export-command';
import { findCommand } from './find-command';
import { settingsCommand } from './settings-command';

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  import: importCommand,
  status: statusCommand,
  issues: issuesCommand,
  match: matchCommand,
  review: reviewCommand,
  export: exportCommand,
  find: findCommand,
  settings: settingsCommand,
};

const USAGE = `参保比对 canbao —— 命令行工具
用法：
  ${IMPORT_USAGE}
  canbao status --workspace W [--json]
  canbao issues --workspace W [--out 文件.xlsx|文件.csv] [--mask full|6-4|3-4]
  canbao match --workspace W [--year YYYY] [--by 姓名] [--json]
  canbao review --workspace W --list [--limit N] [--json]
  canbao review --workspace W --decide 编号 same|different --by 姓名
  canbao export --workspace W --out 目录 [--what ledger,duplicates,persons,rates,linkage,issues] [--township 名称] [--mask full|6-4|3-4] [--format xlsx|csv]
  canbao find --workspace W 姓名|拼音|首字母|身份证号片段
  canbao settings --workspace W [--set countyName=宁陕县] [--set targetRate=0.95] [--json]`;

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const run = command ? COMMANDS[command] : undefined;
  if (!run) {
    process.stderr.write(`${command ? `未知命令“${command}”\n` : ''}${USAGE}\n`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (e) {
    if (e instanceof CanbaoError) {
      process.stderr.write(`错误：${e.message}\n`);
      return 1;
    }
    process.stderr.write(`程序错误：${(e as Error).stack ?? String(e)}\n`);
    return 3;
  }
}

const isMain = process.argv[1] && /cli[\\/]main\.(ts|js|mjs|cjs)$/.test(process.argv[1]);
if (isMain) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
