// uuencode (POSIX uuencode, the historical format): a `begin <mode> <name>`
// line, then lines whose first character gives their length in bytes
// (' ' + n, 'M' for 45) and whose others carry six bits each (' ' + v, '`'
// for 0), a zero-length line and `end`. What `uudecode` would write is
// inspected as a file of its own (an archive, a document, text). Lines are
// decoded as the text streams; only a cut line (or the tail where a `begin`
// line may start) is carried to the next chunk.

export type UuEvent = { kind: 'open'; name: string } | { kind: 'data'; bytes: Buffer } | { kind: 'close' };

const BEGIN = /(?:^|\n)begin [0-7]{3,4} ([^\r\n]{1,255})\r?\n/g;
/** Longest line carried; a longer one is not uuencode (its lines are at most 62 characters). */
const MAX_LINE = 1024;
/** Tail kept while no block is open, for a `begin` line cut at a chunk's end. */
const BEGIN_TAIL = 300;

/** The bytes of one encoded line, or null when it is not one. */
function decodeLine(line: string): Buffer | null {
  const n = (line.charCodeAt(0) - 0x20) & 0x3f;
  const need = Math.ceil(n / 3) * 4;
  if (line.length < 1 + need) return null;
  const out = Buffer.allocUnsafe(Math.ceil(n / 3) * 3);
  let o = 0;
  for (let i = 1; i < 1 + need; i += 4) {
    let acc = 0;
    for (let k = 0; k < 4; k++) {
      const c = line.charCodeAt(i + k);
      if (c < 0x20 || c > 0x60) return null;
      acc = (acc << 6) | ((c - 0x20) & 0x3f);
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
      if (line === '`' || line === ' ') continue; // the zero-length line before `end`
      const bytes = line.length > 0 && line.length <= 90 ? decodeLine(line) : null;
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
