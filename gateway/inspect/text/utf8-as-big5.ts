import iconv from 'iconv-lite';
import { utf8Stretches } from './utf8-as-gbk.js';

// UTF-8 read as Big5 and saved again in UTF-8 (third red team, 30 November,
// "still open"): 机密★10年 arrives as "�箏���10撟�" from a browser's decoder
// (WHATWG: a lead byte and a byte that is no trail are one U+FFFD), or as
// "��箏�����10撟�" from Python's or Windows' cp950 (one U+FFFD a byte).
// Big5's trail bytes are 40–7E and A1–FE, so every pair of UTF-8 bytes whose
// second is a continuation byte 80–A0 is lost: about half the bytes. Unlike
// UTF-8 read as GBK (utf8-as-gbk.ts), no reading gives the text back whole.
// Two readings of what is left, started only where the text holds U+FFFD
// between characters of Big5 (Chinese text in its own right, in UTF-8 or in
// Big5, holds no U+FFFD):
// - the runs of Big5 characters, ASCII and U+FFFD turned back into their
//   bytes (each U+FFFD a gap), and their stretches of valid UTF-8 of two
//   characters or more read, one view down: the characters whose bytes all
//   fell into valid pairs;
// - the marking forms (a level word and ★ or ☆, 密级 and a level word with
//   or without ：, a level word in 【】, 〔〕 or ［］, Simplified and
//   Traditional) matched against those bytes with each U+FFFD standing for
//   one or two bytes that Big5 cannot have read (a first byte of 81 or more;
//   a second that is no trail byte), when MIN_KNOWN of the form's bytes or
//   more are there to compare; each match is read as the form's text.
// Not read: a form of which fewer bytes survive. 机密★ after an even number
// of bytes keeps two of its nine (BA E5: its U+FFFD are ★'s three bytes and
// four of the level word's), and one of two thousand characters of any
// Chinese text so read shows that pattern by chance; what follows decides
// (10年 keeps four more: read).

/** Big5's two bytes of each character it has (lead << 8 | trail), 0 for the others; HKSCS's of plane 2 apart. */
let codes: Uint16Array | undefined;
const astral = new Map<number, number>();

/**
 * Both decoders' characters: the WHATWG index (browsers) and iconv-lite's cp950 with HKSCS (Node programs;
 * 9C BA is 㦤 there and a character of plane 2 in WHATWG's; 9A E6 is U+2104F in iconv-lite's).
 */
function big5Codes(): Uint16Array {
  if (codes) return codes;
  const table = new Uint16Array(0x10000);
  // Every lead/trail pair, a space after each (a space is no trail: a pair that is no character ends there), decoded at once.
  const pairs: number[] = [];
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) if (trail <= 0x7e || trail >= 0xa1) pairs.push(lead, trail, 0x20);
  }
  const bytes = Buffer.from(pairs);
  for (const decoded of [new TextDecoder('big5').decode(bytes), iconv.decode(bytes, 'big5')]) {
    const each = decoded.split(' ');
    for (let p = 0; p < each.length - 1; p++) {
      const s = each[p]!;
      const u = s.codePointAt(0)!;
      const code = (pairs[3 * p]! << 8) | pairs[3 * p + 1]!;
      if (s.length === 1 && u >= 0x80 && u !== 0xfffd && table[u] === 0) table[u] = code;
      else if (s.length === 2 && u > 0xffff && !astral.has(u)) astral.set(u, code);
    }
  }
  return (codes = table);
}

/** Bytes of a marking form's that must be there to compare where others were lost, the anchor's two of its level word among them. */
export const MIN_KNOWN = 5;

/** In a form: one ASCII digit or more (a period's 10 in 机密★10年). */
const DIGITS = -2;
/** Added to a form byte's value: a byte of the level word (so that a match counts them apart). */
const LEVEL = 0x100;
/** A level word's byte compared counts this much in a match's value (the others one each, 31 at most). */
const LEVEL_WEIGHT = 32;

/** A form's bytes (DIGITS for a number; a level word's + LEVEL) and the text read when it matches. */
interface Form {
  bytes: Int16Array;
  /** The bytes backwards, to walk back from an anchor. */
  back: Int16Array;
  text: string;
}

const LEVELS = ['绝密', '机密', '秘密', '絕密', '機密'];

/** Forms by a pair of their level word's bytes that stand side by side (a Big5 character read whole), with where the pair is. */
const BY_PAIR = new Map<number, Array<{ form: Form; at: number }>>();

