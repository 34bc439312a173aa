// deflate-head.ts: the check in JavaScript that lets a bounded trial inflate run. It may let through what zlib
// then refuses (the trial says no), never the reverse: every deflate stream zlib writes passes it, at every level
// and strategy, and every run of random bytes it turns away is one zlib fails on within those same bytes.
import zlib from 'node:zlib';
import t from 'tap';
import { mayStartDeflate } from '../gateway/inspect/signatures/deflate-head.js';
import { seededRandom } from '../bench/seeded-random.js';

const rnd = seededRandom(20261201);
const bytes = (n: number, top = 256): Buffer => Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * top)));
const WORDS = 'the of 机密 文件 a b 12345 资料 内部 x y , .\n'.split(' ');

t.test('every stream zlib writes passes, whatever its level, strategy and window', async (t) => {
  let missed = 0;
  for (let k = 0; k < 2000; k++) {
    const n = Math.floor(rnd() * (k % 3 === 0 ? 40 : 2000));
    const src = [() => bytes(n), () => Buffer.from(Array.from({ length: n }, () => WORDS[Math.floor(rnd() * WORDS.length)]).join(' ')), () => Buffer.alloc(n, k & 255), () => bytes(n, 16)][k % 4]!();
    const d = zlib.deflateRawSync(src, { level: k % 10, strategy: Math.floor(k / 10) % 5, memLevel: 1 + (k % 9), windowBits: 8 + (k % 8) });
    if (!mayStartDeflate(d.subarray(0, 64))) missed++;
  }
  t.equal(missed, 0, 'none of 2,000 turned away');
});

t.test('random bytes it turns away are ones zlib fails on', async (t) => {
  let turned = 0;
  let inflated = 0;
  for (let k = 0; k < 8000; k++) {
    const b = bytes(62);
    if (mayStartDeflate(b)) continue;
    turned++;
    try {
      zlib.inflateRawSync(b, { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: 1 << 16 });
      inflated++;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') inflated++;
    }
  }
  t.ok(turned > 7600, `all but one in 20 turned away (${turned} of 8,000; one in eight let through before 1 Dec)`);
  t.equal(inflated, 0, 'none of them inflates');
});
