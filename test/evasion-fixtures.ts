import { spawnSync } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { residentId, tar, zip } from './inspect-fixtures.js';
import { fragmentedStream, wordDocument, xlsWorkbook } from './ole2-fixtures.js';

// Samples of every evasion class of issue 14, generated here: a classified
// marking or a resident id number disguised one way each. `expect` is the
// finding kind that must be reported (the default policy denies each).

export const MARK = '机密★10年';
export const ID = residentId('110105', '19491231', '002');

export interface Sample {
  name: string;
  filename: string;
  type: string;
  body: Buffer;
  expect: string;
}

const u8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const pad = 'x'.repeat(40);

/** A zstd frame holding one raw (uncompressed) block (RFC 8878 §3.1.1). */
export function zstdRaw(data: Buffer): Buffer {
  const fh = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x20 | 0x00, data.length & 0xff]); // single segment, 1-byte content size
  if (data.length > 255) throw new Error('short data only');
  const bh = Buffer.alloc(3);
  bh.writeUIntLE((data.length << 3) | 1, 0, 3); // raw block, last
  return Buffer.concat([fh, bh, data]);
}

function crc32(b: Buffer): number {
  return zlib.crc32(b);
}

/** Compressed by the system's bzip2 or xz, or null where the tool is absent (the sample is then left out). */
export function compressWith(tool: 'bzip2' | 'xz', data: Buffer, options: string[] = []): Buffer | null {
  const r = spawnSync(tool, ['-c', ...options], { input: data });
  return r.status === 0 ? r.stdout : null;
}

/** A 7z archive whose one file is stored (copy method): the signature header, the packed stream, a header (7zFormat.txt). */
export function sevenZipStored(data: Buffer): Buffer {
  const header = Buffer.from([0x01, 0x04, 0x06, 0x00, 0x01, 0x09, data.length, 0x00, 0x07, 0x0b, 0x01, 0x00, 0x01, 0x01, 0x00, 0x0c, data.length, 0x00, 0x00, 0x00]);
  const start = Buffer.alloc(20);
  start.writeBigUInt64LE(BigInt(data.length), 0);
  start.writeBigUInt64LE(BigInt(header.length), 8);
  start.writeUInt32LE(crc32(header), 16);
  const sig = Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32(start));
  return Buffer.concat([sig, crc, start, data, header]);
}

function png(chunks: Array<[string, Buffer]>): Buffer {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const out = [sig];
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  const all: Array<[string, Buffer]> = [['IHDR', ihdr], ...chunks, ['IDAT', zlib.deflateSync(Buffer.from([0, 0]))], ['IEND', Buffer.alloc(0)]];
  for (const [type, data] of all) {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    out.push(len, td, crc);
  }
  return Buffer.concat(out);
}

/** An ordinary PNG (1×1), optionally with text chunks. */
export function pngImage(chunks: Array<[string, Buffer]> = []): Buffer {
  return png(chunks);
}

/** A JPEG with an Exif APP1 holding an ImageDescription (ASCII) and an XPComment (UTF-16LE). */
export function jpegWithExif(description: string, xpComment: string): Buffer {
  const entries: Array<[number, number, Buffer]> = [
    [0x010e, 2, Buffer.from(description + '\u0000', 'latin1')],
    [0x9c9c, 1, Buffer.from(xpComment + '\u0000', 'utf16le')],
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  let dataOff = 8 + ifdSize;
  const ifd = Buffer.alloc(ifdSize);
  ifd.writeUInt16LE(entries.length, 0);
  const datas: Buffer[] = [];
  entries.forEach(([tag, type, data], i) => {
    const o = 2 + i * 12;
    ifd.writeUInt16LE(tag, o);
    ifd.writeUInt16LE(type, o + 2);
    ifd.writeUInt32LE(data.length, o + 4);
    ifd.writeUInt32LE(dataOff, o + 8);
    datas.push(data);
    dataOff += data.length;
  });
  const tiff = Buffer.concat([Buffer.from('II*\u0000\u0008\u0000\u0000\u0000', 'latin1'), ifd, ...datas]);
  const app1Body = Buffer.concat([Buffer.from('Exif\u0000\u0000', 'latin1'), tiff]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (app1Body.length + 2) >> 8, (app1Body.length + 2) & 0xff]), app1Body]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app1, jpegBody()]);
}

/** The rest of a minimal baseline JPEG (an 8×8 grey block). */
export function jpegBody(): Buffer {
  const dqt = Buffer.concat([Buffer.from([0xff, 0xdb, 0x00, 0x43, 0x00]), Buffer.alloc(64, 1)]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00]);
  const dht = Buffer.concat([Buffer.from([0xff, 0xc4, 0x00, 0x14, 0x00, 0x01]), Buffer.alloc(15), Buffer.from([0x00])]);
  const dhtAc = Buffer.concat([Buffer.from([0xff, 0xc4, 0x00, 0x14, 0x10, 0x01]), Buffer.alloc(15), Buffer.from([0x00])]);
  const sos = Buffer.from([0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x00, 0xff, 0xd9]);
  return Buffer.concat([dqt, sof, dht, dhtAc, sos]);
}

function nestBase64(s: string, levels: number): string {
  let b = u8(s);
  for (let i = 0; i < levels; i++) b = Buffer.from(`${pad}\n${b.toString('base64')}\n`);
  return b.toString();
}

