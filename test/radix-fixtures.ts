import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { ID, MARK, pngImage, type Sample } from './evasion-fixtures.js';
import { ascii85, base45, base58, imapUtf7, punycodeEncode, type NotationSample } from './notation-fixtures.js';

// Issue 14, second red team of 30 November: the radixes and notations that
// crossed after the day's readings (docs/findings.md), written here as their
// tools write them, each in more than one form of its family; and ordinary
// content made of the same alphabets (identifiers, hashes, minified code,
// UUIDs, keys, European text, GBK prose) that must stay clean.

const u8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const MARK8 = u8(`${MARK}\n`);
const IDLINE = u8(`证件号 ${ID}\n`);

const Z85 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#';

/** Z85 (ZeroMQ RFC 32): four bytes to five characters, big-endian; the input padded with NULs to a multiple of 4. */
export function z85(b: Buffer): string {
  const p = Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
  let s = '';
  for (let i = 0; i < p.length; i += 4) {
    let n = p.readUInt32BE(i);
    const d: string[] = [];
    for (let j = 0; j < 5; j++) {
      d.unshift(Z85[n % 85]!);
      n = Math.floor(n / 85);
    }
    s += d.join('');
  }
  return s;
}

/** RFC 4648 §7 base32hex (Python's b32hexencode), padded. */
export function base32hex(b: Buffer): string {
  const A = '0123456789ABCDEFGHIJKLMNOPQRSTUV';
  let bits = 0;
  let acc = 0;
  let s = '';
  for (const x of b) {
    acc = (acc << 8) | x;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      s += A[(acc >> bits) & 31]!;
    }
  }
  if (bits > 0) s += A[(acc << (5 - bits)) & 31]!;
  while (s.length % 8) s += '=';
  return s;
}

/** The bytes as one big number written in `alphabet` (base-x, Go's big.Int.Text, BigInt#toString). */
export function bigRadix(b: Buffer, alphabet: string): string {
  let n = BigInt(`0x0${b.toString('hex')}`);
  const r = BigInt(alphabet.length);
  let s = '';
  while (n > 0n) {
    s = alphabet[Number(n % r)]! + s;
    n /= r;
  }
  return s;
}
export const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Go's big.Int.Text(62) and GMP: lower case before upper. */
export const B62_LOWER_FIRST = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const base36 = (b: Buffer): string => BigInt(`0x0${b.toString('hex')}`).toString(36);

/** Python's a85encode without adobe=True: no <~ ~>, optionally wrapped. */
function a85bare(b: Buffer, wrap = 0): string {
  const s = ascii85(b).slice(2, -2);
  return wrap ? s.replace(new RegExp(`(.{${wrap}})`, 'g'), '$1\n') : s;
}

