import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { ID, MARK, pdfOf } from './evasion-fixtures.js';
import { EICAR } from './inspect-fixtures.js';
import type { MarkupSample } from './markup-fixtures.js';
import { ascii85 } from './notation-fixtures.js';

// PDFs written by code for the PDF findings of the red team of 1 December:
// text in a standard CJK font through a predefined CMap (N4), streams behind
// the filters other than Flate and behind predictors (N15), and a file
// attached behind a predictor (A7). Each way has clean look-alikes: ordinary
// documents written the same way.

/** LZWDecode's encoder (§7.4.4, EarlyChange 1): what Acrobat 3 and TIFF writers produce. */
export function lzwEncode(data: Buffer): Buffer {
  const out: number[] = [];
  let acc = 0;
  let nacc = 0;
  let width = 9;
  const put = (code: number): void => {
    acc = (acc << width) | code;
    nacc += width;
    while (nacc >= 8) {
      out.push((acc >>> (nacc - 8)) & 0xff);
      nacc -= 8;
    }
    acc &= (1 << nacc) - 1;
  };
  let dict = new Map<string, number>();
  let next = 258;
  const reset = (): void => {
    dict = new Map();
    next = 258;
    width = 9;
  };
  put(256);
  let w = -1;
  let key = '';
  for (const c of data) {
    if (w < 0) {
      w = c;
      key = String.fromCharCode(c);
      continue;
    }
    const wc = key + String.fromCharCode(c);
    const known = dict.get(wc);
    if (known !== undefined) {
      w = known;
      key = wc;
      continue;
    }
    put(w);
    dict.set(wc, next++);
    // The decoder adds its entry one code later, and widens when its next code plus one reaches a power of two.
    if (next >= 1 << width && width < 12) width++;
    if (next >= 4093) {
      put(256);
      reset();
    }
    w = c;
    key = String.fromCharCode(c);
  }
  if (w >= 0) {
    put(w);
    if (next + 1 >= 1 << width && width < 12) width++;
  }
  put(257);
  if (nacc > 0) out.push((acc << (8 - nacc)) & 0xff);
  return Buffer.from(out);
}

function runLength(data: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < data.length; i += 128) {
    const c = data.subarray(i, i + 128);
    out.push(c.length - 1, ...c);
  }
  out.push(128);
  return Buffer.from(out);
}

export interface Predict {
  predictor: 2 | 10 | 11 | 12 | 13 | 14 | 15;
  columns: number;
}

/** TIFF predictor 2, or a PNG row filter (Sub for 11, Up for 12 and 15, Average, Paeth) with one byte a pixel. */
function predict(data: Buffer, p: Predict): Buffer {
  const cols = p.columns;
  if (p.predictor === 2) {
    const o = Buffer.from(data);
    for (let r = 0; r < data.length; r += cols) for (let i = Math.min(r + cols, data.length) - 1; i > r; i--) o[i] = (data[i]! - data[i - 1]!) & 0xff;
    return o;
  }
  const type = p.predictor === 10 ? 0 : p.predictor === 13 ? 3 : p.predictor === 14 ? 4 : p.predictor === 11 ? 1 : 2;
  const rows: Buffer[] = [];
  let prior = Buffer.alloc(cols);
  for (let r = 0; r < data.length; r += cols) {
    const row = Buffer.alloc(cols);
    data.copy(row, 0, r, r + cols);
    const f = Buffer.alloc(cols + 1);
    f[0] = type;
    for (let i = 0; i < cols; i++) {
      const a = i ? row[i - 1]! : 0;
      const b = prior[i]!;
      const c = i ? prior[i - 1]! : 0;
      const pa = Math.abs(b - c);
      const pb = Math.abs(a - c);
      const pc = Math.abs(a + b - 2 * c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][type]!;
      f[i + 1] = (row[i]! - pred) & 0xff;
    }
    rows.push(f);
    prior = row;
  }
  return Buffer.concat(rows);
}

export type Filter = 'FlateDecode' | 'LZWDecode' | 'ASCIIHexDecode' | 'ASCII85Decode' | 'RunLengthDecode' | 'AHx' | 'LZW';