function percent(b: Buffer): string {
  return [...b].map((x) => `%${x.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

export function evasionSamples(): Sample[] {
  const s: Sample[] = [];
  const add = (name: string, filename: string, type: string, body: Buffer | string, expect = 'classified-marking'): void => {
    s.push({ name, filename, type, body: typeof body === 'string' ? u8(body) : body, expect });
  };
  const csv = `姓名,证件号\n王五,${ID}\n`;
  add('text after a PDF header', 'memo.pdf', 'application/pdf', `%PDF-1.4\n${csv}`, 'personal-data');
  add('text after a GIF header', 'memo.gif', 'image/gif', Buffer.concat([Buffer.from('GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000', 'latin1'), u8(`\n${MARK}\n`)]));
  add('GB18030 after a PNG signature', 'a.png', 'image/png', Buffer.concat([pngImage(), iconv.encode(`\n备注：${MARK}\n`, 'gb18030')]));
  const entDec = [...MARK].map((c) => `&#${c.codePointAt(0)};`).join('');
  const entHex = [...MARK].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join('');
  add('HTML decimal entities', 'a.html', 'text/html', `<html><body><p>${entDec}</p></body></html>`);
  add('HTML hex entities', 'a.html', 'text/html', `<html><body><p>${entHex}</p></body></html>`);
  add('HTML named entity for the star', 'a.html', 'text/html', `<html><body><p>机密&starf;10年</p></body></html>`);
  add('XML attribute', 'a.xml', 'application/xml', `<?xml version="1.0"?><doc title="${MARK}"/>`);
  add('XML attribute with entities', 'a.xml', 'application/xml', `<?xml version="1.0"?><doc title="${entHex}"/>`);
  add('XML comment', 'a.xml', 'application/xml', `<?xml version="1.0"?><doc><!-- ${MARK} --></doc>`);
  add('XML without declaration, split by tags', 'a.xml', 'application/xml', `<doc><a>机</a><b x="1">密</b><c>★10年</c></doc>`);
  add('JSON \\u escapes', 'a.json', 'application/json', JSON.stringify({ note: MARK }).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  add('percent-encoded UTF-8', 'a.txt', 'text/plain', `q=${percent(u8(MARK))}`);
  add('percent-encoded GBK', 'a.txt', 'text/plain', `q=${percent(iconv.encode(MARK, 'gbk'))}`);
  add('percent-encoded Big5', 'a.txt', 'text/plain', `q=${percent(iconv.encode(MARK, 'big5'))}`);
  add('quoted-printable', 'a.eml', 'message/rfc822', `Content-Transfer-Encoding: quoted-printable\r\n\r\n${[...u8(MARK)].map((x) => `=${x.toString(16).toUpperCase().padStart(2, '0')}`).join('')}\r\n`);
  add('MIME encoded word (B, GB2312)', 'a.eml', 'message/rfc822', `Subject: =?GB2312?B?${iconv.encode(MARK, 'gb2312').toString('base64')}?=\r\n\r\nhello\r\n`);
  add('MIME encoded word (Q, UTF-8)', 'a.eml', 'message/rfc822', `Subject: =?utf-8?Q?${[...u8(MARK)].map((x) => `=${x.toString(16).toUpperCase()}`).join('')}?=\r\n\r\nhello\r\n`);
  add('base64url', 'a.txt', 'text/plain', `token=${u8(`${MARK} ${'补充说明'.repeat(8)}`).toString('base64url')}\n`);
  add('base64 nested past the depth limit', 'a.txt', 'text/plain', nestBase64(`${MARK} ${'补充说明'.repeat(8)}`, 8), 'inspection-limit');
  add('percent-encoding nested past the depth limit', 'a.txt', 'text/plain', (() => {
    let t = MARK;
    for (let i = 0; i < 8; i++) t = encodeURIComponent(t);
    return `q=${t}`;
  })(), 'inspection-limit');
  add('Big5', 'a.txt', 'text/plain', iconv.encode(`文件：${MARK}，請閱。`, 'big5'));
  add('UTF-32LE with BOM', 'a.txt', 'text/plain', Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), iconv.encode(MARK, 'utf32le')]));
  add('UTF-32BE without BOM', 'a.txt', 'text/plain', iconv.encode(`note ${MARK}`, 'utf32be'));
  add('UTF-16BE without BOM, CJK only', 'a.txt', 'text/plain', Buffer.from(iconv.encode(`通知${MARK}请阅`, 'utf16-be')));
  add('UTF-7', 'a.txt', 'text/plain', `note: ${iconv.encode(MARK, 'utf7').toString('latin1')}\n`);
  add('wide split: spaces and blank lines', 'a.txt', 'text/plain', `机          \n\n\n   密★10年`);
  add('UTF-8 after three stray bytes, all of it valid GB18030', 'a.txt', 'text/plain', Buffer.concat([Buffer.from([0xd3, 0x4d, 0x34]), u8(`备注：${MARK}，请阅。${'季度工作总结各项任务按期完成'.repeat(3)}`.repeat(3))]));
  add('entities in a Latin-1 body after 4,100 bytes of ASCII', 'a.html', 'text/html', Buffer.concat([u8(`<html><body>\n${'Some plain introduction text for the page. '.repeat(100)}`), iconv.encode(`${'Le comité a été informé à temps. '.repeat(200)}<p>${[...MARK].map((c) => `&#${c.codePointAt(0)};`).join('')}</p></body></html>`, 'cp1252')]));
  add('hex of a zlib stream at level 1 (a disk image to file-type)', 'a.txt', 'text/plain', `dump:\n${zlib.deflateSync(u8(`${MARK}，${'季度工作总结各项任务按期完成'.repeat(4)}`), { level: 1 }).toString('hex').replace(/.{64}/g, '$&\n')}\n`);
  add('split by an ASCII letter', 'a.txt', 'text/plain', `机x密★10年`);
  add('marking in the file name', `${MARK}.txt`, 'text/plain', 'an ordinary note\n');
  add('marking in an archive member name', 'a.zip', 'application/zip', zip([{ name: `${MARK}.txt`, data: u8('an ordinary note\n') }]));
  add('zip appended after an image', 'a.gif', 'image/gif', Buffer.concat([Buffer.from('GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;', 'latin1'), zip([{ name: 'n.txt', data: u8(`${MARK}\n${'正文'.repeat(200)}`), method: 8 }])]));
  add('zstd', 'a.txt.zst', 'application/zstd', zstdRaw(u8(`${MARK}\n`)));
  add('Word 97 pieces stored out of order', 'a.doc', 'application/msword', wordDocument([{ text: '通知：本文件机' }, { text: '密★10年。' }], [1, 0]));
  add('Excel shared string cut by a CONTINUE record', 'a.xls', 'application/vnd.ms-excel', xlsWorkbook(['东区', `备注${MARK}`], 4));
  add('compound-file stream with its sectors out of order', 'a.doc', 'application/msword', fragmentedStream('Notes', Buffer.from(`${'会议纪要'.repeat(64).slice(0, 255)}${MARK}${'。正文'.repeat(1200)}`, 'utf16le')));
  const xz = compressWith('xz', u8(`${MARK}\n${'正文'.repeat(100)}`));
  if (xz) add('xz', 'a.txt.xz', 'application/x-xz', xz);
  const bz = compressWith('bzip2', u8(`${MARK}\n${'正文'.repeat(100)}`));
  if (bz) add('bzip2', 'a.txt.bz2', 'application/x-bzip2', bz);
  add('7z (stored)', 'a.7z', 'application/x-7z-compressed', sevenZipStored(u8(`${MARK}\n`)));
  add('RTF hex escapes (GBK)', 'a.rtf', 'application/rtf', `{\\rtf1\\ansi\\ansicpg936 ${[...iconv.encode('机密', 'gbk')].map((x) => `\\'${x.toString(16)}`).join('')}\\u9733?10\\'c4\\'ea\\par}`);
  add('RTF \\u escapes', 'a.rtf', 'application/rtf', `{\\rtf1\\ansi ${[...MARK].map((c) => `\\u${c.charCodeAt(0)}?`).join('')}\\par}`);
  add('PDF text through a ToUnicode map, compressed', 'a.pdf', 'application/pdf', pdfCid(`通知 ${MARK}`));
  add('PDF document information (UTF-16)', 'a.pdf', 'application/pdf', pdfCid('普通通知', `标题 ${MARK}`));
  add('EXIF description (ASCII)', 'a.jpg', 'image/jpeg', jpegWithExif(`ID ${ID}`, 'photo'), 'personal-data');
  add('EXIF XPComment (UTF-16LE)', 'a.jpg', 'image/jpeg', jpegWithExif('photo', MARK));
  add('PNG zTXt chunk', 'a.png', 'image/png', pngImage([['zTXt', Buffer.concat([Buffer.from('Comment\u0000\u0000', 'latin1'), zlib.deflateSync(u8(MARK))])]]));
  add('PNG iTXt chunk (compressed)', 'a.png', 'image/png', pngImage([['iTXt', Buffer.concat([Buffer.from('Comment\u0000\u0001\u0000\u0000\u0000', 'latin1'), zlib.deflateSync(u8(MARK))])]]));
  add('encrypted blob', 'a.bin', 'application/octet-stream', createCipheriv('aes-256-ctr', Buffer.alloc(32, 7), Buffer.alloc(16)).update(Buffer.alloc(64 * 1024)), 'uninspectable');
  s.push(...auditSamples(), ...thirdReviewSamples());
  return s;
}

/** GB2312 in HZ (RFC 1843): ~{ then each double-byte character with its high bits cleared, ~} back to ASCII. */
export function hzEncode(text: string): string {
  let out = '';
  let gb = false;
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) {
      if (gb) out += '~}';
      gb = false;
      out += ch === '~' ? '~~' : ch;
      continue;
    }
    if (!gb) out += '~{';
    gb = true;
    const b = iconv.encode(ch, 'gb2312');
    out += String.fromCharCode(b[0]! & 0x7f, b[1]! & 0x7f);
  }
  return gb ? `${out}~}` : out;
}

/** POSIX uuencode of one file: `begin 644 name`, lines of 45 bytes, a zero-length line, `end`. */
export function uuencode(name: string, data: Buffer): string {
  const ch = (v: number): string => String.fromCharCode(v === 0 ? 0x60 : 0x20 + v);
  let out = `begin 644 ${name}\n`;
  for (let i = 0; i < data.length; i += 45) {
    const l = data.subarray(i, i + 45);
    let line = ch(l.length);
    for (let j = 0; j < l.length; j += 3) {
      const n = (l[j]! << 16) | ((l[j + 1] ?? 0) << 8) | (l[j + 2] ?? 0);
      line += ch((n >> 18) & 63) + ch((n >> 12) & 63) + ch((n >> 6) & 63) + ch(n & 63);
    }
    out += `${line}\n`;
  }
  return `${out}\`\nend\n`;
}

/** RFC 4648 §6 base32, padded. */
export function base32(b: Buffer): string {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const x of b) {
    acc = ((acc << 8) | x) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += A[(acc >> bits) & 31];
    }
  }
  if (bits > 0) out += A[(acc << (5 - bits)) & 31];
  while (out.length % 8) out += '=';
  return out;
}

