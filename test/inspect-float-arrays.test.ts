// Floats a program wrote (float-arrays.ts): a pickle of 1,000 draws of a normal distribution, and the .npy of
// them, were refused `uninspectable` (their bytes measure as encrypted data). They are read as the numbers they
// hold (a mobile kept as a float is found) and judged without the doubles a program computes; cipher text
// declared '<f8' or in BINFLOATs, bytes beside the floats, or content that breaks the layout stay refused.
import t from 'tap';
import { chunksOf, inspectBytes, inspectChunks, kinds } from './inspect-fixtures.js';
import { encrypted } from './media-fixtures.js';
import { binfloat, floatColumnsPickle, floatListPickle, normals, npyFloat64 } from './float-fixtures.js';

const xs = normals(1000);
const PKL = { filename: 'samples.pkl' };
const NPY = { filename: 'samples.npy' };

t.test('floats of ordinary data are clean', async (t) => {
  const cases: Array<[string, Buffer, { filename: string }]> = [
    ['a pickle (protocol 4) of 1,000 normal draws', floatListPickle(xs), PKL],
    ['the same, protocol 2', floatListPickle(xs, 2), PKL],
    ['the same, protocol 5', floatListPickle(xs, 5), PKL],
    ['a pickle of 30,000 draws (several frames)', floatListPickle(normals(30000, 7, 1e3)), PKL],
    ['a dict of float columns under text keys', floatColumnsPickle({ 温度: normals(2000, 3, 20), 压力: normals(2000, 4, 1e5), 比例: normals(500, 5, 1e-3) }), PKL],
    ['an .npy of 1,000 normal draws', npyFloat64(xs), NPY],
    ['an .npy of 20,000 draws, big-endian', npyFloat64(normals(20000, 9), { big: true }), NPY],
    ['an .npy with zeros, infinities and NaN', npyFloat64([...xs.slice(0, 800), ...Array<number>(100).fill(0), Infinity, -Infinity, ...Array<number>(98).fill(NaN)]), NPY],
  ];
  for (const [name, body, ctx] of cases) {
    t.same(kinds((await inspectBytes(body, {}, ctx)).findings), [], name);
    t.same(kinds((await inspectChunks(chunksOf(body, 1001), {}, ctx)).findings), [], `${name}, in chunks of 1,001 bytes`);
  }
});

t.test('a mobile number kept as a float is found', async (t) => {
  const phones = [...xs.slice(0, 500), 13812345678, ...xs.slice(500)];
  t.same(kinds((await inspectBytes(floatListPickle(phones), {}, PKL)).findings), ['personal-data:cn-mobile'], 'in a pickle');
  t.same(kinds((await inspectBytes(npyFloat64(phones), {}, NPY)).findings), ['personal-data:cn-mobile'], 'in an .npy of draws');
  t.same(kinds((await inspectBytes(npyFloat64([13812345678, 13998765432, 15012348765]), {}, { filename: 'mobiles.npy' })).findings), ['personal-data:cn-mobile'], 'an .npy of three');
});

t.test('bytes that are not computed doubles stay refused', async (t) => {
  const cipher = encrypted(8000);
  const words = (b: Buffer): Buffer[] => Array.from({ length: b.length / 8 }, (_, i) => b.subarray(i * 8, i * 8 + 8));
  const pickleOf = (ops: Buffer[]): Buffer => Buffer.concat([Buffer.from([0x80, 2, 0x5d, 0x71, 0, 0x28]), ...ops, Buffer.from([0x65, 0x2e])]);
  const cases: Array<[string, Buffer, { filename: string }]> = [
    ["cipher text in an .npy declared '<f8'", npyFloat64([], { data: cipher }), NPY],
    ['cipher text as BINFLOATs', pickleOf(words(cipher).map((w) => Buffer.concat([Buffer.from([0x47]), w]))), PKL],
    ['cipher text between real floats, a word each', pickleOf(words(cipher).flatMap((w, i) => [binfloat(xs[i % 1000]!), Buffer.concat([Buffer.from([0x47]), w])])), PKL],
    ['cipher text as bytes (BINBYTES) beside real floats', pickleOf([...xs.map(binfloat), Buffer.from([0x42, 0x40, 0x1f, 0, 0]), cipher]), PKL],
    ['cipher text after the pickle\'s STOP', Buffer.concat([floatListPickle(xs), cipher]), PKL],
    ['cipher text after an .npy\'s data', Buffer.concat([npyFloat64(xs), cipher]), NPY],
    ['an .npy whose shape is short of its data', npyFloat64([], { data: Buffer.concat([npyFloat64(xs.slice(0, 100)).subarray(128), cipher]), count: 100 }), NPY],
  ];
  for (const [name, body, ctx] of cases) {
    t.same(kinds((await inspectBytes(body, {}, ctx)).findings), ['uninspectable:application/octet-stream'], name);
    t.same(kinds((await inspectChunks(chunksOf(body, 777), {}, ctx)).findings), ['uninspectable:application/octet-stream'], `${name}, in chunks of 777 bytes`);
  }
});
