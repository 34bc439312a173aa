// WARC records cut by their crawler (the closing note of 2 Dec, false refusals): wget and Heritrix stop a response
// past their size or time limit and write what they have, with `WARC-Truncated: length` (or `time`). A gzip or br
// body so cut ended before its stream's end and the record was refused archive-broken. Such a body is now read up
// to the cut when the record says it was cut; a body cut where the record does not say so, bytes that do not
// decode before the cut, a broken chunk framing, a cut zstd body (its decoder gives nothing of a block it lacks)
// and a WARC file cut short are still archive-broken.
import t from 'tap';
import zlib from 'node:zlib';
import { chunksOf, inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';

const SECRET = '<p>密级：机密★10年</p><p>经办人身份证 110101199003077715</p>';
const FOUND = ['classified-marking:机密', 'personal-data:cn-resident-id'];
const WARC = { filename: 'crawl.warc', declaredType: 'application/warc' };
const HTTP_RESPONSE = 'application/http; msgtype=response';

let seq = 0;
function record(type: string, block: Buffer, contentType: string, extra = ''): Buffer {
  seq++;
  const head =
    `WARC/1.0\r\nWARC-Type: ${type}\r\nWARC-Target-URI: https://www.gov.cn/zhengce/${seq}.html\r\nWARC-Date: 2026-12-02T08:00:00Z\r\n` +
    `WARC-Record-ID: <urn:uuid:5d2a0c1e-7b3f-4e5d-8a9c-${String(seq).padStart(12, '0')}>\r\n${extra}Content-Type: ${contentType}\r\nContent-Length: ${block.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), block, Buffer.from('\r\n\r\n')]);
}

/** A long page (some 70 KiB), as a crawler cuts at its limit; `inner` goes a sixth of the way in. */
function longPage(inner = ''): Buffer {
  const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => `<tr><td>${from + i}</td><td>关于做好年度工作总结的通知，各单位要认真组织，按时报送。第${from + i}条</td></tr>`).join('');
  return Buffer.from(`<!DOCTYPE html><html><body><table>${rows(0, 100)}</table>${inner}<table>${rows(100, 500)}</table></body></html>`);
}

function chunked(b: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let p = 0; p < b.length; p += 4000) {
    const c = b.subarray(p, p + 4000);
    parts.push(Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

type Coding = 'gzip' | 'br' | 'deflate' | 'chunked' | 'chunked-gzip' | 'gzip,br' | 'zstd' | 'zstd-literals';

function encode(body: Buffer, coding: Coding): [Buffer, string] {
  if (coding === 'gzip') return [zlib.gzipSync(body), 'Content-Encoding: gzip\r\n'];
  if (coding === 'br') return [zlib.brotliCompressSync(body), 'Content-Encoding: br\r\n'];
  if (coding === 'deflate') return [zlib.deflateSync(body), 'Content-Encoding: deflate\r\n'];
  if (coding === 'chunked') return [chunked(body), 'Transfer-Encoding: chunked\r\n'];
  if (coding === 'chunked-gzip') return [chunked(zlib.gzipSync(body)), 'Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n'];
  if (coding === 'gzip,br') return [zlib.brotliCompressSync(zlib.gzipSync(body)), 'Content-Encoding: gzip, br\r\n'];
  return [coding === 'zstd' ? zstdRawBlocks(body) : zstdLiteralBlocks(body), 'Content-Encoding: zstd\r\n'];
}

/** A zstd frame of raw blocks of 32 KiB (RFC 8878 §3.1.1: single segment, a 4-byte content size). */
function zstdRawBlocks(data: Buffer): Buffer {
  return zstdFrame(data, (block) => [0, block]);
}

/** The same frame of compressed blocks that hold their data as raw literals and no sequences (§3.1.1.3). */
function zstdLiteralBlocks(data: Buffer): Buffer {
  return zstdFrame(data, (block) => {
    const lh = Buffer.from([(3 << 2) | ((block.length & 0xf) << 4), (block.length >> 4) & 0xff, block.length >> 12]); // raw literals, 20-bit size
    return [2, Buffer.concat([lh, block, Buffer.from([0])])]; // Number_of_Sequences 0
  });
}

function zstdFrame(data: Buffer, body: (block: Buffer) => [number, Buffer]): Buffer {
  const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xa0]), Buffer.alloc(4)];
  parts[1]!.writeUInt32LE(data.length);
  for (let p = 0; p < data.length; p += 32768) {
    const [type, content] = body(data.subarray(p, p + 32768));
    const bh = Buffer.alloc(3);
    bh.writeUIntLE((content.length << 3) | (type << 1) | (p + 32768 >= data.length ? 1 : 0), 0, 3);
    parts.push(bh, content);
  }
  return Buffer.concat(parts);
}

/** A response whose stored body keeps `keep` of the encoded body (the crawler's cut), the rest of the crawl whole. */
function crawl(coding: Coding, keep: number, truncated: string | null, inner = '', damage?: (body: Buffer) => void): Buffer {
  const [full, fields] = encode(longPage(inner), coding);
  const body = Buffer.from(full.subarray(0, Math.floor(full.length * keep)));
  damage?.(body);
  const http = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html; charset=utf-8\r\n${fields}Vary: Accept-Encoding\r\n\r\n`), body]);
  const cut = truncated ? `WARC-Truncated: ${truncated}\r\n` : '';
  return Buffer.concat([
    record('warcinfo', Buffer.from('software: Wget/1.21.3\r\nformat: WARC File Format 1.0\r\n'), 'application/warc-fields'),
    record('request', Buffer.from('GET /zhengce/long.html HTTP/1.1\r\nHost: www.gov.cn\r\nAccept-Encoding: gzip, br\r\n\r\n'), 'application/http; msgtype=request'),
    record('response', http, HTTP_RESPONSE, cut),
    record('response', Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n'), zlib.gzipSync(longPage())]), HTTP_RESPONSE),
  ]);
}

