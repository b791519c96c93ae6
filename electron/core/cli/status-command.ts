import { ID_STATUS_LABEL, ID_STATUSES, ROLL_KIND_LABEL } from '../../../shared/domain/types';
import { out, parse, workspacePath } from './args';
import { withEngine } from './engine';

export async function statusCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { workspace: { type: 'string' }, json: { type: 'boolean' } });
  return withEngine({ workspace: workspacePath(values.workspace) }, async (engine) => {
    const s = await engine.call('workspace.status', {});
    if (values.json) {
      out(JSON.stringify(s));
      return 0;
    }
    out(`工作区：${s.path}`);
    out(`记录：${s.records} 条，数据问题：${s.qualityIssues} 个`);
    for (const r of s.rolls)
      out(`  [${r.id}] ${r.year} ${ROLL_KIND_LABEL[r.kind]}  ${r.file}${r.sheet ? ' / ' + r.sheet : ''}：${r.rows} 条`);
    out(`身份证号：${ID_STATUSES.map((k) => `${ID_STATUS_LABEL[k]} ${s.idStatus[k]}`).join('，')}`);
    if (!s.matched) out('尚未比对（canbao match）');
    else {
      out(
        `人员 ${s.persons} 人：重复参保 ${s.duplicates}，未参保 ${s.uninsured}，不在底册 ${s.notInBase}，待复核 ${s.reviewPending} 对`,
      );
      if (s.rollsChangedSinceMatch) out('注意：上次比对之后有名册被删除或替换，比对结果已过期，请重新比对');
      if (s.unmatchedRecords) out(`注意：有 ${s.unmatchedRecords} 条记录是上次比对之后导入的，请重新比对`);
      if (s.decisionsUnapplied)
        out(`注意：有 ${s.decisionsUnapplied} 个复核判断是上次比对之后做的，重新比对后才会反映在名单中`);
    }
    return 0;
  });
}
