// review10: xlsx digit boxes as shared strings (R3) where each digit's <si> is padded past 4,096 characters by run
// properties (<r><rPr>…</rPr><t>1</t></r>, as a rich-text string is written): the reader passes such a string over
// unread, and the row's boxes are not joined; nothing says so.
import { zip, inspectBytes, kinds } from '../../dist/test/inspect-fixtures.js';
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const col = (i) => String.fromCharCode(65 + i);
const digits = [...'0123456789'];
function book(pad) {
  const strings = ['身份证号码', ...digits];
  const si = (s, i) => i === 0 || !pad ? `<si><t>${s}</t></si>` : `<si><r><rPr>${'<b/>'.repeat(pad)}<sz val="11"/></rPr><t>${s}</t></r></si>`;
  const id = '440305199003074576';
  const row = `<c r="A1" t="s"><v>0</v></c>${[...id].map((c, i) => `<c r="${col(i + 1)}1" t="s"><v>${1 + Number(c)}</v></c>`).join('')}`;
  const sheet = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}"><sheetData><row r="1">${row}</row></sheetData></worksheet>`;
  const sst = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${NS}">${strings.map(si).join('')}</sst>`;
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>') },
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(sheet) },
    { name: 'xl/sharedStrings.xml', data: Buffer.from(sst) },
  ]);
}
for (const pad of [0, 10, 1100]) {
  const r = await inspectBytes(book(pad), {}, { filename: '申请表.xlsx' });
  console.log(`run properties of ${pad * 4} chars:`, JSON.stringify(kinds(r.findings)));
}
