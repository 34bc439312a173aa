// Table cells and paragraphs read apart (red team 1 Dec (c) G2): a cost table `办公用品 │ 138 │ 12345678.00` in
// a docx, HTML, ODS, xlsx or a PDF page read as a mobile; a level-statistics header `密级 │ 绝密 │ 机密 │ 秘密`
// as a marking; two docx paragraphs `…共计138` / `12345678号文件…` as a mobile. Runs inside one cell or
// paragraph still join (`<w:r>机</w:r><w:r>密★10年</w:r>`), and so does a marking split over two cells, an id
// one digit a cell, a marking drawn in two PDF runs side by side.
import { zip } from './inspect-fixtures.js';
import { pdfOf, type Sample } from './evasion-fixtures.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ODS = 'application/vnd.oasis.opendocument.spreadsheet';

export function docxOf(body: string): Buffer {
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>') },
    { name: '_rels/.rels', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>') },
    { name: 'word/document.xml', data: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`) },
  ]);
}

const run = (t: string): string => `<w:r><w:t>${t}</w:t></w:r>`;
const para = (t: string): string => `<w:p>${run(t)}</w:p>`;
const wordTable = (rows: string[][]): string => `<w:tbl>${rows.map((r) => `<w:tr>${r.map((c) => `<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr>${para(c)}</w:tc>`).join('')}</w:tr>`).join('')}</w:tbl>`;
const htmlTable = (rows: string[][]): string => `<!DOCTYPE html><html><head><meta charset="utf-8"><title>报告</title></head><body><table border="1">\n${rows.map((r) => `  <tr>\n${r.map((c) => `    <td>${c}</td>`).join('\n')}\n  </tr>`).join('\n')}\n</table></body></html>\n`;

function xlsxOf(rows: (string | number)[][]): Buffer {
  const col = (i: number): string => String.fromCharCode(65 + i);
  const sheet = rows.map((r, y) => `<row r="${y + 1}">${r.map((c, x) => (typeof c === 'number' ? `<c r="${col(x)}${y + 1}"><v>${c}</v></c>` : `<c r="${col(x)}${y + 1}" t="inlineStr"><is><t>${c}</t></is></c>`)).join('')}</row>`).join('');
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>') },
    { name: 'xl/workbook.xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>') },
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheet}</sheetData></worksheet>`) },
  ]);
}

