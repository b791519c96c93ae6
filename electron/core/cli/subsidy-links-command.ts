import type { MaskProfile } from '../../../shared/export/mask';
import { CanbaoError } from '../errors';
import { out, str, workspacePath } from './args';
import { withEngine } from './engine';

/** 编号 (a proposal's number from --links), or 身份证号:人员编号 (P00000012 or 12). */
function target(spec: string): { candidateId: number } | { memberIdNumber: string; personId: number } {
  if (/^\d{1,9}$/.test(spec)) return { candidateId: Number(spec) };
  const m = spec.trim().match(/^(\d{17}[\dXx]):[Pp]?0*(\d+)$/);
  if (!m)
    throw new CanbaoError(
      'badInput',
      `“${spec}”无法识别：请写待确认的编号（subsidy --links 列出的 [编号]），或 名单上的身份证号:人员编号（如 610921199001011234:P00000012）`,
    );
  return { memberIdNumber: m[1]!.toUpperCase(), personId: Number(m[2]) };
}

/** `subsidy --links | --confirm X | --reject X`: the same requests as the 资助对象 page's 待确认的名单人员. */
export async function subsidyLinksCommand(values: Record<string, unknown>): Promise<number> {
  return withEngine({ workspace: workspacePath(values.workspace), by: str(values.by) }, async (engine) => {
    const decide = str(values.confirm) ?? str(values.reject);
    if (decide !== undefined) {
      const verdict = values.confirm !== undefined ? 'same' : 'different';
      const r = await engine.call('subsidy.decideLink', { ...target(decide), verdict });
      if (values.json) out(JSON.stringify(r));
      else
        out(
          `${verdict === 'same' ? `已链接到 ${r.personId}` : `已记下：不是 ${r.personId}，不会再提出`}；还有 ${r.toConfirm} 人待确认`,
        );
      return 0;
    }
    const r = await engine.call('subsidy.links', { mask: str(values.mask) as MaskProfile | undefined });
    if (values.json) {
      out(JSON.stringify(r));
      return 0;
    }
    if (!r.members.length) out('没有待确认的名单人员');
    for (const m of r.members) {
      out(
        `${m.name} ${m.idMasked}（${m.departments.join('、')}名单，${m.township}${m.village}）身份证号对不上任何人，可能是：`,
      );
      for (const c of m.candidates) {
        out(
          `  [${c.candidateId}] ${c.name} ${c.personId} ${c.idMasked} ${c.township}${c.village} ${c.insured ? '已参保' : '未参保'}：${c.plainTally}`,
        );
        for (const f of c.plain) out(`      ${f.mark} ${f.words}`);
        if (c.note) out(`      ※ ${c.note}`);
      }
    }
    if (r.members.length)
      out(
        `共 ${r.members.length} 人待确认。链接：canbao subsidy --confirm 编号；不是同一人：canbao subsidy --reject 编号`,
      );
    return 0;
  });
}
