import { TextDecoder } from 'node:util';
import type { FindingTally } from './finding-tally.js';
import type { MatchTag } from './marking-patterns.js';
import type { PatternMatcher } from './pattern-matcher.js';
import { isBankCard, isEmail, isMobile, isResidentId, isUscc, maskSample } from './pii-checks.js';
import { byteWidths, type TextEncodingName } from './text-encoding.js';
import { SEP, SKIP, foldTables } from './text-fold.js';

// The one loop over text: decode (TextDecoder with stream: true, so a
// character split across chunks is whole), fold each code unit by table, and
// feed three small machines at once: the marking/keyword automaton, the
// personal-data tokenizer and the base64-run decoder. State between chunks
// is a few counters and fixed-size buffers, whatever the size of the text.

/** Up to this many separators (spaces, punctuation) may sit between the characters of a match. */
const MAX_SEP_RUN = 8;
const MAX_TOKEN = 256;
/** A base64 run is decoded once it is this long and mixes upper and lower case (hex digests do not). */
export const BASE64_MIN_RUN = 64;

// Personal-data token characters (after folding): a-z 0-9 . _ % + - @
const TOK = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) TOK[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TOK[c] = 1;
for (const ch of '._%+-@') TOK[ch.charCodeAt(0)] = 1;

// base64 alphabet (RFC 4648 §4); 64: '=' ends a run; 65: line breaks inside a run.
const B64 = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((ch, i) => (B64[ch.charCodeAt(0)] = i));
B64[0x3d] = 64;
B64[0x0a] = 65;
B64[0x0d] = 65;

const PERIOD_CHARS = new Set([...'0123456789年月个天日长期'].map((c) => c.charCodeAt(0)));

export type Base64Event = { kind: 'open'; offset: number } | { kind: 'data'; bytes: Uint8Array } | { kind: 'close' };

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
}

export class TextScanner {
  #o: TextScannerOptions;
  #decoder: TextDecoder;
  #widths: Uint8Array;
  #off: number;
  // automaton
  #state = 0;
  #sepRun = 0;
  #nsig = 0;
  #ring: Float64Array;
  #ringMask: number;
  #pending: { level: string; offset: number; text: string; left: number } | null = null;
  #inTag = false;
  // personal-data token
  #tok = new Uint8Array(MAX_TOKEN);
  #tokOff = new Float64Array(MAX_TOKEN);
  #tokLen = 0;
  #tokDigits = 0;
  #tokAt = false;
  #tokOverflow = false;
  // base64 run
  #b64Len = 0;
  #b64Start = 0;
  #b64Case = 0; // bit 1: upper seen, bit 2: lower seen
  #b64Head = new Uint8Array(BASE64_MIN_RUN);
  #b64Active = false;
  #acc = 0;
  #accN = 0;
  #out: Uint8Array = new Uint8Array(0);
  #outPos = 0;
  #outMark = 0;
  #events: Base64Event[] = [];

  constructor(o: TextScannerOptions) {
    this.#o = o;
    this.#decoder = new TextDecoder(o.encoding, { fatal: false });
    this.#widths = byteWidths(o.encoding);
    this.#off = o.encoding === 'gb18030' ? 0 : o.bom; // GB18030's BOM decodes to U+FEFF, which is counted
    let size = 2;
    while (size <= o.matcher.maxLength) size <<= 1;
    this.#ring = new Float64Array(size);
    this.#ringMask = size - 1;
  }

  /** Scans a chunk; returns the base64-run events it produced, in order. */
  write(chunk: Uint8Array): Base64Event[] {
    return this.#scan(this.#decoder.decode(chunk, { stream: true }));
  }