/** A stream object: `data` encoded by `filters` (the first one named is the last applied); a predictor on the Flate or LZW one. */
export function filtered(dict: string, data: Buffer, filters: Filter[], p?: Predict): Buffer {
  let d = data;
  for (const f of [...filters].reverse()) {
    if (f === 'FlateDecode' || f === 'LZWDecode' || f === 'LZW') {
      if (p) d = predict(d, p);
      d = f === 'FlateDecode' ? zlib.deflateSync(d) : lzwEncode(d);
    } else if (f === 'ASCIIHexDecode' || f === 'AHx') d = Buffer.from(`${d.toString('hex')}>`);
    else if (f === 'ASCII85Decode') d = Buffer.from(ascii85(d).slice(2)); // PDF's ASCII85Decode: no leading <~
    else d = runLength(d);
  }
  const parms = p ? `/DecodeParms[${filters.map((f) => (/Flate|LZW/.test(f) ? `<</Predictor ${p.predictor}/Colors 1/BitsPerComponent 8/Columns ${p.columns}>>` : 'null')).join(' ')}]` : '';
  return Buffer.concat([Buffer.from(`<<${dict}/Filter[${filters.map((f) => `/${f}`).join(' ')}]${parms}/Length ${d.length}>>stream\n`, 'latin1'), d, Buffer.from('\nendstream', 'latin1')]);
}

/** A one-page PDF drawing `content` (Flate) in font F1 = `font` (objects 5 on); `extra` objects follow, from `5 + font.length`. */
function onePage(content: string, font: string[], o: { extra?: Array<string | Buffer>; catalog?: string; page?: string; contents?: string } = {}): Buffer {
  return pdfOf([
    `<</Type/Catalog/Pages 2 0 R${o.catalog ?? ''}>>`,
    '<</Type/Pages/Kids[3 0 R]/Count 1>>',
    `<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents ${o.contents ?? '4 0 R'}/Resources<</Font<</F1 5 0 R>>>>${o.page ?? ''}>>`,
    filtered('', Buffer.from(content, 'latin1'), ['FlateDecode']),
    ...font,
    ...(o.extra ?? []),
  ]);
}

/** STSong-Light (or MSung-Light) through a predefined CMap, no ToUnicode: reportlab's UnicodeCIDFont, iText. */
function cjkFont(cmap: string): string[] {
  const cns = /CNS|B5/.test(cmap);
  const name = cns ? 'MSung-Light' : 'STSong-Light';
  return [
    `<</Type/Font/Subtype/Type0/BaseFont/${name}-${cmap}/Encoding/${cmap}/DescendantFonts[6 0 R]>>`,
    `<</Type/Font/Subtype/CIDFontType0/BaseFont/${name}/CIDSystemInfo<</Registry(Adobe)/Ordering(${cns ? 'CNS1' : 'GB1'})/Supplement 4>>/FontDescriptor 7 0 R/DW 1000>>`,
    `<</Type/FontDescriptor/FontName/${name}/Flags 6/FontBBox[-25 -254 1000 880]/ItalicAngle 0/Ascent 880/Descent -120/CapHeight 880/StemV 93>>`,
  ];
}

const ucs2 = (s: string): Buffer => Buffer.from(s, 'utf16le').swap16();
/** `text` in the bytes of a predefined CMap. */
function cmapBytes(cmap: string, text: string): Buffer {
  if (/^Uni/.test(cmap)) return ucs2(text);
  if (cmap === 'GBK-EUC-H') return iconv.encode(text, 'gbk');
  if (cmap === 'ETen-B5-H') return iconv.encode(text, 'big5');
  return iconv.encode(text, 'gb2312');
}

/** A page of text in a standard CJK font through `cmap`. */
export function cjkPdf(cmap: string, lines: string[]): Buffer {
  const shown = lines.map((l, i) => `BT /F1 12 Tf 72 ${760 - i * 18} Td <${cmapBytes(cmap, l).toString('hex')}> Tj ET`).join('\n');
  return onePage(shown, cjkFont(cmap));
}

export const CJK_CMAPS = ['UniGB-UCS2-H', 'UniGB-UTF16-H', 'GBK-EUC-H', 'GB-EUC-H', 'GBpc-EUC-H', 'UniCNS-UCS2-H', 'ETen-B5-H', 'UniGB-UCS2-V'];

