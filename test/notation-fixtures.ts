import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { ID, jpegBody, MARK, pngImage, type Sample } from './evasion-fixtures.js';

// Issue 14, red team of 30 November: the ways through that the encodings,
// notations and compressed data of this file took (each written here by test
// code, as the tools and languages named write them), and clean files that
// hold what the new readings look at. `expect` is the finding kind the
// default policy denies on.

export interface NotationSample extends Sample {
  cls: string;
}

const u8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const MARK8 = u8(`${MARK}\n`);
const IDCSV = u8(`${'备注：正常业务往来。'.repeat(30)}\n证件号 ${ID}\n`);

/** Ascii85 (Adobe: <~ ~>, 'z' for four zero bytes). */
export function ascii85(b: Buffer): string {
  let out = '';
  for (let i = 0; i < b.length; i += 4) {
    const g = Buffer.alloc(4);
    b.copy(g, 0, i, i + 4);
    let n = g.readUInt32BE(0);
    const take = Math.min(4, b.length - i);
    if (n === 0 && take === 4) {
      out += 'z';
      continue;
    }
    const d: string[] = [];
    for (let j = 0; j < 5; j++) {
      d.unshift(String.fromCharCode(33 + (n % 85)));
      n = Math.floor(n / 85);
    }
    out += d.slice(0, take + 1).join('');
  }
  return `<~${out}~>`;
}

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
export function base58(b: Buffer): string {
  let n = BigInt(`0x0${b.toString('hex')}`);
  let s = '';
  while (n > 0n) {
    s = B58[Number(n % 58n)]! + s;
    n /= 58n;
  }
  for (const x of b) {
    if (x !== 0) break;
    s = `1${s}`;
  }
  return s;
}

const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
export function base45(b: Buffer): string {
  let s = '';
  for (let i = 0; i < b.length; i += 2) {
    if (i + 1 < b.length) {
      const n = b[i]! * 256 + b[i + 1]!;
      s += B45[n % 45]! + B45[Math.floor(n / 45) % 45]! + B45[Math.floor(n / 2025)]!;
    } else s += B45[b[i]! % 45]! + B45[Math.floor(b[i]! / 45)]!;
  }
  return s;
}

/** xxencode: a begin line, lines of up to 45 bytes in the alphabet +-0-9A-Za-z, a zero-length line, end. */
export function xxencode(b: Buffer, name = 'm.txt'): string {
  const T = '+-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let out = `begin 644 ${name}\n`;
  for (let o = 0; o < b.length; o += 45) {
    const d = b.subarray(o, o + 45);
    let line = T[d.length]!;
    for (let j = 0; j < d.length; j += 3) {
      const n = (d[j]! << 16) | ((d[j + 1] ?? 0) << 8) | (d[j + 2] ?? 0);
      line += T[(n >> 18) & 63]! + T[(n >> 12) & 63]! + T[(n >> 6) & 63]! + T[n & 63]!;
    }
    out += `${line}\n`;
  }
  return `${out}+\nend\n`;
}

/** Punycode (RFC 3492 §6.3) of one label. */
export function punycodeEncode(input: string): string {
  const cps = [...input].map((c) => c.codePointAt(0)!);
  let out = cps.filter((c) => c < 0x80).map((c) => String.fromCharCode(c)).join('');
  const b = out.length;
  let h = b;
  if (b) out += '-';
  let n = 128;
  let delta = 0;
  let bias = 72;
  const digit = (d: number): string => String.fromCharCode(d < 26 ? 97 + d : 22 + d);
  const adapt = (d: number, points: number, first: boolean): number => {
    d = first ? Math.floor(d / 700) : d >> 1;
    d += Math.floor(d / points);
    let k = 0;
    while (d > 455) {
      d = Math.floor(d / 35);
      k += 36;
    }
    return k + Math.floor((36 * d) / (d + 38));
  };
  while (h < cps.length) {
    const m = Math.min(...cps.filter((c) => c >= n));
    delta += (m - n) * (h + 1);
    n = m;
    for (const c of cps) {
      if (c < n) delta++;
      if (c !== n) continue;
      let q = delta;
      for (let k = 36; ; k += 36) {
        const t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
        if (q < t) break;
        out += digit(t + ((q - t) % (36 - t)));
        q = Math.floor((q - t) / (36 - t));
      }
      out += digit(q);
      bias = adapt(delta, h + 1, h === b);
      delta = 0;
      h++;
    }
    delta++;
    n++;
  }
  return out;
}

