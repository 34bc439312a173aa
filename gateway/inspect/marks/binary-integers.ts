import { namesPhone, namesResidentId } from './amount-context.js';
import { ElfExtent } from './elf-extent.js';
import { isResidentId, isResidentId15 } from './pii-checks.js';

// Integers stored as binary in records programs serialise (fifth red team,
// N19: contacts whose mobile numbers are integers crossed as msgpack, CBOR,
// BSON, a Python pickle or a NumPy .npy: the names were read, the numbers
// never, since 13812345678 is five to eight bytes, not eleven digits). In
// binary content of no known type, an integer is read where the format's own
// marker says one follows, and written as its digits a line each, for the
// text scanner (a view one level down):
//   msgpack  CF (uint 64), D3 (int 64): big-endian
//   CBOR     1B (uint 64): big-endian
//   BSON     12 (int64), a C string key, then little-endian
//   pickle   8A 05 (LONG1 of 5 bytes, little-endian), in content that starts as a pickle (80 02–05)
//   .npy     the array after a `\x93NUMPY` header whose descr is an 8-byte integer
// Written are integers of 11 digits (a mobile number), tested on the 32-bit
// high word before any number is made: a 64-bit value in that range has 3
// zero bytes above it, which random or ordinary binary seldom holds after a
// marker byte; and (issue 14, 1 Dec) resident id numbers: 18 digits that are
// an id (a province and prefecture, a birth date, the check digit: an id
// whose check is X is no integer), and 15 digits (a first-generation id,
// which has no check) only under a key that names an id (`idcard`, 身份证号).
// Where the record gives the value's key (a BSON element's name; the string
// just before it in msgpack, CBOR or a pickle's dict), the line is written
// `key: digits`, so that the text scanner reads it in its context as it reads
// `amount: 13812345678` or `mobile: …` in text (amount-context.ts). Other
// lengths are not written: random binary gave card numbers (a 16-digit value
// whose Luhn digit holds, one in some hundreds), and every such finding was
// false; random 64-bit values are 18 digits one time in 20, and of those
// about one in 100,000 is an id's shape (1e-8 a marker byte); nanosecond
// timestamps have 19 digits, hashes and random ids are anything (rarely an id).
// 32-bit forms are not read (a marker byte every few hundred in any binary).


const MOBILE_MIN = 10_000_000_000;
const MOBILE_MAX = 100_000_000_000;
const WORD = 2 ** 32;
/** The longest form looked at from its marker: BSON's type byte, a 64-byte key, its NUL, 8 bytes. */
const MAX_FORM = 1 + 64 + 1 + 8;
/** The most bytes a form reads before its marker: a key of 31 and its head, a pickle's MEMOIZE after it (keyBefore); rounded up. */
const LOOK_BACK = 40;
/** At most this many characters of digits a transfer: past it the view is cut (the content is still read raw). */
const MAX_OUT = 4 * 1024 * 1024;

const MARKER = new Uint8Array(256);
for (const m of [0xcf, 0xd3, 0x1b, 0x12, 0x8a]) MARKER[m] = 1;
/** The markers of a big-endian 64-bit value that follows at once: msgpack uint 64, int 64; CBOR uint 64. */
const BIG_ENDIAN = [0xcf, 0xd3, 0x1b];

/**
 * The digits of a 64-bit integer from its two 32-bit words when it may be a mobile number (11
 * digits) or a resident id (18 digits that are one; 15 digits that are one's shape, under a key
 * that names an id); else ''. The high word says which before any number is made.
 */
export function personalDigits(hi: number, lo: number, key: string): string {
  if (hi >= 2 && hi <= 23) {
    // 1e10 / 2^32 = 2.3, 1e11 / 2^32 = 23.3
    const v = hi * WORD + lo;
    return v >= MOBILE_MIN && v < MOBILE_MAX ? String(v) : '';
  }
  if (hi >= 23_283_064 && hi <= 232_830_643) {
    // 1e17 / 2^32 = 23,283,064.4; 1e18 / 2^32 = 232,830,643.7
    const s = ((BigInt(hi) << 32n) | BigInt(lo)).toString();
    return s.length === 18 && isResidentId(s) ? s : '';
  }
  if (hi >= 23_283 && hi <= 232_830 && key && namesResidentId(key)) {
    // 1e14 / 2^32 = 23,283.1; 1e15 / 2^32 = 232,830.6 (exact as a Number)
    const s = String(hi * WORD + lo);
    return isResidentId15(s) ? s : '';
  }
  return '';
}

