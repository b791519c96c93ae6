import { CanbaoError } from '../errors';
import { out, parse, str, workspacePath } from './args';
import { withEngine } from './engine';
import { AUDIT_BROKEN_EXIT } from './exit-codes';

/**
 * canbao audit --verify [--manifest 导出清单.json]: recomputes the log's hash chain (the same audit.verify as the 操作日志 screen's 校验日志).
 * With --manifest, also ties that export to the log by the chain head it recorded.
 * Exit 0 when intact (and tied); otherwise AUDIT_BROKEN_EXIT and the Chinese message naming the first broken entry on stderr.
 */
export async function auditCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    workspace: { type: 'string' },
    verify: { type: 'boolean' },
    manifest: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (!values.verify) throw new CanbaoError('badInput', '请加上 --verify：canbao audit --workspace W --verify');
  return withEngine({ workspace: workspacePath(values.workspace) }, async (engine) => {
    const r = await engine.call('audit.verify', { manifest: str(values.manifest) });
    const lines = [r.message, ...(r.manifest ? [r.manifest.message] : [])];
    if (values.json) out(JSON.stringify(r));
    else if (r.ok) out(lines.join('\n'));
    if (!r.ok) process.stderr.write(`${lines.join('\n')}\n`);
    return r.ok ? 0 : AUDIT_BROKEN_EXIT;
  });
}
