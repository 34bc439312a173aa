import { isAscii } from 'node:buffer';
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';
import { FindingTally as FindingTallySink, type FindingTally } from '../context/finding-tally.js';
import type { Finding } from '../../../protocol/findings.js';
import { HEADER_REACH, LEVELS, isBracketedHeader, isHeaderOpener, type MatchTag } from '../marks/marking-patterns.js';
import type { PatternMatcher } from '../marks/pattern-matcher.js';
import { maskSample } from '../marks/pii-checks.js';
import { ChunkPlaces, headerLine, isAmountAt, isPhoneAt, isResidentIdAt } from '../marks/amount-context.js';
import { findIdentifiers, GROUPED, type IdSink } from '../marks/pii-token.js';
import { IdWeights } from '../marks/id-weighing.js';
import { Base64RunDecoder, type Base64Event } from '../decodings/base64-run-decoder.js';
import { B64, B64_JOIN_LINE, BASE64_MIN_RUN, TOK, asciiTokenStarts, asciiTriggerRegex, base64RunBefore, boringTable, isAsciiTok } from '../text/scan-tables.js';
import { byteWidths, singleByte, type TextEncodingName } from '../text/text-encoding.js';
import { BLANK, CLOSE_BRACKET, OPEN_BRACKET, SEP, SIG, SKIP, STAR, STAR1, foldPattern, foldTables } from '../marks/text-fold.js';
import { escapeStart, escapeStep } from '../text/terminal-escapes.js';
import { WITNESS_SPAN, confirmed, utf8AsGbkTables } from '../text/utf8-as-gbk.js';
import { WesternDecoder } from '../text/western-text.js';
import { EbcdicDecoder } from '../text/ebcdic.js';
import { CHOICE_WINDOW, readLabel, type LabelReading } from '../marks/level-choices.js';
import { TOP_REACH, atTextTop, firstVisible, isBareLevelLine } from '../marks/top-level-line.js';

// The one loop over text: decode (TextDecoder with stream: true, so a
// character split across chunks is whole), fold each code unit by table, and
// feed three small machines at once: the marking/keyword automaton, the
// personal-data tokenizer and the base64-run decoder. State between chunks
// is a few counters and fixed-size buffers, whatever the size of the text.

/**
 * Up to this many separators (punctuation, symbols, white space) may sit
 * between the characters of a match; besides them, one ASCII letter that
 * does not continue the match (机x密★) is passed over. A run of what shows
 * as blank space on a line (spaces, tabs, U+2800, control characters, a
 * terminal's escape sequences: text-fold.ts BLANK) that the next character
 * of the text ends counts as one, however long: a reader sees 机 and 密
 * apart by forty spaces as close as by one (the red team, 30 November). One
 * that a line break or another separator ends counts in full: a form's empty
 * cell (`| 密级 |      |`) or a line of spaces between a label and the next
 * row is no joint. What shows as nothing (ZWSP, U+1D173) is skipped.
 */
const MAX_SEP_RUN = 32;
/**
 * ASCII letters or digits passed over between two characters of a match, each apart from the next by a
 * separator (机x密, 密x级x：x机x密); letters side by side end it (a word: 机 and 密 apart by `is` are two
 * words). A number's further digits (a line number) are not counted.
 */
const MAX_LETTERS = 2;
const MAX_TOKEN = 256;
/**
 * An e-mail address is personal information (PIPL art. 4), but one is in
 * every letter, signature and .eml a bureau sends: addresses are reported
 * when one piece of content holds this many different ones (a contact list,
 * a mailing list, a register), masked like every sample.
 */
export const EMAIL_BULK = 10;
export { BASE64_MIN_RUN };

const PERIOD_CHARS = new Set([...'0123456789年月个天日长期'].map((c) => c.charCodeAt(0)));

export type { Base64Event };

export interface TextScannerOptions {
  matcher: PatternMatcher<MatchTag>;
  tally: FindingTally;
  path?: string;
  encoding: TextEncodingName;
  /** Bytes of BOM before the text (TextDecoder drops it). */
  bom: number;
  /** XML/HTML: characters inside <…> are not text (Word splits a word across runs). */
  markup: boolean;
  /** Decode long base64 runs (false at the last nesting level). */
  base64: boolean;
  /** Byte offset of the first byte this scanner sees (a scanner started mid-content). */
  offset?: number;
  /** Internal: this is the warm-up scanner. */
  warm?: boolean;
  /** The text is a document read from its start (not binary content's runs, not a name): a level alone on its top line is a marking (top-level-line.ts). */
  top?: boolean;
  /** Told of each mobile number counted, with the text around it (an .xlsx sheet's money cells: currency-cells.ts). */
  mobiles?: MobileWitness;
}

/** Sees each mobile number a scanner counts: its digits, and the chunk's text with its place there when known. */
export interface MobileWitness {
  seen(value: string, text: string | undefined, q: number): void;
}

// V8 compiles the scan loop on its first long chunk (on-stack replacement)
// before the code after the loop ever ran; that OSR code then deoptimised at
// every chunk's end and the loop spent its time in the interpreter
// (measured: 20–30 MB/s instead of hundreds). So every path runs first on
// short texts, on a throw-away scanner, before real text is scanned.
const WARM_TEXT =
  '秘密★1年 密级：机密 【绝密】 ｆｕｌｌ 秘\u200b密★长期 a.b@example.com 13812345678 110105194912310021 6222020200112233445 ' +
  'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw== <w:t>机</w:t><w:t>密★</w:t> 工作秘密 瀵嗙骇锛氭満瀵\n';
// All-ASCII text takes the jumping path (#nextTrigger): it needs its own warm-up, every branch of it
// (measured: optimised on CSV alone, it was deoptimised some ten times, "insufficient type feedback").
const WARM_ASCII =
  'id,name,amount,email,phone\n1,user123456,12345.67,u1234@example.com,13812345678\n2,x,110105194912310021,138 1234 5678,6222-0202-0011-2233-445\n' +
  '[note] 2024-03-01T12:00:07.123Z web-1 nginx[1234]: 10.1.22.333 "GET /v1/items/123456?q=fox&page=12 HTTP/1.1" 200 512 a.b@c.d ' +
  'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw== <p class="c1">t</p> {"ts":1700000001,"ms":12.5}\n';
