import { closeSync, openSync, readSync } from 'node:fs';

/** What a file holds, judged by its first bytes, whatever its name says. */
export type Content = 'zip' | 'ole' | 'markup' | 'text';

const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/**
 * Systems name files by what Excel will open, not by what they hold: web systems save an HTML table or
 * SpreadsheetML 2003 XML as .xls, others a CSV as .xls (Excel opens all three), and a password-protected .xlsx is an
 * OLE container, not a zip. The reader is chosen by content so each is read as what it is.
 */
export function sniffContent(path: string): Content {
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(512);
  let n: number;
  try {
    n = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const b = head.subarray(0, n);
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'zip';
  if (b.length >= 8 && b.subarray(0, 8).equals(OLE)) return 'ole';
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) {
    const text = b
      .subarray(2)
      .toString(b[0] === 0xff ? 'utf16le' : 'latin1')
      .replace(/\0/g, '');
    return /^\s*</.test(text) ? 'markup' : 'text';
  }
  const text = b.toString('latin1').replace(/^\xef\xbb\xbf/, '');
  return /^\s*<(?:\?xml|!doctype|html|table|workbook|meta|head|body|style|!--)/i.test(text) ? 'markup' : 'text';
}
