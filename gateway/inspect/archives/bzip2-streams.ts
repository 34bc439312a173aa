// A bzip2 file may hold several streams one after another (pbzip2 and lbzip2
// write one a block; `bzip2 -d` reads them all). clamd unpacks bzip2 itself
// but reads the first stream only, so what follows it would reach no
// antivirus. This watches the compressed bytes for a further stream's header
// (byte-aligned "BZh1".."BZh9", then a block's or the end's magic: 10 bytes a
// random file holds by chance once in 2^72) and says which output to send to
// clamd as decoded content: everything from the point a second stream is
// seen, with the last 64 KiB produced before it, so that a signature across
// the streams' seam is whole (the decoder holds back up to a block of input,
// so the first stream's last block is still to come when its successor is seen).

const BLOCK_MAGIC = Buffer.from('1AY&SY', 'latin1');
const END_MAGIC = Buffer.from([0x17, 0x72, 0x45, 0x38, 0x50, 0x90]);
const OVERLAP = 64 * 1024;

export class Bzip2Streams {
  #seen = 0;
  #seam = Buffer.alloc(0);
  #more = false;
  #tail: Buffer[] = [];
  #tailLen = 0;
  /** Has any output been handed to clamd? */
  sent = false;

  /** Compressed bytes, before they are written to the decoder. */
  input(chunk: Buffer): void {
    if (this.#more) return;
    const b = this.#seam.length ? Buffer.concat([this.#seam, chunk]) : chunk;
    const base = this.#seen - this.#seam.length;
    for (let i = b.indexOf('BZh', 0, 'latin1'); i >= 0; i = b.indexOf('BZh', i + 1, 'latin1')) {
      if (base + i === 0) continue;
      if (i + 10 > b.length) break;
      const level = b[i + 3]!;
      if (level < 0x31 || level > 0x39) continue;
      const magic = b.subarray(i + 4, i + 10);
      if (magic.equals(BLOCK_MAGIC) || magic.equals(END_MAGIC)) {
        this.#more = true;
        this.#seam = Buffer.alloc(0);
        return;
      }
    }
    this.#seen += chunk.length;
    this.#seam = Buffer.from(b.subarray(Math.max(0, b.length - 9)));
  }

  /** Decompressed output; returns what clamd is to see of it (empty while there is one stream). */
  output(d: Buffer): Buffer {
    if (!this.#more) {
      this.#tail.push(d);
      this.#tailLen += d.length;
      if (this.#tailLen > OVERLAP) {
        // Keep a copy of the last 64 KiB only (a block's output is up to 900 kB).
        const last = Buffer.from(Buffer.concat(this.#tail).subarray(this.#tailLen - OVERLAP));
        this.#tail = [last];
        this.#tailLen = last.length;
      }
      return Buffer.alloc(0);
    }
    this.sent = true;
    if (!this.#tail.length) return d;
    const all = Buffer.concat([...this.#tail, d]);
    this.#tail = [];
    const from = Math.max(0, all.length - d.length - OVERLAP);
    return all.subarray(from);
  }
}