/** The third review of issue 14: classes that still crossed a gateway made by `ferry init`. */
function thirdReviewSamples(): Sample[] {
  const s: Sample[] = [];
  const add = (name: string, filename: string, type: string, body: Buffer | string, expect = 'classified-marking'): void => {
    s.push({ name, filename, type, body: typeof body === 'string' ? u8(body) : body, expect });
  };
  const cps = [...MARK].map((c) => c.codePointAt(0)!);
  const hex = (n: number, w = 4): string => n.toString(16).toUpperCase().padStart(w, '0');
  add('emoji between the characters', 'a.txt', 'text/plain', `通知：机😀密🔒★🙂10年`);
  add('symbols and an emoji sequence between the characters', 'a.txt', 'text/plain', `机♠密👨‍👩‍👧★10年`);
  add('right-to-left override reversing the characters', 'a.txt', 'text/plain', `备注 \u202e${[...MARK].reverse().join('')}\u202c 完\n`);
  add('HZ encoding', 'a.txt', 'text/plain', `Subject: ${hzEncode(`通知${MARK}`)}\n`);
  add('Python \\U escapes', 'a.py', 'text/x-python', `s = "${cps.map((c) => `\\U${hex(c, 8)}`).join('')}"\n`);
  add('Perl \\x{…} escapes', 'a.pl', 'text/x-perl', `print "${cps.map((c) => `\\x{${hex(c)}}`).join('')}";\n`);
  add('U+ code points', 'a.txt', 'text/plain', cps.map((c) => `U+${hex(c)}`).join(' '));
  add('JavaScript String.fromCharCode', 'a.html', 'text/html', `<script>document.title = String.fromCharCode(${cps.join(', ')});</script>`);
  add('an array of code points (hex)', 'a.js', 'text/javascript', `const t = [${cps.map((c) => `0x${hex(c)}`).join(',')}].map((c) => String.fromCodePoint(c)).join('');`);
  add('a C array of UTF-8 bytes', 'a.c', 'text/x-c', `static const unsigned char m[] = {${[...u8(MARK)].map((x) => `0x${hex(x, 2)}`).join(', ')}};`);
  add('LaTeX \\char"…', 'a.tex', 'application/x-tex', `\\documentclass{article}\\begin{document}${cps.map((c) => `\\char"${hex(c)}`).join('')}\\end{document}`);
  add('LaTeX ^^ bytes', 'a.tex', 'application/x-tex', `\\begin{document}${[...u8(MARK)].map((x) => `^^${x.toString(16).padStart(2, '0')}`).join('')}\\end{document}`);
  add('LaTeX CJK environment, split by commands', 'a.tex', 'application/x-tex', `\\begin{CJK}{UTF8}{gbsn}\\textbf{机}\\relax 密{}★10年\\end{CJK}`);
  // Encoded tokens standing alone (text-tokens.ts) and hex that is a file.
  add('short base64 standing alone (YAML value)', 'a.yml', 'application/yaml', `title: 通知\nnote: ${u8(MARK).toString('base64')}\n`);
  add('short base64 standing alone, unpadded GBK, in a CSV field', 'a.csv', 'text/csv', `id,note\n1,${iconv.encode(`${MARK}文件`, 'gbk').toString('base64').replace(/=+$/, '')}\n`);
  add('short base64url in a query string', 'a.txt', 'text/plain', `GET /s?q=${u8(MARK).toString('base64url')}&page=1\n`);
  add('short base64 of an ASCII id number in an XML element', 'a.xml', 'application/xml', `<?xml version="1.0"?><r><sfzh>${Buffer.from(ID).toString('base64')}</sfzh></r>`, 'personal-data');
  add('hex (UTF-8)', 'a.txt', 'text/plain', `data=${u8(MARK).toString('hex')}\n`);
  add('hex (GBK, upper case, in pairs apart)', 'a.txt', 'text/plain', `payload: ${iconv.encode(`附件${MARK}`, 'gbk').toString('hex').toUpperCase().replace(/../g, '$& ')}\n`);
  add('hex (GBK, contiguous, 0x)', 'a.c', 'text/x-c', `#define NOTE 0x${iconv.encode(`附件${MARK}`, 'gbk').toString('hex')}\n`);
  add('hex of an ASCII id number', 'a.log', 'text/plain', `user=${Buffer.from(ID).toString('hex')} ok\n`, 'personal-data');
  add('hex lines (xxd -p)', 'a.txt', 'text/plain', u8(`${'会议纪要正文。'.repeat(6)}${MARK}${'正文'.repeat(40)}`).toString('hex').replace(/.{60}/g, '$&\n'));
  add('base32 (UTF-8)', 'a.txt', 'text/plain', `k ${base32(u8(MARK))}\n`);
  add('base32 (GBK, long)', 'a.txt', 'text/plain', `k ${base32(iconv.encode(`${'正文'.repeat(60)}${MARK}`, 'gbk'))}\n`);
  add('RTF after white space', 'a.rtf', 'application/rtf', ` \r\n{\\rtf1\\ansi\\ansicpg936 ${[...iconv.encode('机密', 'gbk')].map((x) => `\\'${x.toString(16)}`).join('')}\\u9733?10\\'c4\\'ea\\par}`);
  add('RTF \\objdata (an embedded package, UTF-16)', 'a.rtf', 'application/rtf', `{\\rtf1\\ansi{\\object\\objemb{\\*\\objclass Package}{\\*\\objdata ${Buffer.concat([Buffer.from([1, 5, 0, 0, 2, 0, 0, 0, 8, 0, 0, 0]), Buffer.from('Package\u0000'), Buffer.alloc(8), Buffer.from([0x40, 0, 0, 0]), Buffer.from(`${'附件正文'.repeat(20)}${MARK}\n`, 'utf16le')]).toString('hex').replace(/.{128}/g, '$&\n')}}}}`);
  add('RTF \\objdata holding text (GBK)', 'a.rtf', 'application/rtf', `{\\rtf1\\ansi{\\object\\objemb{\\*\\objdata ${iconv.encode(`附件${MARK}正文`, 'gbk').toString('hex')}}}}`);
  add('uuencode', 'a.txt', 'text/plain', `Subject: minutes\n\n${uuencode('minutes.txt', u8(`${'会议纪要正文。'.repeat(10)}\n${MARK}\n`))}`);
  add('uuencoded zip', 'a.txt', 'text/plain', uuencode('m.zip', zip([{ name: 'n.txt', data: u8(`${MARK}\n${'正文'.repeat(100)}`), method: 8 }])));
  add('zlib in a private PNG chunk', 'a.png', 'image/png', pngImage([['prVt', zlib.deflateSync(u8(`${MARK}\n`))]]));
  add('zlib after a keyword in a private PNG chunk', 'a.png', 'image/png', pngImage([['ruSt', Buffer.concat([Buffer.from('note\u0000\u0000', 'latin1'), zlib.deflateSync(iconv.encode(`附件${MARK}`, 'gbk'))])]]));
  add('LaTeX \\CJKchar code-page bytes', 'a.tex', 'application/x-tex', `${['机', '密'].map((c) => { const b = iconv.encode(c, 'gbk'); return `\\CJKchar[GBK]{"${hex(b[0]!, 2)}}{"${hex(b[1]!, 2)}}`; }).join('')}★10年`);
  return s;
}

/** A gzip member whose header carries a file name (FNAME) or a comment (FCOMMENT), RFC 1952 §2.3. */
function gzipWithHeader(flag: 0x08 | 0x10, field: Buffer, data: Buffer): Buffer {
  const g = zlib.gzipSync(data);
  return Buffer.concat([g.subarray(0, 3), Buffer.from([flag]), g.subarray(4, 10), field, Buffer.from([0]), g.subarray(10)]);
}

/** A tar whose first header block is patched by `patch` (checksum recomputed). */
function patchedTar(entries: { name: string; data: Buffer }[], patch: (header: Buffer) => void): Buffer {
  const t = tar(entries);
  patch(t);
  t.write('        ', 148);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += t[i]!;
  t.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return t;
}

/** A JPEG with a comment segment (COM) holding these bytes. */
function jpegComment(bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xfe, (bytes.length + 2) >> 8, (bytes.length + 2) & 0xff]), bytes, jpegBody()]);
}

