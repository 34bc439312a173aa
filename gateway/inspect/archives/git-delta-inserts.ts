import type { Member } from '../context/member.js';

// What a git delta inserts, read as it streams (gitformat-pack, "Deltified representation"): the base's size and
// the result's as varints, then instructions: a copy from the base (its opcode's high bit set, then the offset's
// and the size's bytes its low seven bits name) or an insert (opcode 1-127: that many bytes follow). The base is
// not at hand where a delta comes without it (a binary patch against the file on the receiver's disk), so what
// the delta writes of its own is what is read: each insert handed on, a line break between two (what lies between
// them in the result is the base's, and bytes of two inserts joined could make a number neither holds).

const LINE = Buffer.from('\n');

export class GitDeltaInserts implements Member {
  #inner: Member;
  /** Varints of the header still to read. */
  #sizes = 2;
  /** Bytes of a copy's operands still to skip, or of an insert still to hand on. */
  #skip = 0;
  #insert = 0;
  #inserts = 0;

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
        const n = Math.min(this.#skip, chunk.length - i);
        this.#skip -= n;
        i += n;
      } else if (this.#insert > 0) {
        const n = Math.min(this.#insert, chunk.length - i);
        out.push(chunk.subarray(i, i + n));
        this.#insert -= n;
        i += n;
      } else {
        const op = chunk[i++]!;
        if (op & 0x80) this.#skip = popcount(op & 0x7f);
        else if (op > 0) {
          if (this.#inserts++ > 0) out.push(LINE);
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
