import { Button, Result } from 'antd';
import { Component, type ReactNode } from 'react';

/**
 * The last guard of the screen: a page that fails while drawing shows one Chinese sentence and a way back, never a
 * blank window or the program's English text (which goes to the developer console only).
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    console.error(error);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <Result
        status="error"
        title="程序内部错误，这个页面无法显示"
        subTitle="工作区中的数据没有受影响。请点“重新载入”；如仍出错，请记下刚才的操作步骤，告知信息管理员。"
        extra={
          <Button type="primary" onClick={() => location.reload()} data-testid="error-reload">
            重新载入
          </Button>
        }
        data-testid="error-boundary"
      />
    );
  }
}
