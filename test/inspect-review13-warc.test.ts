// review13 (2 Dec): HTTP messages in a web archive as servers send them. nginx writes `Transfer-Encoding: chunked`
// before `Content-Encoding: gzip`, and the codings were taken in the order of the fields: `chunked` was the
// content coding no decoder reads (uninspectable) and the gzip stream was broken (archive-broken), a false refusal
// of an ordinary crawl. A `100 Continue` (or `103 Early Hints`) before the final response was taken for the
// message's head: the final head and its br body were read as stored bytes, and a marking in it crossed.
// A record cut in segments was read as pieces apart: a marking cut between a response and its continuation crossed.
// A body stored de-chunked under `Transfer-Encoding: chunked` (crawlers that store what they decoded) was
// archive-broken; it is read as it is when its first line is no chunk size line (markup, binary, a long line).
// probes/review13/warc-probe.mjs.
import t from 'tap';
import zlib from 'node:zlib';
import { chunksOf, inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';
import { afterInterim, INTERIMS, nginx, page, plainResponse, SECRET, segmented, warc, warcinfo } from './review13-fixtures.js';

const FOUND = ['classified-marking:机密', 'personal-data:cn-resident-id'];

t.test('a chunked body whose Transfer-Encoding comes before its Content-Encoding is decoded (not refused)', async (t) => {
  for (const coding of ['gzip', 'br', 'deflate'] as const) {
    const clean = await inspectBytes(warc(nginx(page(), coding)), {}, { filename: 'crawl.warc', declaredType: 'application/warc' });
    t.same(kinds(clean.findings), [], `${coding}: an ordinary page is clean`);
    const marked = await inspectBytes(warc(nginx(page(SECRET), coding)), {}, { filename: 'crawl.warc', declaredType: 'application/warc' });
    t.same(kinds(marked.findings), FOUND, `${coding}: a marked page is read`);
  }
});

t.test('the final response after an interim one is the message: its body is decoded', async (t) => {
  for (const [name, interim] of Object.entries(INTERIMS)) {
    const marked = warc(afterInterim(page(SECRET), interim));
    t.same(kinds((await inspectBytes(marked, {}, { filename: 'crawl.warc', declaredType: 'application/warc' })).findings), FOUND, `${name}: a marked br page is read`);
    t.same(kinds((await inspectChunks(chunksOf(marked, 7), {}, { filename: 'crawl.warc', declaredType: 'application/warc' })).findings), FOUND, `${name}: in pieces of 7 bytes`);
    const clean = await inspectBytes(warc(afterInterim(page(), interim)), {}, { filename: 'crawl.warc', declaredType: 'application/warc' });
    t.same(kinds(clean.findings), [], `${name}: an ordinary page is clean`);
  }
  const only = await inspectBytes(warc(Buffer.from('HTTP/1.1 100 Continue\r\n\r\n')), {}, { filename: 'crawl.warc', declaredType: 'application/warc' });
  t.same(kinds(only.findings), [], 'a record of an interim response alone is clean');
});

t.test('101 Switching Protocols is the message: what follows is read as it is', async (t) => {
  const ws = Buffer.concat([Buffer.from('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'), Buffer.from([0x81, 0x7e, 0x00, Buffer.byteLength(SECRET)]), Buffer.from(SECRET)]);
  const r = await inspectBytes(warc(ws), {}, { filename: 'crawl.warc', declaredType: 'application/warc' });
  t.ok(kinds(r.findings).includes('classified-marking:机密'), 'the marking in the frames is read');
});

t.test('a record cut in segments is read whole', async (t) => {
  const { http, mid } = plainResponse(page(SECRET));
  const at = { filename: 'crawl.warc', declaredType: 'application/warc' };
  t.same(kinds((await inspectBytes(segmented(http, [mid]), {}, at)).findings), FOUND, 'two segments, cut inside 机密');
  t.same(kinds((await inspectBytes(segmented(http, [mid - 200, mid, mid + 2]), {}, at)).findings), FOUND, 'four segments, cut inside the marking and the id');
  t.same(kinds((await inspectChunks(chunksOf(segmented(http, [mid]), 11), {}, at)).findings), FOUND, 'in pieces of 11 bytes');
  const br = zlib.brotliCompressSync(page(SECRET));
  const brHttp = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Length: ${br.length}\r\n\r\n`), br]);
  t.same(kinds((await inspectBytes(segmented(brHttp, [brHttp.length - 40]), {}, at)).findings), FOUND, 'a br body cut in two segments');
  const clean = plainResponse(page());
  t.same(kinds((await inspectBytes(segmented(clean.http, [clean.http.length >> 1]), {}, at)).findings), [], 'an ordinary page in segments is clean');
  const first = segmented(clean.http, [clean.http.length >> 1]);
  const cut = first.indexOf('WARC-Type: continuation') - 'WARC/1.0\r\n'.length;
  t.same(kinds((await inspectBytes(first.subarray(0, cut), {}, at)).findings), [], 'a first segment alone (its continuation in another file) is clean');
  t.same(kinds((await inspectBytes(Buffer.concat([first.subarray(0, cut), warcinfo, first.subarray(cut)]), {}, at)).findings), [], 'a record between the segments: each read as far as it goes');
});

t.test('a body stored de-chunked under Transfer-Encoding: chunked is read as it is', async (t) => {
  const at = { filename: 'crawl.warc', declaredType: 'application/warc' };
  const head = (codings: string): Buffer => Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n${codings}Transfer-Encoding: chunked\r\n\r\n`);
  t.same(kinds((await inspectBytes(warc(Buffer.concat([head(''), page()])), {}, at)).findings), [], 'an ordinary page is clean');
  t.same(kinds((await inspectBytes(warc(Buffer.concat([head(''), page(SECRET)])), {}, at)).findings), FOUND, 'a marked page is read');
  t.same(kinds((await inspectChunks(chunksOf(warc(Buffer.concat([head(''), page(SECRET)])), 5), {}, at)).findings), FOUND, 'in pieces of 5 bytes');
  t.same(kinds((await inspectBytes(warc(Buffer.concat([head('Content-Encoding: gzip\r\n'), zlib.gzipSync(page(SECRET))])), {}, at)).findings), FOUND, 'a gzip body stored de-chunked');
  t.same(kinds((await inspectBytes(warc(Buffer.concat([head(''), Buffer.from('<p>短</p>')])), {}, at)).findings), [], 'a body shorter than a line');
  const broken = warc(Buffer.concat([head(''), Buffer.from('zz\r\nabc\r\n0\r\n\r\n')]));
  t.ok(kinds((await inspectBytes(broken, {}, at)).findings).includes('archive-broken'), 'a size line that is not hex stays archive-broken');
});
