// review10: the named-integers narrowing (7c4a555) keyed by the sniffed type. A two-byte "MZ", a class file's
// CAFEBABE or \0asm before a msgpack list of mobiles as uint 64 under a key that does not name a phone (or no key):
// the bare integers are read in binary of no known type, not after such a head.
import { inspectBytes, kinds } from '../../dist/test/inspect-fixtures.js';
const be64 = (v) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(v)); return b; };
const str = (s) => Buffer.concat([Buffer.from([0xa0 | Buffer.byteLength(s)]), Buffer.from(s)]);
const rec = (key, m, i) => Buffer.concat([Buffer.from([0x82]), str('name'), str(`员工${i}`), str(key), Buffer.from([0xcf]), be64(m)]);
const mobiles = [13812345678, 13998765432, 15011112222];
const keyed = (key) => Buffer.concat([Buffer.from([0x90 | mobiles.length]), ...mobiles.map((m, i) => rec(key, m, i))]);
const bare = Buffer.concat([Buffer.from([0x90 | mobiles.length]), ...mobiles.map((m) => Buffer.concat([Buffer.from([0xcf]), be64(m)]))]);
const heads = {
  none: Buffer.alloc(0),
  MZ: Buffer.from('MZ'),
  PE: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), Buffer.alloc(64), Buffer.from('PE\0\0')]),
  CLASS: Buffer.from('cafebabe00000041', 'hex'),
  WASM: Buffer.from('0061736d01000000', 'hex'),
};
for (const [h, head] of Object.entries(heads)) {
  for (const [what, body] of [['key contact', keyed('contact')], ['key sjh', keyed('sjh')], ['key mobile', keyed('mobile')], ['no key', bare]]) {
    const r = await inspectBytes(Buffer.concat([head, body]), {}, { filename: 'data.bin' });
    console.log(h.padEnd(6), what.padEnd(12), r.sniffedType, JSON.stringify(kinds(r.findings)));
  }
}