/** A key of printable characters (no line break, no separator of the line written): '' when it is not. */
function keyText(b: Buffer, from: number, to: number): string {
  if (to <= from) return '';
  const k = b.toString('utf8', from, to);
  return /^[^\x00-\x1f\x7f:\ufffd]{1,64}$/.test(k) ? k : '';
}

/** How many of a 32-bit word's four bytes are zero. */
function zeroBytes(w: number): number {
  return +((w & 0xff) === 0) + +((w & 0xff00) === 0) + +((w & 0xff0000) === 0) + +((w >>> 24) === 0);
}

/**
 * May the unkeyed big-endian value whose marker is at b[i] (its low word lo) be an item of a record? Not
 * where the bytes are a table of small little-endian integers (ninth red team, F3: of 475 gettext catalogues,
 * LLVM bitcode files and PostgreSQL data files (base/, pg_wal) that held a mobile's shape after 1B, CF or D3,
 * 467 had a 00 just before the marker). A value of a mobile's or an id's range is `M 00 00 00 0X …`: in
 * such a table the marker is a small integer's low byte (`1B 00 00 00` is 27, a message's length in a .mo)
 * and the 00 before it the high byte of the integer before (an offset `E7 1D 01 00`). In a record what stands
 * before an integer is its key (read by keyBefore, and then it is read whatever stands before), its array's
 * or map's head, a tag, or the item before, whose last byte is 00 one time in 256 unless it is itself a
 * 64-bit value or a BSON element (read here as the item before). The other 8: bitcode's bit-packed words
 * `1B 00 00 00 04 00 00 00 40`, a pair of small integers: a value with three zero bytes in its low word too is
 * one mobile number in millions. Random bytes and serialised records keep every value (binary-integers.test).
 */
function recordAround(b: Buffer, i: number, lo: number): boolean {
  if (zeroBytes(lo) >= 3) return false;
  if (i === 0 || b[i - 1] !== 0) return true;
  return i >= 9 && (ITEM64[b[i - 9]!] === 1 || bsonElementEndsAt(b, i));
}

/** The first bytes of 9-byte items: msgpack uint 64, int 64, float 64 (CF D3 CB); CBOR uint 64, float 64 (1B FB). */
const ITEM64 = new Uint8Array(256);
for (const m of [0xcf, 0xd3, 0xcb, 0x1b, 0xfb]) ITEM64[m] = 1;

/** Does a BSON element of 8 bytes (double 01, datetime 09, timestamp 11, int64 12) end at b[i]: its type, a key, a NUL, the value? */
function bsonElementEndsAt(b: Buffer, i: number): boolean {
  if (b[i - 9] !== 0) return false;
  let j = i - 10;
  while (j >= 0 && i - 10 - j < 64 && b[j]! >= 0x20) j--;
  return j >= 0 && j < i - 10 && [0x01, 0x09, 0x11, 0x12].includes(b[j]!);
}

/**
 * The string just before a value at i: msgpack fixstr (A0+n), CBOR text (60+n), a pickle's
 * SHORT_BINUNICODE and MEMOIZE (8C n … 94). The longest that reads as a key: CBOR's heads are
 * ASCII letters (`idcard` after its head 66 ends in `c` 63 `ard`, which is a head of 3 too).
 */
function keyBefore(b: Buffer, i: number): string {
  for (let n = Math.min(31, i - 1); n >= 1; n--) {
    const h = b[i - 1 - n]!;
    const k = h === (0xa0 | n) || (n < 24 && h === (0x60 | n)) ? keyText(b, i - n, i) : b[i - 1] === 0x94 && n <= i - 3 && b[i - 3 - n] === 0x8c && b[i - 2 - n] === n ? keyText(b, i - 1 - n, i - 1) : '';
    if (k) return k;
  }
  return '';
}

