import { Workspace } from '../db/workspace';
import { matchInWorker } from '../match/run-in-worker';
import type { MatchProgress } from '../match/run-match';
import { out, parse, workspacePath } from './args';

const STAGE_LABEL: Record<MatchProgress['stage'], string> = {
  load: '读取记录', block: '生成候选对', compare: '逐项比较', estimate: '估计参数', cluster: '归并人员', persist: '写入结果', outcomes: '生成名单',
};

export async function matchCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { workspace: { type: 'string' }, year: { type: 'string' }, by: { type: 'string' }, json: { type: 'boolean' } });
  const path = workspacePath(values.workspace);
  Workspace.open(path).close(); // fail here, in this thread, with the Chinese message, if it cannot be opened
  const controller = new AbortController();
  const onSigint = () => {
    process.stderr.write('\n正在取消比对，工作区保持不变…\n');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    const s = await matchInWorker(path, {
      year: values.year ? Number(values.year) : undefined,
      actor: values.by as string | undefined,
      signal: controller.signal,
      onProgress: values.json ? undefined : (p) => process.stderr.write(`\r  ${STAGE_LABEL[p.stage]} ${p.total > 1 ? `${p.done}/${p.total}` : ''}\x1b[K`),
    });
    if (!values.json) process.stderr.write('\r\x1b[K');
    if (values.json) {
      out(JSON.stringify({
        persons: s.persons, links: s.links, duplicates: s.duplicates, uninsured: s.uninsured, notInBase: s.notInBase, reviewPending: s.reviewPending,
        records: s.records, year: s.year, candidatePairs: s.candidatePairs, personsCreated: s.personsCreated, personsRetired: s.personsRetired, seconds: s.seconds,
      }));
    } else {
      out(`比对完成（${s.year}年度，${s.records} 条记录，用时 ${s.seconds.toFixed(1)} 秒）`);
      out(`  人员 ${s.persons} 人（底册内 ${s.basePersons} 人），自动关联 ${s.links} 对`);
      out(`  重复参保 ${s.duplicates} 人，未参保 ${s.uninsured} 人，参保但不在底册 ${s.notInBase} 人`);
      out(`  待人工复核 ${s.reviewPending} 对${s.reviewPending ? '（canbao review --list 查看）' : ''}`);
    }
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