const ZLIB_CODINGS: Coding[] = ['gzip', 'br', 'deflate', 'chunked', 'chunked-gzip', 'gzip,br'];

t.test('a response cut by the crawler, WARC-Truncated: length or time, is clean in every coding', async (t) => {
  for (const coding of ZLIB_CODINGS) {
    for (const why of ['length', 'time']) {
      const warc = crawl(coding, 0.6, why);
      t.same(kinds((await inspectBytes(warc, {}, WARC)).findings), [], `${coding}, ${why}: clean`);
      t.same(kinds((await inspectChunks(chunksOf(warc, 1000), {}, WARC)).findings), [], `${coding}, ${why}: clean in chunks of 1000 bytes`);
    }
  }
  const gz = Buffer.concat([zlib.gzipSync(crawl('br', 0.5, 'length'))]);
  t.same(kinds((await inspectBytes(gz, {}, { filename: 'crawl.warc.gz', declaredType: 'application/gzip' })).findings), [], 'in a .warc.gz');
});

t.test('what a cut body holds before the cut is read', async (t) => {
  for (const coding of ZLIB_CODINGS) {
    // (Cut at 0.8: a br of a gzip of this page gives only its first sixth from 0.6 of its bytes.)
    t.same(kinds((await inspectBytes(crawl(coding, 0.8, 'length', SECRET), {}, WARC)).findings), FOUND, `${coding}: found`);
  }
});

t.test('a body cut where the record does not say so stays archive-broken', async (t) => {
  for (const coding of ZLIB_CODINGS) {
    t.ok(kinds((await inspectBytes(crawl(coding, 0.6, null), {}, WARC)).findings).includes('archive-broken'), `${coding}: archive-broken`);
  }
  // The field present but empty says nothing.
  t.ok(kinds((await inspectBytes(crawl('br', 0.6, ''), {}, WARC)).findings).includes('archive-broken'), 'an empty WARC-Truncated');
});

t.test('a record that says it was cut is still broken where its decoder refuses bytes before the cut, or its chunks are not chunks', async (t) => {
  // (Deflate has no check before its end: bytes changed inside a Huffman block mostly inflate to other bytes,
  // which are read as what they make. A header that is not one is refused at once.)
  const damages: [Coding, (b: Buffer) => void][] = [
    ['gzip', (b) => void (b[2] = 7)], // a compression method other than deflate
    ['deflate', (b) => void (b[1] = b[1]! ^ 1)], // the zlib header's check
    ['br', (b) => void b.fill(0xff, Math.floor(b.length / 2), Math.floor(b.length / 2) + 64)],
    ['chunked-gzip', (b) => void (b[5 + 2] = 7)], // past the first size line
  ];
  for (const [coding, damage] of damages) {
    t.ok(kinds((await inspectBytes(crawl(coding, 0.9, 'length', '', damage), {}, WARC)).findings).includes('archive-broken'), `${coding}: refused before the cut`);
  }
  const badSize = (b: Buffer) => void b.write('zz\r\n', 4000 + 2 + 2 + 4, 'latin1'); // the second chunk's size line
  t.ok(kinds((await inspectBytes(crawl('chunked', 0.6, 'length', '', badSize), {}, WARC)).findings).includes('archive-broken'), 'a chunk size that is not hex');
  const warc = crawl('gzip', 0.6, 'length');
  t.ok(kinds((await inspectBytes(warc.subarray(0, warc.length - 3000), {}, WARC)).findings).includes('archive-broken'), 'the WARC file itself cut');
});

