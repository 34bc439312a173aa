// review10: binary integers (binfast e6f4673: markers by Buffer.indexOf) across chunk seams. Random-looking binary
// (seeded) with one msgpack `mobile` key and uint 64 mobile, cut into chunks at every offset around the record.
import { inspectChunks, kinds } from '../../dist/test/inspect-fixtures.js';
import { createHash } from 'node:crypto';
const noise = (n, seed) => { const out = []; let h = Buffer.from(seed); while (out.length * 32 < n) { h = createHash('sha256').update(h).digest(); out.push(h); } return Buffer.concat(out).subarray(0, n); };
// Binary with some structure (zeros) so it is not judged opaque.
const filler = Buffer.concat(Array.from({ length: 64 }, (_, i) => Buffer.concat([noise(48, `s${i}`), Buffer.alloc(80)])));
const be64 = (v) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(v)); return b; };
const rec = Buffer.concat([Buffer.from([0x81, 0xa6]), Buffer.from('mobile'), Buffer.from([0xcf]), be64(13812345678)]);
const body = Buffer.concat([filler, rec, filler]);
const at = filler.length;
const misses = [];
const base = await inspectChunks([body], {}, { filename: 'data.bin' });
console.log('one chunk:', JSON.stringify(kinds(base.findings)));
for (let cut = at - 2; cut <= at + rec.length + 2; cut++) {
  for (const small of [1, 7, 100]) {
    const chunks = [body.subarray(0, cut - small), body.subarray(cut - small, cut), body.subarray(cut)].filter((c) => c.length);
    const r = await inspectChunks(chunks, {}, { filename: 'data.bin' });
    if (!kinds(r.findings).includes('personal-data:cn-mobile')) misses.push(`${cut - at}/${small}: ${kinds(r.findings)}`);
  }
}
console.log('misses:', misses.length ? misses : 'none');
