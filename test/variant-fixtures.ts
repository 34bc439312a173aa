import { createHash, createCipheriv } from 'node:crypto';
import iconv from 'iconv-lite';
import { base32, ID, MARK, type Sample } from './evasion-fixtures.js';

// Issue 14, fourth review: variants of classes already caught, written here
// by test code (dumps are formatted as xxd, hexdump and od print them, not
// taken from the tools). Each sample names its class; `expect` is the finding
// kind the default policy denies on. The clean samples are ordinary files
// that hold what the new readings look at: hashes, UUIDs, dumps of binary,
// tables of numbers.

export interface VariantSample extends Sample {
  cls: string;
}

const u8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const hex2 = (x: number): string => x.toString(16).padStart(2, '0');
const hexOf = (b: Buffer, sep = ''): string => [...b].map(hex2).join(sep);
const cps = [...MARK].map((c) => c.codePointAt(0)!);

/** Printable column of a dump. */
const shown = (b: Buffer): string => [...b].map((x) => (x >= 0x20 && x < 0x7f ? String.fromCharCode(x) : '.')).join('');

/** `xxd` (group: bytes a group, 2 by default; `-u` upper case). */
export function xxd(b: Buffer, group = 2, upper = false): string {
  let out = '';
  for (let o = 0; o < b.length; o += 16) {
    const row = b.subarray(o, o + 16);
    let hex = '';
    for (let i = 0; i < 16; i += group) hex += `${i ? ' ' : ''}${[...row.subarray(i, i + group)].map(hex2).join('').padEnd(group * 2, ' ')}`;
    if (upper) hex = hex.toUpperCase();
    out += `${o.toString(16).padStart(8, '0')}: ${hex}  ${shown(row)}\n`;
  }
  return out;
}

/** `hexdump -C`. */
export function hexdumpC(b: Buffer): string {
  let out = '';
  for (let o = 0; o < b.length; o += 16) {
    const row = [...b.subarray(o, o + 16)].map(hex2);
    const half = (r: string[]): string => r.join(' ');
    out += `${o.toString(16).padStart(8, '0')}  ${half(row.slice(0, 8)).padEnd(23)}  ${half(row.slice(8)).padEnd(23)}  |${shown(b.subarray(o, o + 16))}|\n`;
  }
  return `${out}${b.length.toString(16).padStart(8, '0')}\n`;
}

/** `od -tx1` (octal offsets; `-An`: none). */
export function odX1(b: Buffer, offsets = true): string {
  let out = '';
  for (let o = 0; o < b.length; o += 16) out += `${offsets ? o.toString(8).padStart(7, '0') : ''} ${hexOf(b.subarray(o, o + 16), ' ')}\n`;
  return offsets ? `${out}${b.length.toString(8).padStart(7, '0')}\n` : out;
}

/** `hexdump` with no option: 16-bit words in the machine's (little-endian) order, an odd length padded with a NUL. */
export function hexdumpWords(b: Buffer): string {
  const p = b.length % 2 ? Buffer.concat([b, Buffer.alloc(1)]) : b;
  let out = '';
  for (let o = 0; o < p.length; o += 16) {
    const words: string[] = [];
    for (let i = o; i < Math.min(o + 16, p.length); i += 2) words.push(hex2(p[i + 1]!) + hex2(p[i]!));
    out += `${o.toString(16).padStart(7, '0')} ${words.join(' ')}\n`;
  }
  return `${out}${b.length.toString(16).padStart(7, '0')}\n`;
}

/** The invisible and bidirectional controls a sender may put between the characters. */
export const INVISIBLES: Array<[string, string]> = [
  ['LRO', '\u202d'], ['LRE', '\u202a'], ['RLE', '\u202b'], ['PDF', '\u202c'], ['LRI', '\u2066'], ['RLI', '\u2067'], ['FSI', '\u2068'], ['PDI', '\u2069'],
  ['LRM', '\u200e'], ['RLM', '\u200f'], ['ALM', '\u061c'], ['ZWJ', '\u200d'], ['ZWNJ', '\u200c'], ['ZWSP', '\u200b'], ['word joiner', '\u2060'],
  ['invisible times', '\u2062'], ['soft hyphen', '\u00ad'], ['variation selector 16', '\ufe0f'], ['variation selector 1', '\ufe00'],
  ['variation selector 17 (plane 14)', '\u{e0100}'], ['tag letter', '\u{e0041}'], ['Mongolian vowel separator', '\u180e'], ['BOM (ZWNBSP)', '\ufeff'],
  ['combining grapheme joiner', '\u034f'], ['Hangul filler', '\u3164'],
];