  end(): Base64Event[] {
    const events = this.#scan(this.#decoder.decode());
    if (this.#tokLen) this.#endToken();
    this.#flushPending();
    if (this.#b64Active) {
      this.#flushOut(events);
      events.push({ kind: 'close' });
      this.#b64Active = false;
    }
    return events;
  }

  #scan(s: string): Base64Event[] {
    const { fold, cls } = foldTables();
    const m = this.#o.matcher;
    const symOf = m.symOf;
    const delta = m.delta;
    const nsym = m.nsym;
    const outStart = m.outStart;
    const w = this.#widths;
    const markup = this.#o.markup;
    const base64 = this.#o.base64;
    const ring = this.#ring;
    const ringMask = this.#ringMask;
    const tok = this.#tok;
    const tokOff = this.#tokOff;
    this.#events = [];
    if (base64) {
      this.#out = new Uint8Array(((s.length * 3) >> 2) + 4);
      this.#outPos = 0;
      this.#outMark = 0;
    }
    let off = this.#off;
    let state = this.#state;
    let sepRun = this.#sepRun;
    let nsig = this.#nsig;
    let inTag = this.#inTag;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const at = off;
      off += w[c]!;
      if (markup) {
        if (inTag) {
          if (c === 0x3e) inTag = false;
          continue;
        }
        if (c === 0x3c) {
          inTag = true;
          continue;
        }
      }
      const k = cls[c]!;
      if (k === SKIP) continue;
      const f = fold[c]!;
      // personal data: gather a token of [a-z0-9._%+-@]
      if (f < 128 && TOK[f] === 1) {
        const n = this.#tokLen;
        if (n < MAX_TOKEN) {
          tok[n] = f;
          tokOff[n] = at;
          this.#tokLen = n + 1;
        } else this.#tokOverflow = true;
        if (f <= 0x39 && f >= 0x30) this.#tokDigits++;
        else if (f === 0x40) this.#tokAt = true;
      } else if (this.#tokLen !== 0) this.#endToken();
      // base64 runs, on the raw character (base64 is case-sensitive)
      if (base64) {
        const v = c < 128 ? B64[c]! : -1;
        if (v >= 0 && v < 64) this.#b64Char(c, v, at);
        else if (v !== 65 && this.#b64Len !== 0) this.#b64End(v === 64);
      }
      // markings and keywords
      if (k === SEP) {
        if (++sepRun > MAX_SEP_RUN) state = 0;
        continue;
      }
      sepRun = 0;
      ring[nsig & ringMask] = at;
      nsig++;
      if (this.#pending !== null) this.#period(f);
      const sym = symOf[f]!;
      if (sym === 0) {
        state = 0;
        continue;
      }
      state = delta[state * nsym + sym]!;
      if (outStart[state] !== outStart[state + 1]) this.#emit(state, nsig);
    }
    this.#off = off;
    this.#state = state;
    this.#sepRun = sepRun;
    this.#nsig = nsig;
    this.#inTag = inTag;
    const events = this.#events;
    if (this.#b64Active) this.#flushOut(events);
    return events;
  }

  #emit(state: number, nsig: number): void {
    const m = this.#o.matcher;
    for (let j = m.outStart[state]!; j < m.outStart[state + 1]!; j++) {
      const p = m.patterns[m.outList[j]!]!;
      const offset = this.#ring[(nsig - p.units.length) & this.#ringMask]!;
      if (p.tag.kind === 'keyword') {
        this.#o.tally.add({ kind: 'keyword', subkind: p.tag.keyword, offset, path: this.#o.path, sample: p.tag.keyword });
      } else if (p.tag.form === 'star') {
        this.#flushPending();
        this.#pending = { level: p.tag.level, offset, text: `${p.tag.level}★`, left: 4 };
      } else {
        const text = p.tag.form === 'label' ? `密级：${p.tag.level}` : `【${p.tag.level}】`;
        this.#o.tally.add({ kind: 'classified-marking', subkind: p.tag.level, offset, path: this.#o.path, sample: text, detail: `marking ${text}` });
      }
    }
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

  #endToken(): void {
    const n = this.#tokLen;
    const interesting = !this.#tokOverflow && (this.#tokDigits >= 6 || this.#tokAt);
    this.#tokLen = 0;
    this.#tokDigits = 0;
    this.#tokOverflow = false;
    const hadAt = this.#tokAt;
    this.#tokAt = false;
    if (!interesting) return;
    const s = Buffer.from(this.#tok.buffer, 0, n).toString('latin1');
    const path = this.#o.path;
    const report = (subkind: string, start: number, value: string): void => {
      this.#o.tally.add({ kind: 'personal-data', subkind, offset: this.#tokOff[start], path, sample: maskSample(subkind, value) });
    };
    const ids = new Set<number>();
    for (const r of s.matchAll(/\d+x?/g)) {
      const v = r[0];
      const start = r.index;
      if (v.length === 18 && isResidentId(v)) {
        report('cn-resident-id', start, v);
        ids.add(start);
        continue;
      }
      const digits = v.endsWith('x') ? v.slice(0, -1) : v;
      if (isMobile(digits)) report('cn-mobile', start, digits);
      else if (isBankCard(digits)) report('bank-card', start, digits);
    }
    for (const r of s.matchAll(/[0-9a-z]+/g)) {
      if (r[0].length === 18 && !ids.has(r.index) && isUscc(r[0])) report('uscc', r.index, r[0]);
    }
    if (hadAt) {
      for (const r of s.matchAll(/[a-z0-9._%+-]+@[a-z0-9.-]+/g)) {
        let v = r[0];
        let start = r.index;
        while (v.length && '._%+-'.includes(v[0]!)) {
          v = v.slice(1);
          start++;
        }
        while (v.length && '.-'.includes(v[v.length - 1]!)) v = v.slice(0, -1);
        if (isEmail(v)) report('email', start, v);
      }
    }
  }

  #b64Char(c: number, v: number, at: number): void {
    const len = ++this.#b64Len;
    if (len === 1) {
      this.#b64Start = at;
      this.#b64Case = 0;
    }
    if (c >= 0x41 && c <= 0x5a) this.#b64Case |= 1;
    else if (c >= 0x61 && c <= 0x7a) this.#b64Case |= 2;
    if (this.#b64Active) {
      this.#b64Value(v);
      return;
    }
    if (len > BASE64_MIN_RUN) return; // a long run without mixed case in its first characters: not base64 of anything
    this.#b64Head[len - 1] = c;
    if (len === BASE64_MIN_RUN && this.#b64Case === 3) {
      this.#b64Active = true;
      this.#acc = 0;
      this.#accN = 0;
      this.#flushOut(this.#events);
      this.#events.push({ kind: 'open', offset: this.#b64Start });
      for (let j = 0; j < BASE64_MIN_RUN; j++) this.#b64Value(B64[this.#b64Head[j]!]!);
    }
  }

  #b64Value(v: number): void {
    this.#acc = ((this.#acc << 6) | v) & 0xffffff;
    if (++this.#accN === 4) {
      const out = this.#out;
      let p = this.#outPos;
      if (p + 3 > out.length) {
        // only when a run resumed at the very start of a chunk after a long one: grow once
        const bigger = new Uint8Array(out.length * 2 + 16);
        bigger.set(out);
        this.#out = bigger;
      }
      this.#out[p++] = this.#acc >> 16;
      this.#out[p++] = (this.#acc >> 8) & 0xff;
      this.#out[p++] = this.#acc & 0xff;
      this.#outPos = p;
      this.#accN = 0;
    }
  }

  #b64End(padded: boolean): void {
    if (this.#b64Active) {
      // RFC 4648 §3.5: a final quantum of 2 or 3 characters carries 1 or 2 bytes.
      if (padded || this.#accN > 1) {
        const n = this.#accN;
        if (n === 2) this.#pushByte((this.#acc >> 4) & 0xff);
        else if (n === 3) {
          this.#pushByte((this.#acc >> 10) & 0xff);
          this.#pushByte((this.#acc >> 2) & 0xff);
        }
      }
      this.#flushOut(this.#events);
      this.#events.push({ kind: 'close' });
      this.#b64Active = false;
    }
    this.#b64Len = 0;
    this.#accN = 0;
  }

  #pushByte(b: number): void {
    if (this.#outPos >= this.#out.length) {
      const bigger = new Uint8Array(this.#out.length * 2 + 16);
      bigger.set(this.#out);
      this.#out = bigger;
    }
    this.#out[this.#outPos++] = b;
  }

  #flushOut(events: Base64Event[]): void {
    if (this.#outPos > this.#outMark) {
      events.push({ kind: 'data', bytes: this.#out.slice(this.#outMark, this.#outPos) });
      this.#outMark = this.#outPos;
    }
  }
}
