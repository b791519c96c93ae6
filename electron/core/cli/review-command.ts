import { GENDER_LABEL, ROLL_KIND_LABEL, type Gender } from '../../../shared/domain/types';
import { maskId, MASK_PROFILES, type MaskProfile } from '../../../shared/export/mask';
import { defaultActor } from '../audit/audit-log';
import { Workspace } from '../db/workspace';
import { CanbaoError } from '../errors';
import { FIELD_LABEL, LEVEL_LABEL, type FieldName } from '../match/comparisons';
import { decideReviewPair, listPending, pendingCount, type ReviewRecord } from '../review/review-queue';
import { out, parse, workspacePath } from './args';

export async function reviewCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    workspace: { type: 'string' }, list: { type: 'boolean' }, decide: { type: 'string' }, by: { type: 'string' }, limit: { type: 'string' },
    mask: { type: 'string' }, json: { type: 'boolean' },
  });
  const ws = Workspace.open(workspacePath(values.workspace));
  try {
    if (values.decide) {
      const verdict = positionals[0];
      if (verdict !== 'same' && verdict !== 'different') throw new CanbaoError('badInput', '请给出判断：same（同一人）或 different（不是同一人），如 --decide 12 same --by 王芳');
      const pairId = Number(values.decide);
      if (!Number.isInteger(pairId)) throw new CanbaoError('badInput', '--decide 后应为待复核对的编号');
      const r = decideReviewPair(ws.db, pairId, verdict, (values.by as string | undefined) ?? defaultActor());
      out(values.json ? JSON.stringify({ pair: pairId, verdict, ...r }) : `已记录：第 ${pairId} 对为${verdict === 'same' ? '同一人' : '不同人'}。重新比对后名单随之更新，且不会被覆盖。`);
      return 0;
    }
    const mask = ((values.mask as string | undefined) ?? '6-4') as MaskProfile;
    if (!MASK_PROFILES.includes(mask)) throw new CanbaoError('badInput', `--mask 应为 ${MASK_PROFILES.join('、')} 之一`);
    const pairs = listPending(ws.db, values.limit ? Number(values.limit) : 50);
    if (values.json) {
      const masked = (r: ReviewRecord) => ({ ...r, idNumber: maskId(r.idNumber, mask) });
      out(JSON.stringify({ pending: pendingCount(ws.db), pairs: pairs.map((p) => ({ ...p, a: masked(p.a), b: masked(p.b) })) }));
      return 0;
    }
    out(`待复核 ${pendingCount(ws.db)} 对${pairs.length < pendingCount(ws.db) ? `，显示前 ${pairs.length} 对` : ''}`);
    const show = (r: ReviewRecord) => `${ROLL_KIND_LABEL[r.kind]} ${r.file}${r.sheet ? '/' + r.sheet : ''} 第${r.row}行：${r.name} ${maskId(r.idNumber, mask)} ${r.birthDate ?? ''} ${r.gender ? GENDER_LABEL[r.gender as Gender] : ''} ${r.township ?? ''}${r.village ?? ''}`;
    for (const p of pairs) {
      out(`\n[${p.id}] ${p.impactLabel}  匹配权重 ${p.weight.toFixed(1)}（概率 ${(p.probability * 100).toFixed(1)}%）${p.siblingRisk ? '  ⚠ 疑似双胞胎/兄弟姐妹' : ''}`);
      out(`  A ${show(p.a)}`);
      out(`  B ${show(p.b)}`);
      out(`  先验 ${p.prior.toFixed(1)}；` + p.contributions.map((c) => `${FIELD_LABEL[c.field as FieldName]}${LEVEL_LABEL[c.field as FieldName][c.level as never] ?? c.level} ${c.weight >= 0 ? '+' : ''}${c.weight.toFixed(1)}`).join('；'));
    }
    return 0;
  } finally {
    ws.close();
  }
}
