import { Alert, Spin, Table, Tag, Typography } from 'antd';
import { useEffect, useState, type HTMLAttributes } from 'react';
import type { PersonContinuityView, PersonYearView } from '../../../shared/ipc/continuity-views';
import { call, errorMessage } from '../api';

/**
 * 历年参保 in 一人一档: the person's enrolment year by year and what it means for the year being collected for (the
 * waiting period and the incentive), in words a cadre can read out. Loaded after the rest of the drawer is shown.
 */
export function PersonYearsSection({ personId, year }: { personId: string; year?: number }) {
  const [view, setView] = useState<PersonContinuityView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setView(null);
    setError(null);
    let live = true;
    call('continuity.person', { personId, year })
      .then((v) => live && setView(v))
      .catch((e) => live && setError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [personId, year]);
  return (
    <div data-testid="person-years">
      <Typography.Title level={5} style={{ margin: '0 0 8px' }}>
        历年参保{view ? `（说明针对${view.year}年）` : ''}
      </Typography.Title>
      {error ? <Alert type="warning" showIcon message={error} /> : null}
      {!view && !error ? <Spin size="small" /> : null}
      {view ? (
        <>
          <Alert
            type={view.lapseYears > 0 ? 'warning' : 'info'}
            showIcon
            style={{ marginBottom: 8 }}
            message={<span data-testid="person-years-explanation">{view.explanation}</span>}
          />
          <Table<PersonYearView>
            size="small"
            pagination={false}
            rowKey="year"
            dataSource={view.years}
            onRow={() => ({ 'data-testid': 'person-year-row' }) as HTMLAttributes<HTMLTableRowElement>}
            columns={[
              { title: '年度', width: 80, render: (_, r) => `${r.year}年` },
              {
                title: '参保情况',
                width: 220,
                render: (_, r) => <Tag color={r.enrolment === '未参保' ? 'orange' : 'green'}>{r.enrolment}</Tag>,
              },
              {
                title: '缴费日期',
                width: 110,
                // Only rolls with a 缴费日期 column say it: otherwise the day is unknown, not missing.
                render: (_, r) => (
                  <span data-testid="person-year-paid">{r.paidOn ?? (r.enrolment === '未参保' ? '' : '名册未载')}</span>
                ),
              },
              { title: '依据', render: (_, r) => r.evidence },
            ]}
          />
        </>
      ) : null}
    </div>
  );
}
