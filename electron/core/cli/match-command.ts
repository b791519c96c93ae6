import { num, out, parse, str, workspacePath } from './args';
import { cappedNote } from '../../../shared/match/blocking-keys';
import { withEngine } from './engine';

export async function matchCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    workspace: { type: 'string' },
    year: { type: 'string' },
    by: { type: 'string' },
    json: { type: 'boolean' },
    full: { type: 'boolean' },
  });
  return withEngine({ workspace: workspacePath(values.workspace), by: str(values.by) }, async (engine) => {
    const s = await engine.job(
      'match.run',
      { year: num(values.year), full: values.full === true },
      { quiet: values.json === true, cancelNote: '正在取消比对，工作区保持不变…' },
    );
    if (values.json) {
      out(JSON.stringify(s));
      return 0;
    }
    out(`比对完成（${s.year}年度，${s.records} 条记录，用时 ${s.seconds.toFixed(1)} 秒）`);
    if (s.mode === 'incremental')
      out(`  只比对了上次比对以来的变化：新增或移除 ${s.changedRecords} 条记录，重新归并 ${s.reclustered} 条记录`);
    out(`  人员 ${s.persons} 人（底册内 ${s.basePersons} 人），自动关联 ${s.links} 对`);
    out(`  重复参保 ${s.duplicates} 人，未参保 ${s.uninsured} 人，参保但不在底册 ${s.notInBase} 人`);
    out(`  待人工复核 ${s.reviewPending} 对${s.reviewPending ? '（canbao review --list 查看）' : ''}`);
    if (s.capped.length) out(`  ${cappedNote(s.capped)}`);
    return 0;
  });
}
