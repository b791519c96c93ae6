import { Button, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { call, errorMessage } from '../api';
import { useStatus } from '../state';

/**
 * Asked once, on the first start with no clerk's name: every log entry carries it, and an auditor must be able to
 * tell who acted. Remembered beside the recent list; the header field changes it later.
 */
export function ClerkNameDialog() {
  const { status, refresh } = useStatus();
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const save = async () => {
    try {
      await call('settings.actor', { name });
      setProblem(null);
      await refresh();
    } catch (e) {
      setProblem(errorMessage(e));
    }
  };
  return (
    <Modal
      open={status !== null && !status.actorNamed}
      title="请填写您的姓名"
      closable={false}
      maskClosable={false}
      keyboard={false}
      destroyOnHidden
      footer={
        <Button type="primary" disabled={!name.trim()} onClick={() => void save()} data-testid="clerk-name-save">
          确定
        </Button>
      }
      data-testid="clerk-name-dialog"
    >
      <Typography.Paragraph>
        操作日志会记下每项操作是哪位经办人做的。姓名只需填写一次，以后可在页面右上角修改。
      </Typography.Paragraph>
      <Input
        autoFocus
        placeholder="经办人姓名，例如 王芳"
        value={name}
        maxLength={40}
        onChange={(e) => setName(e.target.value)}
        onPressEnter={() => name.trim() && void save()}
        data-testid="clerk-name-input"
      />
      {problem ? <Typography.Text type="danger">{problem}</Typography.Text> : null}
    </Modal>
  );
}
