import zlib from 'node:zlib';
import { inflatesRawToText } from '../archives/embedded-zlib.js';
import type { InspectContext } from '../context/inspect-context.js';
import type { Member } from '../context/member.js';

// PNG text chunks (PNG 1.2 §4.2.3): tEXt is plain Latin-1 and read raw with
// the rest of the file; zTXt and compressed iTXt are deflated, so each is
// inflated here and its text inspected as a decoded view. Any other chunk
// but the image data (a private chunk, iCCP) that holds a zlib stream, at
// its start or after a keyword, is inflated too and inspected as content of
// its own: a program that wrote it reads it back so. So is bare deflate
// there (second red team, 30 November: a private chunk of deflate with no
// zlib header) when what it starts to inflate to is text (embedded-zlib.ts
// inflatesRawToText). Chunks are parsed as they stream; a chunk read is
// held up to MAX_TEXT_CHUNK bytes.

const MAX_TEXT_CHUNK = 1024 * 1024;
const MAX_INFLATED = 16 * 1024 * 1024;
/** Chunks never inflated here: image data (IDAT, APNG's fdAT) and those of fixed layout. */
const NOT_ZLIB = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'fdAT', 'acTL', 'fcTL', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'sBIT', 'pHYs', 'bKGD', 'hIST', 'tIME', 'tEXt']);

const HEAD = 84;

/** Where bare deflate that inflates to text starts: at 0 or after a keyword's NUL, else -1. */
function rawTextAt(d: Buffer): number {
  if (inflatesRawToText(d)) return 0;
  const nul = d.indexOf(0);
  return nul >= 0 && nul < 80 && inflatesRawToText(d.subarray(nul + 1)) ? nul + 1 : -1;
}

/** Where a zlib stream (RFC 1950 §2.2: deflate, header check) starts: at 0 or after a keyword's NUL (and a method byte), else -1. */
function zlibAt(d: Buffer): number {
  for (let k = 0; k + 2 <= d.length && k <= 82; k++) {
    if (k > 0 && d[k - 1] !== 0 && !(k > 1 && d[k - 2] === 0 && d[k - 1] === 0)) continue;
    if ((d[k]! & 0x0f) === 8 && d[k]! >> 4 <= 7 && ((d[k]! << 8) | d[k + 1]!) % 31 === 0) return k;
  }
  return -1;
}

export class PngText {
  #ctx: InspectContext;
  #path: string | undefined;
  #open: (kind: 'view' | 'content') => Member;
  #pos = 0;
  #hdr = Buffer.alloc(8);
  #hdrLen = 0;
  /** Bytes left of the current chunk's data + CRC; -1 while reading a header. */
  #left = -1;
  #type = '';
  #keep: Buffer[] | null = null;
  #kept = 0;
  #done = false;
  /** The current chunk is over MAX_TEXT_CHUNK: only its head is kept. */
  #big = false;

  constructor(ctx: InspectContext, path: string | undefined, open: (kind: 'view' | 'content') => Member) {
    this.#ctx = ctx;
    this.#path = path;
    this.#open = open;
  }

