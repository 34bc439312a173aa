// review11 (review10's open finding): a two-byte `MZ`, a PE header, a class file's CAFEBABE or wasm's `\0asm`
// before msgpack contacts switched the binary-integer reading to keys that name a phone: mobiles under `contact`,
// `sjh` or no key crossed as a "program". In code a value is now read as a record's where code holds none (its
// low word without a zero byte, and a key of 3 bytes or more or a 64-bit neighbour 9 bytes on); code's own values
// (small integers and addresses, their low word with a zero byte) stay unread, keyed by a byte or not.
import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';

const be64 = (v: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(v));
  return b;
};
const str = (s: string): Buffer => Buffer.concat([Buffer.from([0xa0 | Buffer.byteLength(s)]), Buffer.from(s)]);
const MOBILES = [13812345678, 13998765432, 15011112222];
const record = (key: string, m: number, i: number): Buffer => Buffer.concat([Buffer.from([0x82]), str('name'), str(`员工${i}`), str(key), Buffer.from([0xcf]), be64(m)]);
const keyed = (key: string): Buffer => Buffer.concat([Buffer.from([0x90 | MOBILES.length]), ...MOBILES.map((m, i) => record(key, m, i))]);
const bare = Buffer.concat([Buffer.from([0x90 | MOBILES.length]), ...MOBILES.map((m) => Buffer.concat([Buffer.from([0xcf]), be64(m)]))]);
/** [name, mobile] pairs: the name before each value is read as its key (a fixstr of 6 bytes). */
const pairs = Buffer.concat([Buffer.from([0x92]), ...MOBILES.slice(0, 2).map((m, i) => Buffer.concat([Buffer.from([0x92]), str(['张三', '李四'][i]!), Buffer.from([0xcf]), be64(m)]))]);

const HEADS: Array<[string, Buffer]> = [
  ['MZ', Buffer.from('MZ')],
  ['a PE header', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), Buffer.alloc(64), Buffer.from('PE\0\0')])],
  ['CAFEBABE', Buffer.from('cafebabe00000041', 'hex')],
  ['\\0asm', Buffer.from('0061736d01000000', 'hex')],
  ['an ELF header', Buffer.concat([Buffer.from('7f454c4602010100', 'hex'), Buffer.alloc(8), Buffer.from('03003e0001000000', 'hex'), Buffer.alloc(40)])],
];

t.test('msgpack contacts after a code header are read', async (t) => {
  const bodies: Array<[string, Buffer]> = [['under `contact`', keyed('contact')], ['under `sjh`', keyed('sjh')], ['under no key', bare], ['as [name, mobile] pairs', pairs], ['under `mobile`', keyed('mobile')]];
  for (const [h, head] of HEADS) {
    for (const [what, body] of bodies) {
      const r = await inspectBytes(Buffer.concat([head, body]), {}, { filename: 'data.bin' });
      t.same(kinds(r.findings), ['personal-data:cn-mobile'], `${h}, then mobiles ${what} (${r.sniffedType})`);
    }
  }
});

/** Code's values as the JARs and libraries of a machine hold them: CF before a mobile's shape whose low word has a zero byte. */
function codeTables(n: number, keyed: boolean): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    // 17180003329 = 4 << 32 | 0x8251 (DoubleMetaphone.class); 17180459041 (BoundedReader.class, after `BoundedReader.java`).
    const v = 17_180_000_000 + i * 7919 + 1301;
    const key = keyed ? Buffer.from([0xa1, 0x44]) : Buffer.from([0x00, 0x07]); // a key of one byte (`D`, libubsan), or a constant's tail
    parts.push(Buffer.from([0x01, 0x00, 0x08]), Buffer.from('<init>()'), key, Buffer.from([0xcf]), be64(v));
    // Neighbours 9 bytes apart whose low words have a zero byte (adjacent addresses).
    parts.push(Buffer.from([0xcf]), be64(v + 16), Buffer.from([0xcf]), be64(v + 32));
  }
  return Buffer.concat(parts);
}

t.test('code with values of a mobile\'s shape as code holds them stays clean', async (t) => {
  for (const [h, head] of HEADS) {
    for (const keyed of [false, true]) {
      const r = await inspectBytes(Buffer.concat([head, codeTables(40, keyed)]), {}, { filename: h === '\\0asm' ? 'a.wasm' : h === 'CAFEBABE' ? 'A.class' : h === 'an ELF header' ? 'liba.so' : 'setup.exe' });
      t.same(kinds(r.findings), [], `${h}, tables ${keyed ? 'under one-byte keys' : 'unkeyed'} (${r.sniffedType})`);
    }
  }
});
