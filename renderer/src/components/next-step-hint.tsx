import { Alert, Button } from 'antd';
import type { StatusResponse } from '../../../shared/ipc/contract';

type Page = 'import' | 'match';

/** What an empty page needs first, in the clerk's words, with a button that goes there. */
export function nextStepHint(page: string, s: StatusResponse): { text: string; go: Page; label: string } | null {
  if (!s.path) return null;
  if (s.records === 0 && ['match', 'review', 'results', 'find', 'export'].includes(page))
    return {
      text: '还没有导入名册：请先到“导入”页导入户籍人口底册和各类参保名册，再来这里。',
      go: 'import',
      label: '去导入',
    };
  if (!s.matched && ['review', 'results', 'export'].includes(page))
    return {
      text: '名册已导入，但还没有比对：请先到“比对”页点“开始比对”，名单和待复核的比对对才会出来。',
      go: 'match',
      label: '去比对',
    };
  return null;
}

export function NextStepHint({
  page,
  status,
  onGo,
}: {
  page: string;
  status: StatusResponse;
  onGo: (p: Page) => void;
}) {
  const hint = nextStepHint(page, status);
  if (!hint) return null;
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid="next-step-hint"
      message={hint.text}
      action={
        <Button size="small" type="primary" onClick={() => onGo(hint.go)}>
          {hint.label}
        </Button>
      }
    />
  );
}
