import { Alert, App, Button, Card, Checkbox, Input, List, Modal, Radio, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { MASK_PROFILE_LABEL, MASK_PROFILES, type MaskProfile } from '../../../shared/export/mask';
import type { ExportFileView } from '../../../shared/ipc/contract';
import { api, call, runJob, oneOf } from '../api';
import { JobProgress, type JobState } from '../components/job-progress';
import { exportWarnings } from '../../../shared/export/export-warnings';
import { useStatus } from '../state';
import { formatCount } from '../../../shared/text/clerk-format';

const WHAT = [
  { value: 'ledger', label: '未参保人员台账（按乡镇、按村）' },
  { value: 'duplicates', label: '重复参保清理名单' },
  { value: 'persons', label: '一人一档' },
  { value: 'rates', label: '参保率统计' },
  { value: 'linkage', label: '比对明细（CSV，每条记录一行）' },
  { value: 'issues', label: '数据质量问题清单' },
] as const;
type What = (typeof WHAT)[number]['value'];

export function ExportPage() {
  const { message } = App.useApp();
  const [what, setWhat] = useState<What[]>(['ledger', 'duplicates', 'persons', 'rates']);
  const [townships, setTownships] = useState<string[]>([]);
  const [all, setAll] = useState<string[]>([]);
  const [mask, setMask] = useState<MaskProfile>('6-4');
  const [format, setFormat] = useState<'xlsx' | 'csv'>('xlsx');
  const [dir, setDir] = useState('');
  const [job, setJob] = useState<JobState | null>(null);
  const [files, setFiles] = useState<ExportFileView[] | null>(null);
  const [warning, setWarning] = useState<ReturnType<typeof exportWarnings> | null>(null);
  const { refresh } = useStatus();
  useEffect(() => {
    void call('results.places', {})
      .then((p) => setAll(p.townships.map((t) => t.name).filter(Boolean)))
      .catch(() => setAll([]));
  }, []);
  /** Ledgers go to townships: lists behind the clerk's own decisions or imports are said before they leave. */
  const confirmThenRun = async () => {
    const w = exportWarnings(await refresh());
    if (w.lines.length) setWarning(w);
    else await run();
  };
  const rematchThenRun = async () => {
    setWarning(null);
    setFiles(null);
    const matched = await runJob('match.run', {}, (p) =>
      setJob({ ...p, label: `先比对：${p.label === '开始' ? '比对' : p.label}` }),
    );
    setJob(null);
    await refresh();
    if (matched.ok) await run();
    else if (matched.error.kind === 'cancelled') message.info(matched.error.message);
    else message.error(matched.error.message);
  };
  const run = async () => {
    setWarning(null);
    setFiles(null);
    const done = await runJob(
      'export.run',
      { dir, what, townships: townships.length ? townships : undefined, mask, format },
      (p) => setJob({ ...p, label: p.label === '开始' ? '导出' : p.label }),
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
      <Card size="small" title="导出内容">
        <Space direction="vertical" style={{ width: '100%' }}>
          <Checkbox.Group
            value={what}
            onChange={(v) => setWhat(WHAT.map((w) => w.value).filter((w) => v.includes(w)))}
            options={WHAT.map((w) => ({ value: w.value, label: w.label }))}
          />
          <Space wrap>
            <span>乡镇</span>
            <Select
              mode="multiple"
              allowClear
              placeholder="全部乡镇"
              style={{ minWidth: 300 }}
              value={townships}
              onChange={setTownships}
              options={all.map((t) => ({ value: t, label: t }))}
            />
          </Space>
          <Space wrap>
            <span>身份证号</span>
            <Radio.Group
              value={mask}
              onChange={(e) => setMask(oneOf(MASK_PROFILES, e.target.value) ?? '6-4')}
              options={MASK_PROFILES.map((m) => ({ value: m, label: MASK_PROFILE_LABEL[m] }))}
              data-testid="export-mask"
            />
          </Space>
          <Space wrap>
            <span>格式</span>
            <Radio.Group
              value={format}
              onChange={(e) => setFormat(oneOf(['xlsx', 'csv'] as const, e.target.value) ?? 'xlsx')}
              options={[
                { value: 'xlsx', label: 'Excel 工作簿（.xlsx）' },
                { value: 'csv', label: 'CSV' },
              ]}
            />
          </Space>
          <Space.Compact style={{ width: '100%' }}>
            <Input
              placeholder="导出到文件夹"
              value={dir}
              onChange={(e) => setDir(e.target.value)}
              data-testid="export-dir"
            />
            <Button
              onClick={async () => {
                const d = await api.chooseFolder();
                if (d) setDir(d);
              }}
              data-testid="export-choose"
            >
              选择文件夹…
            </Button>
          </Space.Compact>
          <Typography.Text type="secondary">
            每次导出都会记入操作日志：谁、导出了什么、行数、脱敏方式和每个文件的校验值。
          </Typography.Text>
          <Button
            type="primary"
            onClick={() => void confirmThenRun()}
            disabled={!dir || !what.length || !!job}
            data-testid="export-run"
          >
            导出
          </Button>
        </Space>
      </Card>
      <JobProgress job={job} />
      <Modal
        open={warning !== null}
        title="导出之前"
        onCancel={() => setWarning(null)}
        footer={[
          <Button key="cancel" onClick={() => setWarning(null)}>
            取消
          </Button>,
          <Button key="as-is" onClick={() => void run()} data-testid="export-as-is">
            仍然导出
          </Button>,
          warning?.rematch ? (
            <Button key="rematch" type="primary" onClick={() => void rematchThenRun()} data-testid="export-rematch">
              先重新比对，再导出
            </Button>
          ) : null,
        ]}
      >
        <div data-testid="export-warning">
          {warning?.lines.map((l) => (
            <Alert key={l} type="warning" showIcon message={l} style={{ marginBottom: 8 }} />
          ))}
        </div>
      </Modal>
      {files ? (
        <Card
          size="small"
          title={`已导出 ${formatCount(files.length)} 个文件`}
          extra={<Button onClick={() => api.openFolder(dir)}>打开文件夹</Button>}
          data-testid="export-files"
        >
          <List
            size="small"
            dataSource={files}
            renderItem={(f) => (
              <List.Item>
                {f.file.split(/[\\/]/).pop()}
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