function odsOf(rows: (string | number)[][]): Buffer {
  const cells = rows.map((r) => `<table:table-row>${r.map((c) => (typeof c === 'number' ? `<table:table-cell office:value-type="float" office:value="${c}"><text:p>${c}</text:p></table:table-cell>` : `<table:table-cell office:value-type="string"><text:p>${c}</text:p></table:table-cell>`)).join('')}</table:table-row>`).join('');
  return zip([
    { name: 'mimetype', data: Buffer.from(ODS), method: 0 },
    { name: 'content.xml', data: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="S">${cells}</table:table></office:spreadsheet></office:body></office:document-content>`) },
  ]);
}

/** A PDF page whose rows are drawn a text object a cell at the columns' x (Word's "save as PDF" of a table), Helvetica. */
export function pdfCells(rows: string[][], xs: number[]): Buffer {
  const content = rows.map((r, i) => r.map((t, j) => `BT /F1 10 Tf 1 0 0 1 ${xs[j]} ${700 - 20 * i} Tm (${t}) Tj ET`).join('\n')).join('\n');
  return pdfOf([
    '<</Type/Catalog/Pages 2 0 R>>',
    '<</Type/Pages/Kids[3 0 R]/Count 1>>',
    '<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>',
    `<</Length ${content.length}>>stream\n${content}\nendstream`,
    '<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>',
  ]);
}

const cost = [['项目', '数量', '金额（元）'], ['办公用品', '138', '12345678.00'], ['印刷费', '20', '35000.00']];
const levels = [['密级', '绝密', '机密', '秘密', '非密'], ['份数', '0', '3', '12', '40']];
const ID_DIGITS = [...'110101199003077715'];

export function tableCellCleanSamples(): Sample[] {
  const s: Sample[] = [];
  const add = (name: string, filename: string, type: string, body: Buffer | string): void => {
    s.push({ name, filename, type, body: typeof body === 'string' ? Buffer.from(body) : body, expect: '' });
  };
  add('docx cost table: 办公用品 | 138 | 12345678.00', '报告.docx', DOCX, docxOf(para('一、经费使用情况') + wordTable(cost)));
  add('docx level statistics: 密级 | 绝密 | 机密 | 秘密 | 非密, counts below', '自查报告.docx', DOCX, docxOf(para('保密自查情况统计') + wordTable(levels)));
  add('docx paragraphs: 共计138 / 12345678号文件', '纪要.docx', DOCX, docxOf(para('会议材料共计138') + para('12345678号文件已归档。')));
  add('HTML cost table', '报告.html', 'text/html', htmlTable(cost));
  add('HTML level statistics', '统计.html', 'text/html', htmlTable(levels));
  add('xlsx cost row: 办公用品 | 138 | 12345678 (numbers)', '采购.xlsx', XLSX, xlsxOf([['项目', '数量', '金额'], ['办公用品', 138, 12345678]]));
  add('xlsx level statistics header', '统计.xlsx', XLSX, xlsxOf(levels));
  add('ODS cost row', '报告.ods', ODS, odsOf([['项目', '数量', '金额'], ['办公用品', 138, 12345678]]));
  add('PDF table a text object a cell: a title, then 1 | Office supplies | 138 | 12345678.00', '报告.pdf', 'application/pdf', pdfCells([['Expenditure 2026'], ['No.', 'Item', 'Qty', 'Amount'], ['1', 'Office supplies', '138', '12345678.00'], ['2', 'Printing', '20', '35000.00']], [72, 200, 300, 400]));
  return s;
}

/** Look-alikes beside them that a reader still reads as one: each must stay refused. */
export function tableCellSamples(): Sample[] {
  const s: Sample[] = [];
  const add = (name: string, filename: string, type: string, body: Buffer | string, expect: string): void => {
    s.push({ name, filename, type, body: typeof body === 'string' ? Buffer.from(body) : body, expect });
  };
  add('docx: a marking split over two runs of one paragraph', 'a.docx', DOCX, docxOf(`<w:p>${run('机')}${run('密★10年')}</w:p>`), 'classified-marking');
  add('docx: a marking split over two table cells', 'a.docx', DOCX, docxOf(wordTable([['机', '密★10年'], ['正文', '略']])), 'classified-marking');
  add('docx: an id one digit a cell (an application form\'s digit boxes)', 'a.docx', DOCX, docxOf(wordTable([['身份证号', ...ID_DIGITS]])), 'personal-data');
  add('HTML: an id one digit a cell', 'a.html', 'text/html', htmlTable([['身份证号', ...ID_DIGITS]]), 'personal-data');
  add('docx: a mobile one digit a cell (11 boxes)', 'a.docx', DOCX, docxOf(wordTable([['联系电话', ...'13812345678']])), 'personal-data');
  add('HTML: a mobile one digit a cell', 'a.html', 'text/html', htmlTable([['手机', ...'13812345678']]), 'personal-data');
  add('HTML: a mobile in one cell', 'a.html', 'text/html', htmlTable([['联系人', '张三', '13812345678']]), 'personal-data');
  add('docx: 密级： in one cell, 机密 in the next (a form)', 'a.docx', DOCX, docxOf(wordTable([['密级：', '机密'], ['标题', '通知']])), 'classified-marking');
  add('PDF: a mobile drawn in two runs side by side', 'a.pdf', 'application/pdf', pdfCells([['Tel'], ['138', '12345678']], [72, 87.5]), 'personal-data');
  return s;
}