/**
 * In machine code and class files (`code`), whose constant tables and instructions put a marker byte before small
 * integers at every turn (eighth red team, F2: read whole, 17 of 37 JARs of a Maven repository, a class file and a
 * native library were refused cn-mobile, `CF 00 00 00 04 00 01 00 D0` read as msgpack), a value is written when its
 * key names a phone or an id, or when it is a record's as such code never holds one: its low word without a zero
 * byte (code's values are small integers and addresses: 35 of 2,249 ELF, PE and wasm files of this machine and
 * 13 of 14,734 class files gave a mobile's shape, each with a 00 in its low word but 35 native ones), and then
 * under a key of 3 bytes or more, or beside another such value in the next 9 bytes (an array of 64-bit items):
 * none of those files gave one. (Before, only keys naming a phone were read there, and a two-byte `MZ`, a class
 * file's CAFEBABE or `\0asm` before msgpack contacts under `contact`, or under no key, let them cross: review10.)
 * A mobile one time in 64 has a zero byte in its low word: alone, unnamed in code, it is not read.
 */
export interface BinaryIntegersOptions {
  code?: boolean;
}

/** The digits' 64-bit value has a zero byte in its low word (a mobile's 11 digits; an id's are not judged so). */
function lowWordHasZero(v: string): boolean {
  return v.length === 11 && zeroBytes(Number(v) % WORD) > 0;
}

/** Lone values of code held until an ELF file's end is known (the latest kept: an overlay is at the end). */
const MAX_HELD = 4096;

export class BinaryIntegers {
  #code: boolean;
  /**
   * In code: an ELF file's extent (elf-extent.ts), and the values its reading of code leaves unwritten, held with
   * their places. Those past the file's last section, segment and header table, where no program's bytes are, are
   * written at the end as binary of no known type writes them (review13, 2 Dec: a lone msgpack mobile appended to
   * a program crossed). Of 2,465 ELF files of this machine (2.4 GiB), 133 hold a mobile's shape after a marker, 80
   * where a record may, 35 with no zero byte in its low word; every one in .text, .rodata, .eh_frame or .debug_*,
   * none past the file's end (4 files have bytes there, 4 bytes in all).
   */
  #elf: ElfExtent | null;
  #held: Array<[number, string, boolean]> = [];
  /** In code: the last unnamed value of a record's kind, and whether it was written (its neighbour 9 bytes on writes it). */
  #prev: { at: number; line: string; out: boolean } | null = null;
  /** Offset in the content of the buffer #scan is reading. */
  #base = 0;
  #tail: Buffer = Buffer.alloc(0);
  /** Offset in the content of #tail's first byte. */
  #pos = 0;
  /** Where in #tail the markers not yet scanned start (the bytes before it are look-back only). */
  #start = 0;
  #out: string[] = [];
  #size = 0;
  /** A .npy array of 64-bit integers: where its data starts, its byte order. */
  #npy: { start: number; le: boolean } | null = null;
  #pickle = false;
  #first = true;
  /** Values #scan found in its buffer, with their places in the content, not yet in #out. */
  #found: Array<[number, string, string]> = [];

  constructor(o: BinaryIntegersOptions = {}) {
    this.#code = o.code === true;
    this.#elf = this.#code ? new ElfExtent() : null;
  }