  async update(chunk: Buffer): Promise<void> {
    let i = 0;
    if (this.#pos < 8) {
      const skip = Math.min(8 - this.#pos, chunk.length);
      this.#pos += skip;
      i = skip;
    }
    while (i < chunk.length && !this.#done) {
      if (this.#left < 0) {
        const take = Math.min(8 - this.#hdrLen, chunk.length - i);
        chunk.copy(this.#hdr, this.#hdrLen, i, i + take);
        this.#hdrLen += take;
        i += take;
        if (this.#hdrLen < 8) return;
        this.#hdrLen = 0;
        const len = this.#hdr.readUInt32BE(0);
        this.#type = this.#hdr.toString('latin1', 4, 8);
        this.#left = len + 4;
        if (this.#type === 'IEND') this.#done = true;
        this.#keep = !NOT_ZLIB.has(this.#type) ? [] : null;
        this.#kept = 0;
        this.#big = this.#keep !== null && len > MAX_TEXT_CHUNK;
        if (this.#big && (this.#type === 'zTXt' || this.#type === 'iTXt')) {
          this.#ctx.inspectionLimit('png-text', this.#path, `a compressed PNG text chunk of ${len} bytes is over ${MAX_TEXT_CHUNK}; not read`);
          this.#keep = null;
        }
        continue;
      }
      const take = Math.min(this.#left, chunk.length - i);
      if (this.#keep && !(this.#big && this.#kept >= HEAD)) {
        this.#keep.push(chunk.subarray(i, i + take));
        this.#kept += take;
      }
      this.#left -= take;
      i += take;
      if (this.#left === 0) {
        this.#left = -1;
        if (this.#keep && this.#big) {
          // Too large to hold: refused only when it holds a zlib stream, which would go unread.
          const head = Buffer.concat(this.#keep).subarray(0, HEAD);
          if (zlibAt(head) >= 0 || rawTextAt(head) >= 0) this.#ctx.inspectionLimit('png-text', this.#path, `a PNG ${this.#type} chunk holding a deflate stream is over ${MAX_TEXT_CHUNK} bytes; not read`);
        } else if (this.#keep) await this.#text(Buffer.concat(this.#keep).subarray(0, this.#kept - 4));
        this.#keep = null;
      }
    }
  }

  async #text(data: Buffer): Promise<void> {
    if (this.#type !== 'zTXt' && this.#type !== 'iTXt') return this.#other(data);
    const nul = data.indexOf(0);
    if (nul < 0) return;
    let body: Buffer;
    let compressed = true;
    if (this.#type === 'zTXt') body = data.subarray(nul + 2);
    else {
      compressed = data[nul + 1] === 1;
      const lang = data.indexOf(0, nul + 3);
      const key = lang < 0 ? -1 : data.indexOf(0, lang + 1);
      if (key < 0) return;
      // Both the translated keyword and the text may hold words.
      body = compressed ? data.subarray(key + 1) : Buffer.alloc(0);
      if (!compressed) return; // uncompressed iTXt is read raw with the rest of the file
    }
    let text: Buffer;
    try {
      text = zlib.inflateSync(body, { maxOutputLength: MAX_INFLATED });
    } catch (e) {
      const over = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      if (over) this.#ctx.inspectionLimit('png-text', this.#path, `a PNG text chunk inflates past ${MAX_INFLATED} bytes`);
      else this.#ctx.tally.add({ kind: 'archive-broken', path: this.#path, detail: `a compressed PNG text chunk is corrupt` });
      return;
    }
    if (!this.#ctx.spend(text.length)) return;
    const view = this.#open('view');
    // clamd reads the chunk compressed: what only this inflating shows goes to it as decoded content (red team 1 Dec b, A10).
    await Promise.all([view.update(text), this.#ctx.decodedAv?.write(text)]);
    await this.#ctx.decodedAv?.endPiece();
    await view.finish();
  }

  /** Another chunk: its zlib stream (or bare deflate of text), if it has one, inflated and inspected as content. */
  async #other(data: Buffer): Promise<void> {
    let at = zlibAt(data);
    const raw = at < 0;
    if (raw) at = rawTextAt(data);
    if (at < 0) return;
    let out: Buffer;
    try {
      const opts = { maxOutputLength: MAX_INFLATED };
      out = raw ? zlib.inflateRawSync(data.subarray(at), opts) : zlib.inflateSync(data.subarray(at), opts);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') this.#ctx.inspectionLimit('png-text', this.#path, `a PNG ${this.#type} chunk inflates past ${MAX_INFLATED} bytes`);
      return; // not zlib after all: its bytes were read raw with the rest of the file
    }
    if (!this.#ctx.spend(out.length)) return;
    const m = this.#open('content');
    await Promise.all([m.update(out), this.#ctx.decodedAv?.write(out)]);
    await this.#ctx.decodedAv?.endPiece();
    await m.finish();
  }
}
