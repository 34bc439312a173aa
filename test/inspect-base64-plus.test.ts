// An armoured OpenPGP message whose base64 holds a '+' past its first line was
// refused archive-broken (lead, 2 Dec 2026: binfp's fresh gpg sample; about one
// `gpg -a -s` in three, the first '+' lying past 64 characters with chance
// (63/64)^64). The escapes view reads `+…` as UTF-7, so its copy of the run ends
// there, long enough to be decoded; the compressed packet in it ends early. A
// zip, gzip or tar so cut in a view was already no finding (speculative, as
// inspect-regressions' JSON bodies); an OpenPGP message's packets are now read so
// too, while the run read whole in the content is the message's own reading.
import { deflateRawSync } from 'node:zlib';
import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { armor, literal, packet } from './openpgp-fixtures.js';
import { seededRandom } from '../bench/seeded-random.js';

const ARMOURED = 'application/pgp-encrypted';

// gpg 2.2 (this machine), `gpg -a -s` of an ordinary notice: its first '+' is the 85th character of the body.
const GPG_SIGNED = `-----BEGIN PGP MESSAGE-----

owGbwMvMwCF2/FXY8jO/pokzrjmVxJWXX5KZnKpXUlGSLcAa9rR185NdfU93bnm6
a9nT7Uuf7J3zfFbLy4ZZz+cv5Xo6oeXpkpan65a83zPrxfrtLxu3Pl3X8WT/3Kfr
25729r9Yt+79nh4g91nXkqdT257smPV8+QyQ1KQeqEFgLlDNs80rnrX0P5u64Vnv
OqDpz+bsAoo/a1j+uKGJ60XjlOebdz+fsvXF+rlAawwMDXTNzCwsDI2MTYA6X6xb
9LR36tP+7QpGBkZmhkDCwAAkBdLZUcrCIMbBICumyHLPZdlybbUmVs6vH2/D/MrK
BPIeAxenAEykbC/DX6k/rFqXst3Oqe+PFzv/cOH8bwdiPy04Ut6jWmf38gVfEi/D
L+aoyAmzI6bKi/zsK2Vc6O7H9OT1VabCBMEbQitnTcnJZQMA
=ywJr
-----END PGP MESSAGE-----
`;

t.test('gpg -a -s whose first + is past the first line: clean', async (t) => {
  const r = await inspectBytes(GPG_SIGNED, {}, { filename: 'notice.txt.asc', declaredType: ARMOURED });
  t.same(kinds(r.findings), []);
});

const WORDS = ['工作', '年度', '通知', '报送', '数据', '处室', '总结', '会议', '安排', '材料', '各单位', '按时'];
const NOTICE = '关于年度工作的通知\n各处室：请遵守保密协议，保护商业秘密和工作秘密，注意数据的机密性。\n';

t.test('armoured compressed messages, their first + anywhere: clean; the memo in them found', async (t) => {
  const rnd = seededRandom(20261202);
  let late = 0;
  for (let i = 0; late < 12 && i < 400; i++) {
    // A line of ordinary words drawn at random before the notice makes each deflate stream, and so each body, different.
    const words = Array.from({ length: 20 + (i % 40) }, () => WORDS[Math.floor(rnd() * WORDS.length)]).join('');
    const clean = armor(packet(8, Buffer.concat([Buffer.from([1]), deflateRawSync(packet(11, literal(`n${i}.txt`, Buffer.from(`${words}\n${NOTICE}`))))])));
    const body = clean.toString().split('\n\n')[1]!.replace(/\n/g, '');
    if (body.indexOf('+') < 64 && i % 8 !== 0) continue; // mostly those the view cut into a run long enough to decode
    if (body.indexOf('+') >= 64) late++;
    const r = await inspectBytes(clean, {}, { filename: `n${i}.txt.asc`, declaredType: ARMOURED });
    t.same(kinds(r.findings), [], `message ${i} (first + at ${body.indexOf('+')})`);
  }
  t.equal(late, 12, 'twelve of them with their first + past the first line');
  const memo = armor(packet(8, Buffer.concat([Buffer.from([1]), deflateRawSync(packet(11, literal('m.txt', Buffer.from(`${NOTICE}文件密级：机密★10年\n`))))])));
  t.ok(kinds((await inspectBytes(memo, {}, { filename: 'm.txt.asc', declaredType: ARMOURED })).findings).includes('classified-marking:机密'), 'a memo armoured so is still found');
});

t.test('UTF-7 after a long run of base64 letters is still read', async (t) => {
  // 机密★10年 in UTF-7 is +ZzpbxiYF-10+XnQ-: after 70 letters, a mail client showing the part as UTF-7 shows the marking.
  for (const lead of ['A'.repeat(70), 'QUJD'.repeat(20), `${'x'.repeat(60)}\n${'y'.repeat(30)}`]) {
    const r = await inspectBytes(`致各处室：\n${lead}+ZzpbxiYF-10+XnQ- 请查收。\n`, {}, { filename: 'a.txt', declaredType: 'text/plain' });
    t.ok(kinds(r.findings).includes('classified-marking:机密'), `after ${lead.length} letters`);
  }
});