  write(chunk: Buffer): void {
    this.#elf?.write(chunk);
    const t = this.#tail.length;
    const s = this.#start;
    if (t && !this.#npy && chunk.length >= LOOK_BACK + MAX_FORM) {
      // Not the tail and the chunk copied whole for each chunk: the seam (the markers from the tail's #start
      // and in the chunk's first LOOK_BACK bytes, with every byte a form reads after them), then the chunk
      // itself, whose markers from LOOK_BACK on see the same bytes before and after them as in the two joined.
      this.#scan(Buffer.concat([this.#tail, chunk.subarray(0, LOOK_BACK + MAX_FORM)]), s, t + LOOK_BACK);
      this.#scan(chunk, LOOK_BACK, chunk.length - MAX_FORM, this.#pos + t);
      this.#keep(chunk, chunk.length - MAX_FORM, t);
      return;
    }
    const b = t ? Buffer.concat([this.#tail, chunk]) : chunk;
    if (this.#first) {
      this.#first = false;
      this.#npy = npyHeader(b);
      this.#pickle = b.length >= 2 && b[0] === 0x80 && b[1]! >= 2 && b[1]! <= 5;
    }
    const stop = b.length - MAX_FORM;
    this.#scan(b, s, stop);
    this.#keep(b, Math.max(stop, s), 0);
  }

  /**
   * Keeps of b the bytes from `next` (whose markers are not yet scanned) and the LOOK_BACK bytes before them: a
   * marker at a seam sees its key and the byte before it (recordAround) as in the content joined. (Before, the
   * tail kept no byte before its first marker, and a key cut by a chunk's end was not read.)
   */
  #keep(b: Buffer, next: number, before: number): void {
    const from = Math.max(next - LOOK_BACK, 0);
    this.#tail = Buffer.from(b.subarray(from));
    this.#start = next - from;
    this.#pos += before + from;
  }

  /** The integers found, a line each ('' when none). */
  finish(): string {
    this.#scan(this.#tail, this.#start, this.#tail.length);
    this.#tail = Buffer.alloc(0);
    this.#start = 0;
    const end = this.#elf?.extent();
    // (A value after a 00 counts only as the first bytes past the end: as at a content's start, recordAround.)
    if (end != null) for (const [at, line, first] of this.#held) if (first ? at === end : at >= end) this.#push(line);
    this.#held = [];
    return this.#out.length ? `${this.#out.join('\n')}\n` : '';
  }

  /**
   * The forms whose marker lies in b[from, to). Each marker byte is found by a native search of its own
   * (Buffer.indexOf), not by a loop over every byte: random binary holds one of them every 64 bytes, and the
   * loop cost it 3.2 CPU-ms a MiB, some 40 % of its inspection (issue 14; 1.0 with the searches). The values
   * are put in the order of their markers (#flush), as one pass would: the cut at MAX_OUT falls at the same one.
   * A .npy array takes every 8th byte of its data, so it is still read in one pass.
   */
  #scan(b: Buffer, from: number, to: number, base = this.#pos): void {
    this.#base = base;
    if (this.#npy) {
      this.#scanNpy(this.#npy, b, from, to);
    } else {
      for (const m of BIG_ENDIAN) {
        for (let i = b.indexOf(m, from); i >= 0 && i < to; i = b.indexOf(m, i + 1)) {
          // A high word past 0x0DFFFFFF is past every range personalDigits reads (232,830,643 the highest).
          if (b[i + 1]! <= 0x0d) this.#form(b, i, m);
        }
      }
      for (let i = b.indexOf(0x12, from); i >= 0 && i < to; i = b.indexOf(0x12, i + 1)) this.#form(b, i, 0x12);
      // (0x8A starts a read only in a pickle.)
      if (this.#pickle) for (let i = b.indexOf(0x8a, from); i >= 0 && i < to; i = b.indexOf(0x8a, i + 1)) this.#form(b, i, 0x8a);
    }
    this.#flush();
  }

  /** #scan in a .npy array's file: its header's bytes (markers as anywhere), then a value every 8 bytes of its data. */
  #scanNpy(npy: { start: number; le: boolean }, b: Buffer, from: number, to: number): void {
    for (let i = from; i < to; i++) {
      if (this.#pos + i >= npy.start) {
        if ((this.#pos + i - npy.start) % 8 === 0 && i + 8 <= b.length) {
          this.#put(i, npy.le ? personalDigits(b.readUInt32LE(i + 4), b.readUInt32LE(i), '') : personalDigits(b.readUInt32BE(i), b.readUInt32BE(i + 4), ''), '');
        }
        continue;
      }
      const m = b[i]!;
      if (MARKER[m]) this.#form(b, i, m);
    }
  }

  /** The form that the marker m at b[i] starts, if it holds a person's number. */
  #form(b: Buffer, i: number, m: number): void {
    switch (m) {
      case 0xcf:
      case 0xd3:
      case 0x1b:
        if (i + 9 <= b.length) this.#big(b.readUInt32BE(i + 1), b.readUInt32BE(i + 5), b, i);
        break;
      case 0x12: {
        // BSON: a key of printable bytes and its NUL, then the value.
        let j = i + 1;
        while (j < b.length && j - i <= 64 && b[j]! >= 0x20) j++;
        if (j === i + 1 || j + 9 > b.length || b[j] !== 0) break;
        const hi = b.readUInt32LE(j + 5);
        // (The key is decoded only for a value that may be a person's number.) A key that is not text (BSON's
        // e_name is UTF-8) is no element: LLVM bitcode's bit-packed words gave `12 33 C4 8D 80 00` and a value
        // (ninth red team, F3).
        if (hi >= 2) {
          const v = personalDigits(hi, b.readUInt32LE(j + 1), hi >= 23_283 && hi <= 232_830 ? keyText(b, i + 1, j) : '');
          const key = v ? keyText(b, i + 1, j) : '';
          if (key) this.#put(i, v, key);
        }
        break;
      }
      case 0x8a: {
        // LONG1 of 5 to 8 bytes, little-endian (positive: the top byte under 0x80). (A marker in the last
        // byte once read its length as undefined, passed every test and threw: the file refused as broken.)
        if (i + 2 >= b.length) break;
        const n = b[i + 1]!;
        if (!this.#pickle || n < 5 || n > 8 || i + 2 + n > b.length || b[i + 1 + n]! >= 0x80) break;
        let hi = 0;
        for (let k = n - 1; k >= 4; k--) hi = hi * 256 + b[i + 2 + k]!;
        this.#big(hi, b.readUInt32LE(i + 2), b, i, true);
        break;
      }
    }
  }

  /** A 64-bit value after the marker at i, its key looked for before the marker only when the value may be a person's number. */
  #big(hi: number, lo: number, b: Buffer, i: number, pickle = false): void {
    if (hi < 2) return;
    const key15 = hi >= 23_283 && hi <= 232_830 ? keyBefore(b, i) : '';
    const v = personalDigits(hi, lo, key15);
    if (!v) return;
    const key = key15 || keyBefore(b, i);
    if (key || pickle || recordAround(b, i, lo)) this.#put(i, v, key);
    else if (this.#elf?.isElf && zeroBytes(lo) < 3) this.#hold(this.#base + i, v, true);
  }

  /** A value code leaves unwritten, held until the ELF file's end is known (first: it counts only as the first bytes past it). */
  #hold(at: number, line: string, first: boolean): void {
    if (this.#held.length >= MAX_HELD) this.#held.shift();
    this.#held.push([at, line, first]);
  }

  /** A value found at b[at], written by #flush. */
  #put(at: number, v: string, key: string): void {
    if (v) this.#found.push([this.#base + at, v, key]);
  }

  /** The lines a value found in code writes (BinaryIntegersOptions): none, its own, or its unnamed neighbour's and its own. */
  #codeLines(at: number, v: string, key: string, line: string): string[] {
    if (key && (namesPhone(key) || namesResidentId(key))) return [line];
    if (lowWordHasZero(v)) return [];
    if (Buffer.byteLength(key) >= 3) return [line];
    const prev = this.#prev;
    const adjacent = prev !== null && at - prev.at === 9;
    this.#prev = { at, line, out: adjacent };
    if (!adjacent) return [];
    return prev.out ? [line] : [prev.line, line];
  }

