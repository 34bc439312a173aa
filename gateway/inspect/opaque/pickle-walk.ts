// A Python pickle (protocol 2 to 5: `80 02`–`80 05`) walked opcode by opcode, as
// pickletools lists them, for the places of its BINFLOAT values (`G` and 8 bytes,
// big-endian), streaming. Every opcode's argument is stepped over by its own
// length (a fixed size, a length before it, a line); an opcode no protocol
// defines, a line past MAX_LINE, or anything but another pickle after STOP
// breaks the walk: the content is then no pickle (float-arrays.ts judges it
// whole, as before). Nothing else is read here: the text in a pickle is read
// by the text scanner, its integers by binary-integers.ts.

/** The argument an opcode takes: none, a fixed size, a length of 1, 4 or 8 bytes (little-endian) then that many bytes, one or two lines. */
const enum Arg {
  Bad = 0,
  None,
  Fixed,
  Len,
  Line,
  Line2,
}

const ARG = new Uint8Array(256);
const SIZE = new Uint8Array(256);
const set = (ops: string, arg: Arg, size = 0): void => {
  for (const c of ops) {
    ARG[c.charCodeAt(0)] = arg;
    SIZE[c.charCodeAt(0)] = size;
  }
};
// MARK STOP POP POP_MARK DUP NONE BINPERSID REDUCE APPEND BUILD DICT EMPTY_DICT APPENDS LIST EMPTY_LIST OBJ SETITEM
// TUPLE EMPTY_TUPLE SETITEMS NEWOBJ TUPLE1-3 NEWTRUE NEWFALSE EMPTY_SET ADDITEMS FROZENSET NEWOBJ_EX STACK_GLOBAL
// MEMOIZE NEXT_BUFFER READONLY_BUFFER
set('(.012NQRab}dels]ost)u\x81\x85\x86\x87\x88\x89\x8f\x90\x91\x92\x93\x94\x97\x98', Arg.None);
set('K\x80\x82hq', Arg.Fixed, 1); // BININT1 PROTO EXT1 BINGET BINPUT
set('M\x83', Arg.Fixed, 2); // BININT2 EXT2
set('J\x84jr', Arg.Fixed, 4); // BININT EXT4 LONG_BINGET LONG_BINPUT
set('G\x95', Arg.Fixed, 8); // BINFLOAT FRAME
set('UC\x8a\x8c', Arg.Len, 1); // SHORT_BINSTRING SHORT_BINBYTES LONG1 SHORT_BINUNICODE
set('TXB\x8b', Arg.Len, 4); // BINSTRING BINUNICODE BINBYTES LONG4
set('\x8d\x8e\x96', Arg.Len, 8); // BINUNICODE8 BINBYTES8 BYTEARRAY8
set('FILPSVgp', Arg.Line); // FLOAT INT LONG PERSID STRING UNICODE GET PUT
set('ci', Arg.Line2); // GLOBAL INST

const BINFLOAT = 0x47;
const STOP = 0x2e;
const PROTO = 0x80;
/** A line argument (a module's or a name's, a text number) longer than this is no pickle's. */
const MAX_LINE = 4096;

/** Does b start as a pickle of protocol 2 to 5? */
export function startsAsPickle(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === PROTO && b[1]! >= 2 && b[1]! <= 5;
}

export interface PickleSink {
  /** Bytes of the pickle that are not a float (BINFLOAT and its 8 bytes): opcodes, arguments, in order. */
  bytes(b: Uint8Array): void;
  /** A BINFLOAT's 8 bytes, whole (they may have come in two chunks). */
  float(b: Uint8Array): void;
}

export class PickleWalk {
  #sink: PickleSink;
  /** The opcode whose argument is under way; -1 between opcodes. */
  #op = -1;
  /** Bytes of a fixed argument or a length, gathered (the 8 of a float). */
  #arg = new Uint8Array(8);
  #got = 0;
  /** Bytes of a length-counted argument left to step over. */
  #left = 0;
  /** Line breaks still to come, and the bytes of the line under way. */
  #lines = 0;
  #line = 0;
  /** After STOP: only another pickle may follow. */
  #stopped = false;
  /** Whether the walk broke (no pickle). */
  broken = false;

  constructor(sink: PickleSink) {
    this.#sink = sink;
  }

  /** Whole: every pickle ended by its STOP, nothing else after. */
  get whole(): boolean {
    return !this.broken && this.#stopped && this.#op < 0;
  }

  write(b: Uint8Array): void {
    let i = 0;
    let from = 0;
    const n = b.length;
    while (i < n && !this.broken) {
      if (this.#left > 0) {
        const k = Math.min(this.#left, n - i);
        this.#left -= k;
        i += k;
        if (this.#left === 0) this.#op = -1;
        continue;
      }
      if (this.#lines > 0) {
        const nl = b.indexOf(0x0a, i);
        const end = nl < 0 ? n : nl;
        this.#line += end - i;
        if (this.#line > MAX_LINE) this.broken = true;
        i = nl < 0 ? n : nl + 1;
        if (nl >= 0) {
          this.#line = 0;
          if (--this.#lines === 0) this.#op = -1;
        }
        continue;
      }
      if (this.#op >= 0) {
        // A fixed argument, or a length before one.
        const size = SIZE[this.#op]!;
        const k = Math.min(size - this.#got, n - i);
        this.#arg.set(b.subarray(i, i + k), this.#got);
        this.#got += k;
        i += k;
        if (this.#got < size) continue;
        this.#argument(size);
        if (this.#op === BINFLOAT) {
          // The float's bytes are the sink's to judge: sent whole, and not again as the pickle's bytes.
          this.#sink.float(this.#arg.subarray(0, 8));
          from = i;
          this.#op = -1;
        }
        continue;
      }
      const op = b[i++]!;
      if (op === BINFLOAT) {
        // Neither the opcode nor the float's bytes go with the pickle's (the float's are sent to be judged on their own).
        if (i - 1 > from) this.#sink.bytes(b.subarray(from, i - 1));
        from = i;
      }
      if (this.#stopped && op !== PROTO) this.broken = true;
      this.#stopped = op === STOP;
      const arg = ARG[op]! as Arg;
      if (arg === Arg.Bad) this.broken = true;
      else if (arg === Arg.Line || arg === Arg.Line2) {
        this.#op = op;
        this.#lines = arg === Arg.Line ? 1 : 2;
      } else if (arg !== Arg.None) {
        this.#op = op;
        this.#got = 0;
      }
    }
    // The bytes since the last float, but those of a float under way (gathered in #arg).
    if (!this.broken && i > from && this.#op !== BINFLOAT) this.#sink.bytes(b.subarray(from, i));
  }

  /** A fixed argument or a length is whole in #arg: a length starts its bytes, PROTO must name a protocol. */
  #argument(size: number): void {
    const op = this.#op;
    const a = this.#arg;
    if (ARG[op] === Arg.Len) {
      let len = 0;
      for (let k = size - 1; k >= 0; k--) len = len * 256 + a[k]!;
      if (len > Number.MAX_SAFE_INTEGER) this.broken = true;
      this.#left = len;
      if (len === 0) this.#op = -1;
      return;
    }
    if (op === PROTO && a[0]! > 5) this.broken = true;
    if (op !== BINFLOAT) this.#op = -1;
  }
}