const p = (name: string, body: Buffer, expect = 'classified-marking'): MarkupSample & { expect: string } => ({ name, body, filename: 'a.pdf', type: 'application/pdf', expect });

/** N4: a marking (and an id number) in a standard CJK font through each predefined CMap, content Flate-compressed. */
export function cjkCMapSamples(): Array<MarkupSample & { expect: string }> {
  const out = CJK_CMAPS.map((c) => p(`${/CNS|B5/.test(c) ? 'MSung-Light' : 'STSong-Light'} through ${c}`, cjkPdf(c, ['关于工作的通知', /CNS|B5/.test(c) ? '機密★10年' : MARK])));
  out.push(p('an id number in STSong-Light through UniGB-UCS2-H', cjkPdf('UniGB-UCS2-H', [`身份证号：${ID}`]), 'personal-data'));
  // Identity-H over Adobe-GB1 CIDs and no ToUnicode: read through the Adobe-GB1-UCS2 CMap (the red team's N4e; CIDs from its gb1-cids.mjs).
  const gb1: Record<string, number> = { '0': 17, '1': 18, '★': 174, 机: 2063, 密: 2785, 年: 2893 };
  const cids = [...MARK].map((c) => gb1[c]!.toString(16).padStart(4, '0')).join('');
  out.push(p('Identity-H over Adobe-GB1 CIDs, no ToUnicode', onePage(`BT /F1 24 Tf 72 700 Td <${cids}> Tj ET`, [
    '<</Type/Font/Subtype/Type0/BaseFont/SimSun/Encoding/Identity-H/DescendantFonts[6 0 R]>>',
    '<</Type/Font/Subtype/CIDFontType2/BaseFont/SimSun/CIDSystemInfo<</Registry(Adobe)/Ordering(GB1)/Supplement 2>>/FontDescriptor 7 0 R/DW 1000>>',
    '<</Type/FontDescriptor/FontName/SimSun/Flags 6/FontBBox[0 -200 1000 900]/ItalicAngle 0/Ascent 880/Descent -120/CapHeight 700/StemV 80>>',
  ])));
  return out;
}

/** Ordinary reports in the same fonts (the look-alikes of the marking among them). */
export function cjkCMapCleanSamples(): Array<MarkupSample & { expect: string }> {
  const text = ['二〇二六年第三季度工作报告', '关于保守商业秘密的提示：请遵守工作秘密管理规定。', '收入 1,234,567.50 元，支出 987,654.00 元。'];
  return ['UniGB-UCS2-H', 'GBK-EUC-H', 'UniGB-UCS2-V'].map((c) => p(`an ordinary report in STSong-Light through ${c}`, cjkPdf(c, text), ''))
    .concat([p('an ordinary notice in MSung-Light through ETen-B5-H', cjkPdf('ETen-B5-H', ['關於保守商業秘密的提示', '第三季度報告']), '')]);
}

