import { B64, BASE64_MIN_RUN } from '../text/scan-tables.js';
import { decodedText } from '../text/byte-text.js';
import { compressedToken } from '../decodings/compressed-token.js';
import { punycodeAt } from '../decodings/punycode-labels.js';
import { ascii85At, base45Bytes, base58Bytes, isBase45 } from '../decodings/radix-tokens.js';
import { bigRadixToken, edgeOfRun, mixedToken, PunctRuns, radixShaped, radixText, runTail, type TakeBytes } from '../decodings/radix-runs.js';
import { punycodeBare } from '../decodings/punycode-labels.js';
import { inflatesAt, isZlib } from '../signatures/compression-magic.js';
import { findSignature } from '../signatures/embedded-signatures.js';
import { bytesAsText, unitIsText } from '../text/byte-text.js';
import { HexDumpReader } from '../decodings/hex-dump-reader.js';
import { ListReader, listStart, listText, nextDecimal, type ListKind } from '../decodings/number-lists.js';
import { found, nextLower, nextPairs } from './token-strides.js';
import { DigitForms } from '../marks/digit-forms.js';
import { IdGroups } from '../marks/id-groups.js';
import { PipeTables } from '../marks/pipe-tables.js';

// Encoded tokens standing alone in text, read as a program would decode
// them: base64 (and base64url) of 8 characters or more, base32 (RFC 4648
// §6) of 10 or more, and hex of 12 digits or more, contiguous or in pairs
// apart (e6 9c ba, 0xe6,0x9c, lines of `xxd -p`). A token whose decoding is
// text (text-views.ts bytesAsText: no control characters, UTF-8 or GB2312)
// is inspected as a decoded view; a hex sequence of 64 bytes or more that is
// not text (an RTF \objdata, a dump of a file) is inspected as content.
//
// Two cheap searches find the few places where such a token can be; only
// there does JavaScript look at the token:
//   a native expression, for an upper-case letter after another letter, a
//   digit, '+', '/', '-' or '_' and before three more (base64: not a capital
//   that starts a word, nor an ISO time's T10: or an acronym's last letters),
//   eight base32 characters in a row, upper-case hex pairs apart (B8 BD
//   BC), or (first, and marked by its empty group) three printable
//   characters either side and one of !#$%&*+<>?@^ within five (Ascii85 and
//   Z85: radix-runs.ts; brackets, which code is full of, do not count). Every branch starts with an upper-case letter, which CSV rows, JSON
//   logs and prose seldom hold inside a word, so
//   the engine skips the rest natively (a branch led by a digit made the
//   search 14 times slower on CSV; a look-behind first, 5-20 times on prose);
//   a stride over the text for contiguous hex (12 digits or more cover an
//   aligned block of 6: one character in 6 is looked at, the block only when
//   it is a hex digit).
// Beside them (issue 14, fourth review), strides and native searches for
// what that trigger cannot see (token-strides.ts, number-lists.ts): hex
// groups apart in any case, tokens with no capital inside (lower-case
// base32, such base64), lists of numbers that are characters (26426 23494,
// 0x673a,0x5bc6, u+673a), and hex dumps (hex-dump-reader.ts). Decoded bytes
// are read as text by byte-text.ts (UTF-16 too). A token that does not
// decode alone is joined with its neighbours apart by white space (base64
// wrapped at an odd width).
// Missed: base64 cut into pieces shorter than five characters (a space
// every 4): no piece holds a capital the trigger can see.

