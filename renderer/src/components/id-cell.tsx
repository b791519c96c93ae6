import { Button, Input, Modal, Radio, Space, message } from 'antd';
import { useState } from 'react';
import { call, errorMessage } from '../api';

const REASONS = ['核对身份', '群众来电', '乡镇核实', '其他'] as const;
/** Asked once per session: a clerk on a call reveals several numbers for one reason; the log keeps it each time. */
let sessionReason: string | null = null;

function askReason(): Promise<string | null> {
  let choice: string = REASONS[0];
  let other = '';
  return new Promise((resolve) => {
    // 其他 needs a written reason: the log must say why, never "其他" alone.
    const sync = () => modal.update({ okButtonProps: { disabled: choice === '其他' && !other.trim() } });
    const modal = Modal.confirm({
      title: '查看完整身份证号的原因',
      content: (
        <Space direction="vertical" data-testid="reveal-reason">
          <Radio.Group
            defaultValue={choice}
            onChange={(e) => {
              choice = String(e.target.value);
              sync();
            }}
          >
            {REASONS.map((r) => (
              <Radio key={r} value={r}>
                {r}
              </Radio>
            ))}
          </Radio.Group>
          <Input
            placeholder="选“其他”时请写明原因"
            maxLength={50}
            onChange={(e) => {
              other = e.target.value;
              sync();
            }}
          />
          <span style={{ color: '#888' }}>本次使用期间不再询问；每次查看都记入操作日志。</span>
        </Space>
      ),
      okText: '查看',
      cancelText: '取消',
      onOk: () => resolve(choice === '其他' ? `其他：${other.trim()}` : choice),
      onCancel: () => resolve(null),
    });
  });
}

/** A masked ID with an explicit reveal; every reveal (with its reason) is written to the audit log by the engine. */
export function IdCell({ masked, recordId }: { masked: string; recordId: number | null }) {
  const [full, setFull] = useState<string | null>(null);
  if (full) return <span style={{ fontFamily: 'monospace' }}>{full}</span>;
  const reveal = async (id: number) => {
    const reason = sessionReason ?? (await askReason());
    if (!reason) return;
    sessionReason = reason;
    try {
      setFull((await call('id.reveal', { recordId: id, reason })).id);
    } catch (e) {
      void message.warning(errorMessage(e));
    }
  };
  return (
    <Space size={4}>
      <span style={{ fontFamily: 'monospace' }}>{masked}</span>
      {recordId && masked ? (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => void reveal(recordId)}>
          显示
        </Button>
      ) : null}
    </Space>
  );
}
