import { Alert, App, Button, Card, Col, Input, Modal, Row, Select, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { PlacesResponse } from '../../../shared/ipc/contract';
import type { AtRiskRow, ContinuitySummaryView } from '../../../shared/ipc/continuity-views';
import { formatCount, todayLocal } from '../../../shared/text/clerk-format';
import { call, errorMessage } from '../api';
import { ExportToFolder } from '../components/export-to-folder';
import { PersonDrawer, type PersonKey } from '../components/person-drawer';
import { VirtualTable, type VirtualColumn } from '../components/virtual-table';

const months = (m: number | null) => (m === null ? '已过截止日' : m === 0 ? '无等待' : `${m}个月`);
const lost = (r: AtRiskRow) =>
  r.stepsLost ? `${r.stepsLost}档${r.amountLostYuan ? ` / ${formatCount(r.amountLostYuan)}元` : ''}` : '无';

// Widths add up to about 1,080 px, with the row number about 1,150: the list fits beside the menu at 1366×768.
const columns = (open: (r: AtRiskRow) => void): VirtualColumn<AtRiskRow>[] => [
  { title: '人员编号', width: 94, render: (r) => r.personId, text: (r) => r.personId },
  {
    title: '姓名',
    width: 62,
    // The name opens 一人一档; the rest of the row shows its 说明.
    render: (r) => (
      <Typography.Link
        onClick={(e) => {
          e.stopPropagation();
          open(r);
        }}
        data-testid="continuity-name"
      >
        {r.name}
      </Typography.Link>
    ),
    text: (r) => r.name,
  },
  { title: '身份证号', width: 138, render: (r) => r.idMasked, text: (r) => r.idMasked },
  { title: '村', width: 76, render: (r) => r.village || '（未填村）', text: (r) => `${r.township} ${r.village}` },
  { title: '户主', width: 58, render: (r) => r.householdHead, text: (r) => r.householdHead },
  { title: '联系电话', width: 110, render: (r) => r.phone, text: (r) => r.phone },
  {
    title: '特殊人群',
    width: 68,
    render: (r) => (r.special ? <Tag color="magenta">{r.special}</Tag> : null),
    text: (r) => r.special,
  },
  {
    title: '连续年数',
    width: 70,
    render: (r) => `${r.consecutiveYears}年`,
    text: (r) => `连续参保${r.consecutiveYears}年`,
  },
  {
    title: '按期缴等待',
    width: 86,
    render: (r) => months(r.waitIfPaidByDeadline),
    text: (r) => `截止日前缴费：${months(r.waitIfPaidByDeadline)}`,
  },
  {
    title: '逾期缴等待',
    width: 86,
    render: (r) => <Typography.Text type="warning">{months(r.waitIfPaidLate)}</Typography.Text>,
    text: (r) => `截止日后缴费：等待${months(r.waitIfPaidLate)}`,
  },
  {
    title: '明年等待',
    width: 72,
    render: (r) => <Typography.Text type="danger">{months(r.waitNextYearIfLapsed)}</Typography.Text>,
    text: (r) => `今年不缴、明年再缴：等待${months(r.waitNextYearIfLapsed)}`,
  },
  { title: '损失激励', width: 80, render: lost, text: (r) => `不缴将损失激励：${lost(r)}` },
  { title: '截止日', width: 88, render: (r) => r.deadline, text: (r) => `${r.deadline}（还剩${r.daysLeft}天）` },
];

/** A histogram as a row of small bars, each with its count above and its key below. */
function Bars({ data, unit, testId }: { data: Record<number, number>; unit: string; testId: string }) {
  const keys = Object.keys(data)
    .map(Number)
    .sort((a, b) => a - b);
  const max = Math.max(1, ...keys.map((k) => data[k]!));
  if (!keys.length) return <Typography.Text type="secondary">（无）</Typography.Text>;
  return (
    <div style={{ display: 'flex', gap: 6, alignItems: 'flex-end', height: 66 }} data-testid={testId}>
      {keys.map((k) => (
        <div key={k} style={{ textAlign: 'center', minWidth: 34 }} title={`${k}${unit}：${formatCount(data[k]!)}人`}>
          <div style={{ fontSize: 11, color: '#555' }} data-testid={`${testId}-${k}`}>
            {formatCount(data[k]!)}
          </div>
          <div style={{ height: Math.max(2, Math.round((data[k]! / max) * 30)), background: '#69b1ff' }} />
          <div style={{ fontSize: 11, color: '#888' }}>
            {k}
            {unit}
          </div>
        </div>
      ))}
    </div>
  );
}

function Tile({
  label,
  testId,
  children,
  note,
}: {
  label: string;
  testId: string;
  children: ReactNode;
  note?: string;
}) {
  return (
    <Card size="small" style={{ height: '100%' }} styles={{ body: { padding: '8px 12px' } }}>
      <Typography.Text type="secondary">{label}</Typography.Text>
      <div style={{ fontSize: 22, fontWeight: 600, lineHeight: '30px' }} data-testid={`continuity-${testId}`}>
        {children}
      </div>
      {note ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {note}
        </Typography.Text>
      ) : null}
    </Card>
  );
}

