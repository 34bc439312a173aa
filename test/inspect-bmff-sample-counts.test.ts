// Review 7 (1 Dec 2026): ISO BMFF sample counts (bmff-shape.ts #trun, #chunks) are walked one by one however many
// a table claims, without any bytes behind them: a trun with no per-sample fields, or stsz with a fixed size, names
// up to 2^32-1 samples in 4 bytes. 112 bytes held an inspection worker ~55 s per trun box (killed by the transfer's
// wall budget, inspection-limit:time — fail-closed, but a 112-byte upload in the small bodies' batch lane holds the
// batch and the others in it, the N10 shape). Each walk here should end in well under a second.
import t from 'tap';
import { BmffShape } from '../gateway/inspect/media/bmff-shape.js';

const box = (type: string, body: Buffer): Buffer => {
  const b = Buffer.alloc(8 + body.length);
  b.writeUInt32BE(8 + body.length);
  b.write(type, 4, 'latin1');
  body.copy(b, 8);
  return b;
};
const u32 = (...v: number[]): Buffer => {
  const b = Buffer.alloc(4 * v.length);
  v.forEach((x, i) => b.writeUInt32BE(x >>> 0, 4 * i));
  return b;
};
const ftyp = box('ftyp', Buffer.from('isom\0\0\0\0isom', 'latin1'));
const COUNT = 300_000_000; // ~4 s on this machine; 2^32-1 is ~55 s

const walk = (file: Buffer): { ms: number; why: string } => {
  const s = new BmffShape();
  const t0 = performance.now();
  const why = s.write(file, 0) || s.end(file.length);
  return { ms: performance.now() - t0, why };
};

t.test('a trun of many samples and no table', async (t) => {
  const tfhd = box('tfhd', u32(0x10 | 0x20000, 1, 1));
  const trun = box('trun', u32(0, COUNT));
  const file = Buffer.concat([ftyp, box('moof', Buffer.concat([box('mfhd', u32(0, 1)), box('traf', Buffer.concat([tfhd, trun]))])), box('mdat', Buffer.alloc(16))]);
  const r = walk(file);
  t.ok(r.why !== '', `refused: ${r.why}`);
  t.ok(r.ms < 500, `${file.length} bytes walked in ${Math.round(r.ms)} ms`);
});

t.test('stsz with a fixed size and a huge count, stsc putting them all in one chunk', async (t) => {
  const stbl = box('stbl', Buffer.concat([box('stco', u32(0, 1, 0)), box('stsc', u32(0, 1, 1, COUNT, 1)), box('stsz', u32(0, 1, COUNT))]));
  const moov = box('moov', box('trak', box('mdia', box('minf', stbl))));
  const file = Buffer.concat([ftyp, moov, box('mdat', Buffer.alloc(16))]);
  const r = walk(file);
  t.ok(r.why !== '', `refused: ${r.why}`);
  t.ok(r.ms < 500, `${file.length} bytes walked in ${Math.round(r.ms)} ms`);
});
