import { Button, Progress, Space, Typography } from 'antd';
import type { ProgressEvent } from '../../../shared/ipc/jobs';
import { timeLeftWords } from '../../../shared/ipc/job-progress';
import { call } from '../api';
import { formatCount } from '../../../shared/text/clerk-format';

export type JobState = Pick<ProgressEvent, 'jobId' | 'label' | 'done' | 'total' | 'overall' | 'secondsLeft'>;

/**
 * One bar per job (import, match, export) across its sheets and stages, with what it is doing in the clerk's words,
 * the time left once it can be said, and 取消.
 */
export function JobProgress({ job }: { job: JobState | null }) {
  if (!job) return null;
  const fraction = job.overall ?? (job.total ? job.done / job.total : null);
  const percent = fraction === null ? undefined : Math.min(99, Math.floor(fraction * 100));
  const detail = job.total
    ? `${formatCount(job.done)} / ${formatCount(job.total)}`
    : job.done
      ? `已处理 ${formatCount(job.done)} 行`
      : '';
  return (
    <Space style={{ width: '100%' }} direction="vertical" data-testid="job-progress">
      <Space wrap>
        <Typography.Text data-testid="job-progress-label">{job.label}</Typography.Text>
        <Typography.Text type="secondary">{detail}</Typography.Text>
        <Typography.Text type="secondary" data-testid="job-progress-left">
          {timeLeftWords(job.secondsLeft)}
        </Typography.Text>
        <Button size="small" danger onClick={() => call('job.cancel', { jobId: job.jobId })}>
          取消
        </Button>
      </Space>
      <Progress
        percent={percent ?? 0}
        status="active"
        showInfo={percent !== undefined}
        data-testid="job-progress-bar"
        data-percent={percent ?? ''}
      />
    </Space>
  );
}
