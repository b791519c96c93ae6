import { Alert, Button, DatePicker, Select, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { AuditRow, AuditVerifyResponse, Request } from '../../../shared/ipc/contract';
import { call, errorMessage } from '../api';
import { useStatus } from '../state';
import { formatCount, formatDateTime } from '../../../shared/text/clerk-format';

type Filter = Pick<Request<'audit.list'>, 'actor' | 'action' | 'from' | 'to'>;

/** A local calendar day (YYYY-MM-DD) as the instant it starts, plus `days`: the log keeps UTC times. */
function dayStart(day: string, days = 0): string {
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + days);
  return d.toISOString();
}

export function AuditPage() {
  const { status } = useStatus();
  const [rows, setRows] = useState<AuditRow[]>([]);
  const [actors, setActors] = useState<string[]>([]);
  const [actions, setActions] = useState<{ value: string; label: string }[]>([]);
  const [filter, setFilter] = useState<Filter>({});
  const [loadError, setLoadError] = useState<string | null>(null);
  const [check, setCheck] = useState<AuditVerifyResponse | { ok: false; message: string } | null>(null);
  const [checking, setChecking] = useState(false);
  useEffect(() => setCheck(null), [status?.path]);
  useEffect(() => {
    if (!status?.path) return;
    call('audit.list', { limit: 1000, ...filter })
      .then((r) => {
        setRows(r.rows);
        setActors(r.actors);
        setActions(r.actions);
        setLoadError(null);
      })
      .catch((e: unknown) => setLoadError(errorMessage(e)));
  }, [status?.path, filter]);
  const verify = async () => {
    setChecking(true);
    try {
      setCheck(await call('audit.verify', {}));
    } catch (e) {
      setCheck({ ok: false, message: errorMessage(e) });
    } finally {
      setChecking(false);
    }
  };
  const filtered = Boolean(filter.actor || filter.action || filter.from);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap data-testid="audit-filters">
        <Select
          allowClear
          placeholder="全部经办人"
          style={{ width: 140 }}
          value={filter.actor}
          options={actors.map((a) => ({ value: a, label: a }))}
          onChange={(actor?: string) => setFilter((f) => ({ ...f, actor }))}
          data-testid="audit-filter-actor"
        />
        <Select
          allowClear
          placeholder="全部操作"
          style={{ width: 160 }}
          value={filter.action}
          options={actions}
          onChange={(action?: string) => setFilter((f) => ({ ...f, action }))}
          data-testid="audit-filter-action"
        />
        <DatePicker.RangePicker
          placeholder={['开始日期', '结束日期']}
          onChange={(_, [from, to]) =>
            setFilter((f) => ({ ...f, from: from ? dayStart(from) : undefined, to: to ? dayStart(to, 1) : undefined }))
          }
          data-testid="audit-filter-dates"
        />
        <Typography.Text type="secondary" data-testid="audit-count">
          {filtered ? `符合条件 ${formatCount(rows.length)} 条` : `共 ${formatCount(rows.length)} 条`}
          {rows.length >= 1000 ? '（只显示最近 1000 条，可按条件筛选）' : ''}
        </Typography.Text>
        <Button onClick={verify} loading={checking} disabled={!status?.path} data-testid="audit-verify">
          校验日志
        </Button>
        {check ? (
          <Alert
            type={check.ok ? 'success' : 'error'}
            showIcon
            message={check.message}
            data-testid="audit-verify-result"
          />
        ) : null}
      </Space>
      {loadError ? <Alert type="error" showIcon message={loadError} /> : null}
      <Table
        size="small"
        rowKey="id"
        dataSource={rows}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        data-testid="audit-table"
        locale={{ emptyText: filtered ? '没有符合条件的记录，请放宽筛选条件' : '日志中还没有记录' }}
        columns={[
          { title: '时间', dataIndex: 'at', width: 170, render: (t: string) => formatDateTime(t) },
          { title: '经办人', dataIndex: 'actor', width: 100 },
          { title: '操作', dataIndex: 'action', width: 140 },
          { title: '内容', dataIndex: 'summary' },
        ]}
      />
    </Space>
  );
}
