import { Alert, Form, Input, Modal } from 'antd';
import { useRef, useState } from 'react';

export interface PasswordAnswer {
  password: string;
  current?: string;
}

interface Question {
  title: string;
  /** The engine's words when the previous try failed (wrong password). */
  problem?: string;
  /** A new password: typed twice, with the warning about forgetting it. */
  isNew?: boolean;
  /** Changing a password: the current one is asked too. */
  askCurrent?: boolean;
}

const FORGET_WARNING =
  '请牢记密码：忘记密码将无法打开这个工作区，任何人（包括技术支持）都无法找回其中的数据。此前做的备份仍用原来的密码（或不加密）。';

/**
 * One modal for every password question (open an encrypted workspace, new workspace, encrypt, change). `ask`
 * resolves with what was typed, or null when the clerk cancels.
 */
export function usePasswordDialog() {
  const [question, setQuestion] = useState<Question | null>(null);
  const [form] = Form.useForm<{ password: string; again?: string; current?: string }>();
  const answer = useRef<(a: PasswordAnswer | null) => void>(() => undefined);

  const ask = (q: Question) =>
    new Promise<PasswordAnswer | null>((resolve) => {
      form.resetFields();
      answer.current = resolve;
      setQuestion(q);
    });
  // Each question is answered once: Enter in a field and a click on 确定 must not answer the next question too.
  const close = (a: PasswordAnswer | null) => {
    const resolve = answer.current;
    answer.current = () => undefined;
    setQuestion(null);
    resolve(a);
  };
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (v) close({ password: v.password, ...(question?.askCurrent ? { current: v.current } : {}) });
  };

  const dialog = (
    <Modal
      open={question !== null}
      title={question?.title}
      okText="确定"
      cancelText="取消"
      onOk={submit}
      onCancel={() => close(null)}
      destroyOnHidden
      data-testid="password-dialog"
    >
      {question?.problem ? (
        <Alert type="error" showIcon message={question.problem} style={{ marginBottom: 12 }} />
      ) : null}
      {question?.isNew ? <Alert type="warning" showIcon message={FORGET_WARNING} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical">
        {question?.askCurrent ? (
          <Form.Item name="current" label="当前密码" rules={[{ required: true, message: '请输入当前密码' }]}>
            <Input.Password autoFocus data-testid="password-current" />
          </Form.Item>
        ) : null}
        <Form.Item
          name="password"
          label={question?.isNew ? '新密码' : '密码'}
          rules={[{ required: true, message: '请输入密码' }]}
        >
          <Input.Password autoFocus={!question?.askCurrent} data-testid="password-input" onPressEnter={submit} />
        </Form.Item>
        {question?.isNew ? (
          <Form.Item
            name="again"
            label="再输入一次"
            dependencies={['password']}
            rules={[
              { required: true, message: '请再输入一次密码' },
              ({ getFieldValue }) => ({
                validator: (_, v) =>
                  v === getFieldValue('password')
                    ? Promise.resolve()
                    : Promise.reject(new Error('两次输入的密码不一致')),
              }),
            ]}
          >
            <Input.Password data-testid="password-again" onPressEnter={submit} />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
  return { ask, dialog };
}
