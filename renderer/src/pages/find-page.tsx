import { Button, Card, Empty, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ROLL_KIND_LABEL } from '../../../shared/domain/types';
import type { SearchHitView } from '../../../shared/ipc/contract';
import { call } from '../api';
import { IdCell } from '../components/id-cell';
import { PersonDrawer, type PersonKey } from '../components/person-drawer';

export function FindPage() {
  const [hits, setHits] = useState<SearchHitView[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [person, setPerson] = useState<PersonKey | null>(null);
  const search = async (q: string) => {
    if (!q.trim()) return;
    setLoading(true);
    try {
      setHits((await call('search.find', { query: q.trim() })).hits);
    } finally {
      setLoading(false);
    }
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Input.Search
        placeholder="姓名、拼音、拼音首字母（如 wxm）或身份证号片段"
        enterButton="查找"
        size="large"
        loading={loading}
        onSearch={search}
        data-testid="find-input"
      />
      {hits && !hits.length ? <Empty description="没有找到" /> : null}
      {hits?.map((h) => (
        <Card
          key={h.personId}
          size="small"
          data-testid="find-hit"
          title={
            <Space>
              <span>{h.name}</span>
              <Typography.Text type="secondary">{h.personId}</Typography.Text>
              <span style={{ fontFamily: 'monospace' }}>{h.idMasked}</span>
            </Space>
          }
          extra={
            <Space>
              {h.inBase ? <Tag>底册内</Tag> : <Tag color="purple">不在底册</Tag>}
              {h.insured ? <Tag color="green">已参保</Tag> : <Tag color="orange">未参保</Tag>}
              {h.duplicate ? <Tag color="red">{h.duplicate}</Tag> : null}
              {h.personId ? (
                <Button size="small" onClick={() => setPerson({ personId: h.personId })} data-testid="find-open-person">
                  一人一档
                </Button>
              ) : null}
            </Space>
          }
        >
          <Table
            size="small"
            pagination={false}
            rowKey="recordId"
            dataSource={h.records}
            columns={[
              { title: '年度', dataIndex: 'year', width: 60 },
              {
                title: '名册',
                dataIndex: 'kind',
                width: 160,
                render: (k: keyof typeof ROLL_KIND_LABEL) => ROLL_KIND_LABEL[k],
              },
              {
                title: '来源',
                key: 'src',
                render: (_: unknown, r: SearchHitView['records'][number]) =>
                  `${r.file}${r.sheet ? ' / ' + r.sheet : ''} 第${r.row}行`,
              },
              { title: '姓名', dataIndex: 'name', width: 100 },
              {
                title: '身份证号',
                key: 'id',
                width: 230,
                render: (_: unknown, r: SearchHitView['records'][number]) => (
                  <IdCell masked={r.idMasked} recordId={r.recordId} />
                ),
              },
              { title: '村（社区）', dataIndex: 'village', width: 120 },
              { title: '归并依据', dataIndex: 'linkRule', width: 140 },
            ]}
          />
        </Card>
      ))}
      <PersonDrawer person={person} onClose={() => setPerson(null)} />
    </Space>
  );
}
