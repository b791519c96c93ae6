import { Alert, Descriptions, Drawer, List, Space, Spin, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { PersonRecordView, PersonView } from '../../../shared/ipc/contract';
import { call, errorMessage } from '../api';
import { IdCell } from './id-cell';
import { formatCount } from '../../../shared/text/clerk-format';
import { PersonRoundTripSection } from './person-round-trip';
import { PersonYearsSection } from './person-years';

/** Which person to show: by 人员编号, or by one of the person's records (a 数据问题 row knows only its record). */
export type PersonKey = { personId: string } | { recordId: number };

/**
 * 一人一档 of one person, opened from any list (结果, 查人, 复核): every record with its file, sheet and row, why it
 * belongs to this person, its data problems, and for a duplicate which enrolment stays and which is cancelled.
 */
export function PersonDrawer({
  person,
  year,
  onClose,
}: {
  person: PersonKey | null;
  /** The year 历年参保 explains (the 连续参保 page's choice); by default the year being collected for. */
  year?: number;
  onClose: () => void;
}) {
  const [view, setView] = useState<PersonView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setView(null);
    setError(null);
    if (!person) return;
    let live = true;
    call('person.get', person)
      .then((v) => live && setView(v))
      .catch((e) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [person]);
  return (
    <Drawer
      open={!!person}
      onClose={onClose}
      width={Math.min(980, window.innerWidth - 60)}
      title={view ? `一人一档：${view.name}（${view.personId}）` : '一人一档'}
      destroyOnHidden
      data-testid="person-drawer"
    >
      {error ? <Alert type="warning" showIcon message={error} /> : null}
      {!view && !error ? <Spin /> : null}
      {view ? <PersonBody view={view} year={year} /> : null}
    </Drawer>
  );
}

function PersonBody({ view, year }: { view: PersonView; year?: number }) {
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Descriptions size="small" bordered column={2}>
        <Descriptions.Item label="人员编号">{view.personId}</Descriptions.Item>
        <Descriptions.Item label="身份证号">
          <IdCell masked={view.idMasked} recordId={view.recordId} />
        </Descriptions.Item>
        <Descriptions.Item label="乡镇 / 村（社区）">
          {[view.township, view.village].filter(Boolean).join(' / ') || '（未填）'}
        </Descriptions.Item>
        <Descriptions.Item label="参保情况">
          <Space size={4} wrap>
            <Tag color={view.status.includes('未参保') ? 'orange' : 'green'}>{view.status}</Tag>
            {view.duplicate ? <Tag color="red">{view.duplicate}</Tag> : null}
            {view.special ? <Tag color="magenta">特殊人群：{view.special}</Tag> : null}
          </Space>
        </Descriptions.Item>
      </Descriptions>
      {view.duplicate ? (
        <Alert
          type="warning"
          showIcon
          data-testid="person-duplicate"
          message={`重复参保：${view.duplicate}`}
          description={`“保留”的一条继续有效，“注销”的应予清退。依据：${view.duplicateRule ?? '见下表'}`}
        />
      ) : null}
      <PersonRoundTripSection trip={view.roundTrip} />
      <PersonYearsSection personId={view.personId} year={year} />
      <Typography.Title level={5} style={{ margin: 0 }}>
        全部记录（{formatCount(view.records.length)} 条）
      </Typography.Title>
      <Table<PersonRecordView>
        size="small"
        pagination={false}
        rowKey="recordId"
        dataSource={view.records}
        scroll={{ x: 900 }}
        data-testid="person-records"
        columns={[
          { title: '名册', width: 150, render: (_, r) => `${r.year}年 ${r.kindLabel}` },
          {
            title: '来源（文件 / 工作表 / 行）',
            width: 220,
            render: (_, r) => `${r.file}${r.sheet ? ' / ' + r.sheet : ''} 第${r.row}行`,
          },
          { title: '姓名', dataIndex: 'name', width: 80 },
          {
            title: '身份证号',
            width: 210,
            render: (_, r) => (
              <Space direction="vertical" size={0}>
                <IdCell masked={r.idMasked} recordId={r.recordId} />
                <Typography.Text type="secondary">{r.idStatus}</Typography.Text>
              </Space>
            ),
          },
          {
            title: '出生 / 性别 / 村',
            width: 150,
            render: (_, r) => [r.birthDate, r.gender, r.village].filter(Boolean).join(' / '),
          },
          { title: '为什么归为此人', dataIndex: 'link', width: 300 },
          {
            title: '处理',
            width: 110,
            render: (_, r) =>
              r.action ? (
                <Space direction="vertical" size={0}>
                  <Tag color={r.action === '保留' ? 'green' : 'red'}>{r.action}</Tag>
                  {r.rule !== view.duplicateRule ? <Typography.Text type="secondary">{r.rule}</Typography.Text> : null}
                </Space>
              ) : null,
          },
        ]}
      />
      <Typography.Title level={5} style={{ margin: 0 }}>
        数据问题（{formatCount(view.issues.length)} 个）
      </Typography.Title>
      {view.issues.length ? (
        <List
          size="small"
          bordered
          dataSource={view.issues}
          renderItem={(i) => (
            <List.Item>
              {i.where}：{i.message}
            </List.Item>
          )}
        />
      ) : (
        <Typography.Text type="secondary">这些记录没有发现数据问题。</Typography.Text>
      )}
    </Space>
  );
}
