import { CanbaoError } from '../errors';
import { out, parse, str, workspacePath } from './args';
import { withEngine } from './engine';
import { AUDIT_BROKEN_EXIT } from './exit-codes';

/** A local calendar day (YYYY-MM-DD) as the instant it starts, plus `days`: the log keeps UTC times. */
function dayStart(day: string, flag: string, days = 0): string {
  const d = new Date(`${day}T00:00:00`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(d.getTime()))
    throw new CanbaoError('badInput', `${flag} 应为日期，如 2026-11-27`);
  d.setDate(d.getDate() + days);
  return d.toISOString();
}

/**
 * canbao audit --list: the 操作日志 as the screen shows it, newest first, filtered like the screen by 经办人
 * (--actor), 操作 (--action, its Chinese label) and days (--from, --to, both included).
 */
async function listCommand(values: Record<string, unknown>): Promise<number> {
  return withEngine({ workspace: workspacePath(values.workspace) }, async (engine) => {
    const all = await engine.call('audit.list', { limit: 1 });
    const label = typeof values.action === 'string' ? values.action : undefined;
    const action = label ? all.actions.find((a) => a.label === label || a.value === label)?.value : undefined;
    if (label && !action)
      throw new CanbaoError(
        'badInput',
        `日志中没有“${label}”这种操作。可选：${all.actions.map((a) => a.label).join('、')}`,
      );
    const r = await engine.call('audit.list', {
      limit: typeof values.limit === 'string' ? Number(values.limit) : 200,
      ...(typeof values.actor === 'string' && { actor: values.actor }),
      ...(action && { action }),
      ...(typeof values.from === 'string' && { from: dayStart(values.from, '--from') }),
      ...(typeof values.to === 'string' && { to: dayStart(values.to, '--to', 1) }),
    });
    if (values.json) out(JSON.stringify(r));
    else
      for (const row of r.rows)
        out(`${new Date(row.at).toLocaleString('zh-CN')}  ${row.actor}  ${row.action}  ${row.summary}`);
    return 0;
  });
}

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
    list: { type: 'boolean' },
    actor: { type: 'string' },
    action: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.list) return listCommand(values);
  if (!values.verify)
    throw new CanbaoError('badInput', '请加上 --verify 或 --list：canbao audit --workspace W --verify');
  return withEngine({ workspace: workspacePath(values.workspace) }, async (engine) => {
    const r = await engine.call('audit.verify', { manifest: str(values.manifest) });
    const lines = [r.message, ...(r.manifest ? [r.manifest.message] : [])];
    if (values.json) out(JSON.stringify(r));
    else if (r.ok) out(lines.join('\n'));
    if (!r.ok) process.stderr.write(`${lines.join('\n')}\n`);
    return r.ok ? 0 : AUDIT_BROKEN_EXIT;
  });
}
