// fpfix3: a WARC whose HTTP bodies are brotli (Content-Encoding: br), a marking and an id in one body of some
// 300 bytes: crossed with no finding on 2 Dec (brotli has no signature, and the body is under the region judgement's
// 640 bytes). Run after npm run build: node probes/fpfix3/warc-brotli-probe.mjs
import zlib from 'node:zlib';
import { inspectBytes, kinds } from '../../dist/test/inspect-fixtures.js';
const rec = (block) => Buffer.concat([Buffer.from(`WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://x/1\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: ${block.length}\r\n\r\n`), block, Buffer.from('\r\n\r\n')]);
const page = (i, extra) => Buffer.from(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知 ${i}</title></head><body>${'<p>关于做好年度工作总结的通知。各单位要认真组织，按时报送。</p>'.repeat(40)}${extra}</body></html>`);
const resp = (body) => { const b = zlib.brotliCompressSync(body); return Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: br\r\nContent-Length: ${b.length}\r\n\r\n`), b]); };
for (const extra of ['', '<p>密级：机密★10年</p><p>身份证 110101199003077715</p>']) {
  const w = Buffer.concat([0, 1, 2].map((i) => rec(resp(page(i, i === 1 ? extra : '')))));
  const r = await inspectBytes(w, {}, { filename: 'c.warc', declaredType: 'application/octet-stream' });
  console.log(JSON.stringify(extra).slice(0, 30), w.length, r.sniffedType, JSON.stringify(kinds(r.findings)));
}
process.exit(0);
