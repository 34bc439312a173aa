import zlib from 'node:zlib';
import { inspectBytes, kinds, residentId } from '../../dist/test/inspect-fixtures.js';
const rec = (type, block, ct = 'application/http; msgtype=response', extra = '') => Buffer.concat([Buffer.from(`WARC/1.0\r\nWARC-Type: ${type}\r\nWARC-Target-URI: https://x/1\r\n${ct ? `Content-Type: ${ct}\r\n` : ''}${extra}Content-Length: ${block.length}\r\n\r\n`), block, Buffer.from('\r\n\r\n')]);
const page = (extra) => Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知</title></head><body>${'<p>关于做好年度工作总结的通知。各单位要认真组织，按时报送。</p>'.repeat(40)}${extra}</body></html>`);
const chunked = (b, n = 100) => { const out = []; for (let i = 0; i < b.length; i += n) { const c = b.subarray(i, i + n); out.push(Buffer.from(c.length.toString(16) + '\r\n'), c, Buffer.from('\r\n')); } out.push(Buffer.from('0\r\n\r\n')); return Buffer.concat(out); };
const warcinfo = rec('warcinfo', Buffer.from('software: wget\r\nformat: WARC File Format 1.0\r\n'), 'application/warc-fields');
const MARK = '<p>密级：机密★10年</p>';
const cases = {
  'TE before CE gzip': (x) => Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n'), chunked(zlib.gzipSync(page(x)))]),
  'TE before CE br': (x) => Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: br\r\n\r\n'), chunked(zlib.brotliCompressSync(page(x)))]),
  'TE chunked but body de-chunked': (x) => Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n'), page(x)]),
  '100 continue then br': (x) => Buffer.concat([Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n'), zlib.brotliCompressSync(page(x))]),
  'CE gzip twice listed as two fields': (x) => Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Encoding: br\r\n\r\n'), zlib.brotliCompressSync(zlib.gzipSync(page(x)))]),
  'CE BR upper + spaces': (x) => Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Encoding:  BR \r\n\r\n'), zlib.brotliCompressSync(page(x))]),
  'CE br; q': (x) => Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\ncontent-encoding: br\r\n\r\n'), zlib.brotliCompressSync(page(x))]),
  'HTTP/2 head br': (x) => Buffer.concat([Buffer.from('HTTP/2 200\r\ncontent-encoding: br\r\n\r\n'), zlib.brotliCompressSync(page(x))]),
  'LF head br': (x) => Buffer.concat([Buffer.from('HTTP/1.1 200 OK\nContent-Encoding: br\n\n'), zlib.brotliCompressSync(page(x))]),
  'request POST form': (x) => Buffer.concat([Buffer.from('POST /f HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n'), Buffer.from('name=a&note=' + encodeURIComponent(x))]),
  'chunk ext': (x) => Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: br\r\n\r\n'), Buffer.from(chunked(zlib.brotliCompressSync(page(x))).toString('latin1').replace(/^([0-9a-f]+)\r\n/gm, '$1;a=b\r\n'), 'latin1')]),
  'brotli multiple chunk, TE gzip': (x) => Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n'), chunked(zlib.gzipSync(page(x)))]),
  'deflate raw': (x) => Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n'), zlib.deflateRawSync(page(x))]),
  'zstd': (x) => Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Encoding: zstd\r\n\r\n'), zlib.zstdCompressSync ? zlib.zstdCompressSync(page(x)) : page(x)]),
};
for (const [name, make] of Object.entries(cases)) {
  for (const x of ['', MARK]) {
    for (const type of ['response']) {
      const w = Buffer.concat([warcinfo, rec(type, make(x))]);
      const r = await inspectBytes(w, {}, { filename: 'c.warc', declaredType: 'application/warc' });
      console.log(name.padEnd(32), x ? 'MARK ' : 'clean', JSON.stringify(kinds(r.findings)), r.findings.filter(f=>f.kind!=='classified-marking').map(f => f.detail).join(' | ').slice(0, 200));
    }
  }
}
// segmented record: continuation
{
  const body = page(MARK);
  const cut = body.indexOf('机密') + 3;
  const http = Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n'), body]);
  const at = http.indexOf(body) + cut;
  const w = Buffer.concat([warcinfo, rec('response', http.subarray(0, at), 'application/http; msgtype=response', 'WARC-Segment-Number: 1\r\nWARC-Record-ID: <urn:uuid:1>\r\n'), rec('continuation', http.subarray(at), '', 'WARC-Segment-Number: 2\r\nWARC-Segment-Origin-ID: <urn:uuid:1>\r\nWARC-Segment-Total-Length: ' + http.length + '\r\n')]);
  const r = await inspectBytes(w, {}, { filename: 'c.warc', declaredType: 'application/warc' });
  console.log('segmented', JSON.stringify(kinds(r.findings)));
}
process.exit(0);