export function radixSamples(): NotationSample[] {
  const s: NotationSample[] = [];
  const add = (cls: string, name: string, body: Buffer | string, expect = 'classified-marking', filename = 'a.txt', type = 'text/plain'): void => {
    s.push({ cls, name, filename, type, body: typeof body === 'string' ? u8(body) : body, expect });
  };
  // Radixes read in-process before only with delimiters or not at all.
  const r = (name: string, body: string, expect = 'classified-marking'): void => add('radixes (second red team)', name, body, expect);
  r('Z85 of a marking', `msg=${z85(MARK8)}\n`);
  r('Z85 of an id number, 4-byte aligned', `{"z":"${z85(u8(`id ${ID}\n`))}"}\n`, 'personal-data');
  r('base32hex, upper case and padded', `v ${base32hex(MARK8)}\n`);
  r('base32hex of an id number, lower case', `ref: ${base32hex(IDLINE).toLowerCase().replace(/=+$/, '')}\n`, 'personal-data');
  r('base62 (base-x: 0-9A-Za-z)', `token=${bigRadix(MARK8, B62)}\n`);
  r('base62 (Go big.Int: 0-9a-zA-Z) of an id number', `t ${bigRadix(IDLINE, B62_LOWER_FIRST)}\n`, 'personal-data');
  r('base36 (BigInt#toString(36))', `k=${base36(MARK8)}\n`);
  r('base36, upper case, of an id number', `K ${base36(IDLINE).toUpperCase()} end\n`, 'personal-data');
  r('Ascii85 without <~ ~>', `data: ${a85bare(MARK8)}\n`);
  r('Ascii85 without delimiters, wrapped at 76', `${a85bare(u8(`${'正文内容。'.repeat(12)}\n${MARK}\n`), 76)}\n`);
  r('Ascii85 without delimiters of an id number', `${a85bare(IDLINE)}\n`, 'personal-data');
  // Compressed data in those radixes.
  const z = (name: string, body: string, expect = 'classified-marking'): void => add('radixes of compressed data', name, body, expect);
  z('Ascii85 (<~ ~>) of zlib', `x ${ascii85(zlib.deflateSync(MARK8))}\n`);
  z('Ascii85 without delimiters of zlib', `${a85bare(zlib.deflateSync(MARK8))}\n`);
  z('base58 of zlib', `k ${base58(zlib.deflateSync(MARK8))}\n`);
  z('base58 of bare deflate of an id number', `k ${base58(zlib.deflateRawSync(IDLINE))}\n`, 'personal-data');
  z('base45 of zlib (as HC1: is written)', `HC1:${base45(zlib.deflateSync(MARK8))}\n`);
  z('Z85 of zlib', `${z85(zlib.deflateSync(MARK8))}\n`);
  // Code points computed from literals.
  const cps = [...MARK].map((c) => c.codePointAt(0)!);
  const hx = (n: number): string => n.toString(16).toUpperCase();
  const c = (name: string, body: string, filename: string): void => add('code-point expressions', name, body, 'classified-marking', filename);
  c('Excel UNICHAR(HEX2DEC("…"))', `a\n"=${cps.map((n) => `UNICHAR(HEX2DEC("${hx(n)}"))`).join('&')}"\n`, 'a.csv');
  c('VB ChrW(…&) and ChrW(&H…&)', `s = ${cps.map((n, i) => (i % 2 ? `ChrW(${n}&)` : `ChrW(&H${hx(n)}&)`)).join(' & ')}\n`, 'a.vbs');
  c('Python chr(n+1) and chr(0x…-1)', `s = ${cps.map((n, i) => (i % 2 ? `chr(${n - 1}+1)` : `chr(0x${hx(n + 1).toLowerCase()} - 1)`)).join(' + ')}\n`, 'a.py');
  c('Python chr(int("…", 16))', `s = ${cps.map((n) => `chr(int('${hx(n).toLowerCase()}', 16))`).join(' + ')}\n`, 'a.py');
  c('Python chr(int("…", 16)) apart by commas', `print(${cps.map((n) => `chr(int("0x${hx(n)}", 0))`).join(', ')}, sep="")\n`, 'a.py');
  c('Java (char) (n + 0) and C# 26426L', `String s = "" + ${cps.map((n, i) => (i % 2 ? `(char) (${n - 100} + 100)` : `(char) ${n}L`)).join(' + ')};\n`, 'A.java');
  c('JavaScript String.fromCharCode(0x…+n) one a call', `var s = ${cps.map((n) => `String.fromCharCode(0x${hx(n - 7)}+7)`).join(' + ')};\n`, 'a.js');
  // Other encodings.
  const e = (name: string, body: string | Buffer, expect = 'classified-marking'): void => add('other encodings (second red team)', name, body, expect);
  // (An encoder of its own may put ASCII in the run too: an id number is then all 00xx units.)
  const imapWhole = (t: string): string => `&${Buffer.from(t, 'utf16le').swap16().toString('base64').replace(/=+$/, '').replace(/\//g, ',')}-`;
  e('IMAP modified UTF-7 inside base64', `payload: ${Buffer.from(`INBOX/${imapUtf7(MARK)}`).toString('base64')}\n`);
  e('IMAP modified UTF-7 of an id number, ASCII in the run', `* LIST () "/" "INBOX/${imapWhole(ID)}"\n`, 'personal-data');
  e('IMAP modified UTF-7 of an id number inside base64', `m=${Buffer.from(`INBOX/${imapWhole(ID)}`).toString('base64')}\n`, 'personal-data');
  e('mojibake: UTF-8 read as cp1252 twice', Buffer.from(iconv.decode(iconv.encode(iconv.decode(u8(`标题：${MARK}\n`), 'cp1252'), 'utf8'), 'cp1252'), 'utf8'));
  e('mojibake: GBK bytes read as cp1252', Buffer.from(iconv.decode(iconv.encode(`标题：${MARK}\n`, 'gbk'), 'cp1252'), 'utf8'));
  e('mojibake: Big5 bytes read as Latin-1', Buffer.from(iconv.encode(`標題：機密★10年\n`, 'big5').toString('latin1'), 'utf8'));
  // (UTF-8 read as GBK or Big5, 鏈哄瘑, loses a byte of most characters: not read, docs/findings.md.)
  e('Punycode of a marking without xn--', `host ${punycodeEncode(MARK)}.example.cn\n`);
  e('Punycode without xn--, alone on a line', `${punycodeEncode('【绝密】')}\n`);
  e('Punycode without xn--, upper case, in a URL', `https://${punycodeEncode('绝密★五年').toUpperCase()}.example/\n`);
  // Compressed data in images.
  add('compressed data in images', 'zlib after a GIF trailer', Buffer.concat([gifImage(), zlib.deflateSync(MARK8)]), 'classified-marking', 'a.gif', 'image/gif');
  add('compressed data in images', 'bare deflate after a GIF trailer', Buffer.concat([gifImage(), zlib.deflateRawSync(IDLINE)]), 'personal-data', 'a.gif', 'image/gif');
  add('compressed data in images', 'bare deflate in a private PNG chunk', pngImage([['prVt', zlib.deflateRawSync(MARK8)]]), 'classified-marking', 'a.png', 'image/png');
  add('compressed data in images', 'bare deflate after a keyword in a private PNG chunk', pngImage([['zzDt', Buffer.concat([Buffer.from('note\u0000', 'latin1'), zlib.deflateRawSync(IDLINE)])]]), 'personal-data', 'a.png', 'image/png');
  return s;
}

