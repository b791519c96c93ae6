import { Button, Card, Col, Input, InputNumber, Row, Select, Space, Switch, Tag, Typography } from 'antd';
import {
  CONTINUITY_INFO,
  CONTINUITY_KEYS,
  CONTINUITY_PART_LABEL,
  INCENTIVE_FROM_2021,
  INCENTIVE_FROM_2025,
  READING_A_XIAMEN,
  READING_B_LITERAL,
  STANDING_LABEL,
  type ContinuityKey,
  type ContinuityPart,
  type ContinuitySettings,
} from '../../../shared/domain/continuity-settings';

const STANDING_COLOR = { national: 'green', regional: 'blue', unverified: 'orange' } as const;
const PARTS: ContinuityPart[] = ['waiting', 'window', 'exempt', 'incentive'];

interface Props {
  rules: ContinuitySettings;
  /** A change of one or more settings, saved with the other settings by 保存. */
  onChange: (patch: Partial<ContinuitySettings>) => void;
}

interface GroupProps extends Props {
  /** Saves every setting of the workspace, as 设置's own 保存 does. */
  onSave: () => void;
}

/** One control per setting, by the kind of its value; bounds as in shared/domain/continuity-settings.ts. */
function Control({ k, rules, onChange }: { k: ContinuityKey } & Props) {
  const info = CONTINUITY_INFO[k];
  const value = rules[k];
  const testId = `continuity-${k}`;
  if (typeof value === 'boolean')
    return <Switch size="small" checked={value} onChange={(v) => onChange({ [k]: v })} data-testid={testId} />;
  if (typeof value === 'number')
    return (
      <InputNumber
        size="small"
        style={{ width: info.unit === '元' ? 150 : 110 }}
        min={info.min}
        max={info.max}
        step={info.step}
        value={value}
        onChange={(v) => v !== null && onChange({ [k]: v })}
        addonAfter={info.unit}
        data-testid={testId}
      />
    );
  if (Array.isArray(value))
    return (
      <Select
        size="small"
        mode="multiple"
        style={{ width: '100%' }}
        value={value}
        onChange={(v) => onChange({ [k]: v })}
        options={Object.entries(info.options ?? {}).map(([v, label]) => ({ value: v, label }))}
        data-testid={testId}
      />
    );
  if (info.options)
    return (
      <Select
        size="small"
        style={{ width: '100%', maxWidth: 360 }}
        value={value}
        onChange={(v) => onChange({ [k]: v })}
        options={Object.entries(info.options).map(([v, label]) => ({ value: v, label }))}
        data-testid={testId}
      />
    );
  return (
    <Input
      size="small"
      style={{ width: 90 }}
      value={value}
      placeholder="月-日"
      allowClear={k === 'extensionEnd'}
      onChange={(e) => onChange({ [k]: e.target.value })}
      data-testid={testId}
    />
  );
}

/**
 * 连续参保与待遇等待期 (DOMAIN-RULES §1, §6 Q1–Q10): each setting with what it means and its source, since these
 * are the points where provinces differ and a cadre must be able to say why a person waits.
 */
export function ContinuitySettingsGroup({ rules, onChange, onSave }: GroupProps) {
  return (
    <Card
      title="连续参保与待遇等待期（地区口径）"
      size="small"
      data-testid="settings-continuity"
      extra={
        <Button onClick={onSave} data-testid="continuity-save">
          保存
        </Button>
      }
    >
      <Space wrap size={8} style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary">按本省文件设置，方括号内为出处。快速选择：</Typography.Text>
        <Button size="small" onClick={() => onChange(READING_A_XIAMEN)} data-testid="continuity-preset-a">
          厦门口径
        </Button>
        <Button size="small" onClick={() => onChange(READING_B_LITERAL)} data-testid="continuity-preset-b">
          文件字面口径
        </Button>
        <Button size="small" onClick={() => onChange(INCENTIVE_FROM_2021)} data-testid="continuity-preset-2021">
          激励从2021年算
        </Button>
        <Button size="small" onClick={() => onChange(INCENTIVE_FROM_2025)} data-testid="continuity-preset-2025">
          激励从2025年算
        </Button>
      </Space>
      {PARTS.map((part) => (
        <div key={part} style={{ marginTop: 4 }}>
          <Typography.Text type="secondary">{CONTINUITY_PART_LABEL[part]}</Typography.Text>
          <Row gutter={[16, 8]} style={{ marginTop: 4 }}>
            {CONTINUITY_KEYS.filter((k) => CONTINUITY_INFO[k].part === part).map((k) => {
              const info = CONTINUITY_INFO[k];
              return (
                <Col key={k} xs={24} lg={12} data-testid="continuity-setting" data-key={k}>
                  <Space size={6} wrap style={{ width: '100%' }}>
                    <span>{info.label}</span>
                    <Tag color={STANDING_COLOR[info.standing]} style={{ marginInlineEnd: 0 }}>
                      {STANDING_LABEL[info.standing]}
                    </Tag>
                  </Space>
                  <div style={{ marginTop: 2 }}>
                    <Control k={k} rules={rules} onChange={onChange} />
                  </div>
                  <Typography.Text
                    type="secondary"
                    style={{ display: 'block', fontSize: 12, overflowWrap: 'anywhere' }}
                    data-testid="continuity-explain"
                  >
                    {info.explain}
                  </Typography.Text>
                </Col>
              );
            })}
          </Row>
        </div>
      ))}
    </Card>
  );
}
