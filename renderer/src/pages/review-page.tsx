import { App, Button, Card, Col, Collapse, Empty, Row, Space, Switch, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { GENDER_LABEL, ID_STATUS_LABEL, ROLL_KIND_LABEL } from '../../../shared/domain/types';
import type { MaskedRecord, PlainField, ReviewPairView, ReviewSideContext } from '../../../shared/ipc/contract';
import { call, errorMessage } from '../api';
import { PersonDrawer, type PersonKey } from '../components/person-drawer';
import { useStatus } from '../state';
import { formatCount, formatPercent } from '../../../shared/text/clerk-format';

const FIELDS: [keyof MaskedRecord, string][] = [
  ['name', '姓名'],
  ['idMasked', '身份证号'],
  ['idStatus', '号码状态'],
  ['birthDate', '出生日期'],
  ['gender', '性别'],
  ['township', '乡镇'],
  ['village', '村（社区）'],
  ['householdHead', '户主'],
  ['category', '人员类别'],
];

function shown(r: MaskedRecord, k: keyof MaskedRecord): string {
  const v = r[k];
  const labels: Record<string, string> | null =
    k === 'gender' ? GENDER_LABEL : k === 'idStatus' ? ID_STATUS_LABEL : null;
  if (labels && typeof v === 'string' && v) return labels[v] ?? v;
  return v === null || v === undefined ? '' : String(v);
}

/** The side's household as its roll lists it, and the other records of the person it now belongs to. */
function SideContext({ side, testId }: { side: ReviewSideContext; testId: string }) {
  return (
    <div style={{ marginTop: 6, fontSize: 12 }} data-testid={testId}>
      <div>
        <Typography.Text type="secondary">同户：</Typography.Text>
        {side.household.length
          ? side.household.map((h) => `${h.name}${h.birthDate ? `（${h.birthDate}）` : ''}`).join('、')
          : '名册中没有同户的其他人'}
      </div>
      <div>
        <Typography.Text type="secondary">此人的其他记录：</Typography.Text>
        {side.otherRecords.length
          ? side.otherRecords
              .map(
                (o) =>
                  `${ROLL_KIND_LABEL[o.kind]} ${o.year}年 ${o.file}${o.sheet ? ` / ${o.sheet}` : ''} 第${o.row}行 ${o.name} ${o.idMasked}`,
              )
              .join('；')
          : '没有'}
      </div>
    </div>
  );
}

/** Each field agrees ✓, partly ≈, not ✗, or cannot be compared —, in words: what a clerk decides on. */
const MARK_COLOR: Record<PlainField['agreement'], string> = {
  agree: '#389e0d',
  partly: '#d48806',
  differ: '#cf1322',
  missing: '#8c8c8c',
};

function PlainWords({ pair }: { pair: ReviewPairView }) {
  return (
    <div data-testid="review-plain">
      {pair.plain.map((f) => (
        <div key={f.field} style={{ display: 'flex', gap: 8, margin: '2px 0' }} data-testid={`plain-${f.field}`}>
          <span style={{ width: 16, fontWeight: 700, color: MARK_COLOR[f.agreement] }}>{f.mark}</span>
          <span style={{ width: 72, color: '#888' }}>{f.fieldLabel}</span>
          <span>{f.words}</span>
        </div>
      ))}
    </div>
  );
}

function RecordCard({
  r,
  other,
  title,
  side,
  testId,
  onPerson,
}: {
  r: MaskedRecord;
  other: MaskedRecord;
  title: string;
  side: ReviewSideContext;
  testId: string;
  onPerson: (personId: string) => void;
}) {
  // The person this record now belongs to, opened as from 结果 and 查人 (a record not yet matched has none).
  const person = r.personId ? (
    <Button
      type="link"
      size="small"
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => onPerson(r.personId!)}
      data-testid={`${testId}-person`}
    >
      一人一档 {r.personId}
    </Button>
  ) : null;
  return (
    <Card
      size="small"
      title={title}
      extra={
        <Space size={4}>
          {person}
          <Tag>{ROLL_KIND_LABEL[r.kind]}</Tag>
        </Space>
      }
    >
      <Typography.Text type="secondary">
        {r.file}
        {r.sheet ? ` / ${r.sheet}` : ''} 第 {r.row} 行
      </Typography.Text>
      <table style={{ width: '100%', marginTop: 8 }}>
        <tbody>
          {FIELDS.map(([k, label]) => {
            const a = shown(r, k),
              b = shown(other, k);
            // A month-only date agrees with a full date of that month; masked IDs are compared as shown.
            const differs =
              a !== '' && b !== '' && a !== b && !(k === 'birthDate' && (a.startsWith(b) || b.startsWith(a)));
            return (
              <tr key={k}>
                <td style={{ color: '#888', width: 90, padding: '3px 0' }}>{label}</td>
                <td
                  style={{
                    background: differs ? '#fff7e6' : undefined,
                    fontWeight: differs ? 600 : undefined,
                    fontFamily: k === 'idMasked' ? 'monospace' : undefined,
                  }}
                >
                  {a || '—'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <SideContext side={side} testId={testId} />
    </Card>
  );
}

/** Each field's weight as a bar: right and green for the same person, left and red against. */
function WeightBars({ pair }: { pair: ReviewPairView }) {
  const max = Math.max(10, ...pair.contributions.map((c) => Math.abs(c.weight)), Math.abs(pair.prior));
  const bar = (label: string, detail: string, w: number) => (
    <div key={label} style={{ display: 'flex', alignItems: 'center', margin: '4px 0' }}>
      <div style={{ width: 200 }}>
        {label}
        <span style={{ color: '#888' }}>（{detail}）</span>
      </div>
      <div style={{ flex: 1, display: 'flex', height: 14 }}>
        <div style={{ flex: 1, display: 'flex', justifyContent: 'flex-end' }}>
          {w < 0 ? <div style={{ width: `${(-w / max) * 100}%`, background: '#ff7875' }} /> : null}
        </div>
        <div style={{ width: 1, background: '#999' }} />
        <div style={{ flex: 1 }}>
          {w > 0 ? <div style={{ width: `${(w / max) * 100}%`, height: '100%', background: '#73d13d' }} /> : null}
        </div>
      </div>
      <div style={{ width: 60, textAlign: 'right', fontFamily: 'monospace' }}>
        {w >= 0 ? '+' : ''}
        {w.toFixed(1)}
      </div>
    </div>
  );
  return (
    <div data-testid="weights">
      {bar('先验', '两条记录随机相同的可能', pair.prior)}
      {pair.contributions.map((c) => bar(c.fieldLabel, c.levelLabel, c.weight))}
      <div style={{ textAlign: 'right', marginTop: 6 }}>
        合计 <b>{pair.weight.toFixed(1)}</b>（是同一人的概率约 {formatPercent(pair.probability)}）
      </div>
    </div>
  );
}

/** Decision shortcuts: S or 1 for the same person, D or 2 for different people. */
const VERDICT_KEYS: Record<string, 'same' | 'different'> = {
  s: 'same',
  S: 'same',
  '1': 'same',
  d: 'different',
  D: 'different',
  '2': 'different',
};

/** How long a pair must have been on screen before a decision counts. */
const LOOK_MS = 400;

export function ReviewPage() {
  const { refresh } = useStatus();
  const { message } = App.useApp();
  const [pairs, setPairs] = useState<ReviewPairView[]>([]);
  const [pending, setPending] = useState(0);
  const [index, setIndex] = useState(0);
  const [blind, setBlind] = useState(false);
  const [revealed, setRevealed] = useState(false);
  // The weights are there on demand; once opened they stay open from pair to pair.
  const [detailOpen, setDetailOpen] = useState(false);
  const decided = useRef(new Map<number, string>());
  const [person, setPerson] = useState<PersonKey | null>(null);

  const load = useCallback(async () => {
    const r = await call('review.list', { offset: 0, limit: 500 });
    setPairs(r.pairs);
    setPending(r.pending);
    setIndex(0);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const pair = pairs[index];
  // When the pair now on screen was first shown: a decision by key needs the clerk to have seen it (a key held down
  // or pressed twice must not decide the next pair unseen).
  const shownAt = useRef(0);
  useEffect(() => {
    shownAt.current = performance.now();
  }, [pair?.id]);
  const [last, setLast] = useState<{ pairIndex: number; recordA: number; recordB: number; verdict: string } | null>(
    null,
  );
  const move = useCallback(
    (delta: number) => {
      setIndex((i) => Math.max(0, Math.min(pairs.length, i + delta)));
      setRevealed(false);
    },
    [pairs.length],
  );
  const decide = useCallback(
    async (verdict: 'same' | 'different') => {
      // A pair shown less than 400 ms ago has not been looked at: a key held down, pressed twice, or a double click
      // must not decide the next pair unseen.
      if (!pair || performance.now() - shownAt.current < LOOK_MS) return;
      const at = index;
      move(1); // the next pair shows at once; the decision is saved in the background
      try {
        const r = await call('review.decide', { recordA: pair.a.recordId, recordB: pair.b.recordId, verdict });
        decided.current.set(pair.id, verdict);
        setLast({ pairIndex: at, recordA: r.recordA, recordB: r.recordB, verdict });
        setPending(r.pending);
        void refresh();
      } catch (e) {
        message.error(errorMessage(e));
      }
    },
    [pair, index, move, refresh, message],
  );
  const undo = useCallback(async () => {
    if (!last) return;
    try {
      const r = await call('review.undo', { recordA: last.recordA, recordB: last.recordB });
      decided.current.delete(pairs[last.pairIndex]?.id ?? -1);
      setPending(r.pending);
      setIndex(last.pairIndex);
      setRevealed(false);
      setLast(null);
      message.info('已撤销上一个判断，请重新判断这一对');
      void refresh();
    } catch (e) {
      message.error(errorMessage(e));
    }
  }, [last, pairs, refresh, message]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement) return;
      // With 一人一档 open the keys belong to it: no pair is decided or passed behind the drawer.
      if (person) return;
      if ((e.ctrlKey || e.metaKey) && (e.key === 'z' || e.key === 'Z')) {
        e.preventDefault();
        void undo();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const verdict = VERDICT_KEYS[e.key];
      if (verdict) {
        if (e.repeat) return; // a held key
        void decide(verdict);
      } else if (e.key === 'ArrowRight' || e.key === 'n' || e.key === 'N') move(1);
      else if (e.key === 'ArrowLeft' || e.key === 'b' || e.key === 'B') move(-1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [decide, move, undo, person]);

  /** Buttons never take focus from a mouse click, so a later Enter or Space cannot press them again on another pair. */
  const noFocus = (e: React.MouseEvent) => e.preventDefault();
  const undoBar = last ? (
    <Typography.Text type="secondary" data-testid="review-last">
      上一对已判断为“{last.verdict === 'same' ? '同一人' : '不同人'}”
      <Button type="link" size="small" onMouseDown={noFocus} onClick={undo} data-testid="review-undo">
        撤销（Ctrl+Z）
      </Button>
    </Typography.Text>
  ) : null;

  if (!pairs.length) return <Empty description="没有待复核的比对对" />;
  if (!pair) {
    return (
      <Card>
        <Empty description={`本批已看完。还剩 ${formatCount(pending)} 对待复核。重新比对后名单会按你的判断更新。`}>
          {undoBar}
          <Space>
            <Button onClick={() => move(-1)}>返回上一对</Button>
            <Button type="primary" onClick={load}>
              载入剩余
            </Button>
          </Space>
        </Empty>
      </Card>
    );
  }
  const already = decided.current.get(pair.id);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text strong data-testid="review-remaining">
          剩余 {formatCount(pending)} 对
        </Typography.Text>
        <Typography.Text type="secondary">
          第 {formatCount(index + 1)} / {formatCount(pairs.length)} 对（本批）
        </Typography.Text>
        <Tag color="gold">{pair.impactLabel}</Tag>
        {pair.siblingRisk ? <Tag color="red">疑似双胞胎或兄弟姐妹：同出生日期、同户或同村、姓名不同</Tag> : null}
        {already ? <Tag color="blue">已判断：{already === 'same' ? '同一人' : '不同人'}</Tag> : null}
        <span>盲审</span>
        <Switch checked={blind} onChange={setBlind} size="small" />
      </Space>
      {/* The decision buttons above the records: inside a 1366×768 window whatever the cards' height. */}
      <Space wrap>
        <Button type="primary" onMouseDown={noFocus} onClick={() => decide('same')} data-testid="decide-same">
          同一人（S）
        </Button>
        <Button danger onMouseDown={noFocus} onClick={() => decide('different')} data-testid="decide-different">
          不是同一人（D）
        </Button>
        <Button onMouseDown={noFocus} onClick={() => move(1)}>
          跳过（→）
        </Button>
        <Button onMouseDown={noFocus} onClick={() => move(-1)} disabled={index === 0}>
          上一对（←）
        </Button>
        {undoBar}
      </Space>
      <Row gutter={12} data-testid="review-pair">
        <Col span={12}>
          <RecordCard
            r={pair.a}
            other={pair.b}
            title="记录 A"
            side={pair.sides.a}
            testId="review-side-a"
            onPerson={(personId) => setPerson({ personId })}
          />
        </Col>
        <Col span={12}>
          <RecordCard
            r={pair.b}
            other={pair.a}
            title="记录 B"
            side={pair.sides.b}
            testId="review-side-b"
            onPerson={(personId) => setPerson({ personId })}
          />
        </Col>
      </Row>
      <Card size="small" title={`逐项比对：${pair.plainTally}`}>
        <PlainWords pair={pair} />
        <Collapse
          ghost
          size="small"
          activeKey={detailOpen ? ['detail'] : []}
          onChange={(keys) => setDetailOpen(keys.includes('detail'))}
          items={[
            {
              key: 'detail',
              label: '详细计算（各项权重与合计）',
              children:
                blind && !revealed ? (
                  <Button onClick={() => setRevealed(true)}>显示权重（盲审：先作判断更客观）</Button>
                ) : (
                  <WeightBars pair={pair} />
                ),
            },
          ]}
          data-testid="review-detail"
        />
      </Card>
      <PersonDrawer person={person} onClose={() => setPerson(null)} />
    </Space>
  );
}