let warm = false;

function warmUp(matcher: PatternMatcher<MatchTag>): void {
  if (warm) return;
  warm = true;
  const texts = [Buffer.from(WARM_TEXT), Buffer.from(WARM_ASCII)];
  for (let round = 0; round < 100; round++) {
    for (const markup of [false, true]) {
      for (const base64 of [true, false]) {
        for (const text of texts) {
          const s = new TextScanner({ matcher, tally: new FindingTallySink(), encoding: 'utf-8', bom: 0, markup, base64, warm: true });
          s.write(text);
          s.write(text);
          s.end();
        }
      }
    }
  }
}

/**
 * Does a base64 run's head use at least eight different characters, not all
 * of them decimal digits? (Judged often: no allocation.) Base64 of any data has
 * a digit in 10 characters of 64; 64 digits in a row (10^-52 by chance) are a
 * number, a table of digits read together (digit-forms.ts), not base64: their
 * decoding was opened as content and read again (third red team, F4).
 */
const seenIn = new Uint32Array(128);
let judging = 0;
function diverse(head: Uint8Array): boolean {
  let d = 0;
  while (d < head.length && head[d]! - 0x30 >>> 0 <= 9) d++;
  if (d === head.length) return false;
  judging = (judging + 1) >>> 0 || 1;
  let n = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head[i]! & 0x7f;
    if (seenIn[c] !== judging) {
      seenIn[c] = judging;
      if (++n >= 8) return true;
    }
  }
  return false;
}

/** Longest token that a space or line break may still extend (a number in groups is at most 19 digits and its separators). */
const MAX_GROUPED = 24;

/** Does a space or line break (CR LF counted as one) at s[i] sit between two digits of this chunk? A tab is a table's cell boundary, not a space between a number's groups (a ledger's code 138 and an amount 12345678.5 in two cells). */
/** The other spaces people put between a number's groups: NBSP, the U+2000 spaces, narrow NBSP, ideographic space. */
function isWideSpace(c: number): boolean {
  return c === 0xa0 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000;
}

function joinable(s: string, i: number, fold: Uint16Array): boolean {
  const c = s.charCodeAt(i);
  let j = i + 1;
  if (c === 0x0d && s.charCodeAt(j) === 0x0a) j++;
  else if (c !== 0x20 && c !== 0x0a && c !== 0x0d && !isWideSpace(c)) return false;
  if (j >= s.length) return false;
  const f = fold[s.charCodeAt(j)]!;
  return f >= 0x30 && f <= 0x39;
}

/**
 * A token of digits met a space or line break: the byte that joins it to the
 * group that follows (' ' for a space or tab, '\n' for a line break), 1 —
 * a CR whose LF will join, 0 — the token ends.
 */
function joins(s: string, i: number, c: number, tok: Uint8Array, tokLen: number, fold: Uint16Array): number {
  if (tokLen >= MAX_GROUPED || tok[tokLen - 1]! < 0x30 || tok[tokLen - 1]! > 0x39 || !joinable(s, i, fold)) return 0;
  return c === 0x0d ? 1 : c === 0x0a ? 0x0a : 0x20;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** s[at, j) is three digits, then `.dddd.dddd`: a mobile number written 138.1234.5678 (pii-token.ts). */
function dotted344(s: string, at: number, j: number): boolean {
  if (j - at !== 3 || s.charCodeAt(j) !== 0x2e || s.charCodeAt(j + 5) !== 0x2e) return false;
  for (let k = j + 1; k < j + 10; k++) if (k !== j + 5 && !isDigit(s.charCodeAt(k))) return false;
  return true;
}

/** isAsciiTok as one lookup: [A-Za-z0-9._%+-@]. */
const ASCII_TOK = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_TOK[c] = isAsciiTok(c) ? 1 : 0;

const BOX_CJK = 0x53e3; // 口
/** Labels a scanner reads with what follows them (level-choices.ts); past these, each is a marking. */
const LABEL_READINGS = 1024;
const labelStates = new WeakMap<object, number>();
/** The automaton's state after 密级 (-1: none). */
function labelStateOf(m: PatternMatcher<MatchTag>): number {
  let st = labelStates.get(m);
  if (st === undefined) {
    st = 0;
    for (const u of foldPattern('密级')) st = m.symOf[u] ? m.delta[st * m.nsym + m.symOf[u]!]! : 0;
    if (st === 0) st = -1;
    labelStates.set(m, st);
  }
  return st;
}

/** Longest tag taken as markup; past it, the '<' was text (and what follows is scanned). */
const TAG_MAX = 1024;

/** '<' opens a tag only before a name, '/', '!' or '?' (XML 1.0 §2.3, §3.1); "1 < 2" is text. */
function isTagStart(s: string, i: number): boolean {
  if (i + 1 >= s.length) return true; // the next character is in the next chunk: assume markup
  const c = s.charCodeAt(i + 1);
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x2f || c === 0x21 || c === 0x3f || c === 0x5f || c === 0x3a;
}

interface Decoder {
  decode(chunk?: Uint8Array, o?: { stream: boolean }): string;
}

/** TextDecoder has no UTF-32: iconv-lite's streaming decoder does it. */
function decoderFor(encoding: TextEncodingName): Decoder {
  if (singleByte(encoding)) return new WesternDecoder(encoding);
  if (encoding === 'ebcdic') return new EbcdicDecoder();
  if (encoding !== 'utf-32le' && encoding !== 'utf-32be') {
    // Node's ICU decoder for GB18030 can throw on hostile bytes even when not fatal: iconv-lite takes over.
    let td: TextDecoder | null = new TextDecoder(encoding, { fatal: false });
    let fallback: Decoder | null = null;
    // UTF-8 whose decoder holds nothing (the last byte it was given was ASCII: no character cut, its BOM
    // settled) reads an all-ASCII chunk as the chunk's own bytes: the same characters, a tenth of ICU's cost.
    let clean = false;
    return {
      decode(chunk?: Uint8Array, o?: { stream: boolean }): string {
        if (td) {
          if (clean && chunk && o?.stream && encoding === 'utf-8' && isAscii(chunk)) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
          try {
            const s = td.decode(chunk, o);
            if (chunk?.length) clean = chunk[chunk.length - 1]! < 0x80;
            return s;
          } catch {
            td = null;
          }
        }
        fallback ??= iconvDecoder(encoding);
        return fallback.decode(chunk, o);
      },
    };
  }
  return iconvDecoder(encoding);
}

function iconvDecoder(encoding: string): Decoder {
  const d = iconv.getDecoder(encoding);
  return {
    decode(chunk?: Uint8Array, o?: { stream: boolean }): string {
      const s = chunk ? d.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length)) : '';
      return o?.stream ? s : s + (d.end() ?? '');
    },
  };
}

