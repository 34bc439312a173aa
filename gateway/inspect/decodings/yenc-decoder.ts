import { YencPosts, type YencEvent } from './yenc-posts.js';

/** What YencDecoder needs of an entropy meter. */
export interface UndecodedMeter {
  write(b: Buffer): void;
  opaque(): boolean;
}

// yEnc (yEnc 1.3, www.yenc.org/yenc-draft.1.3.txt; ninth red team, W6: a memo yEncoded crossed): a
// `=ybegin … name=<name>` line, optionally `=ypart begin= end=`, then lines of bytes each written as
// (byte + 42) mod 256, a critical one as `=` and (byte + 42 + 64) mod 256, up to `=yend`. The text is 8-bit,
// not any character set: decoded here from the raw bytes, not the text. What a decoder writes is a file of its
// own, as a uuencoded one is, a post's parts joined in part order (yenc-posts.ts). Only the line under way is
// carried between chunks (at most MAX_LINE bytes), and the parts that came before their turn (bounded there).

const MAX_LINE = 8192;
const BEGIN = Buffer.from('=ybegin ');
const PART = Buffer.from('=ypart ');
const END = Buffer.from('=yend');
/**
 * Header lines as the draft writes them (keywords and their numbers, a name last on =ybegin). A line that only
 * starts so is no header (review11: 8 KiB of cipher text a `=ypart `, `=yend ` or `=ybegin ` line was covered,
 * never decoded, and vouched for the content): after =ybegin it is no block, inside a block it is data.
 */
const NUMBERS = '(?: +[a-z0-9]{1,8}=[0-9a-fA-F]{1,20})';
const BEGIN_LINE = new RegExp(`^=ybegin${NUMBERS}* +name=([^\x00-\x1f\x7f]{1,1024})$`);
const PART_LINE = new RegExp(`^=ypart${NUMBERS}+ *$`);
const END_LINE = new RegExp(`^=yend${NUMBERS}* *$`);

export class YencDecoder {
  #carry: Buffer = Buffer.alloc(0);
  #inBlock = false;
  /** A line too long to be a header is under way: skipped to its end. */
  #skipping = false;
  /** The last data byte was `=` (its escaped byte is in the next piece). */
  #escape = false;
  /** The files the blocks write, a post's parts joined. */
  #posts = new YencPosts();
  /** Bytes of the input in yEnc blocks (header, data and trailer lines, with their line breaks). */
  covered = 0;
  /**
   * What is not decoded: the lines outside blocks and the header lines. The blocks vouch for the content only when
   * these are not cipher text (review11: 4 KiB of it beside a block, inside the slack an article's headers get).
   */
  #undecoded: UndecodedMeter;

  /** undecoded: the entropy judgement of what is not decoded (an EntropyMeter, given by the caller: opaque/ is a floor above). */
  constructor(undecoded: UndecodedMeter) {
    this.#undecoded = undecoded;
  }

  /** The bytes outside the blocks and their headers look compressed or encrypted. */
  undecodedOpaque(): boolean {
    return this.#undecoded.opaque();
  }

  push(chunk: Buffer, final = false): YencEvent[] {
    const events: YencEvent[] = [];
    const all = this.#carry.length ? Buffer.concat([this.#carry, chunk]) : chunk;
    this.#carry = Buffer.alloc(0);
    let p = 0;
    for (;;) {
      const nl = all.indexOf(0x0a, p);
      if (nl < 0) break;
      this.#line(all.subarray(p, nl + 1), events, true);
      p = nl + 1;
    }
    const rest = all.subarray(p);
    if (final) {
      if (rest.length) this.#line(rest, events, true);
      this.#posts.finish(events);
      this.#inBlock = false;
    } else if (rest.length > MAX_LINE) {
      // A data line this long is decoded as it comes; anything else is no header line.
      if (this.#inBlock && !this.#skipping) this.#line(rest, events, false);
      else this.#skipping = true;
    } else this.#carry = Buffer.from(rest);
    return events;
  }

  /** One line (without its LF), or a piece of a long one (`whole` false). */
  #line(raw: Buffer, events: YencEvent[], whole: boolean): void {
    if (this.#skipping) {
      if (whole) this.#skipping = false;
      if (this.#inBlock) this.covered += raw.length;
      else this.#undecoded.write(raw);
      return;
    }
    const was = this.#inBlock;
    let line = raw.length && raw[raw.length - 1] === 0x0a ? raw.subarray(0, raw.length - 1) : raw;
    if (line.length && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    const inside = this.#block(line, events, whole);
    if (was || inside) this.covered += raw.length;
    if (!was || inside) this.#undecoded.write(raw);
  }

  /** Reads one line; true when it was a header line of a block. */
  #block(line: Buffer, events: YencEvent[], whole: boolean): boolean {
    if (whole && !this.#escape && line[0] === 0x3d && line[1] === 0x79) {
      const m = startsWith(line, BEGIN) ? BEGIN_LINE.exec(line.toString('latin1')) : null;
      if (m) {
        // The name is kept but not as a file name's extension: a text that quotes a header line (a manual of yEnc)
        // decodes its prose to bytes, which a `.txt` name would call a type mismatch.
        const name = Buffer.from(m[1]!, 'latin1').toString('utf8').trim();
        const head = line.toString('latin1');
        const part = Number(/ part=([0-9]{1,8})/.exec(head)?.[1] ?? 0);
        const total = Number(/ total=([0-9]{1,8})/.exec(head)?.[1] ?? 0);
        // A post's parts go on in one file, as a decoder joins them, in part order wherever they stand (review13:
        // a marking cut between part 1 and part 2 was read as two files and crossed, and so with part 2 first).
        if (this.#inBlock) this.#posts.end(events);
        this.#posts.begin(name, part, total, events);
        this.#inBlock = true;
        return true;
      }
      if (this.#inBlock && startsWith(line, PART) && PART_LINE.test(line.toString('latin1'))) return true;
      if (this.#inBlock && startsWith(line, END) && END_LINE.test(line.toString('latin1'))) {
        this.#posts.end(events);
        this.#inBlock = false;
        return true;
      }
    }
    if (!this.#inBlock) return false;
    const out = Buffer.allocUnsafe(line.length);
    let o = 0;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (this.#escape) {
        out[o++] = (c - 64 - 42) & 0xff;
        this.#escape = false;
      } else if (c === 0x3d) this.#escape = true;
      // A line break's bytes are no data anywhere in a line (yEnc 1.3: decoders ignore CR and LF; review13: a CR
      // every few characters made each a byte, and the memo decoded to nonsense here while a decoder read it).
      else if (c !== 0x0d) out[o++] = (c - 42) & 0xff;
    }
    // An escape never spans a line's end (a whole line's trailing `=` is dropped).
    if (whole) this.#escape = false;
    if (o) this.#posts.data(out.subarray(0, o), events);
    return false;
  }
}

function startsWith(b: Buffer, prefix: Buffer): boolean {
  return b.length >= prefix.length && b.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
}
