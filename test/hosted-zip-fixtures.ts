// A zip-based document inside another file's raw bytes (red team 1 Dec (c) G1): an Outlook .msg with a
// .docx attachment, a .doc with an embedded xlsx (a compound file's Package stream), a PDF attachment stored
// without a filter, an xlsx with a Power Query DataMashup (a zip, then permissions and metadata). The zip found
// in the host's bytes ends at its own end of central directory record; what follows is the host's.
import { docx, zip } from './inspect-fixtures.js';
import { compound } from './ole2-fixtures.js';
import { pdfOf, type Sample } from './evasion-fixtures.js';

const CLEAN = ['关于召开2026年第一次工作会议的通知', '各处室：定于12月5日上午9时在三楼会议室召开会议。'];
const MARKED = ['关于召开会议的通知', '机密★10年'];

function xlsx(cells: string[]): Buffer {
  const row = cells.map((c, i) => `<c r="${String.fromCharCode(65 + i)}1" t="inlineStr"><is><t>${c}</t></is></c>`).join('');
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>') },
    { name: 'xl/workbook.xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>') },
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">${row}</row></sheetData></worksheet>`) },
  ]);
}

/** [MS-QDEFF] 2.2: version, the package parts' length and the package parts (a zip), then permissions and metadata. */
function dataMashup(parts: Buffer): Buffer {
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  };
  const permissions = Buffer.from('<?xml version="1.0" encoding="utf-8"?><PermissionList xmlns:xsd="http://www.w3.org/2001/XMLSchema"><CanEvaluateFuturePackages>false</CanEvaluateFuturePackages><FirewallEnabled>true</FirewallEnabled></PermissionList>');
  const metadata = Buffer.concat([u32(0), u32(120), Buffer.from('<?xml version="1.0" encoding="utf-8"?><LocalPackageMetadataFile xmlns:xsd="http://www.w3.org/2001/XMLSchema"><Items/></LocalPackageMetadataFile>'.padEnd(120))]);
  return Buffer.concat([u32(0), u32(parts.length), parts, u32(permissions.length), permissions, u32(metadata.length), metadata, u32(0)]);
}

function forms(text: string[]): [string, string, string, Buffer][] {
  const doc = docx(text);
  const sheet = xlsx(text);
  const mashupParts = zip([
    { name: 'Config/Package.xml', data: Buffer.from('<?xml version="1.0" encoding="utf-8"?><Package xmlns:xsd="http://www.w3.org/2001/XMLSchema"><Version>2.72.0</Version><MinVersion>2.21.0</MinVersion><Culture>zh-CN</Culture></Package>') },
    { name: 'Formulas/Section1.m', data: Buffer.from(`section Section1;\nshared 通知 = let 源 = Excel.CurrentWorkbook(){[Name="表1"]}[Content] in 源; // ${text.join(' ')}\n`) },
  ]);
  const mashupXml = Buffer.from(`<?xml version="1.0" encoding="utf-16"?><DataMashup xmlns="http://schemas.microsoft.com/DataMashup">${dataMashup(mashupParts).toString('base64')}</DataMashup>`, 'utf16le');
  const withQuery = zip([
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>') },
    { name: 'xl/workbook.xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>') },
    { name: 'customXml/item1.xml', data: Buffer.concat([Buffer.from([0xff, 0xfe]), mashupXml]) },
  ]);
  const pdf = pdfOf([
    '<</Type/Catalog/Pages 2 0 R/Names<</EmbeddedFiles<</Names[(notice.docx) 4 0 R]>>>>>>',
    '<</Type/Pages/Kids[3 0 R]/Count 1>>',
    '<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>',
    '<</Type/Filespec/F(notice.docx)/EF<</F 5 0 R>>>>',
    Buffer.concat([Buffer.from(`<</Type/EmbeddedFile/Subtype/application#2Fvnd.openxmlformats-officedocument.wordprocessingml.document/Length ${doc.length}>>stream\n`, 'latin1'), doc, Buffer.from('\nendstream', 'latin1')]),
  ]);
  return [
    ['Outlook .msg with a .docx attachment', 'mail.msg', 'application/vnd.ms-outlook', compound([
      ['__properties_version1.0', Buffer.alloc(32)],
      ['__substg1.0_001A001F', Buffer.from('IPM.Note', 'utf16le')],
      ['__substg1.0_0037001F', Buffer.from('会议通知', 'utf16le')],
      ['__attach_version1.0_#00000000/__substg1.0_3707001F', Buffer.from('通知.docx', 'utf16le')],
      ['__attach_version1.0_#00000000/__substg1.0_37010102', doc],
    ])],
    ['Word 97 .doc with an embedded xlsx (ObjectPool Package stream)', 'report.doc', 'application/msword', compound([
      ['WordDocument', Buffer.alloc(4096, 0)],
      ['ObjectPool/_1234567890/Package', sheet],
      ['ObjectPool/_1234567890/\u0001CompObj', Buffer.alloc(64)],
    ])],
    ['PDF with a docx attachment stored without a filter', 'report.pdf', 'application/pdf', pdf],
    ['xlsx with a Power Query DataMashup (a zip, then permissions and metadata)', '统计.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', withQuery],
    ['text, then two zips, then text', 'notes.txt', 'text/plain', Buffer.concat([Buffer.from('说明文字，附件如下。\n'.repeat(200)), zip([{ name: 'a.txt', data: Buffer.from(CLEAN.join('\n')) }]), Buffer.from('\n中间的说明文字。\n'.repeat(20)), docx(text), Buffer.from('\n以上。\n')])],
  ];
}

export function hostedZipCleanSamples(): Sample[] {
  return forms(CLEAN).map(([name, filename, type, body]) => ({ name: `${name}, clean`, filename, type, body, expect: '' }));
}

/** The same forms with a marked document inside: the zip in the host's bytes is still walked, its members read. */
export function hostedZipSamples(): Sample[] {
  return forms(MARKED).map(([name, filename, type, body]) => ({ name: `${name}, a marked document inside`, filename, type, body, expect: 'classified-marking' }));
}