export class TextScanner {
  #o: TextScannerOptions;
  #decoder: Decoder;
  /** The characters decoded by the last write() or end() (for the decoded views). */
  text = '';
  #lettered = false;
  /** ASCII letters and digits passed over in the gap under way (MAX_LETTERS). */
  #letters = 0;
  #widths: Uint8Array;
  #off: number;
  // automaton
  #state = 0;
  #sepRun = 0;
  /** Blanks (spaces, tabs…) in a row so far, not yet counted (MAX_SEP_RUN). */
  #spaceRun = 0;
  /** A terminal escape sequence under way inside a match (terminal-escapes.ts), or 0. */
  #esc = 0;
  /** Where the last witness of UTF-8 read as GBK was, relative to the chunk (utf8-as-gbk.ts). */
  #witnessAt = -1e9;
  /** The chunk holds UTF-8 read as GBK (utf8-as-gbk.ts), until takeUtf8AsGbk(). */
  #utf8AsGbk = false;
  #nsig = 0;
  #ring: Float64Array;
  #ringMask: number;
  #pending: { level: string; offset: number; text: string; left: number } | null = null;
  #inTag = false;
  /** Characters of the current tag so far (it may span chunks). */
  #tagLen = 0;
  // personal-data token
  #tok = Buffer.alloc(MAX_TOKEN);
  #tokOff = new Float64Array(MAX_TOKEN);
  #tokLen = 0;
  #pii = new Map<string, Finding>();
  #tokDigits = 0;
  /** bit 1: '@' seen; bit 2: overflowed */
  #tokAt = 0;
  // base64 run
  #b64Len = 0;
  /** Characters of the base64 run under way on its current line. */
  #b64Line = 0;
  /** The last chunk ended in a line break (for a boundary line cut at a chunk's edge). */
  #b64Nl = false;
  #b64Start = 0;
  #b64Head = new Uint8Array(BASE64_MIN_RUN);
  #b64Active = false;
  #runs = new Base64RunDecoder();

  constructor(o: TextScannerOptions) {
    if (!o.warm) warmUp(o.matcher);
    this.#o = o;
    this.#decoder = decoderFor(o.encoding);
    this.#widths = byteWidths(o.encoding);
    this.#off = (o.offset ?? 0) + (o.encoding === 'gb18030' ? 0 : o.bom); // GB18030's BOM decodes to U+FEFF, which is counted
    let size = 2;
    while (size <= o.matcher.maxLength) size <<= 1;
    this.#ring = new Float64Array(size);
    this.#ringMask = size - 1;
  }

  /** Scans a chunk; returns the base64-run events it produced, in order. */
  write(chunk: Uint8Array): Base64Event[] {
    const s = this.#decoder.decode(chunk, { stream: true });
    this.text = s;
    this.#header ??= headerLine(s);
    if (this.#o.top && this.#top.length < TOP_REACH) {
      // What shows nothing before the text's first character is not kept (#topBase counts it).
      const k = this.#top ? 0 : firstVisible(s);
      this.#topBase += k;
      this.#top += s.slice(k, k + TOP_REACH - this.#top.length);
    }
    // All-ASCII UTF-8 (every byte a character): let a native regular
    // expression skip to the few places that matter (≈ 500 M chars/s). For
    // CJK text V8's regexp on two-byte strings is slower than our own loop
    // with its one-lookup fast path, so that loop takes every character.
    const events = this.#scan(s, (this.#o.encoding === 'utf-8' || singleByte(this.#o.encoding)) && s.length === chunk.length && isAscii(chunk));
    this.#seen += s.length;
    return events;
  }

  /** The next byte written is at this offset of the content (regions of binary content are written one by one). */
  seek(offset: number): void {
    this.#off = offset;
  }

