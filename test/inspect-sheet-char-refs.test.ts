// Issue #14, found on the way by fpfix4: a mobile in an .xlsx inline string with a digit written as an XML character
// reference (`<is><t>&#49;3812345678</t></is>`, `&#x31;…`, `1&#51;…`) crossed a gateway's default policy beside a
// shared string's cell, where the same text alone, in plain XML or written out was found. The sheet's decoded view
// (tags removed, references resolved: text-views.ts) joins a cell of one character to the one before it, as a form's
// digit boxes are read; a reference is put in the view alone, so its one character was taken for the whole cell,
// and the shared string's index before it (`4`) ran into the number: 413812345678, twelve digits. The same held for
// an HTML or ODF table. Now a cell is a box only while it shows one character. The digit-box reader of the sheet
// (sheet-rows.ts) reads a box written as a reference (`<t>&#52;</t>`) as its digit, and a phone's name so written.
// Each text of a sheet, references resolved (decimal, hex, named), is read: inline strings, rich-text runs, shared
// strings, cell values and formulas' cached values, and an .ods cell's text:p. (.xlsb keeps its strings as UTF-16
// records: a reference there is shown as written, not resolved.)
import t from 'tap';
import { inspectBytes, kinds, residentId, zip } from './inspect-fixtures.js';
import { workbook } from './sheet-rows-fixtures.js';

const XLSX = { filename: '台账.xlsx', declaredType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
const ODS_TYPE = 'application/vnd.oasis.opendocument.spreadsheet';
const ODS = { filename: '台账.ods', declaredType: ODS_TYPE };

const MOBILE = '13812345678';
const ID = residentId('440305', '19900307', '457');
const MARK = '机密★10年';

/** Every character of `s` as a decimal reference. */
const dec = (s: string): string => [...s].map((c) => `&#${c.codePointAt(0)};`).join('');
/** Every character of `s` as a hex reference. */
const hex = (s: string): string => [...s].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join('');
/** The first character as a reference, the rest as written. */
const first = (s: string): string => `&#${s.codePointAt(0)};${[...s].slice(1).join('')}`;
/** The second character as a hex reference, with leading zeros. */
const second = (s: string): string => `${[...s][0]}&#x00${s.codePointAt(1)!.toString(16)};${[...s].slice(2).join('')}`;
const SPELLINGS: Array<[string, (s: string) => string]> = [
  ['first as &#…;', first],
  ['second as &#x00…;', second],
  ['all as &#…;', dec],
  ['all as &#x…;', hex],
];

const label = (ref: string, i: number): string => `<c r="${ref}" t="s"><v>${i}</v></c>`;
const inline = (ref: string, text: string): string => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
/** An inline string of two rich-text runs, cut after the third character. */
const runs = (ref: string, text: (s: string) => string, v: string): string =>
  `<c r="${ref}" t="inlineStr"><is><r><t>${text([...v].slice(0, 3).join(''))}</t></r><r><rPr><b/><sz val="11"/></rPr><t>${text([...v].slice(3).join(''))}</t></r></is></c>`;
/** The labels: strings 0–5 of the shared strings (index 4 and 5 one digit, as a label cell's value shows). */
const STRINGS = ['姓名', '电话', '证件', '备注', '张三', '李四'];

/** Each place of a sheet that holds text, `v` written by `spell`: the workbook. */
function places(v: string, spell: (s: string) => string): Array<[string, Buffer]> {
  const w = spell(v);
  const row = (cell: string): string[] => [label('A1', 0) + label('B1', 1), label('A2', 4) + cell];
  return [
    ['an inline string after a label', workbook(row(inline('B2', w)), STRINGS)],
    ['an inline string alone', workbook([inline('A1', w)], STRINGS)],
    ['an inline string after a number cell of one digit', workbook([`<c r="A1"><v>7</v></c>${inline('B1', w)}`], STRINGS)],
    ['rich-text runs of an inline string', workbook(row(runs('B2', spell, v)), STRINGS)],
    ['a shared string', workbook(row(label('B2', 6)), [...STRINGS, w])],
    ['rich-text runs of a shared string', workbook(row(label('B2', 6)), [...STRINGS, `</t><r><t>${spell([...v].slice(0, 3).join(''))}</t></r><r><rPr><i/></rPr><t>${spell([...v].slice(3).join(''))}</t></r><t>`])],
    ['a formula string\'s cached value', workbook(row(`<c r="B2" t="str"><f>A1</f><v>${w}</v></c>`), STRINGS)],
    ['a cell value (t="str") after a label', workbook(row(`<c r="B2" t="str"><v>${w}</v></c>`), STRINGS)],
    ['an .ods cell after a one-digit cell', ods([[text('7'), text(w)]])],
    ['an .ods cell of two spans', ods([[text('姓名'), text(`<text:span>${spell([...v].slice(0, 3).join(''))}</text:span>${spell([...v].slice(3).join(''))}`)]])],
  ];
}

const text = (s: string): string => `<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>${s}</text:p></table:table-cell>`;
function ods(cells: string[][]): Buffer {
  return zip([
    { name: 'mimetype', data: Buffer.from(ODS_TYPE), method: 0 },
    {
      name: 'content.xml',
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"><office:body><office:spreadsheet><table:table table:name="台账">${cells.map((r) => `<table:table-row>${r.join('')}</table:table-row>`).join('')}</table:table></office:spreadsheet></office:body></office:document-content>`,
      ),
    },
  ]);
}

