// What a peer learns from a key-history header (routing/key-history.ts): only keys handed on, link by link,
// from a key it trusts, each hand-on signed by both keys and naming the peer; nothing from anything else.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import t from 'tap';
import { makeRotationDetails } from '../gateway/audit/key-rotation.js';
import { encodeKeyHistory, followKeyHistory, type HandOn } from '../gateway/routing/key-history.js';

const NAME = 'ferry.gateway/gw1';
const pair = () => generateKeyPairSync('ed25519');
const pub = (k: { publicKey: KeyObject }) => k.publicKey;
const handOn = (from: { privateKey: KeyObject }, to: { privateKey: KeyObject }, origin = NAME): HandOn =>
  makeRotationDetails(origin, origin, from.privateKey, to.privateKey, Buffer.alloc(32));

t.test('a chain is followed from a trusted key, in any order', async (t) => {
  const [k0, k1, k2] = [pair(), pair(), pair()];
  const got = followKeyHistory(encodeKeyHistory([handOn(k1, k2), handOn(k0, k1)]), NAME, [pub(k0)]);
  t.equal(got.length, 2, 'two keys learned');
  t.ok(got[0]!.key.equals(pub(k1)) && got[1]!.key.equals(pub(k2)), 'k1 then k2');
  t.same(followKeyHistory(encodeKeyHistory([handOn(k0, k1)]), NAME, [pub(k0), pub(k1)]), [], 'nothing new: nothing learned');
});

t.test('nothing is learned from what does not hold', async (t) => {
  const [k0, k1, stranger] = [pair(), pair(), pair()];
  t.same(followKeyHistory(encodeKeyHistory([handOn(stranger, k1)]), NAME, [pub(k0)]), [], 'from a key not trusted');
  t.same(followKeyHistory(encodeKeyHistory([handOn(k0, k1, 'ferry.gateway/gw9')]), NAME, [pub(k0)]), [], 'another gateway\'s hand-on');
  const forged = { ...handOn(k0, k1), new_signature: handOn(k0, stranger).new_signature };
  t.same(followKeyHistory(encodeKeyHistory([forged]), NAME, [pub(k0)]), [], 'the new key\'s signature does not verify');
  const swapped = { ...handOn(stranger, k1), old_key: handOn(k0, k1).old_key };
  t.same(followKeyHistory(encodeKeyHistory([swapped]), NAME, [pub(k0)]), [], 'the old key\'s signature is another key\'s');
  for (const bad of [undefined, '', 'not base64 json', Buffer.from('{"a":1}').toString('base64url'), 'x'.repeat(9000), ['a', 'b']]) {
    t.same(followKeyHistory(bad, NAME, [pub(k0)]), [], `a header ${JSON.stringify(bad)?.slice(0, 30)}`);
  }
});