  end(): Base64Event[] {
    const rest = this.#decoder.decode();
    this.text = rest;
    if (this.#decoder instanceof EbcdicDecoder && this.#decoder.unread > 0) {
      // Chinese between SO and SI (IBM-935/937) has no table here: what it says is not read, so it is refused,
      // not passed as the U+FFFD it decodes to (review10: 文件密级：机密★10年 in IBM-935 crossed an export).
      this.#o.tally.add({ kind: 'uninspectable', subkind: 'text/x-ebcdic-dbcs', path: this.#o.path, detail: `EBCDIC text with ${this.#decoder.unread} double-byte characters between SO and SI (IBM-935/937): no table decodes them, so what they say was not read` });
    }
    const events = this.#scan(rest, false);
    if (this.#tokLen) this.#endToken(this.#tokLen, this.#tokDigits, this.#tokAt);
    this.#tokLen = 0;
    this.#weighed();
    this.#flushPending();
    if (this.#deferred.length) this.#resumeLabels('', true);
    if (this.#lines.length) this.#resumeLines('', true);
    if (this.#b64Active) {
      // The text's end ends the run as any other character would: a final quantum of 2 or 3
      // characters is 1 or 2 bytes (unpadded base64url, a JWT, urlsafe_b64encode().rstrip('=')
      // at the end of a file lost an id number's check digit; red team 1 Dec, N1).
      this.#runs.end(false);
      events.push(...this.#runs.take());
      this.#b64Active = false;
    }
    return events;
  }

  #scan(s: string, jump: boolean): Base64Event[] {
    if (s.length) this.#places.reset(s, this.#off, jump, this.#widths); // (the last token's line is in the last chunk)
    if (this.#deferred.length && s.length) this.#resumeLabels(s, false);
    if (this.#lines.length && s.length) this.#resumeLines(s, false);
    const { fold, cls, blank, plane1 } = foldTables();
    const { leads } = utf8AsGbkTables();
    const m = this.#o.matcher;
    const symOf = m.symOf;
    const delta = m.delta;
    const nsym = m.nsym;
    const outStart = m.outStart;
    const boring = boringTable(m);
    const w = this.#widths;
    const markup = this.#o.markup;
    const base64 = this.#o.base64;
    const ring = this.#ring;
    const ringMask = this.#ringMask;
    const tok = this.#tok;
    const tokOff = this.#tokOff;
    const head = this.#b64Head;
    const runs = this.#runs;
    if (base64) runs.begin(s.length);
    // Hot state lives in locals for the length of the chunk.
    let off = this.#off;
    let state = this.#state;
    let sepRun = this.#sepRun;
    let spaceRun = this.#spaceRun;
    let esc = this.#esc;
    let nsig = this.#nsig;
    let inTag = this.#inTag;
    let tagLen = this.#tagLen;
    let tokLen = this.#tokLen;
    let tokDigits = this.#tokDigits;
    let tokAt = this.#tokAt;
    let b64Len = this.#b64Len;
    let b64Line = this.#b64Line;
    let b64Active = this.#b64Active;
    let b64Start = this.#b64Start;
    let pending = this.#pending !== null;
    let lettered = this.#lettered;
    let letters = this.#letters;
    const depth = m.depth;
    const labelState = labelStateOf(m);
    const n = s.length;
    let i = 0;
    let until = jump ? 0 : n; // the detailed loop runs at least to here
    for (;;) {
    for (; i < n; i++) {
      // Quiet (no match, token, run or period under way): jump to the next place where one can start.
      if (i >= until && state === 0 && tokLen === 0 && b64Len === 0 && !pending) break;
      const c = s.charCodeAt(i);
      const at = off;
      off += w[c]!;
      // Most characters of CJK prose take part in nothing: one lookup and on.
      const bc = boring[c]!;
      if (bc !== 0 && !pending && !inTag && (bc === 1 || state === 0)) {
        if ((tokLen | b64Len) !== 0) {
          if (tokLen !== 0) {
            const j = joins(s, i, c, tok, tokLen, fold);
            if (j > 1) {
              tok[tokLen] = j;
              tokOff[tokLen] = at;
              tokLen++;
              tokAt |= GROUPED;
            } else {
              this.#endToken(tokLen, tokDigits, tokAt);
              tokLen = tokDigits = tokAt = 0;
            }
          }
          if (b64Len !== 0) {
            if (b64Active) runs.end(false);
            b64Active = false;
            b64Len = 0;
          }
        }
        state = 0;
        sepRun = 0;
        spaceRun = 0;
        esc = 0;
        lettered = false;
        letters = 0;
        // Nothing is under way now: run through the following such characters in a tight loop.
        while (i + 1 < n) {
          const c2 = s.charCodeAt(i + 1);
          if (boring[c2] === 0) break;
          off += w[c2]!;
          i++;
        }
        continue;
      }
      if (inTag) {
        // Skip to the tag's end in one step (per character, this was quadratic on a long
        // tag). A "tag" longer than TAG_MAX is not one: it is text after a bare '<'.
        const gt = s.indexOf('>', i);
        const end = gt < 0 ? n : gt;
        if (tagLen + (end - i) <= TAG_MAX) {
          const stop = gt < 0 ? n : gt + 1;
          off += this.#byteLength(s, i + 1, stop);
          tagLen = gt < 0 ? tagLen + (n - i) : 0;
          if (gt >= 0) inTag = false;
          i = stop - 1;
          continue;
        }
        inTag = false;
        tagLen = 0;
      } else if (c === 0x3c && markup) {
        if (s.startsWith('<![CDATA[', i)) {
          // CDATA is text: skip its opening only.
          off += this.#byteLength(s, i + 1, i + 9);
          i += 8;
          continue;
        }
        if (isTagStart(s, i)) {
          inTag = true;
          tagLen = 0;
          continue;
        }
      }
      let k = cls[c]!;
      let f = fold[c]!;
      // Plane 1 (a high surrogate D800–D83F): what the pair's code point shows as (text-fold.ts plane1); a star is ★.
      if (k === SEP && c < 0xd840 && c >= 0xd800) {
        const lo = s.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo < 0xe000) k = plane1[((c - 0xd800) << 10) | (lo - 0xdc00)]!;
        if (k === STAR1) {
          k = SIG;
          f = STAR;
        }
      }
      if (k === SKIP) continue;
      if (esc !== 0) {
        // Inside a terminal's escape sequence: already counted as one blank.
        esc = escapeStep(esc, c);
        if (esc >= 0) continue;
        esc = 0;
      }
      // personal data: gather a token of [a-z0-9._%+-@]
      if (f < 128 && TOK[f] === 1) {
        if (tokLen < MAX_TOKEN) {
          tok[tokLen] = f;
          tokOff[tokLen] = at;
          tokLen++;
        } else tokAt |= 2; // overflow: too long to be any identifier
        if (f <= 0x39 && f >= 0x30) tokDigits++;
        else if (f === 0x40) tokAt |= 1;
        else if (f === 0x2d) tokAt |= GROUPED;
      } else if (tokLen !== 0) {
        const j = joins(s, i, c, tok, tokLen, fold);
        if (j > 1) {
          tok[tokLen] = j;
          tokOff[tokLen] = at;
          tokLen++;
          tokAt |= GROUPED;
        } else if (j === 0) {
          this.#endToken(tokLen, tokDigits, tokAt);
          tokLen = tokDigits = tokAt = 0;
        }
      }
      // base64 runs, on the raw character (base64 is case-sensitive)
      if (base64) {
        let v = c < 128 ? B64[c]! : -1;
        // A line that starts with "--" ends a run that crossed a line break: a MIME boundary, not more data.
        if (c === 0x2d && b64Len !== 0 && (s.charCodeAt(i - 1) === 0x0a || (i === 0 && this.#b64Nl)) && s.charCodeAt(i + 1) === 0x2d) v = -1;
        if (v >= 0 && v < 64) {
          if (b64Len === 0) {
            b64Start = at;
            b64Line = 0;
          }
          b64Len++;
          b64Line++;
          if (b64Active) runs.value(v);
          else if (b64Len <= BASE64_MIN_RUN) {
            head[b64Len - 1] = c;
            // Any run this long is decoded: requiring mixed case let an encoder's all-capital
            // output (text of spaces and '@' encodes to "ICBA…") slip past.
            // …but a row of a few characters ("AAAA…", "----…") is padding or a rule, not data:
            // the window then slides on by one 4-character quantum and is judged again,
            // so a padded prefix cannot hide the data behind it (decoding starts on a
            // quantum boundary, where base64 may be read from).
            if (b64Len === BASE64_MIN_RUN) {
              if (diverse(head)) {
                runs.open(b64Start, head);
                b64Active = true;
              } else {
                head.copyWithin(0, 4, BASE64_MIN_RUN);
                b64Len -= 4;
              }
            }
          }
        } else if (v === 65) {
          // A run goes on past a line break only from a line of B64_JOIN_LINE characters or more (an encoder's
          // line): lines of ids, codes or UUIDs one a line, each shorter, are not joined into one run and decoded
          // as bytes (the jump to runs, base64RunBefore, joins lines since 1 Dec).
          // A line that is not an encoder's (shorter, or a rule of one character: `xxxx…`) ends the run: one not yet
          // opened starts again on the next line, one opened ends with it (an encoder's short line is its last).
          if (c === 0x0a && b64Len !== 0) {
            if (b64Active) {
              if (b64Line < B64_JOIN_LINE) {
                runs.end(false);
                b64Active = false;
                b64Len = 0;
              }
            } else if (b64Line < B64_JOIN_LINE || !diverse(head.subarray(Math.max(0, b64Len - b64Line), b64Len))) {
              b64Len = 0;
            }
            // The loop goes on to the next line, as it did when the run went on: ended at every line, the jump
            // to the next trigger made 11,000 paths one a line cost 6 CPU-s instead of 0.09.
            if (b64Len === 0 && until < i + 2) until = i + 2;
          }
          if (c === 0x0a) b64Line = 0;
        } else if (b64Len !== 0) {
          if (b64Active) runs.end(v === 64);
          b64Active = false;
          b64Len = 0;
        }
      }
      // markings and keywords
      if (k !== SIG) {
        lettered = false; // a letter after a separator is not glued to the one before it (letters counts them)
        if (k === BLANK || blank[f] === 1) {
          spaceRun++;
          esc = escapeStart(c);
          continue;
        }
        // Spaces ended by a line break or another separator: counted in full.
        sepRun += spaceRun;
        spaceRun = 0;
        if (++sepRun > MAX_SEP_RUN) state = 0;
        continue;
      }
      // Spaces ended by a character: counted as one.
      if (spaceRun !== 0) {
        spaceRun = 0;
        if (++sepRun > MAX_SEP_RUN) state = 0;
      }
      sepRun = 0;
      if (pending) {
        this.#period(f);
        pending = this.#pending !== null;
      }
      const sym = symOf[f]!;
      const letter = (f >= 0x61 && f <= 0x7a) || (f >= 0x30 && f <= 0x39); // one ASCII letter or digit may sit inside a marking (机x密, 机1密)
      if (sym === 0) {
        if (leads[c] !== 0) this.#witness(s, i);
        // 口 typed for a box after 密级 (密级：口绝密 √机密): a separator there (level-choices.ts reads the boxes).
        if (state === labelState && c === BOX_CJK) {
          if (++sepRun > MAX_SEP_RUN) state = 0;
          continue;
        }
        // One ASCII letter, or one number (a line number: 10 机 / 11 密), may sit inside a marking; and a second
        // letter apart from the first by a separator (密x级x：x机x密, red team 1 Dec b, N27), MAX_LETTERS in a gap.
        if (state !== 0 && letter && ((!lettered && letters < MAX_LETTERS) || (f <= 0x39 && i > 0 && isDigit(fold[s.charCodeAt(i - 1)]!)))) {
          lettered = true;
          letters++;
          continue;
        }
        state = 0;
        lettered = false;
        letters = 0;
        continue;
      }
      // A star or bracket that continues no match is a separator (机⭐密★, 机】密★); so is a Markdown
      // footnote's '[' (机[^1]密★). "No match" is the root: a star or closer that keeps a shorter match
      // alive (【机密 + ★ → 机密★, red team 30 Nov: `[机密★10年]` crossed) continues it.
      if (state !== 0 && (f === STAR || f === OPEN_BRACKET || f === CLOSE_BRACKET)) {
        const next = delta[state * nsym + sym]!;
        // …and so is a box's '[' after 密级 (密级：[x]机密, [ ]绝密 [x]机密).
        if (depth[next] !== depth[state]! + 1 && (next === 0 || (c === 0x5b && s.charCodeAt(i + 1) === 0x5e) || (state === labelState && (c === 0x5b || c === 0xff3b)))) {
          if (++sepRun > MAX_SEP_RUN) state = 0;
          continue;
        }
      }
      if (letter && state !== 0 && !lettered && letters < MAX_LETTERS) {
        const next = delta[state * nsym + sym]!;
        if (depth[next] !== depth[state]! + 1 && outStart[next] === outStart[next + 1]) {
          lettered = true;
          letters++;
          continue;
        }
      }
      lettered = false;
      letters = 0;
      // Only pattern characters can be part of a match: the ring of their offsets gives a match its start.
      ring[nsig & ringMask] = at;
      nsig++;
      state = delta[state * nsym + sym]!;
      if (outStart[state] !== outStart[state + 1]) {
        this.#emit(state, nsig, s, i);
        pending = this.#pending !== null;
      }
    }
    if (i >= n) break;
    const land = this.#nextTrigger(s, i, off);
    off += land.at - i; // the scanner jumps in ASCII text only: a character is a byte
    if (markup) {
      // Follow tags through the skipped stretch, forward (lastIndexOf from here rescanned the chunk each time).
      for (let j = i; j < land.at; j++) {
        const cj = s.charCodeAt(j);
        if (inTag) {
          if (cj === 0x3e || ++tagLen > TAG_MAX) {
            inTag = false;
            tagLen = 0;
          }
        } else if (cj === 0x3c && !s.startsWith('<![CDATA[', j) && isTagStart(s, j)) {
          inTag = true;
          tagLen = 0;
        }
      }
    }
    i = land.at;
    until = land.trigger + 1;
    if (i >= n) break;
    }
    this.#off = off;
    this.#tail = n >= 64 ? s.slice(n - 64) : (this.#tail + s).slice(-64);
    this.#state = state;
    this.#sepRun = sepRun;
    this.#spaceRun = spaceRun;
    this.#esc = esc;
    this.#witnessAt -= n;
    this.#lettered = lettered;
    this.#letters = letters;
    this.#nsig = nsig;
    this.#inTag = inTag;
    this.#tagLen = tagLen;
    this.#tokLen = tokLen;
    this.#tokDigits = tokDigits;
    this.#tokAt = tokAt;
    this.#b64Len = b64Len;
    this.#b64Line = b64Line;
    this.#b64Nl = n > 0 && s.charCodeAt(n - 1) === 0x0a;
    this.#b64Active = b64Active;
    this.#b64Start = b64Start;
    if (b64Active) runs.flush();
    return runs.take();
  }

  /** A character of the witness of UTF-8 read as GBK at s[i]: two within WITNESS_SPAN, and the bytes around are UTF-8. */
  #witness(s: string, i: number): void {
    if (!this.#utf8AsGbk && i - this.#witnessAt <= WITNESS_SPAN && confirmed(s, i)) this.#utf8AsGbk = true;
    this.#witnessAt = i;
  }

  /** Did the text since the last call hold UTF-8 read as GBK? (text-handler.ts reads it back) */
  takeUtf8AsGbk(): boolean {
    const t = this.#utf8AsGbk;
    this.#utf8AsGbk = false;
    return t;
  }

  /** Bytes the code units s[a, b) took in the source encoding. */
  #byteLength(s: string, a: number, b: number): number {
    if (b <= a) return 0;
    const enc = this.#o.encoding;
    if (enc === 'utf-8') return Buffer.byteLength(s.substring(a, b), 'utf8');
    if (enc === 'utf-16le' || enc === 'utf-16be') return 2 * (b - a);
    const w = this.#widths;
    let n = 0;
    for (let i = a; i < b; i++) n += w[s.charCodeAt(i)]!;
    return n;
  }

  /**
   * From a quiet point `from`, the next index where anything can begin: a
   * character that starts a pattern, a run of six or more digits, an '@',
   * or a base64 run of 64 or more; `at` is where the detailed loop resumes
   * (walked back to the start of the token), `trigger` the character itself.
   * A native regular expression does the skipping, so text that holds none
   * of these costs no JavaScript per character.
   */
  #nextTrigger(s: string, from: number, offFrom: number): { at: number; trigger: number } {
    const n = s.length;
    const { fold, cls } = foldTables();
    const m = this.#o.matcher;
    const re = asciiTriggerRegex(m);
    // A lone identifier in ASCII text (an e-mail in a CSV row) is evaluated
    // here and skipped, without the character loop, when nothing else can
    // happen inside it: no pattern starts with an ASCII token character, and
    // the token is short, whole in this chunk, and not part of a base64 run.
    const direct = !asciiTokenStarts(m);
    let scanned = from; // base64 runs were looked for up to here
    re.lastIndex = from;
    let p = n;
    for (;;) {
      // test(), not exec(): no match array a hit (CSV rows hold six), 1.5x faster. The start is found
      // from the end: a run of three digits or more is walked back (not past where this search began,
      // and no run goes on before the leftmost match), anything else is one character.
      const start = re.lastIndex;
      if (!re.test(s)) break;
      let at = re.lastIndex - 1;
      if (isDigit(s.charCodeAt(at))) {
        let r = at;
        while (r > start && isDigit(s.charCodeAt(r - 1))) r--;
        if (at + 1 - r >= 3) at = r;
      }
      const c = s.charCodeAt(at);
      const f = fold[c]!;
      const digit = f >= 0x30 && f <= 0x39;
      if (digit && m.symOf[f] === 0) {
        // The expression took the whole run: shorter than six digits, it is no identifier unless a group follows.
        const j = re.lastIndex;
        if (j - at < 6 && !joinable(s, j, fold) && s.charCodeAt(j) !== 0x2d && !dotted344(s, at, j)) continue;
      }
      if (direct && (digit || f === 0x40) && c < 128) {
        let q = at;
        while (q > from && isAsciiTok(s.charCodeAt(q - 1))) q--;
        // The token's end, and what the judgement below needs of its characters, in one walk from its start.
        // Most tokens of a table (row numbers, codes, amounts) can hold no identifier:
        // judged on the characters before anything is copied.
        let digits = 0;
        let flags = 0;
        let run = 0;
        let longest = 0;
        let exponent = false;
        let e = q;
        for (; e < n; e++) {
          const ce = s.charCodeAt(e);
          if (ce >= 128 || ASCII_TOK[ce] === 0) break;
          const fk = fold[ce]!;
          if (fk >= 0x30 && fk <= 0x39) {
            digits++;
            if (++run > longest) longest = run;
          } else {
            if (fk === 0x65 && run > 0) exponent = true;
            run = 0;
            if (fk === 0x40) flags |= 1;
            else if (fk === 0x2d) flags |= GROUPED;
          }
        }
        const before = q > 0 ? s.charCodeAt(q - 1) : 0x20;
        const after = e < n ? s.charCodeAt(e) : 0;
        if (e < n && e - q < BASE64_MIN_RUN && !joinable(s, e, fold) && before !== 0x2f && after !== 0x2f && after !== 0x3d && (q > from || from === 0 || !isAsciiTok(before))) {
          if (this.#o.base64) {
            const r = base64RunBefore(s, scanned, q);
            if (r >= 0) return { at: r, trigger: r };
            scanned = e;
          }
          // An address needs '@', a mobile number 11 digits in a row (or in groups, or 3.4.4, or 1.3812345678e10), an id number or a credit code 18 characters.
          if ((flags & 1) === 0 && longest < 11 && (e - q < 18 || digits < 6) && ((flags & GROUPED) === 0 || digits < 11) && (e - q !== 13 || digits !== 11) && (!exponent || digits < 11)) {
            re.lastIndex = e;
            continue;
          }
          const tok = this.#tok;
          const tokOff = this.#tokOff;
          // This chunk is ASCII (the only case in which the scanner jumps): a character is a byte.
          const base = offFrom + (q - from);
          for (let k = q; k < e; k++) {
            tok[k - q] = fold[s.charCodeAt(k)]!;
            tokOff[k - q] = base + (k - q);
          }
          this.#endToken(e - q, digits, flags);
          re.lastIndex = e;
          continue;
        }
      }
      p = at;
      break;
    }
    if (this.#o.base64) {
      const r = base64RunBefore(s, scanned, p);
      if (r >= 0) return { at: r, trigger: r };
    }
    let q = p;
    const lim = Math.max(from, p - MAX_TOKEN);
    while (q > lim) {
      const c = s.charCodeAt(q - 1);
      const f = fold[c]!;
      if ((f < 128 && TOK[f] === 1) || cls[c] === SKIP) q--;
      else break;
    }
    return { at: q, trigger: p };
  }


  #emit(state: number, nsig: number, s: string, i: number): void {
    const m = this.#o.matcher;
    for (let j = m.outStart[state]!; j < m.outStart[state + 1]!; j++) {
      const p = m.patterns[m.outList[j]!]!;
      const offset = this.#ring[(nsig - p.units.length) & this.#ringMask]!;
      if (p.tag.kind === 'keyword') {
        this.#o.tally.add({ kind: 'keyword', subkind: p.tag.keyword, offset, path: this.#o.path, sample: p.tag.keyword });
      } else if (p.tag.form === 'star') {
        this.#flushPending();
        this.#pending = { level: p.tag.level, offset, text: `${p.tag.level}★`, left: 4 };
      } else if (p.tag.form === 'label') {
        this.#label(p.tag.level, offset, s, i + 1);
      } else if (p.tag.form === 'header') {
        this.#bracketLine(p.tag.level, offset, s, i);
      } else {
        const text = `【${p.tag.level}】`;
        this.#o.tally.add({ kind: 'classified-marking', subkind: p.tag.level, offset, path: this.#o.path, sample: text, detail: `marking ${text}` });
      }
    }
  }

  /** The last characters of the previous chunk (what a label's reading looks back at). */
  #tail = '';
  /** Labels whose reading waits for the next chunk (level-choices.ts). */
  #deferred: { level: string; offset: number; text: string; end: number }[] = [];

  /** Past LABEL_READINGS, where the last label with a choice that is no level began (-1: none). */
  #choiceOpen = -1;

  /** Labels read with what follows them so far; past LABEL_READINGS, a label is a marking as it stands (text made of labels costs no more than other text). */
  #labelReadings = 0;

  /** `密级` and a level word ending at s[end): a marking, unless it is 机密性 or a list of choices (level-choices.ts). */
  #label(level: string, offset: number, s: string, end: number): void {
    if (++this.#labelReadings > LABEL_READINGS) {
      // A choice that is no level (密级：非密 …): a level word close after it is a marking (#bracketLine), unread.
      if (!(LEVELS as readonly string[]).includes(level)) {
        this.#choiceOpen = offset;
        return;
      }
      this.#o.tally.add({ kind: 'classified-marking', subkind: level, offset, path: this.#o.path, sample: `密级：${level}`, detail: `marking 密级：${level}` });
      return;
    }
    const from = Math.max(0, end - 64);
    const head = from === 0 ? this.#tail : '';
    const text = head + s.slice(from, end + CHOICE_WINDOW);
    this.#readLabel({ level, offset, text, end: end - from + head.length }, false);
  }

  #readLabel(d: { level: string; offset: number; text: string; end: number }, atEnd: boolean): void {
    const r: LabelReading = readLabel(d.text, d.end, d.level, this.#o.markup, atEnd);
    if (r.kind === 'more') {
      this.#deferred.push(d);
      return;
    }
    const levels = r.kind === 'label' ? [{ level: d.level, sample: d.level }] : r.levels;
    for (const { level, sample } of levels) {
      const text = `密级：${sample}`;
      this.#o.tally.add({ kind: 'classified-marking', subkind: level, offset: d.offset, path: this.#o.path, sample: text, detail: `marking ${text}` });
    }
  }

  /** Deferred labels read with the next chunk's head (or, at the end, with nothing more to come). */
  #resumeLabels(s: string, atEnd: boolean): void {
    const waiting = this.#deferred;
    this.#deferred = [];
    for (const d of waiting) this.#readLabel({ ...d, text: d.text + s.slice(0, CHOICE_WINDOW) }, atEnd);
  }

  /** Bracketed levels whose line goes on into the next chunk (#bracketLine). */
  #lines: { level: string; offset: number; line: string; bare?: boolean }[] = [];
  /** The text's first TOP_REACH characters (options.top), and how many characters the chunks before this one held. */
  #top = '';
  /** Characters before #top's first: blank ones before the text's first visible character. */
  #topBase = 0;
  #seen = 0;

  /**
   * A level word ending at s[i]: a marking when its line is the level in brackets and nothing else
   * (marking-patterns.ts isBracketedHeader: `（机密）`, `「绝密」`). The character before the word, when it is in
   * this chunk, must be an opener first: a level word in prose costs one look back.
   */
  #bracketLine(level: string, offset: number, s: string, i: number): void {
    if (this.#choiceOpen >= 0 && offset - this.#choiceOpen <= 4 * CHOICE_WINDOW) {
      const text = `密级：…${level}`;
      this.#o.tally.add({ kind: 'classified-marking', subkind: level, offset, path: this.#o.path, sample: text, detail: `marking ${text}` });
      return;
    }
    // Near the text's start, the level alone on its line (top-level-line.ts): #top holds all of the text up to here.
    const upTo = this.#seen + i + 1 - this.#topBase;
    if (upTo > 0 && upTo <= TOP_REACH && upTo <= this.#top.length) {
      const before = this.#top.slice(0, upTo);
      const start = lineStart(before);
      if (atTextTop(before.slice(0, start + 1))) {
        this.#readLine({ level, offset, line: before.slice(start + 1), bare: true }, s.slice(i + 1, i + 1 + HEADER_REACH), false);
        return;
      }
    }
    const { fold, blank, cls } = foldTables();
    let j = i - level.length; // the character before the word (a header's word has nothing inside it)
    while (j >= 0 && (cls[s.charCodeAt(j)] === SKIP || blank[fold[s.charCodeAt(j)]!] === 1)) j--;
    if (j >= 0 && !isHeaderOpener(s.charCodeAt(j))) return;
    const from = Math.max(0, i + 1 - 2 * HEADER_REACH);
    const before = (from === 0 ? this.#tail : '') + s.slice(from, i + 1);
    const start = lineStart(before);
    // No line break within reach: the start of the text (all of it is in `before`), else too long a line.
    if (start < 0 && (from !== 0 || this.#tail.length >= 64)) return;
    this.#readLine({ level, offset, line: before.slice(start + 1) }, s.slice(i + 1, i + 1 + HEADER_REACH), false);
  }

  /** `d.line` continued by `more`: read when its line ends there (or the text does), else kept for the next chunk. */
  #readLine(d: { level: string; offset: number; line: string; bare?: boolean }, more: string, atEnd: boolean): void {
    const end = lineEnd(more);
    if (end < 0 && !atEnd) {
      if (d.line.length + more.length <= 3 * HEADER_REACH) this.#lines.push({ ...d, line: d.line + more });
      return;
    }
    const line = d.line + (end < 0 ? more : more.slice(0, end));
    const sample = isBracketedHeader(line, d.level) ?? (d.bare ? isBareLevelLine(line, d.level) : null);
    if (sample) this.#o.tally.add({ kind: 'classified-marking', subkind: d.level, offset: d.offset, path: this.#o.path, sample, detail: `marking ${sample}` });
  }

  #resumeLines(s: string, atEnd: boolean): void {
    const waiting = this.#lines;
    this.#lines = [];
    for (const d of waiting) this.#readLine(d, s.slice(0, HEADER_REACH), atEnd);
  }

  /** Collects the period after 秘密★ (1年, 6个月, 长期) for the sample. */
  #period(f: number): void {
    const p = this.#pending!;
    if (p.left > 0 && PERIOD_CHARS.has(f)) {
      p.text += String.fromCharCode(f);
      p.left--;
    } else this.#flushPending();
  }

  #flushPending(): void {
    const p = this.#pending;
    if (!p) return;
    this.#pending = null;
    this.#o.tally.add({ kind: 'classified-marking', subkind: p.level, offset: p.offset, path: this.#o.path, sample: p.text, detail: `marking ${p.text}` });
  }

