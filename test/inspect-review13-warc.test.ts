// review13 (2 Dec): HTTP messages in a web archive as servers send them. nginx writes `Transfer-Encoding: chunked`
// before `Content-Encoding: gzip`, and the codings were taken in the order of the fields: `chunked` was the
// content coding no decoder reads (uninspectable) and the gzip stream was broken (archive-broken), a false refusal
// of an ordinary crawl. A `100 Continue` (or `103 Early Hints`) before the final response was taken for the
// message's head: the final head and its br body were read as stored bytes, and a marking in it crossed.
// probes/review13/warc-probe.mjs.
import t from 'tap';
import zlib from 'node:zlib';
import { chunksOf, inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';

const SECRET = '<p>密级：机密★10年</p><p>经办人身份证 110101199003077715</p>';
const FOUND = ['classified-marking:机密', 'personal-data:cn-resident-id'];

function record(type: string, block: Buffer, contentType: string): Buffer {
  const head = `WARC/1.0\r\nWARC-Type: ${type}\r\nWARC-Target-URI: https://www.gov.cn/zhengce/1.html\r\nWARC-Date: 2026-12-02T08:00:00Z\r\nContent-Type: ${contentType}\r\nContent-Length: ${block.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), block, Buffer.from('\r\n\r\n')]);
}

function page(extra = ''): Buffer {
  return Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知</title></head><body>${'<p>关于做好年度工作总结的通知。各单位要认真组织，按时报送。</p>'.repeat(12)}${extra}</body></html>`);
}

function chunked(b: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let p = 0; p < b.length; p += 97) {
    const c = b.subarray(p, p + 97);
    parts.push(Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

const warcinfo = record('warcinfo', Buffer.from('software: Heritrix/3.4.0\r\nformat: WARC File Format 1.0\r\n'), 'application/warc-fields');
const warc = (http: Buffer): Buffer => Buffer.concat([warcinfo, record('response', http, 'application/http; msgtype=response')]);

/** nginx's order: Transfer-Encoding, then Content-Encoding. */
function nginx(body: Buffer, coding: 'gzip' | 'br' | 'deflate'): Buffer {
  const enc = coding === 'gzip' ? zlib.gzipSync(body) : coding === 'br' ? zlib.brotliCompressSync(body) : zlib.deflateSync(body);
  return Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\nContent-Encoding: ${coding}\r\n\r\n`), chunked(enc)]);
}

function afterInterim(body: Buffer, interim: string): Buffer {
  const br = zlib.brotliCompressSync(body);
  return Buffer.concat([Buffer.from(`${interim}HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: br\r\nContent-Length: ${br.length}\r\n\r\n`), br]);
}

const INTERIMS: Record<string, string> = {
  '100 Continue': 'HTTP/1.1 100 Continue\r\n\r\n',
  '103 Early Hints': 'HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n',
  'two interims': 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n',
};

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
