// An ASCII-armoured OpenPGP message (`.asc`) declared text/plain, as mail clients and web servers send it, was
// refused type-mismatch (ninth red team): file-type names the armour application/pgp-encrypted, signed or not.
// The armour is text, and OpenPGP's own names agree with it (type-compare.ts OPENPGP); what it holds is read as
// before: a marking in it is found, an encrypted message is uninspectable, and binary OpenPGP declared as text
// is still a type mismatch.
import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import t from 'tap';
import { inspectBytes, kinds } from './inspect-fixtures.js';
import { armor, packet } from './openpgp-fixtures.js';

const NOTICE = '关于召开年度工作会议的通知\n请各部门准时参加。\n'.repeat(20);
/** A literal data packet's body (RFC 9580 §5.9): format 'b', a file name, a date, the data. */
const literal = (name: string, text: string): Buffer => Buffer.concat([Buffer.from([0x62, name.length]), Buffer.from(name), Buffer.alloc(4), Buffer.from(text)]);
/** A message as `gpg -a -s` writes its data: a ZIP (raw deflate) compressed packet holding the literal one. */
const signedish = (text: string): Buffer => packet(8, Buffer.concat([Buffer.from([1]), deflateRawSync(packet(11, literal('notice.txt', text)))]));

t.test('an armoured message declared as text or as OpenPGP is clean', async (t) => {
  for (const type of ['text/plain', 'text/plain; charset=us-ascii', 'application/pgp-signature', 'application/pgp-keys', 'application/pgp-encrypted']) {
    const r = await inspectBytes(armor(signedish(NOTICE)), {}, { filename: 'notice.txt.asc', declaredType: type });
    t.same(kinds(r.findings), [], `compressed, declared ${type}`);
  }
  const stored = await inspectBytes(armor(packet(11, literal('notice.txt', NOTICE))), {}, { filename: 'notice.asc', declaredType: 'text/plain' });
  t.same(kinds(stored.findings), [], 'a literal packet alone (gpg --store -a), declared text/plain');
});

t.test('what it holds is still judged', async (t) => {
  const marked = await inspectBytes(armor(signedish(`${NOTICE}密级：机密★10年\n`)), {}, { filename: 'memo.asc', declaredType: 'text/plain' });
  t.ok(kinds(marked.findings).includes('classified-marking:机密'), `a marking in the armoured message: ${kinds(marked.findings).join(', ')}`);
  // A symmetrically encrypted session key (tag 3) and encrypted, integrity-protected data (tag 18): gpg -a -c's shape.
  const encrypted = Buffer.concat([packet(3, Buffer.from([4, 9, 3, 8, ...randomBytes(8), 0xc0])), packet(18, Buffer.concat([Buffer.from([1]), randomBytes(600)]))]);
  const enc = await inspectBytes(armor(encrypted), {}, { filename: 'memo.asc', declaredType: 'text/plain' });
  t.ok(kinds(enc.findings).includes('uninspectable:application/pgp-encrypted'), `encrypted: ${kinds(enc.findings).join(', ')}`);
  const binary = await inspectBytes(signedish(NOTICE), {}, { filename: 'notice.gpg', declaredType: 'text/plain' });
  t.ok(kinds(binary.findings).some((k) => k.startsWith('type-mismatch')), `binary OpenPGP declared text/plain: ${kinds(binary.findings).join(', ')}`);
});
