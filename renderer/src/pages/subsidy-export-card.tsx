import { Alert, App, Button, Card, Input, List, Radio, Space, Typography, type ButtonProps } from 'antd';
import { useState } from 'react';
import { exportWarnings } from '../../../shared/export/export-warnings';
import { MASK_PROFILE_LABEL, MASK_PROFILES, type MaskProfile } from '../../../shared/export/mask';
import type { ExportFileView } from '../../../shared/ipc/contract';
import { formatCount } from '../../../shared/text/clerk-format';
import { api, oneOf, runJob } from '../api';
import { JobProgress, type JobState } from '../components/job-progress';
import { useStatus } from '../state';

/** 导出资助台账: 特殊对象资助参保台账 per township and the 资助名单变化 workbook, into a folder the clerk chooses. */
export function SubsidyExportCard() {
  const { message, modal } = App.useApp();
  const { refresh } = useStatus();
  const [dir, setDir] = useState('');
  const [mask, setMask] = useState<MaskProfile>('6-4');
  const [job, setJob] = useState<JobState | null>(null);
  const [files, setFiles] = useState<ExportFileView[] | null>(null);
  /** Whether a person is insured comes from the last match: a stale one is said before the 台账 leave. */
  const confirmThenRun = async () => {
    const w = exportWarnings(await refresh());
    if (!w.lines.length) return run();
    modal.confirm({
      title: '导出之前',
      width: 560,
      content: (
        <div data-testid="subsidy-export-warning">
          {w.lines.map((l) => (
            <Alert key={l} type="warning" showIcon message={l} style={{ marginBottom: 8 }} />
          ))}
          {w.rematch ? '建议先到“比对”重新比对，再导出。' : null}
        </div>
      ),
      okText: '仍然导出',
      cancelText: '取消',
      okButtonProps: { 'data-testid': 'subsidy-export-as-is' } as ButtonProps,
      onOk: () => void run(),
    });
  };
  const run = async () => {
    setFiles(null);
    const done = await runJob('export.run', { dir, what: ['subsidy'], mask, format: 'xlsx' }, (p) =>
      setJob({ ...p, label: p.label === '开始' ? '导出资助台账' : p.label }),
    );
    setJob(null);
    if (done.ok) {
      setFiles(done.result.files);
      message.success('导出完成');
    } else if (done.error.kind === 'cancelled') message.info(done.error.message);
    else message.error(done.error.message);
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title="导出特殊对象资助参保台账">
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">
            每个乡镇一个工作簿（按村分工作表，未参保的排在前面），另有一个“资助名单变化”工作簿，每月一个工作表列出各部门的新增、变更、取消。
          </Typography.Text>
          <Space wrap>
            <span>身份证号</span>
            <Radio.Group
              value={mask}
              onChange={(e) => setMask(oneOf(MASK_PROFILES, e.target.value) ?? '6-4')}
              options={MASK_PROFILES.map((m) => ({ value: m, label: MASK_PROFILE_LABEL[m] }))}
              data-testid="subsidy-export-mask"
            />
          </Space>
          <Space.Compact style={{ width: '100%' }}>
            <Input
              placeholder="台账保存到文件夹"
              value={dir}
              onChange={(e) => setDir(e.target.value)}
              data-testid="subsidy-export-dir"
            />
            <Button
              onClick={async () => {
                const d = await api.chooseFolder();
                if (d) setDir(d);
              }}
              data-testid="subsidy-export-choose"
            >
              选择文件夹…
            </Button>
          </Space.Compact>
          <Button
            type="primary"
            onClick={() => void confirmThenRun()}
            disabled={!dir || !!job}
            data-testid="subsidy-export-run"
          >
            导出资助台账
          </Button>
        </Space>
      </Card>
      <JobProgress job={job} />
      {files ? (
        <Card
          size="small"
          title={`已导出 ${formatCount(files.length)} 个文件`}
          extra={<Button onClick={() => void api.openFolder(dir)}>打开文件夹</Button>}
          data-testid="subsidy-export-files"
        >
          <List
            size="small"
            dataSource={files}
            style={{ maxHeight: 260, overflow: 'auto' }}
            renderItem={(f) => (
              <List.Item>
                <span data-testid="subsidy-export-file">{f.file.split(/[\\/]/).pop()}</span>
                <span style={{ color: '#888', marginLeft: 16 }}>
                  {formatCount(f.rows)} 行，{formatCount(f.sheets)} 个工作表
                </span>
              </List.Item>
            )}
          />
        </Card>
      ) : null}
    </Space>
  );
}