const utf16be = (text: string): string => `<FEFF${[...text].map((c) => c.codePointAt(0)!.toString(16).padStart(4, '0')).join('')}>`;

/** The adversarial audit of issue 14 (second round): disguises that crossed with no finding before their fixes. */
function auditSamples(): Sample[] {
  const s: Sample[] = [];
  const add = (name: string, filename: string, type: string, body: Buffer | string, expect = 'classified-marking'): void => {
    s.push({ name, filename, type, body: typeof body === 'string' ? u8(body) : body, expect });
  };
  const hex4 = (c: string): string => c.codePointAt(0)!.toString(16).toUpperCase();
  add('CSS content escapes', 'a.html', 'text/html', `<html><head><style>.x::before{content:"${[...MARK].map((c) => (c < '\u0080' ? c : `\\${hex4(c)} `)).join('')}"}</style></head><body><p class=x></p></body></html>`);
  add('JavaScript \\u{…} escapes', 'a.js', 'text/javascript', `var s = "${[...MARK].map((c) => `\\u{${hex4(c)}}`).join('')}";`);
  add('JavaScript escape() %uXXXX', 'a.html', 'text/html', `<html><script>document.write(unescape("${[...MARK].map((c) => `%u${hex4(c).padStart(4, '0')}`).join('')}"))</script></html>`);
  add('octal byte escapes', 'a.py', 'text/x-python', `s = b'${[...u8(MARK)].map((x) => `\\${x.toString(8)}`).join('')}'`);
  add('character references with leading zeros', 'a.html', 'text/html', `<html><body>${[...MARK].map((c) => `&#x0000${hex4(c)};`).join('')}</body></html>`);
  add('MIME words cut inside a character', 'a.eml', 'message/rfc822', `Subject: =?UTF-8?Q?=E6=9C?= =?UTF-8?Q?=BA=E5=AF=86=E2=98=85?=10\r\n\r\nhello\r\n`);
  add('short base64 MIME body (GBK)', 'a.eml', 'message/rfc822', `Content-Type: text/plain; charset=gbk\r\nContent-Transfer-Encoding: base64\r\n\r\n${iconv.encode(`附件：${MARK}`, 'gbk').toString('base64')}\r\n`);
  // Short base64 where a program would decode it: a quoted value (padded or not); UTF-8, GBK, ASCII.
  add('short base64 JSON value', 'a.json', 'application/json', `{"note": "${u8(MARK).toString('base64')}", "n": 1}`);
  add('short base64 JSON value, unpadded', 'a.json', 'application/json', `{"note": "${u8(`${MARK}。`).toString('base64')}"}`);
  add('short base64 JSON value (GBK)', 'a.json', 'application/json', `{"note": "${iconv.encode(`${MARK}文件`, 'gbk').toString('base64')}"}`);
  add('short base64 JSON value (ASCII id number)', 'a.json', 'application/json', `{"sfzh": "${Buffer.from(ID, 'latin1').toString('base64')}"}`, 'personal-data');
  add('short base64 data: URI', 'a.html', 'text/html', `<html><body><iframe src="data:text/html;base64,${u8(MARK).toString('base64')}"></iframe></body></html>`);
  add('id number in groups', 'a.txt', 'text/plain', `身份证号：${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14)}`, 'personal-data');
  add('id number cut by a CSV line break', 'a.csv', 'text/csv', `name,id\r\n王五,${ID.slice(0, 9)}\r\n${ID.slice(9)}\r\n`, 'personal-data');
  add('mobile number with +86 and spaces', 'a.txt', 'text/plain', '电话 +86 138 1234 5678', 'personal-data');
  add('mobile number with hyphens', 'a.txt', 'text/plain', '电话 138-1234-5678', 'personal-data');
  add('a digit between the characters', 'a.txt', 'text/plain', '机1密★10年');
  const page = (extra: string, objs: string[] = [], catalog = '') =>
    pdfOf([`<</Type/Catalog/Pages 2 0 R${catalog}>>`, '<</Type/Pages/Kids[3 0 R]/Count 1>>', `<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]${extra}>>`, ...objs], '/Info 0 0 R');
  add('PDF annotation (a note)', 'a.pdf', 'application/pdf', page('/Annots[4 0 R]', [`<</Type/Annot/Subtype/Text/Rect[0 0 10 10]/Contents ${utf16be(`批注 ${MARK}`)}>>`]));
  add('PDF form field value', 'a.pdf', 'application/pdf', page('/Annots[4 0 R]', [`<</FT/Tx/T(f1)/V ${utf16be(MARK)}/Type/Annot/Subtype/Widget/Rect[0 0 10 10]/P 3 0 R>>`], '/AcroForm<</Fields[4 0 R]>>'));
  add('PDF bookmark title', 'a.pdf', 'application/pdf', page('', ['<</Type/Outlines/First 5 0 R/Last 5 0 R/Count 1>>', `<</Title ${utf16be(MARK)}/Parent 4 0 R/Dest[3 0 R/Fit]>>`], '/Outlines 4 0 R'));
  add('gzip header file name', 'a.gz', 'application/gzip', gzipWithHeader(0x08, u8(`${MARK}.txt`), u8('hello\n')));
  add('gzip header comment (GBK)', 'a.gz', 'application/gzip', gzipWithHeader(0x10, iconv.encode(MARK, 'gbk'), u8('hello\n')));
  { const z = zip([{ name: 'a.txt', data: u8('hello\n') }]); const c = u8(MARK); add('zip archive comment', 'a.zip', 'application/zip', Buffer.concat([z.subarray(0, z.length - 2), Buffer.from([c.length, 0]), c])); }
  add('tar pax comment record', 'a.tar', 'application/x-tar', (() => {
    const body = ` comment=${MARK}\n`;
    const len = Buffer.byteLength(body) + 2;
    return patchedTar([{ name: 'PaxHeader/a', data: u8(`${len}${body}`) }, { name: 'a.txt', data: u8('hi') }], (h) => void (h[156] = 0x78));
  })());
  add('tar user name', 'a.tar', 'application/x-tar', patchedTar([{ name: 'a.txt', data: u8('hi') }], (h) => void u8(ID).copy(h, 265)), 'personal-data');
  add('text after the end of a tar', 'a.tar', 'application/x-tar', Buffer.concat([tar([{ name: 'a.txt', data: u8('hello') }]), u8(`${MARK}\n`)]));
  add('zlib stream in binary', 'a.bin', 'application/octet-stream', zlib.deflateSync(u8(`${MARK}\n${ID}`)));
  add('bare deflate in binary', 'a.bin', 'application/octet-stream', zlib.deflateRawSync(u8(`${MARK}\n${'正文'.repeat(500)}`)));
  add('id number in UTF-16 at an odd offset in binary', 'a.bin', 'application/octet-stream', Buffer.concat([Buffer.from([1, 2, 3]), iconv.encode(`id ${ID}`, 'utf16le'), Buffer.alloc(20)]), 'personal-data');
  add('short GBK comment in a JPEG', 'a.jpg', 'image/jpeg', jpegComment(iconv.encode(MARK, 'gbk')));
  add('short UTF-16 comment in a JPEG', 'a.jpg', 'image/jpeg', jpegComment(iconv.encode(MARK, 'utf16le')));
  add('short Big5 text', 'a.txt', 'text/plain', iconv.encode('機密★10年', 'big5'));
  return s;
}

/** A PDF built from object bodies, numbered from 1, with an xref table; `trailer` adds to the trailer dictionary. */
export function pdfOf(objs: Array<string | Buffer>, trailer = ''): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n', 'latin1')];
  const offsets: number[] = [];
  let pos = parts[0]!.length;
  objs.forEach((o, i) => {
    offsets.push(pos);
    const body = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), typeof o === 'string' ? Buffer.from(o, 'latin1') : o, Buffer.from('\nendobj\n')]);
    parts.push(body);
    pos += body.length;
  });
  const xref = `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<</Size ${objs.length + 1}/Root 1 0 R${trailer}>>\nstartxref\n${pos}\n%%EOF\n`;
  parts.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(parts);
}

