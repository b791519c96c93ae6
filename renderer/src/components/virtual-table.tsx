import { Checkbox, Spin } from 'antd';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react';

export type SortDir = 'asc' | 'desc';
export interface SortState {
  by: string;
  dir: SortDir;
}

export interface VirtualColumn<T> {
  title: string;
  width: number;
  render: (row: T) => ReactNode;
  /** The cell as plain text: its tooltip when cut, and what 复制 puts on the clipboard. */
  text: (row: T) => string;
  /** The engine's sort key; a column without one is not sortable. */
  sortKey?: string;
}

const ROW = 30;
const PAGE = 200;
const MIN_WIDTH = 50;
/** Below this the list scrolls inside the page area rather than shrinking further (a window made very small). */
const MIN_FILL = 240;

/**
 * The height that makes the body reach down to the bottom of the page area it sits in (less that area's padding and
 * the table's own horizontal scrollbar), so the list fills the window at 1920×1080 and still fits at 1366×768.
 * Measured after each render (an alert above may come and go) and when the window or the area is resized.
 */
function useFillHeight(body: RefObject<HTMLDivElement | null>, outer: RefObject<HTMLDivElement | null>, on: boolean) {
  const [fill, setFill] = useState(MIN_FILL);
  const measure = useCallback(() => {
    const el = body.current;
    if (!on || !el) return;
    const area = el.closest<HTMLElement>('[data-page-area]');
    const bottom = area
      ? area.getBoundingClientRect().bottom - parseFloat(getComputedStyle(area).paddingBottom || '0')
      : window.innerHeight;
    const scrollbar = outer.current ? outer.current.offsetHeight - outer.current.clientHeight : 0;
    // The area's own scroll offset is added back: the body's place in the page, not on screen, is what counts.
    const top = el.getBoundingClientRect().top + (area?.scrollTop ?? 0);
    const next = Math.max(MIN_FILL, Math.floor(bottom - top - scrollbar));
    setFill((h) => (Math.abs(h - next) > 1 ? next : h));
  }, [body, outer, on]);
  useLayoutEffect(measure);
  useEffect(() => {
    if (!on) return;
    const area = body.current?.closest<HTMLElement>('[data-page-area]');
    const observer = new ResizeObserver(measure);
    if (area) observer.observe(area);
    window.addEventListener('resize', measure);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [measure, on]);
  return fill;
}

/** Selected rows as tab-separated text with a header line: pasted into WPS or Excel it fills one cell per value. */
export function rowsAsTsv<T>(columns: VirtualColumn<T>[], rows: T[]): string {
  const clean = (s: string) => s.replace(/[\t\r\n]+/g, ' ');
  return [columns.map((c) => c.title), ...rows.map((r) => columns.map((c) => clean(c.text(r))))]
    .map((line) => line.join('\t'))
    .join('\n');
}

/**
 * A table for lists of any length: only the visible rows exist in the page, and rows are fetched from the engine a
 * page at a time as the clerk scrolls. A million rows scroll like a hundred. Sorting happens in the engine (the
 * header click only says which column); widths are dragged at the header's right edges; a cut cell shows its full
 * text on hover; a click on a row opens it; the boxes in the # column select rows for 复制.
 */
export function VirtualTable<T>({
  columns,
  total,
  fetchPage,
  height: heightProp = 520,
  resetKey,
  sort,
  onSort,
  onRowClick,
  selected,
  onSelect,
}: {
  columns: VirtualColumn<T>[];
  total: number;
  fetchPage: (offset: number, limit: number) => Promise<T[]>;
  /** Pixels, or 'fill': down to the bottom of the page area (the element marked data-page-area). */
  height?: number | 'fill';
  resetKey: string;
  sort?: SortState | null;
  onSort?: (sort: SortState | null) => void;
  onRowClick?: (row: T) => void;
  selected?: Map<number, T>;
  onSelect?: (selected: Map<number, T>) => void;
}) {
  const [scrollTop, setScrollTop] = useState(0);
  const pages = useRef(new Map<number, T[] | 'loading'>());
  const [, force] = useState(0);
  const [widths, setWidths] = useState<Record<string, number>>({});
  const box = useRef<HTMLDivElement>(null);
  const outer = useRef<HTMLDivElement>(null);
  const fill = useFillHeight(box, outer, heightProp === 'fill');
  const height = heightProp === 'fill' ? fill : heightProp;
  // A new filter or order drops the fetched pages in the same render (never a frame of the old rows), and pages
  // still on their way for the old one are ignored when they arrive.
  const shownKey = useRef(resetKey);
  if (shownKey.current !== resetKey) {
    shownKey.current = resetKey;
    pages.current = new Map();
  }
  useEffect(() => {
    setScrollTop(0);
    if (box.current) box.current.scrollTop = 0;
  }, [resetKey]);
  const first = Math.floor(scrollTop / ROW);
  const count = Math.ceil(height / ROW) + 10;
  const load = useCallback(
    (page: number) => {
      if (pages.current.has(page)) return;
      const of = pages.current;
      of.set(page, 'loading');
      void fetchPage(page * PAGE, PAGE).then((rows) => {
        of.set(page, rows);
        if (of === pages.current) force((x) => x + 1);
      });
    },
    [fetchPage],
  );
  const widthOf = (c: VirtualColumn<T>) => widths[c.title] ?? c.width;
  const startResize = (c: VirtualColumn<T>, e: React.MouseEvent) => {
    e.preventDefault();
    e.stopPropagation();
    const x0 = e.clientX;
    const w0 = widthOf(c);
    const move = (m: MouseEvent) => setWidths((w) => ({ ...w, [c.title]: Math.max(MIN_WIDTH, w0 + m.clientX - x0) }));
    const up = () => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  };
  const clickHeader = (c: VirtualColumn<T>) => {
    if (!c.sortKey || !onSort) return;
    // 升序 → 降序 → the list's own order, as in WPS's header menu.
    if (sort?.by !== c.sortKey) onSort({ by: c.sortKey, dir: 'asc' });
    else if (sort.dir === 'asc') onSort({ by: c.sortKey, dir: 'desc' });
    else onSort(null);
  };
  const toggle = (index: number, row: T) => {
    if (!selected || !onSelect) return;
    const next = new Map(selected);
    if (next.has(index)) next.delete(index);
    else next.set(index, row);
    onSelect(next);
  };
  const rows: { index: number; row: T | null }[] = [];
  for (let i = Math.max(0, first - 5); i < Math.min(total, first + count); i++) {
    const page = Math.floor(i / PAGE);
    const p = pages.current.get(page);
    if (p === undefined) load(page);
    rows.push({ index: i, row: Array.isArray(p) ? (p[i - page * PAGE] ?? null) : null });
  }
  const width = columns.reduce((a, c) => a + widthOf(c), 70);
  return (
    <div
      ref={outer}
      style={{ border: '1px solid #f0f0f0', borderRadius: 6, overflowX: 'auto' }}
      data-testid="virtual-table"
    >
      <div
        style={{
          display: 'flex',
          background: '#fafafa',
          fontWeight: 600,
          borderBottom: '1px solid #f0f0f0',
          minWidth: width,
          userSelect: 'none',
        }}
      >
        <div style={{ width: 70, padding: '6px 8px', flex: 'none' }}>#</div>
        {columns.map((c) => (
          <div
            key={c.title}
            role="columnheader"
            aria-sort={sort?.by === c.sortKey ? (sort?.dir === 'asc' ? 'ascending' : 'descending') : undefined}
            title={c.sortKey ? `点击按“${c.title}”排序` : undefined}
            onClick={() => clickHeader(c)}
            style={{
              width: widthOf(c),
              flex: 'none',
              padding: '6px 8px',
              position: 'relative',
              cursor: c.sortKey ? 'pointer' : 'default',
              whiteSpace: 'nowrap',
              overflow: 'hidden',
            }}
            data-testid={`column-${c.title}`}
          >
            {c.title}
            {sort?.by === c.sortKey && c.sortKey ? (sort?.dir === 'asc' ? ' ▲' : ' ▼') : ''}
            <span
              onMouseDown={(e) => startResize(c, e)}
              onClick={(e) => e.stopPropagation()}
              title="拖动调整列宽"
              style={{ position: 'absolute', right: 0, top: 0, bottom: 0, width: 6, cursor: 'col-resize' }}
              data-testid={`resize-${c.title}`}
            />
          </div>
        ))}
      </div>
      <div
        ref={box}
        style={{ height, overflowY: 'auto', position: 'relative', minWidth: width }}
        onScroll={(e) => setScrollTop((e.target as HTMLDivElement).scrollTop)}
        className="virtual-table-body"
      >
        <div style={{ height: total * ROW, position: 'relative' }}>
          {rows.map(({ index, row }) => (
            <div
              key={index}
              onClick={() => row && onRowClick?.(row)}
              data-testid="virtual-row"
              style={{
                position: 'absolute',
                top: index * ROW,
                height: ROW,
                display: 'flex',
                alignItems: 'center',
                borderBottom: '1px solid #f5f5f5',
                width: '100%',
                cursor: onRowClick ? 'pointer' : 'default',
                background: selected?.has(index) ? '#e6f4ff' : undefined,
              }}
            >
              <div
                style={{ width: 70, padding: '0 8px', color: '#999', flex: 'none' }}
                onClick={(e) => onSelect && e.stopPropagation()}
              >
                {onSelect && row ? (
                  <Checkbox
                    checked={selected?.has(index)}
                    onChange={() => toggle(index, row)}
                    style={{ marginRight: 4 }}
                  />
                ) : null}
                {index + 1}
              </div>
              {row ? (
                columns.map((c) => (
                  <div
                    key={c.title}
                    title={c.text(row) || undefined}
                    style={{
                      width: widthOf(c),
                      flex: 'none',
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
