// What a peer must not come to trust from key hand-ons (routing/peer-key-ring.ts, routing/key-history.ts), found by
// the review of 1 Dec 2026 (review7): each test states the behaviour wanted; each failed on main at 2f50581.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import t from 'tap';
import { makeRotationDetails, rotationStatement } from '../gateway/audit/key-rotation.js';
import { encodeVkey } from '../gateway/audit/signed-note.js';
import type { AuditSink } from '../gateway/audit/audit-sink.js';
import { encodeKeyHistory, type HandOn } from '../gateway/routing/key-history.js';
import { PeerKeyRing } from '../gateway/routing/peer-key-ring.js';
import { sign } from 'node:crypto';

const NAME = 'ferry.gateway/gw2';
const pair = () => generateKeyPairSync('ed25519');
const handOn = (from: { privateKey: KeyObject }, to: { privateKey: KeyObject }): HandOn =>
  makeRotationDetails(NAME, NAME, from.privateKey, to.privateKey, Buffer.alloc(32));
const header = (...h: HandOn[]) => encodeKeyHistory(h)!;
const log = pino({ level: 'silent' });
const records: unknown[] = [];
const audit = { append: async (e: unknown) => { records.push(e); return { seq: records.length }; } } as unknown as AuditSink;
const ring = (a: AuditSink = audit) => {
  const file = join(mkdtempSync(join(tmpdir(), 'review7-')), 'peer-keys.json');
  return { file, ring: new PeerKeyRing(file, a, log) };
};
const AT = { via: 'request' as const, from: '127.0.0.1' };
const has = (keys: KeyObject[], k: { publicKey: KeyObject }) => keys.some((x) => x.equals(k.publicKey));

t.test('follow_rotation: false makes learned keys untrusted again (docs/routing.md: "false: only the keys listed here are trusted")', async (t) => {
  const [k0, k1] = [pair(), pair()];
  const { ring: r } = ring();
  t.equal(await r.learn('gw2', [k0.publicKey], header(handOn(k0, k1)), true, AT), 1, 'k1 learned while following');
  // The operator then sets peers.gw2.follow_rotation: false (e.g. suspecting the peer). relay-handler.ts:41 and
  // relay-handler.ts and withdraw-handler.ts ask keysOf with the peer's follow_rotation: a learned key is then not trusted.
  const peer = { name: 'gw2', keys: [k0.publicKey], followRotation: false };
  t.notOk(has(r.keysOf(peer.name, peer.keys, peer.followRotation), k1), 'a learned key is not trusted for a peer that does not follow rotations');
});

t.test('a key hands on once: a second successor of the same key (a fork, the mark of a leaked old key) is refused', async (t) => {
  const [k0, k1, evil] = [pair(), pair(), pair()];
  const { ring: r } = ring();
  t.equal(await r.learn('gw2', [k0.publicKey], header(handOn(k0, k1)), true, AT), 1, 'the genuine rotation k0 -> k1');
  // The operator still lists k0 (certs.md tells them to list old and new while old receipts are about).
  // Whoever holds the retired k0 (and the peer's TLS identity) names a successor of their own:
  t.equal(await r.learn('gw2', [k0.publicKey], header(handOn(k0, evil)), true, AT), 0, 'k0 -> evil is not learned after k0 -> k1');
  t.notOk(has(r.keysOf('gw2', [k0.publicKey], true), evil), 'evil not trusted');
  const { ring: r2 } = ring();
  t.equal(await r2.learn('gw2', [k0.publicKey], header(handOn(k0, k1), handOn(k0, evil)), true, AT), 0, 'two successors of one key in one header: neither');
});

t.test('a key learned from a route\'s key is not trusted for the peer whose listed key differs', async (t) => {
  const [kRoute, kPeer, kNew] = [pair(), pair(), pair()];
  const { ring: r } = ring();
  // relay-gateway.ts #keysFor: learn(route.via, route.keys, ...) with routes.<n>.key = kRoute.
  t.equal(await r.learn('gw2', [kRoute.publicKey], header(handOn(kRoute, kNew)), true, AT), 1, 'learned on the route\'s answer');
  // relay-handler.ts: keysOf(peer.name, peer.keys, …) with peers.gw2.key = kPeer, which never handed on to kNew.
  t.notOk(has(r.keysOf('gw2', [kPeer.publicKey], true), kNew), 'kNew does not open gw2\'s envelopes');
});

t.test('the learned keys of a peer are bounded', async (t) => {
  const { ring: r } = ring();
  const first = pair();
  let at = first;
  for (let i = 0; i < 50; i++) {
    const next = [pair(), pair(), pair(), pair()];
    await r.learn('gw2', [first.publicKey], header(handOn(at, next[0]!), handOn(next[0]!, next[1]!), handOn(next[1]!, next[2]!), handOn(next[2]!, next[3]!)), true, AT);
    at = next[3]!;
  }
  const n = r.keysOf('gw2', [first.publicKey], true).length;
  t.ok(n <= 16, `a peer holding its key makes this gateway trust ${n} keys (each envelope and receipt is tried against all, peer-keys.json rewritten whole at each)`);
});

t.test('a key whose audit record could not be written is not trusted after a restart', async (t) => {
  const [k0, k1] = [pair(), pair()];
  const failing = { append: async () => { throw new Error('disk full'); } } as unknown as AuditSink;
  const { file, ring: r } = ring(failing);
  await t.rejects(r.learn('gw2', [k0.publicKey], header(handOn(k0, k1)), true, AT));
  const again = new PeerKeyRing(file, audit, log);
  t.notOk(has(again.keysOf('gw2', [k0.publicKey], true), k1), 'no peer-key-learned record, no trust (file written before the record)');
  t.ok(!existsSync(file) || !readFileSync(file, 'utf8').includes('gw2+'), 'the file does not hold it');
});

t.test('a hand-on to a key named for another gateway is not learned', async (t) => {
  const [k0, k1] = [pair(), pair()];
  const oldV = encodeVkey(NAME, k0.publicKey);
  const newV = encodeVkey('ferry.gateway/gw9', k1.publicKey);
  const st = rotationStatement(NAME, oldV, newV);
  const h: HandOn = { origin: NAME, old_key: oldV, new_key: newV, old_signature: sign(null, st, k0.privateKey).toString('base64'), new_signature: sign(null, st, k1.privateKey).toString('base64') };
  const { file, ring: r } = ring();
  await r.learn('gw2', [k0.publicKey], header(h), true, AT);
  t.notOk(existsSync(file) && readFileSync(file, 'utf8').includes('ferry.gateway/gw9'), 'peer-keys.json lists no key of gw9 under gw2');
});
