import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { createInflateRaw, inflateRawSync } from 'node:zlib';

/**
 * A zip archive opened by its central directory, so that any part can be read in any order. exceljs's streaming
 * reader walks the archive front to back in one pass and loses the parts that follow a worksheet it had to park in
 * a temp file: with SheetJS's archive order (worksheets before xl/workbook.xml) 3 imports in 10 failed with
 * "Cannot read properties of undefined (reading 'sheets')". Reading the directory first removes the order
 * dependence itself. Each part is still inflated as a stream (native zlib), so memory stays flat for large sheets.
 */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  /** As the central directory declares it: checked against limits before reading, and enforced while inflating. */
  uncompressedSize: number;
  localHeaderOffset: number;
  encrypted: boolean;
}

export class ZipFormatError extends Error {}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const got = readSync(fd, buf, 0, length, position);
  return buf.subarray(0, got);
}

export class ZipArchive {
  private readonly byName = new Map<string, ZipEntry>();
  /** Told the compressed bytes each part's stream reads, for a reader's progress. */
  onRead: ((bytes: number) => void) | null = null;

  private constructor(
    readonly path: string,
    entries: ZipEntry[],
  ) {
    this.all = entries;
    // Part names are case-insensitive in OPC (ECMA-376 Part 2, 9.1.1.1), and some writers vary the case.
    for (const e of entries) this.byName.set(e.name.replace(/^\//, '').toLowerCase(), e);
  }

  static open(path: string): ZipArchive {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      // The end-of-central-directory record is the last 22 bytes plus a comment of at most 65,535 bytes.
      const tailLength = Math.min(size, 22 + 0xffff);
      const tail = readAt(fd, size - tailLength, tailLength);
      let eocd = -1;
      for (let i = tail.length - 22; i >= 0; i--) {
        if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
          eocd = i;
          break;
        }
      }
      if (eocd < 0) throw new ZipFormatError('no end of central directory');
      const count = tail.readUInt16LE(eocd + 10);
      const dirSize = tail.readUInt32LE(eocd + 12);
      const dirOffset = tail.readUInt32LE(eocd + 16);
      if (count === 0xffff || dirOffset === 0xffffffff) throw new ZipFormatError('zip64');
      const dir = readAt(fd, dirOffset, dirSize);
      const entries: ZipEntry[] = [];
      let p = 0;
      for (let i = 0; i < count; i++) {
        if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL_SIGNATURE) throw new ZipFormatError('directory');
        const flags = dir.readUInt16LE(p + 8);
        const nameLength = dir.readUInt16LE(p + 28);
        const extraLength = dir.readUInt16LE(p + 30);
        const commentLength = dir.readUInt16LE(p + 32);
        entries.push({
          name: dir.toString('utf8', p + 46, p + 46 + nameLength),
          method: dir.readUInt16LE(p + 10),
          compressedSize: dir.readUInt32LE(p + 20),
          uncompressedSize: dir.readUInt32LE(p + 24),
          localHeaderOffset: dir.readUInt32LE(p + 42),
          encrypted: (flags & 1) === 1,
        });
        p += 46 + nameLength + extraLength + commentLength;
      }
      return new ZipArchive(path, entries);
    } finally {
      closeSync(fd);
    }
  }

  private readonly all: ZipEntry[];

  entries(): readonly ZipEntry[] {
    return this.all;
  }

  get(name: string): ZipEntry | undefined {
    return this.byName.get(name.replace(/^\//, '').toLowerCase());
  }

  /** Where the part's compressed bytes start, after its local header. */
  private dataStart(entry: ZipEntry, fd: number): number {
    if (entry.encrypted) throw new ZipFormatError('encrypted entry');
    const header = readAt(fd, entry.localHeaderOffset, 30);
    if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_SIGNATURE) throw new ZipFormatError('local header');
    return entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  }

  /** The part's bytes, inflated, as a stream. */
  stream(entry: ZipEntry): Readable {
    const fd = openSync(this.path, 'r');
    let start: number;
    try {
      start = this.dataStart(entry, fd);
    } finally {
      closeSync(fd);
    }
    if (entry.compressedSize === 0) return Readable.from([]);
    const raw = createReadStream(this.path, { start, end: start + entry.compressedSize - 1 });
    const onRead = this.onRead;
    if (onRead) raw.on('data', (c) => onRead(c.length));
    if (entry.method === 0) return raw;
    if (entry.method !== 8) throw new ZipFormatError(`method ${entry.method}`);
    const inflate = createInflateRaw();
    raw.on('error', (e) => inflate.destroy(e));
    // The limits are checked against the declared size (read-xlsx.ts checkedPart); a part that inflates past what it
    // declared is a lie, stopped at the declared size instead of being inflated without end (0xFFFFFFFF: zip64).
    if (entry.uncompressedSize === 0xffffffff) return raw.pipe(inflate);
    let inflated = 0;
    const bounded = new Transform({
      transform(chunk: Buffer, _enc, done) {
        inflated += chunk.length;
        if (inflated > entry.uncompressedSize) done(new ZipFormatError('entry larger than declared'));
        else done(null, chunk);
      },
    });
    inflate.on('error', (e) => bounded.destroy(e));
    return raw.pipe(inflate).pipe(bounded);
  }

  /**
   * A small part read and inflated at once, without a stream's round trips: a township's return holds dozens of
   * village sheets of a few dozen KB, where opening two streams a sheet cost more than reading them. Inflating stops
   * at the declared size, as the stream does.
   */
  bytes(entry: ZipEntry): Buffer {
    if (entry.uncompressedSize === 0xffffffff) throw new ZipFormatError('zip64');
    const fd = openSync(this.path, 'r');
    let raw: Buffer;
    try {
      raw = readAt(fd, this.dataStart(entry, fd), entry.compressedSize);
    } finally {
      closeSync(fd);
    }
    this.onRead?.(raw.length);
    if (entry.method === 0) return raw;
    if (entry.method !== 8) throw new ZipFormatError(`method ${entry.method}`);
    try {
      return inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
    } catch {
      throw new ZipFormatError('entry larger than declared, or damaged');
    }
  }

  /** A small part read whole as text (workbook, relationships). */
  async text(entry: ZipEntry): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of this.stream(entry)) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
}
