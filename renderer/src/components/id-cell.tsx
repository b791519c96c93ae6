import { Button, Space } from 'antd';
import { useState } from 'react';
import { call } from '../api';

/** A masked ID with an explicit reveal; every reveal is written to the audit log by the engine. */
export function IdCell({ masked, recordId }: { masked: string; recordId: number | null }) {
  const [full, setFull] = useState<string | null>(null);
  if (full) return <span style={{ fontFamily: 'monospace' }}>{full}</span>;
  return (
    <Space size={4}>
      <span style={{ fontFamily: 'monospace' }}>{masked}</span>
      {recordId && masked ? (
        <Button
          type="link"
          size="small"
          style={{ padding: 0 }}
          onClick={async () => setFull((await call('id.reveal', { recordId })).id)}
        >
          显示
        </Button>
      ) : null}
    </Space>
  );
}