/** IMAP's modified UTF-7 (RFC 3501 §5.1.3). */
export function imapUtf7(s: string): string {
  return s.replace(/[^\x20-\x7e]+/g, (r) => `&${Buffer.from(r, 'utf16le').swap16().toString('base64').replace(/=+$/, '').replace(/\//g, ',')}-`).replace(/&(?![A-Za-z0-9+,]*-)/g, '&-');
}

export function notationSamples(): NotationSample[] {
  const s: NotationSample[] = [];
  const add = (cls: string, name: string, body: Buffer | string, expect = 'classified-marking', filename = 'a.txt', type = 'text/plain'): void => {
    s.push({ cls, name, filename, type, body: typeof body === 'string' ? u8(body) : body, expect });
  };
  const bin = (name: string, body: Buffer, expect = 'classified-marking'): void => add('compressed off byte 0', name, body, expect, 'a.bin', 'application/octet-stream');

  // Compressed data after another format or away from byte 0.
  bin('zlib stream 4 KiB into an octet-stream', Buffer.concat([Buffer.alloc(4096), zlib.deflateSync(MARK8), Buffer.alloc(4096)]));
  bin('zlib (best compression) after a binary header', Buffer.concat([Buffer.from('FERRYDAT\u0001\u0000\u0000\u0000', 'latin1'), zlib.deflateSync(IDCSV, { level: 9 })]), 'personal-data');
  bin('zlib (fastest) at an odd offset', Buffer.concat([Buffer.alloc(777, 0x20), zlib.deflateSync(MARK8, { level: 1 })]));
  bin('bare deflate after padding', Buffer.concat([Buffer.alloc(100, 1), zlib.deflateRawSync(MARK8), Buffer.alloc(100, 1)]));
  bin('bare deflate of an id number after zero padding', Buffer.concat([Buffer.from([9, 8, 7, 6]), Buffer.alloc(64), zlib.deflateRawSync(IDCSV)]), 'personal-data');
  add('compressed off byte 0', 'zlib after a PNG IEND', Buffer.concat([pngImage(), zlib.deflateSync(MARK8)]), 'classified-marking', 'a.png', 'image/png');
  add('compressed off byte 0', 'bare deflate after a JPEG EOI', Buffer.concat([Buffer.from([0xff, 0xd8]), jpegBody(), zlib.deflateRawSync(MARK8)]), 'classified-marking', 'a.jpg', 'image/jpeg');
  add('compressed off byte 0', 'an id number in zlib after a JPEG EOI', Buffer.concat([Buffer.from([0xff, 0xd8]), jpegBody(), zlib.deflateSync(IDCSV)]), 'personal-data', 'a.jpg', 'image/jpeg');

  // Short base64, base32 or hex (under 64 characters) of compressed text.
  const tok = (name: string, body: string, expect = 'classified-marking', filename = 'a.json', type = 'application/json'): void => add('short encoded compressed data', name, body, expect, filename, type);
  tok('base64 of gzip in JSON', JSON.stringify({ d: zlib.gzipSync(MARK8).toString('base64') }));
  tok('base64 of zlib in JSON', JSON.stringify({ d: zlib.deflateSync(MARK8).toString('base64') }));
  tok('base64 of bare deflate in JSON', JSON.stringify({ d: zlib.deflateRawSync(MARK8).toString('base64') }));
  tok('base64 of brotli in JSON', JSON.stringify({ d: zlib.brotliCompressSync(MARK8).toString('base64') }));
  tok('base64url of bare deflate in a query string', `GET /r?d=${zlib.deflateRawSync(MARK8).toString('base64url')} HTTP/1.1\n`, 'classified-marking', 'a.log', 'text/plain');
  tok('hex of zlib', `blob=${zlib.deflateSync(MARK8).toString('hex')}\n`, 'classified-marking', 'a.txt', 'text/plain');
  tok('hex of gzip', `blob=${zlib.gzipSync(MARK8).toString('hex')}\n`, 'classified-marking', 'a.txt', 'text/plain');
  tok('hex of brotli', `blob=${zlib.brotliCompressSync(MARK8).toString('hex')}\n`, 'classified-marking', 'a.txt', 'text/plain');
  tok('base64 of bare deflate of an id number', `id: ${zlib.deflateRawSync(u8(ID)).toString('base64')}\n`, 'personal-data', 'a.yml', 'application/yaml');
  tok('base64 of deflate of a marking padded to expand past 1 MiB', JSON.stringify({ d: zlib.deflateRawSync(Buffer.concat([MARK8, Buffer.alloc(2 << 20, 0x20)]), { level: 9 }).toString('base64') }));
  // Further radixes and xxencode.
  const r = (name: string, body: string, expect = 'classified-marking'): void => add('radixes', name, body, expect);
  r('Ascii85 between <~ and ~>', `data ${ascii85(MARK8)}\n`);
  // (Wrapped as Python's a85encode(wrapcol=…, adobe=True) wraps: never inside the closing ~>.)
  const wrap = (a: string, w: number): string => `${a.slice(0, -2).replace(new RegExp(`(.{${w}})`, 'g'), '$1\n')}~>`;
  r('Ascii85 wrapped over lines', `%%BeginData\n${wrap(ascii85(u8(`备注 ${ID} 完`)), 20)}\n`, 'personal-data');
  r('Ascii85 of a file (binary header, then text), with z', `${wrap(ascii85(Buffer.concat([Buffer.alloc(16), u8(`${'正文'.repeat(20)}${MARK}`)])), 72)}\n`);
  r('base58 of a marking', `k ${base58(MARK8)}\n`);
  r('base58 of an id number', `ref=${base58(u8(ID))};\n`, 'personal-data');
  r('base45 after HC1:', `HC1:${base45(u8(MARK))}\n`);
  r('base45 of an id number in a sentence', `code ${base45(u8(`id ${ID}`))} end\n`, 'personal-data');
  r('xxencode', xxencode(MARK8));
  r('xxencode of a longer file', xxencode(u8(`${'正文'.repeat(40)}\n${ID}\n`), 'r.csv'), 'personal-data');
  // Code points written as a program writes them, one a call or cast.
  const cps = [...MARK].map((c) => c.codePointAt(0)!);
  const hx = (n: number): string => n.toString(16);
  const code = (name: string, body: string, filename: string, type = 'text/plain'): void => add('code notations', name, body, 'classified-marking', filename, type);
  code('Python \\N{CJK UNIFIED IDEOGRAPH-…} and \\N{BLACK STAR}', `s = "${[...MARK].map((c) => (/[0-9]/.test(c) ? c : c === '★' ? '\\N{BLACK STAR}' : `\\N{CJK UNIFIED IDEOGRAPH-${hx(c.codePointAt(0)!).toUpperCase()}}`)).join('')}"\n`, 'a.py', 'text/x-python');
  code('Ruby \\u{… …} with several code points', `s = "\\u{${cps.slice(0, 3).map(hx).join(' ')}}10\\u{${hx(cps[5]!)}}"\n`, 'a.rb');
  code('SQL NCHAR() joined with +', `SELECT ${cps.map((c, i) => (i === 3 || i === 4 ? `N'${MARK[i]}'` : `NCHAR(${c})`)).join('+')};\n`, 'a.sql', 'application/sql');
  code('MySQL CHAR(… USING utf16)', `SELECT CONCAT(${cps.map((c) => `CHAR(${c} USING utf16)`).join(', ')});\n`, 'a.sql', 'application/sql');
  code('VB ChrW() and ChrW(&H…)', `s = ${cps.map((c, i) => (i % 2 ? `ChrW(${c})` : `ChrW(&H${hx(c).toUpperCase()})`)).join(' & ')}\n`, 'a.vbs');
  code('Java (char) casts', `String s = "" + ${cps.map((c, i) => (i % 2 ? `(char) ${c}` : `(char)0x${hx(c)}`)).join(' + ')};\n`, 'A.java', 'text/x-java');
  code('PowerShell [char]0x…', `$s = ${cps.map((c) => `[char]0x${hx(c)}`).join(' + ')}\n`, 'a.ps1');
  code('Excel UNICHAR() joined with &', `a,b\n1,"=${cps.map((c) => `UNICHAR(${c})`).join('&')}"\n`, 'a.csv', 'text/csv');
  add('percent-encoded UTF-16', 'percent-encoded UTF-16BE', `q=${[...Buffer.from(MARK, 'utf16le').swap16()].map((x) => `%${x.toString(16).toUpperCase().padStart(2, '0')}`).join('')}\n`);
  add('percent-encoded UTF-16', 'percent-encoded UTF-16LE of an id number', `id=${[...Buffer.from(ID, 'utf16le')].map((x) => `%${x.toString(16).padStart(2, '0')}`).join('')}&x=1\n`, 'personal-data');
  // Other encodings of text: mojibake, Punycode, IMAP's modified UTF-7.
  const enc = (name: string, body: string | Buffer, expect = 'classified-marking'): void => add('other encodings', name, body, expect);
  enc('mojibake: UTF-8 read as cp1252 and saved again', Buffer.from(iconv.decode(u8(`标题：${MARK}\n`), 'cp1252'), 'utf8'));
  enc('mojibake: UTF-8 read as Latin-1 and saved again', Buffer.from(u8(`备注 ${MARK}`).toString('latin1'), 'utf8'));
  enc('mojibake in JSON \\u00xx escapes', JSON.stringify({ t: u8(MARK).toString('latin1') }).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  enc('Punycode label', `host xn--${punycodeEncode(MARK)}.example.cn\n`);
  enc('Punycode labels, upper case, in a URL', `GET https://XN--${punycodeEncode('机密★').toUpperCase()}.xn--${punycodeEncode('10年')}.cn/ HTTP/1.1\n`);
  enc('IMAP modified UTF-7 mailbox name', `* LIST (\\HasNoChildren) "/" "INBOX/${imapUtf7(MARK)}"\n`);
  return s;
}

/** Ordinary content that holds what the readings above look at. */
export function notationCleanSamples(): Sample[] {
  const s: Sample[] = [];
  const add = (name: string, body: Buffer | string, filename = 'a.txt', type = 'text/plain'): void => {
    s.push({ name, filename, type, body: typeof body === 'string' ? u8(body) : body, expect: '' });
  };
  // A binary with padding and zlib of ordinary text; an image with nothing after it; a JPEG with padding after EOI.
  add('binary with padding and a zlib stream of prose', Buffer.concat([Buffer.alloc(512, 0), zlib.deflateSync(u8('the quick brown fox\n'.repeat(40))), Buffer.alloc(512, 0xff), zlib.deflateRawSync(u8('plain words only\n'))]), 'a.bin', 'application/octet-stream');
  add('PNG image', pngImage(), 'a.png', 'image/png');
  add('JPEG with zero padding after EOI', Buffer.concat([Buffer.from([0xff, 0xd8]), jpegBody(), Buffer.alloc(2048)]), 'a.jpg', 'image/jpeg');
  // Short tokens that are not compressed: hashes, keys, ids, session tokens.
  const h = (x: string): Buffer => createHash('sha256').update(x).digest();
  add('hashes and keys in JSON', JSON.stringify({ sha256: h('a').toString('hex'), md5: createHash('md5').update('a').digest('base64'), key: h('k').subarray(0, 24).toString('base64'), nonce: h('n').subarray(0, 12).toString('base64url'), etag: h('e').subarray(0, 16).toString('hex') }), 'a.json', 'application/json');
  add('session tokens in a log', Array.from({ length: 200 }, (_, i) => `2026-11-30T10:00:${String(i % 60).padStart(2, '0')}Z sid=${h(`s${i}`).subarray(0, 18).toString('base64')} tok=${h(`t${i}`).subarray(0, 30).toString('base64url')} req=${h(`r${i}`).subarray(0, 20).toString('hex')}`).join('\n') + '\n', 'a.log', 'text/plain');
  // Ordinary base58 (Bitcoin addresses, an IPFS hash), Ascii85 of an image in PostScript, upper-case codes.
  add('Bitcoin addresses and an IPFS hash', `pay 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa or 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy\ncid QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG\n${Array.from({ length: 50 }, (_, i) => base58(createHash('sha256').update(String(i)).digest().subarray(0, 25))).join('\n')}\n`);
  add('Ascii85 image data in PostScript', `%!PS-Adobe-3.0\n/DeviceRGB setcolorspace\n<< /ImageType 1 /Width 16 /Height 16 /DataSource currentfile /ASCII85Decode filter >> image\n${ascii85(createHash('sha512').update('img').digest())}\nshowpage\n`, 'a.ps', 'application/postscript');
  add('upper-case codes and part numbers', `PART NO. AB-1234/X, LOT 77Q, REF: XK9 ZZ12 $45.00\nSKU A1B2C3D4 QTY 10 * 3 = 30 % OFF\n`.repeat(20));
  add('uuencode-like begin line followed by prose', `begin 644 notes.txt\nthis is not encoded, just a line that follows\nend of notes\n`);
  // Ordinary code that calls CHAR(), casts to char or names characters.
  add('ordinary SQL, VB, Java, PowerShell, Ruby and Python', [
    "SELECT name + CHAR(13) + CHAR(10) + NCHAR(9) FROM t WHERE code = CHAR(65);",
    'line = "a" & ChrW(10) & Chr(13) & ChrW(&H2014)',
    'char c = (char) 65; char d = (char)(c + 1); String s = "" + (char) i;',
    '$tab = [char]9; $dash = [char]0x2014; $x = [char]$code',
    'puts "\\u{1F600 1F601} done"',
    'print("\\N{EM DASH} \\N{DEGREE SIGN} \\N{LATIN SMALL LETTER E WITH ACUTE}")',
    '=UNICHAR(9731)&" snow"',
  ].join('\n') + '\n', 'a.txt');
  add('percent-encoded UTF-8 and UTF-16 of ordinary words', `q=${encodeURIComponent('通知 会议纪要')}&r=${[...Buffer.from('会议纪要', 'utf16le')].map((x) => `%${x.toString(16).padStart(2, '0')}`).join('')}\n`);
  // Ordinary punycode domains, accented European text, IMAP names of ordinary folders, octal numbers.
  add('ordinary punycode domains', `https://xn--fiqs8s.cn/ https://xn--55qx5d.cn https://www.xn--mnchen-3ya.de/ mail xn--bcher-kva.example\n`);
  add('French and German text, with a NBSP and a degree sign', 'Le café coûte 2,50 € à Noël ; Grüße aus München, 25 °C, « guillemets », Ã la carte\n'.repeat(10));
  add('IMAP folders of ordinary names', `* LIST () "/" "INBOX/${imapUtf7('会议纪要')}"\n* LIST () "/" "Sent &amp; Drafts"\n`);
  add('octal numbers and permissions', 'chmod 0755 a; umask 022; mode 100644 040000\n0000000 0000020 0000040\n');
  return s;
}
