// Git's binary patches (`git diff --binary`, `git format-patch --binary`; ninth red team, W2: a memo changed in a
// file git takes for binary crossed): after `GIT binary patch`, a hunk `literal N` or `delta N` (N the inflated
// size), then lines of base 85, each its length as a letter (A-Z 1-26, a-z 27-52 bytes) and its bytes in groups
// of five characters, to a blank line; a second hunk (the reverse patch) may follow. The bytes are a zlib stream:
// of the new file itself (literal), or of a git delta against the old one (delta; diff.c emit_binary_diff_body,
// base85.c). Decoded here from the raw bytes, line by line; the handler inflates each hunk and reads it. Only the
// line under way is carried between chunks (at most MAX_LINE bytes: a data line is 1 + 65 characters).

const MAX_LINE = 4096;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~';
const DIGIT = new Int8Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i;

export type GitPatchEvent =
  /** A hunk starts at host offset `at`: the new file (`literal`) or a delta against the old one, for the file named. */
  | { kind: 'open'; name: string; delta: boolean; at: number }
  /** Bytes of the hunk's zlib stream. */
  | { kind: 'data'; bytes: Buffer }
  /** The hunk ended at host offset `at`; `whole` when every line of it was base 85 of its stated length. */
  | { kind: 'close'; at: number; whole: boolean };

const DIFF = /^diff --git (?:"?a\/.*?"? )?"?b\/(.{1,1024}?)"?$/;
const HUNK = /^(literal|delta) (\d{1,15})$/;

export class GitBinaryPatch {
  #carry: Buffer = Buffer.alloc(0);
  /** Host offset of the carry's first byte. */
  #carryAt = 0;
  #state: 'text' | 'head' | 'data' = 'text';
  #name = '';
  /** A line too long for this reading is under way: skipped to its end. */
  #skipping = false;

  /** The chunk at host offset `at`. */
  push(chunk: Buffer, at: number, final = false): GitPatchEvent[] {
    const events: GitPatchEvent[] = [];
    const all = this.#carry.length ? Buffer.concat([this.#carry, chunk]) : chunk;
    const base = this.#carry.length ? this.#carryAt : at;
    let p = 0;
    for (;;) {
      const nl = all.indexOf(0x0a, p);
      if (nl < 0) break;
      if (this.#skipping) this.#skipping = false;
      else this.#line(all.subarray(p, nl), base + p, base + nl + 1, events);
      p = nl + 1;
    }
    const rest = all.subarray(p);
    this.#carry = Buffer.alloc(0);
    if (final) {
      if (rest.length && !this.#skipping) this.#line(rest, base + p, base + all.length, events);
      if (this.#state === 'data') events.push({ kind: 'close', at: base + all.length, whole: true });
      this.#state = 'text';
    } else if (rest.length > MAX_LINE) {
      // No line of a hunk is this long: a hunk under way is cut there.
      if (this.#state === 'data') events.push({ kind: 'close', at: base + p, whole: false });
      this.#state = 'text';
      this.#skipping = true;
    } else {
      this.#carry = Buffer.from(rest);
      this.#carryAt = base + p;
    }
    return events;
  }

  /** One line without its LF, from host offset `from` to `to` (past its LF). */
  #line(raw: Buffer, from: number, to: number, events: GitPatchEvent[]): void {
    const line = raw.length && raw[raw.length - 1] === 0x0d ? raw.subarray(0, raw.length - 1) : raw;
    if (this.#state === 'data') {
      if (line.length === 0) {
        events.push({ kind: 'close', at: to, whole: true });
        this.#state = 'head';
        return;
      }
      const bytes = decodeLine(line);
      if (bytes) {
        events.push({ kind: 'data', bytes });
        return;
      }
      events.push({ kind: 'close', at: from, whole: false });
      this.#state = 'text';
    }
    if (line.length > 1100) return;
    const s = line.toString('latin1');
    if (this.#state === 'head') {
      const h = HUNK.exec(s);
      if (h) {
        events.push({ kind: 'open', name: this.#name, delta: h[1] === 'delta', at: from });
        this.#state = 'data';
        return;
      }
      this.#state = 'text';
    }
    if (s === 'GIT binary patch') this.#state = 'head';
    else if (s.startsWith('diff --git ')) {
      const m = DIFF.exec(s);
      this.#name = m ? Buffer.from(m[1]!, 'latin1').toString('utf8') : '';
    }
  }
}

/** A data line's bytes, or null when it is not one (a length letter, then 5 base-85 digits for each 4 bytes). */
function decodeLine(line: Buffer): Buffer | null {
  const c = line[0]!;
  const n = c >= 0x41 && c <= 0x5a ? c - 0x41 + 1 : c >= 0x61 && c <= 0x7a ? c - 0x61 + 27 : 0;
  if (n === 0 || line.length !== 1 + Math.ceil(n / 4) * 5) return null;
  const out = Buffer.allocUnsafe(Math.ceil(n / 4) * 4);
  for (let g = 0, i = 1; i < line.length; g += 4, i += 5) {
    let acc = 0;
    for (let k = 0; k < 5; k++) {
      const d = DIGIT[line[i + k]!]!;
      if (d < 0) return null;
      acc = acc * 85 + d;
    }
    if (acc > 0xffffffff) return null;
    out.writeUInt32BE(acc, g);
  }
  return out.subarray(0, n);
}
