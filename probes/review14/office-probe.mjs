// review14: OOXML parts and features a bureau's files use: defined names, data validation lists, hidden sheets,
// comments, slide notes, altChunk, fldSimple, Excel cells that show together. Run after npm run build:
// node probes/review14/office-probe.mjs
import zlib from 'node:zlib';
import iconv from '../../node_modules/iconv-lite/lib/index.js';
import { inspectBytes, kinds, residentId, zip } from '../../dist/test/inspect-fixtures.js';
const show = async (name, b, filename, declaredType) => { const r = await inspectBytes(b, {}, { filename, declaredType }); console.log(name.padEnd(66), JSON.stringify(kinds(r.findings))); return r; };
const X = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const xlsx = (sheet, extra = [], wb = '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>') => zip([
  { name: '[Content_Types].xml', data: Buffer.from(`${X}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`) },
  { name: 'xl/workbook.xml', data: Buffer.from(`${X}<workbook xmlns="${NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">${wb}</workbook>`) },
  { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(`${X}<worksheet xmlns="${NS}"><sheetData>${sheet}</sheetData></worksheet>`) },
  ...extra,
]);
const inl = (ref, t) => `<c r="${ref}" t="inlineStr"><is><t>${t}</t></is></c>`;
await show('xlsx control: A1 inline 机密★10年', xlsx(`<row r="1">${inl('A1', '机密★10年')}</row>`), 'a.xlsx', XLSX);
await show('xlsx A1 机 | B1 密★10年 (shown side by side)', xlsx(`<row r="1">${inl('A1', '文件密级：机')}${inl('B1', '密★10年')}</row>`), 'a.xlsx', XLSX);
await show('xlsx A1 机 | Z1 密★10年 (columns between are empty)', xlsx(`<row r="1">${inl('A1', '文件密级：机')}${inl('Z1', '密★10年')}</row>`), 'a.xlsx', XLSX);
await show('xlsx merged title, B1 before A1 in the XML', xlsx(`<row r="1">${inl('B1', '密★10年')}${inl('A1', '文件密级：机')}</row>`), 'a.xlsx', XLSX);
await show('xlsx rows out of order (row 2 before row 1) id halves', xlsx(`<row r="2">${inl('A2', residentId('440305', '19900307', '457').slice(9))}</row><row r="1">${inl('A1', '身份证号：' + residentId('440305', '19900307', '457').slice(0, 9))}</row>`), 'a.xlsx', XLSX);
await show('xlsx formula =A1&B1 cached value absent', xlsx(`<row r="1">${inl('A1', '机')}<c r="B1"><f>"密"&amp;"★10年"</f></c></row>`), 'a.xlsx', XLSX);
await show('xlsx data validation list "机密★10年,秘密"', xlsx(`<row r="1">${inl('A1', '密级')}</row></sheetData><dataValidations count="1"><dataValidation type="list" sqref="B1"><formula1>"非密,机密★10年"</formula1></dataValidation></dataValidations><sheetData>`.replace('</sheetData><dataValidations', '</sheetData><dataValidations')), 'a.xlsx', XLSX);
await show('xlsx defined name = "机"&"密★10年"', xlsx(`<row r="1"><c r="A1"><f>MJ</f></c></row>`, [], '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="MJ">"机"&amp;"密★10年"</definedName></definedNames>'), 'a.xlsx', XLSX);
await show('xlsx defined name UNICHAR list', xlsx(`<row r="1"><c r="A1"><f>MJ</f></c></row>`, [], '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="MJ">UNICHAR(26426)&amp;UNICHAR(23494)&amp;"★10年"</definedName></definedNames>'), 'a.xlsx', XLSX);
await show('xlsx cell formula using a defined name (MJ="机")', xlsx(`<row r="1"><c r="A1" t="str"><f>MJ&amp;"密★10年"</f></c></row>`, [], '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets><definedNames><definedName name="MJ">"机"</definedName></definedNames>'), 'a.xlsx', XLSX);
await show('xlsx header/footer &"宋体"机&"宋体"密', xlsx(`<row r="1">${inl('A1', '年度总结')}</row></sheetData><headerFooter><oddHeader>&amp;L&amp;"宋体,加粗"机&amp;"宋体,常规"密★10年</oddHeader></headerFooter><sheetData>`), 'a.xlsx', XLSX);
await show('xlsx header &C机&K00FF00密★10年 (colour code between)', xlsx(`<row r="1">${inl('A1', '年度总结')}</row></sheetData><headerFooter><oddHeader>&amp;C机&amp;K00FF00密★10年</oddHeader></headerFooter><sheetData>`), 'a.xlsx', XLSX);
await show('xlsx header &C机&12密★10年 (font size between)', xlsx(`<row r="1">${inl('A1', '年度总结')}</row></sheetData><headerFooter><oddHeader>&amp;C机&amp;12密★10年</oddHeader></headerFooter><sheetData>`), 'a.xlsx', XLSX);
await show('xlsx number format "机密★10年"@ on a text cell', xlsx(`<row r="1"><c r="A1" s="1" t="inlineStr"><is><t>x</t></is></c></row>`, [{ name: 'xl/styles.xml', data: Buffer.from(`${X}<styleSheet xmlns="${NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="&quot;机&quot;&quot;密★10年&quot;;;;&quot;机&quot;&quot;密★10年&quot;"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>`) }]), 'a.xlsx', XLSX);
await show('xlsx number format "机"\\密"★10年" escapes', xlsx(`<row r="1"><c r="A1" s="1"><v>1</v></c></row>`, [{ name: 'xl/styles.xml', data: Buffer.from(`${X}<styleSheet xmlns="${NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="\\机\\密\\★\\1\\0\\年"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>`) }]), 'a.xlsx', XLSX);
await show('xlsx conditional format text', xlsx(`<row r="1">${inl('A1', '年度总结')}</row></sheetData><conditionalFormatting sqref="A1"><cfRule type="containsText" operator="containsText" text="机密★10年" priority="1"><formula>NOT(ISERROR(SEARCH("机密★10年",A1)))</formula></cfRule></conditionalFormatting><sheetData>`), 'a.xlsx', XLSX);
// docx
const docx = (body, extra = []) => zip([
  { name: '[Content_Types].xml', data: Buffer.from(`${X}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="mht" ContentType="message/rfc822"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`) },
  { name: 'word/document.xml', data: Buffer.from(`${X}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>${body}</w:body></w:document>`) },
  ...extra,
]);
const p = (t) => `<w:p><w:r><w:t>${t}</w:t></w:r></w:p>`;
await show('docx fldSimple QUOTE', docx(`${p('通知')}<w:p><w:fldSimple w:instr=' QUOTE "机" '><w:r><w:t></w:t></w:r></w:fldSimple><w:r><w:t>密★10年</w:t></w:r></w:p>`), 'a.docx', DOCX);
await show('docx fldSimple QUOTE code points', docx(`${p('通知')}<w:p><w:fldSimple w:instr=' QUOTE 26426 23494 '><w:r><w:t></w:t></w:r></w:fldSimple><w:r><w:t>★10年</w:t></w:r></w:p>`), 'a.docx', DOCX);
const mht = `MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\nContent-Type: text/html; charset="gb2312"\r\nContent-Transfer-Encoding: base64\r\n\r\n${iconv.encode('<html><body><p>文件密级：机密★10年</p></body></html>', 'gb18030').toString('base64')}\r\n--b--\r\n`;
await show('docx altChunk .mht, GBK html in base64', docx(`${p('通知')}<w:altChunk r:id="rId9"/>`, [{ name: 'word/afchunk.mht', data: Buffer.from(mht) }, { name: 'word/_rels/document.xml.rels', data: Buffer.from(`${X}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" Target="afchunk.mht"/></Relationships>`) }]), 'a.docx', DOCX);
await show('docx altChunk .html in UTF-16LE without BOM', docx(`${p('通知')}<w:altChunk r:id="rId9"/>`, [{ name: 'word/afchunk.htm', data: Buffer.from('<html><body>文件密级：机密★10年</body></html>', 'utf16le') }]), 'a.docx', DOCX);
await show('docx w:sym with font 宋体 chars 673A 5BC6', docx(`${p('通知')}<w:p><w:r><w:sym w:font="宋体" w:char="673A"/><w:sym w:font="宋体" w:char="5BC6"/><w:t>★10年</w:t></w:r></w:p>`), 'a.docx', DOCX);
await show('docx w:sym F0xx private-use with SimSun? (Wingdings star)', docx(`${p('通知')}<w:p><w:r><w:t>机密</w:t><w:sym w:font="Wingdings" w:char="F0AB"/><w:t>10年</w:t></w:r></w:p>`), 'a.docx', DOCX);
await show('docx w:ptab / w:tab between 机 and 密', docx(`${p('通知')}<w:p><w:r><w:t>文件密级：机</w:t><w:ptab w:relativeTo="margin" w:alignment="center" w:leader="none"/><w:t>密★10年</w:t></w:r></w:p>`), 'a.docx', DOCX);
await show('docx w:br between 机 and 密 (a line break)', docx(`${p('通知')}<w:p><w:r><w:t>机</w:t><w:br/><w:t>密★10年</w:t></w:r></w:p>`), 'a.docx', DOCX);
await show('docx text box (txbxContent) beside body', docx(`<w:p><w:r><w:t>文件密级：机</w:t></w:r><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent><w:p><w:r><w:t>各处室请查收附件与说明材料</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r><w:r><w:t>密★10年</w:t></w:r></w:p>`), 'a.docx', DOCX);
await show('docx footnote reference between 机 and 密', docx(`<w:p><w:r><w:t>文件密级：机</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t>密★10年</w:t></w:r></w:p>`, [{ name: 'word/footnotes.xml', data: Buffer.from(`${X}<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:footnote w:id="1"><w:p><w:r><w:t>见国务院办公厅关于进一步做好有关工作的通知</w:t></w:r></w:p></w:footnote></w:footnotes>`) }]), 'a.docx', DOCX);
await show('docx w:fitText / w:eastAsianLayout combine (双行合一)', docx(`<w:p><w:r><w:rPr><w:eastAsianLayout w:id="1" w:combine="1"/></w:rPr><w:t>密级机密</w:t></w:r><w:r><w:t>★10年</w:t></w:r></w:p>`), 'a.docx', DOCX);
// pptx
const pptx = (parts) => zip([{ name: '[Content_Types].xml', data: Buffer.from(`${X}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`) }, ...parts]);
const A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"';
const sp = (t, x, y) => `<p:sp><p:spPr><a:xfrm><a:off x="${x}" y="${y}"/><a:ext cx="500000" cy="300000"/></a:xfrm></p:spPr><p:txBody><a:p><a:r><a:t>${t}</a:t></a:r></a:p></p:txBody></p:sp>`;
await show('pptx shapes 密★10年 then 机 placed to its left', pptx([{ name: 'ppt/slides/slide1.xml', data: Buffer.from(`${X}<p:sld ${A}><p:cSld><p:spTree>${sp('密★10年', 1500000, 100000)}${sp('年度工作总结汇报', 100000, 2000000)}${sp('文件密级：机', 100000, 100000)}</p:spTree></p:cSld></p:sld>`) }]), 'a.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation');
await show('pptx notes slide', pptx([{ name: 'ppt/notesSlides/notesSlide1.xml', data: Buffer.from(`${X}<p:notes ${A}><p:cSld><p:spTree>${sp('机密★10年', 0, 0)}</p:spTree></p:cSld></p:notes>`) }]), 'a.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation');
await show('pptx a:fld text', pptx([{ name: 'ppt/slides/slide1.xml', data: Buffer.from(`${X}<p:sld ${A}><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>机</a:t></a:r><a:fld id="{1}" type="slidenum"><a:t>密</a:t></a:fld><a:r><a:t>★10年</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>`) }]), 'a.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation');
// zip tricks
await show('zip member deflate64 (method 9)', zip([{ name: 'a.txt', data: Buffer.from('机密★10年'), method: 9 }].map((e) => e)), 'a.zip', 'application/zip').catch((e) => console.log('err', e.message));
process.exit(0);
