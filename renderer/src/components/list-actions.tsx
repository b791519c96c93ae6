import { Button, Space, message } from 'antd';
import { useState } from 'react';
import type { Request } from '../../../shared/ipc/contract';
import { formatCount } from '../../../shared/text/clerk-format';
import { api, call, errorMessage } from '../api';
import { rowsAsTsv, type VirtualColumn } from './virtual-table';

/**
 * Printing shows only the list being looked at (its toolbar and the app around it are left out): the rows on
 * screen, as the table is virtual. Injected once, by the first list that can print.
 */
const PRINT_CSS = `@media print {
  body * { visibility: hidden !important; }
  .print-area, .print-area * { visibility: visible !important; }
  .print-area { position: absolute; left: 0; top: 0; width: 100%; }
  .no-print { display: none !important; }
}`;
function ensurePrintStyle(): void {
  if (document.getElementById('canbao-print-style')) return;
  const style = document.createElement('style');
  style.id = 'canbao-print-style';
  style.textContent = PRINT_CSS;
  document.head.appendChild(style);
}

/** Text onto the clipboard; the old way where the browser refuses the new one. */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
}

export function printList(): void {
  ensurePrintStyle();
  window.print();
}

/** 导出当前列表: the list as shown (its filter and order) to one .xlsx beside the workspace, with 打开文件夹. */
export function ExportListButton({ filters }: { filters: Omit<Request<'results.export'>, 'dir'> }) {
  const [exporting, setExporting] = useState(false);
  const exportList = async () => {
    setExporting(true);
    try {
      const r = await call('results.export', filters);
      void message.success({
        content: (
          <span data-testid="list-exported">
            已导出 {formatCount(r.rows)} 行{filters.list === 'rates' ? '' : '（身份证号已脱敏）'}：{r.file}{' '}
            <Button size="small" type="link" onClick={() => void api.openFolder(r.file.replace(/[\\/][^\\/]*$/, ''))}>
              打开文件夹
            </Button>
          </span>
        ),
        duration: 8,
      });
    } catch (e) {
      void message.warning(errorMessage(e));
    } finally {
      setExporting(false);
    }
  };
  return (
    <Button size="small" loading={exporting} onClick={() => void exportList()} data-testid="list-export">
      导出当前列表
    </Button>
  );
}

/** 复制 / 导出当前列表 / 打印 of a result list. */
export function ListActions<T>({
  columns,
  selected,
  onClear,
  filters,
}: {
  columns: VirtualColumn<T>[];
  selected: Map<number, T>;
  onClear: () => void;
  filters: Omit<Request<'results.export'>, 'dir'>;
}) {
  const copy = async () => {
    const rows = [...selected].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
    await copyText(rowsAsTsv(columns, rows));
    void message.success(`已复制 ${formatCount(rows.length)} 行，可直接粘贴到 WPS 或 Excel`);
  };
  return (
    <Space size={4}>
      <Button size="small" disabled={!selected.size} onClick={() => void copy()} data-testid="list-copy">
        复制{selected.size ? `（${formatCount(selected.size)} 行）` : ''}
      </Button>
      {selected.size ? (
        <Button size="small" type="link" onClick={onClear}>
          取消选择
        </Button>
      ) : null}
      <ExportListButton filters={filters} />
      <Button size="small" onClick={printList} data-testid="list-print">
        打印
      </Button>
    </Space>
  );
}
