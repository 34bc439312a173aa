// Content whose head is text and whose rest is not (found 1 Dec 2026): the
// first 4,100 bytes type it as text, and text was never judged by entropy, so
// 4,100 bytes of ordinary text followed by encrypted or compressed bytes
// crossed with no finding. Each region that is not text is judged now
// (gateway/inspect/opaque/opaque-regions.ts): samples that must be refused
// `uninspectable`, and the text they look like, which must stay clean.
import { createCipheriv, generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { zstdRaw, type Sample } from './evasion-fixtures.js';
import { zip } from './inspect-fixtures.js';

/** n bytes of AES-256-CTR keystream: encrypted data, the same on every run. */
export function encrypted(n: number, key = 7): Buffer {
  return createCipheriv('aes-256-ctr', Buffer.alloc(32, key), Buffer.alloc(16)).update(Buffer.alloc(n));
}

function seeded(seed: number): () => number {
  return () => (seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x80000000;
}

const LINE = 'The committee reviewed the quarterly figures and agreed to publish the report next week.\n';
/** n bytes of ordinary English prose. */
export function prose(n: number): Buffer {
  return Buffer.from(LINE.repeat(Math.ceil(n / LINE.length))).subarray(0, n);
}

const ZH = '本季度各部门按照年度工作计划推进重点任务，预算执行情况良好，人员培训按期完成。下一阶段将继续加强档案管理和数据交换工作，确保各项制度落实到位。';
/** Chinese prose of about n characters, sentences in a shuffled order. */
function chinese(n: number): string {
  const rnd = seeded(5);
  const parts = ZH.split('，');
  let s = '';
  while (s.length < n) s += `${parts[Math.floor(rnd() * parts.length)]}${rnd() < 0.2 ? '。\n' : '，'}`;
  return s;
}

/** n code points drawn evenly from [lo, hi): the widest spread of bytes a text in that range has. */
function randomChars(lo: number, hi: number, n: number): string {
  const rnd = seeded(9);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCodePoint(lo + Math.floor(rnd() * (hi - lo))) + (i % 50 === 49 ? '\n' : '');
  return s;
}

export function textTailSamples(): Sample[] {
  const out: Sample[] = [];
  const add = (name: string, body: Buffer, filename = 'memo.txt', type = 'text/plain'): void => {
    out.push({ name, filename, type, body, expect: 'uninspectable' });
  };
  add('4,100 bytes of text, then 100 KB encrypted (text/plain)', Buffer.concat([prose(4100), encrypted(100_000)]));
  add('4,100 bytes of text, then 100 KB encrypted (application/octet-stream)', Buffer.concat([prose(4100), encrypted(100_000)]), 'memo.bin', 'application/octet-stream');
  add('200 KB of text, 8 KiB encrypted, 200 KB of text', Buffer.concat([prose(200_000), encrypted(8192), prose(200_000)]));
  add('text, 6 KiB encrypted between two text parts', Buffer.concat([prose(30_000), encrypted(6144), prose(30_000)]));
  add('text, then 2 KiB encrypted at the end', Buffer.concat([prose(20_000), encrypted(2048)]));
  add('text, then 1 MiB encrypted', Buffer.concat([prose(5000), encrypted(1 << 20)]));
  add('text, then bare deflate (compressed, not opened)', Buffer.concat([prose(5000), zlib.deflateRawSync(Buffer.from(randomChars(0x4e00, 0x9fa5, 30_000)))]));
  add('text, then bare deflate of CSV rows', Buffer.concat([prose(5000), zlib.deflateRawSync(csv(3000))]), 'amounts.csv', 'text/csv');
  add('text, then a zlib stream of JSON (no signature an embedded archive is found by)', Buffer.concat([prose(5000), zlib.deflateSync(Buffer.from(JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ id: i, v: (i * 31) % 977 })))))]), 'a.json', 'application/json');
  // Encrypted bytes mapped into 0x20-0xFF: no control byte, but no text takes 224 byte values evenly either.
  add('text, then 12 KB of encrypted bytes with no control byte', Buffer.concat([prose(5000), Buffer.from(encrypted(12_000).map((b) => 0x20 + (b % 224)))]));
  // An archive appended after them does not cover the encrypted bytes before its signature.
  add('text, 8 KiB encrypted, then a gzip appended', Buffer.concat([prose(5000), encrypted(8192), zlib.gzipSync(prose(50_000))]));
  add('UTF-8 Chinese, then 20 KB encrypted', Buffer.concat([Buffer.from(chinese(3000)), encrypted(20_000)]));
  add('UTF-16LE Chinese with a BOM, then 20 KB encrypted', Buffer.concat([Buffer.from(`\ufeff${chinese(3000)}`, 'utf16le'), encrypted(20_000)]));
  add('GB18030 Chinese, then 20 KB encrypted', Buffer.concat([iconv.encode(chinese(3000), 'gb18030'), encrypted(20_000)]));
  add('CSV rows, then 16 KB encrypted, then CSV rows', Buffer.concat([csv(500), encrypted(16_000), csv(500)]), 'amounts.csv', 'text/csv');
  // Regions shorter than a 4 KiB block, which two blocks share (judged in 1 KiB windows since 1 Dec).
  add('text, 1 KiB encrypted between two text parts, across a block edge', Buffer.concat([prose(7700), encrypted(1024), prose(20_000)]));
  add('Chinese, 1.5 KiB of bare deflate between two parts', Buffer.concat([Buffer.from(chinese(3000)).subarray(0, 7400), deflated(1536), Buffer.from(chinese(3000))]));
  // Random data in a 7-bit alphabet: no byte at or above 0x80, read as text before 1 Dec.
  add('text, 2 KiB of random printable characters, text', Buffer.concat([prose(6000), printable(2048), prose(6000)]));
  add('text, Ascii85 of 4 KiB encrypted, text', Buffer.concat([prose(6000), ascii85(encrypted(4096, 3)), prose(6000)]));
  // What an archive's readers pass over (1 Dec): bytes after a zero that ends a gzip stream, a zip's comment, a gzip
  // header's extra field, a zstd skippable frame. Judged as content of their own, or in windows.
  add('text, a gzip, a zero byte, then 20 KB encrypted', Buffer.concat([prose(6000), zlib.gzipSync(prose(30_000)), Buffer.alloc(1), encrypted(20_000)]));
  add('a zip whose comment is 30 KB encrypted', zipComment(encrypted(30_000)), 'a.zip', 'application/zip');
  add('a gzip whose header\'s extra field is 30 KB encrypted', gzipExtra(encrypted(30_000)), 'a.txt.gz', 'application/gzip');
  add('a zstd frame, then a skippable frame of 30 KB encrypted', Buffer.concat([zstdRaw(prose(200)), skippable(encrypted(30_000))]), 'a.txt.zst', 'application/zstd');
  add('JSON, then 10 KB encrypted', Buffer.concat([Buffer.from(JSON.stringify({ rows: Array.from({ length: 300 }, (_, i) => ({ id: i, note: 'ok' })) })), encrypted(10_000)]), 'a.json', 'application/json');
  // Short lines (1 Dec): a base64 run was looked for on one line where the scanner jumped, so base64 wrapped under
  // 64 columns (encrypted bytes, a zip) was never decoded.
  add('text, base64 of 4 KiB encrypted wrapped at 40 columns, text', Buffer.concat([prose(6000), wrapped(Buffer.from(encrypted(4096, 8).toString('base64')), 40), prose(6000)]));
  add('base64 of 3 KiB encrypted wrapped at 60 columns, alone', wrapped(Buffer.from(encrypted(3072, 9).toString('base64')), 60));
  // Hex of encrypted bytes in a UUID's groups, one a line: the version and variant digits are anything (a UUID
  // list's are 1-8 and 8-b), so the lines are no UUIDs and their bytes are judged as before (binfast, 1 Dec).
  add('hex of 8 KiB encrypted in the groups of a UUID, one a line', Buffer.from(Array.from({ length: 512 }, (_, i) => inUuidGroups(encrypted(8192, 12).subarray(16 * i, 16 * i + 16))).join('\n') + '\n'), 'ids.txt');
  add('hex of 4 KiB encrypted wrapped at 32 columns', wrapped(Buffer.from(encrypted(4096, 13).toString('hex')), 32), 'ids.txt');
  const memo = Buffer.from(`关于加强管理的通知\n${'各单位认真贯彻落实有关工作部署。机密★10年\n'.repeat(30)}`);
  out.push({ name: 'base64 of a zip of a memo wrapped at 60 columns', filename: 'note.txt', type: 'text/plain', body: wrapped(Buffer.from(zip([{ name: 'memo.txt', data: memo }]).toString('base64')), 60), expect: 'classified-marking' });
  // Under 40 columns (binfast, 1 Dec): lines no longer joined into a run, read joined when they start as an archive.
  out.push({ name: 'base64 of a zip of a memo wrapped at 32 columns, after a line of text', filename: 'note.txt', type: 'text/plain', body: Buffer.concat([Buffer.from('Attachment follows.\n'), wrapped(Buffer.from(zip([{ name: 'memo.txt', data: memo }]).toString('base64')), 32)]), expect: 'classified-marking' });
  out.push({ name: 'base64 of a zip of a memo wrapped at 16 columns, CRLF', filename: 'note.txt', type: 'text/plain', body: Buffer.from(wrapped(Buffer.from(zip([{ name: 'memo.txt', data: memo }]).toString('base64')), 16).toString('latin1').replace(/\n/g, '\r\n'), 'latin1'), expect: 'classified-marking' });
  out.push({ name: 'base64 of a zip of a memo wrapped at 40 columns, after a line of text', filename: 'note.txt', type: 'text/plain', body: Buffer.concat([Buffer.from('Attachment follows.\n'), wrapped(Buffer.from(zip([{ name: 'memo.txt', data: memo }]).toString('base64')), 40)]), expect: 'classified-marking' });
  return out;
}

