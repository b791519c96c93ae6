import { resolve } from 'node:path';
import { MASK_PROFILES, type MaskProfile } from '../../../shared/export/mask';
import { appendAudit, defaultActor } from '../audit/audit-log';
import { Workspace } from '../db/workspace';
import { CanbaoError } from '../errors';
import { iterateQualityIssues, writeQualityReport } from '../import/quality-report';
import { out, parse, workspacePath } from './args';

export async function issuesCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { workspace: { type: 'string' }, out: { type: 'string' }, mask: { type: 'string' }, by: { type: 'string' }, json: { type: 'boolean' } });
  const mask = (values.mask as string | undefined) ?? 'full';
  if (!(MASK_PROFILES as readonly string[]).includes(mask)) throw new CanbaoError('badInput', `--mask 应为 ${MASK_PROFILES.join('、')} 之一`);
  const ws = Workspace.open(workspacePath(values.workspace));
  try {
    if (!values.out) {
      let n = 0;
      for (const i of iterateQualityIssues(ws.db)) {
        if (n++ < 200) out(`${i.file}${i.sheet ? ' / ' + i.sheet : ''} 第${i.row}行${i.column ? ' ' + i.column + '列' : ''}${i.columnName ? '（' + i.columnName + '）' : ''}：${i.message}`);
      }
      out(`共 ${n} 个数据问题${n > 200 ? '（仅显示前200个，用 --out 导出全部）' : ''}`);
      return 0;
    }
    const path = resolve(values.out as string);
    if (!/\.(xlsx|csv)$/i.test(path)) throw new CanbaoError('badInput', '--out 应为 .xlsx 或 .csv 文件');
    const n = await writeQualityReport(ws.db, path, mask as MaskProfile);
    appendAudit(ws.db, (values.by as string | undefined) ?? defaultActor(), 'exportIssues', { file: path, rows: n, mask });
    out(values.json ? JSON.stringify({ file: path, rows: n }) : `已导出 ${n} 个数据问题到 ${path}`);
    return 0;
  } finally {
    ws.close();
  }
}
