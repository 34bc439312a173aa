import { isUtf8 } from 'node:buffer';

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

// What a packet read as text carries beyond its layout must be text (W3 rest, 2 Dec). The judgement above needs
// 1 KiB to call bytes cipher text, so under 1 KiB of it crossed in a user ID, a binary notation, an unknown
// subpacket, a marker packet's tail or a user attribute. Now a packet's bytes are its layout (fields of known
// size: times, key ids, fingerprints, algorithm lists, hashes, MPIs), text (UTF-8 with no control characters but
// tabs and line ends: user IDs, URIs, human-readable notations, a reason for revocation), or stray: stray bytes are
// refused whatever their number (uninspectable), as an encrypted packet is by its tag. Ordinary keys and
// signatures (what gpg, Sequoia and OpenPGP.js write) hold none.

/** Subpacket types of a fixed layout (RFC 9580 §5.2.3.7 ff.), with the most bytes each may hold (type byte excluded). */
const SUBPACKET_MAX = new Map<number, number>([
  [2, 4], [3, 4], [4, 1], [5, 2], [7, 1], [9, 4], [11, 32], [12, 34], [16, 8], [21, 32], [22, 32], [23, 8], [25, 1],
  [27, 8], [30, 8], [31, 2 + 64], [33, 33], [34, 64], [35, 33], [39, 64],
]);
/** Subpacket types that hold text: regular expression, preferred key server, policy URI, signer's user ID. */
const TEXT_SUBPACKETS = new Set([6, 24, 26, 28]);

/**
 * Text as a user ID's or a URI's: valid UTF-8, no control characters but tabs and line ends (a regex may end in NUL).
 * cut: the data ended inside it: a character the end cut in two is let go (what there is of it must be its start).
 */
function textOk(b: Buffer, cut = false): boolean {
  if (cut) b = b.subarray(0, b.length - cutCharacter(b));
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && !(c === 0 && i === b.length - 1)) || c === 0x7f) return false;
  }
  return isUtf8(b);
}

/** Bytes at b's end that start a UTF-8 character and lack the rest of it (0 to 3). */
function cutCharacter(b: Buffer): number {
  for (let k = 1; k <= Math.min(3, b.length); k++) {
    const c = b[b.length - k]!;
    if ((c & 0xc0) === 0x80) continue;
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > k ? k : 0;
  }
  return 0;
}

/**
 * A subpacket area b[from, to): null when every subpacket holds its layout or text, else what is stray. cut: the
 * data ended at `to` inside the area: the last subpacket is held to its layout as far as it goes (binfp, 2 Dec).
 */
function strayInArea(b: Buffer, from: number, to: number, depth: number, cut = false): string | null {
  let i = from;
  while (i < to) {
    const o1 = b[i]!;
    let len: number;
    if (o1 < 192) {
      len = o1;
      i += 1;
    } else if (o1 < 255) {
      if (i + 2 > to) return cut ? null : 'a subpacket length past its area';
      len = ((o1 - 192) << 8) + b[i + 1]! + 192;
      i += 2;
    } else {
      if (i + 5 > to) return cut ? null : 'a subpacket length past its area';
      len = b.readUInt32BE(i + 1);
      i += 5;
    }
    if (len < 1 || (i + len > to && !cut)) return 'a subpacket length past its area';
    if (i >= to) return null;
    // Cut by the data's end: what there is of its value.
    const short = i + len > to;
    const type = b[i]! & 0x7f;
    const v = b.subarray(i + 1, Math.min(i + len, to));
    i += len;
    const max = SUBPACKET_MAX.get(type);
    if (max !== undefined) {
      if (v.length > max) return `a subpacket of type ${type} of ${v.length} bytes (its layout holds at most ${max})`;
    } else if (TEXT_SUBPACKETS.has(type) || type === 29) {
      if (!textOk(type === 29 ? v.subarray(1) : v, short)) return `a subpacket of type ${type} that is not text`;
    } else if (type === 20) {
      // Notation: 4 bytes of flags, name and value lengths, then the name (text) and the value (text when flagged so).
      if (v.length < 8) return short ? null : 'a notation shorter than its layout';
      const n = v.readUInt16BE(4);
      const m = v.readUInt16BE(6);
      if (short ? 9 + n + m !== len : 8 + n + m !== v.length) return 'a notation whose lengths do not add up';
      if (!textOk(v.subarray(8, 8 + n), short && v.length < 8 + n)) return 'a notation whose name is not text';
      if (!textOk(v.subarray(8 + n), short)) return `a notation whose value is ${m} bytes that are not text (not human-readable)`;
    } else if (type === 32) {
      // An embedded signature: a signature packet's body of its own.
      if (depth > 2) return 'embedded signatures nested too deep';
      const s = straySignature(v, depth + 1, short);
      if (s) return `an embedded signature holding ${s}`;
    } else return `a subpacket of type ${type}, which holds no layout read here`;
  }
  return null;
}

