import { Alert, App, Button, Card, Input, Radio, Select, Space, Table, Tabs, Typography, type ButtonProps } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { exportWarnings } from '../../../shared/export/export-warnings';
import { MASK_PROFILE_LABEL, MASK_PROFILES, type MaskProfile } from '../../../shared/export/mask';
import type { BatchView } from '../../../shared/ipc/contract';
import type { DispatchJobResult } from '../../../shared/ipc/jobs';
import { formatCount, formatDateTime } from '../../../shared/text/clerk-format';
import { api, call, errorMessage, oneOf, runJob } from '../api';
import { JobProgress, type JobState } from '../components/job-progress';
import { useStatus } from '../state';
import { ReturnsCard } from './returns-card';

const MASK_NOTE: Record<MaskProfile, string> = {
  full: '台账上印完整身份证号：只在乡镇确需核对身份时选用，本次下发会连同脱敏方式记入操作日志。',
  '6-4':
    '台账上的身份证号只留前6位和后4位（推荐）。完整号码留在工作区里，回执按人员编号和身份证号对回本人；每次下发都记入操作日志。',
  '3-4': '台账上的身份证号只留前3位和后4位。完整号码留在工作区里，回执按人员编号对回本人；每次下发都记入操作日志。',
};

/** 下发台账: a numbered batch of 未参保 ledgers, one workbook per township, into a folder the clerk chooses. */
function DispatchCard({ onDispatched }: { onDispatched: () => void }) {
  const { message, modal } = App.useApp();
  const { refresh } = useStatus();
  const [all, setAll] = useState<string[]>([]);
  const [townships, setTownships] = useState<string[]>([]);
  const [mask, setMask] = useState<MaskProfile>('6-4');
  const [dir, setDir] = useState('');
  const [job, setJob] = useState<JobState | null>(null);
  const [done, setDone] = useState<DispatchJobResult | null>(null);
  useEffect(() => {
    void call('results.places', {})
      .then((p) => setAll(p.townships.map((t) => t.name).filter(Boolean)))
      .catch(() => setAll([]));
  }, []);
  /** Ledgers send cadres to doors: lists behind the clerk's own decisions or imports are said before they leave. */
  const confirmThenRun = async () => {
    const w = exportWarnings(await refresh());
    if (!w.lines.length) return run();
    modal.confirm({
      title: '下发之前',
      width: 560,
      content: (
        <div data-testid="dispatch-warning">
          {w.lines.map((l) => (
            <Alert key={l} type="warning" showIcon message={l} style={{ marginBottom: 8 }} />
          ))}
          {w.rematch ? '建议先到“比对”重新比对，再下发。' : null}
        </div>
      ),
      okText: '仍然下发',
      cancelText: '取消',
      okButtonProps: { 'data-testid': 'dispatch-as-is' } as ButtonProps,
      onOk: () => void run(),
    });
  };
  const run = async () => {
    setDone(null);
    const r = await runJob('dispatch.run', { dir, townships: townships.length ? townships : undefined, mask }, (p) =>
      setJob({ ...p, label: p.label === '开始' ? '下发台账' : p.label }),
    );
    setJob(null);
    if (r.ok) {
      setDone(r.result);
      onDispatched();
      message.success(`已下发，批次号 ${r.result.batchNo}`);
    } else if (r.error.kind === 'cancelled') message.info(r.error.message);
    else message.error(r.error.message);
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title="下发未参保台账给乡镇核实">
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space wrap size="large">
            <Space>
              <span>乡镇</span>
              <Select
                mode="multiple"
                allowClear
                placeholder="全部乡镇（有未参保人员的）"
                style={{ minWidth: 320 }}
                value={townships}
                onChange={setTownships}
                options={all.map((t) => ({ value: t, label: t }))}
                data-testid="dispatch-townships"
              />
            </Space>
            <Space>
              <span>身份证号</span>
              <Radio.Group
                value={mask}
                onChange={(e) => setMask(oneOf(MASK_PROFILES, e.target.value) ?? '6-4')}
                options={MASK_PROFILES.map((m) => ({ value: m, label: MASK_PROFILE_LABEL[m] }))}
                data-testid="dispatch-mask"
              />
            </Space>
          </Space>
          <Alert type={mask === 'full' ? 'warning' : 'info'} showIcon message={MASK_NOTE[mask]} />
          <Space.Compact style={{ width: '100%' }}>
            <Input
              placeholder="台账保存到文件夹"
              value={dir}
              onChange={(e) => setDir(e.target.value)}
              data-testid="dispatch-dir"
            />
            <Button
              onClick={async () => {
                const d = await api.chooseFolder();
                if (d) setDir(d);
              }}
              data-testid="dispatch-choose"
            >
              选择文件夹…
            </Button>
          </Space.Compact>
          <Typography.Text type="secondary">
            每个乡镇一个工作簿，按村分工作表；“核实情况”是下拉选项，并有参保地、死亡日期、缴费日期等证据列和核实人、核实日期。
          </Typography.Text>
          <Button
            type="primary"
            onClick={() => void confirmThenRun()}
            disabled={!dir || !!job}
            data-testid="dispatch-run"
          >
            下发
          </Button>
        </Space>
      </Card>
      <JobProgress job={job} />
      {done ? <DispatchDone result={done} /> : null}
    </Space>
  );
}