// ways12: a cut zstd body was archive-broken, truncated or not (fzstd gives nothing of a block it lacks whole).
// Cut where the record says so, its whole blocks are read, a cut raw block's bytes as a streaming decoder writes
// them, and a cut compressed block's raw literals; cut where it does not say so it is still archive-broken.
t.test('a cut zstd body is read up to the cut when the record says it was cut', async (t) => {
  t.same(kinds((await inspectBytes(crawl('zstd', 1, 'length'), {}, WARC)).findings), [], 'a whole zstd body is clean');
  t.same(kinds((await inspectBytes(crawl('zstd', 0.6, 'length'), {}, WARC)).findings), [], 'cut: clean');
  t.same(kinds((await inspectChunks(chunksOf(crawl('zstd', 0.6, 'length'), 1000), {}, WARC)).findings), [], 'cut: clean in chunks of 1000 bytes');
  t.same(kinds((await inspectBytes(crawl('zstd', 0.3, 'length', SECRET), {}, WARC)).findings), FOUND, 'a marking in the cut raw block: found');
  t.same(kinds((await inspectBytes(crawl('zstd-literals', 1, null), {}, WARC)).findings), [], 'compressed blocks whole: clean');
  t.same(kinds((await inspectBytes(crawl('zstd-literals', 1, null, SECRET), {}, WARC)).findings), FOUND, 'compressed blocks whole: a marking found');
  t.same(kinds((await inspectBytes(crawl('zstd-literals', 0.6, 'length'), {}, WARC)).findings), [], 'compressed blocks cut: clean');
  t.same(kinds((await inspectBytes(crawl('zstd-literals', 0.3, 'length', SECRET), {}, WARC)).findings), FOUND, 'a marking in the cut compressed block\'s literals: found');
  t.ok(kinds((await inspectBytes(crawl('zstd', 0.6, null), {}, WARC)).findings).includes('archive-broken'), 'cut where the record does not say so: archive-broken');
  t.ok(kinds((await inspectBytes(crawl('zstd-literals', 0.6, null), {}, WARC)).findings).includes('archive-broken'), 'compressed blocks cut where the record does not say so: archive-broken');
});

/** A `resource` record (a file as fetched, not HTTP) of `file` cut to `keep` of it. */
function resource(file: Buffer, keep: number, truncated: string | null): Buffer {
  const cut = truncated ? `WARC-Truncated: ${truncated}\r\n` : '';
  return Buffer.concat([
    record('warcinfo', Buffer.from('software: Wget/1.21.3\r\nformat: WARC File Format 1.0\r\n'), 'application/warc-fields'),
    record('resource', file.subarray(0, Math.floor(file.length * keep)), 'application/gzip', cut),
    record('resource', Buffer.from('<p>关于做好年度工作总结的通知</p>'), 'text/html'),
  ]);
}

t.test('a cut gzip or zstd resource record is read up to the cut when the record says it was cut', async (t) => {
  for (const [name, file] of [['gzip', zlib.gzipSync(longPage())], ['zstd', zstdRawBlocks(longPage())]] as const) {
    t.same(kinds((await inspectBytes(resource(file, 0.6, 'length'), {}, WARC)).findings), [], `${name}: cut, clean`);
    t.same(kinds((await inspectChunks(chunksOf(resource(file, 0.6, 'length'), 7), {}, WARC)).findings), [], `${name}: cut, clean in chunks of 7 bytes`);
    t.ok(kinds((await inspectBytes(resource(file, 0.6, null), {}, WARC)).findings).includes('archive-broken'), `${name}: cut where the record does not say so: archive-broken`);
  }
  t.same(kinds((await inspectBytes(resource(zlib.gzipSync(longPage(SECRET)), 0.8, 'length'), {}, WARC)).findings), FOUND, 'gzip: a marking before the cut is read');
  t.same(kinds((await inspectBytes(resource(Buffer.from(longPage(SECRET)), 0.8, 'length'), {}, WARC)).findings), FOUND, 'a cut page that is no stream is read as it is');
  t.same(kinds((await inspectBytes(resource(Buffer.from([0x1f, 0x8b]), 1, 'length'), {}, WARC)).findings), [], 'a block of two bytes');
});
