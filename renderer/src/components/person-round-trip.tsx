import { Alert, Space, Table, Tag, Typography } from 'antd';
import type { PersonRoundTrip } from '../../../shared/ipc/contract';
import { formatDateTime } from '../../../shared/text/clerk-format';

type Answer = PersonRoundTrip['answers'][number];

/**
 * 一人一档's 乡镇核实 section: the batches that listed the person and every answer a township sent back, newest
 * first, with where it came from and which one counts now (and what it does to the 参保率).
 */
export function PersonRoundTripSection({ trip }: { trip: PersonRoundTrip }) {
  if (!trip.dispatches.length && !trip.answers.length) return null;
  return (
    <Space direction="vertical" size="small" style={{ width: '100%' }} data-testid="person-round-trip">
      <Typography.Title level={5} style={{ margin: 0 }}>
        乡镇核实（下发 {trip.dispatches.length} 次，回执 {trip.answers.length} 条）
      </Typography.Title>
      {trip.current ? (
        <Alert
          type="info"
          showIcon
          data-testid="person-round-trip-current"
          message={`现行核实情况：${trip.current.category}（${trip.current.effect}）`}
        />
      ) : (
        <Typography.Text type="secondary">已下发，乡镇尚未发回这个人的核实情况。</Typography.Text>
      )}
      {trip.dispatches.length ? (
        <Space size={4} wrap data-testid="person-dispatches">
          <Typography.Text type="secondary">下发批次：</Typography.Text>
          {trip.dispatches.map((d) => (
            <Tag key={d.batchNo}>
              {d.batchNo}（{formatDateTime(d.dispatchedAt)}，{d.dispatchedBy}）
            </Tag>
          ))}
        </Space>
      ) : null}
      {trip.answers.length ? (
        <Table<Answer>
          size="small"
          pagination={false}
          rowKey={(a) => `${a.source}/${a.importedAt}`}
          dataSource={trip.answers}
          scroll={{ x: 930 }}
          data-testid="person-answers"
          columns={[
            {
              title: '核实情况',
              width: 150,
              render: (_, a) => (
                <Space direction="vertical" size={0}>
                  <span>
                    <Tag color={a.current ? 'green' : undefined}>{a.category}</Tag>
                    {a.current ? <Tag color="green">现行</Tag> : null}
                  </span>
                  {a.written && a.written !== a.category ? (
                    <Typography.Text type="secondary">原文：{a.written}</Typography.Text>
                  ) : null}
                </Space>
              ),
            },
            { title: '证据', width: 140, render: (_, a) => a.evidence || '—' },
            {
              title: '核实人 / 日期',
              width: 100,
              render: (_, a) => (
                <Space direction="vertical" size={0}>
                  <span>{a.verifier ?? '—'}</span>
                  <Typography.Text type="secondary">{a.verifiedOn ?? ''}</Typography.Text>
                </Space>
              ),
            },
            { title: '批次', width: 100, render: (_, a) => a.batchNo ?? '—' },
            { title: '来源（文件 / 工作表 / 行）', width: 220, dataIndex: 'source' },
            {
              title: '导入',
              width: 120,
              render: (_, a) => (
                <Space direction="vertical" size={0}>
                  <span>{a.importedBy}</span>
                  <Typography.Text type="secondary">{formatDateTime(a.importedAt)}</Typography.Text>
                </Space>
              ),
            },
            {
              title: '是否计入',
              width: 100,
              render: (_, a) =>
                a.current ? (
                  <Typography.Text strong>计入参保率</Typography.Text>
                ) : (
                  <Typography.Text type="secondary">已被较新的回执取代</Typography.Text>
                ),
            },
          ]}
        />
      ) : null}
    </Space>
  );
}
