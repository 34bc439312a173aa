// Machine code and class files are not serialised records (eighth red team, F2): their constant tables and
// instructions put a byte like msgpack's uint-64 marker CF before small integers at every turn, and 17 of 37
// JARs of a Maven repository, a class file and a native library (.so) were refused cn-mobile
// (`CF 00 00 00 04 00 01 00 D0` read as 17179934928). In them only integers under a key that names a
// phone or an id are read; binary of no known type is read as before.
import t from 'tap';
import { inspectBytes, kinds, zip } from './inspect-fixtures.js';
import { seededRandom } from '../bench/seeded-random.js';

const rnd = seededRandom(20261201);
const NAMES = ['java/lang/Object', 'com/google/gson/internal/LinkedTreeMap', 'Ljava/util/Comparator;', 'modCount', '<init>', 'findByObject', 'removeInternal', 'rebalance'];
/** Bytes like a class file's or a library's tables: small big-endian integers after CF, padded with noise. */
function codeLike(n: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    // Names and small numbers, as a class file's constant pool holds them (random bytes would be judged opaque).
    const noise = Buffer.concat([Buffer.from([0x01, 0x00, 0x10]), Buffer.from(NAMES[i % NAMES.length]!), Buffer.from([0x0a, 0x00, i & 0xff, 0x00, 0x07])]);
    const v = Buffer.alloc(9);
    v[0] = 0xcf;
    // 13 to 19.99 billion: a mobile's shape, as the JARs' constant tables made them.
    v.writeBigUInt64BE(BigInt(13_000_000_000 + Math.floor(rnd() * 6_990_000_000)), 1);
    parts.push(noise, v);
  }
  return Buffer.concat(parts);
}
const be64 = (v: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(v));
  return b;
};
const str = (s: string): Buffer => Buffer.concat([Buffer.from([0xa0 | Buffer.byteLength(s)]), Buffer.from(s)]);
/** msgpack records whose mobiles are uint 64 under the key `mobile`. */
const contacts = Buffer.concat([Buffer.from([0x92]), ...[13812345678, 13998765432].map((m, i) => Buffer.concat([Buffer.from([0x82]), str('name'), str(`员工${i}`), str('mobile'), Buffer.from([0xcf]), be64(m)]))]);

const CLASS = Buffer.from('cafebabe00000041', 'hex');
const ELF = Buffer.concat([Buffer.from('7f454c4602010100', 'hex'), Buffer.alloc(8), Buffer.from('03003e0001000000', 'hex'), Buffer.alloc(40)]);
const PE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), Buffer.alloc(64), Buffer.from('PE\0\0')]);

t.test('class files, native libraries and programs with integers of a mobile\'s shape after CF are clean', async (t) => {
  const cases: Array<[string, string, Buffer]> = [
    ['a class file', 'LinkedTreeMap.class', Buffer.concat([CLASS, codeLike(30)])],
    ['an ELF shared library', 'libawt_xawt.so', Buffer.concat([ELF, codeLike(30)])],
    ['a Windows program', 'setup.exe', Buffer.concat([PE, codeLike(30)])],
    ['a JAR of class files', 'gson.jar', zip([{ name: 'META-INF/MANIFEST.MF', data: Buffer.from('Manifest-Version: 1.0\n') }, { name: 'com/google/gson/internal/LinkedTreeMap.class', data: Buffer.concat([CLASS, codeLike(30)]) }])],
  ];
  for (const [name, filename, body] of cases) {
    const r = await inspectBytes(body, {}, { filename });
    t.same(kinds(r.findings), [], `${name} (${r.sniffedType})`);
  }
});

t.test('a mobile under its key is read in them all the same, and binary of no known type as before', async (t) => {
  const keyed = await inspectBytes(Buffer.concat([CLASS, codeLike(5), contacts]), {}, { filename: 'a.class' });
  t.same(kinds(keyed.findings), ['personal-data:cn-mobile'], 'msgpack contacts with a `mobile` key after a class file header');
  const bare = await inspectBytes(Buffer.concat([Buffer.from([0x93]), codeLike(3)]), {}, { filename: 'data.bin' });
  t.same(kinds(bare.findings), ['personal-data:cn-mobile'], 'uint 64 values of a mobile\'s shape in binary of no known type');
});