/**
 * A signature packet's body: null when it holds its layout, else what is stray. cut: the data ended inside it (a
 * packet longer than what follows its header): what there is must hold the layout as far as it goes, so that bytes
 * past a complete signature, or in a subpacket of no layout, are stray all the same (binfp, 2 Dec: a packet cut
 * short was not held to its layout, and under 1 KiB of cipher text in one crossed).
 */
function straySignature(b: Buffer, depth: number, cut = false): string | null {
  const v = b[0];
  if (v === undefined && cut) return null;
  if (v === 3) {
    if (randomParts(2, b)) return null;
    if (!cut || (b.length >= 2 && b[1] !== 5)) return 'a v3 signature that does not hold its layout';
    const end = b.length < 19 ? -1 : signatureMaterial(b, 19, b[15]!);
    return end >= 0 && end < b.length ? `${b.length - end} bytes after the signature material` : null;
  }
  if (v !== 4 && v !== 6) return `a signature of version ${v}`;
  const w = v === 4 ? 2 : 4;
  let i = 4;
  for (let area = 0; area < 2; area++) {
    if (i + w > b.length) return cut ? null : 'a signature cut short';
    const n = b.readUIntBE(i, w);
    if (i + w + n > b.length) return cut ? strayInArea(b, i + w, b.length, depth, true) : 'a subpacket area past the signature';
    const s = strayInArea(b, i + w, i + w + n, depth);
    if (s) return s;
    i += w + n;
  }
  i += 2;
  if (v === 6) {
    if (i >= b.length) return cut ? null : 'a signature cut short';
    i += 1 + b[i]!;
  }
  const end = signatureMaterial(b, i, b[2]!);
  if (end < 0 && !(cut && knownSignature(b[2]!))) return 'signature material that does not parse';
  // Cut inside its material (an MPI the end cut short), or where it ends: nothing stray yet.
  if (cut && (end < 0 || end >= b.length)) return null;
  return end === b.length ? null : `${b.length - end} bytes after the signature material`;
}

/** Signature algorithms whose material signatureMaterial reads. */
function knownSignature(algo: number): boolean {
  return [1, 2, 3, 16, 17, 19, 22, 27, 28].includes(algo);
}

/**
 * What a packet read as text carries that is neither its layout nor text (a description), or null when it holds
 * none. Keys' secret parts and bodies over the layout's bound are judged by their entropy instead (judgedBytes).
 */
export function strayBytes(tag: number, body: Buffer, cut = false): string | null {
  switch (tag) {
    case 2: return straySignature(body, 0, cut);
    case 10: return body.equals(MARKER) || (cut && MARKER.subarray(0, body.length).equals(body)) ? null : 'a marker packet that is not "PGP"';
    case 13: return textOk(body, cut) ? null : 'a user ID that is not text';
    case 12: return body.length <= 16 ? null : `a trust packet of ${body.length} bytes`;
    case 17: {
      // Subpackets of images: a v1 header of 16 bytes (its length, 1, the format 1 for JPEG, zeros), then a JPEG.
      for (let i = 0; i < body.length; ) {
        const l = newSubLength(body, i);
        if (cut && (!l || l.at + l.len > body.length)) return l && !jpegHeadSoFar(body.subarray(l.at)) ? 'a user attribute that is not a JPEG image' : null;
        if (!l || l.at + l.len > body.length || l.len < 1) return 'a user attribute subpacket past its packet';
        const v = body.subarray(l.at + 1, l.at + l.len);
        if (body[l.at] !== 1 || v.length < 19 || !jpegHeadSoFar(body.subarray(l.at, l.at + l.len))) {
          return 'a user attribute that is not a JPEG image';
        }
        i = l.at + l.len;
      }
      return null;
    }
    default: return null;
  }
}

/** An image subpacket (its type, then the v1 header: 16 LE, version 1, format 1 JPEG, zeros, then FF D8) as far as it goes. */
function jpegHeadSoFar(s: Buffer): boolean {
  const want: Array<[number, number]> = [[0, 1], [1, 16], [2, 0], [3, 1], [4, 1], [17, 0xff], [18, 0xd8]];
  return want.every(([k, x]) => k >= s.length || s[k] === x);
}

function newSubLength(b: Buffer, i: number): { len: number; at: number } | null {
  const o1 = b[i];
  if (o1 === undefined) return null;
  if (o1 < 192) return { len: o1, at: i + 1 };
  if (o1 < 255) return i + 2 > b.length ? null : { len: ((o1 - 192) << 8) + b[i + 1]! + 192, at: i + 2 };
  return i + 5 > b.length ? null : { len: b.readUInt32BE(i + 1), at: i + 5 };
}
