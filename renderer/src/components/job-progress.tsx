import { Button, Progress, Space, Typography } from 'antd';
import { call } from '../api';

export interface JobState {
  jobId: string;
  label: string;
  done: number;
  total: number | null;
}

/** A progress bar with a cancel button for long work (import, match, export). */
export function JobProgress({ job }: { job: JobState | null }) {
  if (!job) return null;
  const percent = job.total ? Math.min(100, Math.round((job.done / job.total) * 100)) : undefined;
  return (
    <Space style={{ width: '100%' }} direction="vertical" data-testid="job-progress">
      <Space>
        <Typography.Text>{job.label}</Typography.Text>
        <Typography.Text type="secondary">
          {job.total
            ? `${job.done.toLocaleString()} / ${job.total.toLocaleString()}`
            : job.done
              ? `已处理 ${job.done.toLocaleString()} 行`
              : ''}
        </Typography.Text>
        <Button size="small" danger onClick={() => call('job.cancel', { jobId: job.jobId })}>
          取消
        </Button>
      </Space>
      <Progress percent={percent ?? 99} status="active" showInfo={percent !== undefined} />
    </Space>
  );
}
