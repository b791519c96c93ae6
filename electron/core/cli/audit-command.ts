import { CanbaoError } from '../errors';
import { out, parse, workspacePath } from './args';
import { withEngine } from './engine';
import { AUDIT_BROKEN_EXIT } from './exit-codes';

/**
 * canbao audit --verify: recomputes the log's hash chain (the same audit.verify as the 操作日志 screen's 校验日志).
 * Exit 0 when intact; otherwise AUDIT_BROKEN_EXIT and the Chinese message naming the first broken entry on stderr.
 */
export async function auditCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    workspace: { type: 'string' },
    verify: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (!values.verify) throw new CanbaoError('badInput', '请加上 --verify：canbao audit --workspace W --verify');
  return withEngine({ workspace: workspacePath(values.workspace) }, async (engine) => {
    const r = await engine.call('audit.verify', {});
    if (values.json) out(JSON.stringify(r));
    else if (r.ok) out(r.message);
    if (!r.ok) process.stderr.write(`${r.message}\n`);
    return r.ok ? 0 : AUDIT_BROKEN_EXIT;
  });
}