function Summary({ s }: { s: ContinuitySummaryView }) {
  const days = Math.round((Date.parse(s.deadline) - Date.parse(todayLocal())) / 86_400_000);
  return (
    <Row gutter={8} data-testid="continuity-summary">
      <Col span={3}>
        <Tile label="总人数" testId="persons">
          {formatCount(s.persons)}
        </Tile>
      </Col>
      <Col span={3}>
        <Tile label="已参保" testId="insured">
          {formatCount(s.insured)}
        </Tile>
      </Col>
      <Col span={3}>
        <Tile label="断保风险" testId="atRisk">
          <span style={{ color: s.atRisk ? '#cf1322' : undefined }}>{formatCount(s.atRisk)}</span>
        </Tile>
      </Col>
      <Col span={4}>
        <Tile label="缴费截止日" testId="deadline" note={days >= 0 ? `还剩 ${formatCount(days)} 天` : '已过截止日'}>
          {s.deadline}
        </Tile>
      </Col>
      <Col span={5}>
        <Card size="small" style={{ height: '100%' }} styles={{ body: { padding: '6px 12px' } }}>
          <Typography.Text type="secondary">已参保者的等待期（人数）</Typography.Text>
          <Bars data={s.waitingMonths} unit="个月" testId="continuity-wait" />
        </Card>
      </Col>
      <Col span={6}>
        <Card size="small" style={{ height: '100%' }} styles={{ body: { padding: '6px 12px' } }}>
          <Typography.Text type="secondary">已参保者的激励档数（人数）</Typography.Text>
          <Bars data={s.incentiveSteps} unit="档" testId="continuity-steps" />
        </Card>
      </Col>
    </Row>
  );
}

/**
 * 连续参保 (issue 13, DOMAIN-RULES §1, §7.1): the year's waiting periods and incentives, and the 断保风险名单 — who was
 * enrolled last year and has not paid this year, with what paying by the deadline, late, or not at all costs them.
 */