  /** A personal-data token ended: look for identifiers in it (pii-token.ts). */
  #endToken(n: number, digits: number, flags: number): void {
    if (flags & 2 || (digits < 6 && !(flags & 1))) return;
    findIdentifiers(this.#tok, n, digits, flags, this.#sink);
  }

  /** The content's first line, when it names columns (amount-context.ts). */
  #header: string | undefined;
  /** The chunk being scanned, where a token's byte offset is found in it. */
  #places = new ChunkPlaces();

  #sink: IdSink = {
    report: (subkind, start, value, seldom) => {
      if (subkind === 'email') return this.#email(start, value);
      // An 11-digit amount, size or serial is no mobile number; a grouping seldom written needs a phone named (amount-context.ts).
      if (subkind === 'cn-mobile') {
        const c = this.#places.at(this.#tokOff[start]!);
        if (seldom ? !c || !isPhoneAt(c.text, c.q, this.#header ?? '') : c && isAmountAt(c.text, c.q, this.#header ?? '')) return;
        this.#o.mobiles?.seen(value, c?.text, c?.q ?? 0);
      } else if (seldom && subkind === 'cn-resident-id') {
        const c = this.#places.at(this.#tokOff[start]!);
        if (!c || !isResidentIdAt(c.text, c.q, this.#header ?? '')) return;
      }
      // Personal data comes by the million in a register: count the repeats without building keys or masks.
      const held = this.#pii.get(subkind);
      if (held) {
        held.count = (held.count ?? 1) + 1;
        return;
      }
      const f = this.#o.tally.add({ kind: 'personal-data', subkind, offset: this.#tokOff[start], path: this.#o.path, sample: maskSample(subkind, value) });
      if (f) this.#pii.set(subkind, f);
    },
    weigh: (subkind, start, value, ok) => {
      this.#weights.add(subkind, value, ok, () => ({ offset: this.#tokOff[start]!, sample: maskSample(subkind, value) }));
    },
  };

  /** Identifiers judged by how many of their kind pass their check (pii-token.ts IdSink.weigh, id-weighing.ts). */
  #weights = new IdWeights();

  /** Reported at the end of the content: the kinds of identifier whose checks passed more than chance explains (id-weighing.ts). */
  #weighed(): void {
    for (const w of this.#weights.take()) {
      this.#o.tally.merge({ kind: 'personal-data', subkind: w.subkind, offset: w.offset, path: this.#o.path, sample: w.sample, count: w.count });
    }
    const e = this.#emails;
    if (e && e.distinct.size >= EMAIL_BULK) this.#o.tally.merge({ kind: 'personal-data', subkind: 'email', offset: e.offset, path: this.#o.path, sample: e.sample, count: e.count });
    this.#emails = null;
  }

  #emails: { distinct: Set<string>; count: number; offset: number; sample: string } | null = null;

  /** An e-mail address: counted, and reported at the end only in bulk (EMAIL_BULK different addresses). */
  #email(start: number, value: string): void {
    const e = (this.#emails ??= { distinct: new Set(), count: 0, offset: this.#tokOff[start]!, sample: maskSample('email', value) });
    e.count++;
    if (e.distinct.size < EMAIL_BULK) e.distinct.add(value);
  }
}

const LINE_BREAK = /[\n\r\v\f\u0085\u2028\u2029]/;

/** The index of the last line break in s, or -1. */
function lineStart(s: string): number {
  for (let k = s.length - 1; k >= 0; k--) if (LINE_BREAK.test(s[k]!)) return k;
  return -1;
}

/** The index of the first line break in s, or -1. */
function lineEnd(s: string): number {
  const m = LINE_BREAK.exec(s);
  return m ? m.index : -1;
}
