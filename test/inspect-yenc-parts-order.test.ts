// ways12 (2 Dec, review13's open probe, case 3): a yEnc post's parts in a file out of order (part 2 before part 1),
// or between another post's parts or a block of no post, were each read as a file of their own: a marking or an
// id cut between two parts crossed. They are joined in part order wherever they stand (yenc-posts.ts), a part
// held until its turn, within bounds: 16 posts open at once and 4 MiB held, past either inspection-limit:yenc-parts.
import t from 'tap';
import { checkSamples } from './helpers/sample-checks.js';
import { inspectBytes, kinds, residentId } from './inspect-fixtures.js';
import type { Sample } from './evasion-fixtures.js';
import { yenc, yencPart } from './yenc-fixtures.js';
import { YencDecoder } from '../gateway/inspect/decodings/yenc-decoder.js';
import { MAX_HELD } from '../gateway/inspect/decodings/yenc-posts.js';
import { EntropyMeter } from '../gateway/inspect/opaque/entropy-meter.js';

t.setTimeout(240_000);

const ID = residentId('440305', '19900307', '457');
const FILLER = '各单位要认真组织，按时报送。\n'.repeat(20);
const MEMO = Buffer.from(`关于年度工作的通知\n${FILLER}文件密级：机密★10年\n${FILLER}`);
const REGISTER = Buffer.from(`报名表\n${FILLER}经办人身份证 ${ID}\n${FILLER}`);
const CLEAN = Buffer.from(`关于年度工作的通知\n${FILLER}请遵守保密协议，保护商业秘密和工作秘密，注意机密性。\n${FILLER}`);
const OTHER = Buffer.from(`会议纪要\n${FILLER}`);
const at = (b: Buffer, s: string, plus: number): number => b.indexOf(Buffer.from(s)) + plus;
const s = (name: string, body: Buffer, expect = ''): Sample => ({ name, filename: 'post.yenc', type: 'application/octet-stream', body, expect });

/** The post of `data` cut at `cuts`, its parts as [part number, bytes]. */
function parts(data: Buffer, name: string, cuts: number[]): Buffer[] {
  const ends = [0, ...cuts, data.length];
  return ends.slice(1).map((b, i) => yencPart(data, name, i + 1, ends.length - 1, ends[i]!, b));
}

const ways = (): Sample[] => {
  const mark = at(MEMO, '机密', 3); // between 机 and 密
  const id = at(REGISTER, ID, 9); // in the middle of the id
  const [m1, m2] = parts(MEMO, 'memo.txt', [mark]);
  const [i1, i2] = parts(REGISTER, 'register.txt', [id]);
  const [t1, t2, t3] = parts(MEMO, 'memo.txt', [mark, mark + 4]);
  const [r1, r2, r3] = parts(REGISTER, 'register.txt', [id - 5, id]);
  const [o1, o2] = parts(OTHER, 'other.txt', [200]);
  return [
    s('part 2 before part 1, cut inside the marking', Buffer.concat([m2!, m1!]), 'classified-marking'),
    s('part 2 before part 1, cut inside the id', Buffer.concat([i2!, i1!]), 'personal-data'),
    s('three parts as 3, 1, 2', Buffer.concat([t3!, t1!, t2!]), 'classified-marking'),
    s('three parts as 2, 3, 1, the marking in three', Buffer.concat([t2!, t3!, t1!]), 'classified-marking'),
    s('three parts as 3, 2, 1, the id in three', Buffer.concat([r3!, r2!, r1!]), 'personal-data'),
    s("another post's part between part 1 and part 2", Buffer.concat([m1!, o1!, m2!, o2!]), 'classified-marking'),
    s('a block of no post between part 1 and part 2', Buffer.concat([m1!, yenc(OTHER, 'note.txt'), m2!]), 'classified-marking'),
    s('part 2, an article, part 1', Buffer.concat([m2!, Buffer.from('\r\nFrom: a@example.com\r\nSubject: memo (1/2)\r\n\r\n'), m1!]), 'classified-marking'),
  ];
};

const clean = (): Sample[] => {
  const [c1, c2, c3] = parts(CLEAN, 'notice.txt', [150, 400]);
  const [o1, o2] = parts(OTHER, 'other.txt', [200]);
  return [
    s('clean: an ordinary notice in parts 3, 1, 2', Buffer.concat([c3!, c1!, c2!])),
    s('clean: two posts interleaved', Buffer.concat([c1!, o1!, c2!, o2!, c3!])),
    s('clean: a part 2 alone (its part 1 in another file)', c2!),
    s('clean: a part sent twice', Buffer.concat([c1!, c1!, c2!, c3!])),
  ];
};

t.test('a post is read in part order wherever its parts stand', (t) => checkSamples(t, ways(), clean()));

t.test('past the bounds: inspection-limit:yenc-parts, and what was held is read', async (t) => {
  const posts = Array.from({ length: 17 }, (_, i) => parts(OTHER, `f${i}.txt`, [200])[1]!);
  const r = await inspectBytes(Buffer.concat(posts), {}, { filename: 'post.yenc', declaredType: 'application/octet-stream' });
  t.same(kinds(r.findings), ['inspection-limit:yenc-parts'], '17 posts waiting for their first part');
  const sixteen = await inspectBytes(Buffer.concat(posts.slice(1)), {}, { filename: 'post.yenc', declaredType: 'application/octet-stream' });
  t.same(kinds(sixteen.findings), [], '16 are within the bound');
  // (The held bytes' bound through the decoder alone: 4 MiB of text through the whole inspection is slow.)
  const big = Buffer.concat([Buffer.alloc(MAX_HELD + 4096, 0x20), MEMO]);
  const [b1, b2] = parts(big, 'big.txt', [1000]);
  const events = new YencDecoder(new EntropyMeter({ small: true })).push(Buffer.concat([b2!, b1!]), true);
  t.same(events.filter((e) => e.kind === 'limit').length, 1, 'a part of over 4 MiB before its turn: one limit event');
  const data = Buffer.concat(events.flatMap((e) => (e.kind === 'data' ? [e.bytes] : [])));
  t.equal(data.length, big.length, 'every byte decoded is given');
  t.ok(data.includes(Buffer.from('机密★10年')), 'and the marking in it');
});
