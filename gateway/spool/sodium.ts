// One interface over two builds of libsodium: sodium-native (a C addon, about
// 3x faster) when it loads, libsodium-wrappers (WebAssembly) when it does not.
// Both run the same libsodium code, so the bytes they write are the same wire
// format: crypto_secretstream_xchacha20poly1305 and crypto_box_seal as in
// https://doc.libsodium.org/secret-key_cryptography/secretstream and
// https://doc.libsodium.org/public-key_cryptography/sealed_boxes.
import { createRequire } from 'node:module';

export type SodiumBackendName = 'native' | 'wasm';

/** The push side of one secretstream. */
export interface SecretstreamPush {
  /**
   * Encrypts `message` with `tag` into `out`, which must be exactly
   * message.length + ABYTES long (the caller owns the buffer, so the writer can
   * put a length prefix in front of the ciphertext without a copy).
   */
  pushInto(message: Uint8Array, tag: number, ad: Uint8Array | null, out: Uint8Array): void;
}

/** The pull side of one secretstream. */
export interface SecretstreamPull {
  /** Decrypts one message; null when it does not authenticate. */
  pull(ciphertext: Uint8Array, ad: Uint8Array | null): { message: Buffer; tag: number } | null;
}

export interface SodiumBackend {
  readonly name: SodiumBackendName;
  readonly KEYBYTES: number;
  readonly HEADERBYTES: number;
  readonly ABYTES: number;
  readonly SEALBYTES: number;
  readonly TAG_MESSAGE: number;
  readonly TAG_FINAL: number;
  randomBytes(n: number): Buffer;
  /** crypto_box_seal: anonymous encryption to an X25519 public key. */
  boxSeal(message: Uint8Array, publicKey: Uint8Array): Buffer;
  /** crypto_box_seal_open; null when the key pair does not open it. */
  boxSealOpen(ciphertext: Uint8Array, publicKey: Uint8Array, secretKey: Uint8Array): Buffer | null;
  initPush(key: Uint8Array): { header: Buffer; stream: SecretstreamPush };
  initPull(header: Uint8Array, key: Uint8Array): SecretstreamPull;
  /** Overwrites secret bytes (sodium_memzero where available). */
  wipe(buf: Uint8Array): void;
}

const require = createRequire(import.meta.url);

// sodium-native's own typings are not installed; this is the part we call.
interface SodiumNative {
  crypto_secretstream_xchacha20poly1305_STATEBYTES: number;
  crypto_secretstream_xchacha20poly1305_KEYBYTES: number;
  crypto_secretstream_xchacha20poly1305_HEADERBYTES: number;
  crypto_secretstream_xchacha20poly1305_ABYTES: number;
  crypto_secretstream_xchacha20poly1305_TAG_MESSAGE: number;
  crypto_secretstream_xchacha20poly1305_TAG_FINAL: number;
  crypto_box_SEALBYTES: number;
  randombytes_buf(buf: Uint8Array): void;
  sodium_memzero(buf: Uint8Array): void;
  crypto_box_seal(c: Uint8Array, m: Uint8Array, pk: Uint8Array): void;
  crypto_box_seal_open(m: Uint8Array, c: Uint8Array, pk: Uint8Array, sk: Uint8Array): boolean;
  crypto_secretstream_xchacha20poly1305_init_push(state: Buffer, header: Uint8Array, key: Uint8Array): void;
  crypto_secretstream_xchacha20poly1305_push(state: Buffer, c: Uint8Array, m: Uint8Array, ad: Uint8Array | null, tag: number): number;
  crypto_secretstream_xchacha20poly1305_init_pull(state: Buffer, header: Uint8Array, key: Uint8Array): void;
  crypto_secretstream_xchacha20poly1305_pull(state: Buffer, m: Uint8Array, tag: Uint8Array, c: Uint8Array, ad: Uint8Array | null): number;
}

