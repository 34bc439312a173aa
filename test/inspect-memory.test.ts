import t from 'tap';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { inspectStream } from '../gateway/inspect/index.js';

// Bounded memory: 128 MiB of text inside a zip (and the same as plain text)
// go through the inspectors while the heap and Buffer memory stay within a
// fixed bound, far below the size of the content. Generated lazily: the test
// holds one 1 MiB block.

const MiB = 1024 * 1024;
const REPEATS = 128;

function block(): Buffer {
  const lines: string[] = [];
  let n = 0;
  for (let i = 0; n < MiB; i++) {
    const l = `第${i}行 普通业务数据，联系电话 1391234${String(i % 10000).padStart(4, '0')}，金额 ${(i * 37) % 10007} 元。\n`;
    lines.push(l);
    n += Buffer.byteLength(l);
  }
  return Buffer.from(lines.join('')).subarray(0, MiB);
}

function memory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
}

async function* zipOf(b: Buffer, peak: { v: number }): AsyncGenerator<Buffer> {
  let crc = 0;
  for (let i = 0; i < REPEATS; i++) crc = zlib.crc32(b, crc);
  const size = b.length * REPEATS;
  const name = Buffer.from('big.txt');
  const lh = Buffer.alloc(30);
  lh.writeUInt32LE(0x04034b50, 0);
  lh.writeUInt16LE(20, 4);
  lh.writeUInt32LE(crc, 14);
  lh.writeUInt32LE(size, 18);
  lh.writeUInt32LE(size, 22);
  lh.writeUInt16LE(name.length, 26);
  yield Buffer.concat([lh, name]);
  yield* plain(b, peak);
  const ch = Buffer.alloc(46);
  ch.writeUInt32LE(0x02014b50, 0);
  ch.writeUInt16LE(20, 6);
  ch.writeUInt32LE(crc, 16);
  ch.writeUInt32LE(size, 20);
  ch.writeUInt32LE(size, 24);
  ch.writeUInt16LE(name.length, 28);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(46 + name.length, 12);
  eocd.writeUInt32LE(30 + name.length + size, 16);
  yield Buffer.concat([ch, name, eocd]);
}

async function* plain(b: Buffer, peak: { v: number }): AsyncGenerator<Buffer> {
  for (let i = 0; i < REPEATS; i++) {
    for (let p = 0; p < b.length; p += 64 * 1024) yield b.subarray(p, p + 64 * 1024);
    peak.v = Math.max(peak.v, memory());
  }
}

t.test('128 MiB of text, plain and zipped, inspected in bounded memory', async (t) => {
  const b = block();
  const phones = (b.toString().match(/联系电话 139\d{8}/g) ?? []).length;
  for (const [name, gen, filename] of [
    ['plain', plain, 'big.txt'],
    ['zip', zipOf, 'big.zip'],
  ] as const) {
    (globalThis as { gc?: () => void }).gc?.();
    const base = memory();
    const peak = { v: base };
    const r = await inspectStream(Readable.from(gen(b, peak)), { transferId: 'mem', label: 'internal', filename }, {});
    t.equal(r.size > REPEATS * MiB - 1, true, `${name}: all bytes seen`);
    const mobile = r.findings.find((f) => f.subkind === 'cn-mobile');
    t.ok(mobile && mobile.count! >= phones * REPEATS - 2, `${name}: ${mobile?.count} mobile numbers counted (${phones} a block)`);
    t.notOk(r.findings.some((f) => f.kind.startsWith('archive-')), `${name}: ${r.findings.map((f) => f.kind).join()}`);
    const grew = (peak.v - base) / MiB;
    t.ok(grew < 64, `${name}: memory grew by ${grew.toFixed(1)} MiB for ${REPEATS} MiB of content`);
  }
});
