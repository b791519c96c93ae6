import * as XLSX from '@e965/xlsx';
import JSZip from 'jszip';
import { writeFileSync } from 'node:fs';

/**
 * Rolls written the way other systems write them, for the import tests: SheetJS (behind most web systems'
 * "导出Excel"), with its archive order (worksheets before xl/workbook.xml), and legacy BIFF8.
 */
export type Aoa = (string | number | Date | null)[][];

export interface SheetJsOptions {
  date1904?: boolean;
  /** Merged ranges such as 'B2:B4', per sheet. */
  merges?: Record<string, string[]>;
  bookType?: 'xlsx' | 'biff8' | 'biff5' | 'xlml' | 'html';
  /** 0-based columns whose numbers are date serials (formatted yyyy-mm-dd, as a date cell). */
  dateColumns?: number[];
}

export function sheetJsBook(sheets: Record<string, Aoa>, opts: SheetJsOptions = {}): XLSX.WorkBook {
  const wb = XLSX.utils.book_new();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = XLSX.utils.aoa_to_sheet(rows, { cellDates: false });
    for (const c of opts.dateColumns ?? []) {
      for (let r = 0; r < rows.length; r++) {
        const cell = ws[XLSX.utils.encode_cell({ r, c })] as XLSX.CellObject | undefined;
        if (cell?.t === 'n') cell.z = 'yyyy-mm-dd';
      }
    }
    const merges = opts.merges?.[name];
    if (merges) ws['!merges'] = merges.map((m) => XLSX.utils.decode_range(m));
    XLSX.utils.book_append_sheet(wb, ws, name);
  }
  if (opts.date1904) wb.Workbook = { ...(wb.Workbook ?? {}), WBProps: { date1904: true } };
  return wb;
}

/** Writes with SheetJS; for xlsx, keeps SheetJS's own archive order (worksheet parts before xl/workbook.xml). */
export async function writeSheetJs(path: string, sheets: Record<string, Aoa>, opts: SheetJsOptions = {}) {
  const buf = XLSX.write(sheetJsBook(sheets, opts), { type: 'buffer', bookType: opts.bookType ?? 'xlsx' }) as Buffer;
  if ((opts.bookType ?? 'xlsx') === 'xlsx') {
    const names = Object.keys((await JSZip.loadAsync(buf)).files);
    const sheet = names.findIndex((n) => n.startsWith('xl/worksheets/'));
    if (sheet < 0 || sheet > names.indexOf('xl/workbook.xml')) throw new Error('SheetJS order changed: ' + names);
  }
  writeFileSync(path, buf);
  return path;
}

/** A 1904-date-system serial for an ISO date (Excel for Mac's old default; 1,462 days after 1900's). */
export function serial1904(iso: string): number {
  return (Date.parse(iso + 'T00:00:00Z') - Date.UTC(1904, 0, 1)) / 86_400_000;
}

/** Text as a system saves it: `encoding` bytes, each line ended by the next of `endings` in turn. */
export function writeText(
  path: string,
  lines: string[][],
  opts: { delimiter?: string; endings?: string[]; encoding?: 'utf8' | 'utf16le' | 'utf16be'; bom?: boolean } = {},
): string {
  const endings = opts.endings ?? ['\r\n'];
  const text = lines.map((l, i) => l.join(opts.delimiter ?? ',') + endings[i % endings.length]).join('');
  const enc = opts.encoding ?? 'utf8';
  let body = Buffer.from(text, enc === 'utf8' ? 'utf8' : 'utf16le');
  if (enc === 'utf16be') body = Buffer.from(body).swap16();
  const bom = { utf8: [0xef, 0xbb, 0xbf], utf16le: [0xff, 0xfe], utf16be: [0xfe, 0xff] }[enc];
  writeFileSync(path, opts.bom === false ? body : Buffer.concat([Buffer.from(bom), body]));
  return path;
}