const found = async (body: Buffer, isOds: boolean): Promise<string[]> => kinds((await inspectBytes(body, {}, isOds ? ODS : XLSX)).findings);

for (const [what, value, kind] of [
  ['a mobile', MOBILE, 'personal-data:cn-mobile'],
  ['a resident id', ID, 'personal-data:cn-resident-id'],
  ['a marking', MARK, 'classified-marking:机密'],
] as const) {
  t.test(`${what} written with character references is found in each text of a sheet`, async (t) => {
    for (const [how, spell] of SPELLINGS) {
      for (const [where, body] of places(value, spell)) {
        t.ok((await found(body, where.startsWith('an .ods'))).includes(kind), `${where}, ${how}`);
      }
    }
  });
}

t.test('the issue\'s three spellings, beside currency cells too', async (t) => {
  for (const w of ['&#49;3812345678', '&#x31;3812345678', '1&#51;812345678']) {
    t.ok((await found(workbook([label('A1', 4) + inline('B1', w)], STRINGS), false)).includes('personal-data:cn-mobile'), w);
    const money = workbook([label('A1', 2) + `<c r="B1" s="1"><v>${MOBILE}</v></c>`, label('A2', 4) + inline('B2', w)], STRINGS, ['"¥"#,##0.00']);
    t.ok((await found(money, false)).includes('personal-data:cn-mobile'), `${w} beside a money cell of the same number`);
  }
  const html = `<html><body><table><tr><td>7</td><td>&#49;3812345678</td></tr></table></body></html>`;
  t.ok(kinds((await inspectBytes(html, {}, { filename: 'a.html', declaredType: 'text/html' })).findings).includes('personal-data:cn-mobile'), 'an HTML table cell after a cell of one digit');
});