function nativeBackend(sn: SodiumNative): SodiumBackend {
  const STATEBYTES = sn.crypto_secretstream_xchacha20poly1305_STATEBYTES;
  const ABYTES = sn.crypto_secretstream_xchacha20poly1305_ABYTES;
  return {
    name: 'native',
    KEYBYTES: sn.crypto_secretstream_xchacha20poly1305_KEYBYTES,
    HEADERBYTES: sn.crypto_secretstream_xchacha20poly1305_HEADERBYTES,
    ABYTES,
    SEALBYTES: sn.crypto_box_SEALBYTES,
    TAG_MESSAGE: sn.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
    TAG_FINAL: sn.crypto_secretstream_xchacha20poly1305_TAG_FINAL,
    randomBytes(n) {
      const b = Buffer.alloc(n);
      sn.randombytes_buf(b);
      return b;
    },
    boxSeal(message, publicKey) {
      const c = Buffer.alloc(message.length + sn.crypto_box_SEALBYTES);
      sn.crypto_box_seal(c, message, publicKey);
      return c;
    },
    boxSealOpen(ciphertext, publicKey, secretKey) {
      if (ciphertext.length < sn.crypto_box_SEALBYTES) return null;
      const m = Buffer.alloc(ciphertext.length - sn.crypto_box_SEALBYTES);
      return sn.crypto_box_seal_open(m, ciphertext, publicKey, secretKey) ? m : null;
    },
    initPush(key) {
      // The state lives outside the V8 heap's moving objects: a Buffer is fine.
      const state = Buffer.alloc(STATEBYTES);
      const header = Buffer.alloc(sn.crypto_secretstream_xchacha20poly1305_HEADERBYTES);
      sn.crypto_secretstream_xchacha20poly1305_init_push(state, header, key);
      return {
        header,
        stream: {
          pushInto(message, tag, ad, out) {
            sn.crypto_secretstream_xchacha20poly1305_push(state, out, message, ad, tag);
          },
        },
      };
    },
    initPull(header, key) {
      const state = Buffer.alloc(STATEBYTES);
      sn.crypto_secretstream_xchacha20poly1305_init_pull(state, header, key);
      const tag = Buffer.alloc(1);
      return {
        pull(ciphertext, ad) {
          if (ciphertext.length < ABYTES) return null;
          const message = Buffer.allocUnsafe(ciphertext.length - ABYTES);
          try {
            // sodium-native throws "pull failed" when the MAC does not verify.
            sn.crypto_secretstream_xchacha20poly1305_pull(state, message, tag, ciphertext, ad);
          } catch {
            return null;
          }
          return { message, tag: tag[0]! };
        },
      };
    },
    wipe(buf) {
      sn.sodium_memzero(buf);
    },
  };
}

type Wasm = typeof import('libsodium-wrappers');

function wasmBackend(s: Wasm): SodiumBackend {
  const ABYTES = s.crypto_secretstream_xchacha20poly1305_ABYTES;
  const toBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
  return {
    name: 'wasm',
    KEYBYTES: s.crypto_secretstream_xchacha20poly1305_KEYBYTES,
    HEADERBYTES: s.crypto_secretstream_xchacha20poly1305_HEADERBYTES,
    ABYTES,
    SEALBYTES: s.crypto_box_SEALBYTES,
    TAG_MESSAGE: s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE,
    TAG_FINAL: s.crypto_secretstream_xchacha20poly1305_TAG_FINAL,
    randomBytes(n) {
      return toBuffer(s.randombytes_buf(n));
    },
    boxSeal(message, publicKey) {
      return toBuffer(s.crypto_box_seal(message, publicKey));
    },
    boxSealOpen(ciphertext, publicKey, secretKey) {
      try {
        return toBuffer(s.crypto_box_seal_open(ciphertext, publicKey, secretKey));
      } catch {
        return null; // libsodium.js throws "incorrect key pair for the given ciphertext"
      }
    },
    initPush(key) {
      const { state, header } = s.crypto_secretstream_xchacha20poly1305_init_push(key);
      return {
        header: toBuffer(header),
        stream: {
          pushInto(message, tag, ad, out) {
            out.set(s.crypto_secretstream_xchacha20poly1305_push(state, message, ad, tag));
          },
        },
      };
    },
    initPull(header, key) {
      const state = s.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
      return {
        pull(ciphertext, ad) {
          if (ciphertext.length < ABYTES) return null;
          const r = s.crypto_secretstream_xchacha20poly1305_pull(state, ciphertext, ad);
          return r ? { message: toBuffer(r.message), tag: r.tag } : null;
        },
      };
    },
    wipe(buf) {
      s.memzero(buf);
    },
  };
}

function tryNative(): SodiumBackend | null {
  try {
    return nativeBackend(require('sodium-native') as SodiumNative);
  } catch {
    return null; // optional dependency: absent, or no prebuild for this platform
  }
}

async function loadWasm(): Promise<SodiumBackend> {
  const mod = await import('libsodium-wrappers');
  const s = ((mod as unknown as { default?: Wasm }).default ?? mod) as Wasm;
  await s.ready;
  return wasmBackend(s);
}

const cache = new Map<SodiumBackendName, Promise<SodiumBackend>>();

/**
 * The libsodium backend: native when it loads (or when asked for), else wasm.
 * `prefer: 'wasm'` forces the WebAssembly build; `prefer: 'native'` falls back
 * to wasm when the addon does not load — check `backend.name`.
 */
export function loadSodium(prefer: SodiumBackendName = 'native'): Promise<SodiumBackend> {
  let p = cache.get(prefer);
  if (!p) {
    p = prefer === 'native' ? Promise.resolve(tryNative()).then((b) => b ?? loadWasm()) : loadWasm();
    p.catch(() => cache.delete(prefer)); // a failed load may be retried
    cache.set(prefer, p);
  }
  return p;
}
