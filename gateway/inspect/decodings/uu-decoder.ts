// uuencode (POSIX uuencode, the historical format): a `begin <mode> <name>`
// line, then lines whose first character gives their length in bytes
// (' ' + n, 'M' for 45) and whose others carry six bits each (' ' + v, '`'
// for 0), a zero-length line and `end`. What `uudecode` would write is
// inspected as a file of its own (an archive, a document, text). xxencode
// writes the same block with the alphabet +-0-9A-Za-z ('h' for 45 bytes):
// a block whose first line is not uuencode is read as xxencode. Lines are
// decoded as the text streams; only a cut line (or the tail where a `begin`
// line may start) is carried to the next chunk.

export type UuEvent = { kind: 'open'; name: string } | { kind: 'data'; bytes: Buffer } | { kind: 'close' };

const BEGIN = /(?:^|\n)begin [0-7]{3,4} ([^\r\n]{1,255})\r?\n/g;
/** Longest line carried; a longer one is not uuencode (its lines are at most 62 characters). */
const MAX_LINE = 1024;
/** Tail kept while no block is open, for a `begin` line cut at a chunk's end. */
const BEGIN_TAIL = 300;

const XX = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) XX['+-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.charCodeAt(i)] = i;

/** One character's six bits, or -1. */
function uuValue(c: number): number {
  return c < 0x20 || c > 0x60 ? -1 : (c - 0x20) & 0x3f;
}
function xxValue(c: number): number {
  return c < 128 ? XX[c]! : -1;
}

/** The bytes of one encoded line, or null when it is not one. */
function decodeLine(line: string, value: (c: number) => number): Buffer | null {
  const n = value(line.charCodeAt(0));
  if (n < 0) return null;
  const need = Math.ceil(n / 3) * 4;
  if (line.length < 1 + need) return null;
  const out = Buffer.allocUnsafe(Math.ceil(n / 3) * 3);
  let o = 0;
  for (let i = 1; i < 1 + need; i += 4) {
    let acc = 0;
    for (let k = 0; k < 4; k++) {
      const v = value(line.charCodeAt(i + k));
      if (v < 0) return null;
      acc = (acc << 6) | v;
    }
    out[o++] = acc >> 16;
    out[o++] = (acc >> 8) & 0xff;
    out[o++] = acc & 0xff;
  }
  return out.subarray(0, n);
}

/** From the last line break of the tail (so that `begin` is matched only at a line's start), else nothing. */
function tail(all: string, pos: number): string {
  const nl = all.lastIndexOf('\n');
  return nl >= pos && nl >= all.length - BEGIN_TAIL ? all.slice(nl) : '';
}

export class UuDecoder {
  #carry = '';
  #inBlock = false;
  /** The open block's alphabet: undecided until its first line. */
  #xx: boolean | null = null;

  /**
   * Decodes the blocks in carry + s. `rest` is the text that is not an
   * encoded line (what the decoded views read: uuencode's punctuation would
   * otherwise look like escapes nested without end); text held back for the
   * next call comes out then.
   */
  push(s: string, final: boolean): { events: UuEvent[]; rest: string } {
    const all = this.#carry ? this.#carry + s : s;
    this.#carry = '';
    const ev: UuEvent[] = [];
    let rest = '';
    let pos = 0;
    for (;;) {
      if (!this.#inBlock) {
        // Native search first: most text holds no 'begin ' at all.
        BEGIN.lastIndex = pos;
        const m = all.indexOf('begin ', pos) < 0 ? null : BEGIN.exec(all);
        if (!m) {
          const keep = final ? '' : tail(all, pos);
          rest += all.slice(pos, all.length - keep.length);
          this.#carry = keep;
          break;
        }
        ev.push({ kind: 'open', name: m[1]!.trim() });
        this.#inBlock = true;
        this.#xx = null;
        rest += all.slice(pos, m.index + m[0].length);
        pos = m.index + m[0].length;
        continue;
      }
      const nl = all.indexOf('\n', pos);
      if (nl < 0) {
        if (!final && all.length - pos <= MAX_LINE) this.#carry = all.slice(pos);
        else {
          this.#close(ev);
          rest += all.slice(pos);
        }
        break;
      }
      let line = all.slice(pos, nl);
      const from = pos;
      pos = nl + 1;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line === 'end') {
        this.#close(ev);
        continue;
      }
      if (line === '`' || line === ' ' || (line === '+' && this.#xx !== false)) continue; // the zero-length line before `end`
      let bytes: Buffer | null = null;
      if (line.length > 0 && line.length <= 90) {
        if (this.#xx !== true) bytes = decodeLine(line, uuValue);
        if (bytes === null && this.#xx !== false) {
          bytes = decodeLine(line, xxValue);
          if (bytes !== null) this.#xx = true;
        } else if (bytes !== null) this.#xx = false;
      }
      if (bytes === null) {
        this.#close(ev);
        rest += all.slice(from, pos);
        continue;
      }
      if (bytes.length) ev.push({ kind: 'data', bytes });
    }
    if (final) this.#close(ev);
    return { events: ev, rest };
  }

  #close(ev: UuEvent[]): void {
    if (!this.#inBlock) return;
    this.#inBlock = false;
    ev.push({ kind: 'close' });
  }
}
