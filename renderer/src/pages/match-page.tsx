import { App, Button, Card, Col, Row, Space, Statistic, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { runJob } from '../api';
import { JobProgress, type JobState } from '../components/job-progress';
import { useStatus } from '../state';
import { cappedNote } from '../../../shared/match/blocking-keys';
import { formatCount } from '../../../shared/text/clerk-format';

export function MatchPage() {
  const { status, refresh } = useStatus();
  const { message } = App.useApp();
  const [job, setJob] = useState<JobState | null>(null);
  // Decisions made on 复核 since the page was last shown change what it must say.
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const run = async () => {
    const done = await runJob('match.run', {}, (p) => setJob({ ...p, label: p.label === '开始' ? '比对' : p.label }));
    setJob(null);
    await refresh();
    if (done.ok)
      message.success(
        done.result.mode === 'incremental'
          ? `比对完成：只比对了上次比对以来的变化（增减 ${formatCount(done.result.changedRecords)} 条记录，重新归并 ${formatCount(done.result.reclustered)} 条），用时 ${done.result.seconds.toFixed(1)} 秒`
          : `比对完成，用时 ${done.result.seconds.toFixed(1)} 秒`,
      );
    else if (done.error.kind === 'cancelled') message.info(done.error.message);
    else message.error(done.error.message);
  };
  const cards: [string, number | undefined, string][] = [
    ['人员', status?.persons, '#1f5fbf'],
    ['重复参保', status?.duplicates, '#cf1322'],
    ['未参保', status?.uninsured, '#d46b08'],
    ['不在底册', status?.notInBase, '#7c3aed'],
    ['待复核', status?.reviewPending, '#08979c'],
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            比对会把所有名册中的记录归并为人员：身份证号一致的直接归并；身份证号录错、缺失或被 Excel
            损坏的，按姓名（含同音字）、出生日期、性别和村（社区）综合打分。 拿不准的进入“复核”，经办人的判断永远优先。
          </Typography.Paragraph>
          <Button
            type="primary"
            size="large"
            onClick={run}
            disabled={!!job || !status?.records}
            data-testid="run-match"
          >
            开始比对
          </Button>
          <JobProgress job={job} />
        </Space>
      </Card>
      <Row gutter={12} data-testid="match-summary">
        {cards.map(([label, value, color]) => (
          <Col span={4} key={label}>
            <Card size="small">
              <Statistic title={label} value={status?.matched ? formatCount(value ?? 0) : '—'} valueStyle={{ color }} />
            </Card>
          </Col>
        ))}
      </Row>
      {status?.matched && status.decisionsUnapplied ? (
        <Typography.Text type="warning" data-testid="match-decisions-unapplied">
          有 {formatCount(status.decisionsUnapplied)} 个复核判断是上次比对之后做的，重新比对后才会反映在名单和导出中。
        </Typography.Text>
      ) : null}
      {status?.matched && status.matchCapped.length ? (
        <Typography.Text type="secondary" data-testid="match-capped">
          {cappedNote(status.matchCapped)}
        </Typography.Text>
      ) : null}
    </Space>
  );
}
