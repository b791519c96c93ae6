import { exportWarnings } from '../../../shared/export/export-warnings';
import type { MaskProfile } from '../../../shared/export/mask';
import type { ParsedRequest } from '../../../shared/ipc/contract';
import type { ExportResult } from '../../../shared/ipc/jobs';
import { num, out, parse, requireString, str, workspacePath } from './args';
import { withEngine, type Engine } from './engine';

type What = ParsedRequest<'export.run'>['what'];

/** Runs export.run exactly as the 导出 screen does; Ctrl+C cancels and leaves no file behind. */
export async function runExport(
  engine: Engine,
  req: {
    dir: string;
    what: What;
    townships?: string[];
    mask?: MaskProfile;
    format?: 'xlsx' | 'csv';
    since?: string;
    year?: number;
  },
  json: boolean,
): Promise<ExportResult> {
  const result = await engine.job('export.run', req, {
    quiet: json,
    cancelNote: '正在取消导出，已写出的文件将被删除…',
  });
  if (json) out(JSON.stringify(result));
  else {
    const mask = req.mask ?? '6-4';
    out(
      `已导出 ${result.files.length} 个文件到 ${result.dir}（身份证号：${mask === 'full' ? '完整' : '脱敏 ' + mask}）`,
    );
    for (const f of result.files) out(`  ${f.file}：${f.rows} 行`);
  }
  return result;
}

export async function exportCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    workspace: { type: 'string' },
    out: { type: 'string' },
    what: { type: 'string' },
    township: { type: 'string', multiple: true },
    mask: { type: 'string' },
    format: { type: 'string' },
    by: { type: 'string' },
    year: { type: 'string' },
    json: { type: 'boolean' },
  });
  const dir = requireString(values.out, 'out');
  const what = (str(values.what) ?? 'ledger,duplicates,persons,rates')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean) as What;
  return withEngine({ workspace: workspacePath(values.workspace), by: str(values.by) }, async (engine) => {
    // Said, not refused: a script may export on purpose between matches; stderr keeps --json output clean.
    const warn = exportWarnings(await engine.call('workspace.status', {}));
    for (const line of warn.lines) process.stderr.write(`提示：${line}\n`);
    if (warn.rematch) process.stderr.write('提示：可先运行 canbao match 再导出\n');
    const year = num(values.year);
    if (year !== undefined && !what.includes('continuity'))
      process.stderr.write(
        '提示：--year 只用于连续参保与断保风险名单（--what continuity），其他名单按最近一次比对的年度导出\n',
      );
    await runExport(
      engine,
      {
        dir,
        what,
        townships: values.township as string[] | undefined,
        mask: str(values.mask) as MaskProfile | undefined,
        format: str(values.format) as 'xlsx' | undefined,
        year,
      },
      values.json === true,
    );
    return 0;
  });
}
