import { Alert, App, Button, Input, List, Radio, Space, Typography, type ButtonProps } from 'antd';
import { useState, type ReactNode } from 'react';
import { exportWarnings } from '../../../shared/export/export-warnings';
import { MASK_PROFILE_LABEL, MASK_PROFILES, type MaskProfile } from '../../../shared/export/mask';
import type { ExportFileView, Request } from '../../../shared/ipc/contract';
import { formatCount } from '../../../shared/text/clerk-format';
import { api, oneOf, runJob } from '../api';
import { useStatus } from '../state';
import { JobProgress, type JobState } from './job-progress';

type ExportKind = Request<'export.run'>['what'][number];

/**
 * One kind of workbook exported into a folder the clerk chooses: 身份证号 masking, the folder, a warning when the
 * match is stale or pairs wait for review, the job's progress, and the files written. Test ids start with `testId`.
 */
export function ExportToFolder({
  what,
  label,
  note,
  testId,
  year,
}: {
  what: ExportKind[];
  label: string;
  note: ReactNode;
  testId: string;
  /** The year a page shows (连续参保): the workbooks are that year's. */
  year?: number;
}) {
  const { message, modal } = App.useApp();
  const { refresh } = useStatus();
  const [dir, setDir] = useState('');
  const [mask, setMask] = useState<MaskProfile>('6-4');
  const [job, setJob] = useState<JobState | null>(null);
  const [files, setFiles] = useState<ExportFileView[] | null>(null);
  const run = async () => {
    setFiles(null);
    const done = await runJob('export.run', { dir, what, mask, format: 'xlsx', year }, (p) =>
      setJob({ ...p, label: p.label === '开始' ? label : p.label }),
    );
    setJob(null);
    if (done.ok) {
      setFiles(done.result.files);
      message.success('导出完成');
    } else if (done.error.kind === 'cancelled') message.info(done.error.message);
    else message.error(done.error.message);
  };
  /** The lists come from the last match: a stale one is said before they leave. */
  const confirmThenRun = async () => {
    const w = exportWarnings(await refresh());
    if (!w.lines.length) return run();
    modal.confirm({
      title: '导出之前',
      width: 560,
      content: (
        <div data-testid={`${testId}-warning`}>
          {w.lines.map((l) => (
            <Alert key={l} type="warning" showIcon message={l} style={{ marginBottom: 8 }} />
          ))}
          {w.rematch ? '建议先到“比对”重新比对，再导出。' : null}
        </div>
      ),
      okText: '仍然导出',
      cancelText: '取消',
      okButtonProps: { 'data-testid': `${testId}-as-is` } as ButtonProps,
      onOk: () => void run(),
    });
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">{note}</Typography.Text>
      <Space wrap>
        <span>身份证号</span>
        <Radio.Group
          value={mask}
          onChange={(e) => setMask(oneOf(MASK_PROFILES, e.target.value) ?? '6-4')}
          options={MASK_PROFILES.map((m) => ({ value: m, label: MASK_PROFILE_LABEL[m] }))}
          data-testid={`${testId}-mask`}
        />
      </Space>
      <Space.Compact style={{ width: '100%' }}>
        <Input
          placeholder="保存到文件夹"
          value={dir}
          onChange={(e) => setDir(e.target.value)}
          data-testid={`${testId}-dir`}
        />
        <Button
          onClick={async () => {
            const d = await api.chooseFolder();
            if (d) setDir(d);
          }}
          data-testid={`${testId}-choose`}
        >
          选择文件夹…
        </Button>
      </Space.Compact>
      <Button
        type="primary"
        onClick={() => void confirmThenRun()}
        disabled={!dir || !!job}
        data-testid={`${testId}-run`}
      >
        {label}
      </Button>
      <JobProgress job={job} />
      {files ? (
        <div data-testid={`${testId}-files`}>
          <Space style={{ justifyContent: 'space-between', width: '100%' }}>
            <Typography.Text strong>已导出 {formatCount(files.length)} 个文件</Typography.Text>
            <Button size="small" onClick={() => void api.openFolder(dir)}>
              打开文件夹
            </Button>
          </Space>
          <List
            size="small"
            dataSource={files}
            style={{ maxHeight: 220, overflow: 'auto' }}
            renderItem={(f) => (
              <List.Item>
                <span data-testid={`${testId}-file`}>{f.file.split(/[\\/]/).pop()}</span>
                <span style={{ color: '#888', marginLeft: 16 }}>
                  {formatCount(f.rows)} 行，{formatCount(f.sheets)} 个工作表
                </span>
              </List.Item>
            )}
          />
        </div>
      ) : null}
    </Space>
  );
}
