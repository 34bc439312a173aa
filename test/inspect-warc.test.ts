// Web archives (WARC, ISO 28500) and brotli where it is declared (fpfix3, probes/fpfix3/warc-brotli-probe.mjs and
// false-refusals-probe.mjs): a WARC was read as text, so that a gzip body found by its signature ran on into the
// next record's header (archive-broken, a false refusal of an ordinary crawl), a .warc declared application/warc
// was refused type-mismatch, and a page in Content-Encoding br (no signature, a few hundred bytes: under the
// entropy judgement's reach) crossed with a marking and an id in it. Made here as crawlers write them: records
// walked by Content-Length, HTTP bodies in every coding, a .warc.gz of a gzip member per record.
import t from 'tap';
import zlib from 'node:zlib';
import { chunksOf, inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';
import { chunked } from './review13-fixtures.js';

const SECRET = '<p>密级：机密★10年</p><p>经办人身份证 110101199003077715</p>';
const FOUND = ['classified-marking:机密', 'personal-data:cn-resident-id'];
// Look-alikes that are not markings, and ordinary numbers.
const LOOKALIKE = '<p>商业秘密保护，保密协议，机密性要求；工作秘密不得外传。联系电话 010-66012345，文号 国办发〔2024〕12号。</p>';

let seq = 0;
function record(type: string, block: Buffer, contentType: string, extra = ''): Buffer {
  seq++;
  const head =
    `WARC/1.0\r\nWARC-Type: ${type}\r\nWARC-Target-URI: https://www.gov.cn/zhengce/${seq}.html\r\nWARC-Date: 2026-12-02T08:00:${String(seq % 60).padStart(2, '0')}Z\r\n` +
    `WARC-Record-ID: <urn:uuid:3f1c0b2e-8d4a-4f6e-9b1a-${String(seq).padStart(12, '0')}>\r\nWARC-IP-Address: 203.119.25.1\r\n` +
    `WARC-Block-Digest: sha1:UZY6ND6CCHXETFVJD2MSS7ZENMWF7KQ2\r\n${extra}Content-Type: ${contentType}\r\nContent-Length: ${block.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), block, Buffer.from('\r\n\r\n')]);
}

function page(i: number, extra = ''): Buffer {
  return Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知 ${i}</title></head><body>${'<p>关于做好年度工作总结的通知。各单位要认真组织，按时报送。</p>'.repeat(8)}${extra}</body></html>`);
}

type Coding = 'identity' | 'gzip' | 'br' | 'deflate' | 'raw-deflate' | 'chunked' | 'chunked-br' | 'gzip,br';

function httpResponse(body: Buffer, coding: Coding): Buffer {
  let b = body;
  let fields = '';
  if (coding === 'gzip') [b, fields] = [zlib.gzipSync(body), 'Content-Encoding: gzip\r\n'];
  if (coding === 'br') [b, fields] = [zlib.brotliCompressSync(body), 'Content-Encoding: br\r\n'];
  if (coding === 'deflate') [b, fields] = [zlib.deflateSync(body), 'Content-Encoding: deflate\r\n'];
  if (coding === 'raw-deflate') [b, fields] = [zlib.deflateRawSync(body), 'Content-Encoding: deflate\r\n'];
  if (coding === 'gzip,br') [b, fields] = [zlib.brotliCompressSync(zlib.gzipSync(body)), 'Content-Encoding: gzip, br\r\n'];
  if (coding === 'chunked') [b, fields] = [chunked(body), 'Transfer-Encoding: chunked\r\n'];
  if (coding === 'chunked-br') [b, fields] = [chunked(zlib.brotliCompressSync(body)), 'Content-Encoding: br\r\nTransfer-Encoding: chunked\r\n'];
  const length = coding.startsWith('chunked') ? '' : `Content-Length: ${b.length}\r\n`;
  return Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Wed, 02 Dec 2026 08:00:00 GMT\r\nContent-Type: text/html; charset=utf-8\r\n${fields}${length}Vary: Accept-Encoding\r\n\r\n`), b]);
}

const HTTP_RESPONSE = 'application/http; msgtype=response';

/** A crawl: warcinfo, then for each page a request and its response, and a metadata record. */
function crawlRecords(coding: Coding, secretIn = -1): Buffer[] {
  const recs = [record('warcinfo', Buffer.from('software: Heritrix/3.4.0\r\nformat: WARC File Format 1.0\r\nhostname: crawler-01\r\n'), 'application/warc-fields')];
  for (let i = 0; i < 3; i++) {
    recs.push(record('request', Buffer.from(`GET /zhengce/${i}.html HTTP/1.1\r\nHost: www.gov.cn\r\nAccept-Encoding: gzip, deflate, br\r\nUser-Agent: Mozilla/5.0\r\n\r\n`), 'application/http; msgtype=request'));
    recs.push(record('response', httpResponse(page(i, i === secretIn ? SECRET : i === 2 ? LOOKALIKE : ''), coding), HTTP_RESPONSE, 'WARC-Payload-Digest: sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ\r\n'));
    recs.push(record('metadata', Buffer.from(`via: https://www.gov.cn/\r\nhopsFromSeed: L\r\nfetchTimeMs: ${120 + i}\r\n`), 'application/warc-fields'));
  }
  return recs;
}

