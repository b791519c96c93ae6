import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MASK_PROFILES, type MaskProfile } from '../../../shared/export/mask';
import { defaultActor } from '../audit/audit-log';
import { Workspace } from '../db/workspace';
import { CanbaoError } from '../errors';
import { exportWorkbooks, EXPORT_KINDS, type ExportKind } from '../export/export-all';
import { out, parse, requireString, workspacePath } from './args';

export async function exportCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    workspace: { type: 'string' }, out: { type: 'string' }, what: { type: 'string' }, township: { type: 'string', multiple: true },
    mask: { type: 'string' }, format: { type: 'string' }, by: { type: 'string' }, json: { type: 'boolean' },
  });
  const mask = ((values.mask as string | undefined) ?? '6-4') as MaskProfile;
  if (!MASK_PROFILES.includes(mask)) throw new CanbaoError('badInput', `--mask 应为 ${MASK_PROFILES.join('、')} 之一`);
  const format = (values.format as string | undefined) ?? 'xlsx';
  if (format !== 'xlsx' && format !== 'csv') throw new CanbaoError('badInput', '--format 应为 xlsx 或 csv');
  const what = ((values.what as string | undefined) ?? 'ledger,duplicates,persons,rates').split(',').map((s) => s.trim()).filter(Boolean);
  for (const w of what) if (!(EXPORT_KINDS as readonly string[]).includes(w)) throw new CanbaoError('badInput', `--what 中的“${w}”无法识别，可选：${EXPORT_KINDS.join(', ')}`);
  const dir = resolve(requireString(values.out, 'out'));
  mkdirSync(dir, { recursive: true });
  const ws = Workspace.open(workspacePath(values.workspace));
  try {
    const by = (values.by as string | undefined) ?? defaultActor();
    const result = await exportWorkbooks(ws.db, {
      dir, what: what as ExportKind[], townships: values.township as string[] | undefined, mask, format, actor: by, workspacePath: ws.path,
      onProgress: values.json ? undefined : (p) => process.stderr.write(`\r  ${p.label} ${p.done}/${p.total}\x1b[K`),
    });
    if (!values.json) process.stderr.write('\r\x1b[K');
    if (values.json) out(JSON.stringify(result));
    else {
      out(`已导出 ${result.files.length} 个文件到 ${dir}（身份证号：${mask === 'full' ? '完整' : '脱敏 ' + mask}）`);
      for (const f of result.files) out(`  ${join(f.file)}：${f.rows} 行`);
    }
    return 0;
  } finally {
    ws.close();
  }
}
