import { Button, Card, Checkbox, Input, message, Select, Space, Table, Tabs, Tag } from 'antd';
import type { SortOrder } from 'antd/es/table/interface';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { PlacesResponse, RateRowView, RatesResponse, Request, ResultRow } from '../../../shared/ipc/contract';
import { formatCount, formatPercent } from '../../../shared/text/clerk-format';
import { call } from '../api';
import { IdCell } from '../components/id-cell';
import { copyText, ExportListButton, ListActions, printList } from '../components/list-actions';
import { PersonDrawer, type PersonKey } from '../components/person-drawer';
import { RateChart } from '../components/rate-chart';
import { VirtualTable, type SortState, type VirtualColumn } from '../components/virtual-table';

type SortBy = Request<'results.list'>['sortBy'];

type ListName = 'persons' | 'duplicates' | 'uninsured' | 'notInBase' | 'issues';

/** Clicks on the reveal button stay with it: they must not also open the row. */
const ownClick = (node: ReactNode) => <span onClick={(e) => e.stopPropagation()}>{node}</span>;

const PERSON_COLUMNS: VirtualColumn<ResultRow>[] = [
  { title: '人员编号', width: 110, render: (r) => r.personId, text: (r) => r.personId, sortKey: 'personId' },
  { title: '姓名', width: 110, render: (r) => r.name, text: (r) => r.name, sortKey: 'name' },
  {
    title: '身份证号',
    width: 220,
    render: (r) => ownClick(<IdCell masked={r.idMasked} recordId={r.recordId} />),
    text: (r) => r.idMasked,
  },
  { title: '乡镇', width: 100, render: (r) => r.township, text: (r) => r.township ?? '', sortKey: 'township' },
  { title: '村（社区）', width: 130, render: (r) => r.village, text: (r) => r.village ?? '', sortKey: 'village' },
  { title: '情况', width: 260, render: (r) => r.detail, text: (r) => r.detail, sortKey: 'detail' },
  {
    title: '特殊人群',
    width: 140,
    render: (r) => (r.special ? <Tag color="red">{r.special}</Tag> : null),
    text: (r) => r.special,
    sortKey: 'special',
  },
];
const ISSUE_COLUMNS: VirtualColumn<ResultRow>[] = [
  { title: '姓名', width: 110, render: (r) => r.name, text: (r) => r.name, sortKey: 'name' },
  {
    title: '原值',
    width: 200,
    render: (r) => <span style={{ fontFamily: 'monospace' }}>{r.idMasked}</span>,
    text: (r) => r.idMasked,
  },
  { title: '位置与问题', width: 640, render: (r) => r.detail, text: (r) => r.detail, sortKey: 'detail' },
];

function ListView({ list, places }: { list: ListName; places: PlacesResponse | null }) {
  const [township, setTownship] = useState<string | undefined>();
  const [village, setVillage] = useState<string | undefined>();
  const [specialOnly, setSpecialOnly] = useState(false);
  const [text, setText] = useState<string | undefined>();
  const [sort, setSort] = useState<SortState | null>(null);
  const [total, setTotal] = useState(0);
  const [selected, setSelected] = useState(new Map<number, ResultRow>());
  const [person, setPerson] = useState<PersonKey | null>(null);
  const filters = useMemo(
    () => ({ list, township, village, specialOnly, text, sortBy: sort?.by as SortBy, sortDir: sort?.dir }),
    [list, township, village, specialOnly, text, sort],
  );
  useEffect(() => {
    setSelected(new Map());
    void call('results.list', { ...filters, offset: 0, limit: 1 }).then((r) => setTotal(r.total));
  }, [filters]);
  const fetchPage = useCallback(
    async (offset: number, limit: number) => (await call('results.list', { ...filters, offset, limit })).rows,
    [filters],
  );
  const columns = list === 'issues' ? ISSUE_COLUMNS : PERSON_COLUMNS;
  const villages = places?.townships.find((t) => t.name === township)?.villages ?? [];
  const unit = list === 'issues' ? '个' : '人';
  return (
    <>
      <Space direction="vertical" style={{ width: '100%' }} className="print-area">
        <Space wrap className="no-print">
          {list !== 'issues' ? (
            <>
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
            </>
          ) : null}
          <Input.Search
            allowClear
            placeholder={list === 'issues' ? '姓名、文件或问题' : '姓名、人员编号或村'}
            style={{ width: 200 }}
            onSearch={(v) => setText(v.trim() || undefined)}
            data-testid="filter-text"
          />
          {list === 'uninsured' ? (
            <Checkbox checked={specialOnly} onChange={(e) => setSpecialOnly(e.target.checked)}>
              只看特殊人群
            </Checkbox>
          ) : null}
          <span data-testid="list-total">
            共 {formatCount(total)} {unit}
          </span>
          <ListActions columns={columns} selected={selected} onClear={() => setSelected(new Map())} filters={filters} />
        </Space>
        <VirtualTable
          columns={columns}
          total={total}
          fetchPage={fetchPage}
          resetKey={JSON.stringify(filters)}
          height="fill"
          sort={sort}
          onSort={setSort}
          selected={selected}
          onSelect={setSelected}
          onRowClick={(r) =>
            setPerson(r.personId ? { personId: r.personId } : r.recordId ? { recordId: r.recordId } : null)
          }
        />
      </Space>
      <PersonDrawer person={person} onClose={() => setPerson(null)} />
    </>
  );
}

