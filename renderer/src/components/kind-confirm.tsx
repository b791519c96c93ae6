import type { App } from 'antd';
import { ROLL_KIND_LABEL, type RollKind } from '../../../shared/domain/types';
import { describeEvidence, FAMILY_LABEL, type KindSuggestion } from '../../../shared/headers/roll-kind-evidence';

type Modal = ReturnType<typeof App.useApp>['modal'];

/**
 * Asks before importing a file as a kind its own words contradict. Resolves true only on 仍按此类型导入. The evidence
 * comes from the preview's suggestion, or, when the engine refused first, from its message (the same sentences).
 */
export function confirmKind(
  modal: Modal,
  file: string,
  chosen: RollKind,
  why: { suggestion: KindSuggestion } | { message: string },
): Promise<boolean> {
  return new Promise((resolve) => {
    modal.confirm({
      title: '名册类型与文件内容不符',
      width: 520,
      content: (
        <div data-testid="kind-confirm">
          {'suggestion' in why ? (
            <>
              <p>
                “{file}”看起来是{FAMILY_LABEL[why.suggestion.family]}名册，你选择的是{ROLL_KIND_LABEL[chosen]}：
              </p>
              <ul style={{ paddingLeft: 20 }}>
                {why.suggestion.evidence.slice(0, 4).map((e) => (
                  <li key={`${e.source}${e.text}`}>{describeEvidence(e)}</li>
                ))}
              </ul>
            </>
          ) : (
            <p>{why.message}</p>
          )}
          <p>按错的类型导入，未参保和重复参保名单都会算错。请确认名册类型。</p>
        </div>
      ),
      okText: '仍按此类型导入',
      cancelText: '返回修改',
      okButtonProps: { danger: true, 'data-testid': 'kind-confirm-ok' },
      cancelButtonProps: { 'data-testid': 'kind-confirm-cancel' },
      onOk: () => resolve(true),
      onCancel: () => resolve(false),
    });
  });
}
