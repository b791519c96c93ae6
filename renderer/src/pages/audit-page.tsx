import { Alert, Button, Space, Table } from 'antd';
import { useEffect, useState } from 'react';
import type { AuditRow, AuditVerifyResponse } from '../../../shared/ipc/contract';
import { call, errorMessage } from '../api';
import { useStatus } from '../state';

export function AuditPage() {
  const { status } = useStatus();
  const [rows, setRows] = useState<AuditRow[]>([]);
  const [check, setCheck] = useState<AuditVerifyResponse | { ok: false; message: string } | null>(null);
  const [checking, setChecking] = useState(false);
  useEffect(() => {
    setCheck(null);
    if (status?.path) void call('audit.list', { limit: 500 }).then((r) => setRows(r.rows));
  }, [status?.path]);
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
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
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
    </Space>
  );
}