export function variantSamples(): VariantSample[] {
  const s: VariantSample[] = [];
  const add = (cls: string, name: string, body: Buffer | string, expect = 'classified-marking', filename = 'a.txt', type = 'text/plain'): void => {
    s.push({ cls, name, filename, type, body: typeof body === 'string' ? u8(body) : body, expect });
  };
  const m8 = u8(MARK);
  const gbk = iconv.encode(`附件${MARK}`, 'gbk');
  const doc = u8(`会议纪要。${MARK}正文。\n`);
  const idDoc = u8(`user id ${ID}\n`);

  let c = 'hex in any case, apart or not';
  add(c, 'lower case, contiguous', `data ${hexOf(m8)}\n`);
  add(c, 'lower case, pairs apart by spaces', `data ${hexOf(m8, ' ')}\n`);
  add(c, 'lower case, pairs apart by colons', `mac ${hexOf(m8, ':')}\n`);
  add(c, 'lower case, pairs apart by hyphens', `k ${hexOf(m8, '-')}\n`);
  add(c, 'lower case, pairs apart by two spaces', `k ${hexOf(m8, '  ')}\n`);
  add(c, 'mixed case, pairs apart', `data ${[...m8].map((x, i) => (i % 2 ? hex2(x).toUpperCase() : hex2(x))).join(' ')}\n`);
  add(c, 'lower case \\x escapes', `s = "${hexOf(m8).replace(/../g, '\\x$&')}"\n`, 'classified-marking', 'a.py', 'text/x-python');
  add(c, 'lower case percent-encoding', `q=${hexOf(m8).replace(/../g, '%$&')}\n`);
  add(c, 'lower case 0x bytes, no brackets', `${[...m8].map((x) => `0x${hex2(x)}`).join(',')}\n`);
  add(c, 'GBK, lower case, apart', `payload: ${hexOf(gbk, ' ')}\n`);
  add(c, 'UTF-16BE, contiguous', `data ${hexOf(iconv.encode(MARK, 'utf16-be'))}\n`);
  add(c, 'UTF-16LE, lower case, apart', `data ${hexOf(iconv.encode(MARK, 'utf16le'), ' ')}\n`);
  add(c, 'id number, lower case, apart', `u ${hexOf(u8(ID), ' ')}\n`, 'personal-data');

  c = 'base64 of other encodings and wrapped at odd widths';
  add(c, 'GB18030', `note ${iconv.encode(MARK, 'gb18030').toString('base64')}\n`);
  add(c, 'UTF-16LE (PowerShell)', `$s = "${iconv.encode(MARK, 'utf16le').toString('base64')}"\n`);
  add(c, 'UTF-16BE', `note ${iconv.encode(MARK, 'utf16-be').toString('base64')}\n`);
  add(c, 'UTF-16LE with a BOM', `note ${Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(MARK, 'utf16le')]).toString('base64')}\n`);
  const long = u8(`${'正文'.repeat(20)}${MARK}${'正文'.repeat(20)}`).toString('base64');
  add(c, 'lines of 7', `${long.replace(/.{7}/g, '$&\n')}\n`);
  add(c, 'lines of 13, CRLF', `${long.replace(/.{13}/g, '$&\r\n')}\r\n`);
  add(c, 'lines of 76 (MIME)', `${u8(`${'正文'.repeat(60)}${MARK}`).toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n`);
  add(c, 'short, lines of 5', `${m8.toString('base64').replace(/.{5}/g, '$&\n')}\n`);
  add(c, 'GB18030, lines of 6', `${iconv.encode(`${'正文'.repeat(10)}${MARK}`, 'gb18030').toString('base64').replace(/.{6}/g, '$&\n')}\n`);

  c = 'base32 in lower case';
  add(c, 'UTF-8, padded', `k ${base32(m8).toLowerCase()}\n`);
  add(c, 'UTF-8, unpadded', `k ${base32(m8).toLowerCase().replace(/=+$/, '')}\n`);
  add(c, 'GBK, long', `k ${base32(iconv.encode(`${'正文'.repeat(60)}${MARK}`, 'gbk')).toLowerCase()}\n`);
  add(c, 'id number (letters only, padded)', `k ${base32(u8(ID)).toLowerCase()}\n`, 'personal-data');

  c = 'lists of code points or bytes';
  add(c, 'decimal, apart by spaces', `${cps.join(' ')}\n`);
  add(c, 'decimal, apart by commas', `${cps.join(',')}\n`);
  add(c, 'decimal, apart by ", "', `codes: ${cps.join(', ')}.\n`);
  add(c, 'decimal, 机密★ only', `${cps.slice(0, 3).join(' ')}\n`);
  add(c, 'decimal UTF-8 bytes', `${[...m8].join(' ')}\n`);
  add(c, 'decimal character codes of an id number', `${[...ID].map((d) => d.charCodeAt(0)).join(',')}\n`, 'personal-data');
  add(c, 'u+ in lower case', `${cps.map((x) => `u+${x.toString(16)}`).join(' ')}\n`);
  add(c, 'U+ with no space', `${cps.map((x) => `U+${x.toString(16).toUpperCase().padStart(4, '0')}`).join('')}\n`);
  add(c, '0x code points, no brackets', `${cps.map((x) => `0x${x.toString(16)}`).join(',')}\n`);
  add(c, '0x code points apart by spaces', `${cps.map((x) => `0x${x.toString(16)}`).join(' ')}\n`);
  add(c, 'bare hex code points of differing widths', `${cps.map((x) => x.toString(16)).join(' ')}\n`);
  add(c, 'HTML decimal references without ";"', cps.map((x) => `&#${x}`).join(' '), 'classified-marking', 'a.html', 'text/html');

  c = 'hex dumps';
  add(c, 'xxd', xxd(doc));
  add(c, 'xxd -g1', xxd(doc, 1));
  add(c, 'xxd -g4 -u', xxd(doc, 4, true));
  add(c, 'hexdump -C', hexdumpC(doc));
  add(c, 'od -tx1', odX1(doc));
  add(c, 'od -An -tx1', odX1(doc, false));
  add(c, 'hexdump (16-bit words, little-endian)', hexdumpWords(doc));
  add(c, 'xxd -i (a C array, no name)', `${[...doc].map((x) => `0x${hex2(x)}`).join(', ').replace(/(.{72}) /g, '$1\n  ')}\n`);
  add(c, 'xxd of a GBK memo', xxd(iconv.encode(`会议纪要。${MARK}正文。\n`, 'gbk')));
  add(c, 'hexdump -C of a binary file holding the marking', hexdumpC(Buffer.concat([Buffer.from([0, 1, 2, 3, 0xff, 0xfe, 0, 0]), u8(`${MARK}\n`), Buffer.alloc(64, 0x11)])));
  add(c, 'hexdump -C of an id number', hexdumpC(idDoc), 'personal-data');
  add(c, 'xxd of an id number, inside a log', `2024-01-15 request body:\n${xxd(idDoc)}2024-01-15 done\n`, 'personal-data');

  c = 'invisible and bidirectional controls between the characters';
  for (const [name, ch] of INVISIBLES) {
    add(c, `${name} in the marking`, `备注：${[...MARK].join(ch)}\n`);
    add(c, `${name} in an id number`, `身份证号：${[...ID].join(ch)}\n`, 'personal-data');
  }

  c = 'id numbers written otherwise';
  const digitsIn = (zero: number): string => [...ID].map((d) => (/[0-9]/.test(d) ? String.fromCharCode(zero + Number(d)) : d)).join('');
  add(c, 'full-width digits', `身份证号：${[...ID].map((d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).join('')}\n`, 'personal-data');
  add(c, 'full-width digits in a CSV cell', `姓名,证件号\n王五,${[...ID].map((d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).join('')}\n`, 'personal-data', 'a.csv', 'text/csv');
  add(c, '6-8-4, spaces', `身份证号：${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14)}\n`, 'personal-data');
  add(c, '6-8-4, hyphens', `身份证号：${ID.slice(0, 6)}-${ID.slice(6, 14)}-${ID.slice(14)}\n`, 'personal-data');
  add(c, '6-4-4-4, spaces', `身份证号：${ID.slice(0, 6)} ${ID.slice(6, 10)} ${ID.slice(10, 14)} ${ID.slice(14)}\n`, 'personal-data');
  add(c, '3-3-4-4-4, spaces', `证件 ${ID.slice(0, 3)} ${ID.slice(3, 6)} ${ID.slice(6, 10)} ${ID.slice(10, 14)} ${ID.slice(14)}\n`, 'personal-data');
  add(c, 'Arabic-Indic digits', `身份证号：${digitsIn(0x660)}\n`, 'personal-data');
  add(c, 'Devanagari digits', `身份证号：${digitsIn(0x966)}\n`, 'personal-data');

  // Second red team, 30 Nov: any grouping, fields in another order, halves apart, backwards, ○ for 〇 (id-groups.ts),
  // and the weighing walked around by look-alikes (id-weighing.ts).
  c = 'id numbers in any grouping';
  const zh = [...ID].map((d) => (/[0-9]/.test(d) ? '〇一二三四五六七八九'[Number(d)]! : d)).join('');
  add(c, 'pairs', `身份证号：${ID.match(/../g)!.join(' ')}\n`, 'personal-data');
  add(c, '9-9 halves', `身份证号：${ID.slice(0, 9)} ${ID.slice(9)}\n`, 'personal-data');
  add(c, 'mixed separators', `身份证号：${ID.slice(0, 6)}-${ID.slice(6, 14)}/${ID.slice(14)}\n`, 'personal-data');
  add(c, '○ for 〇 in Chinese numerals', `身份证号：${zh.replace(/〇/g, '○')}\n`, 'personal-data');
  add(c, 'JSON fields, birth date first', JSON.stringify({ birth: ID.slice(6, 14), region: ID.slice(0, 6), seq: ID.slice(14) }), 'personal-data', 'a.json', 'application/json');
  add(c, 'halves a line apart', `前半：${ID.slice(0, 9)}\n后半：${ID.slice(9)}\n`, 'personal-data');
  add(c, 'written backwards', `倒序：${[...ID].reverse().join('')}\n`, 'personal-data');
  const other = (k: string): string => `${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14, 17)}${k}`;
  add(c, 'one beside two look-alikes that differ in the check character', `甲 ${other('X')}\n乙 ${other('0')}\n丙 ${other('1')}\n`, 'personal-data');
  return s;
}

