import { cellText, type SourceRow } from './source';

/** A merged range: 1-based rows as Excel shows them, 0-based columns as in SourceRow.cells. */
export interface MergedRange {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** 'B3:C7' (or 'B3') → the range; null for anything else. */
export function parseRangeRef(ref: string): MergedRange | null {
  const m = ref.trim().match(/^\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$/i);
  if (!m) return null;
  const col = (letters: string) => [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  const top = +m[2]!,
    left = col(m[1]!);
  const bottom = m[4] ? +m[4] : top,
    right = m[3] ? col(m[3]) : left;
  return { top: Math.min(top, bottom), bottom: Math.max(top, bottom), left: Math.min(left, right), right };
}

/**
 * Fills vertically merged cells down: a spreadsheet holds the value of a merge (乡镇 or 村 over a whole village's
 * rows) only in its top cell and leaves the others empty, while the clerk sees it on every row. Each filled cell is
 * marked in `filledFrom` (column → the merge's top row) so the record can say where its value came from. Only the
 * merge's first column is filled: the other columns of a wide merge are the same cell seen twice.
 */
export async function* fillMergedDown(
  rows: AsyncIterable<SourceRow>,
  merges: readonly MergedRange[],
): AsyncIterable<SourceRow> {
  const vertical = merges.filter((m) => m.bottom > m.top);
  if (vertical.length === 0) {
    yield* rows;
    return;
  }
  const byTop = new Map<number, MergedRange[]>();
  for (const m of vertical) byTop.set(m.top, [...(byTop.get(m.top) ?? []), m]);
  /** Merges under way: column → { value, top row, last row }. */
  const open = new Map<number, { value: SourceRow['cells'][number]; top: number; bottom: number }>();
  for await (const row of rows) {
    for (const [col, m] of open) if (row.rowNumber > m.bottom) open.delete(col);
    let out = row;
    for (const [col, m] of open) {
      if (row.rowNumber <= m.top || cellText(row.cells[col]) !== '') continue;
      if (out === row) out = { ...row, cells: [...row.cells], filledFrom: new Map(row.filledFrom ?? []) };
      while (out.cells.length <= col) out.cells.push(null);
      out.cells[col] = m.value;
      (out.filledFrom as Map<number, number>).set(col, m.top);
      if (typeof m.value === 'number') out.numeric = new Set([...(row.numeric ?? []), col]);
    }
    for (const m of byTop.get(row.rowNumber) ?? []) {
      const value = row.cells[m.left] ?? null;
      if (cellText(value) !== '') open.set(m.left, { value, top: m.top, bottom: m.bottom });
    }
    yield out;
  }
}
