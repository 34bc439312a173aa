// Seventh red team of 1 Dec (redteam7, probes/redteam-2026-12-01c), the rest of its rows on bytes and headers:
// R16 a level in other brackets as a header line, R17/V2 a JPEG ICC profile split over APP2 chunks, R18 EBCDIC
// exports, R20 Java's signed byte lists, R12/V13 Outlook PST with compressible encryption, R27 a signed .p7m
// whose content is a file. Each crossed the default policy before; beside each, look-alikes that stay clean.
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { residentId, zip } from './inspect-fixtures.js';
import { jpegWith, segment } from './views-fixtures.js';
import { signed } from './der-text-fixtures.js';
import { pdfCid, pdfDocument, type Sample } from './evasion-fixtures.js';

const ID = residentId('440305', '19900307', '457');
const txt = (name: string, body: Buffer | string, expect: string, filename = 'memo.txt', type = 'text/plain'): Sample => ({
  name,
  filename,
  type,
  body: typeof body === 'string' ? Buffer.from(body) : body,
  expect,
});

/** A .docx of one paragraph a string. */
export function docxParagraphs(paras: string[]): Buffer {
  const body = paras.map((p) => `<w:p><w:r><w:t>${p}</w:t></w:r></w:p>`).join('');
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>') },
    { name: '_rels/.rels', data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>') },
    { name: 'word/document.xml', data: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`) },
  ]);
}
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** R16: `（机密）`, `(机密)`, `「绝密」`, `《机密》` as a header line (【】〔〕［］ were read). */
export function bracketHeaderSamples(): Sample[] {
  return [
    txt('R16: （机密） header line', '（机密）\n关于工作的通知\n', 'classified-marking'),
    txt('R16: (机密) ASCII parentheses header line', '(机密)\n关于工作的通知\n', 'classified-marking'),
    txt('R16: 「绝密」 corner brackets header line', '「绝密」\n关于工作的通知\n', 'classified-marking'),
    txt('R16: 《机密》 header line', '《机密》\n关于工作的通知\n', 'classified-marking'),
    txt('R16: 『機密』 Traditional, white corner brackets, centred by spaces, CRLF', '关于工作的通知\r\n            『機密』    \r\n正文\r\n', 'classified-marking'),
    txt('R16: （秘密） header line in GBK', iconv.encode('（秘密）\r\n关于工作的通知\r\n', 'gbk'), 'classified-marking'),
    txt('R16: （机密） header line after 70,000 characters of text (chunk boundaries)', `${'各单位：请按时报送材料。\n'.repeat(5000)}（机密）\n关于工作的通知\n`, 'classified-marking'),
    txt('R16: （机密） as a Word paragraph of its own', docxParagraphs(['（机密）', '关于工作的通知']), 'classified-marking', '通知.docx', DOCX),
  ];
}

export function bracketHeaderCleanSamples(): Sample[] {
  return [
    txt('R16 clean: （机密） inside running prose', '本件（机密）已按规定归档，其余文件（秘密）另行移交。\n', ''),
    txt('R16 clean: a book title 《机密》 in a sentence', '他读了《机密》一书，又看了电影《绝密》。\n', ''),
    txt('R16 clean: a law cited 《保守国家秘密法》 on a line of its own and in a sentence', '《保守国家秘密法》\n依据《中华人民共和国保守国家秘密法》第九条，做好定密工作。\n', ''),
    txt('R16 clean: （机密性） and （商业秘密） header-like lines', '（机密性）\n（商业秘密）\n「工作秘密」\n', ''),
    txt('R16 clean: a quoted word 「秘密」 in dialogue', '他说「秘密」就是秘密，不能说。\n', ''),
    txt('R16 clean: a Word document citing 《保守国家秘密法》 and a book 《机密》', docxParagraphs(['依据《保守国家秘密法》开展工作。', '推荐阅读：《机密》一书。']), '', '学习.docx', DOCX),
  ];
}

/** UTF-8 as Java's signed bytes. */
const signedBytes = (s: string): number[] => [...Buffer.from(s)].map((b) => (b > 127 ? b - 256 : b));

/** R20: UTF-8 printed as Java's byte[] (signed decimal: 机 is -26, -100, -70). */
export function signedByteSamples(): Sample[] {
  return [
    txt('R20: Arrays.toString(byte[]) of a marking in a log', `2026-12-01 10:00:00 DEBUG payload bytes=[${signedBytes('机密★10年').join(', ')}]\n`, 'classified-marking', 'app.log'),
    txt('R20: a Java source holding a memo as a byte array', `public class Memo {\n  static final byte[] B = {${signedBytes('关于工作的通知 机密★10年').join(', ')}};\n}\n`, 'classified-marking', 'Memo.java', 'text/x-java'),
    txt('R20: Kotlin byteArrayOf without spaces', `val b = byteArrayOf(${signedBytes('密级：绝密').join(',')})\n`, 'classified-marking', 'Memo.kt'),
  ];
}

export function signedByteCleanSamples(): Sample[] {
  return [
    txt('R20 clean: a CSV of negative amounts', '月份,收入,支出,结余\n2026-01,120,-26,-100\n2026-02,80,-70,-27\n2026-03,95,-81,-122\n', '', '结余.csv', 'text/csv'),
    txt('R20 clean: temperatures of a year in a JSON array', '{"city":"北京","temps":[-12, -8, -3, 0, 4, 9, 15, 21, 26, 30, 28, 22]}\n', '', 'temps.json', 'application/json'),
    txt('R20 clean: a Java source with signed byte arrays of ordinary text and of a key', `byte[] hello = {${signedBytes('关于召开会议的通知').join(', ')}};\nbyte[] key = {-1, -1, -1, -1, 0, 1, 2, 3, -128, 127, -64, 63};\n`, '', 'Hello.java', 'text/x-java'),
    txt('R20 clean: page ranges and deltas', 'pages 10-20, 30-40, 50-60; deltas -5, -12, -3, -8, -1, -44, -30, -104\n', ''),
  ];
}

/** An ICC profile (ICC.1:2010 header, one tag table) whose `desc` is an mluc record of `text` (UTF-16BE), `extra` bytes after it. */
export function iccProfile(text: string, extra: Buffer = Buffer.alloc(64)): Buffer {
  const s = Buffer.from(text, 'utf16le').swap16();
  const record = Buffer.alloc(12);
  record.write('zhCN');
  record.writeUInt32BE(s.length, 4);
  record.writeUInt32BE(28, 8);
  const mluc = Buffer.concat([Buffer.from('mluc\0\0\0\0', 'latin1'), Buffer.from([0, 0, 0, 1, 0, 0, 0, 12]), record, s]);
  const head = Buffer.alloc(128);
  head.write('lcms', 4);
  head.write('mntrRGB XYZ ', 12);
  head.write('acsp', 36);
  const tags = Buffer.alloc(16);
  tags.writeUInt32BE(1);
  tags.write('desc', 4);
  tags.writeUInt32BE(128 + 16, 8);
  tags.writeUInt32BE(mluc.length, 12);
  const prof = Buffer.concat([head, tags, mluc, extra]);
  prof.writeUInt32BE(prof.length, 0);
  return prof;
}

/** A JPEG whose ICC profile is cut into APP2 chunks at these offsets (ICC.1 B.4), written in `order` (sequence numbers from 1). */
export function iccJpeg(profile: Buffer, cuts: number[], order?: number[]): Buffer {
  const bounds = [0, ...cuts, profile.length];
  const parts = bounds.slice(1).map((e, i) => profile.subarray(bounds[i], e));
  const segs = parts.map((d, i) => segment(0xe2, Buffer.concat([Buffer.from('ICC_PROFILE\0', 'latin1'), Buffer.from([i + 1, parts.length]), d])));
  return jpegWith(...(order ?? segs.map((_, i) => i)).map((i) => segs[i]!));
}

/** R17: a JPEG's ICC profile cut over APP2 chunks, its `desc` text cut by a chunk header. */
export function iccSplitSamples(): Sample[] {
  const at = 128 + 16 + 28; // where the desc string starts
  const jpg = (name: string, body: Buffer, expect: string): Sample => ({ name, filename: 'photo.jpg', type: 'image/jpeg', body, expect });
  return [
    jpg('R17: ICC profile over two APP2 chunks, the marking cut between them', iccJpeg(iccProfile('机密★10年'), [at + 4]), 'classified-marking'),
    jpg('R17: ICC profile over two APP2 chunks, a mobile cut between them', iccJpeg(iccProfile('联系 13812345678'), [at + 12]), 'personal-data'),
    jpg('R17: ICC profile over three APP2 chunks written out of order, an id number cut twice', iccJpeg(iccProfile(`身份证 ${ID}`), [at + 14, at + 30], [2, 0, 1]), 'personal-data'),
  ];
}

export function iccSplitCleanSamples(): Sample[] {
  // A display profile's curves and colour table: smooth 16-bit ramps, as a large profile's bulk is.
  const ramp = Buffer.alloc(96 * 1024);
  for (let k = 0; k < ramp.length / 2; k++) ramp.writeUInt16BE(Math.round(65535 * ((k % 4096) / 4095) ** 2.2), k * 2);
  const jpg = (name: string, body: Buffer): Sample => ({ name, filename: 'photo.jpg', type: 'image/jpeg', body, expect: '' });
  return [
    jpg('R17 clean: sRGB profile over two APP2 chunks', iccJpeg(iccProfile('sRGB IEC61966-2.1'), [200])),
    jpg('R17 clean: a 96 KiB display profile (curves) over two APP2 chunks, Chinese description', iccJpeg(iccProfile('显示器色彩配置文件 2026', ramp), [65000])),
  ];
}

/** Text in EBCDIC (letters, digits, space and the punctuation cp037, cp500 and cp1047 share; NL 0x15 or LF 0x25 for a line break). */
export function ebcdic(s: string, newline = 0x25): Buffer {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c >= 0x30 && c <= 0x39) out.push(0xf0 + c - 0x30);
    else if (c >= 0x41 && c <= 0x49) out.push(0xc1 + c - 0x41);
    else if (c >= 0x4a && c <= 0x52) out.push(0xd1 + c - 0x4a);
    else if (c >= 0x53 && c <= 0x5a) out.push(0xe2 + c - 0x53);
    else if (c >= 0x61 && c <= 0x69) out.push(0x81 + c - 0x61);
    else if (c >= 0x6a && c <= 0x72) out.push(0x91 + c - 0x6a);
    else if (c >= 0x73 && c <= 0x7a) out.push(0xa2 + c - 0x73);
    else out.push({ ' ': 0x40, ',': 0x6b, '.': 0x4b, ':': 0x7a, '-': 0x60, '/': 0x61, ';': 0x5e, '\n': newline }[ch] ?? 0x6f);
  }
  return Buffer.from(out);
}

/** An IBM-935 field: Chinese as double-byte codes between SO and SI (arbitrary pairs here: they are not read). */
const dbcs = (chars: number): Buffer => Buffer.concat([Buffer.from([0x0e]), Buffer.from(Array.from({ length: chars * 2 }, (_, k) => 0x48 + ((k * 37) % 0x60))), Buffer.from([0x0f])]);

/** R18: exports of IBM hosts in EBCDIC: ids and mobiles as F0–F9 bytes. */
export function ebcdicSamples(): Sample[] {
  const mobiles = ['13812345678', '13998765432', '15012348765', '18611112222', '13700001111', '15899990000'];
  const bin = (name: string, body: Buffer, expect: string): Sample => ({ name, filename: 'EXPORT.DAT', type: 'application/octet-stream', body, expect });
  const records = Buffer.concat(mobiles.map((m, i) => Buffer.concat([ebcdic(`CUST${String(i).padStart(6, '0')}`), dbcs(3), ebcdic(`  ${ID} ${m}  `), Buffer.from([0x00, 0x01, 0x23, 0x4c])])));
  return [
    bin('R18: cp037 export, lines of name, id and mobile (LF 0x25)', ebcdic(mobiles.map((m, i) => `ZHANG SAN ${i},${ID},${m}`).join('\n') + '\n'), 'personal-data'),
    bin('R18: cp500/cp1047 export, mobiles only, NL 0x15 line breaks', ebcdic(mobiles.map((m, i) => `CUSTOMER ${i}: ${m}`).join('\n') + '\n', 0x15), 'personal-data'),
    bin('R18: IBM-935 fixed records: Chinese names between SO and SI, id and mobile, a packed decimal field', records, 'personal-data'),
  ];
}

export function ebcdicCleanSamples(): Sample[] {
  const ledger = Array.from({ length: 40 }, (_, i) => `ACCT ${String(62220200 + i * 7919).padStart(12, '0')} BAL ${(i * 12345.67).toFixed(2).padStart(12, ' ')} BR SHANGHAI ${20261101 + (i % 28)}`).join('\n');
  return [
    { name: 'R18 clean: a cp037 ledger of accounts, balances and dates', filename: 'LEDGER.DAT', type: 'application/octet-stream', body: ebcdic(`${ledger}\n`), expect: '' },
    { name: 'R18 clean: a cp037 job log', filename: 'JOBLOG.TXT', type: 'text/plain', body: ebcdic('IEF142I PAYROLL STEP1 - STEP WAS EXECUTED - COND CODE 0000\nIEF373I STEP/STEP1 /START 2026335.0901\nIEF374I STEP/STEP1 /STOP 2026335.0902 CPU 0MIN 00.41SEC SRB 0MIN 00.01SEC\n'.repeat(8)), expect: '' },
  ];
}

/** R27's rest: a CMS signed-data (.p7m) whose attached content is a file, not text: a PDF, a zip, a gzip. */
export function signedFileSamples(): Sample[] {
  const memo = `关于工作的通知\n机密★10年\n身份证 ${ID}\n`;
  const p7m = (name: string, body: Buffer, expect: string): Sample => ({ name, filename: '文件.p7m', type: 'application/pkcs7-mime', body, expect });
  return [
    p7m('R27: signed PDF whose text is in a compressed content stream through a ToUnicode map', signed(pdfCid('关于工作的通知 机密★10年')), 'classified-marking'),
    p7m('R27: signed PDF of 100 KB (a picture), an id number in its text', signed(pdfDocument(`ID ${ID}`)), 'personal-data'),
    p7m('R27: signed zip of a memo (deflated)', signed(zip([{ name: 'memo.txt', data: Buffer.from(memo.repeat(3)) }])), 'classified-marking'),
  ];
}

export function signedFileCleanSamples(): Sample[] {
  const note = '关于召开会议的通知\n请各单位于12月3日上午9时参加。\n联系电话：010-65123456\n';
  const p7m = (name: string, body: Buffer): Sample => ({ name, filename: '文件.p7m', type: 'application/pkcs7-mime', body, expect: '' });
  return [
    p7m('R27 clean: signed PDF of 100 KB with a picture (over 64 KiB of DER)', signed(pdfDocument('Quarterly report 2026'))),
    p7m('R27 clean: signed zip of an ordinary notice', signed(zip([{ name: 'notice.txt', data: Buffer.from(note.repeat(3)) }]))),
    p7m('R27 clean: signed gzip of an ordinary notice', signed(gzipSync(note))),
  ];
}

/** [MS-PST] §5.1 mpbbR: how a block is written under compressible encryption (the test's own copy of the spec's table). */
const MPBB_R = Buffer.from(
  '41361362a8216ebbf416cc047f64e85d1ef2cb2a74c55e35d295479e962d9a884c7d843fdbac31b6485ff6c4d8398be7233b388ec8c1df25b120a546604e9cfbaad35651457c550007c92b9d859b09a08fadb30f63ab894bd7a7155a716642bf264a6b98faea7753b270052cfd593a867ece06eb827857c78d43afb41cd45bcde2e9274fc3087280cfb0eff5286dbe304d3492d50e3c2232e5e4f99fc2d10a8112e1ee918376e397e6618a1779a4b7dc907a5c8c02a6ca69de501a1193b9528758fced1d37491b6ae0293399bd6cd994f340546ff0c673b8d63e6518441fdd6710f10c19ecae03a1147ba90bfff8a3c0a201f72ebc2468750dfeba2fb5d0da3d',
  'hex',
);

/**
 * An Outlook PST: its header (Unicode, wVer 23, bCryptMethod at 0x201; or ANSI, wVer 14, at 0x1CD), then one data
 * block a body (64-byte aligned, with its trailer: cb, signature, CRC, BID), each written through mpbbR when
 * `crypt` is 1. The B-trees are not modelled (the readers look at the header and the blocks).
 */
export function pstFile(bodies: Buffer[], crypt = 1, ansi = false): Buffer {
  const head = Buffer.alloc(4096);
  head.write('!BDN', 0, 'latin1');
  head.write('SM', 8, 'latin1');
  head.writeUInt16LE(ansi ? 14 : 23, 10);
  head.writeUInt16LE(19, 12);
  head[ansi ? 0x1cd : 0x201] = crypt;
  const blocks = bodies.map((b, i) => {
    const d = crypt === 1 ? Buffer.from(b.map((x) => MPBB_R[x]!)) : b;
    const size = Math.ceil((d.length + 16) / 64) * 64;
    const blk = Buffer.alloc(size);
    d.copy(blk);
    blk.writeUInt16LE(d.length, size - 16);
    blk.writeUInt16LE(0xabcd, size - 14);
    blk.writeBigUInt64LE(BigInt(4 * (i + 1)), size - 8);
    return blk;
  });
  return Buffer.concat([head, ...blocks, Buffer.alloc(512)]);
}

const PST = 'application/vnd.ms-outlook';

/** R12, V13: Outlook PST with compressible encryption (and high encryption, which is not read). */
export function pstSamples(): Sample[] {
  const body = `关于工作的通知\r\n机密★10年\r\n身份证 ${ID}\r\n手机 13812345678\r\n`;
  const pst = (name: string, b: Buffer, expect: string): Sample => ({ name, filename: 'archive.pst', type: PST, body: b, expect });
  return [
    pst('R12: Unicode PST, compressible encryption: a UTF-16LE body with marking, id and mobile', pstFile([Buffer.from('会议材料', 'utf16le'), Buffer.from(body, 'utf16le')]), 'classified-marking'),
    pst('R12: ANSI PST (Outlook 97–2002), compressible encryption: a GBK body', pstFile([iconv.encode('会议材料', 'gbk'), iconv.encode(body, 'gbk')], 1, true), 'classified-marking'),
    pst('R12: PST with high encryption (NDB_CRYPT_CYCLIC) is uninspectable', pstFile([Buffer.from('会议材料', 'utf16le')], 2), 'uninspectable'),
  ];
}

export function pstCleanSamples(): Sample[] {
  const ordinary = [Buffer.from('会议材料', 'utf16le'), Buffer.from('关于召开会议的通知\r\n请各单位于12月3日上午9时参加。\r\n联系电话：010-65123456\r\n', 'utf16le')];
  const pst = (name: string, b: Buffer): Sample => ({ name, filename: 'archive.pst', type: PST, body: b, expect: '' });
  return [
    pst('R12 clean: an ordinary unencrypted PST (NDB_CRYPT_NONE)', pstFile(ordinary, 0)),
    pst('R12 clean: an ordinary PST with compressible encryption and a picture attached', pstFile([...ordinary, jpegWith()])),
  ];
}
