import type { WorkspaceStatus } from '../ipc/contract';

/**
 * What a clerk should know before exporting ledgers that townships will work from: lists that do not yet follow the
 * clerk's own decisions or the latest imports send cadres to the wrong doors. One wording for the app's 导出
 * confirmation and the CLI's warning. `rematch` says whether a match would bring the lists up to date.
 */
export function exportWarnings(
  s: Pick<
    WorkspaceStatus,
    'matched' | 'reviewPending' | 'decisionsUnapplied' | 'unmatchedRecords' | 'rollsChangedSinceMatch'
  >,
): { lines: string[]; rematch: boolean } {
  const lines: string[] = [];
  if (!s.matched) return { lines: ['尚未比对：名单是空的，请先比对'], rematch: true };
  if (s.decisionsUnapplied)
    lines.push(`有 ${s.decisionsUnapplied} 个复核判断是上次比对之后做的，重新比对后才会反映在名单中`);
  if (s.rollsChangedSinceMatch) lines.push('上次比对之后删除或替换过名册，名单还是按原来的名册算的');
  if (s.unmatchedRecords) lines.push(`有 ${s.unmatchedRecords} 条记录是上次比对之后导入的，还不在名单中`);
  const rematch = lines.length > 0;
  if (s.reviewPending)
    lines.push(`还有 ${s.reviewPending} 对记录待复核：复核之前，其中的人可能被错列为未参保或重复参保`);
  return { lines, rematch };
}
