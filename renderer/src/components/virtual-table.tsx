import { Spin } from 'antd';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';

export interface VirtualColumn<T> {
  title: string;
  width: number;
  render: (row: T) => ReactNode;
}

const ROW = 30;
const PAGE = 200;

/**
 * A table for lists of any length: only the visible rows exist in the page, and rows are fetched from the engine a
 * page at a time as the clerk scrolls. A million rows scroll like a hundred.
 */
export function VirtualTable<T>({
  columns,
  total,
  fetchPage,
  height = 520,
  resetKey,
}: {
  columns: VirtualColumn<T>[];
  total: number;
  fetchPage: (offset: number, limit: number) => Promise<T[]>;
  height?: number;
  resetKey: string;
}) {
  const [scrollTop, setScrollTop] = useState(0);
  const pages = useRef(new Map<number, T[] | 'loading'>());
  const [, force] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    pages.current.clear();
    setScrollTop(0);
    if (box.current) box.current.scrollTop = 0;
    force((x) => x + 1);
  }, [resetKey]);
  const first = Math.floor(scrollTop / ROW);
  const count = Math.ceil(height / ROW) + 10;
  const load = useCallback(
    (page: number) => {
      if (pages.current.has(page)) return;
      pages.current.set(page, 'loading');
      void fetchPage(page * PAGE, PAGE).then((rows) => {
        pages.current.set(page, rows);
        force((x) => x + 1);
      });
    },
    [fetchPage],
  );
  const rows: { index: number; row: T | null }[] = [];
  for (let i = Math.max(0, first - 5); i < Math.min(total, first + count); i++) {
    const page = Math.floor(i / PAGE);
    const p = pages.current.get(page);
    if (p === undefined) load(page);
    rows.push({ index: i, row: Array.isArray(p) ? (p[i - page * PAGE] ?? null) : null });
  }
  const width = columns.reduce((a, c) => a + c.width, 60);
  return (
    <div style={{ border: '1px solid #f0f0f0', borderRadius: 6, overflowX: 'auto' }} data-testid="virtual-table">
      <div
        style={{
          display: 'flex',
          background: '#fafafa',
          fontWeight: 600,
          borderBottom: '1px solid #f0f0f0',
          minWidth: width,
        }}
      >
        <div style={{ width: 60, padding: '6px 8px' }}>#</div>
        {columns.map((c) => (
          <div key={c.title} style={{ width: c.width, padding: '6px 8px' }}>
            {c.title}
          </div>
        ))}
      </div>
      <div
        ref={box}
        style={{ height, overflowY: 'auto', position: 'relative', minWidth: width }}
        onScroll={(e) => setScrollTop((e.target as HTMLDivElement).scrollTop)}
      >
        <div style={{ height: total * ROW, position: 'relative' }}>
          {rows.map(({ index, row }) => (
            <div
              key={index}
              style={{
                position: 'absolute',
                top: index * ROW,
                height: ROW,
                display: 'flex',
                alignItems: 'center',
                borderBottom: '1px solid #f5f5f5',
                width: '100%',
              }}
            >
              <div style={{ width: 60, padding: '0 8px', color: '#999' }}>{index + 1}</div>
              {row ? (
                columns.map((c) => (
                  <div
                    key={c.title}
                    style={{
                      width: c.width,
                      padding: '0 8px',
                      whiteSpace: 'nowrap',
                      overflow: 'hidden',
                      textOverflow: 'ellipsis',
                    }}
                  >
                    {c.render(row)}
                  </div>
                ))
              ) : (
                <Spin size="small" />
              )}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
