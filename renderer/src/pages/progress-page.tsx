import { Alert, App, Button, Card, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo, useState, type HTMLAttributes, type ReactNode } from 'react';
import { PROGRESS_STATE_LABEL, RATE_BASIS_LABEL, type ProgressState } from '../../../shared/domain/participation';
import type { RateRowView, RatesResponse, TrendResponse } from '../../../shared/ipc/contract';
import { formatCount } from '../../../shared/text/clerk-format';
import { api, call, errorMessage, runJob } from '../api';
import { JobProgress, type JobState } from '../components/job-progress';
import { copyText } from '../components/list-actions';
import { TrendChart } from '../components/trend-chart';

const STATE_COLOR: Record<ProgressState, string> = { reached: 'green', onTrack: 'blue', lagging: 'red' };
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const whole = (x: number) => `${Math.round(x * 1000) / 10}%`;

type Row = RateRowView & { rank: number };

const COPY_COLUMNS: [string, (r: Row) => string | number][] = [
  ['户籍人口', (r) => r.base],
  ['核减', (r) => r.removed],
  ['应参保', (r) => r.due],
  ['已参保', (r) => r.insured],
  ['县外参保', (r) => r.insuredElsewhere],
  ['参保率（户籍口径）', (r) => pct(r.rateHousehold)],
  ['参保率（本地口径）', (r) => pct(r.rateLocal)],
  ['下发', (r) => r.dispatched],
  ['已核实', (r) => r.verified],
  ['核实率', (r) => pct(r.verifiedRate)],
  ['动员后参保', (r) => r.mobilised],
  ['剩余未参保', (r) => r.remaining],
  ['状态', (r) => PROGRESS_STATE_LABEL[r.state]],
];

/** Ranked on the basis the settings name, best first; equal rates share a rank. */
function ranked(rows: RateRowView[]): Row[] {
  const sorted = [...rows].sort((a, b) => b.rate - a.rate);
  return sorted.map((r) => ({ ...r, rank: sorted.findIndex((x) => x.rate === r.rate) + 1 }));
}

/** A header on at most two lines, broken where a clerk reads it (参保率 / 户籍口径). */
const two = (a: string, b: string) => (
  <>
    {a}
    <br />
    {b}
  </>
);

// Widths add up to about 1,100 px: the whole table fits a 1366×768 window beside the menu, no sideways scrolling.
function columns(rates: RatesResponse, village: boolean): ColumnsType<Row> {
  const num = (title: ReactNode, key: keyof RateRowView, width = 74) => ({
    title,
    width,
    align: 'right' as const,
    render: (_: unknown, r: Row) => formatCount(r[key] as number),
    sorter: (a: Row, b: Row) => (a[key] as number) - (b[key] as number),
  });
  const rate = (title: ReactNode, key: 'rateHousehold' | 'rateLocal' | 'verifiedRate', ranks: boolean, width = 92) => ({
    title,
    width,
    align: 'right' as const,
    defaultSortOrder: ranks ? ('descend' as const) : undefined,
    sorter: (a: Row, b: Row) => a[key] - b[key],
    render: (_: unknown, r: Row) => (ranks ? <b>{pct(r[key])}</b> : pct(r[key])),
  });
  return [
    { title: '排名', dataIndex: 'rank', width: 60, sorter: (a, b) => a.rank - b.rank },
    {
      title: village ? two('村', '（社区）') : '乡镇',
      width: 100,
      ellipsis: true,
      sorter: (a, b) => (a.village ?? a.township).localeCompare(b.village ?? b.township, 'zh-CN'),
      render: (_, r) => (village ? r.village || '（未填村）' : r.township || '（未填乡镇）'),
    },
    num(two('户籍', '人口'), 'base', 70),
    num('核减', 'removed', 60),
    num('应参保', 'due'),
    num('已参保', 'insured'),
    num(two('县外', '参保'), 'insuredElsewhere', 64),
    rate(two('参保率', '户籍口径'), 'rateHousehold', rates.basis === 'household'),
    rate(two('参保率', '本地口径'), 'rateLocal', rates.basis === 'local'),
    num('下发', 'dispatched', 60),
    num('已核实', 'verified'),
    rate('核实率', 'verifiedRate', false, 80),
    num(two('动员后', '参保'), 'mobilised'),
    num(two('剩余', '未参保'), 'remaining'),
    {
      title: '状态',
      width: 70,
      sorter: (a, b) => a.rate - b.rate,
      render: (_, r) => <Tag color={STATE_COLOR[r.state]}>{PROGRESS_STATE_LABEL[r.state]}</Tag>,
    },
  ];
}

