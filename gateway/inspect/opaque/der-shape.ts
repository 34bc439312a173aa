import { isUtf8 } from 'node:buffer';
import { BerText, decodeString, isProse, STRING_TAGS } from './ber-text.js';

// Is binary content one DER-encoded ASN.1 value (a certificate, a key, a
// CSR, a CMS signature)? Its key and signature are random bytes by nature
// (an RSA-4096 certificate holds 1 KiB of them), so its entropy says
// "encrypted" (red team, 30 Nov: every such certificate in PEM was refused
// `uninspectable`). The whole of it must parse (ITU-T X.690 §8.1, definite
// lengths, every value inside its parent, nothing after it); an octet or bit
// string that holds DER itself (an extension's value, a public key) is walked
// as the values it holds; the primitives of 64 bytes or more left may be at
// most MAX_LARGE, none over MAX_PRIMITIVE; every primitive that is not text
// counts towards MAX_LARGE_BYTES, small ones too; and no
// value may name an encrypted content type (CMS EnvelopedData, EncryptedData,
// AuthEnvelopedData, PBES2): what `openssl cms -encrypt` writes is cipher
// text, whatever its size. Cipher text can still ride as a key's or a
// signature's bytes within these bounds (4,700 bytes at most a file).
// Before 1 December only primitives over 128 bytes were counted: 480 octet
// strings of 128 random bytes (61 KB) crossed, and so did an encrypted
// memo of 1 KB (fifth red team of 1 Dec, N28, N29).

/** Certificates and keys are a few KiB; more than this is not judged DER (and is judged by its entropy). */
const MAX_DER = 64 * 1024;
/** An RSA-8192 modulus or signature with its leading zero. */
const MAX_PRIMITIVE = 1100;
/** A certificate chain's keys and signatures (two a certificate). */
const MAX_LARGE = 8;
/**
 * The bytes of every primitive that is not text: an RSA-8192 private key (4,614 bytes of large primitives and
 * its small ones), a chain of four RSA-4096 certificates (4,104 and their serials, key ids and versions).
 */
const MAX_LARGE_BYTES = 4700;
/** Counted: a primitive this long can carry a payload worth naming (an RSA-512 modulus is 65 bytes). */
const LARGE = 64;

/** OIDs (content bytes) of values that hold cipher text: pkcs7-envelopedData, pkcs7-encryptedData, id-ct-authEnvelopedData, PBES2. */
const ENCRYPTED_OIDS = [
  '2a864886f70d010703', '2a864886f70d010706', '2a864886f70d0109100117', '2a864886f70d01050d',
].map((h) => Buffer.from(h, 'hex'));

/** id-signedData (1.2.840.113549.1.7.2). */
const SIGNED_DATA = Buffer.from('2a864886f70d010702', 'hex');
/** Bytes of a CMS signed-data's head looked at for its attached content (versions, digest algorithms, content type). */
const CMS_HEAD = 4096;

/** Constructed pieces of a BER content nested in one another (BER sets no bound; a writer nests one level at most). */
const MAX_NEST = 32;

/** Where a CMS signed-data's attached content lies, and what follows it. */
interface CmsLayout {
  /** The content octets [start, end). */
  start: number;
  end: number;
  /** The SignedData's end (certificates, CRLs and signer infos lie in [end, signedEnd)); the ContentInfo ends there too. -1 in BER. */
  signedEnd: number;
  /**
   * BER as `openssl cms -sign -stream` (and S/MIME libraries that stream) write it (review10): indefinite lengths
   * around the content, which is a constructed OCTET STRING (24 80) of pieces (04 len …) closed by 00 00; `end`
   * is not known until that end is read (Infinity until then). `open`: the indefinite lengths around the
   * content, each closed by 00 00 after it.
   */
  ber?: { open: number; end?: number };
}

/** A tag and a definite length at b[i]: the value's start and length; 'more' when b ends first; null for what DER does not write. */
function header(b: Buffer, i: number): { tag: number; at: number; len: number } | 'more' | null {
  if (i + 2 > b.length) return 'more';
  const tag = b[i]!;
  let len = b[i + 1]!;
  let at = i + 2;
  if ((tag & 0x1f) === 0x1f) return null;
  if (len === 0x80) return tag & 0x20 ? { tag, at, len: -1 } : null; // BER's indefinite length, constructed values only
  if (len > 0x80) {
    const k = len & 0x7f;
    if (k > 4) return null;
    if (at + k > b.length) return 'more';
    len = 0;
    for (let j = 0; j < k; j++) len = len * 256 + b[at++]!;
  }
  return { tag, at, len };
}

