import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import type { SourceRow, SourceSheet } from './source';

export type CsvEncoding = 'utf8' | 'gb18030';

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
 * UTF-8 BOM → UTF-8; a strict UTF-8 decode of the first megabyte succeeds → UTF-8; otherwise GB18030
 * (a superset of GBK and GB2312: GBK would lose rare name characters). Statistical detectors are unreliable
 * on short Chinese samples, and Chinese CSV comes in exactly these two.
 */
export function detectEncoding(path: string): CsvEncoding {
  const head = readPrefix(path, PROBE_BYTES);
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf8';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf8';
  } catch {
    return 'gb18030';
  }
}

/** Tab-separated .txt exports are common from older systems; commas otherwise. Judged on the first lines. */
function detectDelimiter(path: string, encoding: CsvEncoding): string {
  const text = iconv.decode(readPrefix(path, 64 * 1024), encoding);
  const lines = text.split(/\r?\n/).slice(0, 20);
  let tabs = 0,
    commas = 0;
  for (const l of lines) {
    tabs += l.split('\t').length - 1;
    commas += l.split(',').length - 1;
  }
  return tabs > commas ? '\t' : ',';
}

export async function* readCsv(path: string, encoding: CsvEncoding): AsyncIterable<SourceSheet> {
  const delimiter = detectDelimiter(path, encoding);
  yield { name: '', rows: rowsOf(path, encoding, delimiter) };
}

async function* rowsOf(path: string, encoding: CsvEncoding, delimiter: string): AsyncIterable<SourceRow> {
  const parser = createReadStream(path)
    .pipe(iconv.decodeStream(encoding, { stripBOM: true }))
    .pipe(parse({ delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true }));
  let rowNumber = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    rowNumber++;
    yield { rowNumber, cells: record };
  }
}