/** n UUIDs of a version (RFC 9562: its digit, and the variant 10xx) made from encrypted bytes (key). */
export function uuids(n: number, version: number, key: number): string[] {
  const b = encrypted(16 * n, key);
  const out: string[] = [];
  for (let i = 0; i < b.length; i += 16) {
    const u = Buffer.from(b.subarray(i, i + 16));
    u[6] = (version << 4) | (u[6]! & 0x0f);
    u[8] = 0x80 | (u[8]! & 0x3f);
    out.push(inUuidGroups(u));
  }
  return out;
}

/** 16 bytes in hex in a UUID's groups, 8-4-4-4-12, whatever their version and variant digits. */
export function inUuidGroups(u: Buffer): string {
  const h = u.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Lines of `width` characters, as an encoder wraps its output. */
export function wrapped(b: Buffer, width: number): Buffer {
  const s = b.toString('latin1');
  const lines: string[] = [];
  for (let i = 0; i < s.length; i += width) lines.push(s.slice(i, i + width));
  return Buffer.from(`${lines.join('\n')}\n`, 'latin1');
}

/** A zip of prose whose archive comment (after the end of central directory record) is `comment`. */
export function zipComment(comment: Buffer): Buffer {
  const z = zip([{ name: 'a.txt', data: prose(20_000) }]);
  const eocd = z.lastIndexOf(Buffer.from([0x50, 0x4b, 5, 6]));
  const len = Buffer.alloc(2);
  len.writeUInt16LE(comment.length);
  return Buffer.concat([z.subarray(0, eocd + 20), len, comment]);
}

/** A gzip of prose whose header carries `extra` as its extra field (FEXTRA, RFC 1952 §2.3.1.1). */
export function gzipExtra(extra: Buffer): Buffer {
  const g = zlib.gzipSync(prose(20_000));
  const len = Buffer.alloc(2);
  len.writeUInt16LE(extra.length);
  return Buffer.concat([g.subarray(0, 3), Buffer.from([g[3]! | 0x04]), g.subarray(4, 10), len, extra, g.subarray(10)]);
}

/** A zstd skippable frame (RFC 8878 §3.1.2) holding `data`. */
export function skippable(data: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32LE(0x184d2a50, 0);
  h.writeUInt32LE(data.length, 4);
  return Buffer.concat([h, data]);
}

/** The first n bytes of a bare deflate stream of CSV rows (compressed, not opened: no signature finds it). */
export function deflated(n: number): Buffer {
  return zlib.deflateRawSync(csv(6000)).subarray(0, n);
}

/** n characters drawn evenly from the 95 printable ASCII ones (0x20-0x7E). */
export function printable(n: number, seed = 11): Buffer {
  const rnd = seeded(seed);
  return Buffer.from(Array.from({ length: n }, () => 0x20 + Math.floor(rnd() * 95)));
}

/** Ascii85 (Adobe's, without <~ ~>) of b, 75 characters a line. */
export function ascii85(b: Buffer): Buffer {
  let s = '';
  for (let i = 0; i + 4 <= b.length; i += 4) {
    let v = b.readUInt32BE(i);
    let group = '';
    for (let k = 0; k < 5; k++, v = Math.floor(v / 85)) group = String.fromCharCode(33 + (v % 85)) + group;
    s += group + ((i >> 2) % 15 === 14 ? '\n' : '');
  }
  return Buffer.from(s);
}

function csv(rows: number): Buffer {
  const rnd = seeded(3);
  return Buffer.from(Array.from({ length: rows }, (_, i) => `${i},${(rnd() * 1e5).toFixed(2)},${(rnd() * 1e4).toFixed(2)},branch ${i % 17},2026-11-${String(1 + (i % 28)).padStart(2, '0')}\n`).join(''));
}

export function textTailCleanSamples(): Sample[] {
  const out: Sample[] = [];
  const add = (name: string, body: Buffer, filename = 'notes.txt', type = 'text/plain'): void => {
    out.push({ name, filename, type, body, expect: '' });
  };
  const zh = chinese(30_000);
  add('text-tail look-alike: Chinese prose in UTF-8', Buffer.from(zh));
  add('text-tail look-alike: Chinese prose in UTF-16LE with a BOM', Buffer.from(`\ufeff${zh}`, 'utf16le'));
  add('text-tail look-alike: Chinese prose in UTF-16BE without a BOM', iconv.encode(zh, 'utf-16be'));
  add('text-tail look-alike: Chinese prose in GB18030', iconv.encode(zh, 'gb18030'));
  add('text-tail look-alike: Chinese prose in Big5', iconv.encode(zh, 'big5'));
  // The widest spread of bytes these encodings take: every CJK character as likely as any other.
  add('text-tail look-alike: random CJK characters in UTF-16LE', Buffer.from(randomChars(0x4e00, 0x9fa5, 40_000), 'utf16le'));
  add('text-tail look-alike: random CJK characters in UTF-8', Buffer.from(randomChars(0x4e00, 0x9fa5, 40_000)));
  add('text-tail look-alike: random GB2312 characters in GB18030', iconv.encode(randomChars(0x4e00, 0x9fa5, 40_000), 'gb18030'));
  add('text-tail look-alike: random characters in Big5', iconv.encode(randomChars(0x4e00, 0x9fa5, 40_000), 'big5'));
  const stray = Buffer.from(prose(60_000));
  for (let i = 100; i < stray.length; i += 5000) stray[i] = 0x80 + (i % 120);
  add('text-tail look-alike: prose with a stray binary byte every 5 KB', stray);
  add('text-tail look-alike: a terminal recording with colours', Buffer.from(Array.from({ length: 2000 }, (_, i) => `\x1b[3${i % 8}m$ ls -la /var/log\x1b[0m\r\ntotal ${i}\r\n\x1b[1;32mdrwxr-xr-x\x1b[0m 2 root root 4096 app-${i}.log\r\n`).join('')), 'session.log');
  add('text-tail look-alike: CSV of amounts', csv(3000), 'amounts.csv', 'text/csv');
  // Text of 7 bits spread widely, but not evenly over more than 64 characters (1 Dec): hashes, tokens, base64, code.
  const rnd = seeded(13);
  const b64 = (n: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'): string => Array.from({ length: n }, () => alphabet[Math.floor(rnd() * 64)]).join('');
  const crypt = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  add('text-tail look-alike: bcrypt password hashes', Buffer.from(Array.from({ length: 1500 }, (_, i) => `user${i}:$2b$12$${b64(53, crypt)}`).join('\n')), 'passwd.txt');
  add('text-tail look-alike: argon2 password hashes', Buffer.from(Array.from({ length: 1000 }, (_, i) => `user${i}:$argon2id$v=19$m=65536,t=3,p=4$${b64(22)}$${b64(43)}`).join('\n')), 'hashes.txt');
  add('text-tail look-alike: sha512-crypt shadow lines', Buffer.from(Array.from({ length: 1000 }, (_, i) => `user${i}:$6$${b64(16, crypt)}$${b64(86, crypt)}:19000:0:99999:7:::`).join('\n')), 'shadow');
  const jwt = (i: number): string => `${Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: `user${i}`, iat: 1764547200 + i, scope: 'read write' })).toString('base64url')}.${b64(342, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')}`;
  add('text-tail look-alike: JSON web tokens', Buffer.from(Array.from({ length: 100 }, (_, i) => jwt(i)).join('\n')), 'tokens.txt');
  add('text-tail look-alike: a hex dump of text', Buffer.from(Array.from(prose(20_000).toString('hex').match(/.{32}/g)!, (l, i) => `${(i * 16).toString(16).padStart(8, '0')}: ${l.match(/..../g)!.join(' ')}`).join('\n')), 'dump.txt');
  add('text-tail look-alike: minified CSS', Buffer.from(Array.from({ length: 600 }, (_, i) => `.c${i.toString(36)}{margin:${i % 7}px ${i % 5}em;color:#${((i * 2654435761) >>> 8).toString(16).padStart(6, '0').slice(0, 6)};font:${10 + (i % 9)}px/1.${i % 10} sans-serif}`).join('')), 'site.min.css', 'text/css');
  // What archives carry beside their members, as tools write it.
  add('text-tail look-alike: a gzip padded with zeros to a 512-byte record', (() => {
    const g = zlib.gzipSync(prose(30_000));
    return Buffer.concat([g, Buffer.alloc(512 - (g.length % 512))]);
  })(), 'a.txt.gz', 'application/gzip');
  add('text-tail look-alike: a gzip with a BGZF extra field', gzipExtra(Buffer.from([0x42, 0x43, 2, 0, 0x34, 0x12])), 'a.txt.gz', 'application/gzip');
  add('text-tail look-alike: a zip with a comment', zipComment(Buffer.from('Quarterly figures, second release. Contact the records office for the previous one.\n'.repeat(20))), 'a.zip', 'application/zip');
  add('text-tail look-alike: zstd frames beside a skippable frame of sizes (pzstd)', Buffer.concat([skippable(Buffer.from([0x10, 0x27, 0, 0])), zstdRaw(prose(200)), skippable(Buffer.from([0x10, 0x27, 0, 0])), zstdRaw(prose(250))]), 'a.txt.zst', 'application/zstd');
  // Short lines (1 Dec), read joined: ids, codes and UUIDs one a line, a checksum file, PEM certificates and keys.
  const ids = (n: number, alphabet: string, len: number): string => Array.from({ length: n }, (_, i) => Array.from(encrypted(len, 20 + i), (x) => alphabet[x % alphabet.length]).join('')).join('\n');
  add('text-tail look-alike: voucher codes one a line', Buffer.from(ids(300, 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 16)), 'vouchers.txt');
  add('text-tail look-alike: base64 ids of 24 bytes one a line (32 columns, no padding)', Buffer.from(Array.from({ length: 400 }, (_, i) => encrypted(24, 500 + i).toString('base64')).join('\n')), 'ids.txt');
  add('text-tail look-alike: base64url ids one a line', Buffer.from(Array.from({ length: 300 }, (_, i) => encrypted(12, 40 + i).toString('base64url')).join('\n')), 'ids.txt');
  add('text-tail look-alike: a sha256 checksum file', Buffer.from(Array.from({ length: 200 }, (_, i) => `${encrypted(32, 60 + i).toString('hex')}  release-${i}.tar.gz`).join('\n')), 'SHA256SUMS');
  add('text-tail look-alike: product codes in CSV', Buffer.from(Array.from({ length: 300 }, (_, i) => `${i},${ids(1, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 12)},${(i * 7.3).toFixed(2)}`).join('\n')), 'codes.csv', 'text/csv');
  add('text-tail look-alike: a poem in short lines', Buffer.from('床前明月光，\n疑是地上霜。\n举头望明月，\n低头思故乡。\nThe woods are lovely, dark and deep,\nBut I have promises to keep,\n'.repeat(20)), 'poem.txt');
  add('text-tail look-alike: a bundle of PEM certificates', Buffer.from(pemBundle(4)), 'ca-bundle.pem', 'application/x-pem-file');
  // UUIDs one a line (1 Dec, binfast): their hex groups were joined into one sequence of random bytes and refused.
  add('text-tail look-alike: 10,000 UUIDs one a line (uuidgen)', Buffer.from(uuids(10_000, 4, 1).join('\n') + '\n'), 'ids.txt');
  add('text-tail look-alike: 500 UUIDs one a line, CRLF, upper case', Buffer.from(uuids(500, 4, 2).map((u) => u.toUpperCase()).join('\r\n') + '\r\n'), 'ids.csv', 'text/csv');
  add('text-tail look-alike: 100 time-ordered UUIDs (version 7) one a line', Buffer.from(uuids(100, 7, 3).join('\n') + '\n'), 'ids.txt');
  add('text-tail look-alike: 200 UUIDs on one line, apart by commas', Buffer.from(uuids(200, 4, 4).join(', ') + '\n'), 'ids.txt');
  add('text-tail look-alike: 40 time-based UUIDs (version 1) apart by spaces', Buffer.from(uuids(40, 1, 5).join(' ') + '\n'), 'ids.txt');
  add('text-tail look-alike: a shell installer with a tar.gz appended', Buffer.concat([Buffer.from(`#!/bin/sh\n${'# unpack the payload that follows\n'.repeat(200)}exit 0\n`), zlib.gzipSync(prose(50_000))]), 'install.sh', 'application/x-sh');
  return out;
}

/** `n` self-signed certificates and their public keys, PEM (each a 2048-bit RSA key). */
export function pemBundle(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    cert.serialNumber = `0${i + 1}`;
    cert.validity.notBefore = new Date('2026-01-01T00:00:00Z');
    cert.validity.notAfter = new Date('2036-01-01T00:00:00Z');
    const attrs = [{ name: 'commonName', value: `Records Office CA ${i}` }, { name: 'organizationName', value: 'Municipal Bureau' }];
    cert.setSubject(attrs);
    cert.setIssuer(attrs);
    cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()), forge.md.sha256.create());
    out.push(`# Records Office CA ${i}\n${forge.pki.certificateToPem(cert)}${publicKey.export({ type: 'spki', format: 'pem' }).toString()}`);
  }
  return out.join('\n');
}