/**
 * ContentInfo { id-signedData, [0] SignedData { version, digestAlgorithms, EncapsulatedContentInfo { eContentType,
 * [0] OCTET STRING content }, … } } (RFC 5652 §5.1, DER as `openssl cms -sign -nodetach -outform DER` writes it):
 * where its content lies; 'more' while the head is short of it; null when it is no such thing.
 */
function cmsLayout(b: Buffer): CmsLayout | 'more' | null {
  const steps: Array<[number, boolean]> = [[0x30, true], [0x06, false], [0xa0, true], [0x30, true], [0x02, false], [0x31, false], [0x30, true], [0x06, false], [0xa0, true], [0x04, true]];
  let i = 0;
  let total = 0;
  let signedEnd = 0;
  let eciEnd = 0;
  let open = 0;
  for (let k = 0; k < steps.length; k++) {
    const [tag, into] = steps[k]!;
    const h = header(b, i);
    if (h === null || h === 'more') return h;
    // BER: the content in pieces (a constructed OCTET STRING of indefinite length), or whole inside indefinite lengths.
    if (k === 9 && h.tag === 0x24 && h.len < 0) return { start: h.at, end: Infinity, signedEnd: -1, ber: { open } };
    // A constructed OCTET STRING of definite length: its pieces end where it does.
    if (k === 9 && h.tag === 0x24) return { start: h.at, end: Infinity, signedEnd: -1, ber: { open, end: h.at + h.len } };
    if (k === 9 && h.tag === 0x04 && open > 0) return { start: h.at, end: h.at + h.len, signedEnd: -1, ber: { open } };
    if (h.tag !== tag) return null;
    if (h.len < 0) {
      open++;
      i = h.at;
      continue;
    }
    if (k === 0) total = h.at + h.len;
    if (k === 1 && (h.at + h.len > b.length ? 'more' : !b.subarray(h.at, h.at + h.len).equals(SIGNED_DATA))) return h.at + h.len > b.length ? 'more' : null;
    if (k === 3) signedEnd = h.at + h.len;
    if (k === 6) eciEnd = h.at + h.len;
    if (k === 9) return open === 0 && h.at + h.len === eciEnd && signedEnd === total ? { start: h.at, end: h.at + h.len, signedEnd } : null;
    i = into ? h.at : h.at + h.len;
  }
  return null;
}

interface Large {
  n: number;
  bytes: number;
  /** An encrypted content type was named. */
  encrypted: boolean;
}

export class DerShape {
  #held: Buffer[] = [];
  #n = 0;
  #possible = true;
  /** Bytes written so far (held or not). */
  #seen = 0;
  /** A CMS signed-data's attached content, found in its head: handed out as it streams, never held. */
  #cms: CmsLayout | null = null;
  /** The head is no CMS signed-data with its content attached (or was not found within CMS_HEAD). */
  #noCms = false;
  /** The content's bytes since the last takeContent(). */
  #content: Buffer[] = [];
  /** What follows the content (certificates, signer infos), held apart: walked as DER on its own. */
  #tail: Buffer[] = [];
  #tailN = 0;

  /**
   * A CMS signed-data's attached content, as it streams (seventh red team, 1 Dec, R27: a signed PDF or zip was not
   * opened as a file; its text was read only where its bytes are text, and a PDF whose content stream is
   * compressed crossed, while a signed PDF over 64 KiB with a picture was uninspectable). The caller inspects
   * it as a file of its own; the signed-data around it is judged without it (valid(), strings()).
   */
  takeContent(): Buffer[] {
    const c = this.#content;
    this.#content = [];
    return c;
  }

  /** Where the attached content ends when one was found (the caller inspects it as a file of its own), else -1. */
  contentEnd(): number {
    return this.#cms ? this.#cms.end : -1;
  }

  /**
   * The text of the values as they stream (ber-text.ts), for what is not a CMS signed-data with attached content:
   * DER over MAX_DER, which is not held, and BER's indefinite lengths, which walk() does not take.
   */
  #ber: BerText | null = null;
  /** The values' text is handed out as it is read: the content went past MAX_DER still reading as BER. */
  #released = false;