function stream(dict: string, data: Buffer, deflate = true): Buffer {
  const body = deflate ? zlib.deflateSync(data) : data;
  return Buffer.concat([Buffer.from(`<<${dict}/Length ${body.length}${deflate ? '/Filter/FlateDecode' : ''}>>stream\n`, 'latin1'), body, Buffer.from('\nendstream', 'latin1')]);
}

/** A PDF of one page whose text is in a Flate-compressed content stream, with a compressed picture (as office suites write them). */
export function pdfDocument(text: string, info = 'Quarterly report'): Buffer {
  const picture = createCipheriv('aes-256-ctr', Buffer.alloc(32, 3), Buffer.alloc(16)).update(Buffer.alloc(96 * 1024));
  return pdfOf([
    '<</Type/Catalog/Pages 2 0 R>>',
    '<</Type/Pages/Kids[3 0 R]/Count 1>>',
    '<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>/XObject<</Im1 7 0 R>>>>>>',
    stream('', Buffer.from(`q 100 0 0 100 72 500 cm /Im1 Do Q BT /F1 12 Tf 72 720 Td (${text}) Tj ET`, 'latin1')),
    '<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>',
    `<</Title (${info})/Producer (ferry tests)>>`,
    stream('/Type/XObject/Subtype/Image/Width 128/Height 256/ColorSpace/DeviceRGB/BitsPerComponent 8', picture, false),
  ], '/Info 6 0 R');
}

