// review11: an OpenPGP message walked whole vouched for its content (no entropy judgement), and signature, key,
// user ID and marker packets were read as text, never judged: 7 KB of cipher text as a user ID, a signature's
// subpacket area or a marker packet beside a literal crossed. What of them is not random by nature (MPIs, key
// material, hash prefix and salt: openpgp-structure.ts) is now judged; ordinary keys and signatures stay clean.
import { spawnSync } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { packet } from './openpgp-fixtures.js';
import { seededRandom } from '../bench/seeded-random.js';

const rnd = seededRandom(20261203);
const c = createCipheriv('aes-256-ctr', Buffer.from(Array.from({ length: 32 }, () => Math.floor(rnd() * 256))), Buffer.alloc(16, 3));
const CIPHER = Buffer.concat([c.update(Buffer.from('关于年度工作的通知\n机密★10年\n请各处室按时报送材料。\n'.repeat(60))), c.final()]).subarray(0, 7000);
const NOTICE = Buffer.from('关于年度工作的通知\n请各处室按时报送材料。\n');
const literal = packet(11, Buffer.concat([Buffer.from([0x62, 5]), Buffer.from('a.txt'), Buffer.alloc(4), NOTICE]));
/** A v4 signature (RSA, SHA-256) whose hashed subpacket area is `area`, then its hash prefix and one MPI of 2048 bits. */
const signature = (area: Buffer): Buffer => {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(area.length);
  const mpi = Buffer.concat([Buffer.from([0x08, 0x00]), Buffer.alloc(256, 0xa5)]);
  return packet(2, Buffer.concat([Buffer.from([4, 0x00, 1, 8]), len, area, Buffer.from([0, 0]), Buffer.from([0x12, 0x34]), mpi]));
};
/** A notation subpacket (type 20), binary (not human-readable), holding `value`. */
const notation = (value: Buffer): Buffer => {
  const body = Buffer.concat([Buffer.from([20, 0, 0, 0, 0]), Buffer.from([0, 4]), Buffer.from([value.length >> 8, value.length & 0xff]), Buffer.from('a@b.'), value]);
  return Buffer.concat([Buffer.from([255]), Buffer.from([body.length >>> 24, (body.length >> 16) & 0xff, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
};

t.test('cipher text in packets read as text is uninspectable', async (t) => {
  const cases: Array<[string, Buffer]> = [
    ['a user ID packet', Buffer.concat([literal, packet(13, CIPHER)])],
    ['a signature packet that holds no signature layout', Buffer.concat([packet(4, Buffer.from([3, 0, 8, 1, 1, 2, 3, 4, 5, 6, 7, 8, 1])), literal, packet(2, Buffer.concat([Buffer.from([4]), CIPHER]))])],
    ['a binary notation in a signature', Buffer.concat([packet(4, Buffer.from([3, 0, 8, 1, 1, 2, 3, 4, 5, 6, 7, 8, 1])), literal, signature(notation(CIPHER))])],
    ['a marker packet', packet(10, Buffer.concat([Buffer.from('PGP'), CIPHER]))],
    ['a user attribute packet', Buffer.concat([literal, packet(17, CIPHER)])],
  ];
  for (const [name, body] of cases) {
    const r = await inspectBytes(body, {}, { filename: 'm.gpg' });
    t.ok(kinds(r.findings).includes('uninspectable:application/octet-stream'), `${name}: ${JSON.stringify(kinds(r.findings))}`);
  }
});

t.test('keys and signatures of ordinary size and layout stay clean', async (t) => {
  const built = Buffer.concat([packet(4, Buffer.from([3, 0, 8, 1, 1, 2, 3, 4, 5, 6, 7, 8, 1])), literal, signature(Buffer.concat([Buffer.from([5, 2, 0x67, 0x4d, 0, 0]), Buffer.from([22, 33, 4]), Buffer.alloc(20, 0x5c)]))]);
  t.same(kinds((await inspectBytes(built, {}, { filename: 'a.txt.gpg' })).findings), [], 'a built RSA signature after a literal');
  const home = mkdtempSync(join(tmpdir(), 'ferry-gpg-r11-'));
  t.teardown(() => rmSync(home, { recursive: true, force: true }));
  const gpg = (...args: string[]) => spawnSync('gpg', ['--batch', '--homedir', home, '--pinentry-mode', 'loopback', '--passphrase', '', ...args], { maxBuffer: 1 << 24 });
  const made = ['rsa3072', 'ed25519', 'rsa2048'].map((algo, i) => gpg('--quick-gen-key', `User ${i} <u${i}@example.com>`, algo, 'sign', 'never').status === 0);
  if (!made.every(Boolean)) {
    t.fail('gpg could not make the keys this test needs');
    return;
  }
  gpg('--quick-add-uid', 'u0@example.com', '用户 零 <zero@example.com>');
  const ring = gpg('--export');
  t.ok(ring.stdout.length > 2000, `an exported keyring of three keys (${ring.stdout.length} bytes)`);
  t.same(kinds((await inspectBytes(ring.stdout, {}, { filename: 'keys.gpg' })).findings), [], 'the exported keyring (RSA 3072 and 2048, Ed25519, two user IDs)');
  const signed = spawnSync('gpg', ['--batch', '--homedir', home, '-u', 'u0@example.com', '-s'], { input: NOTICE.toString().repeat(20) });
  t.same(kinds((await inspectBytes(signed.stdout, {}, { filename: 'n.txt.gpg' })).findings), [], 'gpg -s with an RSA 3072 key');
  const detached = spawnSync('gpg', ['--batch', '--homedir', home, '-u', 'u2@example.com', '-b'], { input: NOTICE });
  t.same(kinds((await inspectBytes(detached.stdout, {}, { filename: 'n.txt.sig' })).findings), [], 'a detached RSA 2048 signature');
});
