// The 密级 field written as a key and a value apart (red team, 1 Dec b, N22):
// a custom document property, an HTML meta, a PDF document-info key, a
// register's column. Each is refused classified-marking; beside them the
// same shapes with no level, and forms or code lists that list the levels,
// cross (label-pairs.ts).
import iconv from 'iconv-lite';
import { pdfOf } from './evasion-fixtures.js';
import { zip } from './inspect-fixtures.js';
import type { Sample } from './evasion-fixtures.js';

const u8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** A .docx whose body is `body` (WordprocessingML) and, when given, docProps/custom.xml with these properties, as Word writes them. */
export function docxWith(body: string, props: Array<[string, string]> = []): Buffer {
  const parts = [
    { name: '[Content_Types].xml', data: u8('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>') },
    { name: 'word/document.xml', data: u8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`), method: 8 as const },
  ];
  if (props.length) {
    const p = props.map(([k, v], i) => `<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="${i + 2}" name="${k}"><vt:lpwstr>${v}</vt:lpwstr></property>`).join('');
    parts.push({ name: 'docProps/custom.xml', data: u8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">${p}</Properties>`), method: 8 as const });
  }
  return zip(parts);
}

const para = (s: string): string => `<w:p><w:r><w:t>${s}</w:t></w:r></w:p>`;
/** A Word table: rows of cells, each cell a paragraph with its run properties, as Word writes them. */
export function wordTable(rows: string[][]): string {
  const cell = (s: string): string => `<w:tc><w:tcPr><w:tcW w:w="2130" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t>${s}</w:t></w:r></w:p></w:tc>`;
  return `<w:tbl><w:tblPr><w:tblStyle w:val="a3"/><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>${rows[0]!.map(() => '<w:gridCol w:w="2130"/>').join('')}</w:tblGrid>${rows.map((r) => `<w:tr>${r.map(cell).join('')}</w:tr>`).join('')}</w:tbl>`;
}

const utf16 = (s: string): string => `<FEFF${[...s].map((c) => c.codePointAt(0)!.toString(16).padStart(4, '0').toUpperCase()).join('')}>`;
/** A PDF name of UTF-8 bytes written #xx (PDF 1.7 §7.3.5), as Acrobat writes a custom key. */
const pdfName = (s: string): string => `/${[...Buffer.from(s)].map((b) => `#${b.toString(16).toUpperCase()}`).join('')}`;

/** A one-page PDF whose document information holds these entries (a custom key as a name, its value UTF-16). */
export function pdfWithInfo(entries: Array<[string, string]>, page = '通知'): Buffer {
  const info = entries.map(([k, v]) => `${/^[A-Za-z]+$/.test(k) ? `/${k}` : pdfName(k)} ${utf16(v)}`).join(' ');
  return pdfOf([
    '<</Type/Catalog/Pages 2 0 R>>',
    '<</Type/Pages/Kids[3 0 R]/Count 1>>',
    '<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>',
    `<</Length 40>>stream\nBT /F1 12 Tf 72 720 Td (${page === '通知' ? 'Notice' : page}) Tj ET\nendstream`,
    '<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>',
    `<</Title (Notice)/Producer (ferry tests) ${info}>>`,
  ], '/Info 6 0 R');
}

