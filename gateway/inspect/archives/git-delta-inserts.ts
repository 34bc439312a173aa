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
/** Copies whose base ranges are held to be merged at the end (two numbers each); past this the copies vouch for nothing. */
const MAX_COPIES = 1 << 16;

export class GitDeltaInserts implements Member {
  #inner: Member;
  /** Varints of the header still to read, the one under way, and the sizes read (the base's, the result's). */
  #sizes = 2;
  #varint = 0;
  #shift = 1;
  #declared: number[] = [];
  /** A copy's offset bytes (their place in its operands) and the offset so far. */
  #offsetBytes: number[] = [];
  #copyOffset = 0;
  /** The base ranges copied, [from, to) pairs, while they fit MAX_COPIES. */
  #ranges: number[] = [];
  /** A copy outside the base's declared size, more copies than are held, or a result not of its declared size: no copy vouches. */
  #invalid = false;
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
        const c = chunk[i++]!;
        this.#varint += (c & 0x7f) * this.#shift;
        this.#shift *= 128;
        if ((c & 0x80) === 0) {
          this.#declared.push(this.#varint);
          this.#varint = 0;
          this.#shift = 1;
          this.#sizes--;
        }
      } else if (this.#skip > 0) {
        // A copy's operands: offset bytes, then size bytes (little-endian, those its opcode's bits 0-3 and 4-6 name).
        const k = this.#sizeBytes.length - this.#skip;
        const j = this.#offsetBytes.length + this.#sizeBytes.length - this.#skip;
        if (k >= 0) this.#copySize += chunk[i]! * 2 ** (8 * this.#sizeBytes[k]!);
        else this.#copyOffset += chunk[i]! * 2 ** (8 * this.#offsetBytes[j]!);
        this.#skip--;
        i++;
        if (this.#skip === 0) this.#copy();
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
          this.#offsetBytes = [0, 1, 2, 3].filter((b) => op & (1 << b));
          this.#sizeBytes = [0, 1, 2].filter((b) => op & (0x10 << b));
          this.#copySize = 0;
          this.#copyOffset = 0;
          if (this.#skip === 0) this.#copy();
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

  /**
   * A copy read whole (a size of 0 is 0x10000, as git reads it): counted, and its base range kept. git's patch_delta
   * refuses a copy past the base's declared size; one is no delta git applies, and its copies vouch for nothing.
   */
  #copy(): void {
    const size = this.#copySize || 0x10000;
    this.copied += size;
    const end = this.#copyOffset + size;
    if (end > (this.#declared[0] ?? 0) || this.#ranges.length >= 2 * MAX_COPIES) this.#invalid = true;
    else this.#ranges.push(this.#copyOffset, end);
  }

  /**
   * The bytes of the base the result takes, each once however often it is copied (a copy of 64 KiB is one byte,
   * 0x80: repeated, it made the copies of any delta outweigh its inserts); 0 when the delta is none git applies:
   * a copy past the base's declared size, more than MAX_COPIES copies, or a result not of its declared size.
   */
  fromBase(): number {
    if (this.#invalid || this.#declared.length < 2 || this.copied + this.inserted !== this.#declared[1]) return 0;
    const pairs: Array<[number, number]> = [];
    for (let k = 0; k < this.#ranges.length; k += 2) pairs.push([this.#ranges[k]!, this.#ranges[k + 1]!]);
    pairs.sort((a, b) => a[0] - b[0]);
    let covered = 0;
    let end = 0;
    for (const [from, to] of pairs) {
      if (to <= end) continue;
      covered += to - Math.max(from, end);
      end = to;
    }
    return covered;
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