const CODINGS: Coding[] = ['identity', 'gzip', 'br', 'deflate', 'raw-deflate', 'chunked', 'chunked-br', 'gzip,br'];
const WARC = { filename: 'crawl.warc', declaredType: 'application/warc' };

t.test('ordinary crawls in every body coding are clean, declared application/warc', async (t) => {
  for (const coding of CODINGS) {
    const warc = Buffer.concat(crawlRecords(coding));
    const r = await inspectBytes(warc, {}, WARC);
    t.equal(r.sniffedType, 'application/warc', `${coding}: typed a WARC`);
    t.same(kinds(r.findings), [], `${coding}: clean`);
    // Where chunks end does not change the reading (a header, a chunk size line or a body cut between chunks).
    const split = await inspectChunks(chunksOf(warc, 61), {}, WARC);
    t.same(kinds(split.findings), [], `${coding}: clean in chunks of 61 bytes`);
  }
});

t.test('a WARC 1.1 declared as octet-stream or application/x-warc, and a .warc.gz per record, are clean', async (t) => {
  const warc11 = Buffer.from(Buffer.concat(crawlRecords('br')).toString('latin1').replaceAll('WARC/1.0\r\n', 'WARC/1.1\r\n'), 'latin1');
  t.same(kinds((await inspectBytes(warc11, {}, { filename: 'crawl.warc', declaredType: 'application/octet-stream' })).findings), []);
  t.same(kinds((await inspectBytes(warc11, {}, { filename: 'crawl.warc', declaredType: 'application/x-warc' })).findings), []);
  for (const coding of ['gzip', 'br', 'identity'] as const) {
    const gz = Buffer.concat(crawlRecords(coding).map((r) => zlib.gzipSync(r)));
    for (const declaredType of ['application/gzip', 'application/warc']) {
      const r = await inspectBytes(gz, {}, { filename: 'crawl.warc.gz', declaredType });
      t.same(kinds(r.findings), [], `.warc.gz, bodies ${coding}, declared ${declaredType}: clean`);
    }
  }
});

