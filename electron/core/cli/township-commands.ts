import type { MaskProfile } from '../../../shared/export/mask';
import { PROGRESS_STATE_LABEL, RATE_BASIS_LABEL } from '../../../shared/domain/participation';
import { formatCount, formatPercent } from '../../../shared/text/clerk-format';
import { out, parse, requireString, str, workspacePath } from './args';
import { withEngine } from './engine';
import { runExport } from './export-command';

export const TOWNSHIP_USAGE = [
  'canbao dispatch --workspace W --out 目录 [--township 名称]... [--mask full|6-4|3-4] [--format xlsx|csv] [--by 姓名] [--json]      （下发未参保台账，记为一个批次）',
  'canbao returns --workspace W 回执文件... [--by 姓名] [--json]      （导入乡镇发回的核实回执）',
  'canbao rates --workspace W [--json]      （参保率：户籍口径与本地口径，按村、乡镇、全县）',
  'canbao bulletin --workspace W --out 目录 [--since YYYY-MM-DD] [--by 姓名] [--json]      （进度通报）',
];

/** 下发: one numbered batch of ledgers, as the 下发 screen makes it. */
export async function dispatchCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    workspace: { type: 'string' },
    out: { type: 'string' },
    township: { type: 'string', multiple: true },
    mask: { type: 'string' },
    format: { type: 'string' },
    by: { type: 'string' },
    json: { type: 'boolean' },
  });
  const dir = requireString(values.out, 'out');
  return withEngine({ workspace: workspacePath(values.workspace), by: str(values.by) }, async (engine) => {
    const r = await engine.job(
      'dispatch.run',
      {
        dir,
        townships: values.township as string[] | undefined,
        mask: str(values.mask) as MaskProfile | undefined,
        format: str(values.format) as 'xlsx' | undefined,
      },
      { quiet: values.json === true, cancelNote: '正在取消下发，已写出的台账将被删除，批次不保留…' },
    );
    if (values.json) out(JSON.stringify(r));
    else {
      out(`已下发批次 ${r.batchNo}：${formatCount(r.persons)} 人，${r.files.length} 个台账，保存在 ${r.dir}`);
      for (const t of r.townships) out(`  ${t.township}：${formatCount(t.persons)} 人`);
    }
    return 0;
  });
}

/** 导入核实回执: every row applied, unchanged, unanswered or listed as a problem with its place. */
export async function returnsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    workspace: { type: 'string' },
    by: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (!positionals.length) requireString(undefined, 'workspace W 回执文件');
  return withEngine({ workspace: workspacePath(values.workspace), by: str(values.by) }, async (engine) => {
    const r = await engine.job(
      'returns.import',
      { paths: positionals },
      { quiet: values.json === true, cancelNote: '正在取消，核实回执不会导入…' },
    );
    if (values.json) out(JSON.stringify(r));
    else {
      out(
        `${r.files.length} 个文件，${formatCount(r.rows)} 行：采用 ${formatCount(r.applied)}，与已有相同 ${formatCount(r.unchanged)}，` +
          `尚未填写 ${formatCount(r.unanswered)}，有问题 ${formatCount(r.problems.length)}`,
      );
      for (const p of r.problems.slice(0, 200))
        out(
          `  ${p.file}${p.sheet ? ` 工作表“${p.sheet}”` : ''} 第${p.row}行${p.column ? ` ${p.column}列` : ''}：${p.message}`,
        );
      if (r.problems.length > 200) out(`  ……另有 ${r.problems.length - 200} 个问题，加 --json 可得全部`);
    }
    return 0;
  });
}

/** 参保率 on both bases per village, township and county. */
export async function ratesCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { workspace: { type: 'string' }, json: { type: 'boolean' } });
  return withEngine({ workspace: workspacePath(values.workspace) }, async (engine) => {
    const r = await engine.call('results.rates', {});
    if (values.json) {
      out(JSON.stringify({ county: r.county, townships: r.townships, villages: r.villages, basis: r.basis }));
      return 0;
    }
    out(`排名口径：${RATE_BASIS_LABEL[r.basis]}；目标 ${formatPercent(r.target)}，滞后线 ${formatPercent(r.lagRate)}`);
    out('乡镇\t应参保\t已参保\t县外\t户籍口径\t本地口径\t下发\t已核实\t动员后参保\t剩余\t状态');
    for (const t of [...r.townships, r.county])
      out(
        [
          t.township,
          t.due,
          t.insured,
          t.insuredElsewhere,
          formatPercent(t.rateHousehold, 2),
          formatPercent(t.rateLocal, 2),
          t.dispatched,
          t.verified,
          t.mobilised,
          t.remaining,
          PROGRESS_STATE_LABEL[t.state],
        ].join('\t'),
      );
    return 0;
  });
}

/** 进度通报: the export of kind bulletin, written, logged and listed in a manifest like every export. */
export async function bulletinCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    workspace: { type: 'string' },
    out: { type: 'string' },
    since: { type: 'string' },
    format: { type: 'string' },
    by: { type: 'string' },
    json: { type: 'boolean' },
  });
  const dir = requireString(values.out, 'out');
  return withEngine({ workspace: workspacePath(values.workspace), by: str(values.by) }, async (engine) => {
    await runExport(
      engine,
      { dir, what: ['bulletin'], since: str(values.since), format: str(values.format) as 'xlsx' | undefined },
      values.json === true,
    );
    return 0;
  });
}