(() => {
  for (const level of LEVELS) {
    const forms = new Map<string, string>();
    for (const star of ['★', '☆']) {
      forms.set(`${star}`, `${level}★`);
      // With its period, whose bytes a star's lost ones leave (机密★ keeps two of nine after ASCII).
      for (const unit of ['年', '个月', '個月']) forms.set(`${star}#${unit}`, `${level}★`);
    }
    for (const label of ['密级', '密級']) for (const colon of ['：', ' ', '']) forms.set(`${label}${colon}`, `密级${level}`);
    for (const [open, close] of [['【', '】'], ['〔', '〕'], ['［', '］'], ['[', ']']]) forms.set(`${open}|${close}`, `【${level}】`);
    const lb = Buffer.from(level);
    for (const [shape, text] of forms) {
      // The level word goes after a label, between brackets ('|'), or before a star.
      const [before, after] = text.startsWith('密级') ? [shape, ''] : shape.includes('|') ? shape.split('|') : ['', shape];
      const bytes = Int16Array.from([...Buffer.from(before!), ...[...lb].map((x) => x + LEVEL), ...Buffer.from(after!)], (x) => (x === 0x23 ? DIGITS : x));
      const form = { bytes, back: bytes.slice().reverse(), text };
      for (let i = 0; i + 1 < lb.length; i++) {
        const key = (lb[i]! << 8) | lb[i + 1]!;
        const list = BY_PAIR.get(key) ?? [];
        list.push({ form, at: Buffer.byteLength(before!) + i });
        BY_PAIR.set(key, list);
      }
    }
  }
})();

/** A Big5 trail byte (40–7E, A1–FE): a byte that the decoder took with the one before it. */
const isTrail = (b: number): boolean => (b >= 0x40 && b <= 0x7e) || (b >= 0xa1 && b <= 0xfe);

const cur = new Int16Array(40);
const nxt = new Int16Array(40);
let any = false;

function put(to: number, v: number): void {
  if (v > nxt[to]!) nxt[to] = v;
  any = true;
}

/**
 * How well does form f match seq walking from element k by step (1 onward, -1 back), from form position j0 to
 * its end, each gap one or two of its bytes? (f reversed when walking back.) Over the form's positions as a
 * set; a match's value counts the bytes compared, a level word's LEVEL_WEIGHT each, the most over the ways it
 * matches; -1 when it does not match.
 */
function walk(seq: Int16Array, k: number, step: number, f: Int16Array, j0: number): number {
  const n = f.length;
  if (j0 >= n) return 0;
  cur.fill(-1, 0, n + 1);
  cur[j0] = 0;
  let best = -1;
  for (let p = k; p >= 0 && p < seq.length; p += step) {
    nxt.fill(-1, 0, n + 1);
    any = false;
    const b = seq[p]!;
    for (let j = j0; j < n; j++) {
      const known = cur[j]!;
      if (known < 0) continue;
      const x = f[j]! & 0xff;
      const digit = b >= 0x30 && b <= 0x39;
      // One digit or more, counted once: the first takes the form past DIGITS, more stay there.
      if (digit && j > j0 && f[j - 1] === DIGITS) put(j, known);
      if (f[j] === DIGITS) {
        if (digit) put(j + 1, known + 1);
      } else if (b >= 0) {
        if (b === x) put(j + 1, known + (f[j]! >= LEVEL ? LEVEL_WEIGHT : 1));
      } else {
        // One byte: a lead before a byte that is no trail (read again when ASCII), or a byte cp950 could not start with.
        if (x >= 0x81) put(j + 1, known);
        // Two: a lead and a byte that is no trail, both lost; walking on, the second may be past the form's end.
        if (j + 1 === n) {
          if (step > 0 && x >= 0x81) put(n, known);
        } else if (f[j + 1] !== DIGITS) {
          const [lead, second] = step > 0 ? [x, f[j + 1]! & 0xff] : [f[j + 1]! & 0xff, x];
          if (lead >= 0x81 && second >= 0x80 && !isTrail(second)) put(j + 2, known);
        }
      }
    }
    if (nxt[n]! > best) best = nxt[n]!;
    nxt[n] = -1;
    if (!any) break;
    cur.set(nxt.subarray(0, n + 1));
  }
  return best;
}

/** Bytes as read: a byte (0–255) or a gap (-1) where the decoder wrote U+FFFD. */
function bytesOf(s: string, from: number, to: number): Int16Array {
  const c = big5Codes();
  const out = new Int16Array(2 * (to - from));
  let n = 0;
  for (let i = from; i < to; i++) {
    const u = s.charCodeAt(i);
    const pair = u >= 0xd800 && u < 0xdc00 && i + 1 < to;
    const code = pair ? astral.get(s.codePointAt(i)!) ?? 0 : u < 0x80 || u === 0xfffd ? 0 : c[u]!;
    if (pair) i++;
    if (u < 0x80) out[n++] = u;
    else if (code === 0) out[n++] = -1;
    else {
      out[n++] = code >> 8;
      out[n++] = code & 0xff;
    }
  }
  return out.subarray(0, n);
}

