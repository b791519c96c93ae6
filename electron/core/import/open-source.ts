import { statSync } from 'node:fs';
import { extname, basename } from 'node:path';
import { CanbaoError } from '../errors';
import { detectEncoding, readCsv, type CsvEncoding } from './read-csv';
import { readXls } from './read-xls';
import { readXlsx } from './read-xlsx';
import { sniffContent } from './sniff';
import { ReadMeter, type SourceBook } from './source';

/**
 * Opens a roll file: .xlsx, .xls, .csv/.txt by name, read as what its bytes hold (sniff.ts): a CSV or an HTML table
 * saved as .xls, an .xls saved as .xlsx, and an encrypted workbook are each read (or refused) for what they are.
 */
export function openSource(path: string, encoding?: CsvEncoding): SourceBook {
  const ext = extname(path).toLowerCase();
  if (!['.xlsx', '.xlsm', '.xls', '.csv', '.txt'].includes(ext)) {
    throw new CanbaoError(
      'unsupportedFile',
      `不支持的文件类型“${ext || '无扩展名'}”，请使用 .xlsx、.xls、.csv 或 .txt`,
      {
        file: basename(path),
      },
    );
  }
  // An empty file has nothing to guess a format from: said as what it is, not as "no header found".
  if (statSync(path).size === 0)
    throw new CanbaoError(
      'fileUnreadable',
      '文件是空的（0 字节），没有可导入的内容。请检查是否选错了文件，或在 Excel/WPS 中重新保存后再导入',
      { file: basename(path) },
    );
  const content = sniffContent(path);
  const meter = new ReadMeter();
  if (content === 'zip') return { format: 'xlsx', encoding: null, sheets: readXlsx(path, meter), meter };
  if (content === 'ole') return { format: 'xls', encoding: null, sheets: readXls(path, 'ole', meter), meter };
  if (content === 'markup' && (ext === '.xls' || ext === '.xlsx' || ext === '.xlsm'))
    return { format: 'xls', encoding: null, sheets: readXls(path, 'markup', meter), meter };
  const enc = encoding ?? detectEncoding(path);
  return { format: 'csv', encoding: enc, sheets: readCsv(path, enc, meter), meter };
}
