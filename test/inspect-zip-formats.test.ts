// Formats that are a zip of parts, sent with the type they declare (ninth red team, F6): XPS, OpenXPS, Visio,
// Pages, Numbers, Keynote, XMind, KMZ were refused type-mismatch (the sniffer says application/zip). Built here
// with the zip fixture and the parts each format's spec names (ECMA-388's FixedDocumentSequence, OPC's
// [Content_Types].xml, iWork's Index/*.iwa, XMind's content.json, KML's doc.kml); their parts are still walked
// as any zip's: a marking inside is found. A zip declared as a PDF stays a mismatch.
import t from 'tap';
import { inspectBytes, kinds, peExecutable, zip } from './inspect-fixtures.js';

const CT = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>';
const kml = (text: string): string => `<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>${text}</name><Point><coordinates>116.39,39.91</coordinates></Point></Placemark></kml>`;

/** name, declared type, the file's parts with `TEXT` where its words go. */
const FORMATS: Array<[string, string, Array<[string, string]>]> = [
  ['report.xps', 'application/vnd.ms-xpsdocument', [['[Content_Types].xml', CT], ['FixedDocSeq.fdseq', '<FixedDocumentSequence/>'], ['Documents/1/Pages/1.fpage', '<FixedPage><Glyphs UnicodeString="TEXT"/></FixedPage>']]],
  ['report.oxps', 'application/oxps', [['[Content_Types].xml', CT], ['Documents/1/Pages/1.fpage', '<FixedPage><Glyphs UnicodeString="TEXT"/></FixedPage>']]],
  ['plan.vsdx', 'application/vnd.ms-visio.drawing.main+xml', [['[Content_Types].xml', CT], ['visio/pages/page1.xml', '<PageContents><Shapes><Shape><Text>TEXT</Text></Shape></Shapes></PageContents>']]],
  ['notice.pages', 'application/vnd.apple.pages', [['Index/Document.iwa', 'TEXT'], ['Metadata/Properties.plist', '<plist><dict/></plist>']]],
  ['budget.numbers', 'application/vnd.apple.numbers', [['Index/Document.iwa', 'TEXT']]],
  ['talk.key', 'application/vnd.apple.keynote', [['Index/Document.iwa', 'TEXT']]],
  ['ideas.xmind', 'application/vnd.xmind.workbook', [['content.json', '[{"rootTopic":{"title":"TEXT"}}]'], ['manifest.json', '{}']]],
  ['sites.kmz', 'application/vnd.google-earth.kmz', [['doc.kml', kml('TEXT')]]],
];

const build = (parts: Array<[string, string]>, text: string): Buffer => zip(parts.map(([name, data]) => ({ name, data: Buffer.from(data.replace('TEXT', text)) })));

t.test('zip-based formats declared as what they are are clean', async (t) => {
  for (const [name, type, parts] of FORMATS) {
    const r = await inspectBytes(build(parts, '会议纪要：商业秘密保护与保密协议，机密性要求'), {}, { filename: name, declaredType: type });
    t.same(kinds(r.findings), [], `${name} as ${type} (${r.sniffedType})`);
  }
});

t.test('their parts are walked: a marking inside is found', async (t) => {
  for (const [name, type, parts] of FORMATS) {
    const r = await inspectBytes(build(parts, '绝密★长期'), {}, { filename: name, declaredType: type });
    t.same(kinds(r.findings), ['classified-marking:绝密'], name);
  }
  const pdf = await inspectBytes(build(FORMATS[0]![2], '通知'), {}, { filename: 'report.pdf', declaredType: 'application/pdf' });
  t.same(kinds(pdf.findings), ['type-mismatch:application/zip'], 'an XPS declared as a PDF is a mismatch');
  const exe = await inspectBytes(peExecutable(), {}, { filename: 'notice.pages', declaredType: 'application/vnd.apple.pages' });
  t.ok(kinds(exe.findings).includes('type-mismatch:application/x-msdownload'), 'a program declared as Pages is a mismatch');
});
