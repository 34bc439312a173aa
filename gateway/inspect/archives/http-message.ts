import type { InspectContext } from '../context/inspect-context.js';
import type { Member } from '../context/member.js';
import { scanMeta } from '../scan/name-scan.js';
import { isZlib, type Compression } from '../signatures/compression-magic.js';
import { DecompressHandler } from './decompress-handler.js';
import { ChunkedBodyError, HttpChunks } from './http-chunks.js';

// One HTTP/1.x message as a web archive stores it (a WARC response or request record, RFC 9112): its start line
// and header fields read as text, then its body taken out of the chunked coding and decoded by its
// Content-Encoding (gzip, deflate, br), and inspected as content. Brotli has no signature and a short body is
// under what the entropy judgement needs, so a body is decoded because it is declared so, never guessed at
// (fpfix3: a `br` page with a marking crossed unread). A coding no decoder here reads is `uninspectable`, a
// broken one `archive-broken`: a body is never passed over.

/** A message's head (start line and fields) is read whole, up to this size. */
const MAX_HEAD = 64 * 1024;

/** Content codings decoded here (RFC 9110 §8.4.1; x-gzip is gzip's old name). */
const CODINGS: Record<string, Compression> = { gzip: 'gzip', 'x-gzip': 'gzip', br: 'br', zstd: 'zstd' };

/**
 * Decoders whose output keeps up with their input, so that a stream cut short has given all a reader could get
 * from it. zstd's gives whole blocks, and a cut raw block's bytes are given as they are (decompress-handler.ts
 * `#cutRaw`, as zstd's streaming decoder writes them); a cut compressed block gives no decoder anything (ways12:
 * a cut zstd body was archive-broken, truncated or not).
 */
const CUT_READ_WHOLE = new Set<Compression>(['gzip', 'zlib', 'deflate', 'br', 'zstd']);

export interface HttpHost {
  ctx: InspectContext;
  path: string | undefined;
  /** Opens the member that the message's body (or a part past a stream's end) is inspected as. */
  open(name: string): Member | null;
  /** Found in a decoded view: a break is no finding. */
  speculative?: boolean;
  /**
   * The record says its crawler cut it (WARC-Truncated: length, time…, as wget and Heritrix write past their
   * limits): a body that stops before its end is read up to there, not broken. A body that does not decode, or a
   * chunk framing that is wrong, before that end is still broken.
   */
  truncated?: boolean;
}

export class HttpMessage implements Member {
  #host: HttpHost;
  #name: string;
  /** The record says it is an HTTP message (application/http): a head that is not one is a break, not a body. */
  #declared: boolean;
  #head: Buffer | null = Buffer.alloc(0);
  #chunks: HttpChunks | null = null;
  #codings: string[] = [];
  #body: Member | null = null;
  #dead = false;

  constructor(host: HttpHost, name: string, declared: boolean) {
    this.#host = host;
    this.#name = name;
    this.#declared = declared;
  }

