// What of a signature, key, user ID or marker packet's body is random by nature (RFC 9580 §5.2, §5.5, §3.2): the
// MPIs and fixed-size key material, a signature's hash prefix and salt. The rest (subpacket areas, a user ID, the
// secret part of a secret key, anything past what the layout explains) is judged as content is: a message walked
// whole no longer vouches for cipher text carried in such a packet (review11: 8 KiB of cipher text as a user ID,
// signature or marker packet beside a literal crossed, the message "valid" and so not judged). A body that does not
// hold its layout is judged whole.

/** Bytes of an MPI at b[i] (two bytes of bit count, then the bits), or -1 when it does not fit. */
function mpi(b: Buffer, i: number): number {
  if (i + 2 > b.length) return -1;
  const n = 2 + ((b.readUInt16BE(i) + 7) >> 3);
  return i + n <= b.length ? n : -1;
}

/** Skips `count` MPIs from i: the index after them, or -1. */
function mpis(b: Buffer, i: number, count: number): number {
  for (let k = 0; k < count; k++) {
    const n = mpi(b, i);
    if (n < 0) return -1;
    i += n;
  }
  return i;
}

/** A curve OID (one byte of length, then the OID): the index after it, or -1. */
function oid(b: Buffer, i: number): number {
  if (i >= b.length || b[i] === 0 || b[i] === 0xff) return -1;
  return i + 1 + b[i]! <= b.length ? i + 1 + b[i]! : -1;
}

/** Public key material of algorithm `algo` from i (v4): the index after it, or -1. */
function keyMaterial(b: Buffer, i: number, algo: number): number {
  switch (algo) {
    case 1: case 2: case 3: return mpis(b, i, 2); // RSA n, e
    case 16: return mpis(b, i, 3); // Elgamal p, g, y
    case 17: return mpis(b, i, 4); // DSA p, q, g, y
    case 19: case 22: { const o = oid(b, i); return o < 0 ? -1 : mpis(b, o, 1); } // ECDSA, EdDSA (legacy)
    case 18: { // ECDH: OID, point, KDF parameters
      const o = oid(b, i);
      const p = o < 0 ? -1 : mpis(b, o, 1);
      return p < 0 || p >= b.length ? -1 : p + 1 + b[p]! <= b.length ? p + 1 + b[p]! : -1;
    }
    case 25: return i + 32; // X25519
    case 26: return i + 56; // X448
    case 27: return i + 32; // Ed25519
    case 28: return i + 57; // Ed448
    default: return -1;
  }
}

/** Signature material of algorithm `algo` from i: the index after it, or -1. */
function signatureMaterial(b: Buffer, i: number, algo: number): number {
  switch (algo) {
    case 1: case 2: case 3: return mpis(b, i, 1);
    case 16: case 17: case 19: case 22: return mpis(b, i, 2);
    case 27: return i + 64;
    case 28: return i + 114;
    default: return -1;
  }
}

/** The parts of a body that are random by nature, as [from, to) ranges, or null when the body does not hold its layout. */
function randomParts(tag: number, b: Buffer): Array<[number, number]> | null {
  const v = b[0];
  if (tag === 2) {
    if (v === 3) {
      // version, 5, type, time, key id, algorithms, hash prefix, MPIs
      if (b.length < 19 || b[1] !== 5) return null;
      const end = signatureMaterial(b, 19, b[15]!);
      return end === b.length ? [[7, 15], [17, end]] : null;
    }
    if (v === 4 || v === 6) {
      const w = v === 4 ? 2 : 4;
      let i = 4;
      for (let area = 0; area < 2; area++) {
        if (i + w > b.length) return null;
        i += w + b.readUIntBE(i, w);
      }
      // (Subpacket areas are judged: a binary notation or an unknown subpacket is anything.)
      const from = i;
      i += 2; // hash prefix
      if (v === 6) {
        if (i >= b.length) return null;
        i += 1 + b[i]!; // salt
      }
      const end = signatureMaterial(b, i, b[2]!);
      return end === b.length ? [[from, end]] : null;
    }
    return null;
  }
  if (tag === 6 || tag === 14 || tag === 5 || tag === 7) {
    let end: number;
    if (v === 4) end = keyMaterial(b, 6, b[5]!);
    else if (v === 5 || v === 6) end = b.length >= 10 ? 10 + b.readUInt32BE(6) : -1;
    else if (v === 3) end = b[7] === 1 || b[7] === 2 || b[7] === 3 ? mpis(b, 8, 2) : -1;
    else return null;
    if (end < 0 || end > b.length) return null;
    // A public key's material ends the body; a secret key's secret part (encrypted or not) is judged.
    return tag === 6 || tag === 14 ? (end === b.length ? [[6, end]] : null) : [[6, end]];
  }
  if (tag === 10) return b.equals(MARKER) ? [] : null;
  if (tag === 19) return b.length === 20 ? [[0, 20]] : null; // MDC: a SHA-1 hash
  if (tag === 4) {
    // One-pass signature: v3 its key id; v6 its salt and the signer's fingerprint.
    if (v === 3) return b.length === 13 ? [[4, 12]] : null;
    return v === 6 && b.length > 5 && b.length === 5 + b[4]! + 33 ? [[5, b.length - 1]] : null;
  }
  return []; // user ID, user attribute, trust: nothing random by nature
}

const MARKER = Buffer.from('PGP');

/** The bytes of a signature, key, user ID or marker packet's body that are judged as content (all of it when its layout does not hold). */
export function judgedBytes(tag: number, body: Buffer): Buffer[] {
  const parts = randomParts(tag, body);
  if (!parts) return [body];
  const out: Buffer[] = [];
  let at = 0;
  for (const [from, to] of parts) {
    if (from > at) out.push(body.subarray(at, from));
    at = Math.max(at, to);
  }
  if (at < body.length) out.push(body.subarray(at));
  return out;
}