export function ContinuityPage() {
  const { message } = App.useApp();
  const [year, setYear] = useState<number | undefined>();
  const [campaign, setCampaign] = useState<number | null>(null);
  const [summary, setSummary] = useState<ContinuitySummaryView | null>(null);
  const [places, setPlaces] = useState<PlacesResponse | null>(null);
  const [township, setTownship] = useState<string | undefined>();
  const [village, setVillage] = useState<string | undefined>();
  const [text, setText] = useState<string | undefined>();
  const [total, setTotal] = useState(0);
  const [chosen, setChosen] = useState<AtRiskRow | null>(null);
  const [person, setPerson] = useState<PersonKey | null>(null);
  const [exporting, setExporting] = useState(false);
  // 连续年数 count from a year the settings name (2025 by default): said on the page, or 4 enrolled years read as 2.
  const [countFrom, setCountFrom] = useState<number | null>(null);
  useEffect(() => {
    void call('settings.get', {})
      .then((st) => setCountFrom(st.incentiveCountFromYear))
      .catch(() => setCountFrom(null));
  }, []);
  useEffect(() => {
    void call('results.places', {})
      .then(setPlaces)
      .catch(() => setPlaces(null));
  }, []);
  useEffect(() => {
    setSummary(null);
    call('continuity.summary', { year })
      .then((s) => {
        setSummary(s);
        setCampaign((c) => c ?? s.year);
      })
      .catch((e) => message.error(errorMessage(e)));
  }, [year, message]);
  const filters = useMemo(() => ({ year, township, village, text }), [year, township, village, text]);
  useEffect(() => {
    setChosen(null);
    void call('continuity.atRisk', { ...filters, offset: 0, limit: 1 })
      .then((r) => setTotal(r.total))
      .catch((e) => message.error(errorMessage(e)));
  }, [filters, message]);
  const fetchPage = useCallback(
    async (offset: number, limit: number) => (await call('continuity.atRisk', { ...filters, offset, limit })).rows,
    [filters],
  );
  const shownYear = summary?.year ?? year ?? campaign;
  const years = useMemo(() => {
    const known = summary?.yearsKnown ?? [];
    const all = new Set([...known, ...(known.length ? [known.at(-1)! + 1] : []), ...(campaign ? [campaign] : [])]);
    return [...all].sort((a, b) => b - a);
  }, [summary, campaign]);
  const tableColumns = useMemo(() => columns((r) => setPerson({ personId: r.personId })), []);
  const villages = places?.townships.find((t) => t.name === township)?.villages ?? [];
  return (
    <>
      <Space direction="vertical" size={8} style={{ width: '100%' }}>
        {summary ? (
          <Summary s={summary} />
        ) : (
          <div style={{ height: 108 }} data-testid="continuity-loading">
            正在计算各人历年参保……
          </div>
        )}
        <Space wrap size={8}>
          <Select
            style={{ width: 190 }}
            value={shownYear ?? undefined}
            onChange={(y: number) => setYear(y === campaign ? undefined : y)}
            options={years.map((y) => ({ value: y, label: y === campaign ? `${y}年（正在征缴）` : `${y}年` }))}
            data-testid="continuity-year"
          />
          <Select
            allowClear
            placeholder="全部乡镇"
            style={{ width: 130 }}
            value={township}
            onChange={(v) => {
              setTownship(v);
              setVillage(undefined);
            }}
            options={places?.townships.map((t) => ({ value: t.name, label: t.name || '（未填乡镇）' }))}
            data-testid="continuity-township"
          />
          <Select
            allowClear
            placeholder="全部村（社区）"
            style={{ width: 150 }}
            value={village}
            onChange={setVillage}
            disabled={!township}
            options={villages.map((v) => ({ value: v, label: v }))}
            data-testid="continuity-village"
          />
          <Input.Search
            allowClear
            placeholder="姓名、人员编号或电话"
            style={{ width: 180 }}
            onSearch={(v) => setText(v.trim() || undefined)}
            data-testid="continuity-text"
          />
          <span data-testid="continuity-total">断保风险名单 共 {formatCount(total)} 人</span>
          <Button onClick={() => setExporting(true)} data-testid="continuity-export-open">
            导出断保风险名单
          </Button>
        </Space>
        <Alert
          type={chosen ? 'info' : 'warning'}
          style={{
            padding: '4px 12px',
            minHeight: 52,
            background: chosen ? undefined : '#fafafa',
            borderColor: chosen ? undefined : '#f0f0f0',
          }}
          data-testid="continuity-explanation"
          message={
            chosen ? (
              <span>
                <b>
                  {chosen.name}（{chosen.township} {chosen.village}）
                </b>
                ：<span data-testid="continuity-explanation-text">{chosen.explanation}</span>{' '}
                <Button
                  size="small"
                  type="link"
                  onClick={() => setPerson({ personId: chosen.personId })}
                  data-testid="continuity-open-person"
                >
                  打开一人一档
                </Button>
              </span>
            ) : (
              <Typography.Text type="secondary">
                名单是{shownYear ? `${shownYear - 1}年参保、${shownYear}年` : '上一年参保、今年'}
                还没有缴费的人。点击一行，这里显示可以念给群众听的说明；点击姓名打开一人一档。
                {countFrom ? `连续年数自${countFrom}年起计（在“工作区 → 设置”中修改）。` : ''}
                按期缴等待：截止日前缴费的等待期；逾期缴等待：截止日后缴费的等待期；明年等待：今年不缴、明年再缴的等待期。
              </Typography.Text>
            )
          }
        />
        <VirtualTable
          columns={tableColumns}
          total={total}
          fetchPage={fetchPage}
          resetKey={JSON.stringify(filters)}
          height="fill"
          onRowClick={setChosen}
        />
      </Space>
      <PersonDrawer person={person} year={shownYear ?? undefined} onClose={() => setPerson(null)} />
      <Modal
        open={exporting}
        onCancel={() => setExporting(false)}
        footer={null}
        title="导出断保风险名单"
        width={620}
        destroyOnHidden
      >
        <ExportToFolder
          what={['continuity']}
          label="导出断保风险名单"
          testId="continuity-export"
          year={year ?? shownYear ?? undefined}
          note={`${year ?? shownYear ?? ''}年度${(year ?? shownYear) === campaign ? '（正在征缴的年度）' : ''}：每个乡镇一个工作簿，按村分工作表，列出各村全部人员的连续参保年数、等待期和激励，断保风险的人排在各村前面，“说明”可直接向群众宣读，另有动员结果下拉选项。`}
        />
      </Modal>
    </>
  );
}
