import { Table } from 'antd';
import { useEffect, useState } from 'react';
import type { AuditRow } from '../../../shared/ipc/contract';
import { call } from '../api';
import { useStatus } from '../state';

export function AuditPage() {
  const { status } = useStatus();
  const [rows, setRows] = useState<AuditRow[]>([]);
  useEffect(() => {
    if (status?.path) void call('audit.list', { limit: 500 }).then((r) => setRows(r.rows));
  }, [status?.path]);
  return (
    <Table
      size="small"
      rowKey="id"
      dataSource={rows}
      pagination={{ pageSize: 50 }}
      data-testid="audit-table"
      columns={[
        { title: '时间', dataIndex: 'at', width: 170, render: (t: string) => new Date(t).toLocaleString('zh-CN') },
        { title: '经办人', dataIndex: 'actor', width: 100 },
        { title: '操作', dataIndex: 'action', width: 140 },
        { title: '内容', dataIndex: 'summary' },
      ]}
    />
  );
}
