import { Alert, App, Button, Card, Descriptions, Input, Select, Space, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { DEPARTMENTS, type Department } from '../../../shared/domain/subsidy';
import type { ErrorEnvelope } from '../../../shared/ipc/errors';
import type { JobResult } from '../../../shared/ipc/jobs';
import { formatCount, todayLocal } from '../../../shared/text/clerk-format';
import { api, errorMessage, oneOf, runJob } from '../api';
import { JobProgress, type JobState } from '../components/job-progress';
import { copyText } from '../components/list-actions';

type SubsidyImportResult = JobResult<'subsidy.import'>;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

const DEPARTMENT_NOTE: Record<Department, string> = {
  民政: '特困人员、孤儿（含事实无人抚养儿童）、低保对象',
  农业农村: '防返贫监测对象、脱贫人口（原乡村振兴局）',
  残联: '重度残疾（1-2级）',
  退役军人: '优抚对象',
};

function ImportDone({ result, onShowSummary }: { result: SubsidyImportResult; onShowSummary: () => void }) {
  return (
    <Card
      size="small"
      title={`已导入：${result.department} ${result.month} 全量名单`}
      extra={<Button onClick={onShowSummary}>查看核查结果</Button>}
      data-testid="subsidy-import-done"
    >
      <Descriptions size="small" column={5}>
        <Descriptions.Item label="文件">{result.file}</Descriptions.Item>
        <Descriptions.Item label="人数">
          <span data-testid="subsidy-import-rows">{formatCount(result.rows)}</span>
        </Descriptions.Item>
        <Descriptions.Item label="新增">
          <span data-testid="subsidy-import-added">{formatCount(result.added)}</span>
        </Descriptions.Item>
        <Descriptions.Item label="变更">
          <span data-testid="subsidy-import-changed">{formatCount(result.changed)}</span>
        </Descriptions.Item>
        <Descriptions.Item label="取消">
          <span data-testid="subsidy-import-cancelled">{formatCount(result.cancelled)}</span>
        </Descriptions.Item>
      </Descriptions>
      <Typography.Text type="secondary" data-testid="subsidy-import-note">
        {result.replaced
          ? `${result.department} ${result.month} 的名单之前已导入过，这次导入的已替换它（更正了同月名单），新增、变更、取消按更正后的名单重新计算。`
          : '新增、变更、取消是与该部门上一个月的名单相比（第一次导入的名单全部算新增）；一人多种身份按最高身份计。'}
      </Typography.Text>
    </Card>
  );
}

/** The engine's refusal in full (it names the file and every row to correct): read whole, and copied whole. */
function Refusal({ error, onClose }: { error: ErrorEnvelope; onClose: () => void }) {
  const { message } = App.useApp();
  const [head, rows] = splitRows(error.message);
  return (
    <Alert
      type="error"
      showIcon
      closable
      onClose={onClose}
      data-testid="subsidy-import-error"
      message={
        <Space>
          <span>名单未导入，工作区没有改动</span>
          <Button
            size="small"
            onClick={() => void copyText(error.message).then(() => message.success('已复制，可粘贴后发回部门补正'))}
            data-testid="subsidy-import-error-copy"
          >
            复制
          </Button>
        </Space>
      }
      description={
        <div style={{ maxHeight: 220, overflow: 'auto', userSelect: 'text' }} data-testid="subsidy-import-error-text">
          <div>{head}</div>
          {rows.length ? (
            <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
              {rows.map((r, i) => (
                <li key={i}>{r}</li>
              ))}
            </ul>
          ) : null}
        </div>
      }
    />
  );
}

/** "……补正后重新导入：工作表“名单”第3行 C列：…；第7行 …" → the sentence, then one named row per line. */
function splitRows(msg: string): [string, string[]] {
  const first = /(工作表“[^”]*”)?第\d+行/.exec(msg.slice(msg.indexOf('重新导入') + 1));
  if (!msg.includes('重新导入') || !first) return [msg, []];
  const at = msg.indexOf('重新导入') + 1 + first.index;
  return [msg.slice(0, at), msg.slice(at).split('；')];
}

/** 导入部门名单: one department's full list for one month, as the department sent it. */
export function SubsidyImportCard({
  onImported,
  onShowSummary,
}: {
  onImported: () => void;
  onShowSummary: () => void;
}) {
  const { message } = App.useApp();
  const [file, setFile] = useState<{ name: string; path: string } | null>(null);
  const [department, setDepartment] = useState<Department | undefined>();
  const [month, setMonth] = useState(todayLocal().slice(0, 7));
  const [job, setJob] = useState<JobState | null>(null);
  const [result, setResult] = useState<SubsidyImportResult | null>(null);
  const [error, setError] = useState<ErrorEnvelope | null>(null);
  const pick = async (f: File) => {
    try {
      setFile({ name: f.name, path: await api.pathForFile(f) });
      // A file named after its department and month (民政_资助参保名单_2026-10.xlsx) fills both in; the clerk checks them.
      const named = DEPARTMENTS.find((d) => f.name.includes(d));
      if (named) setDepartment(named);
      const m = /(\d{4})[-年.]?(0[1-9]|1[0-2])/.exec(f.name);
      if (m) setMonth(`${m[1]}-${m[2]}`);
    } catch (e) {
      message.error(errorMessage(e));
    }
    return false;
  };
  const monthOk = MONTH.test(month);
  const run = async () => {
    if (!file || !department) return;
    setResult(null);
    setError(null);
    const r = await runJob('subsidy.import', { path: file.path, department, month }, (p) =>
      setJob({ ...p, label: p.label === '开始' ? '导入资助名单' : p.label }),
    );
    setJob(null);
    if (r.ok) {
      setResult(r.result);
      setFile(null);
      onImported();
    } else if (r.error.kind === 'cancelled') message.info(r.error.message);
    else setError(r.error);
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title="导入部门的资助参保名单（每月全量名单）">
        <Space direction="vertical" style={{ width: '100%' }}>
          <div data-testid="subsidy-drop">
            <Upload.Dragger accept=".xlsx,.xls,.csv" showUploadList={false} beforeUpload={pick} height={88}>
              <p style={{ fontSize: 16, margin: 0 }}>
                {file ? `已选：${file.name}（点击或拖入可换一个）` : '把部门发来的名单拖到这里，或点击选择'}
              </p>
              <p style={{ color: '#888', margin: 0 }}>
                一个或多个工作表都可以；身份写在一列（如“低保、特困”）或按身份打 ✓ 的都能读
              </p>
            </Upload.Dragger>
          </div>
          <Space wrap size="large">
            <Space>
              <span>部门</span>
              <Select
                style={{ width: 130 }}
                placeholder="请选择"
                value={department}
                onChange={(v) => setDepartment(oneOf(DEPARTMENTS, v))}
                options={DEPARTMENTS.map((d) => ({ value: d, label: d }))}
                data-testid="subsidy-department"
              />
              {department ? <Typography.Text type="secondary">{DEPARTMENT_NOTE[department]}</Typography.Text> : null}
            </Space>
            <Space>
              <span>名单月份</span>
              <Input
                style={{ width: 110 }}
                value={month}
                status={monthOk ? undefined : 'error'}
                placeholder="2026-10"
                onChange={(e) => setMonth(e.target.value.trim())}
                data-testid="subsidy-month"
              />
              {monthOk ? null : <Typography.Text type="danger">请写成 2026-10 的形式</Typography.Text>}
            </Space>
          </Space>
          <Typography.Text type="secondary">
            按月份顺序导入；同一部门同一个月再导入一次，会用新名单替换（更正）。名单中有一行缺身份证号或身份，整份不导入，以免有人被误作“取消”。
          </Typography.Text>
          <Space>
            <Button
              type="primary"
              onClick={() => void run()}
              disabled={!file || !department || !monthOk || !!job}
              data-testid="subsidy-import-run"
            >
              导入
            </Button>
            {file ? <Tag>{file.name}</Tag> : null}
          </Space>
        </Space>
      </Card>
      <JobProgress job={job} />
      {error ? <Refusal error={error} onClose={() => setError(null)} /> : null}
      {result ? <ImportDone result={result} onShowSummary={onShowSummary} /> : null}
    </Space>
  );
}
