import { Alert, App as AntApp, Input, Layout, Menu, Space, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { call, errorMessage } from './api';
import { ClerkNameDialog } from './components/clerk-name-dialog';
import { NextStepHint } from './components/next-step-hint';
import { StepGuide } from './components/step-guide';
import { AuditPage } from './pages/audit-page';
import { ContinuityPage } from './pages/continuity-page';
import { ExportPage } from './pages/export-page';
import { FindPage } from './pages/find-page';
import { ImportPage } from './pages/import-page';
import { MatchPage } from './pages/match-page';
import { ProgressPage } from './pages/progress-page';
import { ResultsPage } from './pages/results-page';
import { ReviewPage } from './pages/review-page';
import { SubsidyPage } from './pages/subsidy-page';
import { TownshipPage } from './pages/township-page';
import { WorkspacePage } from './pages/workspace-page';
import { StatusProvider, useStatus } from './state';
import { formatCount } from '../../shared/text/clerk-format';

const PAGES: { key: string; label: string; render: () => ReactNode }[] = [
  { key: 'workspace', label: '工作区', render: () => <WorkspacePage /> },
  { key: 'import', label: '导入', render: () => <ImportPage /> },
  { key: 'match', label: '比对', render: () => <MatchPage /> },
  { key: 'review', label: '复核', render: () => <ReviewPage /> },
  { key: 'results', label: '结果', render: () => <ResultsPage /> },
  { key: 'find', label: '查人', render: () => <FindPage /> },
  { key: 'export', label: '导出', render: () => <ExportPage /> },
  { key: 'township', label: '乡镇核实', render: () => <TownshipPage /> },
  { key: 'progress', label: '进度', render: () => <ProgressPage /> },
  { key: 'subsidy', label: '资助对象', render: () => <SubsidyPage /> },
  { key: 'continuity', label: '连续参保', render: () => <ContinuityPage /> },
  { key: 'audit', label: '操作日志', render: () => <AuditPage /> },
];

function Shell() {
  const [page, setPage] = useState('workspace');
  const { status, refresh } = useStatus();
  const { message } = AntApp.useApp();
  const current = PAGES.find((p) => p.key === page)!;
  const saveActor = (name: string) =>
    name &&
    name !== status?.actor &&
    call('settings.actor', { name }).then(refresh, (e) => message.error(errorMessage(e)));
  // The window never scrolls as a whole: header, step guide and menu stay put, the page's content area scrolls (or
  // its tables size to the window), so action bars and progress stay in sight at 1366×768.
  return (
    <Layout style={{ height: '100vh', overflow: 'hidden' }}>
      <ClerkNameDialog />
      <Layout.Sider width={168} theme="light" style={{ borderRight: '1px solid #eee', overflow: 'auto' }}>
        <div style={{ padding: '16px 20px', fontSize: 18, fontWeight: 600, color: '#1f5fbf' }}>参保比对</div>
        <Menu
          mode="inline"
          selectedKeys={[page]}
          onClick={(e) => setPage(e.key)}
          items={PAGES.map((p) => ({
            key: p.key,
            label:
              p.key === 'review' && status?.reviewPending
                ? `${p.label}（${formatCount(status.reviewPending)}）`
                : p.label,
            disabled: p.key !== 'workspace' && p.key !== 'audit' && !status?.path,
          }))}
          data-testid="nav"
        />
      </Layout.Sider>
      <Layout style={{ minWidth: 0, display: 'flex', flexDirection: 'column' }}>
        <Layout.Header
          style={{
            background: '#fff',
            borderBottom: '1px solid #eee',
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
          }}
        >
          <Typography.Text strong style={{ fontSize: 16 }}>
            {current.label}
          </Typography.Text>
          <Space wrap={false} style={{ minWidth: 0 }}>
            <Typography.Text
              type="secondary"
              ellipsis
              style={{ maxWidth: 480, display: 'inline-block', verticalAlign: 'middle' }}
            >
              {status?.path ?? '未打开工作区'}
            </Typography.Text>
            <span>经办人：</span>
            <Input
              size="small"
              style={{ width: 110 }}
              defaultValue={status?.actorNamed ? status.actor : ''}
              key={`${status?.actor}-${status?.actorNamed}`}
              placeholder="请填写姓名"
              aria-label="经办人"
              data-testid="header-actor"
              onBlur={(e) => saveActor(e.target.value.trim())}
            />
          </Space>
        </Layout.Header>
        {status ? <StepGuide status={status} onGo={setPage} /> : null}
        <Layout.Content
          style={{ padding: 20, overflow: 'auto', flex: 1, minHeight: 0 }}
          data-testid="page-content"
          data-page-area
        >
          {status?.matched && status.unmatchedRecords > 0 && page !== 'import' ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              message={`有 ${formatCount(status.unmatchedRecords)} 条记录是上次比对之后导入的，名单尚未包含它们，请重新比对。`}
            />
          ) : null}
          {status?.rollsChangedSinceMatch && page !== 'import' ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              data-testid="rematch-needed"
              message="上次比对之后有名册被删除或替换，名单已过期，需要重新比对。"
            />
          ) : null}
          {status ? <NextStepHint page={page} status={status} onGo={setPage} /> : null}
          {current.render()}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

export function App() {
  return (
    <StatusProvider>
      <Shell />
    </StatusProvider>
  );
}