  write(chunk: Buffer): void {
    const from = this.#seen;
    this.#seen += chunk.length;
    if (this.#cms) return this.#cmsWrite(chunk, from);
    if (from === 0 && chunk[0] === 0x30) this.#ber = new BerText();
    this.#ber?.write(chunk);
    if (!this.#noCms) this.#findCms(chunk);
    if (this.#cms) {
      this.#ber = null;
      return;
    }
    if (this.#ber && !this.#released && this.#seen > MAX_DER && !this.#ber.broken) this.#released = true;
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

  /** Every byte so far while the head may still be a CMS signed-data's (CMS_HEAD, and the chunk that reaches past it). */
  #head: Buffer[] = [];

  #findCms(chunk: Buffer): void {
    this.#head.push(Buffer.from(chunk));
    const all = this.#head.length === 1 ? this.#head[0]! : Buffer.concat(this.#head);
    const layout = all[0] === 0x30 ? cmsLayout(all.subarray(0, CMS_HEAD)) : null;
    if (layout === 'more' && all.length < CMS_HEAD) return;
    this.#head = [];
    if (layout === null || layout === 'more') {
      this.#noCms = true;
      return;
    }
    // The head is held; what the bytes so far hold of the content and past it is handed on.
    this.#cms = layout;
    this.#possible = true;
    this.#held = [Buffer.from(all.subarray(0, layout.start))];
    this.#n = layout.start;
    this.#cmsWrite(all.subarray(layout.start), layout.start);
  }

  /** Bytes at [from, …) of a CMS signed-data: the content's handed out, the rest held (MAX_DER of it). */
  #cmsWrite(b: Buffer, from: number): void {
    if (this.#cms!.ber && this.#cms!.end === Infinity) {
      const used = this.#pieces(b, from);
      if (used === b.length) return;
      b = b.subarray(used);
      from += used;
    }
    const { end } = this.#cms!;
    const cut = Math.max(0, Math.min(b.length, end - from));
    if (cut > 0) this.#content.push(Buffer.from(b.subarray(0, cut)));
    if (cut < b.length && this.#possible) {
      this.#tailN += b.length - cut;
      if (this.#tailN > MAX_DER) {
        this.#possible = false;
        this.#tail = [];
      } else this.#tail.push(Buffer.from(b.subarray(cut)));
    }
  }

  /** BER content: bytes of a piece's header carried over a chunk's end, and the bytes left of the piece being read. */
  #pieceHead: number[] = [];
  #pieceLeft = 0;
  /** The constructed pieces open around the one being read: where each ends (Infinity: at its 00 00). */
  #nest: number[] = [];
  #nestLimited = false;

  /**
   * BER content pieces in b (at offset `from`): their bytes handed out; at the 00 00 that closes them, the content's
   * end is set. How many bytes of b were the content's. A piece that is not a primitive OCTET STRING (BER lets a
   * constructed one nest) ends the content there, and the rest cannot be vouched for (not valid: judged whole).
   */
  #pieces(b: Buffer, from: number): number {
    let i = 0;
    while (i < b.length) {
      if (this.#pieceLeft > 0) {
        const n = Math.min(this.#pieceLeft, b.length - i);
        this.#content.push(Buffer.from(b.subarray(i, i + n)));
        this.#pieceLeft -= n;
        i += n;
        continue;
      }
      // Constructed pieces that end here close (a definite one, or the content itself when its length is definite).
      const nest = this.#nest;
      while (this.#pieceHead.length === 0 && nest.length > 0 && nest.at(-1) === from + i) nest.pop();
      if (this.#pieceHead.length === 0 && nest.length === 0 && this.#cms!.ber!.end === from + i) {
        this.#cms!.end = from + i;
        return i;
      }
      this.#pieceHead.push(b[i++]!);
      const h = this.#pieceHead;
      if (h.length < 2) continue;
      if (h[0] === 0 && h[1] === 0) {
        this.#pieceHead = [];
        if (nest.length > 0 && nest.at(-1) === Infinity) {
          nest.pop();
          continue;
        }
        if (nest.length > 0 || this.#cms!.ber!.end !== undefined) {
          this.#cms!.end = from + i - 2;
          this.#possible = false;
          return i - 2;
        }
        this.#cms!.end = from + i;
        return i;
      }
      // BER lets a piece be a constructed OCTET STRING of pieces itself (X.690 §8.7.3.2): followed MAX_NEST deep.
      if (h[0] === 0x24 && nest.length < MAX_NEST && (h[1]! <= 0x80 || (h[1]! & 0x7f) <= 4)) {
        const k = h[1]! > 0x80 ? h[1]! & 0x7f : 0;
        if (h.length < 2 + k) continue;
        let len = k ? 0 : h[1]!;
        for (let j = 0; j < k; j++) len = len * 256 + h[2 + j]!;
        const outer = nest.length > 0 ? nest.at(-1)! : (this.#cms!.ber!.end ?? Infinity);
        const end = h[1] === 0x80 ? Infinity : from + i + len;
        this.#pieceHead = [];
        if (end > outer) {
          this.#cms!.end = from + i - h.length;
          this.#possible = false;
          return Math.max(0, i - h.length);
        }
        nest.push(end);
        continue;
      }
      if (h[0] === 0x24 && nest.length >= MAX_NEST) this.#nestLimited = true;
      if (h[0] !== 0x04 || h[1] === 0x80 || (h[1]! > 0x80 && (h[1]! & 0x7f) > 4)) {
        this.#cms!.end = from + i - h.length;
        this.#possible = false;
        this.#pieceHead = [];
        return i - h.length < 0 ? 0 : i - h.length;
      }
      const k = h[1]! > 0x80 ? h[1]! & 0x7f : 0;
      if (h.length < 2 + k) continue;
      let len = k ? 0 : h[1]!;
      for (let j = 0; j < k; j++) len = len * 256 + h[2 + j]!;
      this.#pieceLeft = len;
      this.#pieceHead = [];
    }
    return i;
  }

  #walked: { whole: boolean; large: Large } | null = null;

  #walk(): { whole: boolean; large: Large } {
    if (!this.#walked) {
      const large: Large = { n: 0, bytes: 0, encrypted: false };
      if (!this.#possible || this.#n < 2) return { whole: false, large };
      if (this.#cms) {
        // The signed-data without its content: its head as parsed, and what follows the content as DER values
        // that fill it to the end, which is the file's (in BER, with the end of each indefinite length between them).
        const tail = Buffer.concat(this.#tail);
        const ber = this.#cms.ber;
        const whole = ber ? this.#cms.end !== Infinity && berTail(tail, ber.open, large) : this.#seen === this.#cms.signedEnd && walk(tail, 0, tail.length, 0, large) === tail.length;
        this.#walked = { whole, large };
        return this.#walked;
      }
      const b = Buffer.concat(this.#held);
      this.#walked = { whole: walk(b, 0, b.length, 0, large) === b.length, large };
    }
    return this.#walked;
  }

  /**
   * The text of the content's values, one a line (see strings()), when it is not a CMS signed-data with attached
   * content: handed out as it is read once the content is past MAX_DER and still reads as BER; at the end, when
   * the whole of it was one BER value (a few bytes of random content that start as one are not read so).
   */
  takeText(final: boolean): string {
    const ber = this.#ber;
    if (!ber || this.#cms) return '';
    if (final) ber.end();
    return this.#released || (final && ber.whole && ber.read === this.#seen) ? ber.take() : '';
  }

  /** Constructed values nested past MAX_DEPTH in content that read as BER up to them: the rest was not read. */
  get limited(): boolean {
    return this.#nestLimited || this.#ber?.limited === true;
  }

  /** The content seen is one DER value within the limits above. */
  valid(): boolean {
    const { whole, large } = this.#walk();
    return whole && !large.encrypted && large.n <= MAX_LARGE && large.bytes <= MAX_LARGE_BYTES;
  }

  /**
   * The content seen is one DER value that names an encrypted content type: cipher text whatever its size, even
   * where content under 1 KiB is not judged by its entropy (a decoded base64 run: an S/MIME mail's 500 bytes).
   */
  encrypted(): boolean {
    const { whole, large } = this.#walk();
    return whole && large.encrypted;
  }

  /**
   * The text of the values that follow a CMS signed-data's content (certificates, signer infos), one a line, when
   * they walk whole; any other content's values are read by takeText() (ber-text.ts). What a certificate's
   * subject, a CMS signed-data's attached content or any record in DER carries in clear (seventh red team R27:
   * a personal certificate's id number as its subject serialNumber or in the identity-card extension
   * 1.2.156.10260.4.1.1, a signed memo of three lines, a memo beside random octet strings all crossed, since
   * content judged opaque is not read as text and DER that parses is spared `uninspectable`). Read: the
   * character strings (UTF8String, NumericString, PrintableString, T61String, IA5String, VisibleString,
   * UniversalString, BMPString), context-tagged primitives that are text (an e-mail or DNS name), and octet
   * strings that hold text or DER themselves (an extension's value, the encapsulated content). Integers, bit
   * strings, times and OIDs are not text and are not read: a certificate's serial, a key's numbers never make digits.
   */
  strings(): string | null {
    const { whole } = this.#walk();
    if (!whole || !this.#cms) return null;
    // (A CMS signed-data's content is the caller's file: the certificates and signer infos after it are read here.)
    const b = Buffer.concat(this.#cms ? this.#tail : this.#held);
    const out: string[] = [];
    if (this.#cms?.ber) {
      // Past the content's pieces: values between the ends of indefinite lengths (berTail walked them).
      for (let i = 0; i < b.length; ) {
        if (b[i] === 0 && b[i + 1] === 0) {
          i += 2;
          continue;
        }
        const h = header(b, i) as { at: number; len: number };
        readStrings(b, i, h.at + h.len, 0, out);
        i = h.at + h.len;
      }
    } else readStrings(b, 0, b.length, 0, out);
    return out.length > 0 ? out.join('\n') + '\n' : null;
  }
}

/** Collects the text of the values in b[from, to) (already walked whole) into out. */
function readStrings(b: Buffer, from: number, to: number, depth: number, out: string[]): void {
  let i = from;
  while (i < to) {
    const tag = b[i++]!;
    let len = b[i++]!;
    if (len > 0x80) {
      const k = len & 0x7f;
      len = 0;
      for (let j = 0; j < k; j++) len = len * 256 + b[i++]!;
    }
    const end = i + len;
    if (tag & 0x20) readStrings(b, i, end, depth + 1, out);
    else if (STRING_TAGS.has(tag)) out.push(decodeString(b.subarray(i, end), STRING_TAGS.get(tag)!, tag));
    else if (tag === 0x04 || (tag & 0xc0) === 0x80) {
      // An octet string (or an implicitly tagged primitive) that holds DER (an extension's value) is read as the
      // values it holds; one that holds text (CMS encapsulated content, an e-mail address) as that text.
      if (tag === 0x04 && depth < 32 && len >= 2 && (b[i]! & 0x1f) !== 0x1f && walk(b, i, end, depth + 1, { n: 0, bytes: 0, encrypted: false }) === end) {
        readStrings(b, i, end, depth + 1, out);
      } else if (isProse(b.subarray(i, end))) {
        out.push(b.toString('utf8', i, end));
      }
    }
    i = end;
  }
}

/** Parses the values in b[from, to); returns `to` when they fill it exactly, else -1. */
/**
 * What follows a BER signed-data's content: the ends (00 00) of the `open` indefinite lengths around it, and
 * between them values in DER (certificates, CRLs, signer infos), to the file's end; each value walked as walk() does.
 */
function berTail(b: Buffer, open: number, large: Large): boolean {
  let ends = 0;
  let i = 0;
  while (i < b.length) {
    if (b[i] === 0 && b[i + 1] === 0) {
      ends++;
      i += 2;
      continue;
    }
    if (ends >= open) return false;
    const h = header(b, i);
    if (h === null || h === 'more' || h.len < 0 || h.at + h.len > b.length) return false;
    if (walk(b, i, h.at + h.len, 0, large) !== h.at + h.len) return false;
    i = h.at + h.len;
  }
  return ends === open;
}

function walk(b: Buffer, from: number, to: number, depth: number, large: Large): number {
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
    } else if (tag === 0x06) {
      const oid = b.subarray(i, i + len);
      if (ENCRYPTED_OIDS.some((e) => e.equals(oid))) large.encrypted = true;
    } else if (!encapsulated(b, tag, i, i + len, depth, large) && !isText(b, i, i + len)) {
      // Every primitive that is not text counts towards the bytes (a review of 1 Dec: 980 octet strings of 63
      // random bytes, each under LARGE, crossed); past the bounds the walk goes on (an encrypted content type
      // may still be named) but can no longer vouch.
      if (len > MAX_PRIMITIVE) large.n = MAX_LARGE + 1;
      if (len >= LARGE) large.n++;
      large.bytes += len;
    }
    i += len;
  }
  return i === to ? to : -1;
}

/** Printable ASCII or UTF-8 text with no control characters (names, addresses, times): not a payload's bytes. */
function isText(b: Buffer, from: number, to: number): boolean {
  if (to - from < 4) return false;
  for (let i = from; i < to; i++) if (b[i]! < 0x20 || b[i] === 0x7f) return false;
  return isUtf8(b.subarray(from, to));
}

/**
 * An octet string, or a bit string with no unused bits, whose content is DER itself (X.509 extension values,
 * a SubjectPublicKeyInfo's key): its values are counted, not the string. Random bytes parse so about never.
 */
function encapsulated(b: Buffer, tag: number, from: number, to: number, depth: number, large: Large): boolean {
  const start = tag === 0x04 ? from : tag === 0x03 && b[from] === 0 ? from + 1 : -1;
  if (start < 0 || start >= to || b[start] !== 0x30) return false;
  const inner: Large = { ...large };
  if (walk(b, start, to, depth + 1, inner) !== to) return false;
  Object.assign(large, inner);
  return true;
}
