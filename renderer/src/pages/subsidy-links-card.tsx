import { App, Button, Card, Col, Row, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { SubsidyLinkCandidateView, SubsidyLinkMemberView } from '../../../shared/ipc/contract';
import { formatCount } from '../../../shared/text/clerk-format';
import { call, errorMessage } from '../api';

const MARK_COLOR: Record<string, string> = {
  agree: '#389e0d',
  partly: '#d48806',
  differ: '#cf1322',
  missing: '#8c8c8c',
};

function Candidate({
  c,
  busy,
  decide,
}: {
  c: SubsidyLinkCandidateView;
  busy: boolean;
  decide: (c: SubsidyLinkCandidateView, verdict: 'same' | 'different') => void;
}) {
  return (
    <div
      data-testid="subsidy-link-candidate"
      style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: '8px 12px', marginBottom: 8 }}
    >
      <Row gutter={12} wrap={false} align="top">
        <Col flex="auto" style={{ minWidth: 0 }}>
          <Space size={8} wrap>
            <Typography.Text strong data-testid="subsidy-link-candidate-name">
              {c.name}
            </Typography.Text>
            <Typography.Text>{c.personId}</Typography.Text>
            <Typography.Text style={{ wordBreak: 'break-all' }}>{c.idMasked}</Typography.Text>
            <Typography.Text type="secondary">
              {c.township}
              {c.village}
            </Typography.Text>
            {c.insured ? <Tag color="green">已参保</Tag> : <Tag color="red">未参保</Tag>}
            <Typography.Text type="secondary">{c.plainTally}</Typography.Text>
          </Space>
          <ul style={{ margin: '4px 0 0', paddingLeft: 0, listStyle: 'none' }} data-testid="subsidy-link-words">
            {c.plain.map((f) => (
              <li key={f.field} style={{ fontSize: 13 }}>
                <span style={{ color: MARK_COLOR[f.agreement], display: 'inline-block', width: 18 }}>{f.mark}</span>
                <Typography.Text type="secondary">{f.fieldLabel}：</Typography.Text>
                {f.words}
              </li>
            ))}
            {c.note ? (
              <li style={{ fontSize: 13 }}>
                <span style={{ display: 'inline-block', width: 18 }}>※</span>
                {c.note}
              </li>
            ) : null}
          </ul>
        </Col>
        <Col flex="none">
          <Space direction="vertical" size={6}>
            <Button
              type="primary"
              size="small"
              disabled={busy}
              onClick={() => decide(c, 'same')}
              data-testid="subsidy-link-confirm"
            >
              链接到此人
            </Button>
            <Button
              size="small"
              disabled={busy}
              onClick={() => decide(c, 'different')}
              data-testid="subsidy-link-reject"
            >
              不是同一人
            </Button>
          </Space>
        </Col>
      </Row>
    </div>
  );
}

function Member({
  m,
  busy,
  decide,
}: {
  m: SubsidyLinkMemberView;
  busy: boolean;
  decide: Parameters<typeof Candidate>[0]['decide'];
}) {
  return (
    <Row gutter={16} data-testid="subsidy-link-member" style={{ padding: '10px 0', borderTop: '1px solid #f0f0f0' }}>
      <Col span={6} style={{ minWidth: 0 }}>
        <div>
          <Typography.Text strong data-testid="subsidy-link-member-name">
            {m.name}
          </Typography.Text>
        </div>
        <div style={{ wordBreak: 'break-all' }}>{m.idMasked}</div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {m.departments.join('、')}名单{m.township || m.village ? `，${m.township}${m.village}` : ''}
        </Typography.Text>
      </Col>
      <Col span={18} style={{ minWidth: 0 }}>
        {m.candidates.map((c) => (
          <Candidate key={c.candidateId} c={c} busy={busy} decide={decide} />
        ))}
      </Col>
    </Row>
  );
}

/**
 * 待确认的名单人员: listed ID numbers that find nobody (a department's typo, an old 15-digit number), with the persons
 * of the same name and birth date the engine found and why, in plain words. 链接到此人 makes the listed person count
 * as that person in every check and ledger; 不是同一人 is remembered and not asked again.
 */
export function SubsidyLinksCard({ version, onDecided }: { version: number; onDecided: () => void }) {
  const { message } = App.useApp();
  const [members, setMembers] = useState<SubsidyLinkMemberView[] | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    call('subsidy.links', { mask: '6-4' })
      .then((r) => setMembers(r.members))
      .catch((e) => message.error(errorMessage(e)));
  }, [message]);
  useEffect(load, [load, version]);
  const decide = (c: SubsidyLinkCandidateView, verdict: 'same' | 'different') => {
    setBusy(true);
    call('subsidy.decideLink', { candidateId: c.candidateId, verdict })
      .then((r) => {
        message.success(
          verdict === 'same'
            ? `已链接到 ${c.name}（${r.personId}），参保情况按此人计算`
            : `已记下：不是 ${c.name}（${r.personId}），以后不再提出`,
        );
        // The page reloads its counts, and with them this list.
        onDecided();
      })
      .catch((e) => message.error(errorMessage(e)))
      .finally(() => setBusy(false));
  };
  if (!members?.length) return null;
  return (
    <Card
      size="small"
      style={{ marginTop: 12 }}
      data-testid="subsidy-links"
      title={
        <span>
          待确认的名单人员 <span data-testid="subsidy-links-count">{formatCount(members.length)}</span> 人
        </span>
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        这些人名单上的身份证号在名册里找不到（可能是部门录错一位、两位颠倒，或是15位老号码），但有姓名、出生日期相同的人。
        请核对后选择：是同一人就点“链接到此人”，此后按此人计算是否参保；不是就点“不是同一人”，以后不再提出。
        确认之前，这些人按未参保计算。
      </Typography.Paragraph>
      {members.map((m) => (
        <Member key={m.idMasked + m.name + m.candidates[0]!.candidateId} m={m} busy={busy} decide={decide} />
      ))}
    </Card>
  );
}
