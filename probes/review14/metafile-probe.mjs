// review14: Windows metafiles (EMF, WMF), the vector pictures Office and WPS paste and the red-header (红头) of many
// bureaus' templates: text drawn a record a character (as GDI spools justified or spaced CJK text) is UTF-16 (EMF)
// or the code page (WMF) one character at a time, with the record's geometry between. Run after npm run build:
// node probes/review14/metafile-probe.mjs
import iconv from '../../node_modules/iconv-lite/lib/index.js';
import { inspectBytes, kinds, residentId, zip } from '../../dist/test/inspect-fixtures.js';
const show = async (name, b, filename, declaredType) => { const r = await inspectBytes(b, {}, { filename, declaredType }); console.log(name.padEnd(60), (r.sniffedType ?? '-').padEnd(26), JSON.stringify(kinds(r.findings))); return r; };
const rec = (type, body) => { const h = Buffer.alloc(8); h.writeUInt32LE(type, 0); h.writeUInt32LE(8 + body.length, 4); return Buffer.concat([h, body]); };
const i32 = (...v) => { const b = Buffer.alloc(4 * v.length); v.forEach((x, k) => b.writeInt32LE(x, 4 * k)); return b; };
// EMR_EXTTEXTOUTW (MS-EMF 2.3.5.8): Bounds, iGraphicsMode, exScale, eyScale, EmrText (Reference, Chars, offString, Options, Rectangle, offDx), string, dx.
function extTextOutW(x, y, text) {
  const s = Buffer.from(text, 'utf16le'); const pad = Buffer.alloc((4 - (s.length % 4)) % 4);
  const n = text.length; const fixed = 16 + 4 + 4 + 4 + 8 + 4 + 4 + 4 + 16 + 4; // from the record body's start
  const offString = 8 + fixed; const offDx = offString + s.length + pad.length;
  const body = Buffer.concat([i32(x, y, x + 100, y + 100), i32(1), Buffer.alloc(8), i32(x, y, n, offString, 0, 0, 0, -1, -1, offDx), s, pad, i32(...Array(n).fill(100))]);
  return rec(84, body);
}
function emf(texts) {
  const recs = texts.map(([x, y, t]) => extTextOutW(x, y, t));
  const desc = Buffer.from('WPS\0Drawing\0\0', 'utf16le');
  const tail = Buffer.alloc(40); // Bytes, Records, Handles, Reserved, nDescription, offDescription, nPalEntries, Device, Millimeters
  tail.writeUInt16LE(1, 8); tail.writeUInt32LE(desc.length / 2, 12); tail.writeUInt32LE(88, 16); tail.writeInt32LE(1920, 24); tail.writeInt32LE(1080, 28); tail.writeInt32LE(508, 32); tail.writeInt32LE(285, 36);
  const hdrBody = Buffer.concat([i32(0, 0, 2000, 1000), i32(0, 0, 21000, 29700), Buffer.from(' EMF', 'latin1'), i32(0x10000), tail, desc]);
  const header = rec(1, hdrBody);
  const eof = rec(14, i32(0, 16, 20));
  const all = Buffer.concat([header, ...recs, eof]);
  all.writeUInt32LE(all.length, 48); all.writeUInt32LE(recs.length + 2, 52);
  return all;
}
const percent = (t, x0 = 100) => [...t].map((c, i) => [x0 + i * 120, 100, c]);
const body = [[100, 400, '关于做好年度工作总结的通知'], [100, 600, '各处室：请于本月底前报送。']];
const E = 'image/emf';
await show('EMF, marking in one record (control)', emf([...body, [100, 200, '机密★10年']]), 'head.emf', E);
await show('EMF, marking a record a character', emf([...percent('机密★10年'), ...body]), 'head.emf', E);
await show('EMF, 机 and 密★10年 in two records', emf([[100, 100, '机'], [220, 100, '密★10年'], ...body]), 'head.emf', E);
await show('EMF, mobile a record a digit', emf([[100, 100, '手机：'], ...percent('13812345678', 400), ...body]), 'card.emf', E);
await show('EMF, id a record a digit', emf([[100, 100, '身份证号：'], ...percent(residentId('440305', '19900307', '457'), 400), ...body]), 'card.emf', E);
await show('EMF as application/octet-stream', emf([...percent('机密★10年'), ...body]), 'head.emf', 'application/octet-stream');
const docxWith = (media) => zip([
  { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="emf" ContentType="image/x-emf"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>') },
  { name: 'word/document.xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>关于做好年度工作总结的通知</w:t></w:r></w:p></w:body></w:document>') },
  { name: 'word/media/image1.emf', data: media },
]);
await show('docx whose header picture is that EMF', docxWith(emf([...percent('机密★10年'), ...body])), '通知.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
// WMF (MS-WMF): placeable header, META header, META_EXTTEXTOUT (0x0a32) a character, in the code page (GBK).
const w16 = (...v) => { const b = Buffer.alloc(2 * v.length); v.forEach((x, k) => b.writeInt16LE(x, 2 * k)); return b; };
const wrec = (fn, params) => { const h = Buffer.alloc(6); h.writeUInt32LE((6 + params.length) / 2, 0); h.writeUInt16LE(fn, 4); return Buffer.concat([h, params]); };
function wmf(texts) {
  const recs = texts.map(([x, y, t]) => { const s = iconv.encode(t, 'gb18030'); const p = s.length % 2 ? Buffer.concat([s, Buffer.alloc(1)]) : s; return wrec(0x0a32, Buffer.concat([w16(y, x, s.length, 0), p])); });
  const font = wrec(0x02fb, Buffer.concat([w16(-24, 0, 0, 0, 400), Buffer.from([0, 0, 0, 134, 0, 0, 0, 0]), Buffer.concat([iconv.encode('宋体', 'gb18030'), Buffer.alloc(28)]).subarray(0, 32)])); // META_CREATEFONTINDIRECT, GB2312_CHARSET
  const eof = wrec(0, Buffer.alloc(0));
  const records = Buffer.concat([font, ...recs, eof]);
  const mh = Buffer.alloc(18); mh.writeUInt16LE(1, 0); mh.writeUInt16LE(9, 2); mh.writeUInt16LE(0x300, 4); mh.writeUInt32LE((18 + records.length) / 2, 6); mh.writeUInt16LE(1, 10); mh.writeUInt32LE(40, 12);
  const ph = Buffer.alloc(22); ph.writeUInt32LE(0x9ac6cdd7, 0); ph.writeInt16LE(2000, 10); ph.writeInt16LE(1000, 12); ph.writeUInt16LE(1440, 14);
  let sum = 0; for (let k = 0; k < 20; k += 2) sum ^= ph.readUInt16LE(k); ph.writeUInt16LE(sum, 20);
  return Buffer.concat([ph, mh, records]);
}
await show('WMF, marking in one record (control)', wmf([...body, [100, 200, '机密★10年']]), 'head.wmf', 'image/wmf');
await show('WMF, marking a record a character', wmf([...percent('机密★10年'), ...body]), 'head.wmf', 'image/wmf');
await show('WMF, mobile a record a digit', wmf([[100, 100, '手机：'], ...percent('13812345678', 400), ...body]), 'card.wmf', 'image/wmf');
process.exit(0);
