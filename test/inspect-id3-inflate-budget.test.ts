// Review 7 (1 Dec 2026): readId3 (media-meta.ts) inflates every compressed frame of a tag (up to MAX_FRAMES, 4096)
// to MAX_INFLATED (16 MiB) each, and holds them all (each copied once more by Buffer.from) before returning: no
// budget for the tag as a whole, and none of the inspection's expansion budget (ctx.spend) or members limit is
// consulted until every frame is inflated. Inflated bytes are Buffers, outside a worker's maxOldGenerationSizeMb:
// a 16 MiB MP3 tag of 4096 frames of ~4 KiB would ask the gateway process for tens of GiB. Here 8 frames
// (some 130 KB of tag) give 256 MiB held at once; wanted: a tag's inflated bytes bounded as a whole.
import { deflateSync } from 'node:zlib';
import t from 'tap';
import { readId3 } from '../gateway/inspect/media/media-meta.js';

const FRAMES = 8;
const EACH = 16 * 1024 * 1024 - 64;

function tag(): Buffer {
  const packed = deflateSync(Buffer.alloc(EACH), { level: 9 });
  const frames: Buffer[] = [];
  for (let i = 0; i < FRAMES; i++) {
    const body = Buffer.concat([Buffer.alloc(4), packed]);
    body.writeUInt32BE(EACH, 0); // v2.3: the decompressed size before the data
    const h = Buffer.alloc(10);
    h.write('PRIV', 0, 'latin1');
    h.writeUInt32BE(body.length, 4);
    h.writeUInt16BE(0x0080, 8); // compressed
    frames.push(h, body);
  }
  const all = Buffer.concat(frames);
  const head = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0]);
  // syncsafe size
  let n = all.length;
  for (let k = 9; k >= 6; k--) {
    head[k] = n & 0x7f;
    n >>= 7;
  }
  return Buffer.concat([head, all]);
}

t.test('the inflated frames of one ID3v2 tag are bounded as a whole', async (t) => {
  const input = tag();
  const out = readId3(input);
  const held = out.reduce((s, r) => s + r.bytes.length, 0);
  t.ok(held <= 32 * 1024 * 1024, `${input.length} bytes of tag held ${Math.round(held / 1048576)} MiB of inflated frames at once`);
});
