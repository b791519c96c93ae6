import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { basename } from 'node:path';
import { IMPORT_LIMITS, limitExceeded } from './limits';
import { ReadMeter, unwrapFormulaText, type SourceRow, type SourceSheet } from './source';

export type CsvEncoding = 'utf8' | 'gb18030' | 'utf16le' | 'utf16be';

const PROBE_BYTES = 1 << 20;

function readPrefix(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/**
 * UTF-16 byte-order mark → UTF-16 (Excel's "Unicode 文本 (*.txt)" is UTF-16LE with a BOM, tab-separated);
 * UTF-8 BOM → UTF-8; a strict UTF-8 decode of the first megabyte succeeds → UTF-8; otherwise GB18030
 * (a superset of GBK and GB2312: GBK would lose rare name characters). Statistical detectors are unreliable
 * on short Chinese samples. UTF-16 without a BOM is told by its NUL bytes, which no UTF-8 or GB18030 text has.
 */
export function detectEncoding(path: string): CsvEncoding {
  const head = readPrefix(path, PROBE_BYTES);
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf16be';
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf8';
  const utf16 = utf16WithoutBom(head.subarray(0, 4096));
  if (utf16) return utf16;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf8';
  } catch {
    return 'gb18030';
  }
}

/** ASCII in UTF-16 puts a NUL in every other byte: odd positions for little-endian, even for big-endian. */
function utf16WithoutBom(head: Buffer): CsvEncoding | null {
  let even = 0,
    odd = 0;
  for (let i = 0; i < head.length; i++) {
    if (head[i] !== 0) continue;
    if (i % 2 === 0) even++;
    else odd++;
  }
  const pairs = Math.floor(head.length / 2);
  if (pairs < 2) return null;
  if (odd > pairs * 0.2 && odd > even * 4) return 'utf16le';
  if (even > pairs * 0.2 && even > odd * 4) return 'utf16be';
  return null;
}

/** Tab-separated .txt exports are common from older systems; commas otherwise. Judged on the first lines. */
function detectDelimiter(path: string, encoding: CsvEncoding): string {
  const text = iconv.decode(readPrefix(path, 64 * 1024), encoding);
  const lines = text.split(/\r\n|\n|\r/).slice(0, 20);
  let tabs = 0,
    commas = 0;
  for (const l of lines) {
    tabs += l.split('\t').length - 1;
    commas += l.split(',').length - 1;
  }
  return tabs > commas ? '\t' : ',';
}

export async function* readCsv(
  path: string,
  encoding: CsvEncoding,
  meter = new ReadMeter(),
): AsyncIterable<SourceSheet> {
  const delimiter = detectDelimiter(path, encoding);
  yield { name: '', rows: rowsOf(path, encoding, delimiter, meter) };
}

async function* rowsOf(
  path: string,
  encoding: CsvEncoding,
  delimiter: string,
  meter: ReadMeter,
): AsyncIterable<SourceRow> {
  const raw = createReadStream(path);
  meter.total = statSync(path).size;
  raw.on('data', (c) => (meter.done += c.length));
  const parser = raw.pipe(iconv.decodeStream(encoding, { stripBOM: true })).pipe(
    parse({
      delimiter,
      // Every line ending, in any mix: files stitched together from Windows, Unix and old Mac exports have CRLF,
      // LF and CR in one file, and csv-parse otherwise keeps to the first one it meets (3 people became 1 record).
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      bom: true,
      // One endless line (or an unclosed quote) would otherwise be buffered whole until memory runs out.
      max_record_size: IMPORT_LIMITS.csvRecordChars,
    }),
  );
  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNumber++;
      yield { rowNumber, cells: record.map(unwrapFormulaText) };
    }
  } catch (e) {
    if ((e as { code?: string }).code !== 'CSV_MAX_RECORD_SIZE') throw e;
    throw limitExceeded(
      `一行超过 ${IMPORT_LIMITS.csvRecordChars} 个字符（可能缺少换行，或有未闭合的引号）`,
      '请在 Excel/WPS 中打开该文件检查这一行，另存后再导入',
      { file: basename(path), row: rowNumber + 1 },
    );
  }
}