  /** The values #scan found, in the order of their places, to MAX_OUT. */
  #flush(): void {
    const found = this.#found;
    if (!found.length) return;
    if (found.length > 1) found.sort((x, y) => x[0] - y[0]);
    for (const [at, v, key] of found) {
      const line = key ? `${key}: ${v}` : v;
      const lines = this.#code ? this.#codeLines(at, v, key, line) : [line];
      if (!lines.length && this.#elf?.isElf) this.#hold(at, line, false);
      for (const s of lines) this.#push(s);
    }
    found.length = 0;
  }

  #push(s: string): void {
    if (this.#size > MAX_OUT) return;
    this.#out.push(s);
    this.#size += s.length + 1;
  }
}

/** A NumPy array file's 64-bit integer data: `\x93NUMPY`, version, header length, a dict whose descr is `<i8`, `>u8`… */
function npyHeader(b: Buffer): { start: number; le: boolean } | null {
  if (b.length < 10 || b.toString('latin1', 0, 6) !== '\x93NUMPY') return null;
  const v2 = b[6]! >= 2;
  const hlen = v2 ? b.readUInt32LE(8) : b.readUInt16LE(8);
  const at = v2 ? 12 : 10;
  const head = b.toString('latin1', at, Math.min(b.length, at + hlen));
  const d = /'descr'\s*:\s*'([<>|=])[iu]8'/.exec(head);
  if (!d) return null;
  return { start: at + hlen, le: d[1] !== '>' };
}