const TRIGGER = /[A-Z](?:(?<=[!-}]{3}[A-Z])(?=[!-}]{3})(?:(?=[!-}]{0,4}[!#-&*+<>?@^])|(?<=[!#-&*+<>?@^][!-}]{0,4}[A-Z]))()|(?<=[A-Za-z0-9+/_-][A-Z])(?=[A-Za-z0-9+/=_-]{3})|[A-Z2-7]{7}|(?<=[A-F])[0-9A-F][ ,:][0-9A-F]{2}[ ,:][0-9A-F]{2})/g;
const DIGIT_OR_PAD = /[0-9=]/;
/** Contiguous hex of 12 digits or more covers an aligned block of this many. */
const HEX_STRIDE = 6;
/** A token's characters (base64, base64url, padding). */
const TOKEN = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-') TOKEN[c.charCodeAt(0)] = 1;
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX['0123456789abcdef'.charCodeAt(i)] = i;
  HEX['0123456789ABCDEF'.charCodeAt(i)] = i;
}
const B32 = new Int8Array(128).fill(-1);
for (let i = 0; i < 32; i++) B32['ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.charCodeAt(i)] = i;
/** Base32 read in either case (Python's b32decode(casefold=True), most libraries): for tokens with no capital. */
const B32_ANY = new Int8Array(B32);
for (let i = 0; i < 26; i++) B32_ANY[0x61 + i] = i;
/** RFC 4648 §7 base32hex (0-9A-V; Python's b32hexdecode), and in either case. */
const B32HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 32; i++) B32HEX['0123456789ABCDEFGHIJKLMNOPQRSTUV'.charCodeAt(i)] = i;
const B32HEX_ANY = new Int8Array(B32HEX);
for (let i = 10; i < 32; i++) B32HEX_ANY[0x61 + i - 10] = i;

/** Longest tail carried to the next chunk (a token or sequence cut there is read whole, up to this). */
const MAX_TAIL = 4096;
/** Base64 of 64 characters or more is a run the text scanner decodes; base32 is read up to MAX_LONG. */
const MAX_TOKEN = BASE64_MIN_RUN - 1;

/** How many `=` end the token [a, e). */
function padding(s: string, a: number, e: number): number {
  let p = 0;
  while (e - p > a && s.charCodeAt(e - 1 - p) === 0x3d) p++;
  return p;
}
const MAX_LONG = 64 * 1024;
/** A hex sequence this long that is not text is content of its own. */
const MIN_BLOB = 64;

export interface TokenFinds {
  /** Decodings that are text, one a line. */
  text: string;
  /** Hex sequences that are not text, as bytes. */
  blobs: Buffer[];
}

/** A sample of three characters of s past Latin-1 (Chinese text, a two-byte string). */
const wide = (s: string): boolean => s.length > 0 && (s.charCodeAt(0) > 0xff || s.charCodeAt(s.length >> 1) > 0xff || s.charCodeAt(s.length - 1) > 0xff);

/**
 * a + b as one flat string, for readers that read every character: `a + b` is a pair, and a piece of one a
 * slice, that V8 reads through at every charCodeAt (the strides below, id-groups.ts, digit-forms.ts; nextLower
 * alone reads CSV at about 600 MB per CPU-second flat, 450 through a slice). Joined from two parts, the copy is
 * flat (a join with '' hands back the slice). Not Chinese text (a sample of three characters past Latin-1):
 * the strides pass it in a few looks, and the copies cost it more than they saved. The same text either way.
 */
export function flatJoin(a: string, b: string): string {
  if (wide(b)) return a + b;
  if (a) return [a, b].join('');
  return b.length < 2 ? b : [b.slice(0, 1), b.slice(1)].join('');
}

/** x when it is a place (>= 0) before first, else first. */
const earlier = (first: number, x: number): number => (x >= 0 && x < first ? x : first);
const isTok = (c: number): boolean => c < 128 && TOKEN[c] === 1;
const isHex = (c: number): boolean => c < 128 && HEX[c]! >= 0;
/** Characters that may sit between two hex pairs: space, tab, line break, ',', ':', '-'. */
const isHexSep = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2c || c === 0x3a || c === 0x2d;

export class TokenReader {
  #carry = '';
  #compressed: boolean;

  /** compressed: try tokens that are not text as compressed data (not in the stretches of text of binary content, where short random tokens abound). */
  constructor(opts: { compressed?: boolean } = {}) {
    this.#compressed = opts.compressed !== false;
  }

  /** The bytes of a hex run cut at the end of the last piece (longCut), read with its next piece; whether it was cut in this piece. */
  #held: number[] = [];
  #heldCtrl = -1;
  #heldNow = false;
  #cutInRun = false;

  #dump = new HexDumpReader();
  #digits = new DigitForms();
  #ids = new IdGroups();
  #tables = new PipeTables();
  #punct = new PunctRuns();
  /** The finds of the push being read, and #takeBytes into them (made once: #read runs for every token). */
  #out: TokenFinds = { text: '', blobs: [] };
  #take: TakeBytes = (b, compressed) => this.#takeBytes(b, compressed, this.#out, decodedText);
  /** The same for the radixes that run over identifiers and code (radix-runs.ts): stricter text (radixText). */
  #takeStrict: TakeBytes = (b, compressed) => this.#takeBytes(b, compressed, this.#out, radixText);

  /** Reads the tokens of carry + s; a token or sequence that reaches the end waits for the next call (unless final). */
  push(s: string, final: boolean): TokenFinds {
    let all = this.#carry ? flatJoin(this.#carry, s) : s;
    this.#carry = '';
    this.#cutInRun = false;
    this.#heldNow = false;
    let end = all.length;
    if (!final) {
      const k = tailStart(all, end);
      if (end - k < MAX_TAIL) {
        this.#carry = all.slice(k);
        end = k;
      } else {
        // Longer than that, it is no short token: read in pieces (a long hex sequence), the last piece
        // carried; the piece read ends the text read now, as the run's end would.
        const cut = longCut(all, end);
        this.#carry = all.slice(cut);
        if (cut < end) all = all.slice(0, cut);
        // A hex run cut here is held and read on with the next piece (#hex).
        this.#cutInRun = cut < end && isHex(all.charCodeAt(cut - 1));
        end = cut;
      }
    }
    const out: TokenFinds = { text: '', blobs: [] };
    this.#punct.reset();
    compressedBlobs = out.blobs;
    tryCompressed = this.#compressed;
    // Hex dumps are read line by line, whatever the other readings make of them.
    this.#dump.push(s, final, (bytes) => this.#bytes(bytes, out));
    // Numbers in other numerals, digit by digit or in an id's parts apart (digit-forms.ts).
    out.text += this.#digits.push(s, final);
    // An id number put together from groups of digits in any grouping, order or direction (id-groups.ts).
    out.text += this.#ids.push(s, final);
    // Grouped mobile numbers under a Markdown table's phone column (pipe-tables.ts).
    out.text += this.#tables.push(s, final);
    // Nothing before `floor` is looked at again (a long run holds a trigger every few characters).
    let floor = 0;
    let hexAt = nextHexRun(all, 0, end);
    TRIGGER.lastIndex = 0;
    let m = TRIGGER.exec(all);
    // The further readings (token-strides.ts, number-lists.ts): where each next applies, and where its structure ends.
    let pairsAt = nextPairs(all, 0, end);
    let pairsEnd = found.end;
    // (A lower-case token holds a digit or base32's padding: text with neither, prose, is not strode.)
    const lowerOn = DIGIT_OR_PAD.test(all);
    let lowerAt = lowerOn ? nextLower(all, 0, end) : -1;
    let lowerEnd = found.end;
    let decAt = nextDecimal(all, 0, end);
    let oxAt = all.indexOf('0x');
    let upAt = all.indexOf('u+');
    let a85At = all.indexOf('<~');
    let xnAt = nextXn(all, 0);
    for (;;) {
      const at = m && m.index < end ? m.index : -1;
      // (No array of the nine a step: a log line or a CSV row is a few dozen steps.)
      let first = earlier(earlier(earlier(earlier(earlier(Infinity, hexAt), at), pairsAt), lowerAt), decAt);
      if (oxAt < end) first = earlier(first, oxAt);
      if (upAt < end) first = earlier(first, upAt);
      if (a85At < end) first = earlier(first, a85At);
      if (xnAt < end) first = earlier(first, xnAt);
      if (first === Infinity) break;
      if (first === xnAt) {
        // A domain with Punycode labels (punycode-labels.ts).
        const r = xnAt >= floor ? punycodeAt(all, xnAt, end) : null;
        if (r) {
          out.text += `${r.text}\n`;
          floor = Math.max(floor, r.end);
        }
        xnAt = nextXn(all, Math.max(floor, xnAt + 4));
        continue;
      }
      if (first === a85At) {
        // Ascii85 between <~ and ~> (radix-tokens.ts).
        const r = a85At >= floor ? ascii85At(all, a85At, end) : null;
        if (r && ('text' in r || 'content' in r || this.#takeBytes(r.bytes, true, out, decodedText))) {
          if ('text' in r) out.text += `${r.text}\n`;
          else if ('content' in r) out.blobs.push(r.content);
          floor = Math.max(floor, r.end);
        }
        a85At = all.indexOf('<~', Math.max(floor, a85At + 2));
        continue;
      }
      if (first === hexAt) {
        const runEnd = hexRunEnd;
        if (hexAt >= floor) floor = Math.max(this.#hex(all, hexStart(all, hexAt, floor), end, out), floor);
        hexAt = nextHexRun(all, Math.max(floor, runEnd), end);
      } else if (first === at) {
        // A match with a separator third is upper-case hex in pairs apart; contiguous hex is the stride's.
        if (at >= floor) floor = Math.max(isHexSep(m!.input.charCodeAt(at + 2)) && m![0].length === 8 ? this.#hex(all, hexStart(all, at, floor), end, out) : 0, this.#read(all, at, end, floor, out, m![1] !== undefined), at + 1);
        TRIGGER.lastIndex = Math.max(floor, at + 1);
        m = TRIGGER.exec(all);
      } else if (first === pairsAt) {
        if (pairsAt >= floor) floor = Math.max(floor, this.#hex(all, pairsAt, end, out));
        pairsAt = nextPairs(all, Math.max(floor, pairsEnd), end);
        pairsEnd = found.end;
      } else if (first === lowerAt) {
        if (lowerAt >= floor) floor = Math.max(floor, this.#lower(all, lowerAt, lowerEnd, end, out));
        lowerAt = lowerOn ? nextLower(all, Math.max(floor, lowerEnd), end) : -1;
        lowerEnd = found.end;
      } else if (first === decAt) {
        if (decAt >= floor) floor = Math.max(floor, this.#list(all, decAt, end, 'dec', out));
        decAt = nextDecimal(all, Math.max(floor, decAt + 1), end);
      } else if (first === oxAt) {
        if (oxAt >= floor && listStart(all, oxAt)) floor = Math.max(floor, this.#list(all, oxAt, end, 'hex', out));
        oxAt = all.indexOf('0x', Math.max(floor, oxAt + 1));
      } else {
        if (upAt >= floor && listStart(all, upAt)) floor = Math.max(floor, this.#list(all, upAt, end, 'uplus', out));
        upAt = all.indexOf('u+', Math.max(floor, upAt + 1));
      }
    }
    // A held run that did not go on at the start of this piece ended where it was cut.
    // (Carried whole, from its first character, it goes on with the next.)
    if (this.#held.length && !this.#heldNow && end > 0) this.#readHeld(out);
    return out;
  }

  /** A list of numbers at `a`: read when it spells text; returns its end when read, else 0. */
  #list(s: string, a: number, end: number, kind: ListKind, out: TokenFinds): number {
    const r = this.#lists[kind].textAt(s, a, end, kind);
    if (r === null) return 0;
    out.text += `${r.text}\n`;
    return r.end;
  }

  /** Each list parsed once however many of its numbers it is asked at (number-lists.ts ListReader). */
  #lists = { dec: new ListReader(), hex: new ListReader(), uplus: new ListReader() };

  /** A lower-case token [a, e) (token-strides.ts nextLower): base32 of either case, else base64; returns its end when read, else 0. */
  #lower(s: string, a: number, e: number, end: number, out: TokenFinds): number {
    while (e < end && e - a < MAX_LONG && s.charCodeAt(e) === 0x3d) e++;
    // (Not tried as compressed data: base64 of compressed bytes has capitals; paths and ids in logs are read here.)
    // (The second red team's readings only on tokens of letters and digits mixed as an encoder's are: not on paths or `user123456`.)
    const shaped = radixShaped(s, a, e);
    const t = b32Text(s, a, e, B32_ANY, false) ?? (shaped ? b32Text(s, a, e, B32HEX_ANY, false) : null) ?? (e - a <= MAX_TOKEN ? b64Text(s, a, e, false) : null);
    if (t !== null) {
      out.text += `${t}\n`;
      return e;
    }
    if (!shaped) return 0;
    // Base36, and a Punycode label without its xn-- (radix-runs.ts, punycode-labels.ts).
    this.#out = out;
    if (bigRadixToken(s, a, e, this.#takeStrict)) return e;
    const p = punycodeBare(s, a, end);
    if (p === null) return 0;
    out.text += `${p.text}\n`;
    return p.end;
  }

  /** Bytes a reading decoded (a hex dump's block): text one view down, else content when long enough. */
  #bytes(b: Buffer, out: TokenFinds): void {
    // hexdump pads an odd length with a NUL in its last word.
    let n = b.length;
    while (n > 0 && b[n - 1] === 0) n--;
    b = b.subarray(0, n);
    if (b.length < 4 || b.every((x) => x === b[0])) return;
    const t = decodedText(b);
    if (t !== null) out.text += `${t}\n`;
    else if (b.length >= MIN_BLOB) out.blobs.push(b);
  }

  /** The token or hex sequence around `at`: decoded when it reads as text. Returns where to look on from. */
  #read(s: string, at: number, end: number, floor: number, out: TokenFinds, inRun: boolean): number {
    // '=' is padding: it ends a token, never starts one (q=5py6…).
    let a = at;
    while (a > floor && at - a < MAX_LONG && isTok(s.charCodeAt(a - 1)) && s.charCodeAt(a - 1) !== 0x3d) a--;
    let e = at + 1;
    while (e < end && e - a < MAX_LONG && isTok(s.charCodeAt(e)) && s.charCodeAt(e) !== 0x3d) e++;
    for (let p = 0; p < 6 && e < end && s.charCodeAt(e) === 0x3d; p++) e++;
    // Where the trigger saw Ascii85 or Z85, or the token is a piece of such a run, that run is read (radix-runs.ts), whatever
    // the token in it reads as (a piece of it may read as base64 of text by chance).
    this.#out = out;
    const run = this.#compressed && (inRun || edgeOfRun(s, a, e, end)) ? this.#punct.read(s, at, end, this.#takeStrict) : 0;
    if (run > 0) return run;
    if (e - a >= 10) {
      const t = b32Text(s, a, e) ?? (radixShaped(s, a, e) ? b32Text(s, a, e, B32HEX, false) : null);
      if (t !== null) {
        out.text += `${t}\n`;
        return e;
      }
    }
    // Its length without padding: the scanner opens a run at 64 characters of data, so a token of 62 or 63 and its
    // `=` or `==` (46 or 47 bytes: 64 characters with the padding) is read here (review14: it was read by neither).
    if (e - a >= 8 && e - a - padding(s, a, e) <= MAX_TOKEN) {
      const t = b64Text(s, a, e);
      if (t !== null) {
        out.text += `${t}\n`;
        return e;
      }
    }
    // Base58 (no 0, O, I, l), then base45 around the token (radix-tokens.ts); not in binary content's stretches of text.
    if (!this.#compressed) return wrappedBase64(s, a, e, end, floor, out);
    const take = this.#take;
    const b58 = base58Bytes(s, a, e);
    // (Tried as compressed data only when its characters are mixed as an encoder's are: identifiers are base58 too.)
    if (b58 !== null && (take(b58, false) || (mixedToken(s, a, e) && take(b58, true)))) return e;
    const r45 = this.#base45(s, at, end, floor, take);
    if (r45 > 0) return r45;
    // Base62, base36 (radix-runs.ts), a Punycode label in upper case (punycode-labels.ts).
    if (bigRadixToken(s, a, e, this.#takeStrict)) return e;
    // (A capital, then a small letter: a word or an identifier, no upper-case label.)
    const next = s.charCodeAt(at + 1);
    const p = next >= 0x61 && next <= 0x7a ? null : punycodeBare(s, at, end);
    if (p !== null) {
      out.text += `${p.text}\n`;
      return p.end;
    }
    return wrappedBase64(s, a, e, end, floor, out);
  }

  /**
   * Bytes a further radix decoded, into `out` when they are text or, if
   * `compressed`, a compressed stream (compressed-token.ts, not brotli, and a
   * zlib header only when what follows it inflates): false when neither.
   */
  #takeBytes(b: Buffer, compressed: boolean, out: TokenFinds, text: (b: Buffer) => string | null): boolean {
    const t = text(b);
    if (t !== null) {
      out.text += `${t}\n`;
      return true;
    }
    if (!compressed || !this.#compressed || (isZlib(b) && !inflatesAt(b))) return false;
    const z = compressedToken(b, false);
    if (z === null) return false;
    if ('text' in z) out.text += `${z.text}\n`;
    else out.blobs.push(z.content);
    return true;
  }

  /** A run of base45 characters [#b45From, #b45End) of #b45Text read up to #b45Limit, and what ends it (#base45). */
  #b45Text = '';
  #b45Limit = 0;
  #b45From = 0;
  #b45End = 0;

  /** The run of base45 characters around `at` (spaces inside, not at its ends), read when it decodes to text or compressed data: its end, else 0. */
  #base45(s: string, at: number, end: number, floor: number, take: TakeBytes): number {
    let a = at;
    while (a > floor && at - a < 1024 && isBase45(s.charCodeAt(a - 1))) a--;
    // (Where the run of base45 characters ends is kept: each word of a paragraph in capitals walked on to its end.)
    const k = at + 1;
    if (s !== this.#b45Text || end !== this.#b45Limit || k < this.#b45From || k > this.#b45End) {
      let r = k;
      while (r < end && isBase45(s.charCodeAt(r))) r++;
      this.#b45Text = s;
      this.#b45Limit = end;
      this.#b45From = k;
      this.#b45End = r;
    }
    let e = Math.max(k, Math.min(this.#b45End, a + 2048));
    while (a < e && s.charCodeAt(a) === 0x20) a++;
    while (e > a && s.charCodeAt(e - 1) === 0x20) e--;
    // (Compressed data only with a zlib header, as HC1: payloads are: upper-case prose is base45 too.)
    const b = base45Bytes(s, a, e);
    if (b !== null && take(b, isZlib(b))) return e;
    // A prefix (HC1:) before the payload.
    // (Looked for within those 8 characters only: indexOf ran to the chunk's end from every token of text with no ':'.)
    let colon = a;
    const lim = Math.min(a + 8, at);
    while (colon < lim && s.charCodeAt(colon) !== 0x3a) colon++;
    const p = colon < lim ? base45Bytes(s, colon + 1, e) : null;
    return p !== null && take(p, isZlib(p)) ? e : 0;
  }

  /**
   * The hex sequence that starts at `a` (a run the stride found, or the first
   * of upper-case pairs apart): its end when read, else 0. An odd run may be
   * a word's last letter joined to the sequence (Package0105…): read from one
   * on. Each call reads forward once: no walk back, no retry from each place.
   */
  #hex(s: string, a: number, end: number, out: TokenFinds): number {
    let r = parseHex(s, a, end);
    if (r === null) r = parseHex(s, ++a, end);
    if (this.#held.length && !this.#heldNow) {
      // The piece before was cut in this run (push): its bytes and these are one sequence.
      if (a === 0 && r !== null && r.groups.length === 1) {
        const head = this.#held;
        this.#held = [];
        const n = head.length;
        r = { bytes: head.concat(r.bytes), groups: [0], end: r.end, lastCtrl: r.lastCtrl < 0 ? this.#heldCtrl : r.lastCtrl + n };
      } else this.#readHeld(out);
    }
    if (r !== null && this.#cutInRun && r.end === end && r.groups.length === 1 && r.bytes.length + this.#held.length <= MAX_HELD) {
      this.#heldCtrl = r.lastCtrl;
      this.#held = r.bytes;
      this.#heldNow = true;
      return r.end;
    }
    return this.#hexBytes(r, s.slice(a, r?.end ?? a), out);
  }

  /** A run held at the last cut whose next piece did not come: read as it is. */
  #readHeld(out: TokenFinds): void {
    const bytes = this.#held;
    this.#held = [];
    let hex = '';
    for (const x of bytes) hex += x < 16 ? `0${x.toString(16)}` : x.toString(16);
    this.#hexBytes({ bytes, groups: [0], end: 0, lastCtrl: this.#heldCtrl }, hex, out);
  }

  /** A hex sequence's bytes (`written`: its characters) read: returns its end when read, else 0. */
  #hexBytes(r: { bytes: number[]; groups: number[]; end: number; lastCtrl: number } | null, written: string, out: TokenFinds): number {
    if (r === null || r.bytes.length < 6) return 0;
    // One byte repeated carries nothing, and "3333…" is hex of itself (0x33 is '3'): read, it would nest to the depth limit.
    if (r.bytes.every((x) => x === r.bytes[0])) return r.end;
    // A control byte after the last group a reading may start from: no text (unless UTF-16, of an even length), and too short to be content.
    const b = Buffer.from(r.bytes);
    if (r.bytes.length < MIN_BLOB && r.bytes.length % 2 !== 0 && r.lastCtrl >= r.groups[Math.min(3, r.groups.length - 1)]!) return this.#inflate(b, r.end, out);
    // The first groups may be a word's hex letters taken in front (payload: ad → "ad").
    // (UTF-16 is tried from the first group only: each further try is another chance for random hex to pass.)
    for (let k = 0; k < r.groups.length && k < 4 && b.length - r.groups[k]! >= 6; k++) {
      const t = k === 0 ? decodedText(b) : bytesAsText(b.subarray(r.groups[k]));
      if (t !== null) {
        out.text += `${t}\n`;
        return r.end;
      }
    }
    // Groups of differing widths are code points written in hex (673a 5bc6 2605 31 30 5e74).
    const cps = codePoints(r);
    const t = cps && listText(cps);
    if (t) {
      out.text += `${t}\n`;
      return r.end;
    }
    if (b.length < MIN_BLOB) return this.#inflate(b, r.end, out);
    // Decimal digits only (no a-f in 128 or more): numbers, not a dump of binary, which has a letter in
    // 6 digits of 16 (10^-26 by chance). A table of single digits read together (digit-forms.ts) was such a
    // sequence, opened as content of its own: a disk image to file-type when it began 7801 (third red team,
    // F4). Its runs of printable bytes are still read, as a hex dump's right-hand column shows them.
    if (!HEX_LETTER.test(written)) {
      out.text += printableRuns(b);
      return r.end;
    }
    // UUIDs one a line (a database's ids, `uuidgen` run 10,000 times) are random bytes by nature, joined
    // here into one sequence: not content (it was refused uninspectable, as encrypted bytes in hex are).
    if (isUuidList(written)) return r.end;
    out.blobs.push(b);
    return r.end;
  }

  /** Hex too short to be content of its own: compressed text, or compressed content (compressed-token.ts); `end` when read, else 0. */
  #inflate(b: Buffer, end: number, out: TokenFinds): number {
    if (!this.#compressed) return 0;
    const z = compressedToken(b);
    if (z === null) return 0;
    if ('text' in z) out.text += `${z.text}\n`;
    else out.blobs.push(z.content);
    return end;
  }
}

/** Where to hold s back from (its end at `end`): the run of token and hex-sequence characters there may go on in the next chunk. */
function tailStart(s: string, end: number): number {
  let k = end;
  while (k > 0 && end - k < MAX_TAIL && (isTok(s.charCodeAt(k - 1)) || isHexSep(s.charCodeAt(k - 1)) || isBase45(s.charCodeAt(k - 1)))) k--;
  // An Ascii85 or Z85 run (radix-runs.ts) goes back further, when it is no longer than a tail.
  return runTail(s, k, Math.max(0, end - MAX_TAIL));
}

/** Bytes of a hex run held from piece to piece (one byte a number: 8 MiB): past it, read in pieces. */
const MAX_HELD = 1 << 20;

/** Characters of a piece carried from a run too long to carry whole: hex pairs, base32's 8, Ascii85's 5 divide it. */
const PIECE = 40;

/**
 * Where to cut a run of tokens too long to carry whole (longer than a tail): the last piece of its last
 * unbroken run of token characters is carried, at least PIECE characters and cut a multiple of PIECE from
 * that run's start (or from the text's start, where the last cut was made: the phase holds from chunk to
 * chunk), so that the next chunk reads on from a whole pair or group. Before 1 Dec a run over MAX_TAIL was
 * read to the chunk's end and nothing carried: a hex run of 6,320 characters in two chunks (6,318 and 2, as a
 * decoded base64 run hands them) lost its last byte, a run cut at an odd place read every later pair out of
 * phase, and a token cut by the chunk's end in a long paragraph was read as two (the red team's chain of
 * seven levels, base64url at the end, crossed so).
 */
function longCut(s: string, end: number): number {
  let r = end;
  while (r > 0 && isTok(s.charCodeAt(r - 1))) r--;
  if (end - r <= PIECE) return r;
  return r + Math.floor((end - r - PIECE) / PIECE) * PIECE;
}

/** The next `xn--` (either case) from `from`, or -1: two native searches. */
function nextXn(s: string, from: number): number {
  const a = s.indexOf('xn--', from);
  const b = s.indexOf('XN--', from);
  return a < 0 ? b : b < 0 ? a : Math.min(a, b);
}

/** Characters that may wrap a base64 text: space, tab, line break. */
const isWrap = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
/** Longest wrapped text joined when its pieces differ in length (words, not an encoder's lines). */
const MAX_RAGGED = 1024;

/**
 * A token [a, e) that did not decode alone may be one piece of base64
 * wrapped at an odd width (every 7 or 13 characters, CRLF, a space every 4):
 * the pieces around it, each of 4 characters or more apart by one or two
 * white-space characters, are joined and decoded. Returns where to look on
 * from: the joined end when the pieces are an encoder's lines (of one
 * length), so that a long wrapped text is read once.
 */
function wrappedBase64(s: string, a: number, e: number, end: number, floor: number, out: TokenFinds): number {
  // A piece of 64 characters or more is a run the text scanner decodes.
  if (e - a > MAX_TOKEN) return e;
  // (The pieces before are gathered backwards and turned round once: unshift made a long chain quadratic.)
  const pieces: Array<[number, number]> = [[a, e]];
  let A = a;
  for (let total = e - a; total < MAX_LONG; ) {
    let b = A;
    while (b > floor && A - b < 2 && isWrap(s.charCodeAt(b - 1))) b--;
    if (b === A) break;
    let c = b;
    while (c > floor && b - c <= MAX_TOKEN && isTok(s.charCodeAt(c - 1)) && s.charCodeAt(c - 1) !== 0x3d) c--;
    if (b - c < 4 || b - c > MAX_TOKEN) break;
    pieces.push([c, b]);
    A = c;
    total += b - c;
  }
  pieces.reverse();
  // Pieces of differing lengths (words) are decoded only as far as MAX_RAGGED: once a piece that is not the last
  // differs from the first and that many characters are held, what the chain reads as is known; when that is
  // nothing, the rest of the chain changes nothing (a line of upper-case words was walked to its end again from
  // each word's trigger: 30 s a MiB).
  const first = pieces[0]![1] - pieces[0]![0];
  let held = 0;
  let ragged = false;
  for (let i = 0; i < pieces.length; i++) {
    held += pieces[i]![1] - pieces[i]![0];
    if (i + 1 < pieces.length && pieces[i]![1] - pieces[i]![0] !== first) ragged = true;
  }
  // (Asked when the chain is first known ragged, from what is held then, and once more past MAX_RAGGED.)
  let asked = false;
  let readsAsText = false;
  let E = e;
  for (let total = E - A; total < MAX_LONG && s.charCodeAt(E - 1) !== 0x3d; ) {
    if (ragged && !asked) {
      asked = true;
      if (raggedPrefixNothing(s, pieces)) return e;
    }
    if (ragged && held > MAX_RAGGED && !readsAsText) {
      const joined = raggedJoin(s, pieces);
      if (b64Text(joined, 0, joined.length, false) === null) return e;
      readsAsText = true;
    }
    let b = E;
    while (b < end && b - E < 2 && isWrap(s.charCodeAt(b))) b++;
    if (b === E) break;
    let c = b;
    while (c < end && c - b <= MAX_TOKEN && isTok(s.charCodeAt(c)) && s.charCodeAt(c) !== 0x3d) c++;
    for (let p = 0; p < 2 && c < end && s.charCodeAt(c) === 0x3d; p++) c++;
    if (c - b < 2 || c - b > MAX_TOKEN) break;
    const last = pieces[pieces.length - 1]!;
    if (last[1] - last[0] !== first) ragged = true;
    held += c - b;
    pieces.push([b, c]);
    E = c;
    total += c - b;
  }
  if (pieces.length < 2) return e;
  const width = pieces[0]![1] - pieces[0]![0];
  const even = pieces.every(([x, y], i) => y - x === width || (i === pieces.length - 1 && y - x < width + 3));
  const joined = even ? pieces.map(([x, y]) => s.slice(x, y)).join('') : raggedJoin(s, pieces);
  // (Not tried as compressed data: words apart by spaces join into such pieces on every line of a log.)
  const t = b64Text(joined, 0, joined.length, false);
  if (t !== null) out.text += `${t}\n`;
  else if (even && pieces.length >= 4 && startsAsFile(Buffer.from(joined.slice(0, 64), 'base64'))) {
    // An encoder's lines under 40 columns whose bytes start as an archive or a document (base64 of a zip of a
    // marked memo wrapped at 32 columns crossed, 1 Dec): content of its own. Not every such block: ids one a
    // line decode to random bytes too, as encrypted bytes do (docs/findings.md); a signature at their start
    // is a chance of 1 in 2^24 or less.
    out.blobs.push(Buffer.from(joined, 'base64'));
    return E;
  }
  return t !== null || even ? E : e;
}

/** The pieces' characters joined up to the first that takes them past MAX_RAGGED (a ragged chain's reading). */
function raggedJoin(s: string, pieces: Array<[number, number]>): string {
  let joined = '';
  for (const [x, y] of pieces) {
    joined += s.slice(x, y);
    if (joined.length > MAX_RAGGED) break;
  }
  return joined;
}

/**
 * Do the pieces' first characters (as far as raggedJoin takes them) decode as base64 to bytes that no longer
 * can be text, as decodedText reads it, whatever follows? A byte no text holds (bytesAsText) and a UTF-16 unit
 * past the first that is no text in either order (utf16Text, with a BOM or without): base64 decodes a prefix
 * to the same bytes whatever comes after it. False when unsure (a character that is not base64's, '=').
 */
function raggedPrefixNothing(s: string, pieces: Array<[number, number]>): boolean {
  let acc = 0;
  let bits = 0;
  let n = 0;
  let prev = 0;
  let ctrl = false;
  let le = false;
  let be = false;
  let held = 0;
  for (const [x, y] of pieces) {
    for (let i = x; i < y; i++) {
      const c = s.charCodeAt(i);
      const v = c < 128 ? B64[c]! : -1;
      if (v < 0 || v > 63) return false;
      acc = ((acc << 6) | v) & 0xffffff;
      bits += 6;
      if (bits < 8) continue;
      bits -= 8;
      const b = (acc >> bits) & 0xff;
      if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) ctrl = true;
      if (n % 2 === 1 && n >= 3) {
        if (!unitIsText(prev | (b << 8))) le = true;
        if (!unitIsText((prev << 8) | b)) be = true;
      }
      prev = b;
      n++;
      if (ctrl && le && be) return true;
    }
    held += y - x;
    if (held > MAX_RAGGED) break;
  }
  return false;
}

/** Do these bytes start as a file a reader opens: an archive or a compressed stream (findSignature's, checked as it checks them), a PDF, an OLE2 document? */
function startsAsFile(head: Buffer): boolean {
  return findSignature(head) === 0 || head.toString('latin1', 0, 5) === '%PDF-' || head.toString('hex', 0, 8) === 'd0cf11e0a1b11ae1';
}

/** Pairs of hex digits from `i`: groups of an even number of digits (a pair, xxd's four, a run), 0x before each or not, up to 3 separators between; null when the first group is not one. */
function parseHex(s: string, i: number, end: number): { bytes: number[]; groups: number[]; end: number; lastCtrl: number } | null {
  const bytes: number[] = [];
  const groups: number[] = [];
  let last = -1;
  let lastCtrl = -1;
  for (;;) {
    let j = i;
    while (last >= 0 && j < end && isHexSep(s.charCodeAt(j)) && j - i < 3) j++;
    if (j + 2 < end && s.charCodeAt(j) === 0x30 && (s.charCodeAt(j + 1) | 0x20) === 0x78 && isHex(s.charCodeAt(j + 2))) j += 2;
    let g = j;
    while (g < end && isHex(s.charCodeAt(g))) g++;
    // Not a group: none, odd, or part of a word (deadbeefs).
    if (g === j || (g - j) % 2 !== 0 || (g < end && isTok(s.charCodeAt(g)) && s.charCodeAt(g) !== 0x2d)) break;
    groups.push(bytes.length);
    for (let k = j; k < g; k += 2) {
      const x = (HEX[s.charCodeAt(k)]! << 4) | HEX[s.charCodeAt(k + 1)]!;
      if ((x < 0x20 && x !== 0x09 && x !== 0x0a && x !== 0x0d) || x === 0x7f) lastCtrl = bytes.length;
      bytes.push(x);
    }
    i = last = g;
  }
  return last < 0 ? null : { bytes, groups, end: last, lastCtrl };
}

/** The groups of a hex sequence as code points, when they are of 2 to 6 digits and not all of one width; else null. */
function codePoints(r: { bytes: number[]; groups: number[] }): number[] | null {
  if (r.groups.length < 2 || r.groups.length > 4096) return null;
  const out: number[] = [];
  let widths = 0;
  for (let k = 0; k < r.groups.length; k++) {
    const from = r.groups[k]!;
    const to = r.groups[k + 1] ?? r.bytes.length;
    if (to - from > 3) return null;
    widths |= 1 << (to - from);
    let v = 0;
    for (let i = from; i < to; i++) v = (v << 8) | r.bytes[i]!;
    out.push(v);
  }
  return (widths & (widths - 1)) !== 0 ? out : null;
}

const HEX_LETTER = /[a-fA-F]/;

/** A UUID (RFC 9562 §4): 8-4-4-4-12 hex digits, the version digit 1 to 8 and the variant digit 8 to b. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
/** What sits between UUIDs in a list: line breaks, spaces, tabs, commas (1 to 3 of them, as a hex sequence allows). */
const UUID_GAP = /[ \t\r\n,]{1,3}/;

/**
 * Is this hex sequence (as written) UUIDs one after another, four or more, every one of them well formed?
 * The first and the last may be cut (a sequence read in pieces is cut anywhere). Hex of encrypted bytes
 * written in the same groups has a version and a variant digit that fit one time in 32 for each UUID.
 */
function isUuidList(written: string): boolean {
  const parts = written.split(UUID_GAP);
  if (parts.length < 4) return false;
  let whole = 0;
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    if (UUID.test(p)) whole++;
    else if ((k !== 0 && k !== parts.length - 1) || p.length >= 36 || !/^[0-9a-f-]*$/i.test(p)) return false;
  }
  return whole >= 4;
}
/** Runs of text in decoded bytes: 8 or more printable ASCII bytes (tab and line breaks too), one a line. */
const PRINTABLE_RUN = /[\t\n\r\x20-\x7e]{8,}/g;

function printableRuns(b: Buffer): string {
  let t = '';
  for (const m of b.toString('latin1').matchAll(PRINTABLE_RUN)) t += `${m[0]}\n`;
  return t;
}

/** Is out[0, len) one byte repeated? (a row of padding: nothing to read) */
function same(out: Uint8Array, len: number): boolean {
  for (let i = 1; i < len; i++) if (out[i] !== out[0]) return false;
  return true;
}

/** A 0x just before a run belongs to it. */
function hexStart(s: string, a: number, floor: number): number {
  return a - 2 >= floor && s.charCodeAt(a - 2) === 0x30 && (s.charCodeAt(a - 1) | 0x20) === 0x78 ? a - 2 : a;
}

/** Where the run nextHexRun found ends. */
let hexRunEnd = 0;

/** The start of the next run of 12 or more hex digits in s[from, end), or -1 (one look per HEX_STRIDE characters). */
function nextHexRun(s: string, from: number, end: number): number {
  for (let k = Math.ceil(from / HEX_STRIDE) * HEX_STRIDE; k + HEX_STRIDE <= end; k += HEX_STRIDE) {
    if (!isHex(s.charCodeAt(k))) continue;
    let j = k + 1;
    while (j < k + HEX_STRIDE && isHex(s.charCodeAt(j))) j++;
    if (j < k + HEX_STRIDE) continue;
    let a = k;
    while (a > from && isHex(s.charCodeAt(a - 1))) a--;
    let e = k + HEX_STRIDE;
    while (e < end && isHex(s.charCodeAt(e))) e++;
    if (e - a >= 12) {
      hexRunEnd = e;
      return a;
    }
    k = Math.ceil(e / HEX_STRIDE) * HEX_STRIDE - HEX_STRIDE;
  }
  return -1;
}

let scratch = new Uint8Array(256);

function room(n: number): Uint8Array {
  if (scratch.length < n) scratch = new Uint8Array(n);
  return scratch;
}

/** s[a, e) as base64 (or base64url) when its bytes read as text, else null. */
function b64Text(s: string, a: number, e: number, compressed = true): string | null {
  while (e > a && s.charCodeAt(e - 1) === 0x3d) e--;
  if ((e - a) % 4 === 1) return null;
  return bitsText(s, a, e, B64, 6, 63, compressed);
}

/** s[a, e) as base32 (upper case, as RFC 4648 writes it and `base32 -d` reads it) when its bytes read as text. */
function b32Text(s: string, a: number, e: number, table = B32, compressed = true): string | null {
  while (e > a && s.charCodeAt(e - 1) === 0x3d) e--;
  return bitsText(s, a, e, table, 5, 31, compressed);
}

/** s[a, e) decoded `width` bits a character through `table`, when its bytes read as text (UTF-16's NUL and control bytes are read to the end). */
function bitsText(s: string, a: number, e: number, table: Int8Array, width: number, max: number, compressed = true): string | null {
  const out = room(e - a);
  let acc = 0;
  let bits = 0;
  let len = 0;
  for (let i = a; i < e; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? table[c]! : -1;
    if (v < 0 || v > max) return null;
    acc = ((acc << width) | v) & 0xffffff;
    bits += width;
    if (bits >= 8) {
      bits -= 8;
      out[len++] = (acc >> bits) & 0xff;
    }
  }
  if (same(out, len)) return null;
  const b = Buffer.from(out.subarray(0, len));
  const t = decodedText(b);
  if (t !== null || !compressed || !tryCompressed) return t;
  // Not text: compressed text, or compressed content handed on (compressed-token.ts).
  const z = compressedToken(b);
  if (z === null) return null;
  if ('text' in z) return z.text;
  compressedBlobs.push(z.content);
  return '';
}

/** Where a token's compressed content goes: the blobs of the push being read; whether that reader tries compressed data. */
let compressedBlobs: Buffer[] = [];
let tryCompressed = true;
