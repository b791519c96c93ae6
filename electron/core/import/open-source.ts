import { extname, basename } from 'node:path';
import { CanbaoError } from '../errors';
import { detectEncoding, readCsv, type CsvEncoding } from './read-csv';
import { readXls } from './read-xls';
import { readXlsx } from './read-xlsx';
import type { SourceBook } from './source';

/** Opens a roll file by its extension: .xlsx, .xls, .csv/.txt. */
export function openSource(path: string, encoding?: CsvEncoding): SourceBook {
  const ext = extname(path).toLowerCase();
  switch (ext) {
    case '.xlsx':
    case '.xlsm':
      return { format: 'xlsx', encoding: null, sheets: readXlsx(path) };
    case '.xls':
      return { format: 'xls', encoding: null, sheets: readXls(path) };
    case '.csv':
    case '.txt': {
      const enc = encoding ?? detectEncoding(path);
      return { format: 'csv', encoding: enc, sheets: readCsv(path, enc) };
    }
    default:
      throw new CanbaoError(
        'unsupportedFile',
        `不支持的文件类型“${ext || '无扩展名'}”，请使用 .xlsx、.xls、.csv 或 .txt`,
        { file: basename(path) },
      );
  }
}
