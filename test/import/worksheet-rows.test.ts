import { describe, expect, it } from 'vitest';
import { CanbaoError } from '../../electron/core/errors';
import { worksheetRows, type ColumnChoice, type WorkbookLookups } from '../../electron/core/import/worksheet-rows';
import type { SourceRow } from '../../electron/core/import/source';

const book: WorkbookLookups = {
  sharedStrings: ['张三', { richText: [{ text: '李' }, { text: '四' }] }],
  // Style 1 shows a date (yyyy-mm-dd), style 2 a plain number.
  numFmtOf: (id) => (id === 1 ? 'yyyy-mm-dd' : id === 2 ? '0.00' : ''),
  date1904: false,
};

const sheet = (rows: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData><mergeCells count="1"><mergeCell ref="A1:C1"/></mergeCells></worksheet>`;

async function read(chunks: (string | Buffer)[], lookups = book): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  const parts = chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c));
  for await (const r of worksheetRows(parts, lookups, { file: '回执.xlsx', sheet: '中心村' })) out.push(r);
  return out;
}

describe('工作表行读取：单元格按 Excel/WPS 显示的内容读出', () => {
  it('reads shared, inline and formula strings, numbers, booleans and dates as the clerk sees them', async () => {
    const rows = await read([
      sheet(
        '<row r="3"><c r="A3" t="s"><v>0</v></c><c r="B3" t="s"><v>1</v></c>' +
          '<c r="C3" t="inlineStr"><is><r><t>王</t></r><r><t xml:space="preserve">五 </t></r><rPh sb="0" eb="1"><t>wang</t></rPh></is></c>' +
          '<c r="D3" t="str"><f>A3&amp;B3</f><v>张三李四 &amp; &lt;家&gt; &#x4E00;</v></c>' +
          '<c r="E3"><v>610923199001020010</v></c><c r="F3" s="1"><v>45292</v></c><c r="G3" s="2"><v>12.5</v></c>' +
          '<c r="H3" t="b"><v>1</v></c><c r="I3" t="e"><v>#N/A</v></c><c r="J3" t="d"><v>2026-03-10T00:00:00Z</v></c>' +
          '<c r="K3" s="1"><f>F3+1</f><v>45293</v></c><c r="L3" s="2"/></row>',
      ),
    ]);
    expect(rows).toHaveLength(1);
    const [r] = rows;
    expect(r!.rowNumber).toBe(3);
    expect(r!.cells.slice(0, 5)).toEqual(['张三', '李四', '王五 ', '张三李四 & <家> 一', 610923199001020000]);
    expect((r!.cells[5] as Date).toISOString().slice(0, 10)).toBe('2024-01-01');
    expect(r!.cells.slice(6, 9)).toEqual([12.5, true, null]);
    expect((r!.cells[9] as Date).toISOString().slice(0, 10)).toBe('2026-03-10');
    // A formula shown as a date is a date, not its serial number.
    expect((r!.cells[10] as Date).toISOString().slice(0, 10)).toBe('2024-01-02');
    expect(r!.cells[11]).toBeNull();
    // A numeric ID has lost its last digits: the column is marked so the importer can say so.
    expect([...(r!.numeric ?? [])].sort((a, b) => a - b)).toEqual([4, 6]);
  });

  it('places cells by their reference, leaving gaps empty, and counts on when a writer leaves the reference out', async () => {
    const rows = await read([
      sheet('<row r="2"><c r="C2" t="str"><v>c</v></c><c t="str"><v>d</v></c></row><row><c t="str"><v>a</v></c></row>'),
    ]);
    expect(rows.map((r) => [r.rowNumber, r.cells])).toEqual([
      [2, [null, null, 'c', 'd']],
      [3, ['a']],
    ]);
  });

  it('reads indented sheets, cells without attributes and empty rows the same with or without a colon in the text', async () => {
    const rows = (text: string) =>
      '\n  <row r="1" spans="1:3">\n    <c r="A1" t="str">\n      <v>' +
      text +
      '</v>\n    </c>\n    <c><v>7</v></c>\n    <c t="str"/>\n    <c s="2"><f>1+1</f><v>2</v></c>\n  </row>\n  <row r="2"/>\n' +
      '  <row r="4"><c r="B4" t="str"><v>备注</v></c></row>\n';
    // A colon before "c" in a cell's text sends the chunk down the expressions' path: both read alike.
    const plain = await read([sheet(rows('中心村'))]);
    const general = await read([sheet(rows('中心村:c'))]);
    expect(plain.map((r) => [r.rowNumber, r.cells])).toEqual([
      [1, ['中心村', 7, null, 2]],
      [2, []],
      [4, [null, '备注']],
    ]);
    expect(general.map((r) => [r.rowNumber, r.cells.slice(1)])).toEqual(
      plain.map((r) => [r.rowNumber, r.cells.slice(1)]),
    );
    expect(general[0]!.cells[0]).toBe('中心村:c');
  });

  it('leaves out the columns its caller does not read, from the row after it says which it reads', async () => {
    const choice: ColumnChoice = { only: null };
    const out: SourceRow[] = [];
    const xml = sheet(
      [1, 2, 3]
        .map(
          (r) =>
            `<row r="${r}"><c r="A${r}" t="str"><v>姓名${r}</v></c><c r="B${r}"><v>${r}</v></c><c r="C${r}" t="str"><v>核实${r}</v></c></row>`,
        )
        .join(''),
    );
    for await (const r of worksheetRows([Buffer.from(xml)], book, { file: '回执.xlsx' }, choice)) {
      out.push(r);
      // The header row names the columns: the caller reads A and C only.
      if (r.rowNumber === 1) choice.only = new Set([0, 2]);
    }
    expect(out.map((r) => r.cells)).toEqual([
      ['姓名1', 1, '核实1'],
      ['姓名2', null, '核实2'],
      ['姓名3', null, '核实3'],
    ]);
  });

  it('reads the prefixed element names of .NET writers (<x:row>, <x:c>)', async () => {
    const xml =
      '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>' +
      '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>姓名</x:t></x:is></x:c><x:c r="B1"><x:v>7</x:v></x:c></x:row>' +
      '</x:sheetData></x:worksheet>';
    const rows = await read([xml]);
    expect(rows.map((r) => r.cells)).toEqual([['姓名', 7]]);
  });

  it('keeps a Chinese character and a row whole when the stream splits them between chunks', async () => {
    const xml = Buffer.from(
      sheet(
        Array.from(
          { length: 50 },
          (_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="str"><v>欧阳娜仁花${i}</v></c></row>`,
        ).join(''),
      ),
    );
    // Chunks of 7 bytes cut through every 3-byte character and every tag.
    const chunks: Buffer[] = [];
    for (let i = 0; i < xml.length; i += 7) chunks.push(xml.subarray(i, i + 7));
    const rows = await read(chunks);
    expect(rows).toHaveLength(50);
    expect(rows.map((r) => r.cells[0])).toEqual(Array.from({ length: 50 }, (_, i) => `欧阳娜仁花${i}`));
  });

  it('refuses a "row" longer than any real row instead of filling memory, saying where', async () => {
    const endless = (function* () {
      yield Buffer.from('<worksheet><sheetData><row r="1"><c r="A1" t="str"><v>');
      const block = Buffer.alloc(8 * 1024 * 1024, 'a');
      for (let i = 0; i < 9; i++) yield block;
    })();
    const err = await read([...endless]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CanbaoError);
    expect((err as CanbaoError).message).toMatch(/工作表中有一行的数据超过 64M 个字符/);
    expect((err as CanbaoError).location).toMatchObject({ file: '回执.xlsx', sheet: '中心村' });
  });
});
