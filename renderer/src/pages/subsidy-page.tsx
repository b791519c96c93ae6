import { Alert, App, Card, Col, Empty, Row, Tabs, Typography } from 'antd';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { DEPARTMENTS } from '../../../shared/domain/subsidy';
import type { SubsidySummaryView } from '../../../shared/ipc/contract';
import { formatCount } from '../../../shared/text/clerk-format';
import { call, errorMessage } from '../api';
import { useStatus } from '../state';
import { SubsidyExportCard } from './subsidy-export-card';
import { SubsidyImportCard } from './subsidy-import-card';
import { SubsidyLinksCard } from './subsidy-links-card';

const RED = '#cf1322';

/** One check: its number, big, and a line saying what it means and what to do. */
function Tile({
  label,
  testId,
  value,
  alarm,
  note,
}: {
  label: string;
  testId: string;
  value: number;
  alarm?: boolean;
  note: ReactNode;
}) {
  const red = alarm && value > 0;
  return (
    <Card
      size="small"
      style={{ height: '100%', borderColor: red ? '#ffa39e' : undefined, background: red ? '#fff1f0' : undefined }}
      styles={{ body: { padding: '10px 14px' } }}
      data-testid={`subsidy-tile-${testId}`}
    >
      <Typography.Text type="secondary">{label}</Typography.Text>
      <div style={{ fontSize: 26, fontWeight: 600, lineHeight: '34px', color: red ? RED : undefined }}>
        <span data-testid={`subsidy-${testId}`}>{formatCount(value)}</span>
      </div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {note}
      </Typography.Text>
    </Card>
  );
}