/**
 * A PDF whose Chinese text is only readable through its font's ToUnicode map:
 * the content stream shows two-byte glyph ids (Identity-H), compressed.
 */
export function pdfCid(text: string, title = 'Notice'): Buffer {
  const cps = [...text];
  const gids = cps.map((_, i) => (i + 1).toString(16).padStart(4, '0').toUpperCase());
  const cmap = `/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Adobe-Identity-UCS def /CMapType 2 def
1 begincodespacerange <0000> <FFFF> endcodespacerange
${cps.length} beginbfchar
${cps.map((c, i) => `<${gids[i]}> <${c.codePointAt(0)!.toString(16).padStart(4, '0').toUpperCase()}>`).join('\n')}
endbfchar endcmap CMapName currentdict /CMap defineresource pop end end`;
  const utf16 = (s: string): string => `<FEFF${[...s].map((c) => c.codePointAt(0)!.toString(16).padStart(4, '0')).join('')}>`;
  return pdfOf([
    '<</Type/Catalog/Pages 2 0 R>>',
    '<</Type/Pages/Kids[3 0 R]/Count 1>>',
    '<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>',
    stream('', Buffer.from(`BT /F1 12 Tf 72 720 Td <${gids.join('')}> Tj ET`, 'latin1')),
    '<</Type/Font/Subtype/Type0/BaseFont/SimSun/Encoding/Identity-H/DescendantFonts[6 0 R]/ToUnicode 7 0 R>>',
    '<</Type/Font/Subtype/CIDFontType2/BaseFont/SimSun/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>/DW 1000>>',
    stream('', Buffer.from(cmap, 'latin1')),
    `<</Title ${utf16(title)}/Producer (ferry tests)>>`,
  ], '/Info 8 0 R');
}

