import type { Member } from '../context/member.js';

// What a git delta inserts, read as it streams (gitformat-pack, "Deltified representation"): the base's size and
// the result's as varints, then instructions: a copy from the base (its opcode's high bit set, then the offset's
// and the size's bytes its low seven bits name) or an insert (opcode 1-127: that many bytes follow). The base is
// not at hand where a delta comes without it (a binary patch against the file on the receiver's disk), so what
// the delta writes of its own is what is read: each insert handed on, a line break between two (what lies between
// them in the result is the base's, and bytes of two inserts joined could make a number neither holds); inserts
// with no copy between them are one run of the result, and read as one (fpfix4: a line break every 127 bytes cut
// a gzip member, and could cut a marking, in two).

const LINE = Buffer.from('\n');

export class GitDeltaInserts implements Member {
  #inner: Member;
  /** Varints of the header still to read. */
  #sizes = 2;
  /** Bytes of a copy's operands still to skip, or of an insert still to hand on. */
  #skip = 0;
  #insert = 0;
  #inserts = 0;
  /** A copy came since the last insert: what the next insert writes is apart from it in the result. */
  #apart = false;
  /** A copy's size bytes still to read (their place in its operands), and the size so far. */
  #sizeBytes: number[] = [];
  #copySize = 0;
  /** Bytes the result takes from the base, and bytes the delta writes of its own. */
  copied = 0;
  inserted = 0;

  constructor(inner: Member) {
    this.#inner = inner;
  }

  async update(chunk: Buffer): Promise<void> {
    const out: Buffer[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.#sizes > 0) {
        if ((chunk[i++]! & 0x80) === 0) this.#sizes--;
      } else if (this.#skip > 0) {
        // A copy's operands: offset bytes, then size bytes (little-endian, those its opcode's bits 4-6 name).
        const k = this.#sizeBytes.length - this.#skip;
        if (k >= 0) this.#copySize += chunk[i]! * 2 ** (8 * this.#sizeBytes[k]!);
        this.#skip--;
        i++;
        if (this.#skip === 0) this.copied += this.#copySize || 0x10000;
      } else if (this.#insert > 0) {
        const n = Math.min(this.#insert, chunk.length - i);
        out.push(chunk.subarray(i, i + n));
        this.#insert -= n;
        this.inserted += n;
        i += n;
      } else {
        const op = chunk[i++]!;
        if (op & 0x80) {
          this.#apart = true;
          this.#skip = popcount(op & 0x7f);
          this.#sizeBytes = [0, 1, 2].filter((b) => op & (0x10 << b));
          this.#copySize = 0;
          if (this.#skip === 0) this.copied += 0x10000;
        } else if (op > 0) {
          // Consecutive inserts are one run of the result (git writes at most 127 bytes an insert): joined.
          if (this.#inserts++ > 0 && this.#apart) out.push(LINE);
          this.#apart = false;
          this.#insert = op;
        }
      }
    }
    if (out.length) await this.#inner.update(out.length === 1 ? out[0]! : Buffer.concat(out));
  }

  finish(): Promise<void> {
    return this.#inner.finish();
  }

  abort(): void {
    this.#inner.abort();
  }
}

function popcount(x: number): number {
  let n = 0;
  for (; x; x &= x - 1) n++;
  return n;
}
