// C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 signatures
// (signature type 0x01). A note is text ending in a newline, a blank line,
// then lines "— <key name> <base64(key ID ‖ signature)>". The key ID is the
// first 4 bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key).
import { createPublicKey, hash, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';

const ED25519 = 0x01;
const SIG_PREFIX = '\u2014 ';

export interface NoteSigner {
  keyName: string;
  privateKey: KeyObject;
}

export interface NoteVerifier {
  keyName: string;
  keyId: Buffer;
  publicKey: KeyObject;
}

export class NoteError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'NoteError';
    this.code = code;
  }
}

function checkKeyName(name: string): void {
  // signed-note: key names are non-empty and hold no Unicode spaces or '+'.
  if (name.length === 0 || /[\s+]/u.test(name)) throw new NoteError('NOTE_KEY_NAME', `key name ${JSON.stringify(name)} is empty or holds a space or '+'`);
}

export function rawPublicKey(key: KeyObject): Buffer {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  if (pub.asymmetricKeyType !== 'ed25519') throw new NoteError('NOTE_KEY_TYPE', 'the key is not an Ed25519 key');
  const x = pub.export({ format: 'jwk' }).x;
  if (typeof x !== 'string') throw new NoteError('NOTE_KEY_TYPE', 'the key has no raw public part');
  return Buffer.from(x, 'base64url');
}

export function keyId(keyName: string, rawPub: Buffer): Buffer {
  return hash('sha256', Buffer.concat([Buffer.from(keyName, 'utf8'), Buffer.from([0x0a, ED25519]), rawPub]), 'buffer').subarray(0, 4);
}

/** The verifier key string `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`. */
export function encodeVkey(keyName: string, key: KeyObject): string {
  checkKeyName(keyName);
  const raw = rawPublicKey(key);
  return `${keyName}+${keyId(keyName, raw).toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), raw]).toString('base64')}`;
}

export function parseVkey(vkey: string): NoteVerifier {
  // The name holds no '+', the key ID is hex; the base64 key may hold '+'.
  const v = vkey.trim();
  const a = v.indexOf('+');
  const b = v.indexOf('+', a + 1);
  if (a <= 0 || b < 0) throw new NoteError('NOTE_VKEY_INVALID', 'a verifier key has the form <name>+<hex key ID>+<base64 key>');
  const keyName = v.slice(0, a);
  const idHex = v.slice(a + 1, b);
  const b64 = v.slice(b + 1);
  checkKeyName(keyName);
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length !== 33 || bytes[0] !== ED25519 || !/^[0-9a-f]{8}$/.test(idHex)) {
    throw new NoteError('NOTE_VKEY_INVALID', 'the verifier key is not an Ed25519 (type 0x01) key');
  }
  const raw = bytes.subarray(1);
  const id = keyId(keyName, raw);
  if (id.toString('hex') !== idHex) throw new NoteError('NOTE_VKEY_INVALID', 'the verifier key ID does not match its name and key');
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  return { keyName, keyId: id, publicKey };
}

/** Write the gateway's verifier key to a file (public, so 0644), newline-terminated. */
export function writeVkeyFile(path: string, keyName: string, key: KeyObject): string {
  const vkey = encodeVkey(keyName, key);
  writeFileSync(path, vkey + '\n', { mode: 0o644 });
  chmodSync(path, 0o644);
  return vkey;
}

export function signNote(text: string, signer: NoteSigner): string {
  checkKeyName(signer.keyName);
  if (!text.endsWith('\n')) throw new NoteError('NOTE_MALFORMED', 'note text must end in a newline');
  const raw = rawPublicKey(signer.privateKey);
  const sig = sign(null, Buffer.from(text, 'utf8'), signer.privateKey);
  const blob = Buffer.concat([keyId(signer.keyName, raw), sig]).toString('base64');
  return `${text}\n${SIG_PREFIX}${signer.keyName} ${blob}\n`;
}

export interface SplitNote {
  text: string;
  signatures: { keyName: string; keyId: Buffer; signature: Buffer }[];
}

/** Split a note into its text and signature lines, without checking any signature. */
export function splitNote(note: string): SplitNote {
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) throw new NoteError('NOTE_MALFORMED', 'the note holds control characters');
  const sep = note.lastIndexOf('\n\n');
  if (sep < 0 || !note.endsWith('\n')) throw new NoteError('NOTE_MALFORMED', 'the note has no blank line before its signatures');
  const text = note.slice(0, sep + 1);
  const lines = note.slice(sep + 2, -1).split('\n');
  const signatures = lines.map((line) => {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m) throw new NoteError('NOTE_MALFORMED', `not a signature line: ${JSON.stringify(line)}`);
    const blob = Buffer.from(m[2]!, 'base64');
    if (blob.length < 5) throw new NoteError('NOTE_MALFORMED', 'a signature is too short');
    return { keyName: m[1]!, keyId: blob.subarray(0, 4), signature: blob.subarray(4) };
  });
  return { text, signatures };
}

/**
 * The note's text if at least one signature by a known key verifies. A line
 * naming a known key whose signature fails makes the whole note invalid;
 * lines by unknown keys are ignored, as the spec says.
 */
export function openNote(note: string, verifiers: NoteVerifier[]): { text: string; signedBy: string[] } {
  const { text, signatures } = splitNote(note);
  const signedBy: string[] = [];
  for (const s of signatures) {
    const v = verifiers.find((k) => k.keyName === s.keyName && k.keyId.equals(s.keyId));
    if (!v) continue;
    if (s.signature.length !== 64 || !verify(null, Buffer.from(text, 'utf8'), v.publicKey, s.signature)) {
      throw new NoteError('NOTE_SIGNATURE_INVALID', `the signature by ${s.keyName} does not verify`);
    }
    signedBy.push(s.keyName);
  }
  if (signedBy.length === 0) throw new NoteError('NOTE_UNSIGNED', 'the note carries no signature by a known key');
  return { text, signedBy };
}
