// C2SP signed-note and checkpoint formats, including the reference example
// of the Go implementation (golang.org/x/mod/sumdb/note), byte for byte.
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import t from 'tap';
import { formatCheckpoint, parseCheckpoint } from '../gateway/audit/checkpoint.js';
import { encodeVkey, keyId, openNote, parseVkey, rawPublicKey, signNote } from '../gateway/audit/signed-note.js';
import { formatTlogProof, parseTlogProof } from '../gateway/audit/tlog-proof.js';

// From golang.org/x/mod/sumdb/note's tests and documentation.
const VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const SEED = 'AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz'; // 0x01 ‖ 32-byte Ed25519 seed
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const NOTE = TEXT + '\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';

t.test('the reference note: key ID, vkey, signature byte for byte', async (t) => {
  const v = parseVkey(VKEY);
  t.equal(v.keyName, 'PeterNeumann');
  t.equal(v.keyId.toString('hex'), 'c74f20a3');
  const pub = Buffer.from(VKEY.split('+')[2]!, 'base64').subarray(1);
  const privateKey = createPrivateKey({
    key: { kty: 'OKP', crv: 'Ed25519', d: Buffer.from(SEED, 'base64').subarray(1).toString('base64url'), x: pub.toString('base64url') },
    format: 'jwk',
  });
  t.ok(rawPublicKey(privateKey).equals(pub));
  t.equal(encodeVkey('PeterNeumann', privateKey), VKEY, 'our vkey encoding is the reference one');
  t.equal(signNote(TEXT, { keyName: 'PeterNeumann', privateKey }), NOTE, 'Ed25519 is deterministic: the same note');
  t.same(openNote(NOTE, [v]), { text: TEXT, signedBy: ['PeterNeumann'] });
  t.throws(() => openNote(NOTE.replace('cryptography', 'cryptographY'), [v]), { code: 'NOTE_SIGNATURE_INVALID' });
});

t.test('notes refuse unknown keys, wrong keys and malformed input', async (t) => {
  const a = generateKeyPairSync('ed25519').privateKey;
  const b = generateKeyPairSync('ed25519').privateKey;
  const note = signNote('ferry.gateway/a\n3\n' + Buffer.alloc(32).toString('base64') + '\n', { keyName: 'ferry.gateway/a', privateKey: a });
  t.ok(openNote(note, [parseVkey(encodeVkey('ferry.gateway/a', a))]));
  t.throws(() => openNote(note, [parseVkey(encodeVkey('ferry.gateway/a', b))]), { code: 'NOTE_UNSIGNED' }, 'another key of the same name has another key ID');
  t.throws(() => openNote(note, []), { code: 'NOTE_UNSIGNED' });
  t.throws(() => openNote('no blank line\n', []), { code: 'NOTE_MALFORMED' });
  t.throws(() => parseVkey('name+00000000+AAAA'), { code: 'NOTE_VKEY_INVALID' });
  t.throws(() => parseVkey(VKEY.replace('c74f20a3', 'c74f20a4')), { code: 'NOTE_VKEY_INVALID' });
  t.throws(() => encodeVkey('has space', a), { code: 'NOTE_KEY_NAME' });
  t.equal(keyId('x', Buffer.alloc(32)).length, 4);
});

t.test('checkpoint bodies follow C2SP tlog-checkpoint', async (t) => {
  const root = Buffer.alloc(32, 7);
  const body = formatCheckpoint({ origin: 'ferry.gateway/gw1', size: 1234, root });
  t.equal(body, `ferry.gateway/gw1\n1234\n${root.toString('base64')}\n`);
  t.same(parseCheckpoint(body), { origin: 'ferry.gateway/gw1', size: 1234, root });
  t.throws(() => parseCheckpoint('o\n012\n' + root.toString('base64') + '\n'), { code: 'CHECKPOINT_MALFORMED' }, 'leading zero');
  t.throws(() => parseCheckpoint('o\n12\nAAAA\n'), { code: 'CHECKPOINT_MALFORMED' }, 'short root');
  t.throws(() => parseCheckpoint('o\n12\n' + root.toString('base64')), { code: 'CHECKPOINT_MALFORMED' }, 'no final newline');
});

t.test('tlog-proof text round-trips', async (t) => {
  const p = { extra: Buffer.from('record bytes'), index: 73894, hashes: [Buffer.alloc(32, 1), Buffer.alloc(32, 2)], checkpoint: NOTE };
  const text = formatTlogProof(p);
  t.ok(text.startsWith('c2sp.org/tlog-proof@v1\nextra '));
  t.match(text, /\nindex 73894\n/);
  t.same(parseTlogProof(text), p);
  t.throws(() => parseTlogProof(text.replace('index 73894', 'index 0073894')), { code: 'PROOF_MALFORMED' });
});