const memo = Buffer.from(`关于工作的通知\n${MARK}\n身份证 ${ID}\n`);
const xmp = (attr: string): string => `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" dc:description="${attr}"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
const utf16Title = (s: string): string => `<FEFF${ucs2(s).toString('hex')}>`;
const plain = 'BT /F1 12 Tf 72 720 Td (Quarterly report) Tj ET';
const helvetica = ['<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>'];

/** N15: streams no page reaches (or reached only by the object reading) behind filters other than plain Flate. */
export function filterSamples(): Array<MarkupSample & { expect: string }> {
  const out: Array<MarkupSample & { expect: string }> = [];
  const ways: Array<[string, Filter[], Predict?]> = [
    ['LZW', ['LZWDecode']],
    ['ASCIIHex then LZW', ['ASCIIHexDecode', 'LZWDecode']],
    ['ASCII85 then Flate', ['ASCII85Decode', 'FlateDecode']],
    ['RunLength', ['RunLengthDecode']],
    ['Flate with the TIFF predictor', ['FlateDecode'], { predictor: 2, columns: 8 }],
    ['Flate with the PNG Up predictor', ['FlateDecode'], { predictor: 12, columns: 8 }],
    ['Flate with the PNG Paeth predictor', ['FlateDecode'], { predictor: 14, columns: 5 }],
    ['LZW (short names AHx, LZW) with the PNG Sub predictor', ['AHx', 'LZW'], { predictor: 11, columns: 16 }],
  ];
  for (const [way, filters, pr] of ways) {
    out.push(p(`an unreferenced embedded file, ${way}`, onePage(plain, helvetica, { extra: [filtered('/Type/EmbeddedFile', memo, filters, pr)] })));
    out.push(p(`an unreferenced stream, ${way}`, onePage(plain, helvetica, { extra: [filtered('', memo, filters, pr)] })));
  }
  out.push(p('XMP on the page, LZW', onePage(plain, helvetica, { page: '/Metadata 6 0 R', extra: [filtered('/Type/Metadata/Subtype/XML', Buffer.from(xmp(MARK)), ['LZWDecode'])] })));
  out.push(p('XMP in UTF-16BE without a byte order mark', onePage(plain, helvetica, { catalog: '/Metadata 6 0 R', extra: [filtered('/Type/Metadata/Subtype/XML', ucs2(xmp(MARK)), ['FlateDecode'])] })));
  out.push(p('an object stream compressed with LZW, a UTF-16 title in it', onePage(plain, helvetica, { extra: [filtered('/Type/ObjStm/N 1/First 5', Buffer.from(`99 0 <</Title ${utf16Title(MARK)}>>`, 'latin1'), ['LZWDecode'])] })));
  // Filters not decoded here: a finding, not silence.
  const crypt = Buffer.concat([Buffer.from('<</Filter[/Crypt]/DecodeParms[<</Name/Secret>>]/Length 16>>stream\n', 'latin1'), Buffer.alloc(16, 7), Buffer.from('\nendstream', 'latin1')]);
  out.push(p('a stream behind a named Crypt filter', onePage(plain, helvetica, { extra: [crypt] }), 'inspection-limit'));
  const unknown = Buffer.concat([Buffer.from('<</Type/EmbeddedFile/Filter/BrotliDecode/Length 12>>stream\n', 'latin1'), Buffer.from('0123456789ab'), Buffer.from('\nendstream', 'latin1')]);
  out.push(p('an embedded file behind a filter of no standard', onePage(plain, helvetica, { extra: [unknown] }), 'inspection-limit'));
  // Review of 1 Dec: a file whose Flate fails its Adler-32 only (a lenient reader decodes it) was skipped in silence.
  const flate = filtered('/Type/EmbeddedFile', memo, ['FlateDecode']);
  const at = flate.lastIndexOf(Buffer.from('\nendstream', 'latin1'));
  const adler = Buffer.from(flate);
  adler[at - 1] = adler[at - 1]! ^ 0xff;
  out.push(p('an embedded file whose Flate fails its check', onePage(plain, helvetica, { extra: [adler] }), 'inspection-limit'));
  return out;
}

/** Ordinary documents with streams behind the same filters, and images behind filters that are not decoded. */
export function filterCleanSamples(): Array<MarkupSample & { expect: string }> {
  const csv = Buffer.from(`地区,季度,数量,金额\n${Array.from({ length: 200 }, (_, i) => `区${i % 17},Q${(i % 4) + 1},${i * 13},${(i * 7919) % 100000}.50`).join('\n')}\n`);
  const log = Buffer.from(Array.from({ length: 100 }, (_, i) => `2026-11-30T08:${String(i % 60).padStart(2, '0')}:00Z INFO request ${i} served in ${i % 13} ms`).join('\n'));
  const picture = zlib.deflateSync(Buffer.from(Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 31) & 0xff)));
  return [
    p('a CSV of amounts attached behind Flate with the PNG Up predictor, and one behind LZW', onePage(plain, helvetica, {
      catalog: '/Names<</EmbeddedFiles<</Names[(stats.csv) 8 0 R]>>>>',
      extra: [filtered('/Type/EmbeddedFile', csv, ['FlateDecode'], { predictor: 12, columns: 16 }), filtered('/Type/EmbeddedFile', log, ['LZWDecode']), '<</Type/Filespec/F(stats.csv)/EF<</F 6 0 R>>>>'],
    }), ''),
    p('ordinary XMP in UTF-16BE and an LZW content stream', pdfOf([
      '<</Type/Catalog/Pages 2 0 R/Metadata 6 0 R>>',
      '<</Type/Pages/Kids[3 0 R]/Count 1>>',
      '<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>',
      filtered('', Buffer.from('BT /F1 12 Tf 72 720 Td (Minutes of the quarterly meeting, 30 November) Tj ET', 'latin1'), ['LZWDecode']),
      helvetica[0]!,
      filtered('/Type/Metadata/Subtype/XML', ucs2(xmp('季度工作总结 商业秘密 保密协议')), ['FlateDecode']),
    ]), ''),
    p('pictures behind DCT, JPX and Flate with a predictor, with a Crypt filter of Identity', onePage(plain, helvetica, {
      extra: [
        filtered('/Type/XObject/Subtype/Image/Width 64/Height 64/ColorSpace/DeviceRGB/BitsPerComponent 8', Buffer.from(picture), ['FlateDecode'], { predictor: 15, columns: 192 }),
        Buffer.concat([Buffer.from('<</Type/XObject/Subtype/Image/Width 8/Height 8/Filter/DCTDecode/Length 4>>stream\n', 'latin1'), Buffer.from([0xff, 0xd8, 0xff, 0xd9]), Buffer.from('\nendstream', 'latin1')]),
        Buffer.concat([Buffer.from('<</Filter[/Crypt /FlateDecode]/DecodeParms[<</Name/Identity>> null]/Length 0>>stream\n', 'latin1'), Buffer.from('\nendstream', 'latin1')]),
      ],
    }), ''),
  ];
}

/** A7: EICAR attached through the name tree behind Flate with a PNG predictor (clamd does not undo predictors). */
export function eicarBehindPredictor(predictor: Predict['predictor'] = 12): Buffer {
  return onePage(plain, helvetica, {
    catalog: '/Names<</EmbeddedFiles<</Names[(e.com) 7 0 R]>>>>',
    extra: [filtered('/Type/EmbeddedFile', Buffer.from(EICAR), ['FlateDecode'], { predictor, columns: 8 }), '<</Type/Filespec/F(e.com)/EF<</F 6 0 R>>>>'],
  });
}

/**
 * N10: a small PDF (62 KB, under the 64 KiB of a batched body) whose page draws two content streams that each
 * inflate to 16 MB of text operators: seconds of pdf.js on any machine (the red team's had one, 31 KB).
 */
export function stallPdf(): Buffer {
  const ops = Buffer.from(`BT /F1 1 Tf ${'(ab) Tj 0 -1 Td '.repeat(1_000_000)}ET`, 'latin1');
  return onePage(ops.toString('latin1'), helvetica, { contents: '[4 0 R 6 0 R]', extra: [filtered('', ops, ['FlateDecode'])] });
}

/**
 * A manual as groff sets it: many pages of dense text in the standard fonts, each page's operators behind Flate,
 * one `Tj` a word at its own place (groff places words, pdf.js reads each as an item). Some 4 s of pdf.js a MiB.
 */
export function manualPdf(pages: number, lastLine = ''): Buffer {
  const words = 'the option sets how many lines of context are printed before and after each match of the pattern'.split(' ');
  const objs: Array<string | Buffer> = ['<</Type/Catalog/Pages 2 0 R>>', '', helvetica[0]!];
  const kids: string[] = [];
  for (let p = 0; p < pages; p++) {
    let ops = 'BT /F1 10 Tf\n';
    for (let line = 0; line < 66; line++) {
      let x = 72;
      for (let w = 0; w < 12; w++) {
        const word = `${words[(p * 7 + line * 12 + w) % words.length]}${(p * 66 + line) % 97}`;
        ops += `1 0 0 1 ${x} ${780 - line * 11} Tm (${word}) Tj\n`;
        x += 6 * word.length + 3;
      }
    }
    if (p === pages - 1 && lastLine) ops += `1 0 0 1 72 40 Tm (${lastLine}) Tj\n`;
    const page = objs.length + 1;
    kids.push(`${page} 0 R`);
    objs.push(`<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents ${page + 1} 0 R/Resources<</Font<</F1 3 0 R>>>>>>`);
    objs.push(filtered('', Buffer.from(`${ops}ET\n`, 'latin1'), ['FlateDecode']));
  }
  objs[1] = `<</Type/Pages/Kids[${kids.join(' ')}]/Count ${pages}>>`;
  return pdfOf(objs);
}
