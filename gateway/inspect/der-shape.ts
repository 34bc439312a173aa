// Is binary content one DER-encoded ASN.1 value (a certificate, a key, a
// CSR, a CMS signature)? Its key and signature are random bytes by nature
// (an RSA-4096 certificate holds 1 KiB of them), so its entropy says
// "encrypted" (red team, 30 Nov: every such certificate in PEM was refused
// `uninspectable`). The whole of it must parse (ITU-T X.690 §8.1, definite
// lengths, every value inside its parent, nothing after it), and it may hold
// at most MAX_LARGE primitives of more than 128 bytes, none over MAX_PRIMITIVE:
// a cipher text cannot ride through as an octet string of any size.

/** Certificates and keys are a few KiB; more than this is not judged DER (and is judged by its entropy). */
const MAX_DER = 64 * 1024;
/** An RSA-8192 modulus or signature with its leading zero. */
const MAX_PRIMITIVE = 1100;
/** A certificate chain's keys and signatures (two a certificate). */
const MAX_LARGE = 8;

export class DerShape {
  #held: Buffer[] = [];
  #n = 0;
  #possible = true;

  write(chunk: Buffer): void {
    if (!this.#possible) return;
    if (this.#n === 0 && chunk.length > 0 && chunk[0] !== 0x30) this.#possible = false;
    else if (this.#n + chunk.length > MAX_DER) this.#possible = false;
    if (!this.#possible) {
      this.#held = [];
      return;
    }
    this.#held.push(Buffer.from(chunk));
    this.#n += chunk.length;
  }

  /** The content seen is one DER value within the limits above. */
  valid(): boolean {
    if (!this.#possible || this.#n < 2) return false;
    const b = Buffer.concat(this.#held);
    const large = { n: 0 };
    return walk(b, 0, b.length, 0, large) === b.length;
  }
}

/** Parses the values in b[from, to); returns `to` when they fill it exactly, else -1. */
function walk(b: Buffer, from: number, to: number, depth: number, large: { n: number }): number {
  if (depth > 32) return -1;
  let i = from;
  while (i < to) {
    const tag = b[i++]!;
    if ((tag & 0x1f) === 0x1f) return -1; // high tag numbers: not in certificates and keys
    if (i >= to) return -1;
    let len = b[i++]!;
    if (len === 0x80) return -1; // indefinite length is BER, not DER
    if (len > 0x80) {
      const k = len & 0x7f;
      if (k > 3 || i + k > to) return -1;
      len = 0;
      for (let j = 0; j < k; j++) len = len * 256 + b[i++]!;
    }
    if (i + len > to) return -1;
    if (tag & 0x20) {
      if (walk(b, i, i + len, depth + 1, large) !== i + len) return -1;
    } else if (len > 128) {
      if (len > MAX_PRIMITIVE || ++large.n > MAX_LARGE) return -1;
    }
    i += len;
  }
  return i === to ? to : -1;
}
