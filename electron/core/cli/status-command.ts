import { ID_STATUS_LABEL, ID_STATUSES, ROLL_KIND_LABEL } from '../../../shared/domain/types';
import { Workspace } from '../db/workspace';
import { importStatus } from '../workspace-status';
import { out, parse, workspacePath } from './args';

export async function statusCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { workspace: { type: 'string' }, json: { type: 'boolean' } });
  const ws = Workspace.open(workspacePath(values.workspace), { readonly: true });
  try {
    const s = importStatus(ws.db);
    const json = {
      records: s.records,
      rolls: s.rolls.map((r) => ({ file: r.file, sheet: r.sheet, kind: r.kind, year: r.year, rows: r.rows })),
      idStatus: s.idStatus,
      qualityIssues: s.qualityIssues,
      matched: s.matched,
      unmatchedRecords: s.unmatchedRecords,
      persons: s.persons,
      duplicates: s.duplicates,
      uninsured: s.uninsured,
      notInBase: s.notInBase,
      reviewPending: s.reviewPending,
    };
    if (values.json) {
      out(JSON.stringify(json));
      return 0;
    }
    out(`工作区：${ws.path}`);
    out(`记录：${s.records} 条，数据问题：${s.qualityIssues} 个`);
    for (const r of s.rolls) out(`  ${r.year} ${ROLL_KIND_LABEL[r.kind]}  ${r.file}${r.sheet ? ' / ' + r.sheet : ''}：${r.rows} 条`);
    out(`身份证号：${ID_STATUSES.map((k) => `${ID_STATUS_LABEL[k]} ${s.idStatus[k]}`).join('，')}`);
    if (!s.matched) out('尚未比对（canbao match）');
    else {
      out(`人员 ${s.persons} 人：重复参保 ${s.duplicates}，未参保 ${s.uninsured}，不在底册 ${s.notInBase}，待复核 ${s.reviewPending} 对`);
      if (s.unmatchedRecords) out(`注意：有 ${s.unmatchedRecords} 条记录是上次比对之后导入的，请重新比对`);
    }
    return 0;
  } finally {
    ws.close();
  }
}