/**
 * Workbooks with an open password. An encrypted .xlsx is an OLE container with EncryptionInfo and EncryptedPackage
 * streams ([MS-OFFCRYPTO] 2.3.4; the payload here is not real ciphertext, which no reader gets to). An encrypted
 * .xls is BIFF8 with a FILEPASS record right after the workbook's BOF ([MS-XLS] 2.4.117; XOR obfuscation header).
 */
export function writeEncryptedXlsx(path: string): string {
  const cfb = XLSX.CFB.utils.cfb_new();
  XLSX.CFB.utils.cfb_add(cfb, 'EncryptionInfo', Buffer.from([4, 0, 4, 0, 0x40, 0, 0, 0]));
  XLSX.CFB.utils.cfb_add(cfb, 'EncryptedPackage', Buffer.alloc(4096, 7));
  writeFileSync(path, XLSX.CFB.write(cfb, { type: 'buffer' }) as Buffer);
  return path;
}

export function writeEncryptedXls(path: string, sheets: Record<string, Aoa>): string {
  const buf = XLSX.write(sheetJsBook(sheets), { type: 'buffer', bookType: 'biff8' }) as Buffer;
  const cfb = XLSX.CFB.read(buf, { type: 'buffer' });
  const entry = XLSX.CFB.find(cfb, 'Workbook')!;
  const stream = Buffer.from(entry.content as Uint8Array);
  const bofEnd = 4 + stream.readUInt16LE(2);
  const filePass = Buffer.from([0x2f, 0x00, 0x06, 0x00, 0x00, 0x00, 0x34, 0x12, 0x78, 0x56]);
  entry.content = Buffer.concat([stream.subarray(0, bofEnd), filePass, stream.subarray(bofEnd)]);
  entry.size = (entry.content as Buffer).length;
  writeFileSync(path, XLSX.CFB.write(cfb, { type: 'buffer' }) as Buffer);
  return path;
}

/**
 * BIFF5 (Excel 95) as a Chinese PC wrote it: 8-bit strings in code page 936 (GBK) with a CODEPAGE record saying so.
 * SheetJS writes BIFF5 only in code page 1252, so the Chinese strings are written as ASCII placeholders of the same
 * byte length and then replaced by their GBK bytes, and the CODEPAGE record is set to 936.
 */
export function writeBiff5Gbk(path: string, sheets: Record<string, Aoa>, encode: (s: string) => Buffer): string {
  const placeholders = new Map<string, string>();
  const hold = (s: string) => {
    if (/^[\x20-\x7e]*$/.test(s)) return s;
    let p = placeholders.get(s);
    if (!p) {
      const i = placeholders.size;
      const bytes = encode(s).length;
      // One GBK character is 2 bytes: '~' and a letter; longer strings 'Q', two letters and padding.
      const code = String.fromCharCode(65 + Math.floor(i / 26)) + String.fromCharCode(65 + (i % 26));
      p = bytes === 2 ? '~' + String.fromCharCode(65 + i) : ('Q' + code).padEnd(bytes, 'Z');
      placeholders.set(s, p);
    }
    return p;
  };
  const held: Record<string, Aoa> = {};
  for (const [name, rows] of Object.entries(sheets))
    held[hold(name)] = rows.map((r) => r.map((c) => (typeof c === 'string' ? hold(c) : c)));
  const buf = XLSX.write(sheetJsBook(held), { type: 'buffer', bookType: 'biff5' }) as Buffer;
  const cfb = XLSX.CFB.read(buf, { type: 'buffer' });
  const entry = XLSX.CFB.find(cfb, 'Book')!;
  const stream = Buffer.from(entry.content as Uint8Array);
  for (let p = 0; p + 4 <= stream.length; p += 4 + stream.readUInt16LE(p + 2))
    if (stream.readUInt16LE(p) === 0x42) stream.writeUInt16LE(936, p + 4);
  for (const [s, p] of placeholders) {
    const from = Buffer.from(p, 'latin1');
    for (let at = stream.indexOf(from); at >= 0; at = stream.indexOf(from, at + 1)) encode(s).copy(stream, at);
  }
  entry.content = stream;
  writeFileSync(path, XLSX.CFB.write(cfb, { type: 'buffer' }) as Buffer);
  return path;
}