/** Longest run kept for the next chunk when it reaches the end of this one. */
const MAX_CARRY = 256;
/** Characters of a longer run read again with the next chunk: more than a form's elements (at most 20). */
const OVERLAP = 64;

/**
 * The readings of s's runs of Big5 characters, ASCII and U+FFFD that hold
 * two U+FFFD and a Big5 character (null when none), one a line. Unless final,
 * a run that reaches the end of s goes before the next chunk (s.slice(keep)):
 * unread when of up to MAX_CARRY characters, else its last OVERLAP again.
 */
export function readBackBig5(s: string, final: boolean): { text: string | null; keep: number; cut?: boolean } {
  const n = s.length;
  let keep = n;
  let cut = false;
  let i = s.indexOf('\ufffd');
  if (i < 0) return { text: null, keep };
  const c = big5Codes();
  const readings: string[] = [];
  // (A surrogate: a character of plane 2, which HKSCS has; one Big5 has not stands for a gap in bytesOf.)
  const inRun = (u: number): boolean => u === 0xfffd || (u >= 0x20 && u < 0x7f) || u === 0x0a || u === 0x0d || u === 0x09 || (u >= 0x80 && c[u] !== 0) || (u >= 0xd800 && u < 0xe000);
  while (i >= 0 && i < n) {
    let start = i;
    while (start > 0 && inRun(s.charCodeAt(start - 1))) start--;
    let end = i;
    let gaps = 0;
    let big5 = 0;
    for (; end < n; end++) {
      const u = s.charCodeAt(end);
      if (!inRun(u)) break;
      if (u === 0xfffd) gaps++;
      else if (u >= 0x80) big5++;
    }
    if (end >= n && !final) {
      // A run that reaches the end is read with the next chunk: whole when short, else its last OVERLAP
      // characters again (a form cut by the chunk's end is whole there).
      keep = n - start <= MAX_CARRY ? start : n - OVERLAP;
      if (keep === start) break;
    }
    if (gaps >= 2 && big5 >= 1 && !readRun(bytesOf(s, start, end), readings)) cut = true;
    i = s.indexOf('\ufffd', end);
  }
  return { text: readings.length ? readings.join('\n') : null, keep, cut };
}

/** Could seq's element b stand at form position j? (a gap, a position outside the form, or the byte itself) */
function fits(f: Int16Array, j: number, b: number | undefined): boolean {
  if (b === undefined || b < 0 || j < 0 || j >= f.length) return true;
  return f[j] === DIGITS ? b >= 0x30 && b <= 0x39 : (f[j]! & 0xff) === b;
}

/** Anchors × forms a run may try: four an element and 1,024 (Chinese text read so, 保密 throughout, takes one or less). */
const triesFor = (n: number): number => 1024 + 4 * n;

/** Reads a run; false when it took more tries than triesFor allows (what is left of it is not read). */
function readRun(seq: Int16Array, readings: string[]): boolean {
  utf8Stretches(seq, readings);
  const found = new Set<string>();
  let tries = triesFor(seq.length);
  // Anchored on two bytes of a level word side by side (a Big5 character read whole).
  for (let k = 0; k + 1 < seq.length; k++) {
    if (seq[k]! < 0 || seq[k + 1]! < 0) continue;
    const list = BY_PAIR.get((seq[k]! << 8) | seq[k + 1]!);
    if (!list) continue;
    for (const { form, at } of list) {
      if (found.has(form.text)) continue;
      // The bytes on either side of the pair, where they are there, are the form's (most anchors end here).
      if (!fits(form.bytes, at + 2, seq[k + 2]) || !fits(form.bytes, at - 1, seq[k - 1])) continue;
      if (--tries < 0) {
        readings.push(...found);
        return false;
      }
      // From the pair on to the form's end, then back from it to the form's start: the pair is the level word's.
      const after = walk(seq, k + 2, 1, form.bytes, at + 2);
      const before = after < 0 ? -1 : walk(seq, k - 1, -1, form.back, form.bytes.length - at);
      if (before < 0) continue;
      const v = after + before + 2 * LEVEL_WEIGHT;
      if (Math.floor(v / LEVEL_WEIGHT) + (v % LEVEL_WEIGHT) >= MIN_KNOWN) found.add(form.text);
    }
  }
  readings.push(...found);
  return true;
}