/** Ordinary files that hold what the new readings look at; none may give a finding. */
export function variantCleanCorpus(): Sample[] {
  const out: Sample[] = [];
  const add = (name: string, filename: string, type: string, body: Buffer | string): void => {
    out.push({ name, filename, type, body: typeof body === 'string' ? u8(body) : body, expect: '' });
  };
  const sha = (i: number, alg = 'sha256'): string => createHash(alg).update(`file ${i}`).digest('hex');
  add('sha256sums', 'SHA256SUMS', 'text/plain', Array.from({ length: 200 }, (_, i) => `${sha(i)}  release/part-${i}.tar.gz`).join('\n') + '\n');
  add('git log --oneline and full hashes', 'git.log', 'text/plain', Array.from({ length: 200 }, (_, i) => `${sha(i, 'sha1').slice(0, 7)} fix ${i}: update tables\ncommit ${sha(i, 'sha1')}\nMerge: ${sha(i + 1, 'sha1').slice(0, 7)} ${sha(i + 2, 'sha1').slice(0, 7)}`).join('\n') + '\n');
  add('a log of UUIDs', 'req.log', 'text/plain', Array.from({ length: 300 }, (_, i) => {
    const h = sha(i);
    return `2024-01-15T10:${String(i % 60).padStart(2, '0')}:00Z req=${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)} status=200 bytes=${i * 37}`;
  }).join('\n') + '\n');
  const random = createCipheriv('aes-256-ctr', Buffer.alloc(32, 9), Buffer.alloc(16)).update(Buffer.alloc(512));
  add('a debug log with dumps of binary (xxd, hexdump -C, od)', 'debug.log', 'text/plain', `packet in:\n${xxd(random)}packet out:\n${hexdumpC(random.subarray(0, 200))}${odX1(random.subarray(0, 64))}${hexdumpWords(random.subarray(0, 96))}end\n`);
  add('a table of integers', 'counts.csv', 'text/csv', `区,2021,2022,2023,2024\n${Array.from({ length: 300 }, (_, i) => `区${i},${(i * 7919) % 50000},${(i * 104729) % 40000},${(i * 31) % 30000 + 12000},${i * 13}`).join('\n')}\n`);
  add('numbers apart by spaces and commas', 'data.txt', 'text/plain', `${Array.from({ length: 100 }, (_, i) => `${i * 7919 % 65536} ${i * 31 % 999} ${i * 104729 % 99999}, ${i}`).join('\n')}\nJSON: [1, 2, 3, 65, 66, 67]\nports 8080 8443 9090\n`);
  add('addresses: MAC, IPv6, fingerprints, dates', 'net.txt', 'text/plain', `eth0 ether 00:1a:2b:3c:4d:5e brd ff:ff:ff:ff:ff:ff\ninet6 fe80::21a:2bff:fe3c:4d5e/64 2001:0db8:85a3:0000:0000:8a2e:0370:7334\nSHA256:9f:86:d0:81:88:4c:7d:65:9a:2f:ea:a0:c5:5a:d0:15\ndate 2024-01-15 12:30:45 0x1f 0x20 0xff\ncolor #e6e6fa #ffffff\n`);
  add('lower-case words and identifiers', 'notes.txt', 'text/plain', `internationalization responsibilities counterrevolutionary abcdefghijklmnopqrstuvwxyz user2024 test1234abcd v2alpha3 md5sum sha256sum base64 utf8 k8s a1b2c3d4e5f6g7 ${'lorem ipsum dolor sit amet '.repeat(20)}\n`);
  add('look-alikes in dumps and lists', 'alike.txt', 'text/plain', `${xxd(u8('商业秘密、工作秘密、机密性、保密协议\n'))}${[...'商业秘密与机密性'].map((c) => c.codePointAt(0)).join(' ')}\n${u8('保密协议').toString('hex').replace(/../g, '$& ')}\n`);
  return out;
}
