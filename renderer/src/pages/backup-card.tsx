import { App, Button, Card, Input, Popconfirm, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { BackupView } from '../../../shared/ipc/contract';
import { call, errorMessage } from '../api';
import { useStatus } from '../state';
import { formatDateTimeSeconds, formatFileSize } from '../../../shared/text/clerk-format';

/**
 * 另存副本 and the backups beside the workspace (made before every import and match, and on demand): each copy is one
 * complete file written by SQLite's online backup; restoring one first backs up the current state.
 */
export function BackupCard() {
  const { status, refresh } = useStatus();
  const { message } = App.useApp();
  const [backups, setBackups] = useState<BackupView[]>([]);
  const [dest, setDest] = useState('');
  const [busy, setBusy] = useState(false);
  const load = () => void call('backup.list', {}).then((r) => setBackups(r.backups));
  useEffect(() => {
    if (status?.path) load();
  }, [status?.path, status?.records, status?.persons]);
  const act = async (what: () => Promise<string>) => {
    setBusy(true);
    try {
      message.success(await what());
      await refresh();
      load();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="另存副本与备份" size="small" data-testid="backups">
      <Space.Compact style={{ width: '100%', marginBottom: 12 }}>
        <Input
          placeholder="副本保存为，例如 E:\\备份\\2026年度-副本.canbao"
          value={dest}
          onChange={(e) => setDest(e.target.value)}
          data-testid="backup-dest"
        />
        <Button
          disabled={!dest || busy}
          onClick={() => act(async () => `副本已保存：${(await call('backup.create', { dest })).path}`)}
          data-testid="backup-save-copy"
        >
          另存副本
        </Button>
        <Button
          disabled={busy}
          onClick={() => act(async () => `已备份（${formatFileSize((await call('backup.create', {})).bytes)}）`)}
          data-testid="backup-now"
        >
          立即备份
        </Button>
      </Space.Compact>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        每次导入和比对前自动备份到工作区旁的“备份”文件夹，保留最近的若干个（见设置）。
      </Typography.Paragraph>
      <Table
        size="small"
        rowKey="file"
        pagination={false}
        dataSource={backups}
        locale={{ emptyText: '还没有备份' }}
        columns={[
          { title: '时间', dataIndex: 'at', width: 170, render: formatDateTimeSeconds },
          { title: '原因', dataIndex: 'reasonLabel', width: 140 },
          { title: '大小', dataIndex: 'bytes', width: 90, render: formatFileSize },
          { title: '文件', dataIndex: 'file' },
          {
            title: '',
            width: 80,
            render: (_: unknown, b: BackupView) => (
              <Popconfirm
                title="从这个备份恢复？"
                description={`工作区将回到 ${formatDateTimeSeconds(b.at)} 的状态。恢复前会先自动备份当前状态，需要时可以再恢复回来。`}
                okText="恢复"
                cancelText="取消"
                onConfirm={() =>
                  act(async () => {
                    await call('backup.restore', { file: b.file });
                    return `已从 ${formatDateTimeSeconds(b.at)} 的备份恢复`;
                  })
                }
              >
                <Button type="link" disabled={busy} data-testid="backup-restore">
                  恢复
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </Card>
  );
}