/** 进度: participation on both bases per township (or a township's villages), ranked, with its trend. */
export function ProgressPage() {
  const { message } = App.useApp();
  const [rates, setRates] = useState<RatesResponse | null>(null);
  const [township, setTownship] = useState<string | undefined>();
  const [trend, setTrend] = useState<TrendResponse | null>(null);
  const [job, setJob] = useState<JobState | null>(null);
  const [bulletin, setBulletin] = useState<{ file: string; dir: string } | null>(null);
  useEffect(() => {
    call('results.rates', {})
      .then(setRates)
      .catch((e) => message.error(errorMessage(e)));
  }, [message]);
  useEffect(() => {
    setTrend(null);
    call('progress.trend', { township })
      .then(setTrend)
      .catch((e) => message.error(errorMessage(e)));
  }, [township, message]);
  const rows = useMemo(
    () => (rates ? ranked(township ? rates.villages.filter((v) => v.township === township) : rates.townships) : []),
    [rates, township],
  );
  if (!rates) return null;
  const basis = RATE_BASIS_LABEL[rates.basis];
  const total = township ? rates.townships.find((t) => t.township === township) : rates.county;
  const lagging = rows.filter((r) => r.state === 'lagging').length;
  // A few hundred rows at most: copied whole, in the order shown by rank, for WPS or Excel.
  const copyRows = async () => {
    const head = ['排名', township ? '村（社区）' : '乡镇', ...COPY_COLUMNS.map((c) => c[0])];
    const lines = rows.map((r) =>
      [r.rank, township ? (r.village ?? '') : r.township, ...COPY_COLUMNS.map((c) => c[1](r))].join('\t'),
    );
    await copyText([head.join('\t'), ...lines].join('\n'));
    message.success(`已复制 ${rows.length} 行，可直接粘贴到 WPS 或 Excel`);
  };
  const exportBulletin = async () => {
    const dir = await api.chooseFolder();
    if (!dir) return;
    setBulletin(null);
    const r = await runJob('export.run', { dir, what: ['bulletin'] }, (p) =>
      setJob({ ...p, label: p.label === '开始' ? '导出进度通报' : p.label }),
    );
    setJob(null);
    if (r.ok) setBulletin({ file: r.result.files.find((f) => f.kind === 'bulletin')?.file ?? dir, dir });
    else if (r.error.kind === 'cancelled') message.info(r.error.message);
    else message.error(r.error.message);
  };
  return (
    <Space direction="vertical" size="small" style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Space wrap>
          <Select
            allowClear
            placeholder="全县（按乡镇排名）"
            style={{ width: 190 }}
            value={township}
            onChange={setTownship}
            options={rates.townships.map((t) => ({ value: t.township, label: t.township || '（未填乡镇）' }))}
            data-testid="progress-township"
          />
          {total ? (
            <span data-testid="progress-total">
              {township ?? '全县'}：{basis}参保率 <b>{pct(total.rate)}</b>，应参保 {formatCount(total.due)}{' '}
              人，剩余未参保 {formatCount(total.remaining)} 人
              {lagging ? (
                <Typography.Text type="danger">
                  ，{lagging} 个{township ? '村' : '乡镇'}滞后
                </Typography.Text>
              ) : null}
            </span>
          ) : null}
        </Space>
        <Space>
          <Button onClick={() => void copyRows()} data-testid="progress-copy">
            复制
          </Button>
          <Button onClick={() => void exportBulletin()} disabled={!!job} data-testid="bulletin-export">
            导出进度通报
          </Button>
        </Space>
      </Space>
      <Typography.Text type="secondary" data-testid="progress-rule">
        按{basis}参保率排名：达到 {whole(rates.target)} 为达标，低于 {whole(rates.lagRate)} 为滞后
        {rates.lagRate < rates.target ? '，其间为推进中' : ''}（口径与两条线在“工作区 → 设置”中修改）。户籍口径
        =（已参保 + 县外参保）÷ 应参保；本地口径 = 已参保 ÷（应参保 − 县外参保）；应参保 = 户籍人口 − 核减。
        {township ? '' : '点击乡镇所在行，看它的各村。'}
      </Typography.Text>
      <JobProgress job={job} />
      {bulletin ? (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setBulletin(null)}
          message={
            <span data-testid="bulletin-exported">
              已导出进度通报（每个乡镇一张工作表，另有全县汇总表，可用 A4 纸打印）：{bulletin.file}{' '}
              <Button size="small" type="link" onClick={() => void api.openFolder(bulletin.dir)}>
                打开文件夹
              </Button>
            </span>
          }
        />
      ) : null}
      <Table<Row>
        size="small"
        bordered
        pagination={false}
        rowKey={(r) => `${r.township}/${r.village ?? ''}`}
        dataSource={rows}
        columns={columns(rates, !!township)}
        scroll={{ y: 'calc(100vh - 470px)' }}
        showSorterTooltip={false}
        data-testid="progress-table"
        onRow={(r) =>
          ({
            'data-testid': 'progress-row',
            'data-place': township ? (r.village ?? '') : r.township,
            'data-state': r.state,
            style: {
              cursor: township ? undefined : 'pointer',
              background: r.state === 'lagging' ? '#fff1f0' : undefined,
            },
            title: township ? undefined : '点击查看本乡镇各村',
            onClick: township ? undefined : () => setTownship(r.township),
          }) as HTMLAttributes<HTMLTableRowElement>
        }
      />
      <Card
        size="small"
        title={`${township ? `${township}各村` : '各乡镇'}${basis}参保率走势`}
        styles={{ body: { padding: 8 } }}
      >
        {trend && trend.series.length ? (
          <TrendChart trend={trend} target={rates.target} height={190} />
        ) : (
          <Typography.Text type="secondary">
            每次比对、下发或导入回执都会记下当天的参保率，记过两天以上就能看到走势。
          </Typography.Text>
        )}
      </Card>
    </Space>
  );
}
