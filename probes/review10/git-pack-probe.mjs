// review10 probes of archives/git-pack.ts: run `node probes/review10/git-pack-probe.mjs` after a build.
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { inspectBytes, kinds } from '../../dist/test/inspect-fixtures.js';

const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
function objHead(type, size) {
  const out = [((type & 7) << 4) | (size & 0x0f)];
  let s = Math.floor(size / 16);
  while (s > 0) { out[out.length - 1] |= 0x80; out.push(s & 0x7f); s = Math.floor(s / 128); }
  return Buffer.from(out);
}
const varint = (n) => { const out = []; do { out.push((n & 0x7f) | (n >= 128 ? 0x80 : 0)); n = Math.floor(n / 128); } while (n > 0); return Buffer.from(out); };
function pack(objects, count = objects.length, extra = Buffer.alloc(0)) {
  const body = Buffer.concat([Buffer.from('PACK'), u32(2), u32(count), ...objects.flatMap((o) => [o.head, o.z ?? zlib.deflateSync(o.body, { level: 9 })])]);
  return Buffer.concat([body, createHash('sha1').update(body).digest(), extra]);
}
const MARK = '机密★10年';
const which = process.argv[2] ?? 'all';
const run = async (name, buf, fname = 'p.pack') => {
  const t0 = process.cpuUsage(); const m0 = process.memoryUsage();
  const r = await inspectBytes(buf, {}, { filename: fname });
  const t1 = process.cpuUsage(t0); const m1 = process.memoryUsage();
  console.log(name, JSON.stringify(kinds(r.findings)), `cpu ${(t1.user + t1.system) / 1000 | 0} ms, external +${((m1.external + m1.arrayBuffers - m0.external - m0.arrayBuffers) / 2 ** 20) | 0} MiB, rss ${(m1.rss / 2 ** 20) | 0} MiB`);
};
// 1. A blob whose header declares 60 MiB of zeros, inflated whole before any limit: no ratio limit, no expanded budget.
if (which === 'all' || which === 'bomb') {
  const big = Buffer.alloc(60 * 2 ** 20);
  await run('bomb: 60 MiB zero blob, declared size', pack([{ head: objHead(3, big.length), body: big }]));
  // with maxExpandedBytes 8 MiB the pack's objects are not counted against the budget
  const r = await inspectBytes(pack([{ head: objHead(3, big.length), body: big }]), { limits: { maxExpandedBytes: 8 * 2 ** 20 } }, { filename: 'p.pack' });
  console.log('bomb under an 8 MiB expanded budget', JSON.stringify(kinds(r.findings)));
}
// 2. A declared size of 2^40 (the object never ends): held in memory until the pack's HELD_MAX after inflating.
if (which === 'all' || which === 'declared') {
  const big = Buffer.alloc(100 * 2 ** 20);
  await run('declared 2^40, 100 MiB of zeros', pack([{ head: objHead(3, 2 ** 40), body: big }]));
}
// 3. A delta of a few hundred bytes that makes 64 MiB from a 64 KiB base.
if (which === 'all' || which === 'delta') {
  const base = Buffer.alloc(0x10000, 0x41);
  const ops = Buffer.alloc(1023, 0x80); // copy 0x10000 from offset 0
  const d = Buffer.concat([varint(base.length), varint(1023 * 0x10000), ops]);
  const z = zlib.deflateSync(Buffer.from([1])); // placeholder
  const baseAt = 12;
  const first = Buffer.concat([objHead(3, base.length), zlib.deflateSync(base, { level: 9 })]);
  const ofs = first.length;
  const off = ofs < 128 ? Buffer.from([ofs]) : Buffer.from([0x80 | ((ofs >> 7) - 1), ofs & 0x7f]);
  void z; void baseAt;
  await run('delta amplification 64 MiB', pack([{ head: objHead(3, base.length), body: base }, { head: Buffer.concat([objHead(6, d.length), off]), body: d }]));
}
// 4. count says 1; a marked object after the checksum (the trailer is not verified).
if (which === 'all' || which === 'after') {
  const clean = Buffer.from('hello world\n');
  const marked = Buffer.from(`会议纪要\n文件密级：${MARK}\n`);
  const after = Buffer.concat([objHead(3, marked.length), zlib.deflateSync(marked)]);
  const many = [];
  for (let i = 0; i < 40; i++) { const b = Buffer.from(`模块 ${i}\n${'统计数据 '.repeat(40)}\n`); many.push(objHead(3, b.length), zlib.deflateSync(b)); }
  await run('objects after the checksum, count 1', pack([{ head: objHead(3, clean.length), body: clean }], 1, Buffer.concat([...many, after, ...many])));
  // A wrong checksum: not verified
  const p = pack([{ head: objHead(3, marked.length), body: marked }]);
  p[p.length - 1] ^= 1;
  await run('wrong checksum (marked blob)', p);
}
// 5. an exception in applyDelta on a cut delta
if (which === 'all' || which === 'cutdelta') {
  const base = Buffer.from('abcdefgh');
  const d = Buffer.concat([varint(8), varint(4), Buffer.from([0x80 | 0x0f])]); // offset bytes missing
  const first = Buffer.concat([objHead(3, base.length), zlib.deflateSync(base)]);
  await run('cut delta', pack([{ head: objHead(3, base.length), body: base }, { head: Buffer.concat([objHead(6, d.length), Buffer.from([first.length])]), body: d }]));
}