type RateSort = Request<'results.export'>['sortBy'];

function RatesView() {
  const [rates, setRates] = useState<RatesResponse | null>(null);
  const [township, setTownship] = useState<string | undefined>();
  const [sort, setSort] = useState<{ by: RateSort; dir: 'asc' | 'desc' } | null>(null);
  useEffect(() => {
    void call('results.rates', {}).then(setRates);
  }, []);
  if (!rates) return null;
  const rows = township !== undefined ? rates.villages.filter((v) => v.township === township) : rates.townships;
  const pct = (x: number) => formatPercent(x, 2);
  const placeOf = (r: RateRowView) => (township !== undefined ? (r.village ?? '') : r.township);
  const chosen = township !== undefined ? rates.townships.find((t) => t.township === township) : undefined;
  // The rates are a few hundred rows at most: sorted on screen, copied whole.
  const copyRates = async () => {
    const head = [township !== undefined ? '村（社区）' : '乡镇', '底册人数', '已参保', '未参保', '参保率'];
    const lines = rows.map((r) => [placeOf(r), r.base, r.insured, r.uninsured, pct(r.rate)].join('\t'));
    await copyText([head.join('\t'), ...lines].join('\n'));
    void message.success(`已复制 ${formatCount(rows.length)} 行，可直接粘贴到 WPS 或 Excel`);
  };
  const order = (key: RateSort): SortOrder =>
    sort && sort.by === key ? (sort.dir === 'asc' ? 'ascend' : 'descend') : null;
  const placeKey = township !== undefined ? 'village' : 'township';
  return (
    <Space direction="vertical" style={{ width: '100%' }} className="print-area">
      <Space wrap>
        <Select
          allowClear
          placeholder="全县（按乡镇）"
          style={{ width: 180 }}
          value={township}
          onChange={(v) => {
            setTownship(v);
            setSort(null);
          }}
          options={rates.townships.map((t) => ({ value: t.township, label: t.township || '（未填乡镇）' }))}
          data-testid="rates-township"
        />
        <span data-testid="rates-heading">
          {chosen ? (
            <>
              {chosen.township || '（未填乡镇）'}参保率 <b>{pct(chosen.rate)}</b>（底册 {formatCount(chosen.base)}{' '}
              人，已参保 {formatCount(chosen.insured)} 人）　全县 {pct(rates.county.rate)}
            </>
          ) : (
            <>
              全县参保率 <b>{pct(rates.county.rate)}</b>（底册 {formatCount(rates.county.base)} 人，已参保{' '}
              {formatCount(rates.county.insured)} 人）
            </>
          )}
        </span>
        <Space size={4} className="no-print">
          <Button size="small" onClick={() => void copyRates()} data-testid="rates-copy">
            复制
          </Button>
          <ExportListButton
            filters={{ list: 'rates', township, specialOnly: false, sortBy: sort?.by, sortDir: sort?.dir ?? 'asc' }}
          />
          <Button size="small" onClick={printList}>
            打印
          </Button>
        </Space>
      </Space>
      <Card size="small">
        <RateChart labels={rows.map(placeOf)} rates={rows.map((r) => r.rate)} target={rates.target} />
      </Card>
      <Table
        size="small"
        pagination={false}
        rowKey={(r) => `${r.township}/${r.village ?? ''}`}
        dataSource={rows}
        onChange={(_p, _f, sorter) => {
          const one = Array.isArray(sorter) ? sorter[0] : sorter;
          setSort(one?.order ? { by: one.columnKey as RateSort, dir: one.order === 'ascend' ? 'asc' : 'desc' } : null);
        }}
        columns={[
          {
            key: placeKey,
            title: township !== undefined ? '村（社区）' : '乡镇',
            render: (_: unknown, r) => placeOf(r),
            sorter: (a, b) => placeOf(a).localeCompare(placeOf(b), 'zh-CN'),
            sortOrder: order(placeKey),
          },
          ...(['base', 'insured', 'uninsured'] as const).map((key) => ({
            key,
            title: { base: '底册人数', insured: '已参保', uninsured: '未参保' }[key],
            dataIndex: key,
            render: (x: number) => formatCount(x),
            sorter: (a: RateRowView, b: RateRowView) => a[key] - b[key],
            sortOrder: order(key),
          })),
          {
            key: 'rate',
            title: '参保率',
            dataIndex: 'rate',
            sorter: (a, b) => a.rate - b.rate,
            sortOrder: order('rate'),
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
