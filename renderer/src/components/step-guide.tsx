import { Steps } from 'antd';
import type { StatusResponse } from '../../../shared/ipc/contract';
import { formatCount } from '../../../shared/text/clerk-format';

export interface GuideStep {
  key: 'import' | 'match' | 'review' | 'export';
  title: string;
  done: boolean;
  /** What the step still needs, or what was done, in a few words. */
  note: string;
}

/** The day's work in order, each step done from the workspace's status (no step is ticked by hand). */
export function guideSteps(s: StatusResponse): GuideStep[] {
  const imported = s.records > 0;
  const matched = imported && s.matched && s.unmatchedRecords === 0 && !s.rollsChangedSinceMatch;
  const reviewed = matched && s.reviewPending === 0;
  const exported = reviewed && s.exportedSinceMatch;
  return [
    {
      key: 'import',
      title: '导入',
      done: imported,
      note: imported ? `${formatCount(s.records)} 条记录` : '导入名册',
    },
    { key: 'match', title: '比对', done: matched, note: matched ? `${formatCount(s.persons)} 人` : '找出同一人' },
    {
      key: 'review',
      title: '复核',
      done: reviewed,
      note: reviewed ? '没有待复核' : s.reviewPending ? `待复核 ${formatCount(s.reviewPending)} 对` : '比对后复核',
    },
    { key: 'export', title: '导出', done: exported, note: exported ? '已导出' : '导出乡镇台账' },
  ];
}

/** Shown at the top until every step is done; a click goes to the step's page. */
export function StepGuide({ status, onGo }: { status: StatusResponse; onGo: (page: GuideStep['key']) => void }) {
  const steps = guideSteps(status);
  if (!status.path || steps.every((s) => s.done)) return null;
  const current = steps.findIndex((s) => !s.done);
  return (
    <Steps
      size="small"
      current={current}
      onChange={(i) => onGo(steps[i]!.key)}
      data-testid="step-guide"
      style={{ padding: '10px 24px', background: '#fff', borderBottom: '1px solid #eee' }}
      items={steps.map((s, i) => ({
        title: (
          <span data-testid={`step-${s.key}`} data-done={s.done ? 'yes' : 'no'}>
            {s.title}
          </span>
        ),
        description: s.note,
        status: s.done ? 'finish' : i === current ? 'process' : 'wait',
      }))}
    />
  );
}
