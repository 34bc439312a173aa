// A packet cut short by the data's end (its length runs past what follows its header) was not held to its layout
// (openpgp-structure.ts, strayBytes): the broken message was judged as content is, and under 1 KiB of it (or a
// little cipher text beside a long literal) not at all, so cipher text in a user ID, a binary notation, a private
// subpacket or past a signature's MPI crossed when its packet claimed more bytes than came. What there is of a
// cut packet is now held to the layout as far as it goes; ordinary signatures and keys cut anywhere hold none.
import { rmSync } from 'node:fs';
import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { encrypted } from './media-fixtures.js';
import { created, gpgWithKeys, notation, packet, signature, sub } from './openpgp-fixtures.js';
import { requires } from './helpers/requires.js';

t.setTimeout(180_000);

const CIPHER = Buffer.from(encrypted(300));
const NOTICE = Buffer.from('关于年度工作的通知\n请各处室按时报送材料。\n');
const literal = (text = NOTICE): Buffer => packet(11, Buffer.concat([Buffer.from([0x62, 5]), Buffer.from('a.txt'), Buffer.alloc(4), text]));
const onePass = packet(4, Buffer.from([3, 0, 8, 1, 1, 2, 3, 4, 5, 6, 7, 8, 1]));
const signed = (sig: Buffer): Buffer => Buffer.concat([onePass, literal(), sig]);
/** A packet (packet()'s five-octet length) that claims `more` bytes than it holds: the data ends inside it. */
const claimsMore = (p: Buffer, more = 2000): Buffer => {
  const b = Buffer.from(p);
  b.writeUInt32BE(b.readUInt32BE(2) + more, 2);
  return b;
};
const STRAY = 'neither its layout nor text';
const strayFound = async (body: Buffer, filename: string): Promise<boolean> => (await inspectBytes(body, {}, { filename })).findings.some((f) => f.detail?.includes(STRAY) === true);

t.test('cipher text in a packet cut short by the data\'s end is uninspectable', async (t) => {
  const cut = signature(Buffer.concat([created, notation(0, 'x@example.com', CIPHER)]));
  const cases: Array<[string, Buffer]> = [
    ['a user ID of 300 random bytes that claims 2,000 more', Buffer.concat([literal(), claimsMore(packet(13, CIPHER))])],
    ['a binary notation of 300 bytes in a signature that claims more', signed(claimsMore(cut))],
    ['a private subpacket (type 100) of 300 bytes, the signature claiming more', signed(claimsMore(signature(Buffer.concat([created, sub(100, CIPHER)]))))],
    ['300 bytes after the signature MPI, the signature claiming more', signed(claimsMore(signature(created, CIPHER)))],
    ['a marker packet with 300 bytes after PGP that claims more', Buffer.concat([claimsMore(packet(10, Buffer.concat([Buffer.from('PGP'), CIPHER]))), literal()])],
    ['a user attribute that is no JPEG, cut', Buffer.concat([literal(), claimsMore(packet(17, sub(1, Buffer.concat([Buffer.from([16, 0, 1, 1]), Buffer.alloc(12), CIPHER]))))])],
    ['the data ending inside a binary notation', signed(Buffer.from(cut.subarray(0, cut.indexOf(CIPHER) + 200)))],
    ['900 bytes of a user ID cut, after a literal of 6 KB of text', Buffer.concat([literal(Buffer.from(NOTICE.toString().repeat(100))), claimsMore(packet(13, encrypted(900)))])],
  ];
  for (const [name, body] of cases) {
    const k = kinds((await inspectBytes(body, {}, { filename: 'm.gpg' })).findings);
    t.ok(k.includes('uninspectable:application/pgp'), `${name}: ${k.join(', ')}`);
  }
});

t.test('ordinary signatures cut anywhere hold nothing stray', async (t) => {
  const area = Buffer.concat([created, sub(16, Buffer.alloc(8, 0x5c)), sub(33, Buffer.concat([Buffer.from([4]), Buffer.alloc(20, 0x3c)])), sub(27, Buffer.from([3])),
    notation(0x80, 'memo@example.com', Buffer.from('关于召开会议的通知')), sub(26, Buffer.from('https://example.com/policy')), sub(28, Buffer.from('张三 <zhang@example.com>'))]);
  const whole = signed(signature(area));
  const uid = Buffer.concat([literal(), packet(13, Buffer.from('用户 零 (工作) <zero@example.com>'))]);
  let stray = 0;
  for (const [b, from] of [[whole, onePass.length + literal().length], [uid, literal().length]] as const) {
    for (let at = from + 1; at < b.length; at++) if (await strayFound(b.subarray(0, at), 'a.txt.gpg')) stray++;
  }
  t.equal(stray, 0, 'a built signature and a Chinese user ID cut at every byte');
});

t.test('what gpg writes, cut anywhere, holds nothing stray', { skip: requires('gpg') }, async (t) => {
  const made = gpgWithKeys('ferry-gpg-cut-');
  if (!made) return void t.fail('gpg could not make the keys this test needs');
  t.teardown(() => rmSync(made.home, { recursive: true, force: true }));
  const { gpg } = made;
  const samples: Array<[string, Buffer]> = [
    ['an exported keyring', gpg(['--export']).stdout],
    ['a detached RSA signature with a readable notation', gpg(['-u', 'u0@example.com', '--sig-notation', 'memo@example.com=会议', '-b'], NOTICE).stdout],
    ['a detached Ed25519 signature with a policy URL', gpg(['-u', 'u1@example.com', '--sig-policy-url', 'https://example.com/p', '-b'], NOTICE).stdout],
  ];
  for (const [name, b] of samples) {
    let stray = 0;
    const step = Math.max(1, Math.floor(b.length / 150));
    for (let at = 8; at < b.length; at += step) if (await strayFound(b.subarray(0, at), 'n.sig')) stray++;
    t.equal(stray, 0, `${name} (${b.length} bytes) cut every ${step} bytes`);
  }
});