/** An .xlsx of one sheet of these rows, its text in shared strings (numbers as numbers), sheet before strings as Excel writes it. */
export function xlsxWith(rows: string[][], o: { stringsFirst?: boolean } = {}): Buffer {
  const strings: string[] = [];
  const col = (i: number): string => String.fromCharCode(65 + i);
  const cells = rows.map((r, ri) => `<row r="${ri + 1}">${r.map((v, ci) => {
    if (v === '') return '';
    if (/^\d+$/.test(v)) return `<c r="${col(ci)}${ri + 1}"><v>${v}</v></c>`;
    let k = strings.indexOf(v);
    if (k < 0) k = strings.push(v) - 1;
    return `<c r="${col(ci)}${ri + 1}" s="1" t="s"><v>${k}</v></c>`;
  }).join('')}</row>`).join('');
  const sheet = { name: 'xl/worksheets/sheet1.xml', data: u8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:F${rows.length}"/><sheetData>${cells}</sheetData></worksheet>`), method: 8 as const };
  const sst = { name: 'xl/sharedStrings.xml', data: u8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((x) => `<si><t>${x}</t></si>`).join('')}</sst>`), method: 8 as const };
  return zip([
    { name: '[Content_Types].xml', data: u8('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>') },
    { name: 'xl/workbook.xml', data: u8('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="登记簿" sheetId="1"/></sheets></workbook>') },
    ...(o.stringsFirst ? [sst, sheet] : [sheet, sst]),
  ]);
}
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const html = (head: string, body = '<p>关于召开会议的通知</p>'): Buffer => u8(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知</title>${head}</head><body>${body}</body></html>`);
const htmlTable = (rows: string[][]): string => `<table border="1">\n${rows.map((r, i) => `  <tr>\n${r.map((c) => `    <${i ? 'td' : 'th'}>${c}</${i ? 'td' : 'th'}>`).join('\n')}\n  </tr>`).join('\n')}\n</table>`;

const REGISTER = [['序号', '文号', '文件标题', '密级', '保密期限', '份数'], ['1', '〔2026〕12号', '关于召开年度工作会议的通知', '机密', '10年', '3'], ['2', '〔2026〕13号', '年度工作总结', '内部', '', '5']];
const OPEN_REGISTER = [['序号', '文号', '文件标题', '密级', '保密期限', '份数'], ['1', '〔2026〕12号', '关于召开年度工作会议的通知', '公开', '', '3'], ['2', '〔2026〕13号', '年度工作总结', '内部', '', '5'], ['3', '〔2026〕14号', '培训安排', '非密', '', '2'], ['4', '〔2026〕15号', '会议纪要', '', '', '1']];
const csv = (rows: string[][], d = ','): string => rows.map((r) => r.join(d)).join('\r\n') + '\r\n';

/** Ways through before: each refused classified-marking. */
export function labelPairSamples(): Sample[] {
  const s = (name: string, filename: string, type: string, body: Buffer): Sample => ({ name, filename, type, body, expect: 'classified-marking' });
  return [
    s('docx custom property 密级 = 机密 (File › Properties › Custom)', '通知.docx', DOCX, docxWith(para('关于召开会议的通知'), [['密级', '机密'], ['保密期限', '10年']])),
    s('docx custom property 密级 = 绝密, after another', '通知.docx', DOCX, docxWith(para('正文'), [['编号', 'A-12'], ['密级', '绝密']])),
    s('docx custom property Classification = 秘密', '通知.docx', DOCX, docxWith(para('正文'), [['Classification', '秘密']])),
    s('HTML meta, content before name', '通知.html', 'text/html', html('<meta content="机密" name="密级">')),
    s('HTML meta name=classification', '通知.html', 'text/html', html('<meta name="classification" content="绝密">')),
    s('HTML form field, filled', '审批单.html', 'text/html', html('', '<label>密级</label><input type="text" name="密级" value="秘密">')),
    s('XML field element with attributes', 'meta.xml', 'application/xml', u8('<?xml version="1.0" encoding="UTF-8"?><Document><Fields><Field Name="标题" Value="通知"/><Field Name="密级" Value="机密"/></Fields></Document>')),
    s('XML entry keyed by an attribute, pretty-printed', 'meta.xml', 'application/xml', u8('<?xml version="1.0" encoding="UTF-8"?>\n<properties>\n  <entry key="密级">\n    机密\n  </entry>\n</properties>\n')),
    s('JSON name and value members', 'meta.json', 'application/json', u8('{"fields":[{"name":"标题","value":"通知"},{"name":"密级","value":"机密"}]}')),
    s('PDF document info /密级 (#-escaped UTF-8 name, UTF-16 value)', '通知.pdf', 'application/pdf', pdfWithInfo([['密级', '机密'], ['保密期限', '10年']])),
    s('PDF document info /Classification', '通知.pdf', 'application/pdf', pdfWithInfo([['Classification', '绝密']])),
    s('CSV register, 密级 column', '登记簿.csv', 'text/csv', u8(csv(REGISTER))),
    s('CSV register in GBK', '登记簿.csv', 'text/csv', iconv.encode(csv(REGISTER), 'gbk')),
    s('CSV register, quoted cells', '登记簿.csv', 'text/csv', u8('"序号","文件标题","密级"\r\n"1","关于召开会议的通知，请准时参加","秘密"\r\n')),
    s('TSV register', '登记簿.tsv', 'text/tab-separated-values', u8(csv(REGISTER, '\t'))),
    s('Markdown table register', '登记簿.md', 'text/markdown', u8(`| 文号 | 标题 | 密级 |\n|---|---|---|\n| 〔2026〕1号 | 工作方案 | 绝密 |\n`)),
    s('Word table register', '登记簿.docx', DOCX, docxWith(para('文件登记簿') + wordTable(REGISTER))),
    s('HTML table register', '登记簿.html', 'text/html', html('', htmlTable(REGISTER))),
    s('xlsx register, 密级 column (shared strings after the sheet)', '登记簿.xlsx', XLSX, xlsxWith(REGISTER)),
    s('xlsx register, shared strings before the sheet', '登记簿.xlsx', XLSX, xlsxWith(REGISTER, { stringsFirst: true })),
    s('CSV register, 文件密级 header, the row far below', '登记簿.csv', 'text/csv', u8(csv([['序号', '文件标题', '文件密级'], ...Array.from({ length: 3000 }, (_, i) => [String(i + 1), `文件${i + 1}`, i === 2500 ? '机密' : '内部'])]))),
  ];
}

/** The same shapes with no level, and lists of levels to choose: each crosses. */
export function labelPairCleanSamples(): Sample[] {
  const s = (name: string, filename: string, type: string, body: Buffer): Sample => ({ name, filename, type, body, expect: '' });
  return [
    s('docx custom property 密级 = 非密', '通知.docx', DOCX, docxWith(para('关于召开会议的通知'), [['密级', '非密'], ['保密期限', '']])),
    s('docx custom property 密级 empty', '通知.docx', DOCX, docxWith(para('正文'), [['密级', ''], ['部门', '办公室']])),
    s('HTML meta 密级 公开', '通知.html', 'text/html', html('<meta name="密级" content="公开">')),
    // (With a label 密级 before the select, the decoded view reads `密级` and the options one a line, a
    // single level: refused before and after, another reading's, left open.)
    s('HTML form: a select listing the levels', '审批单.html', 'text/html', html('', '<p>请选择：<select name="密级" id="mj">\n  <option>绝密</option>\n  <option>机密</option>\n  <option>秘密</option>\n  <option selected>非密</option>\n</select></p>')),
    s('HTML form: an empty field', '审批单.html', 'text/html', html('', '<label>密级</label><input type="text" name="密级" value=""><p>机密性要求：高</p>')),
    s('JSON schema: the levels as an enum', 'schema.json', 'application/json', u8('{"properties":[{"name":"密级","type":"string","enum":["绝密","机密","秘密","非密"]},{"name":"标题","type":"string"}]}')),
    s('PDF document info /密级 公开', '通知.pdf', 'application/pdf', pdfWithInfo([['密级', '公开']])),
    s('CSV register, 密级 column of 公开, 内部, 非密 and empty', '登记簿.csv', 'text/csv', u8(csv(OPEN_REGISTER))),
    s('Word table register of 公开, 内部, 非密', '登记簿.docx', DOCX, docxWith(para('文件登记簿') + wordTable(OPEN_REGISTER))),
    s('xlsx register of 公开, 内部, 非密', '登记簿.xlsx', XLSX, xlsxWith(OPEN_REGISTER)),
    s('xlsx grading sheet: 密级 of 内部 beside 机密性要求 of 机密', '分级.xlsx', XLSX, xlsxWith([['数据名称', '密级', '机密性要求'], ['人口信息', '内部', '机密'], ['财务数据', '公开', '秘密']])),
    s('xlsx: a level above the 密级 header, in its column', '说明.xlsx', XLSX, xlsxWith([['说明', '机密'], ['数据名称', '密级'], ['人口信息', '内部']])),
    s('HTML table register of 公开, 内部, 非密', '登记簿.html', 'text/html', html('', htmlTable(OPEN_REGISTER))),
    s('F5: a grading sheet, 密级 beside 机密性要求', '分级.csv', 'text/csv', u8('数据名称,密级,机密性要求,完整性要求,可用性要求\r\n人口信息,内部,高,高,中\r\n财务数据,,高,中,中\r\n')),
    s('a code list of the levels', '代码表.csv', 'text/csv', u8('代码,密级,说明\r\n1,绝密,最高\r\n2,机密,\r\n3,秘密,\r\n4,非密,\r\n')),
    s('a data dictionary naming the 密级 field', '字典.csv', 'text/csv', u8('字段名,类型,说明\r\n文号,文本,发文字号\r\n密级,文本,绝密、机密、秘密或非密\r\n保密期限,文本,年\r\n')),
    s('a register header listing the levels, rows of 非密', '登记簿.md', 'text/markdown', u8('| 文号 | 标题 | 密级（绝密/机密/秘密/非密） |\n|---|---|---|\n| 〔2026〕1号 | 工作方案 | 非密 |\n')),
    s('a form in a Word table: the levels to tick', '审批单.docx', DOCX, docxWith(wordTable([['文件标题', ''], ['密级', '□绝密 □机密 □秘密 □非密'], ['保密期限', '']]))),
    s('prose on the levels', '制度.txt', 'text/plain', u8('国家秘密的密级分为绝密、机密、秘密三级。各单位应当明确密级和保密期限，商业秘密、工作秘密按照保密协议管理，数据的机密性要求另行规定。\n')),
  ];
}
