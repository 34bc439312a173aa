import zlib from 'node:zlib';
import { ID, MARK, pdfOf } from './evasion-fixtures.js';
import { zip } from './inspect-fixtures.js';

// Documents whose markup makes what a reader sees differ from the order of
// their bytes (issue 14, red team of 30 November 2026), and ordinary
// documents that use the same markup, written by code.

export interface MarkupSample {
  name: string;
  body: Buffer;
  filename: string;
  type: string;
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ODT = 'application/vnd.oasis.opendocument.text';

export function docxOf(body: string): Buffer {
  return zip([{ name: 'word/document.xml', data: Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}"><w:body><w:p>${body}</w:p></w:body></w:document>`) }]);
}

export function xlsxOf(part: string, xml: string): Buffer {
  return zip([{ name: part, data: Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${xml}`) }]);
}

export function odtOf(styles: string, body: string): Buffer {
  const content = `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"><office:automatic-styles>${styles}</office:automatic-styles><office:body><office:text><text:p>${body}</text:p></office:text></office:body></office:document-content>`;
  return zip([
    { name: 'mimetype', data: Buffer.from(ODT), method: 0 },
    { name: 'content.xml', data: Buffer.from(content) },
  ]);
}

const sheet = (cells: string): string => `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">${cells}</row></sheetData></worksheet>`;
const html = (body: string): Buffer => Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知</title></head><body>${body}</body></html>`);
const rev = (s: string): string => [...s].reverse().join('');

/** Markup ways through: each hides or reorders the marking so that storage order splits it. */
export function markupSamples(): MarkupSample[] {
  const h = (name: string, body: string): MarkupSample => ({ name, body: html(body), filename: 'a.html', type: 'text/html' });
  const d = (name: string, body: string): MarkupSample => ({ name, body: docxOf(body), filename: 'a.docx', type: DOCX });
  const x = (name: string, part: string, xml: string): MarkupSample => ({ name, body: xlsxOf(part, xml), filename: 'a.xlsx', type: XLSX });
  return [
    h('HTML ruby annotations between the characters', `<p><ruby>机<rt>jī</rt>密<rt>mì</rt></ruby>★10年</p>`),
    h('HTML ruby with rp fallbacks', `<p><ruby>机<rp>(</rp><rt>jī</rt><rp>)</rp></ruby><ruby>密<rp>(</rp><rt>mì</rt><rp>)</rp></ruby>★10年</p>`),
    h('HTML <bdo dir="rtl"> over reversed text', `<p><bdo dir="rtl">${rev(MARK)}</bdo></p>`),
    h('CSS direction: rtl with unicode-bidi: bidi-override', `<p style="direction: rtl; unicode-bidi: bidi-override">${rev(MARK)}</p>`),
    h('CSS display:none between', `<p>机<span style="display:none">干扰文字</span>密★10年</p>`),
    h('CSS font-size:0 between', `<p>机<span style="font-size:0">xyz</span>密★10年</p>`),
    h('hidden attribute between', `<p>机<span hidden>xyz</span>密★10年</p>`),
    h('CSS flex order', `<div style="display:flex"><span style="order:2">密★10年</span><span style="order:1">机</span></div>`),
    h('a <script> between the characters', `<p>机<script>var q = 1;</script>密★10年</p>`),
    h('a <style> between the characters', `<p>机<style>p { color: red }</style>密★10年</p>`),
    d('Word hidden run (w:vanish)', `<w:r><w:t>机</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>干扰</w:t></w:r><w:r><w:t>密★10年</w:t></w:r>`),
    d('Word tracked deletion (w:delText)', `<w:r><w:t>机</w:t></w:r><w:del w:id="1" w:author="a"><w:r><w:delText>已删</w:delText></w:r></w:del><w:r><w:t>密★10年</w:t></w:r>`),
    d('Word star as a Wingdings symbol (w:sym)', `<w:r><w:t>机密</w:t></w:r><w:r><w:sym w:font="Wingdings" w:char="F0AB"/></w:r><w:r><w:t>10年</w:t></w:r>`),
    d('Word SYMBOL field for the star', `<w:r><w:t>机密</w:t></w:r><w:fldSimple w:instr=' SYMBOL 171 \\f "Wingdings" '/><w:r><w:t>10年</w:t></w:r>`),
    d('Word QUOTE field code between', `<w:r><w:t>机</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> QUOTE "密" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>密</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>★10年</w:t></w:r>`),
    d('Word QUOTE field with no result', `<w:r><w:t>机</w:t></w:r><w:fldSimple w:instr=' QUOTE "密" '/><w:r><w:t>★10年</w:t></w:r>`),
    x('Excel UNICHAR formula with no cached value', 'xl/worksheets/sheet1.xml', sheet(`<c r="A1" t="str"><f>UNICHAR(26426)&amp;UNICHAR(23494)&amp;UNICHAR(9733)&amp;"10"&amp;UNICHAR(24180)</f></c>`)),
    x('Excel string concatenation around an empty REPT', 'xl/worksheets/sheet1.xml', sheet(`<c r="A1" t="str"><f>"机"&amp;REPT("-",0)&amp;"密"&amp;"★"&amp;"10年"</f></c>`)),
    x('Excel CONCATENATE with CHAR (GBK codes)', 'xl/worksheets/sheet1.xml', sheet(`<c r="A1" t="str"><f>CONCATENATE(CHAR(48122),CHAR(50140),"★10年")</f></c>`)),
    x('Excel phonetic run between', 'xl/sharedStrings.xml', `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><r><t>机</t></r><rPh sb="0" eb="1"><t>ji</t></rPh><r><t>密★10年</t></r></si></sst>`),
    { name: 'ODF hidden span (text:display none)', body: odtOf(`<style:style style:name="T1" style:family="text"><style:text-properties text:display="none"/></style:style>`, `机<text:span text:style-name="T1">xyz</text:span>密★10年`), filename: 'a.odt', type: ODT },
  ];
}

/** Ordinary documents with the same markup: nothing to find. */
export function markupCleanSamples(): MarkupSample[] {
  return [
    { name: 'ruby over ordinary words', body: html(`<p><ruby>汉<rt>hàn</rt>字<rt>zì</rt></ruby>的注音，<ruby>北京<rp>(</rp><rt>Běijīng</rt><rp>)</rp></ruby>欢迎你。</p>`), filename: 'a.html', type: 'text/html' },
    { name: 'an Arabic page with bdo and rtl', body: html(`<p dir="rtl" style="direction: rtl; unicode-bidi: bidi-override">مرحبا بكم في الموقع</p><p><bdo dir="rtl">通知：会议改期</bdo></p>`), filename: 'a.html', type: 'text/html' },
    { name: 'a page with scripts, styles and hidden menus', body: html(`<style>.m{display:none}</style><script>var config = { page: 1, ids: [110105, 1949] };</script><nav class="m" style="display:none">菜单</nav><div style="display:flex"><span style="order:2">第二</span><span style="order:1">第一</span></div><p>欢迎访问。</p>`), filename: 'a.html', type: 'text/html' },
    { name: 'a Word document with fields, symbols and revisions', body: docxOf(`<w:r><w:t>会议纪要</w:t></w:r><w:r><w:sym w:font="Wingdings" w:char="F0FC"/></w:r><w:fldSimple w:instr=' PAGE '><w:r><w:t>1</w:t></w:r></w:fldSimple><w:del w:id="1" w:author="a"><w:r><w:delText>草稿</w:delText></w:r></w:del><w:r><w:rPr><w:vanish/></w:rPr><w:t>备注</w:t></w:r>`), filename: 'a.docx', type: DOCX },
    { name: 'a formula workbook', body: xlsxOf('xl/worksheets/sheet1.xml', sheet(`<c r="A1"><v>12</v></c><c r="B1"><f>SUM(A1:A9)*2</f><v>24</v></c><c r="C1" t="str"><f>"合计："&amp;TEXT(B1,"0.00")&amp;"元"</f><v>合计：24.00元</v></c><c r="D1" t="str"><f>CONCATENATE("第",ROW(),"行")</f></c><c r="E1" t="str"><f>UNICHAR(20320)&amp;UNICHAR(22909)</f></c>`)), filename: 'a.xlsx', type: XLSX },
    { name: 'an ODF text with a hidden style', body: odtOf(`<style:style style:name="T1" style:family="text"><style:text-properties text:display="none"/></style:style>`, `会议<text:span text:style-name="T1">草稿</text:span>纪要`), filename: 'a.odt', type: ODT },
  ];
}

// PDF: one page, a Type0 font (Identity-H) whose ToUnicode map gives glyph i+1 the i-th character.

export function pdfStream(dict: string, data: Buffer, deflate = true): Buffer {
  const body = deflate ? zlib.deflateSync(data) : data;
  return Buffer.concat([Buffer.from(`<<${dict}/Length ${body.length}${deflate ? '/Filter/FlateDecode' : ''}>>stream\n`, 'latin1'), body, Buffer.from('\nendstream', 'latin1')]);
}

const utf16 = (s: string): string => `<FEFF${[...s].map((c) => c.codePointAt(0)!.toString(16).padStart(4, '0')).join('')}>`;

/** A page drawn by `content(glyphs)`; objects 9 on are `extra` (a `catalog` entry or `annots` may point at them; given the glyphs when a function); `resources` adds to the page's resources. */
export function pdfPage(chars: string, content: (g: (s: string) => string) => string, o: { extra?: Array<string | Buffer> | ((g: (s: string) => string) => Array<string | Buffer>); catalog?: string; page?: string; resources?: string; noDescriptor?: boolean } = {}): Buffer {
  const cs = [...new Set([...chars])];
  const code = (c: string): string => (cs.indexOf(c) + 1).toString(16).padStart(4, '0').toUpperCase();
  const g = (s: string): string => `<${[...s].map(code).join('')}>`;
  const cmap = `/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Adobe-Identity-UCS def /CMapType 2 def
1 begincodespacerange <0000> <FFFF> endcodespacerange
${cs.length} beginbfchar
${cs.map((c, i) => `<${code(c)}> <${c.codePointAt(0)!.toString(16).padStart(4, '0').toUpperCase()}>`).join('\n')}
endbfchar endcmap CMapName currentdict /CMap defineresource pop end end`;
  return pdfOf([
    `<</Type/Catalog/Pages 2 0 R${o.catalog ?? ''}>>`,
    '<</Type/Pages/Kids[3 0 R]/Count 1>>',
    `<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>${o.resources ?? ''}>>${o.page ?? ''}>>`,
    pdfStream('', Buffer.from(content(g), 'latin1')),
    '<</Type/Font/Subtype/Type0/BaseFont/SimSun/Encoding/Identity-H/DescendantFonts[6 0 R]/ToUnicode 7 0 R>>',
    // Without a descriptor pdf.js cannot load the font: it reads a byte a code (a NUL before each character) and loses the places.
    `<</Type/Font/Subtype/CIDFontType2/BaseFont/SimSun/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>${o.noDescriptor ? '' : '/FontDescriptor 8 0 R'}/DW 1000>>`,
    pdfStream('', Buffer.from(cmap, 'latin1')),
    '<</Type/FontDescriptor/FontName/SimSun/Flags 6/FontBBox[0 -141 1000 859]/ItalicAngle 0/Ascent 859/Descent -141/CapHeight 859/StemV 80>>',
    ...(typeof o.extra === 'function' ? o.extra(g) : (o.extra ?? [])),
  ]);
}

/** PDF ways through (objects 9 on are the extra ones). */
export function pdfSamples(id: string): MarkupSample[] {
  const p = (name: string, body: Buffer): MarkupSample => ({ name, body, filename: 'a.pdf', type: 'application/pdf' });
  const all = `通知正文${MARK}${id}`;
  const plain = (g: (s: string) => string): string => `BT /F1 12 Tf 72 720 Td ${g('通知正文')} Tj ET`;
  return [
    p('text drawn right part first, then the left part', pdfPage(all, (g) => `BT /F1 12 Tf 84 720 Td ${g('密★10年')} Tj ET BT /F1 12 Tf 72 720 Td ${g('机')} Tj ET`)),
    p('text drawn right part first in a font pdf.js cannot load', pdfPage(all, (g) => `BT /F1 12 Tf 84 720 Td ${g('密★10年')} Tj ET BT /F1 12 Tf 72 720 Td ${g('机')} Tj ET`, { noDescriptor: true })),
    p('an identity number in a font pdf.js cannot load (NULs between digits)', pdfPage(all, (g) => `BT /F1 12 Tf 72 700 Td ${g(id)} Tj ET`, { noDescriptor: true })),
    p('an identity number drawn digit by digit from the right, font not loaded', pdfPage(all, (g) => [...id].map((c, i) => ({ c, i })).reverse().map(({ c, i }) => `BT /F1 12 Tf ${72 + i * 12} 700 Td ${g(c)} Tj ET`).join(' '), { noDescriptor: true })),
    p('an identity number drawn digit by digit from the right', pdfPage(all, (g) => [...id].map((c, i) => ({ c, i })).reverse().map(({ c, i }) => `BT /F1 12 Tf ${72 + i * 12} 700 Td ${g(c)} Tj ET`).join(' '))),
    p('/ActualText of marked content', pdfPage(all, (g) => `/Span <</ActualText ${utf16(MARK)}>> BDC ${plain(g)} EMC`)),
    p('JavaScript action in a compressed stream', pdfPage(all, plain, { catalog: '/OpenAction 9 0 R', extra: ['<</S/JavaScript/JS 10 0 R>>', pdfStream('', Buffer.from(`app.alert("${[...MARK].map((c) => '\\u' + c.codePointAt(0)!.toString(16).padStart(4, '0')).join('')}");`))] })),
    p('a file attached by an annotation only', pdfPage(all, plain, { page: '/Annots[9 0 R]', extra: ['<</Type/Annot/Subtype/FileAttachment/Rect[0 0 10 10]/FS 10 0 R/Contents(file)>>', '<</Type/Filespec/F(a.txt)/EF<</F 11 0 R>>>>', pdfStream('/Type/EmbeddedFile', Buffer.from(`${MARK}\n`))] })),
    p('an annotation appearance stream', pdfPage(all, plain, { page: '/Annots[9 0 R]', extra: ['<</Type/Annot/Subtype/Stamp/Rect[0 0 200 50]/AP<</N 10 0 R>>>>', pdfStream('/Type/XObject/Subtype/Form/BBox[0 0 200 50]/Resources<</Font<</F1 5 0 R>>>>', Buffer.from(`BT /F1 12 Tf 0 0 Td <${[...MARK].map((c) => ([...new Set([...all])].indexOf(c) + 1).toString(16).padStart(4, '0')).join('')}> Tj ET`, 'latin1'))] })),
    p('an unreferenced compressed stream', pdfPage(all, plain, { extra: [pdfStream('', Buffer.from(`${MARK}\n`))] })),
    p('an unreferenced object stream with a UTF-16 title', pdfPage(all, plain, { extra: [pdfStream('/Type/ObjStm/N 1/First 5', Buffer.from(`10 0 <</Title ${utf16(MARK)}>>`, 'latin1'))] })),
  ];
}

/** An ordinary PDF with positioned text (a table drawn column by column), an outline and an image. */
export function pdfCleanSample(): MarkupSample {
  const text = '季度报告收入支出合计一二三四月份123456789';
  const cells = [['季度报告', 72, 740], ['月份', 72, 700], ['一月', 72, 680], ['二月', 72, 660], ['收入', 200, 700], ['123', 200, 680], ['456', 200, 660], ['支出', 320, 700], ['78', 320, 680], ['9', 320, 660], ['合计', 72, 600]] as const;
  return {
    name: 'a PDF with text positioned column by column',
    body: pdfPage(text, (g) => cells.map(([s, x, y]) => `BT /F1 12 Tf ${x} ${y} Td ${g(s)} Tj ET`).join('\n')),
    filename: 'a.pdf',
    type: 'application/pdf',
  };
}

/**
 * Second red team (30 November 2026): hiding and reordering the first
 * reading did not apply. Styles set by class rules in a <style> sheet,
 * off-screen, zero-size, transparent and scaled-away text, elements a
 * browser does not draw (noscript, an SVG's title), reordering by
 * flex-direction, float, grid placement and order by class; Word moves,
 * special vanish and half-point text; Excel's substring functions.
 */
export function shownSamples(): MarkupSample[] {
  const h = (name: string, body: string, head = ''): MarkupSample => ({ name, body: Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知</title>${head}</head><body>${body}</body></html>`), filename: 'a.html', type: 'text/html' });
  const d = (name: string, body: string): MarkupSample => ({ name, body: docxOf(body), filename: 'a.docx', type: DOCX });
  const x = (name: string, f: string): MarkupSample => ({ name, body: xlsxOf('xl/worksheets/sheet1.xml', sheet(`<c r="A1" t="str"><f>${f}</f></c>`)), filename: 'a.xlsx', type: XLSX });
  const between = (name: string, style: string): MarkupSample => h(name, `<p>机<span style="${style}">干扰文字</span>密★10年</p>`);
  return [
    h('display:none set by a class in <style>', `<p>机<span class="n">干扰文字</span>密★10年</p>`, '<style>.n { display: none }</style>'),
    h('display:none by a class rule of a <style> after the text', `<p>机<span class="n">干扰文字</span>密★10年</p><style>.n { display: none }</style>`),
    h('display:none set by an id and a tag.class rule', `<p>机<span id="z">干扰</span>密<em class="q">扰</em>★10年</p>`, '<style>#z{display:none} em.q{visibility:hidden}</style>'),
    h('hiding by a rule with a descendant selector', `<div class="w"><p>机<b class="k">干扰</b>密★10年</p></div>`, '<style>div.w p > b.k:first-child { font-size: 0 }</style>'),
    between('position:absolute; left:-9999px', 'position:absolute; left:-9999px'),
    between('visibility:collapse', 'visibility:collapse'),
    between('width:0; overflow:hidden', 'display:inline-block; width:0; overflow:hidden'),
    between('transform:scale(0)', 'display:inline-block; transform:scale(0)'),
    between('color:transparent', 'color:transparent'),
    between('color rgba with alpha 0', 'color: rgba(0, 0, 0, 0)'),
    between('clip-path: inset(50%)', 'position:absolute; clip-path: inset(50%)'),
    h('a character given by ::before content', `<p><span class="a"></span>密★10年</p>`, '<style>.a::before { content: "\\673A" }</style>'),
    h('characters given by ::after content from an attribute', `<p>机<span data-t="密" class="b"></span>★10年</p>`, '<style>span.b::after { content: attr(data-t) }</style>'),
    h('transform: translateX(-9999px)', `<p>机<span style="display:inline-block; transform: translateX(-9999px)">干扰</span>密★10年</p>`),
    h('table cells in a right-to-left table', `<table dir="rtl"><tr><td>密★10年</td><td>机</td></tr></table>`),
    between('white text on the white page', 'color: #fff'),
    h('white text by a class rule', `<div class="c"><p>机<span class="w">干扰</span>密★10年</p></div>`, '<style>.c .w { color: white }</style>'),
    h('<noscript> between', `<p>机<noscript>请启用脚本</noscript>密★10年</p>`),
    h('<svg><title> between', `<p>机<svg width="0" height="0"><title>图标</title></svg>密★10年</p>`),
    h('flex-direction: row-reverse', `<div style="display:flex; flex-direction: row-reverse"><span>密★10年</span><span>机</span></div>`),
    h('float: right', `<p><span style="float: right">密★10年</span><span>机</span></p>`),
    h('float: left after the rest', `<p>密★10年<span style="float: left">机</span></p>`),
    h('grid-column', `<div style="display:grid; grid-template-columns: 1fr 1fr"><span style="grid-column: 2">密★10年</span><span style="grid-column: 1">机</span></div>`),
    h('flex order by class', `<div class="f"><span class="b">密★10年</span><span class="a">机</span></div>`, '<style>.f{display:flex}.a{order:1}.b{order:2}</style>'),
    h('absolutely positioned parts, right one first', `<div style="position:relative"><span style="position:absolute; left:24px">密★10年</span><span style="position:absolute; left:0">机</span></div>`),
    h('an identity number with transparent digits between', `<p>${ID.slice(0, 9)}<span class="t">00</span>${ID.slice(9)}</p>`, '<style>.t{color:transparent}</style>'),
    d('Word move source (w:moveFrom) between', `<w:r><w:t>机</w:t></w:r><w:moveFrom w:id="1" w:author="a"><w:r><w:t>干扰</w:t></w:r></w:moveFrom><w:r><w:t>密★10年</w:t></w:r>`),
    d('Word special vanish (w:specVanish)', `<w:r><w:t>机</w:t></w:r><w:r><w:rPr><w:specVanish/></w:rPr><w:t>干扰</w:t></w:r><w:r><w:t>密★10年</w:t></w:r>`),
    d('Word half-point text (w:sz w:val="1")', `<w:r><w:t>机</w:t></w:r><w:r><w:rPr><w:sz w:val="1"/><w:szCs w:val="1"/></w:rPr><w:t>干扰</w:t></w:r><w:r><w:t>密★10年</w:t></w:r>`),
    d('Word white text (w:color FFFFFF)', `<w:r><w:t>机</w:t></w:r><w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr><w:t>干扰</w:t></w:r><w:r><w:t>密★10年</w:t></w:r>`),
    { name: 'Excel rich text: a run of one point and a white run', body: xlsxOf('xl/sharedStrings.xml', `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><r><t>机</t></r><r><rPr><sz val="1"/></rPr><t>干扰</t></r><r><t>密</t></r><r><rPr><color rgb="FFFFFFFF"/></rPr><t>扰</t></r><r><t>★10年</t></r></si></sst>`), filename: 'a.xlsx', type: XLSX },
    { name: 'a slide run of one point (a:rPr sz="100")', body: zip([{ name: 'ppt/slides/slide1.xml', data: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:rPr lang="zh-CN"/><a:t>机</a:t></a:r><a:r><a:rPr lang="zh-CN" sz="100"/><a:t>干扰</a:t></a:r><a:r><a:rPr lang="zh-CN" sz="2400"/><a:t>密★10年</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>`) }]), filename: 'a.pptx', type: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' },
    x('Excel MID over literals', 'MID("扰机扰",2,1)&amp;MID("扰扰密扰",3,1)&amp;"★10年"'),
    x('Excel LEFT and RIGHT over literals', 'LEFT("机扰",1)&amp;RIGHT("扰密",1)&amp;"★10年"'),
    x('Excel SUBSTITUTE of the filler', 'SUBSTITUTE("机扰密★10年","扰","")'),
    x('Excel IF and CHOOSE over literals', 'IF(TRUE,"机","扰")&amp;CHOOSE(2,"扰","密")&amp;TEXTAFTER("扰:★10年",":")'),
  ];
}

/** Ordinary pages and documents with stylesheets, floats, grids and moves: nothing to find. */
export function shownCleanSamples(): MarkupSample[] {
  const page = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>关于做好年度工作的通知</title>
<style>
  body { font-family: "Microsoft YaHei", sans-serif; color: #333 }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0) }
  .nav { display: flex; flex-direction: row-reverse } .nav a { order: 2 } .nav a.home { order: 1 }
  .grid { display: grid; grid-template-columns: 1fr 1fr } .right { float: right } .hide { display: none }
  @media print { .no-print { display: none } }
.btn { background: #c00; color: #fff } .bar { background-color: rgb(40, 40, 40) } .bar a { color: white }
    .req::after { content: " *" } .tip::before { content: attr(title) "：" } p::first-letter { font-size: 0 } .link::before { content: "\\2192" }
</style></head><body>
<div class="nav"><a class="home" href="/">首页</a><a href="/news">新闻</a><a href="/about">关于我们</a></div>
<span class="sr-only">跳到正文</span><h1>关于做好年度工作的通知</h1>
<div class="grid"><div style="grid-column: 2">联系电话：010-1234</div><div style="grid-column: 1">发布日期：2026年11月30日</div></div>
<p><span class="right">第1页</span>各单位：请于12月10日前报送材料。<span class="hide">草稿</span></p>
<p style="color: transparent">.</p><noscript>请启用脚本</noscript><svg width="16" height="16"><title>图标</title><circle r="4"/></svg>
<p class="no-print">打印本页</p><label class="req">姓名</label><span class="tip" title="提示">请填写</span><a class="link" href="/a">附件</a>
<table dir="rtl"><tr><td>عدد</td><td>数量</td></tr></table>
<p>机构<button class="btn">提交</button>密码</p><div class="bar"><a href="/">机构</a><a href="/m">密码</a></div><p style="background:#036">机<span style="color:#fff">关</span>密切配合</p><p class="btn">机<span style="color:#fff">关</span>密切</p></body></html>`;
  return [
    { name: 'an ordinary page with a stylesheet, flex, grid, float and hidden parts', body: Buffer.from(page), filename: 'a.html', type: 'text/html' },
    { name: 'a page whose style sheet comes at the end', body: Buffer.from(`<!DOCTYPE html><html><body><p>机构<span class="n">改革</span>密切配合</p><p class="note">注：<span class="n">见附件</span>保密协议另行签署。</p><style>.n { display: none } .note { float: right }</style></body></html>`), filename: 'a.html', type: 'text/html' },
    { name: 'a page of 300 paragraphs and list items without end tags', body: Buffer.from(`<!DOCTYPE html><html><head><style>.x { display: none }</style></head><body><ul>${Array.from({ length: 300 }, (_, i) => `<li>第${i}项<p>机构改革第${i}段<p>密切配合`).join('')}</ul></body></html>`), filename: 'a.html', type: 'text/html' },
    { name: 'source code with generics and comparisons to f', body: Buffer.from(`// Map<String, List<Integer>> and a<f comparisons, 300 times\n${Array.from({ length: 300 }, (_, i) => `Map<String, List<Integer>> m${i} = new HashMap<>(); for (int i = 0; i<f${i}; i++) { if (a<f && b>c) style = "x"; }`).join('\n')}\n`), filename: 'Main.java', type: 'text/x-java' },
    { name: 'a Word document with a move and small text', body: docxOf(`<w:r><w:t>会议</w:t></w:r><w:moveFrom w:id="1" w:author="a"><w:r><w:t>纪要</w:t></w:r></w:moveFrom><w:r><w:rPr><w:sz w:val="1"/></w:rPr><w:t> </w:t></w:r><w:moveTo w:id="2" w:author="a"><w:r><w:t>纪要</w:t></w:r></w:moveTo><w:r><w:t>机</w:t></w:r><w:r><w:rPr><w:color w:val="FFFFFF"/><w:shd w:val="clear" w:color="auto" w:fill="1F4E79"/></w:rPr><w:t>关</w:t></w:r><w:r><w:t>密切</w:t></w:r>`), filename: 'a.docx', type: DOCX },
    { name: 'a workbook whose rich text has small and white runs of ordinary words', body: xlsxOf('xl/sharedStrings.xml', `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><r><t>机</t></r><r><rPr><sz val="11"/><color rgb="FF000000"/></rPr><t>关</t></r><r><t>密切配合</t></r></si><si><r><rPr><sz val="1"/></rPr><t>备注</t></r><r><t>合计</t></r></si></sst>`), filename: 'a.xlsx', type: XLSX },
    { name: 'a workbook with substring formulas', body: xlsxOf('xl/worksheets/sheet1.xml', sheet(`<c r="A1" t="str"><f>LEFT("2026年11月30日",5)&amp;MID("第一季度",2,2)&amp;RIGHT("编号ABC",3)</f></c><c r="B1" t="str"><f>IF(A2&gt;60,"合格","不合格")&amp;CHOOSE(MONTH(A3),"一月","二月")&amp;TEXT(A4,"0.00")</f><v>合格一月12.00</v></c>`)), filename: 'a.xlsx', type: XLSX },
  ];
}

/** PDF ways through the second reading: the first-drawn part moved by the CTM, by TJ kerning, or drawn mirrored. */
export function shownPdfSamples(id: string): MarkupSample[] {
  const p = (name: string, body: Buffer): MarkupSample => ({ name, body, filename: 'a.pdf', type: 'application/pdf' });
  const all = `通知正文${MARK}${id}`;
  const cm = (g: (s: string) => string): string => `q 1 0 0 1 12 0 cm BT /F1 12 Tf 72 720 Td ${g('密★10年')} Tj ET Q BT /F1 12 Tf 72 720 Td ${g('机')} Tj ET`;
  const tj = (g: (s: string) => string): string => `BT /F1 12 Tf 84 720 Td [${g('密★10年')} 6000 ${g('机')}] TJ ET`;
  const mirror = (g: (s: string) => string): string => `BT /F1 12 Tf -1 0 0 1 144 720 Tm ${g(rev(MARK))} Tj ET`;
  const digits = (g: (s: string) => string): string => [...id].map((c, i) => ({ c, i })).reverse().map(({ c, i }) => `q 1 0 0 1 ${i * 12} 0 cm BT /F1 12 Tf 72 700 Td ${g(c)} Tj ET Q`).join(' ');
  return [
    p('the part drawn first moved right by cm', pdfPage(all, cm)),
    p('the part drawn first moved right by cm, font not loaded', pdfPage(all, cm, { noDescriptor: true })),
    p('reordered by TJ kerning', pdfPage(all, tj)),
    p('reordered by TJ kerning, font not loaded', pdfPage(all, tj, { noDescriptor: true })),
    p('drawn mirrored (Tm -1 0 0 1)', pdfPage(all, mirror)),
    p('drawn mirrored, font not loaded', pdfPage(all, mirror, { noDescriptor: true })),
    p('an identity number digit by digit from the right, each placed by cm', pdfPage(all, digits)),
    p('an identity number digit by digit from the right, each placed by cm, font not loaded', pdfPage(all, digits, { noDescriptor: true })),
  ];
}

/** Ordinary PDFs drawn with a scaled CTM, kerned TJ arrays and a rotated label: nothing to find. */
export function shownPdfCleanSamples(): MarkupSample[] {
  const text = '季度报告收入支出合计一二月份123456789页';
  return [
    {
      name: 'a PDF drawn through a scaled CTM with kerned runs and a rotated page number',
      body: pdfPage(text, (g) => `q 0.5 0 0 0.5 36 0 cm BT /F1 24 Tf 72 1440 Td [${g('季度')} -200 ${g('报告')}] TJ ET Q BT /F1 12 Tf 72 700 Td ${g('收入')} Tj 120 0 Td ${g('123')} Tj ET BT /F1 12 Tf 0 1 -1 0 580 400 Tm ${g('第1页')} Tj ET BT /F1 12 Tf 72 680 Td [${g('支出')} -3000 ${g('456')}] TJ ET`),
      filename: 'a.pdf',
      type: 'application/pdf',
    },
  ];
}

/** Nesting that cost seconds of CPU a file (second red team): a workbook's CONCATENATE 10,000 deep, a docx's fields 20,000 deep. */
export function deepNestingSamples(): MarkupSample[] {
  const n = 10_000;
  const formula = `${'CONCATENATE('.repeat(n)}"a"${')'.repeat(n)}`;
  // Each level a field of its own (a result run between), so the part compresses no more than a document does.
  const fields = Array.from({ length: 20_000 }, (_, k) => `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>QUOTE ${(k * 7919) % 10007}</w:instrText></w:r><w:r><w:t>${k % 97}</w:t></w:r>`).join('') + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'.repeat(20_000);
  const ods = zip([
    { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet'), method: 0 },
    { name: 'content.xml', data: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet><table:table><table:table-row><table:table-cell table:formula="of:=${formula.replaceAll('"', '&quot;')}"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>`) },
  ]);
  return [
    { name: 'CONCATENATE nested 10,000 deep', body: xlsxOf('xl/worksheets/sheet1.xml', sheet(`<c r="A1" t="str"><f>${formula}</f></c>`)), filename: 'a.xlsx', type: XLSX },
    { name: 'CONCATENATE nested 10,000 deep in an ODF spreadsheet', body: ods, filename: 'a.ods', type: 'application/vnd.oasis.opendocument.spreadsheet' },
    { name: 'Word fields nested 20,000 deep', body: docxOf(fields), filename: 'a.docx', type: DOCX },
  ];
}