t.test('a revisit of headers only, a 304 and a HEAD answer with a coding but no body, are clean', async (t) => {
  const revisit = record('revisit', Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: br\r\nContent-Length: 4120\r\n\r\n'), HTTP_RESPONSE, 'WARC-Profile: http://netpreserve.org/warc/1.0/revisit/identical-payload-digest\r\n');
  const notModified = record('response', Buffer.from('HTTP/1.1 304 Not Modified\r\nContent-Encoding: gzip\r\nETag: "5f3e-1a2b"\r\n\r\n'), HTTP_RESPONSE);
  const chunkedEmpty = record('response', Buffer.from('HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'), HTTP_RESPONSE);
  const r = await inspectBytes(Buffer.concat([...crawlRecords('br'), revisit, notModified, chunkedEmpty]), {}, WARC);
  t.same(kinds(r.findings), []);
});

t.test('a marking and an id in a body are found in every coding', async (t) => {
  for (const coding of CODINGS) {
    const warc = Buffer.concat(crawlRecords(coding, 1));
    const r = await inspectBytes(warc, {}, WARC);
    t.same(kinds(r.findings), FOUND, `${coding}: found`);
    const split = await inspectChunks(chunksOf(warc, 61), {}, WARC);
    t.same(kinds(split.findings), FOUND, `${coding}: found in chunks of 61 bytes`);
  }
});

t.test('the probe: a br page of a few hundred bytes with a marking, declared octet-stream', async (t) => {
  const small = (extra: string) => Buffer.concat([0, 1, 2].map((i) => record('response', httpResponse(Buffer.from(`<html><body><p>通知 ${i}</p>${i === 1 ? extra : ''}</body></html>`), 'br'), HTTP_RESPONSE)));
  t.same(kinds((await inspectBytes(small(''), {}, { filename: 'c.warc', declaredType: 'application/octet-stream' })).findings), []);
  t.same(kinds((await inspectBytes(small(SECRET), {}, { filename: 'c.warc', declaredType: 'application/octet-stream' })).findings), FOUND);
});

t.test('a .warc.gz with a marking in a br body, in a gzip body', async (t) => {
  for (const coding of ['br', 'gzip', 'chunked-br'] as const) {
    const gz = Buffer.concat(crawlRecords(coding, 2).map((r) => zlib.gzipSync(r)));
    t.same(kinds((await inspectBytes(gz, {}, { filename: 'crawl.warc.gz', declaredType: 'application/gzip' })).findings), FOUND, coding);
  }
});

t.test('a marking in a record header, an HTTP header field, and a non-HTTP record', async (t) => {
  const clean = crawlRecords('identity');
  const inWarcHeader = record('resource', Buffer.from('ok'), 'text/plain', 'WARC-Warcinfo-Note: 机密★10年\r\n');
  t.same(kinds((await inspectBytes(Buffer.concat([...clean, inWarcHeader]), {}, WARC)).findings), ['classified-marking:机密'], 'WARC header');
  const inHttpHeader = record('response', Buffer.from('HTTP/1.1 200 OK\r\nX-Note: 机密★10年\r\nContent-Length: 2\r\n\r\nok'), HTTP_RESPONSE);
  t.same(kinds((await inspectBytes(Buffer.concat([...clean, inHttpHeader]), {}, WARC)).findings), ['classified-marking:机密'], 'HTTP header');
  const resource = record('resource', zlib.gzipSync(Buffer.from(SECRET)), 'application/gzip');
  t.same(kinds((await inspectBytes(Buffer.concat([...clean, resource]), {}, WARC)).findings), FOUND, 'resource record of a gzip');
});

t.test('what cannot be decoded is a finding, never silence', async (t) => {
  const clean = crawlRecords('identity');
  const withResponse = (block: Buffer) => Buffer.concat([...clean, record('response', block, HTTP_RESPONSE)]);
  const br = zlib.brotliCompressSync(page(9, SECRET));
  const head = (fields: string) => Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n${fields}\r\n`);
  // A br stream cut short, and one with bytes changed in its middle.
  const cut = withResponse(Buffer.concat([head('Content-Encoding: br\r\n'), br.subarray(0, br.length - 20)]));
  t.ok(kinds((await inspectBytes(cut, {}, WARC)).findings).includes('archive-broken'), 'a cut br body is archive-broken');
  const bad = Buffer.from(br);
  for (let i = 8; i < 40; i++) bad[i] = 0xff;
  t.ok(kinds((await inspectBytes(withResponse(Buffer.concat([head('Content-Encoding: br\r\n'), bad])), {}, WARC)).findings).includes('archive-broken'), 'a corrupt br body is archive-broken');
  const junk = Buffer.from('这不是压缩数据，只是普通文字。'.repeat(3));
  t.ok(kinds((await inspectBytes(withResponse(Buffer.concat([head('Content-Encoding: gzip\r\n'), junk])), {}, WARC)).findings).includes('archive-broken'), 'a gzip body that is not gzip is archive-broken');
  const unknown = withResponse(Buffer.concat([head('Content-Encoding: x-secret-pack\r\n'), br]));
  t.ok(kinds((await inspectBytes(unknown, {}, WARC)).findings).includes('uninspectable:content-encoding'), 'an unknown coding is uninspectable');
  const badChunks = withResponse(Buffer.concat([head('Transfer-Encoding: chunked\r\n'), Buffer.from('zz\r\nabc\r\n0\r\n\r\n')]));
  t.ok(kinds((await inspectBytes(badChunks, {}, WARC)).findings).includes('archive-broken'), 'a broken chunk framing is archive-broken');
  const full = Buffer.concat(clean);
  t.ok(kinds((await inspectBytes(full.subarray(0, full.length - 200), {}, WARC)).findings).includes('archive-broken'), 'a truncated WARC is archive-broken');
  const noLength = Buffer.concat([...clean, Buffer.from('WARC/1.0\r\nWARC-Type: resource\r\n\r\n机密★10年')]);
  t.ok(kinds((await inspectBytes(noLength, {}, WARC)).findings).includes('archive-broken'), 'a record with no Content-Length is archive-broken');
  const between = Buffer.concat([...clean, Buffer.from('hidden bytes between records\r\n'), ...crawlRecords('identity')]);
  t.ok(kinds((await inspectBytes(between, {}, WARC)).findings).includes('archive-broken'), 'bytes between records are archive-broken');
});

t.test('brotli where it is declared: a .br file, application/x-brotli', async (t) => {
  const small = zlib.brotliCompressSync(Buffer.from(`<p>通知</p>${SECRET}`));
  t.same(kinds((await inspectBytes(small, {}, { filename: 'page.html.br', declaredType: 'application/octet-stream' })).findings), FOUND, '.br with a marking');
  t.same(kinds((await inspectBytes(small, {}, { filename: 'blob', declaredType: 'application/x-brotli' })).findings), FOUND, 'declared application/x-brotli');
  const clean = zlib.brotliCompressSync(Buffer.from(`<p>通知</p>${LOOKALIKE}`));
  t.same(kinds((await inspectBytes(clean, {}, { filename: 'page.html.br', declaredType: 'application/octet-stream' })).findings), [], 'a clean .br');
  const notBrotli = Buffer.from(small);
  notBrotli.fill(0xff, 4, 30);
  t.ok(kinds((await inspectBytes(notBrotli, {}, { filename: 'page.html.br' })).findings).includes('archive-broken'), 'a .br that does not decode is archive-broken');
});
