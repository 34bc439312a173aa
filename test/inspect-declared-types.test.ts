import t from 'tap';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { docx, inspectBytes, kinds, peExecutable, tar, zip } from './inspect-fixtures.js';
import { compatible } from '../gateway/inspect/type-compare.js';
import { BUDGET_CSV, ofdDocument, ofdText } from './fpfix-fixtures.js';

// The types real clients declare for ordinary files (red team, 1 Dec: F1–F3):
// a CSV declared application/vnd.ms-excel (Windows with Office or WPS), OFD,
// WPS Office's own types, the aliases of shared-mime-info and IANA, a legacy
// Office type declared for its OOXML successor, a .tar.gz declared
// application/x-tar. Beside them, the mismatches that stay refused.

const DOCX_T = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX_T = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX_T = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

t.test('declared aliases agree with the type file-type gives', async (t) => {
  const agree: [string, string][] = [
    // WPS Office (Windows, Kylin, UOS): its own formats are OLE2, its OOXML is OOXML.
    ['application/kswps', 'application/x-cfb'],
    ['application/kset', 'application/x-cfb'],
    ['application/ksdps', 'application/x-cfb'],
    ['application/wps-office.wps', 'application/x-cfb'],
    ['application/wps-office.et', 'application/x-cfb'],
    ['application/wps-office.dps', 'application/x-cfb'],
    ['application/wps-office.docx', DOCX_T],
    ['application/wps-office.xlsx', XLSX_T],
    ['application/wps-office.pptx', PPTX_T],
    // Old names of the legacy types.
    ['application/x-msword', 'application/x-cfb'],
    ['application/vnd.ms-word', 'application/x-cfb'],
    ['application/x-msexcel', 'application/x-cfb'],
    ['application/excel', 'application/x-cfb'],
    ['application/mspowerpoint', 'application/x-cfb'],
    // A legacy type declared for its successor.
    ['application/msword', DOCX_T],
    ['application/msword', 'application/vnd.ms-word.document.macroenabled.12'],
    ['application/vnd.ms-excel', XLSX_T],
    ['application/vnd.ms-excel', 'application/vnd.ms-excel.sheet.macroenabled.12'],
    ['application/vnd.ms-powerpoint', PPTX_T],
    ['application/x-msexcel', XLSX_T],
    ['application/vnd.ms-word.document.12', DOCX_T],
    // Text saved under the Word and Excel names (CSV, HTML, SpreadsheetML XML).
    ['application/vnd.ms-excel', 'text/plain'],
    ['application/vnd.ms-excel', 'text/html'],
    ['application/vnd.ms-excel', 'application/xml'],
    ['application/msword', 'text/html'],
    ['application/msword', 'application/rtf'],
    ['application/x-csv', 'text/plain'],
    ['multipart/related', 'text/plain'],
    // OFD is a zip.
    ['application/ofd', 'application/zip'],
    ['application/x-ofd', 'application/zip'],
    // A compressed tar declared as the tar it holds (Python's mimetypes gives the encoding apart).
    ['application/x-tar', 'application/gzip'],
    ['application/x-tar', 'application/x-bzip2'],
    ['application/x-tar', 'application/x-xz'],
    ['application/x-compressed-tar', 'application/gzip'],
    // shared-mime-info's and IANA's names.
    ['audio/x-wav', 'audio/wav'],
    ['audio/vnd.wave', 'audio/wav'],
    ['image/vnd.microsoft.icon', 'image/x-icon'],
    ['image/x-png', 'image/png'],
    ['image/x-ms-bmp', 'image/bmp'],
    ['image/tif', 'image/tiff'],
    ['audio/mp3', 'audio/mpeg'],
    ['application/vnd.sqlite3', 'application/x-sqlite3'],
    ['application/vnd.rar', 'application/x-rar-compressed'],
    ['video/x-msvideo', 'video/vnd.avi'],
    // Seventh red team (1 Dec c), G4: what Windows, browsers and players declare for SVG, WMV/WMA, M4A, Opus, MKV, .tgz.
    ['image/svg+xml', 'application/xml'],
    ['image/svg+xml', 'text/plain'],
    ['video/x-ms-wmv', 'video/x-ms-asf'],
    ['audio/x-ms-wma', 'audio/x-ms-asf'],
    ['video/x-ms-wmv', 'application/vnd.ms-asf'],
    ['audio/mp4', 'audio/x-m4a'],
    ['audio/m4a', 'audio/x-m4a'],
    ['audio/aac', 'audio/x-m4a'],
    ['audio/x-aac', 'audio/aac'],
    ['audio/opus', 'audio/ogg; codecs=opus'],
    ['application/ogg', 'audio/ogg'],
    ['video/mkv', 'video/matroska'],
    ['audio/ac3', 'audio/vnd.dolby.dd-raw'],
    ['application/x-compressed', 'application/gzip'],
  ];
  for (const [declared, sniffed] of agree) t.ok(compatible(declared, sniffed), `${declared} for ${sniffed}`);
  const disagree: [string, string][] = [
    ['application/pdf', 'application/x-msdownload'],
    ['application/msword', 'application/x-msdownload'],
    ['application/vnd.ms-excel', 'application/x-msdownload'],
    ['application/ofd', 'application/x-msdownload'],
    ['application/ofd', 'text/plain'],
    ['text/plain', 'application/zip'],
    ['text/csv', 'application/zip'],
    ['application/x-csv', 'application/gzip'],
    ['multipart/related', 'application/zip'],
    ['application/pdf', 'text/plain'],
    ['image/png', 'text/plain'],
    ['image/x-png', 'image/jpeg'],
    ['audio/x-wav', 'application/x-msdownload'],
    ['application/vnd.ms-powerpoint', 'text/plain'],
    ['application/msword', XLSX_T],
    ['application/vnd.ms-excel', DOCX_T],
    [DOCX_T, 'application/x-cfb'],
    ['application/x-tar', 'application/zip'],
    ['application/gzip', 'application/x-tar'],
    ['application/vnd.sqlite3', 'application/zip'],
    ['application/kswps', 'application/x-msdownload'],
    ['image/svg+xml', 'application/x-msdownload'],
    ['image/svg+xml', 'image/png'],
    ['video/x-ms-wmv', 'video/mp4'],
    ['audio/aac', 'video/mp4'],
    ['audio/opus', 'application/x-msdownload'],
  ];
  for (const [declared, sniffed] of disagree) t.notOk(compatible(declared, sniffed), `${declared} for ${sniffed} stays a mismatch`);
});

