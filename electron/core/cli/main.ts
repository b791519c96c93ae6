#!/usr/bin/env node
import { EngineError } from '../../../shared/ipc/errors';
import { toEnvelope } from '../errors';
import { EXIT_CODE } from './exit-codes';
import { importCommand, IMPORT_USAGE } from './import-command';
import { issuesCommand } from './issues-command';
import { statusCommand } from './status-command';
import { matchCommand } from './match-command';
import { reviewCommand } from './review-command';
import { exportCommand } from './export-command';
import { findCommand } from './find-command';
import { settingsCommand } from './settings-command';
import { passwordCommand, PASSWORD_USAGE } from './password-command';
import { backupCommand, restoreCommand } from './backup-command';
import { auditCommand } from './audit-command';
import { rollCommand, ROLL_USAGE } from './roll-command';
import { subsidyCommand, SUBSIDY_USAGE } from './subsidy-command';
import { continuityCommand, CONTINUITY_USAGE } from './continuity-command';
import { bulletinCommand, dispatchCommand, ratesCommand, returnsCommand, TOWNSHIP_USAGE } from './township-commands';

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  import: importCommand,
  status: statusCommand,
  issues: issuesCommand,
  match: matchCommand,
  review: reviewCommand,
  export: exportCommand,
  find: findCommand,
  settings: settingsCommand,
  password: passwordCommand,
  backup: backupCommand,
  restore: restoreCommand,
  audit: auditCommand,
  roll: rollCommand,
  dispatch: dispatchCommand,
  returns: returnsCommand,
  rates: ratesCommand,
  bulletin: bulletinCommand,
  subsidy: subsidyCommand,
  continuity: continuityCommand,
};

const USAGE = `参保比对 canbao —— 命令行工具
用法：
  ${IMPORT_USAGE}
  canbao status --workspace W [--json]
  ${ROLL_USAGE}      （连同该文件的所有工作表；删除前自动备份）
  canbao issues --workspace W [--out 目录 [--format xlsx|csv] [--mask full|6-4|3-4]] [--json]
  canbao match --workspace W [--year YYYY] [--full] [--by 姓名] [--json]
  canbao review --workspace W --list [--limit N] [--mask full|6-4|3-4] [--json]
  canbao review --workspace W --decide 编号 same|different --by 姓名
  canbao export --workspace W --out 目录 [--what ledger,duplicates,persons,rates,bulletin,subsidy,continuity,linkage,issues] [--township 名称] [--mask full|6-4|3-4] [--format xlsx|csv] [--year YYYY（连续参保名单的年度）] [--by 姓名]
  ${TOWNSHIP_USAGE.join('\n  ')}
  ${SUBSIDY_USAGE.join('\n  ')}
  ${CONTINUITY_USAGE.join('\n  ')}
  canbao find --workspace W 姓名|拼音|首字母|身份证号片段 [--mask full|6-4|3-4] [--limit N]
  canbao settings --workspace W [--set countyName=宁陕县] [--set targetRate=0.95] [--by 姓名] [--json]
  ${PASSWORD_USAGE}
  canbao backup --workspace W [--out 副本.canbao] [--by 姓名] [--json]      （不带 --out：备份到工作区旁的“备份”文件夹）
  canbao backup --workspace W --list [--json]
  canbao restore --workspace W --from 备份文件名 [--by 姓名] [--json]      （恢复前自动备份当前状态）
  canbao audit --workspace W --verify [--manifest 导出清单.json] [--json]
  canbao audit --workspace W --list [--actor 姓名] [--action 导入] [--from 2026-11-01] [--to 2026-11-27] [--limit N] [--json]
加密的工作区：密码由环境变量 CANBAO_PASSWORD 给出，或在终端提示时输入（不接受命令行参数）；新建工作区时若设了 CANBAO_PASSWORD，即以它加密。
退出码：0 成功，2 参数有误，3 找不到，4 工作区无法打开，5 文件无法导入，6 文件已导入过，10 名册类型与文件内容不符（确认无误时加 --kind-confirmed），7 超出处理上限，8 磁盘已满、只读或被占用，9 工作区正被他人使用，12 工作区密码缺少或不正确，13 操作日志校验未通过，130 已取消，70 程序错误`;

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const run = command ? COMMANDS[command] : undefined;
  if (!run) {
    process.stderr.write(`${command ? `未知命令“${command}”\n` : ''}${USAGE}\n`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (e) {
    // The same envelope the app shows: its Chinese message, and an exit code by its kind.
    const error = e instanceof EngineError ? e.toEnvelope() : toEnvelope(e);
    process.stderr.write(`${error.kind === 'internal' ? '' : '错误：'}${error.message}\n`);
    if (error.kind === 'internal' && process.env.CANBAO_DEBUG) process.stderr.write(`${(e as Error).stack ?? ''}\n`);
    return EXIT_CODE[error.kind];
  }
}

const isMain = process.argv[1] && /cli[\\/]main\.(ts|js|mjs|cjs)$/.test(process.argv[1]);
if (isMain) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