function Lists({ summary }: { summary: SubsidySummaryView }) {
  return (
    <Row gutter={12} data-testid="subsidy-lists">
      {DEPARTMENTS.map((d) => {
        const l = summary.lists.find((x) => x.department === d);
        return (
          <Col span={6} key={d}>
            <Card size="small" styles={{ body: { padding: '8px 14px' } }} data-testid={`subsidy-list-${d}`}>
              <Typography.Text strong>{d}</Typography.Text>
              {l ? (
                <span style={{ marginLeft: 12 }}>
                  <span data-testid="subsidy-list-month">{l.month}</span> 名单，
                  <span data-testid="subsidy-list-rows">{formatCount(l.rows)}</span> 人
                </span>
              ) : (
                <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
                  还没有导入
                </Typography.Text>
              )}
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}

/** 资助参保 at a glance (R4.7): who is on the lists, and whether each is insured and subsidised rightly. */
function Summary({
  summary,
  version,
  onDecided,
}: {
  summary: SubsidySummaryView;
  version: number;
  onDecided: () => void;
}) {
  const { status } = useStatus();
  if (!summary.lists.length)
    return (
      <Empty description="还没有导入部门的资助名单：请在“导入部门名单”导入民政、农业农村、残联或退役军人的全量名单。" />
    );
  const due = summary.listed - summary.diedBeforeYear;
  const covered = summary.insured + summary.insuredElsewhere;
  const tiles: Parameters<typeof Tile>[0][] = [
    {
      label: '资助对象',
      testId: 'listed',
      value: summary.listed,
      note: '各部门最近一个月名单合起来的人数，一人多种身份只算一人',
    },
    {
      label: '已参保（本县）',
      testId: 'insured',
      value: summary.insured,
      note: (
        <>
          其中本县职工医保 <span data-testid="subsidy-insuredEmployee">{formatCount(summary.insuredEmployee)}</span>{' '}
          人，无需资助，不算问题
        </>
      ),
    },
    {
      label: '县外参保',
      testId: 'insuredElsewhere',
      value: summary.insuredElsewhere,
      note: '乡镇核实在外地参保，已记下参保地，算已参保',
    },
    {
      label: '未参保',
      testId: 'uninsured',
      value: summary.uninsured,
      alarm: true,
      note:
        summary.uninsured > 0
          ? `必须100%参保：已参保 ${formatCount(covered)} / ${formatCount(due)}，请导出台账交乡镇动员`
          : '全部参保，已达到100%',
    },
    {
      label: '年度前已死亡',
      testId: 'diedBeforeYear',
      value: summary.diedBeforeYear,
      alarm: true,
      note: `${summary.year}年1月1日前已死亡：应从名单移除，已缴费的要退费`,
    },
    {
      label: '资助身份不符',
      testId: 'wrongSubsidy',
      value: summary.wrongSubsidy,
      alarm: true,
      note: '名册上的资助类别不是此人的最高身份（就高不重复）',
    },
    {
      label: '不在名单却按资助参保',
      testId: 'unlistedSubsidised',
      value: summary.unlistedSubsidised,
      alarm: true,
      note: '名册按资助对象参保，但不在任何部门的名单上，请核实',
    },
  ];
  return (
    <div>
      {status && !status.matched ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="subsidy-not-matched"
          message="名册还没有比对：是否参保要比对之后才知道，下面的参保数字暂不可信。请先到“比对”页开始比对。"
        />
      ) : null}
      {summary.toConfirm > 0 ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="subsidy-to-confirm"
          message={`有 ${formatCount(summary.toConfirm)} 人名单上的身份证号在名册里找不到，但有姓名、出生日期相同的人：请在下方“待确认的名单人员”逐一确认，确认前按未参保计算。`}
        />
      ) : null}
      <Lists summary={summary} />
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        {tiles.map((t) => (
          <Col span={6} key={t.testId}>
            <Tile {...t} />
          </Col>
        ))}
        <Col span={6}>
          <Card size="small" style={{ height: '100%' }} styles={{ body: { padding: '10px 14px' } }}>
            <Typography.Text type="secondary">最近一月名单变化</Typography.Text>
            <div style={{ fontSize: 18, fontWeight: 600, lineHeight: '34px' }} data-testid="subsidy-changes">
              新增 <span data-testid="subsidy-added">{formatCount(summary.added)}</span>　变更{' '}
              <span data-testid="subsidy-changed">{formatCount(summary.changed)}</span>　取消{' '}
              <span data-testid="subsidy-cancelled">{formatCount(summary.cancelled)}</span>
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              各部门最近一个月的名单与它上一个月相比
            </Typography.Text>
          </Card>
        </Col>
      </Row>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
        {summary.year}
        年度：是否参保取自最近一次比对和乡镇核实回执；导入新的名册或回执后请重新比对。每个人的明细在“导出资助台账”导出的特殊对象资助参保台账里。
      </Typography.Paragraph>
      <SubsidyLinksCard version={version} onDecided={onDecided} />
    </div>
  );
}

/**
 * 资助对象 (issue 14): the departments' monthly lists of special groups, checked against enrolment — everyone on
 * them must be insured (100%), subsidised once at the highest identity.
 */
export function SubsidyPage() {
  const { message } = App.useApp();
  const [summary, setSummary] = useState<SubsidySummaryView | null>(null);
  const [tab, setTab] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const load = useCallback(() => {
    call('subsidy.summary', {})
      .then((s) => {
        setSummary(s);
        setVersion((v) => v + 1);
        setTab((t) => t ?? (s.lists.length ? 'summary' : 'import'));
      })
      .catch((e) => message.error(errorMessage(e)));
  }, [message]);
  useEffect(load, [load]);
  if (!summary || !tab) return null;
  return (
    <Tabs
      activeKey={tab}
      onChange={setTab}
      items={[
        {
          key: 'summary',
          label: '核查结果',
          children: <Summary summary={summary} version={version} onDecided={load} />,
        },
        {
          key: 'import',
          label: '导入部门名单',
          children: <SubsidyImportCard onImported={load} onShowSummary={() => setTab('summary')} />,
        },
        { key: 'export', label: '导出资助台账', children: <SubsidyExportCard /> },
      ]}
    />
  );
}
