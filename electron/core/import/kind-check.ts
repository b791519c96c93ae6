import type { RollKind } from '../../../shared/domain/types';
import {
  contradicts,
  kindMismatchMessage,
  suggestRollKind,
  type KindClues,
} from '../../../shared/headers/roll-kind-evidence';
import { CanbaoError } from '../errors';
import { chooseHeader, HEADER_SEARCH_ROWS } from './sheet-layout';
import { cellText, type SourceRow, type SourceSheet } from './source';

/** The clues of a file's first sheet: its name, the rows above the header and the header itself. */
export function cluesFromRows(
  fileName: string,
  sheetNames: readonly string[],
  rows: readonly SourceRow[],
  headerRow?: number,
): KindClues {
  const header =
    headerRow !== undefined
      ? rows.find((r) => r.rowNumber === headerRow)
      : (() => {
          const h = chooseHeader(rows.slice(0, HEADER_SEARCH_ROWS));
          return h ? rows.find((r) => r.rowNumber === h.rowNumber) : undefined;
        })();
  const above = header ? rows.filter((r) => r.rowNumber < header.rowNumber) : rows.slice(0, 5);
  return {
    fileName,
    sheetNames,
    titleLines: above.map((r) => r.cells.map(cellText).filter(Boolean).join(' ')).filter(Boolean),
    header: header?.cells.map(cellText) ?? [],
  };
}

/**
 * The first imported sheet with its kind checked on the way: its top rows are read, the clues weighed, and a chosen
 * kind the file's own words contradict is refused (kindMismatch) before any row is written. The rows then flow on
 * from the same stream, so the check reads nothing twice, whatever the file's size or format.
 */
export function kindCheckedSheet(
  sheet: SourceSheet,
  fileName: string,
  kind: RollKind,
  headerRow: number | undefined,
): SourceSheet {
  async function* rows(): AsyncGenerator<SourceRow> {
    const it = sheet.rows[Symbol.asyncIterator]();
    try {
      const head: SourceRow[] = [];
      let done = false;
      while (head.length < HEADER_SEARCH_ROWS) {
        const next = await it.next();
        if (next.done) {
          done = true;
          break;
        }
        head.push(next.value);
      }
      const suggestion = suggestRollKind(cluesFromRows(fileName, sheet.name ? [sheet.name] : [], head, headerRow));
      if (contradicts(suggestion, kind))
        throw new CanbaoError('kindMismatch', kindMismatchMessage(fileName, kind, suggestion!));
      yield* head;
      if (done) return;
      for (;;) {
        const next = await it.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      // stopped early (a refusal, a cancel): the reader closes its file
      await it.return?.();
    }
  }
  return { name: sheet.name, rows: rows() };
}
