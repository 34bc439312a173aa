// Excel page headers and footers with a formatting code inside the marking (seventh red team of 1 Dec, R25): Excel's
// and WPS's header editor writes a font or size change as `&"宋体,加粗"`, `&16`; read raw, `密级：&"宋体,加粗"机密`
// crossed, in an xlsx and in a .xls HEADER record. Beside them: ordinary headers (a page number, a date, a file
// name, `&&`) stay clean.
import type { Sample } from './evasion-fixtures.js';
import { zip } from './inspect-fixtures.js';
import { xlsCellBook } from './ole2-fixtures.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const XLS = 'application/vnd.ms-excel';
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/** A one-cell workbook with these header/footer elements (text as Excel writes it, before XML escaping). */
function withHeaders(elements: Record<string, string>): Buffer {
  const hf = Object.entries(elements).map(([k, v]) => `<${k}>${esc(v)}</${k}>`).join('');
  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="${NS}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><headerFooter differentFirst="1">${hf}</headerFooter></worksheet>`;
  return zip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.from(sheet) }]);
}

export function excelHeaderSamples(): Sample[] {
  const x = (name: string, el: Record<string, string>): Sample => ({ name, filename: '台账.xlsx', type: XLSX, body: withHeaders(el), expect: 'classified-marking' });
  return [
    x('R25: xlsx oddHeader 密级：&"宋体,加粗"机密', { oddHeader: '&L密级：&"宋体,加粗"机密' }),
    x('R25: xlsx evenHeader &"黑体,加粗"&16机密&"宋体,常规"★&12 10年', { evenHeader: '&L&"黑体,加粗"&16机密&"宋体,常规"★&12 10年' }),
    x('R25: xlsx firstFooter 机&B密&B★&K FF0000 10年 in the centre', { firstFooter: '&C机&B密&B★&KFF000010年' }),
    { name: 'R25: xls HEADER record 机&"宋体,加粗"密★10年', filename: '台账.xls', type: XLS, body: xlsCellBook([{ r: 0, c: 0, v: '项目' }], { header: '&L机&"宋体,加粗"密★10年' }), expect: 'classified-marking' },
    { name: 'R25: xls FOOTER record 密级：&16机密', filename: '台账.xls', type: XLS, body: xlsCellBook([{ r: 0, c: 0, v: '项目' }], { footer: '&C密级：&16机密' }), expect: 'classified-marking' },
  ];
}

export function excelHeaderCleanSamples(): Sample[] {
  return [
    { name: 'R25 clean: xlsx header and footer of a file name, a date, page numbers and R&&D', filename: '台账.xlsx', type: XLSX, body: withHeaders({ oddHeader: '&L&"宋体,加粗"&F&C&A&R&D &T', oddFooter: '&C第 &P 页，共 &N 页&R R&&D 部' }), expect: '' },
    { name: 'R25 clean: xls HEADER of a department and a page number', filename: '台账.xls', type: XLS, body: xlsCellBook([{ r: 0, c: 0, v: '项目' }], { header: '&L&"宋体,加粗"办公室&R第&P页', footer: '&C&12 2026年12月' }), expect: '' },
  ];
}