const CSV = BUDGET_CSV;
const OFD = ofdDocument;
const text = ofdText;

t.test('ordinary files with the types their senders declare cross; their content is still read', async (t) => {
  const clean: [string, Buffer | string, string, string][] = [
    ['执行情况.csv', CSV, 'application/vnd.ms-excel', 'F1: UTF-8 CSV as Windows declares it'],
    ['执行情况.csv', iconv.encode(CSV, 'gbk'), 'application/vnd.ms-excel', 'F1: GBK CSV as Windows declares it'],
    ['执行情况.csv', CSV, 'application/x-csv', 'CSV as application/x-csv'],
    ['发票.ofd', OFD(text(1, '金额合计：1234.56')), 'application/ofd', 'F2: OFD'],
    ['发票.ofd', OFD(text(1, '金额合计：1234.56')), 'application/x-ofd', 'F2: OFD as application/x-ofd'],
    ['通知.docx', docx(['关于召开会议的通知']), 'application/msword', 'F3: .docx declared application/msword'],
    ['通知.docx', docx(['关于召开会议的通知']), 'application/wps-office.docx', 'F3: .docx declared by WPS on Kylin'],
    ['archive.tar.gz', zlib.gzipSync(tar([{ name: 'a.txt', data: Buffer.from('会议纪要\n') }])), 'application/x-tar', 'F3: .tar.gz as Python declares it'],
    ['page.mht', 'MIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n<p>通知</p>\r\n', 'multipart/related', 'F3: .mht as multipart/related'],
  ];
  for (const [filename, data, declaredType, name] of clean) {
    const r = await inspectBytes(data, {}, { filename, declaredType });
    t.same(kinds(r.findings), [], name);
  }
  // The content of each is read as before.
  const markedCsv = await inspectBytes(`${CSV}3,市保密局,密级：机密,1.00,2026-11-13\n`, {}, { filename: '执行情况.csv', declaredType: 'application/vnd.ms-excel' });
  t.same(kinds(markedCsv.findings), ['classified-marking:机密'], 'a marking in such a CSV');
  const markedOfd = await inspectBytes(OFD(text(1, '机') + text(2, '密★10年')), {}, { filename: '发票.ofd', declaredType: 'application/ofd' });
  t.same(kinds(markedOfd.findings), ['classified-marking:机密'], "a marking in an OFD page, one TextObject a character or more");
  t.equal(markedOfd.findings[0]!.path, 'Doc_0/Pages/Page_0/Content.xml');
  const tgz = await inspectBytes(zlib.gzipSync(tar([{ name: 'a.txt', data: Buffer.from('密级：机密\n') }])), {}, { filename: 'archive.tar.gz', declaredType: 'application/x-tar' });
  t.same(kinds(tgz.findings), ['classified-marking:机密'], 'a marking in a .tar.gz declared application/x-tar');
});

t.test('real mismatches stay refused', async (t) => {
  const refused: [string, Buffer | string, string, string][] = [
    ['invoice.ofd', peExecutable(), 'application/ofd', 'type-mismatch:application/x-msdownload'],
    ['report.xls', peExecutable(), 'application/vnd.ms-excel', 'type-mismatch:application/x-msdownload'],
    ['a.doc', peExecutable(), 'application/kswps', 'type-mismatch:application/x-msdownload'],
    ['data.csv', zip([{ name: 'a.txt', data: Buffer.from('x') }]), 'application/x-csv', 'type-mismatch:application/zip'],
    ['notes.txt', zip([{ name: 'a.txt', data: Buffer.from('x') }]), 'text/plain', 'type-mismatch:application/zip'],
    ['invoice.ofd', '金额合计：1234.56', 'application/ofd', 'type-mismatch:text/plain'],
  ];
  for (const [filename, data, declaredType, want] of refused) {
    const r = await inspectBytes(data, {}, { filename, declaredType });
    t.same(kinds(r.findings), [want], `${filename} declared ${declaredType}`);
  }
});