/** Ordinary office documents that must cross with no finding at all. */
export function cleanCorpus(): Sample[] {
  const out: Sample[] = [];
  const add = (name: string, filename: string, type: string, body: Buffer | string): void => {
    out.push({ name, filename, type, body: typeof body === 'string' ? u8(body) : body, expect: '' });
  };
  add('JSON with base64-looking words and ordinary base64', 'config.json', 'application/json', JSON.stringify({
    description: 'ordinary', application: 'ferryGateway', password: 'AbCdEfGh12345678', token: Buffer.from('hello world, quarterly').toString('base64'),
    image: Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 0xff, 0xfe]).toString('base64'), digest: 'q1w2e3r4t5y6u7i8o9p0AAAA', note: Buffer.from('季度工作总结').toString('base64'),
  }, null, 2));
  add('look-alikes', 'notice.txt', 'text/plain', '关于保守商业秘密的提示：请遵守工作秘密管理规定，注意数据的机密性，签署保密协议。\n商业秘密\n');
  add('csv', 'stats.csv', 'text/csv', `地区,季度,数量,金额\n${Array.from({ length: 500 }, (_, i) => `区${i % 17},Q${(i % 4) + 1},${i * 13},${(i * 7919) % 100000}.50`).join('\n')}\n`);
  const docXml = (paras: string[]) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paras.map((p) => `<w:p w:rsidR="00AB12CD"><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">${p}</w:t></w:r></w:p>`).join('')}</w:body></w:document>`;
  const ct = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>';
  add('docx', 'report.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', zip([
    { name: '[Content_Types].xml', data: u8(ct), method: 8 },
    { name: 'docProps/core.xml', data: u8('<?xml version="1.0"?><cp:coreProperties xmlns:cp="x" xmlns:dc="y"><dc:title>季度工作总结 &amp; 计划</dc:title><dc:creator>办公室</dc:creator></cp:coreProperties>'), method: 8 },
    { name: 'word/document.xml', data: u8(docXml(['季度工作总结', '本季度完成各项任务，商业秘密与工作秘密均按规定管理。', 'R&amp;D 投入 12.5%。'])), method: 8 },
    { name: 'word/media/image1.png', data: pngImage(), method: 0 },
  ]));
  const sheet = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${Array.from({ length: 50 }, (_, r) => `<row r="${r + 1}"><c r="A${r + 1}" t="s"><v>${r % 5}</v></c><c r="B${r + 1}"><v>${r * 37.5}</v></c><c r="C${r + 1}"><f>SUM(B1:B${r + 1})</f><v>${r * 100}</v></c></row>`).join('')}</sheetData></worksheet>`;
  add('xlsx', 'stats.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', zip([
    { name: '[Content_Types].xml', data: u8(ct), method: 8 },
    { name: 'xl/workbook.xml', data: u8('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="统计" sheetId="1"/></sheets></workbook>'), method: 8 },
    { name: 'xl/sharedStrings.xml', data: u8('<?xml version="1.0"?><sst><si><t>东区</t></si><si><t>西区</t></si><si><t>南区</t></si><si><t>北区</t></si><si><t>合计</t></si></sst>'), method: 8 },
    { name: 'xl/worksheets/sheet1.xml', data: u8(sheet), method: 8 },
    { name: 'xl/printerSettings/printerSettings1.bin', data: Buffer.concat([Buffer.from('HP LaserJet Pro\u0000', 'utf16le'), Buffer.alloc(200, 0), Buffer.from([1, 4, 0, 6, 0xdc, 0, 0x5c, 3])]), method: 8 },
  ]));
  add('pdf', 'report.pdf', 'application/pdf', pdfDocument('Quarterly report: all tasks completed.'));
  add('doc (Word 97)', 'minutes.doc', 'application/msword', wordDocument([{ text: '会议纪要\r' }, { text: 'Attendees: 12. ', compressed: true }, { text: '议定事项：按期完成，注意保守商业秘密。\r' }], [2, 0, 1]));
  add('xls (Excel 97)', 'stats.xls', 'application/vnd.ms-excel', xlsWorkbook(['地区', '东区', '西区', '合计：一季度工作情况统计表'], 5));
  add('png', 'chart.png', 'image/png', pngImage([['tEXt', Buffer.from('Software\u0000ferry tests', 'latin1')]]));
  add('jpeg', 'photo.jpg', 'image/jpeg', jpegWithExif('Office building, east gate', 'team photo'));
  const attached = zip([{ name: 'minutes.txt', data: u8('会议纪要：按期完成。\n') }]).toString('base64').replace(/.{76}/g, '$&\r\n');
  add('mail with a zip attached', 'mail.eml', 'message/rfc822', `Subject: =?UTF-8?B?${u8('会议纪要').toString('base64')}?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${u8('附件请查收。').toString('base64')}\r\n--b1\r\nContent-Type: application/zip; name="m.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\n${attached}\r\n--b1--\r\n`);
  const signature = createCipheriv('aes-256-ctr', Buffer.alloc(32, 5), Buffer.alloc(16)).update(Buffer.alloc(256)).toString('base64');
  add('XML with a signature value', 'signed.xml', 'application/xml', `<?xml version="1.0" encoding="UTF-8"?><报表><数据>季度统计</数据><ds:Signature><ds:SignatureValue>${signature.replace(/.{64}/g, '$&\n')}</ds:SignatureValue></ds:Signature></报表>`);
  add('code, TeX and escapes that hold no marking', 'notes.tex', 'application/x-tex', `\\documentclass{article}\\begin{document}\\textbf{工作秘密}与\\emph{商业秘密}的区别；数据的机密性。\\char"4E2D ^^e6^^96^^87 U+2605 \u202e性密机\u202c ${hzEncode('保密协议')}\nvar a = [1, 2, 3, 0x1F]; String.fromCharCode(72, 105); chr(65) 😀机会☺密切\n\\end{document}\n`);
  add('a log of hashes, UUIDs, a hex dump and short base64 of binary', 'build.log', 'text/plain', [
    'commit 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 built',
    ...Array.from({ length: 40 }, (_, i) => `req ${['550e8400-e29b-41d4-a716-44665544', String(1000 + i)].join('')} md5 d41d8cd98f00b204e9800998ecf8${String(4270 + i)} nonce ${Buffer.from([i, 200, 3, 0, 255, 17, 90, i * 3]).toString('base64')} ok`),
    '00000000: 7f45 4c46 0201 0100 0000 0000 0000 0000  .ELF............',
    '00000010: 0300 3e00 0100 0000 1010 0000 0000 0000  ..>.............',
    '00000000  e6 9c ba e5 af 86 e6 80  a7 0a                    |..........|',
    'key fingerprint AB:CD:12:34:EF:56:78:90:AB:CD:12:34:EF:56:78:90 SHA1 0x3F2A9C1D',
    'QUARTERLY REPORT ABCDEFGHIJ SELECTALL iPhone13 McDonald getElementById camelCaseIdentifier user1000 password12',
  ].join('\n') + '\n');
  add('rows of one character (3333… is hex of itself)', 'pad.txt', 'text/plain', `${'3'.repeat(400)}\n${'0'.repeat(400)}\n${'A'.repeat(400)}\n${'33 '.repeat(100)}\n`);
  add('mail with a uuencoded attachment', 'old.eml', 'message/rfc822', `Subject: report\r\n\r\nSee attached.\r\n\r\n${uuencode('report.txt', u8(`${'季度工作总结：各项任务按期完成，注意保守商业秘密。\n'.repeat(20)}`))}`);
  add('a PNG with a compressed colour profile and a private chunk', 'photo.png', 'image/png', pngImage([['iCCP', Buffer.concat([Buffer.from('ICC Profile\u0000\u0000', 'latin1'), zlib.deflateSync(Buffer.concat([Buffer.alloc(128, 0), Buffer.from('acspAPPL desc sRGB IEC61966-2.1', 'latin1'), Buffer.alloc(64, 7)]))])], ['prVt', zlib.deflateSync(u8('rendered by 办公软件 2024'))]]));
  // Third red team, F5 and F4: Western single-byte text, a table of single digits whose first ones are hex of a zlib header.
  add('an ISO-8859-1 page with one ©', 'tutorial.html', 'text/html', Buffer.concat([u8('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0 Transitional//EN">\n<html><head><meta content="text/html; charset=ISO-8859-1" http-equiv="Content-Type"></head><body><p>Tutorial. '), Buffer.from([0xa9]), u8(' 2001 John Fleck</p></body></html>\n')]));
  add('a partner\'s CSV in Windows-1252', 'partner.csv', 'text/csv', iconv.encode(`Name;Straße;Ort;Betrag;Bemerkung\n${'Müller;Hauptstraße 5;Köln;12,50 €;“geprüft”\n'.repeat(60)}`, 'cp1252'));
  add('survey answers, single digits apart by spaces', 'answers.txt', 'text/plain', `7 8 0 1 ${Array.from({ length: 400 }, (_, r) => Array.from({ length: 40 }, (_, c) => (r * 7 + c * c * 3 + ((r * c) >> 2)) % 10).join(' ')).join('\n')}\n`);
  add('numbers in groups that are no identifiers', 'log.txt', 'text/plain', `2024 01 15 10:20:31 job 1234 5678 done\n电话 010-6512 3456\n${Array.from({ length: 200 }, (_, i) => `${i * 7919} ${i * 104729}\n${(i * 31) % 997}`).join('\n')}\n`);
  return out;
}