function DispatchDone({ result }: { result: DispatchJobResult }) {
  const ledgers = result.files.filter((f) => f.kind === 'ledger');
  return (
    <Card
      size="small"
      title={
        <span>
          已下发：批次号 <span data-testid="dispatch-batch-no">{result.batchNo}</span>，
          <span data-testid="dispatch-persons">{formatCount(result.persons)}</span> 人，{result.townships.length} 个乡镇
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', marginLeft: 12 }}>
            {formatDateTime(result.dispatchedAt)}
          </Typography.Text>
        </span>
      }
      extra={<Button onClick={() => void api.openFolder(result.dir)}>打开文件夹</Button>}
      data-testid="dispatch-done"
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        请把各乡镇的台账发给乡镇核实；乡镇填好发回后，在“导入核实回执”导入。
      </Typography.Paragraph>
      <Table
        size="small"
        pagination={false}
        rowKey="township"
        scroll={{ y: 150 }}
        dataSource={result.townships.map((t) => ({
          ...t,
          file:
            ledgers
              .find((f) => f.township === t.township)
              ?.file.split(/[\\/]/)
              .pop() ?? '',
        }))}
        data-testid="dispatch-townships-done"
        columns={[
          { title: '乡镇', dataIndex: 'township', width: 160 },
          { title: '人数', dataIndex: 'persons', width: 100, render: (n: number) => formatCount(n) },
          { title: '文件', dataIndex: 'file' },
        ]}
      />
    </Card>
  );
}

/** The batches so far, newest first, with how many of their persons have an answer back. */
function BatchList({ batches }: { batches: BatchView[] | null }) {
  if (batches === null) return null;
  if (!batches.length) return <Typography.Text type="secondary">还没有下发过台账。</Typography.Text>;
  return (
    <Table<BatchView>
      size="small"
      pagination={false}
      rowKey="batchNo"
      dataSource={batches}
      scroll={{ y: 400 }}
      data-testid="batch-list"
      columns={[
        { title: '批次号', dataIndex: 'batchNo', width: 130 },
        { title: '下发时间', width: 150, render: (_, b) => formatDateTime(b.dispatchedAt) },
        { title: '经办人', dataIndex: 'dispatchedBy', width: 90 },
        { title: '乡镇', render: (_, b) => b.townships.join('、'), ellipsis: true },
        { title: '下发人数', width: 90, render: (_, b) => formatCount(b.persons) },
        { title: '已回收', width: 90, render: (_, b) => formatCount(b.answered) },
        {
          title: '回收率',
          width: 80,
          render: (_, b) => (b.persons ? `${((b.answered / b.persons) * 100).toFixed(1)}%` : '—'),
        },
      ]}
    />
  );
}

/**
 * 乡镇核实: 下发 the 未参保 ledgers, follow the batches, import what townships send back. Tabs keep each step whole
 * on a 1366×768 screen.
 */
export function TownshipPage() {
  const { message } = App.useApp();
  const [batches, setBatches] = useState<BatchView[] | null>(null);
  const [tab, setTab] = useState('dispatch');
  const loadBatches = useCallback(() => {
    call('dispatch.list', {})
      .then((r) => setBatches(r.batches))
      .catch((e) => message.error(errorMessage(e)));
  }, [message]);
  useEffect(loadBatches, [loadBatches]);
  return (
    <Tabs
      activeKey={tab}
      onChange={setTab}
      items={[
        { key: 'dispatch', label: '下发台账', children: <DispatchCard onDispatched={loadBatches} /> },
        {
          key: 'returns',
          label: '导入核实回执',
          children: <ReturnsCard onImported={loadBatches} />,
        },
        {
          key: 'batches',
          label: batches?.length ? `下发批次（${batches.length}）` : '下发批次',
          children: <BatchList batches={batches} />,
        },
      ]}
    />
  );
}
