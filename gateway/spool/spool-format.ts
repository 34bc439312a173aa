// The spool file format, version 1 (docs/spool-format.md describes it byte by
// byte). Writer and reader both take their layout from here.
//
//   offset  size  field
//   0       8     magic "FERRYSPL"
//   8       1     version = 1
//   9       80    per-transfer key, crypto_box_seal'ed to the gateway's X25519 key
//   89      24    crypto_secretstream_xchacha20poly1305 header
//   113     ...   messages: uint32 big-endian ciphertext length, then the ciphertext
//
// Every message is authenticated with the 113 header bytes as additional data,
// so a changed magic, version or sealed key is caught like a changed message;
// the last message carries TAG_FINAL, so truncation at a message boundary is caught.

export const SPOOL_MAGIC = Buffer.from('FERRYSPL', 'latin1');
export const SPOOL_VERSION = 1;
export const SEALED_KEY_BYTES = 32 + 48; // key + crypto_box_SEALBYTES (ephemeral pk 32, MAC 16)
export const STREAM_HEADER_BYTES = 24;
export const SPOOL_HEADER_BYTES = SPOOL_MAGIC.length + 1 + SEALED_KEY_BYTES + STREAM_HEADER_BYTES; // 113
export const LENGTH_PREFIX_BYTES = 4;
/** Plaintext bytes per message; the last one holds 0..MESSAGE_PLAIN_MAX. */
export const MESSAGE_PLAIN_MAX = 64 * 1024;
export const STREAM_ABYTES = 17;
/** The reader refuses a length prefix above this before allocating anything. */
export const MESSAGE_CIPHER_MAX = MESSAGE_PLAIN_MAX + STREAM_ABYTES;

export type SpoolErrorCode =
  | 'SPOOL_BAD_MAGIC'
  | 'SPOOL_UNSUPPORTED_VERSION'
  | 'SPOOL_KEY_MISMATCH'
  | 'SPOOL_TAMPERED'
  | 'SPOOL_TRUNCATED'
  | 'SPOOL_TRAILING_DATA';

const SENTENCES: Record<SpoolErrorCode, string> = {
  SPOOL_BAD_MAGIC: 'The file is not a Ferry spool file (bad magic bytes).',
  SPOOL_UNSUPPORTED_VERSION: 'The spool file has a format version this gateway does not read.',
  SPOOL_KEY_MISMATCH: 'The spool file\'s transfer key does not open with this gateway\'s sealing key.',
  SPOOL_TAMPERED: 'A message of the spool file failed authentication: the file was altered or damaged.',
  SPOOL_TRUNCATED: 'The spool file ends before its final message: it was truncated or never committed.',
  SPOOL_TRAILING_DATA: 'The spool file has bytes after its final message.',
};

/** A spool file that cannot be trusted; `code` is stable, the message is a sentence. */
export class SpoolError extends Error {
  readonly code: SpoolErrorCode;
  constructor(code: SpoolErrorCode, detail?: string) {
    super(detail ? `${SENTENCES[code]} ${detail}` : SENTENCES[code]);
    this.name = 'SpoolError';
    this.code = code;
  }
}