/** A 1×1 GIF89a with a graphic control extension, a comment and the trailer (GIF89a §§17-27). */
export function gifImage(comment = 'made by test'): Buffer {
  const c = Buffer.from(comment, 'latin1');
  return Buffer.concat([
    Buffer.from('GIF89a', 'latin1'),
    Buffer.from([1, 0, 1, 0, 0x80, 0, 0]), // screen 1×1, global colour table of 2
    Buffer.from([0, 0, 0, 0xff, 0xff, 0xff]),
    Buffer.from([0x21, 0xf9, 4, 0, 0, 0, 0, 0]), // graphic control extension
    Buffer.from([0x21, 0xfe, c.length]), c, Buffer.from([0]), // comment extension
    Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0]), // image descriptor
    Buffer.from([2, 2, 0x44, 0x01, 0]), // LZW minimum code size 2, one sub-block, terminator
    Buffer.from([0x3b]), // trailer
  ]);
}

/** Ordinary content made of the alphabets and forms read above. */
export function radixCleanSamples(): Sample[] {
  const s: Sample[] = [];
  const add = (name: string, body: Buffer | string, filename = 'a.txt', type = 'text/plain'): void => {
    s.push({ name, filename, type, body: typeof body === 'string' ? u8(body) : body, expect: '' });
  };
  const h = (x: string): Buffer => createHash('sha256').update(x).digest();
  const many = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n';
  add('identifiers, UUIDs, API keys and short ids', many(300, (i) => `user_${i} id=${bigRadix(h(`u${i}`).subarray(0, 16), B62)} uuid=${[8, 4, 4, 4, 12].map((n, k) => h(`g${i}${k}`).toString('hex').slice(0, n)).join('-')} key=sk_live_${bigRadix(h(`k${i}`).subarray(0, 18), B62_LOWER_FIRST)} short=${base36(h(`s${i}`).subarray(0, 8))} ${base36(h(`S${i}`).subarray(0, 12)).toUpperCase()}`));
  add('minified JavaScript', many(200, (i) => `function a${i}(e,t){var n=e.getElementById("x${i}");return n?n.addEventListener("click",function(r){t(r.target,${i})}),!0:!1}window.__APP_STATE__={a:${i},b:[${i},${i + 1}],c:"q${i}"};if(!a||b<=c)return{x:a.y+b[${i}]*c.z/2-1};`), 'a.js', 'text/javascript');
  add('Z85 and Ascii85 of random keys (CurveZMQ, PostScript)', many(100, (i) => `curve_publickey = "${z85(h(`z${i}`))}"\n${ascii85(h(`a${i}`)).slice(2, -2)}`));
  add('hashes, base32hex and base58 of random bytes', many(200, (i) => `${h(`x${i}`).toString('hex')} ${base32hex(h(`y${i}`).subarray(0, 20))} ${base58(h(`w${i}`))}`));
  add('CSV of amounts and codes', many(500, (i) => `${i},${(i * 7919) % 100000}.${i % 100},ACC${(i * 104729) % 1000000},${(i * 31).toString(36)}${(i * 17).toString(36)},OK`), 'a.csv', 'text/csv');
  add('ordinary code with chr(), ChrW(), UNICHAR() and casts of literals', many(20, (i) => [`x = chr(65+${i % 20})`, `s = ChrW(8212&) & ChrW(&H2014&)`, `=UNICHAR(HEX2DEC("263A"))&CHAR(10)`, `char c = (char) (48 + ${i % 10});`, `print(chr(int("41", 16)))`, `String.fromCharCode(0x41+${i % 26})`].join('\n')));
  add('French, German and Latin-1 words', 'Ça coûte 2,50 € ; Grüße aus Köln, naïve café, Ærøskøbing, «Æsop» — été déjà. ÃÂ ÿþ üß Ã© Ã¨\n'.repeat(30));
  add('a table of Latin-1 letters in code', `const latin1 = "${Array.from({ length: 96 }, (_, i) => String.fromCharCode(0xa0 + i)).join('')}";\n`.repeat(5), 'a.js', 'text/javascript');
  add('GBK Chinese prose (the right encoding)', iconv.encode('关于召开年度工作会议的通知。各部门：请于周五前提交材料。\n'.repeat(30), 'gbk'));
  add('Chinese prose with rare characters', '鏈接、瘦身、骞騰、哄笑；锟铻之间。繁體字：機關、檔案、會議記錄。\n'.repeat(30));
  add('ordinary punycode-like words and versions', many(100, (i) => `v${i}.2.3-rc${i % 4} build-${(i * 7).toString(36)}x9 sha1-${h(`p${i}`).toString('hex').slice(0, 12)} en-us zh-hans-cn`));
  add('a GIF image', gifImage(), 'a.gif', 'image/gif');
  add('a GIF image with padding after its trailer', Buffer.concat([gifImage(), Buffer.alloc(512)]), 'a.gif', 'image/gif');
  add('a PNG with a private chunk of binary data', pngImage([['prVt', h('binary').subarray(0, 32)], ['vpAg', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 0])]]), 'a.png', 'image/png');
  add('an EU DCC (HC1: base45 of zlib of binary CBOR)', `HC1:${base45(zlib.deflateSync(Buffer.concat([Buffer.from([0xd2, 0x84, 0x4d, 0xa2]), h('cose'), h('sig')])))}\n`);
  return s;
}
