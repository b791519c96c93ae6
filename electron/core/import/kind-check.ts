import { basename } from 'node:path';
import type { RollKind } from '../../../shared/domain/types';
import {
  contradicts,
  kindMismatchMessage,
  suggestRollKind,
  type KindClues,
  type KindSuggestion,
} from '../../../shared/headers/roll-kind-evidence';
import { CanbaoError } from '../errors';
import { openSource } from './open-source';
import type { CsvEncoding } from './read-csv';
import { chooseHeader, HEADER_SEARCH_ROWS } from './sheet-layout';
import { cellText, type SourceRow } from './source';

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
 * Reads only the top of the first sheet (streaming readers stop there), so the check costs a fraction of a second
 * even on a county-sized file.
 */
export async function suggestKindOfFile(
  path: string,
  opts: { encoding?: CsvEncoding; headerRow?: number } = {},
): Promise<KindSuggestion | null> {
  const book = openSource(path, opts.encoding);
  for await (const sheet of book.sheets) {
    const rows: SourceRow[] = [];
    for await (const row of sheet.rows) {
      rows.push(row);
      if (rows.length >= HEADER_SEARCH_ROWS) break;
    }
    return suggestRollKind(cluesFromRows(basename(path), sheet.name ? [sheet.name] : [], rows, opts.headerRow));
  }
  return null;
}

/** Refuses a chosen kind that the file's own words contradict (kindMismatch), unless the clerk confirmed it. */
export async function refuseContradictingKind(
  path: string,
  kind: RollKind,
  opts: { encoding?: CsvEncoding; headerRow?: number },
): Promise<void> {
  let suggestion: KindSuggestion | null;
  try {
    suggestion = await suggestKindOfFile(path, opts);
  } catch {
    // An unreadable file is refused by the import itself, in its own words.
    return;
  }
  if (contradicts(suggestion, kind))
    throw new CanbaoError('kindMismatch', kindMismatchMessage(basename(path), kind, suggestion!));
}
