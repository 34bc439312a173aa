import { isUtf8 } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';

// The text that ASN.1 values in BER (and so DER) hold, read as the bytes stream, one value a line: character
// strings, octet strings and context-tagged primitives that hold text, octet strings that hold BER themselves
// (an extension's value) read as the values they hold, and a constructed string's pieces (BER's `24 80 04 …
// 00 00`, nested as deep as MAX_DEPTH) joined into the one value they are. Integers, bit strings, times and OIDs
// are not text and are passed over unread. Nothing is held but the value under way, MAX_VALUE of it; a longer
// value is read as it streams. Seventh red team, R27 (what was left of it on 2 Dec): DER over 64 KiB was not
// walked and BER's indefinite lengths not at all, so a marking split over values or pieces (`机` and `密` as two
// UTF8Strings, or an OCTET STRING of one-byte pieces nested in constructed ones) crossed.

/** Constructed values open at once: past this the rest is not read (`limited`). */
export const MAX_DEPTH = 32;
/** A value held whole (judged text or BER as a whole); a longer one is read in segments as it streams. */
const MAX_VALUE = 64 * 1024;

type Coding = 'utf8' | 'latin1' | 'utf16be' | 'utf32be' | 'octets';

/** Universal string types (tag numbers): how each is decoded. */
export const STRING_TAGS = new Map<number, Exclude<Coding, 'octets'>>([
  [0x0c, 'utf8'], [0x12, 'latin1'], [0x13, 'latin1'], [0x14, 'utf8'], [0x16, 'latin1'], [0x1a, 'latin1'],
  [0x1c, 'utf32be'], [0x1e, 'utf16be'],
]);

/** How a value of this tag (its number, primitive or constructed) is read as text, or null when it is not text. */
function codingOf(tag: number): Coding | null {
  const n = tag & ~0x20;
  if (STRING_TAGS.has(n)) return STRING_TAGS.get(n)!;
  // (A context-tagged constructed value is an explicit tag's wrapper, not a string in pieces.)
  if (n === 0x04 || ((tag & 0xe0) === 0x80)) return 'octets';
  return null;
}

/** Text as a memo's: no control characters but tabs and line ends, valid UTF-8, 4 bytes or more. */
export function isProse(b: Buffer): boolean {
  if (b.length < 4) return false;
  for (const c of b) if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return false;
  return isUtf8(b);
}

/** A string value's bytes as text (a T61String is written as UTF-8 by today's CAs when it is not Latin-1). */
export function decodeString(v: Buffer, how: Exclude<Coding, 'octets'>, tag: number): string {
  if (how === 'utf16be') return Buffer.from(v.subarray(0, v.length & ~1)).swap16().toString('utf16le');
  if (how === 'utf32be') {
    let s = '';
    for (let j = 0; j + 4 <= v.length; j += 4) {
      const c = v.readUInt32BE(j);
      if (c <= 0x10ffff) s += String.fromCodePoint(c);
    }
    return s;
  }
  if ((tag & ~0x20) === 0x14 && !isUtf8(v)) return v.toString('latin1');
  return v.toString(how);
}

interface Open {
  /** Where it ends (absolute), Infinity for an indefinite length (closed by 00 00). */
  end: number;
  /** Inside a constructed string: how its pieces are read. */
  coding: Coding | null;
}

/** A string value under way. */
interface Str {
  coding: Coding;
  tag: number;
  parts: Buffer[];
  n: number;
  /** Past MAX_VALUE: read in segments (decoders carry a cut character), nothing held. */
  stream: { utf8: StringDecoder; carry: Buffer; text: boolean } | null;
}

export class BerText {
  #stack: Open[] = [];
  #pos = 0;
  #hdr: number[] = [];
  /** Bytes of the primitive under way still to come. */
  #left = 0;
  /** The string value under way (a primitive, or a constructed string's pieces). */
  #str: Str | null = null;
  /** Its depth in #stack when it is a constructed one (closed when that value closes), else -1. */
  #strAt = -1;
  #lines: string[] = [];
  #started = false;
  #maxDepth: number;
  /** The bytes stopped being one BER value (or something follows it). */
  broken = false;
  /** Constructed values nested past MAX_DEPTH: the rest was not read. */
  limited = false;
  /** The one top value closed. */
  done = false;

  /** Values held in an octet string: any number of them, primitives too (an extension's value may be one string). */
  #inner: boolean;

  constructor(maxDepth = MAX_DEPTH, inner = false) {
    this.#maxDepth = maxDepth;
    this.#inner = inner;
  }

  /** Bytes read so far. */
  get read(): number {
    return this.#pos;
  }

  /** The bytes so far were one BER value, whole, and nothing after it. */
  get whole(): boolean {
    const closed = this.#inner ? this.#started && this.#stack.length === 0 && this.#left === 0 && this.#hdr.length === 0 : this.done;
    return closed && !this.broken && !this.limited;
  }

  /** The text read since the last take, one value a line. */
  take(): string {
    const s = this.#lines.join('');
    this.#lines = [];
    return s;
  }