  async update(chunk: Buffer): Promise<void> {
    if (this.#dead) return;
    while (this.#head) {
      const h = this.#head.length ? Buffer.concat([this.#head, chunk]) : chunk;
      const end = blankLineEnd(h);
      if (end < 0) {
        this.#head = Buffer.from(h);
        if (h.length <= MAX_HEAD && (this.#declared || h.length < 16 || looksHttp(h))) return;
        return this.#notHttp(h, 'the head of an HTTP message is longer than 64 KiB or is not HTTP');
      }
      if (!this.#declared && !looksHttp(h)) return this.#notHttp(h, '');
      chunk = h.subarray(end);
      if (INTERIM.test(h.subarray(0, 16).toString('latin1'))) {
        // An interim response (100 Continue, 103 Early Hints) comes before the final one in the same stream: its
        // fields are read as text, and the head after it is the message's (review13: a br body after
        // `HTTP/1.1 100 Continue` was read as it is stored and crossed).
        this.#fields(h.subarray(0, end), false);
        this.#head = Buffer.alloc(0);
        if (!chunk.length) return;
        continue;
      }
      this.#head = null;
      this.#fields(h.subarray(0, end), true);
    }
    await this.#raw(chunk);
  }

  /** A record not declared HTTP whose block is not: its bytes are its content. One declared HTTP that is not: broken. */
  async #notHttp(h: Buffer, detail: string): Promise<void> {
    this.#head = null;
    if (this.#declared) return this.#broken(detail);
    await this.#raw(h);
  }

  /** Reads a head's fields as text; the codings are taken from the message's own head (`final`). */
  #fields(head: Buffer, final: boolean): void {
    const { ctx, path } = this.#host;
    const text = head.toString('latin1');
    const lines = text.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
    const content: string[] = [];
    const transfer: string[] = [];
    for (const [i, line] of lines.entries()) {
      // Read in pieces that overlap (scanMeta reads 4,096 bytes of a name).
      for (let at = 0; at < line.length; at += 4000) scanMeta(ctx, Buffer.from(line.slice(at, at + 4096), 'latin1'), path);
      const m = i > 0 ? /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*:[ \t]*(.*)$/.exec(line) : null;
      if (!m) continue;
      const name = m[1]!.toLowerCase();
      if (name === 'content-encoding') content.push(...codingList(m[2]!));
      if (name === 'transfer-encoding') transfer.push(...codingList(m[2]!));
    }
    if (!final) return;
    // Transfer-Encoding is applied after Content-Encoding, whatever the order of the fields (nginx writes
    // Transfer-Encoding first; review13: such a gzip page was refused): the list reads in the order the codings were applied.
    this.#codings = [...content, ...transfer];
    if (this.#codings.at(-1) === 'chunked') {
      this.#codings.pop();
      this.#chunks = new HttpChunks((b) => this.#decoded(b));
    }
  }

  /**
   * The body's bytes until its first chunk size line is read (at most a size line's length and one piece of input).
   * A body stored de-chunked under `Transfer-Encoding: chunked` (crawlers that store what they decoded; warcio reads
   * it as it is) begins with a line no size line is: markup, binary, a long line. It is read as it is, not refused
   * (review13: such a page was archive-broken).
   */
  #unproven: Buffer[] = [];

  /** Bytes of the body as stored. */
  async #raw(b: Buffer): Promise<void> {
    if (!b.length || this.#dead) return;
    if (!this.#chunks) return this.#decoded(b);
    const chunks = this.#chunks;
    if (!chunks.started) this.#unproven.push(b);
    try {
      const past = await chunks.write(b);
      if (chunks.started) this.#unproven = [];
      if (past > 0) await this.#decoded(b.subarray(b.length - past)); // bytes after the last chunk are read as body
    } catch (e) {
      if (!(e instanceof ChunkedBodyError)) throw e;
      if (chunks.started || !notChunked(Buffer.concat(this.#unproven))) return this.#broken(e.message);
      this.#chunks = null;
      const held = Buffer.concat(this.#unproven);
      this.#unproven = [];
      await this.#decoded(held);
    }
  }

  /** Bytes of the body with the transfer coding taken away: the first of them builds the decoders. */
  async #decoded(b: Buffer): Promise<void> {
    if (!b.length || this.#dead) return;
    this.#body ??= this.#pipeline(b);
    await this.#body?.update(b);
  }

  /** The decoders, from the member the decoded body is read as up to the coding applied last, which takes the bytes. */
  #pipeline(first: Buffer): Member | null {
    const { ctx, path, speculative } = this.#host;
    const member = this.#host.open(this.#name);
    if (!member) return null;
    // A body only de-chunked is still bytes clamd never sees whole (the chunk sizes cut into it).
    let next: Member = this.#codings.length === 0 && this.#chunks ? new AvTee(ctx, member) : member;
    const codings = this.#codings;
    for (const [i, coding] of codings.entries()) {
      if (coding === 'identity') continue;
      // HTTP's deflate is zlib-wrapped (RFC 9110 §8.4.1.2), but servers send it bare too: told by the zlib header where the bytes are seen.
      const kind = coding === 'deflate' ? (i === codings.length - 1 && !isZlib(first) ? 'deflate' : 'zlib') : CODINGS[coding];
      if (!kind) {
        // What this coding holds is read as it is; the codings applied after it are still taken away.
        ctx.tally.add({ kind: 'uninspectable', subkind: 'content-encoding', path, detail: `an HTTP body is in the ${JSON.stringify(coding.slice(0, 40))} coding, which the inspectors do not decode; its bytes were read as they are` });
        next = member;
        continue;
      }
      const inner = next;
      let used = false;
      // The stream's own output goes on to the decoder of the coding applied before it; what follows its end is read as content of its own.
      const open = (name: string): Member | null => {
        if (used) return this.#host.open(name);
        used = true;
        return inner;
      };
      next = new DecompressHandler(ctx, path, kind, open, this.#name, { speculative, av: true, cutShort: this.#host.truncated === true && CUT_READ_WHOLE.has(kind) });
    }
    return next;
  }

  #broken(detail: string): void {
    this.#dead = true;
    this.#body?.abort();
    this.#body = null;
    if (!this.#host.speculative) this.#host.ctx.tally.add({ kind: 'archive-broken', path: this.#host.path, detail: `${this.#name}: ${detail}` });
  }

  async finish(): Promise<void> {
    if (this.#dead) return;
    if (this.#head) {
      // The block ended inside the head: a head with no blank line (a revisit of headers only may lack it).
      const h = this.#head;
      this.#head = null;
      if (!h.length) return; // only interim responses
      if (!looksHttp(h)) return this.#notHttp(h, 'the block is not an HTTP message');
      this.#fields(h, true);
    }
    if (this.#chunks && !this.#chunks.started && this.#unproven.length && notChunked(Buffer.concat(this.#unproven))) {
      // A body shorter than a line, never chunked: read as it is.
      const held = Buffer.concat(this.#unproven);
      this.#chunks = null;
      this.#unproven = [];
      await this.#decoded(held);
    }
    if (this.#chunks) {
      try {
        this.#chunks.end();
      } catch (e) {
        if (!(e instanceof ChunkedBodyError)) throw e;
        // A crawler's cut falls anywhere, in a chunk or its size line; what came before it was read.
        if (!this.#host.truncated) return this.#broken(e.message);
      }
      const trailer = this.#chunks.trailer;
      if (trailer.length) scanMeta(this.#host.ctx, trailer, this.#host.path);
    }
    const body = this.#body;
    this.#body = null;
    await body?.finish();
  }

  abort(): void {
    this.#dead = true;
    this.#body?.abort();
    this.#body = null;
  }
}

/** An interim (1xx) status line, but not 101 Switching Protocols, after which the stream is another protocol's (RFC 9110 §15.2). */
const INTERIM = /^HTTP\/[0-9.]{1,3} 1(?!01)[0-9]{2}(?:[ \r\n]|$)/;

/** Just past the first blank line (CRLF CRLF, or bare line feeds), or -1. */
export function blankLineEnd(h: Buffer): number {
  for (let i = h.indexOf(0x0a); i >= 0; i = h.indexOf(0x0a, i + 1)) {
    if (h[i + 1] === 0x0a) return i + 2;
    if (h[i + 1] === 0x0d && h[i + 2] === 0x0a) return i + 3;
  }
  return -1;
}

/** The body's first line is no chunk size line, nor a broken one: markup, JSON, binary or prose. */
function notChunked(body: Buffer): boolean {
  const nl = body.indexOf(0x0a);
  const line = body.subarray(0, nl < 0 ? Math.min(body.length, 1100) : nl).toString('latin1').replace(/\r$/, '');
  return line.length > 64 || /[^\x20-\x7e\t]|[<{[]/.test(line);
}

/** An HTTP/1.x status line or request line begins it (as far as it goes). */
function looksHttp(h: Buffer): boolean {
  const s = h.subarray(0, 16).toString('latin1');
  return /^HTTP\/|^[A-Z]{3,10} \S/.test(s);
}

function codingList(v: string): string[] {
  return v
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '');
}

/** A decoded body clamd is also given (the transfer's clamd scan sees it only as stored). */
class AvTee implements Member {
  #ctx: InspectContext;
  #inner: Member;

  constructor(ctx: InspectContext, inner: Member) {
    this.#ctx = ctx;
    this.#inner = inner;
  }

  async update(b: Buffer): Promise<void> {
    await Promise.all([this.#inner.update(b), this.#ctx.decodedAv?.write(b)]);
  }

  async finish(): Promise<void> {
    await this.#inner.finish();
    await this.#ctx.decodedAv?.endPiece();
  }

  abort(): void {
    this.#inner.abort();
  }
}
