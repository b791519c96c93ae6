import { out, parse, str, workspacePath } from './args';
import { withEngine } from './engine';
import { requireString } from './args';
import { formatDateTimeSeconds, formatFileSize } from '../../../shared/text/clerk-format';

/** canbao backup --workspace W [--list] [--out 副本.canbao] [--by 姓名] [--json] */
export async function backupCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    workspace: { type: 'string' },
    list: { type: 'boolean' },
    out: { type: 'string' },
    by: { type: 'string' },
    json: { type: 'boolean' },
  });
  return withEngine({ workspace: workspacePath(values.workspace), by: str(values.by) }, async (engine) => {
    if (values.list) {
      const r = await engine.call('backup.list', {});
      if (values.json) out(JSON.stringify(r));
      else if (r.backups.length === 0) out('还没有备份（canbao backup 立即备份）');
      else
        for (const b of r.backups)
          out(`${b.file}    ${formatDateTimeSeconds(b.at)}    ${formatFileSize(b.bytes)}    ${b.reasonLabel}`);
      return 0;
    }
    const r = await engine.call('backup.create', { dest: str(values.out) });
    if (values.json) out(JSON.stringify(r));
    else out(`${values.out ? '副本已保存' : '已备份'}：${r.path}（${formatFileSize(r.bytes)}）`);
    return 0;
  });
}

/** canbao restore --workspace W --from 备份文件名 [--by 姓名] [--json] */
export async function restoreCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    workspace: { type: 'string' },
    from: { type: 'string' },
    by: { type: 'string' },
    json: { type: 'boolean' },
  });
  const file = requireString(values.from, 'from');
  return withEngine({ workspace: workspacePath(values.workspace), by: str(values.by) }, async (engine) => {
    const s = await engine.call('backup.restore', { file });
    if (values.json) out(JSON.stringify(s));
    else out(`已从备份“${file}”恢复（恢复前的状态已另行备份）：${s.records} 条记录`);
    return 0;
  });
}
