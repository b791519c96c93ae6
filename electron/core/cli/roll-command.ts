import { ROLL_KIND_LABEL } from '../../../shared/domain/types';
import { CanbaoError } from '../errors';
import { num, out, parse, str, workspacePath } from './args';
import { withEngine } from './engine';

export const ROLL_USAGE = 'canbao roll --workspace W --remove 名册编号 [--by 姓名] [--json]';

/**
 * canbao roll --remove N: removes the import roll N belongs to (every sheet of that file), after an automatic
 * backup. The numbers are those `canbao status` shows in brackets.
 */
export async function rollCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    workspace: { type: 'string' },
    remove: { type: 'string' },
    by: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.remove === undefined)
    throw new CanbaoError(
      'badInput',
      `请用 --remove 给出要删除的名册编号（canbao status 中方括号里的数字）。用法：${ROLL_USAGE}`,
    );
  return withEngine({ workspace: workspacePath(values.workspace), by: str(values.by) }, async (engine) => {
    const r = await engine.call('roll.remove', { rollId: num(values.remove)! });
    if (values.json) {
      out(JSON.stringify(r));
      return 0;
    }
    const sheets = r.removed.sheets.filter(Boolean);
    out(
      `已删除 ${r.removed.year}年${ROLL_KIND_LABEL[r.removed.kind]}“${r.removed.file}”${sheets.length > 1 ? `（${sheets.length} 个工作表）` : ''}：` +
        `${r.removed.records} 条记录，${r.removed.issues} 个数据问题。删除前已自动备份（canbao backup --list）`,
    );
    if (r.status.rollsChangedSinceMatch) out('比对结果已过期，需要重新比对（canbao match）');
    return 0;
  });
}
