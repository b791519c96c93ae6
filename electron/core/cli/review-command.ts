import { GENDER_LABEL, ROLL_KIND_LABEL, type Gender } from '../../../shared/domain/types';
import type { MaskProfile } from '../../../shared/export/mask';
import type { MaskedRecord } from '../../../shared/ipc/contract';
import { CanbaoError } from '../errors';
import { num, out, parse, str, workspacePath } from './args';
import { withEngine } from './engine';

/**
 * canbao review --list shows each pending pair with its number; --decide N same|different decides pair N — the
 * same request (review.decide by pair number) and the same log entry as deciding it on the 复核 screen.
 */
export async function reviewCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    workspace: { type: 'string' },
    list: { type: 'boolean' },
    decide: { type: 'string' },
    by: { type: 'string' },
    limit: { type: 'string' },
    mask: { type: 'string' },
    json: { type: 'boolean' },
  });
  return withEngine({ workspace: workspacePath(values.workspace), by: str(values.by) }, async (engine) => {
    if (values.decide !== undefined) {
      const verdict = positionals[0];
      if (!verdict)
        throw new CanbaoError(
          'badInput',
          '请给出判断：same（同一人）或 different（不是同一人），如 --decide 12 same --by 王芳',
        );
      const pairId = num(values.decide);
      const r = await engine.call('review.decide', { pairId, verdict: verdict as 'same' });
      out(
        values.json
          ? JSON.stringify({ pair: pairId, ...r })
          : `已记录：第 ${pairId} 对为${r.verdict === 'same' ? '同一人' : '不同人'}。重新比对后名单随之更新，且不会被覆盖。`,
      );
      return 0;
    }
    const list = await engine.call('review.list', {
      limit: num(values.limit) ?? 50,
      mask: str(values.mask) as MaskProfile | undefined,
    });
    if (values.json) {
      out(JSON.stringify(list));
      return 0;
    }
    out(`待复核 ${list.pending} 对${list.pairs.length < list.pending ? `，显示前 ${list.pairs.length} 对` : ''}`);
    const show = (r: MaskedRecord) =>
      `${ROLL_KIND_LABEL[r.kind]} ${r.file}${r.sheet ? '/' + r.sheet : ''} 第${r.row}行：${r.name} ${r.idMasked} ${r.birthDate ?? ''} ${r.gender ? GENDER_LABEL[r.gender as Gender] : ''} ${r.township ?? ''}${r.village ?? ''}`;
    for (const p of list.pairs) {
      out(
        `\n[${p.id}] ${p.impactLabel}  匹配权重 ${p.weight.toFixed(1)}（概率 ${(p.probability * 100).toFixed(1)}%）${p.siblingRisk ? '  ⚠ 疑似双胞胎/兄弟姐妹' : ''}`,
      );
      out(`  A ${show(p.a)}`);
      out(`  B ${show(p.b)}`);
      for (const f of p.plain) out(`  ${f.mark} ${f.words}`);
      out(
        `  详细计算：先验 ${p.prior.toFixed(1)}；` +
          p.contributions
            .map((c) => `${c.fieldLabel}${c.levelLabel} ${c.weight >= 0 ? '+' : ''}${c.weight.toFixed(1)}`)
            .join('；'),
      );
    }
    return 0;
  });
}
