// An HTTP/1.1 body in the chunked transfer coding (RFC 9112 §7.1) taken apart as it streams: a size line in hex
// (with extensions after `;`), that many bytes, CRLF; a size of 0 ends the body, and trailer fields up to a blank
// line follow it. Only a size line or the trailer is buffered, each bounded.

const MAX_LINE = 1024;
const MAX_TRAILER = 64 * 1024;

export class ChunkedBodyError extends Error {}

export class HttpChunks {
  #mode: 'size' | 'data' | 'data-end' | 'trailer' | 'done' = 'size';
  #line = '';
  #left = 0;
  #trailer: Buffer[] = [];
  #trailerLen = 0;
  #data: (b: Buffer) => Promise<void>;

  /** data gets the body's bytes, the chunk framing taken away. */
  constructor(data: (b: Buffer) => Promise<void>) {
    this.#data = data;
  }

  /** A chunk size line was read: the body is chunked, not bytes under a field that says so. */
  started = false;

  /** The last chunk and the trailer were read: what follows is past the body. */
  get done(): boolean {
    return this.#mode === 'done';
  }

  /** The trailer fields (text a receiver sees), once the body is done. */
  get trailer(): Buffer {
    return Buffer.concat(this.#trailer);
  }

  /** Takes what it can of b; returns how many bytes were past the end of the body. Throws ChunkedBodyError on a broken framing. */
  async write(b: Buffer): Promise<number> {
    let p = 0;
    while (p < b.length && this.#mode !== 'done') {
      if (this.#mode === 'data') {
        const n = Math.min(this.#left, b.length - p);
        await this.#data(b.subarray(p, p + n));
        this.#left -= n;
        p += n;
        if (this.#left === 0) this.#mode = 'data-end';
        continue;
      }
      const nl = b.indexOf(0x0a, p);
      const end = nl < 0 ? b.length : nl + 1;
      const piece = b.subarray(p, end);
      p = end;
      if (this.#mode === 'trailer') {
        this.#trailer.push(Buffer.from(piece));
        this.#trailerLen += piece.length;
        if (this.#trailerLen > MAX_TRAILER) throw new ChunkedBodyError('the trailer of a chunked body is too long');
        if (nl >= 0 && (this.#line + piece.toString('latin1')).replace(/\r?\n$/, '') === '') this.#mode = 'done';
        this.#line = nl < 0 ? this.#line + piece.toString('latin1') : '';
        continue;
      }
      this.#line += piece.toString('latin1');
      if (this.#line.length > MAX_LINE) throw new ChunkedBodyError('a chunk size line is too long');
      if (nl < 0) continue;
      const line = this.#line.replace(/\r?\n$/, '');
      this.#line = '';
      if (this.#mode === 'data-end') {
        if (line !== '') throw new ChunkedBodyError('a chunk is longer than its size says');
        this.#mode = 'size';
        continue;
      }
      const m = /^([0-9a-fA-F]{1,12})[ \t]*(?:;.*)?$/.exec(line);
      if (!m) throw new ChunkedBodyError('a chunk size line is not a hexadecimal size');
      this.started = true;
      this.#left = parseInt(m[1]!, 16);
      this.#mode = this.#left === 0 ? 'trailer' : 'data';
    }
    return b.length - p;
  }

  /** The body ended here: throws when its last chunk did not come. */
  end(): void {
    if (this.#mode !== 'done') throw new ChunkedBodyError('the chunked body ends before its last chunk');
  }
}