t.test('digit boxes written as references are read as boxes', async (t) => {
  const boxes = (cell: (c: string, ref: string) => string): string =>
    label('A1', 2) + [...ID].map((c, i) => cell(c, `${String.fromCharCode(66 + i)}1`)).join('');
  for (const [how, spell] of SPELLINGS.slice(2)) {
    t.same(await found(workbook([boxes((c, ref) => inline(ref, spell(c)))], STRINGS), false), ['personal-data:cn-resident-id'], `inline strings, ${how}`);
    t.same(await found(workbook([boxes((c, ref) => `<c r="${ref}" t="str"><v>${spell(c)}</v></c>`)], STRINGS), false), ['personal-data:cn-resident-id'], `cell values, ${how}`);
  }
  const phone = label('A1', 0) + inline('B1', dec('联系电话')) + [...MOBILE].map((c, i) => inline(`${String.fromCharCode(67 + i)}1`, dec(c))).join('');
  t.ok((await found(workbook([phone], STRINGS), false)).includes('personal-data:cn-mobile'), 'eleven boxes after a phone\'s name, all written as references');
});

t.test('ordinary sheets with entities and references stay clean', async (t) => {
  const rows = [
    label('A1', 0) + label('B1', 3) + inline('C1', '数量'),
    label('A2', 4) + inline('B2', 'R&amp;D &lt;研发&gt; &quot;一期&quot;') + '<c r="C2"><v>7</v></c>',
    label('A3', 5) + inline('B3', '&#21830;&#19994;&#31192;&#23494;与工作秘密') + '<c r="C3"><v>3</v></c>',
    label('A4', 4) + inline('B4', '&#x4fdd;&#x5bc6;&#x534f;&#x8bae;、机密性要求') + `<c r="C4" t="str"><f>C2+C3</f><v>&#49;0</v></c>`,
    label('A5', 5) + inline('B5', '&#49;38') + '<c r="C5"><v>12345678</v></c>',
    label('A6', 4) + inline('B6', '&#49;') + inline('C6', '&#51;') + '<c r="D6"><v>8</v></c>',
    label('A7', 5) + inline('B7', '金额 &#165;13,812,345,678.00'),
  ];
  t.same(await found(workbook(rows, STRINGS), false), [], 'an ordinary sheet: &amp; &lt;, references to ordinary words, a count of 138 beside 12345678, three boxes');
  const strings = [...STRINGS, 'Q&amp;A', '&#21512;&#21516;&#32534;&#21495;', '&lt;b&gt;'];
  t.same(await found(workbook([label('A1', 6) + label('B1', 7) + label('C1', 8) + '<c r="D1"><v>4</v></c>'], strings), false), [], 'shared strings with entities and references');
  t.same(await found(ods([[text('R&amp;D'), text('&#21830;&#19994;&#31192;&#23494;')], [text('7'), text('&#49;38'), text('12345678')]]), true), [], 'an ordinary .ods');
});

t.test('a cell cut by a chunk\'s end right after its first character is still no box', async (t) => {
  const { ViewDecoder } = await import('../gateway/inspect/scan/text-views.js');
  // The decoder holds back the last MAX_MATCH (1,100) characters of a chunk: the cut falls right after `&#49;`.
  const head = `<table><tr><td>7</td><td>&#49;`;
  const tail = '</td></tr></table>';
  const rest = `3812345678 ${'备'.repeat(1100 - 11 - tail.length)}${tail}`;
  const all = head + rest;
  t.equal(all.length - 1100, head.length, 'the cut falls after the reference');
  const v = new ViewDecoder(false);
  const text = v.push(all, false).text + v.push('', true).text;
  t.match(text, /^\n?7\t13812345678 /, 'the first cell, a tab, the second');
  const v2 = new ViewDecoder(false);
  const a = v2.push(all, false).text;
  t.notMatch(a, /71/, 'the reference\'s character waits for the rest of its cell');
  // A cell of two paragraphs, one character in the first, is no box either.
  t.notMatch(new ViewDecoder(false).push(`<table><tr><td>7</td><td><p>&#49;</p><p>38</p></td></tr></table>`, true).text, /71/, 'a cell of two paragraphs');
  // Boxes stay boxes.
  const boxes = `<table><tr><td>1</td><td>&#51;</td><td>8</td></tr></table>`;
  t.match(new ViewDecoder(false).push(boxes, true).text, /138/, 'three cells of one character are one number');
});
