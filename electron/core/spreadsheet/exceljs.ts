/**
 * exceljs, loaded with a fix for its streaming reader: exceljs 4.4.0 decodes every zip chunk to a string on its
 * own, so a Chinese character split across two chunks becomes two U+FFFD (exceljs issues #2063, #2084, #2316; the
 * fixes there were never released). For a clerk that silently garbles names. We install, before exceljs loads, a
 * parse-sax that decodes chunks with a StringDecoder, which carries a split character over to the next chunk.
 * Every module must import exceljs from here (enforced by lint).
 */
import { createRequire } from 'node:module';
import { StringDecoder } from 'node:string_decoder';
import type ExcelJSModule from 'exceljs';

// Not named `require`: the app's build declares its own `require` at the top of the bundle, and a second one made the
// packaged engine worker a SyntaxError before it ran a line.
const requireCjs = createRequire(import.meta.url);
const parseSaxPath = requireCjs.resolve('exceljs/lib/utils/parse-sax.js');

interface SaxEvent {
  eventType: 'opentag' | 'text' | 'closetag';
  value: unknown;
}

function installUtf8SafeParseSax(): void {
  const cached = requireCjs.cache[parseSaxPath];
  if (cached?.loaded && (cached.exports as { utf8Safe?: boolean }).utf8Safe) return;
  const { SaxesParser } = createRequire(parseSaxPath)('saxes') as {
    SaxesParser: new () => { on(e: string, f: (v: unknown) => void): void; write(s: string): void };
  };
  async function* parseSax(iterable: AsyncIterable<Buffer | string>): AsyncGenerator<SaxEvent[]> {
    const parser = new SaxesParser();
    const decoder = new StringDecoder('utf8');
    let error: unknown;
    let events: SaxEvent[] = [];
    parser.on('error', (e) => (error = e));
    parser.on('opentag', (value) => events.push({ eventType: 'opentag', value }));
    parser.on('text', (value) => events.push({ eventType: 'text', value }));
    parser.on('closetag', (value) => events.push({ eventType: 'closetag', value }));
    for await (const chunk of iterable) {
      parser.write(typeof chunk === 'string' ? chunk : decoder.write(chunk));
      if (error) throw error;
      yield events;
      events = [];
    }
    const rest = decoder.end();
    if (rest) {
      parser.write(rest);
      if (error) throw error;
      yield events;
    }
  }
  (parseSax as unknown as { utf8Safe: boolean }).utf8Safe = true;
  const Module = requireCjs('node:module') as { new (id: string): NodeJS.Module };
  const m = new Module(parseSaxPath);
  m.filename = parseSaxPath;
  m.loaded = true;
  m.exports = parseSax;
  requireCjs.cache[parseSaxPath] = m;
}

let loaded: typeof ExcelJSModule | undefined;

/**
 * exceljs, loaded on first use, with its fix. Loading it took about 0.5 s of the engine worker's 1.8 s start (and
 * SheetJS another 0.15 s, read-xls.ts): every CLI command and every app start paid it, though most never read or
 * write a workbook.
 */
export function excelJS(): typeof ExcelJSModule {
  if (loaded) return loaded;
  if (
    requireCjs.cache[requireCjs.resolve('exceljs')] &&
    !(requireCjs.cache[parseSaxPath]?.exports as { utf8Safe?: boolean } | undefined)?.utf8Safe
  ) {
    throw new Error('exceljs was loaded before its UTF-8 fix: import it from electron/core/spreadsheet/exceljs');
  }
  installUtf8SafeParseSax();
  return (loaded = requireCjs('exceljs') as typeof ExcelJSModule);
}

// exceljs's own rules for which number formats show a date and how a serial becomes one, for the worksheet reader
// (import/worksheet-rows.ts) to read cells exactly as exceljs would.
interface ExcelUtils {
  isDateFmt(fmt: string | undefined): boolean;
  excelToDate(serial: number, date1904?: boolean): Date;
}
let utils: ExcelUtils | undefined;
const excelUtils = (): ExcelUtils => {
  excelJS();
  return (utils ??= requireCjs('exceljs/lib/utils/utils.js') as ExcelUtils);
};
export const isDateFmt = (fmt: string | undefined): boolean => excelUtils().isDateFmt(fmt);
export const excelToDate = (serial: number, date1904: boolean): Date => excelUtils().excelToDate(serial, date1904);
export type * as ExcelTypes from 'exceljs';
