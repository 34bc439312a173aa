// binary-integers.ts: each form planted in random bytes, one key length after another for BSON, cut at every
// place around it, reads the same integers in the same order, a BSON value with its key (`key: digits`, as the
// text scanner reads a number in its context); the forms that are not read (a BSON key of 65 bytes, an empty
// key, a value of 10 or 12 digits, a marker the value does not follow) stay unread.
import t from 'tap';
import { BinaryIntegers } from '../gateway/inspect/marks/binary-integers.js';
import { seededRandom } from '../bench/seeded-random.js';
import { residentId } from './inspect-fixtures.js';

const rnd = seededRandom(20261201);
const noise = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256)));

function be(marker: number, v: number | bigint): Buffer {
  const b = Buffer.alloc(9);
  b[0] = marker;
  b.writeBigUInt64BE(BigInt(v), 1);
  return b;
}

function bson(key: string, v: number): Buffer {
  return Buffer.concat([Buffer.from([0x12]), Buffer.from(key, 'latin1'), Buffer.from([0]), (() => {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt(v));
    return b;
  })()]);
}

function read(chunks: Buffer[]): string[] {
  const r = new BinaryIntegers();
  for (const c of chunks) r.write(c);
  return r.finish().split('\n').filter(Boolean);
}

function cuts(b: Buffer, at: number): Buffer[] {
  return [Buffer.from(b.subarray(0, at)), Buffer.from(b.subarray(at))];
}

t.test('each form in random bytes, cut anywhere around it', async (t) => {
  const forms: Array<[string, Buffer]> = [
    ['msgpack uint 64', be(0xcf, 13812345678)],
    ['msgpack int 64', be(0xd3, 15912345678)],
    ['CBOR uint 64', be(0x1b, 18612345678)],
    ['BSON, a key of 1 byte', bson('m', 13912345678)],
    ['BSON, a key of 5 bytes', bson('phone', 13712345678)],
    ['BSON, a key of 64 bytes', bson('k'.repeat(64), 13612345678)],
  ];
  for (const [name, form] of forms) {
    const key = name.startsWith('BSON') ? form.subarray(1, form.indexOf(0, 1)).toString('latin1') : '';
    const want = [`${key ? `${key}: ` : ''}${String(key ? Number(form.readBigInt64LE(form.length - 8)) : Number(form.readBigUInt64BE(1)))}`];
    const body = Buffer.concat([noise(300), form, noise(300)]);
    let bad = 0;
    for (let at = 280; at <= 300 + form.length + 20; at++) if (JSON.stringify(read(cuts(body, at))) !== JSON.stringify(want)) bad++;
    t.equal(bad, 0, `${name}: read at every cut`);
    t.same(read([body]), want, `${name}: read whole`);
  }
});

t.test('several forms side by side, in the order of their markers', async (t) => {
  const body = Buffer.concat([noise(100), bson('a', 13000000001), be(0xcf, 13000000002), bson('mobile', 13000000003), be(0x1b, 13000000004), noise(50), be(0xd3, 13000000005)]);
  const want = ['a: 13000000001', '13000000002', 'mobile: 13000000003', '13000000004', '13000000005'];
  t.same(read([body]), want, 'whole');
  for (const size of [1, 7, 64, 100]) {
    const chunks: Buffer[] = [];
    for (let i = 0; i < body.length; i += size) chunks.push(Buffer.from(body.subarray(i, i + size)));
    t.same(read(chunks), want, `in chunks of ${size}`);
  }
});

t.test('forms that are not read stay unread', async (t) => {
  const body = Buffer.concat([
    noise(64),
    bson('k'.repeat(65), 13812345678), // a key longer than 64 bytes
    Buffer.from([0x12, 0]), Buffer.alloc(8, 0), // an empty key
    be(0xcf, 1381234567), // 10 digits
    be(0xcf, 138123456789), // 12 digits
    Buffer.from([0x41]), be(0xcf, 13812345678).subarray(1), // no marker before the value
    bson('k\x01y', 13812345678), // a control byte in the key
    noise(64),
  ]);
  t.same(read([body]), [], 'nothing read');
});

t.test('resident ids up to the highest province codes, in every big-endian form, among many markers', async (t) => {
  // The forms are found by a native search for each marker (binfast): ids whose high word's top byte is 0x01,
  // 0x09 and 0x0B (province 83, the highest) are read; markers of every kind before and after them read nothing and keep the order.
  const ids = [residentId('110105', '20010101', '001'), residentId('650102', '20010101', '002'), residentId('830000', '20010101', '003')];
  const markers = Buffer.from([0xcf, 0xd3, 0x1b, 0x12, 0x8a, 0xcf, 0x0d, 0xff, 0x1b, 0x01]);
  const body = Buffer.concat([markers, be(0xcf, BigInt(ids[0]!)), markers, be(0x1b, BigInt(ids[1]!)), markers, be(0xd3, BigInt(ids[2]!)), markers]);
  const got = (chunks: Buffer[]): string[] => read(chunks).map((s) => s.replace(/^.*: /, ''));
  t.same(got([body]), ids, 'whole');
  for (const size of [1, 5, 33]) t.same(got(Array.from({ length: Math.ceil(body.length / size) }, (_, k) => Buffer.from(body.subarray(k * size, (k + 1) * size)))), ids, `in chunks of ${size}`);
});

t.test("a pickle's LONG1 marker in the last byte: nothing read, nothing thrown", async (t) => {
  // Before: its length byte read as undefined passed every test, readUInt32LE threw past the end, and the
  // file was refused as one that could not be inspected.
  const body = Buffer.concat([Buffer.from([0x80, 0x04]), noise(200), Buffer.from([0x8a])]);
  t.same(read([body]), [], 'whole');
  t.same(read([body.subarray(0, 150), body.subarray(150)]), [], 'in two chunks');
  t.same(read([Buffer.concat([body, Buffer.from([0x05])])]), [], 'a length and no value');
});

t.test('a value with the longest key before it (msgpack fixstr, CBOR text), cut at every place around the key', async (t) => {
  // A chunk is read on its own from its 40th byte on (binfast: no copy of tail and chunk joined): a key that
  // starts before the cut is read whole, not as the shorter key that 'k' (0x6B, a CBOR head of 11) would make.
  for (const [name, head, n] of [['msgpack fixstr of 31', 0xbf, 31], ['CBOR text of 23', 0x77, 23]] as const) {
    const key = 'k'.repeat(n);
    const body = Buffer.concat([noise(300), Buffer.from([head]), Buffer.from(key), be(0xcf, 13812345678), noise(300)]);
    let bad = 0;
    for (let at = 250; at <= 300 + 1 + n + 9 + 20; at++) if (JSON.stringify(read(cuts(body, at))) !== JSON.stringify([`${key}: 13812345678`])) bad++;
    t.equal(bad, 0, `${name}: the key read whole at every cut`);
  }
});
