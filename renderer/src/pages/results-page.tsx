import { Card, Checkbox, Select, Space, Table, Tabs, Tag } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { PlacesResponse, RatesResponse, ResultRow } from '../../../shared/ipc/contract';
import { call } from '../api';
import { IdCell } from '../components/id-cell';
import { RateChart } from '../components/rate-chart';
import { VirtualTable, type VirtualColumn } from '../components/virtual-table';

type ListName = 'persons' | 'duplicates' | 'uninsured' | 'notInBase' | 'issues';

const PERSON_COLUMNS: VirtualColumn<ResultRow>[] = [
  { title: '人员编号', width: 110, render: (r) => r.personId },
  { title: '姓名', width: 110, render: (r) => r.name },
  { title: '身份证号', width: 220, render: (r) => <IdCell masked={r.idMasked} recordId={r.recordId} /> },
  { title: '乡镇', width: 100, render: (r) => r.township },
  { title: '村（社区）', width: 130, render: (r) => r.village },
  { title: '情况', width: 260, render: (r) => r.detail },
  { title: '特殊人群', width: 140, render: (r) => (r.special ? <Tag color="red">{r.special}</Tag> : null) },
];
const ISSUE_COLUMNS: VirtualColumn<ResultRow>[] = [
  { title: '姓名', width: 110, render: (r) => r.name },
  { title: '原值', width: 200, render: (r) => <span style={{ fontFamily: 'monospace' }}>{r.idMasked}</span> },
  { title: '位置与问题', width: 640, render: (r) => r.detail },
];

function ListView({ list, places }: { list: ListName; places: PlacesResponse | null }) {
  const [township, setTownship] = useState<string | undefined>();
  const [village, setVillage] = useState<string | undefined>();
  const [specialOnly, setSpecialOnly] = useState(false);
  const [total, setTotal] = useState(0);
  const filters = useMemo(() => ({ list, township, village, specialOnly }), [list, township, village, specialOnly]);
  useEffect(() => {
    void call('results.list', { ...filters, offset: 0, limit: 1 }).then((r) => setTotal(r.total));
  }, [filters]);
  const fetchPage = useCallback(
    async (offset: number, limit: number) => (await call('results.list', { ...filters, offset, limit })).rows,
    [filters],
  );
  const villages = places?.townships.find((t) => t.name === township)?.villages ?? [];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {list !== 'issues' ? (
        <Space wrap>
          <Select
            allowClear
            placeholder="全部乡镇"
            style={{ width: 150 }}
            value={township}
            onChange={(v) => {
              setTownship(v);
              setVillage(undefined);
            }}
            options={places?.townships.map((t) => ({ value: t.name, label: t.name || '（未填乡镇）' }))}
            data-testid="filter-township"
          />
          <Select
            allowClear
            placeholder="全部村（社区）"
            style={{ width: 170 }}
            value={village}
            onChange={setVillage}
            disabled={!township}
            options={villages.map((v) => ({ value: v, label: v }))}
          />
          {list === 'uninsured' ? (
            <Checkbox checked={specialOnly} onChange={(e) => setSpecialOnly(e.target.checked)}>
              只看特殊人群
            </Checkbox>
          ) : null}
          <span data-testid="list-total">共 {total.toLocaleString()} 人</span>
        </Space>
      ) : (
        <span data-testid="list-total">共 {total.toLocaleString()} 个</span>
      )}
      <VirtualTable
        columns={list === 'issues' ? ISSUE_COLUMNS : PERSON_COLUMNS}
        total={total}
        fetchPage={fetchPage}
        resetKey={JSON.stringify(filters)}
        height={480}
      />
    </Space>
  );
}

function RatesView() {
  const [rates, setRates] = useState<RatesResponse | null>(null);
  const [township, setTownship] = useState<string | undefined>();
  useEffect(() => {
    void call('results.rates', {}).then(setRates);
  }, []);
  if (!rates) return null;
  const rows = township ? rates.villages.filter((v) => v.township === township) : rates.townships;
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Select
          allowClear
          placeholder="全县（按乡镇）"
          style={{ width: 180 }}
          value={township}
          onChange={setTownship}
          options={rates.townships.map((t) => ({ value: t.township, label: t.township || '（未填乡镇）' }))}
        />
        <span>
          全县参保率 <b>{pct(rates.county.rate)}</b>（底册 {rates.county.base.toLocaleString()} 人，已参保{' '}
          {rates.county.insured.toLocaleString()} 人）
        </span>
      </Space>
      <Card size="small">
        <RateChart
          labels={rows.map((r) => (township ? (r.village ?? '') : r.township))}
          rates={rows.map((r) => r.rate)}
          target={rates.target}
        />
      </Card>
      <Table
        size="small"
        pagination={false}
        rowKey={(r) => `${r.township}/${r.village ?? ''}`}
        dataSource={rows}
        columns={[
          { title: township ? '村（社区）' : '乡镇', render: (_: unknown, r) => (township ? r.village : r.township) },
          { title: '底册人数', dataIndex: 'base' },
          { title: '已参保', dataIndex: 'insured' },
          { title: '未参保', dataIndex: 'uninsured' },
          {
            title: '参保率',
            dataIndex: 'rate',
            render: (x: number) => <span style={{ color: x >= rates.target ? '#389e0d' : '#d46b08' }}>{pct(x)}</span>,
          },
        ]}
      />
    </Space>
  );
}

export function ResultsPage() {
  const [places, setPlaces] = useState<PlacesResponse | null>(null);
  useEffect(() => {
    void call('results.places', {})
      .then(setPlaces)
      .catch(() => setPlaces(null));
  }, []);
  return (
    <Tabs
      destroyOnHidden
      items={[
        { key: 'uninsured', label: '未参保', children: <ListView list="uninsured" places={places} /> },
        { key: 'duplicates', label: '重复参保', children: <ListView list="duplicates" places={places} /> },
        { key: 'notInBase', label: '不在底册', children: <ListView list="notInBase" places={places} /> },
        { key: 'issues', label: '数据问题', children: <ListView list="issues" places={places} /> },
        { key: 'persons', label: '全部人员', children: <ListView list="persons" places={places} /> },
        { key: 'rates', label: '参保率', children: <RatesView /> },
      ]}
    />
  );
}
