import { App, Button, Space, Table, Upload } from 'antd';
import { useState } from 'react';
import { ROLL_KIND_LABEL } from '../../../shared/domain/types';
import type { RollSummary } from '../../../shared/ipc/contract';
import { api, call, errorMessage, runJob } from '../api';
import { JobProgress, type JobState } from '../components/job-progress';
import { confirmKind } from '../components/kind-confirm';
import { useStatus } from '../state';
import { formatCount, formatDateTime } from '../../../shared/text/clerk-format';

/** A roll as the dialogs name it: the whole import it came with (every sheet of the file) and its records. */
function describeImport(rolls: RollSummary[], r: RollSummary): { text: string; records: number } {
  const same = rolls.filter((x) => x.importId === r.importId);
  const records = same.reduce((a, x) => a + x.rows, 0);
  const sheets = same.length > 1 ? `${same.length} 个工作表，` : '';
  return {
    text: `${r.year}年${ROLL_KIND_LABEL[r.kind]}“${r.file}”（${sheets}${formatCount(records)} 条记录）`,
    records,
  };
}

/**
 * The imported rolls, each with 删除 and 替换. Both act on the whole import (a corrected file replaces the file), ask
 * first naming the roll and how many records go, and are preceded by an automatic backup in the engine.
 */
export function RollsTable() {
  const { status, refresh } = useStatus();
  const { message, modal } = App.useApp();
  const [job, setJob] = useState<JobState | null>(null);
  const rolls = status?.rolls ?? [];

  const remove = (r: RollSummary) => {
    const { text } = describeImport(rolls, r);
    modal.confirm({
      title: '删除名册',
      content: (
        <div data-testid="roll-remove-confirm">
          <p>删除 {text}？</p>
          <p>这些记录、它们的数据问题和复核判断都会删除；删除前会自动备份。删除后需要重新比对。</p>
        </div>
      ),
      okText: '删除',
      okButtonProps: { danger: true, 'data-testid': 'roll-remove-ok' },
      cancelText: '取消',
      onOk: async () => {
        try {
          const res = await call('roll.remove', { rollId: r.id });
          message.success(`已删除 ${res.removed.file}：${formatCount(res.removed.records)} 条记录`);
        } catch (e) {
          message.error(errorMessage(e));
        }
        await refresh();
      },
    });
  };

  const replace = async (r: RollSummary, file: File) => {
    const { text } = describeImport(rolls, r);
    const ok = await new Promise<boolean>((resolve) =>
      modal.confirm({
        title: '替换名册',
        content: (
          <div data-testid="roll-replace-confirm">
            <p>
              用“{file.name}”替换 {text}？
            </p>
            <p>
              新文件按{ROLL_KIND_LABEL[r.kind]}导入；导入不成功时原名册保持不变。替换前会自动备份，替换后需要重新比对。
            </p>
          </div>
        ),
        okText: '替换',
        okButtonProps: { 'data-testid': 'roll-replace-ok' },
        cancelText: '取消',
        onOk: () => resolve(true),
        onCancel: () => resolve(false),
      }),
    );
    if (!ok) return;
    try {
      const path = await api.pathForFile(file);
      let confirmed = false;
      for (;;) {
        const d = await runJob(
          'import.run',
          { path, kind: r.kind, year: r.year, replaceRollId: r.id, confirmKind: confirmed },
          (p) => setJob({ ...p, label: p.label === '开始' ? '替换' : p.label }),
        );
        setJob(null);
        if (d.ok) message.success(`已替换：${d.result.file} 共 ${formatCount(d.result.records)} 条记录`);
        else if (d.error.kind === 'kindMismatch' && !confirmed) {
          confirmed = await confirmKind(modal, file.name, r.kind, { message: d.error.message });
          if (confirmed) continue;
        } else message.error(d.error.message);
        break;
      }
    } catch (e) {
      message.error(errorMessage(e));
    }
    await refresh();
  };

  return (
    <>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={rolls}
        data-testid="rolls-table"
        columns={[
          { title: '年度', dataIndex: 'year', width: 70 },
          {
            title: '名册类型',
            dataIndex: 'kind',
            render: (k: keyof typeof ROLL_KIND_LABEL) => ROLL_KIND_LABEL[k],
            width: 170,
          },
          { title: '文件', dataIndex: 'file' },
          { title: '工作表', dataIndex: 'sheet', width: 120 },
          { title: '导入记录', dataIndex: 'rows', width: 100, render: (n: number) => formatCount(n) },
          { title: '跳过行', dataIndex: 'skipped', width: 80 },
          {
            title: '导入时间',
            dataIndex: 'importedAt',
            width: 150,
            render: (t: string) => formatDateTime(t),
          },
          {
            title: '操作',
            key: 'actions',
            width: 130,
            render: (_: unknown, r: RollSummary) => (
              <Space size={4}>
                <Button size="small" danger disabled={!!job} onClick={() => remove(r)} data-testid="roll-remove">
                  删除
                </Button>
                <Upload
                  accept=".xlsx,.xls,.csv,.txt"
                  showUploadList={false}
                  multiple={false}
                  beforeUpload={(file) => {
                    void replace(r, file);
                    return false;
                  }}
                >
                  <Button size="small" disabled={!!job} data-testid="roll-replace">
                    替换
                  </Button>
                </Upload>
              </Space>
            ),
          },
        ]}
      />
      <JobProgress job={job} />
    </>
  );
}
