import type { MaskProfile } from '../../../shared/export/mask';
import { CanbaoError } from '../errors';
import { out, parse, str, workspacePath } from './args';
import { withEngine } from './engine';
import { runExport } from './export-command';

/**
 * canbao issues lists the data-quality problems (as the 结果 → 数据问题 list does); with --out it exports the report
 * into a folder — the same export.run as `canbao export --what issues` and the 导出 screen, logged the same way.
 */
export async function issuesCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    workspace: { type: 'string' },
    out: { type: 'string' },
    mask: { type: 'string' },
    format: { type: 'string' },
    by: { type: 'string' },
    json: { type: 'boolean' },
  });
  const dir = str(values.out);
  if (dir && /\.(xlsx|csv)$/i.test(dir))
    throw new CanbaoError(
      'badInput',
      '--out 应为导出文件夹（文件名为“数据问题_年度”）；格式用 --format xlsx 或 csv 选择',
    );
  return withEngine({ workspace: workspacePath(values.workspace), by: str(values.by) }, async (engine) => {
    if (dir) {
      await runExport(
        engine,
        {
          dir,
          what: ['issues'],
          mask: (str(values.mask) ?? 'full') as MaskProfile,
          format: str(values.format) as 'xlsx' | undefined,
        },
        values.json === true,
      );
      return 0;
    }
    const { total, rows } = await engine.call('results.list', { list: 'issues', limit: 200 });
    if (values.json) {
      out(
        JSON.stringify({
          total,
          issues: rows.map((r) => ({ recordId: r.recordId, name: r.name, value: r.idMasked, detail: r.detail })),
        }),
      );
      return 0;
    }
    for (const r of rows) out(r.detail);
    out(`共 ${total} 个数据问题${total > rows.length ? `（仅显示前${rows.length}个，用 --out 导出全部）` : ''}`);
    return 0;
  });
}