  /** At the content's end: the values that end with it close. */
  end(): void {
    if (!this.broken && !this.limited && this.#left === 0 && this.#hdr.length === 0) this.#closeEnded();
  }

  write(b: Buffer): void {
    let i = 0;
    while (i < b.length && !this.broken && !this.limited) {
      if (this.#left > 0) {
        const n = Math.min(this.#left, b.length - i);
        if (this.#str) this.#add(b.subarray(i, i + n));
        i += n;
        this.#pos += n;
        this.#left -= n;
        if (this.#left === 0) this.#primitiveEnd();
        continue;
      }
      if (this.#hdr.length === 0) this.#closeEnded();
      if (this.done) {
        this.broken = true;
        break;
      }
      this.#hdr.push(b[i++]!);
      this.#pos++;
      this.#header();
    }
  }

  /** Definite values that end here close. */
  #closeEnded(): void {
    for (let top = this.#stack.at(-1); top && top.end === this.#pos; top = this.#stack.at(-1)) this.#close();
  }

  #close(): void {
    this.#stack.pop();
    if (this.#strAt === this.#stack.length) this.#endString();
    if (this.#stack.length === 0 && !this.#inner) this.done = true;
  }

  /** The header in #hdr, when it is whole: the value it opens. */
  #header(): void {
    const h = this.#hdr;
    if (h.length < 2) return;
    const top = this.#stack.at(-1);
    if (h.length === 2 && h[0] === 0 && h[1] === 0 && top?.end === Infinity) {
      this.#hdr = [];
      this.#close();
      return;
    }
    if (h[0] === 0) return this.#break(); // end-of-contents where no indefinite length is open
    // A high tag number (X.690 §8.1.2.4): its bytes while bit 8 is set, 4 at most.
    let at = 1;
    if ((h[0]! & 0x1f) === 0x1f) {
      while (at < h.length && h[at]! & 0x80) at++;
      if (at > 4) return this.#break();
      if (at >= h.length - 1) return;
      at++;
    }
    const first = h[at]!;
    let len = first;
    if (first > 0x80) {
      const k = first & 0x7f;
      if (k > 6) return this.#break();
      if (h.length < at + 1 + k) return;
      len = 0;
      for (let j = 0; j < k; j++) len = len * 256 + h[at + 1 + j]!;
    }
    this.#hdr = [];
    const tag = h[0]!;
    const constructed = (tag & 0x20) !== 0;
    const end = first === 0x80 ? Infinity : this.#pos + len;
    if ((first === 0x80 && !constructed) || first === 0xff) return this.#break();
    if (!top && this.#started) return this.#break();
    if (top && end !== Infinity && end > top.end) return this.#break();
    this.#started = true;
    if (constructed) {
      if (this.#stack.length >= this.#maxDepth) {
        this.limited = true;
        return;
      }
      const coding = top?.coding ?? (this.#str ? null : codingOf(tag));
      if (coding && !top?.coding) this.#begin(coding, tag, this.#stack.length);
      this.#stack.push({ end, coding });
      if (end === this.#pos) this.#close();
      return;
    }
    if (!top && !this.#inner) return this.#break(); // a primitive on its own is not a record
    const coding = top?.coding ?? codingOf(tag);
    if (coding && !this.#str) this.#begin(coding, tag, -1);
    this.#left = len;
    if (len === 0) this.#primitiveEnd();
  }

  #break(): void {
    this.broken = true;
    this.#hdr = [];
  }

  #begin(coding: Coding, tag: number, at: number): void {
    this.#str = { coding, tag, parts: [], n: 0, stream: null };
    this.#strAt = at;
  }

  /** A primitive ended: a string value on its own ends with it, a piece of a constructed one does not. */
  #primitiveEnd(): void {
    if (this.#str && this.#strAt < 0) this.#endString();
  }

  #add(b: Buffer): void {
    const s = this.#str!;
    if (!s.stream && s.n + b.length <= MAX_VALUE) {
      s.parts.push(Buffer.from(b));
      s.n += b.length;
      return;
    }
    if (!s.stream) {
      s.stream = { utf8: new StringDecoder('utf8'), carry: Buffer.alloc(0), text: true };
      const held = Buffer.concat(s.parts);
      s.parts = [];
      this.#segment(held);
    }
    this.#segment(b);
  }

  /** A segment of a long value, read as it streams: a cut character carried to the next. */
  #segment(b: Buffer): void {
    const s = this.#str!;
    const st = s.stream!;
    if (s.coding === 'utf8' || s.coding === 'octets') {
      // Octet strings that hold text read as such while every segment is text; one that is not ends the reading.
      if (s.coding === 'octets' && (!st.text || b.some((c) => (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f))) {
        st.text = false;
        return;
      }
      this.#lines.push(st.utf8.write(b));
      return;
    }
    if (s.coding === 'latin1') {
      this.#lines.push(b.toString('latin1'));
      return;
    }
    const unit = s.coding === 'utf16be' ? 2 : 4;
    const all = st.carry.length ? Buffer.concat([st.carry, b]) : b;
    const whole = all.length - (all.length % unit);
    // (A surrogate pair cut between segments is read as two characters not shown: rare past 64 KiB.)
    this.#lines.push(decodeString(all.subarray(0, whole), s.coding, s.tag));
    st.carry = Buffer.from(all.subarray(whole));
  }

  #endString(): void {
    const s = this.#str!;
    this.#str = null;
    this.#strAt = -1;
    if (s.stream) {
      if (s.stream.text) this.#lines.push(s.stream.utf8.end());
      this.#lines.push('\n');
      return;
    }
    const v = s.parts.length === 1 ? s.parts[0]! : Buffer.concat(s.parts);
    if (s.coding !== 'octets') {
      this.#lines.push(decodeString(v, s.coding, s.tag) + '\n');
      return;
    }
    // An octet string that holds BER (an extension's value, encapsulated content) is read as the values it holds.
    if (v.length >= 2 && (v[0]! & 0x1f) !== 0x1f && v[0] !== 0 && this.#stack.length < this.#maxDepth - 1) {
      const inner = new BerText(this.#maxDepth - this.#stack.length - 1, true);
      inner.write(v);
      inner.end();
      if (inner.whole && inner.read === v.length) {
        this.#lines.push(inner.take());
        return;
      }
      if (inner.limited) this.limited = true;
    }
    if (isProse(v)) this.#lines.push(v.toString('utf8') + '\n');
  }
}
