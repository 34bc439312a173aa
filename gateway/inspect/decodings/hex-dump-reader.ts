// Hex dumps as the tools print them, read back into the bytes they show:
//   xxd          00000000: e4bc 9ae8 aeae  ......   (groups big-endian, -g1 -g4 -u too)
//   hexdump -C   00000000  e4 bc 9a e8  ae ae ...  |......|
//   od -tx1      0000000 e4 bc 9a e8 ...
//   hexdump, od -x   0000000 bce4 e89a ...  (16-bit words, little-endian)
// A line is an offset of 6 to 16 hex digits (with xxd's colon or not), then
// groups of 2, 4 or 8 hex digits, then an optional ASCII column (after '|',
// or after xxd's two spaces). Consecutive lines make one block; a `*` line
// (hexdump's repeated line) continues it. The block's bytes go where the
// hex tokens' go (text-tokens.ts): text one view down, else content.
// Only the first characters of each line are looked at (a line that starts
// with six hex digits and a colon or space, which CSV and prose seldom hold).

const LINE_HEAD = /^[0-9a-fA-F]{6,16}:? +[0-9a-fA-F]{2}/;
const isHex = (c: number): boolean => (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);

/** The start of the next line (from `pos`, itself a line's start) that begins as a dump's does, or -1: a look at each line's first characters. */
function nextDumpLine(s: string, pos: number): number {
  for (let i = pos; i < s.length; ) {
    if (isHex(s.charCodeAt(i)) && isHex(s.charCodeAt(i + 5)) && LINE_HEAD.test(s.slice(i, i + 40))) return i;
    const nl = s.indexOf('\n', i);
    if (nl < 0) return -1;
    i = nl + 1;
  }
  return -1;
}
const LINE = /^([0-9a-fA-F]{6,16})(:?) +([0-9a-fA-F][^\r\n]*)?\r?$/;
/** Bytes of one block handed on at once (a longer dump is read in pieces of this). */
const MAX_BLOCK = 64 * 1024;
/** A line longer than this is not a dump's (carried no further). */
const MAX_LINE = 512;

export type Emit = (bytes: Buffer) => void;

/** The offset column, read in hex and (od's default) in octal. */
function offsets(col: string): [number, number] {
  return [parseInt(col, 16), /^[0-7]+$/.test(col) ? parseInt(col, 8) : -1];
}

export class HexDumpReader {
  #carry = '';
  #block: number[] = [];
  /** The offsets the next line of the block may have (hex, octal reading), or null outside a block. */
  #next: [number, number] | null = null;
  /** The block began at offset 0 or a second line's offset followed on: it is a dump. */
  #sure = false;
  #afterStar = false;

  /** Reads the dump lines of carry + s; calls `emit` with each block's bytes (at its end, or every MAX_BLOCK bytes). */
  push(s: string, final: boolean, emit: Emit): void {
    const all = this.#carry ? this.#carry + s : s;
    this.#carry = '';
    let pos = 0;
    for (;;) {
      if (this.#next === null) {
        const at = nextDumpLine(all, pos);
        if (at < 0) {
          const nl = all.lastIndexOf('\n');
          if (!final && all.length - nl <= MAX_LINE) this.#carry = all.slice(nl + 1);
          break;
        }
        pos = at;
      }
      const nl = all.indexOf('\n', pos);
      if (nl < 0 && !final) {
        if (all.length - pos <= MAX_LINE) this.#carry = all.slice(pos);
        else this.#end(emit);
        break;
      }
      this.#line(all.slice(pos, nl < 0 ? all.length : nl), emit);
      if (nl < 0) break;
      pos = nl + 1;
    }
    if (final) this.#end(emit);
  }

  #line(line: string, emit: Emit): void {
    if (this.#next !== null && line.trim() === '*') {
      this.#afterStar = true;
      return;
    }
    const m = line.length <= MAX_LINE ? LINE.exec(line) : null;
    if (!m) {
      this.#end(emit);
      return;
    }
    const [hex, oct] = offsets(m[1]!);
    if (this.#next !== null) {
      const follows = hex === this.#next[0] || oct === this.#next[1] || (this.#afterStar && (hex > this.#next[0] || oct > this.#next[1]));
      if (follows) this.#sure = true;
      else this.#end(emit);
    }
    this.#afterStar = false;
    if (this.#next === null) this.#sure = hex === 0;
    const xxd = m[2] === ':';
    let data = m[3] ?? '';
    const bar = data.indexOf('|');
    if (bar >= 0) data = data.slice(0, bar);
    else if (xxd) {
      const two = data.indexOf('  ');
      if (two >= 0) data = data.slice(0, two);
    }
    let n = 0;
    for (const g of data.split(' ')) {
      if (g.length === 0) continue;
      if (g.length % 2 !== 0 || g.length > 8 || !/^[0-9a-fA-F]+$/.test(g)) break;
      const bytes: number[] = [];
      for (let i = 0; i < g.length; i += 2) bytes.push(parseInt(g.slice(i, i + 2), 16));
      // od and hexdump print words in the machine's order (little-endian); xxd big-endian.
      if (!xxd && g.length > 2) bytes.reverse();
      for (const b of bytes) this.#block.push(b);
      n += bytes.length;
    }
    if (n === 0) {
      // An offset alone (the last line of hexdump -C and od): the block ends.
      this.#end(emit);
      return;
    }
    this.#next = [hex + n, oct < 0 ? -1 : oct + n];
    if (this.#block.length >= MAX_BLOCK && this.#sure) this.#flush(emit);
  }

  #end(emit: Emit): void {
    if (this.#sure) this.#flush(emit);
    this.#block = [];
    this.#next = null;
    this.#sure = false;
    this.#afterStar = false;
  }

  #flush(emit: Emit): void {
    if (this.#block.length) emit(Buffer.from(this.#block));
    this.#block = [];
  }
}
