// EBCDIC: the code pages of IBM hosts (z/OS, AS/400), whose exports a bank or a social security bureau sends
// as they are (seventh red team, 1 Dec, R18: ids and mobiles written as F0–F9 bytes crossed, read as
// GB18030 or Windows-1252). cp037 (US, Canada), cp500 (international) and cp1047 (z/OS Unix, C) differ only
// in a few punctuation marks ([ ] ! ^ | ¬ ¢); their letters, digits, space and common punctuation are the same,
// so one table (cp037, as Python's codec has it, with NL 0x15 read as a line break) reads all three for what
// inspection looks for. The Chinese host code pages IBM-935 (Simplified) and IBM-937 (Traditional) put
// double-byte characters between SO (0x0E) and SI (0x0F) around the same single bytes: the single bytes are
// read (ids, mobiles, Latin names); the double-byte characters are not (no mapping table at hand) and each
// pair reads as U+FFFD.

/** cp037, byte → character (0x15 NL as LF). */
const CP037 = '\u0000\u0001\u0002\u0003\u009c\u0009\u0086\u007f\u0097\u008d\u008e\u000b\u000c\u000d\u000e\u000f\u0010\u0011\u0012\u0013\u009d\u000a\u0008\u0087\u0018\u0019\u0092\u008f\u001c\u001d\u001e\u001f\u0080\u0081\u0082\u0083\u0084\u000a\u0017\u001b\u0088\u0089\u008a\u008b\u008c\u0005\u0006\u0007\u0090\u0091\u0016\u0093\u0094\u0095\u0096\u0004\u0098\u0099\u009a\u009b\u0014\u0015\u009e\u001a \u00a0\u00e2\u00e4\u00e0\u00e1\u00e3\u00e5\u00e7\u00f1\u00a2.<(+|&\u00e9\u00ea\u00eb\u00e8\u00ed\u00ee\u00ef\u00ec\u00df!$*);\u00ac-/\u00c2\u00c4\u00c0\u00c1\u00c3\u00c5\u00c7\u00d1\u00a6,%_>?\u00f8\u00c9\u00ca\u00cb\u00c8\u00cd\u00ce\u00cf\u00cc`:#@\u0027="\u00d8abcdefghi\u00ab\u00bb\u00f0\u00fd\u00fe\u00b1\u00b0jklmnopqr\u00aa\u00ba\u00e6\u00b8\u00c6\u00a4\u00b5~stuvwxyz\u00a1\u00bf\u00d0\u00dd\u00de\u00ae^\u00a3\u00a5\u00b7\u00a9\u00a7\u00b6\u00bc\u00bd\u00be[]\u00af\u00a8\u00b4\u00d7{ABCDEFGHI\u00ad\u00f4\u00f6\u00f2\u00f3\u00f5}JKLMNOPQR\u00b9\u00fb\u00fc\u00f9\u00fa\u00ff\u005c\u00f7STUVWXYZ\u00b2\u00d4\u00d6\u00d2\u00d3\u00d50123456789\u00b3\u00db\u00dc\u00d9\u00da\u009f';

const SO = 0x0e;
const SI = 0x0f;

/** Bytes of EBCDIC text: space, letters, digits, punctuation (every EBCDIC page agrees on these positions). */
const TEXT = new Uint8Array(256);
for (const [a, b] of [[0x40, 0x40], [0x4a, 0x50], [0x5a, 0x61], [0x6a, 0x6f], [0x79, 0x7f], [0x81, 0x89], [0x91, 0x99], [0xa1, 0xa9], [0xc0, 0xc9], [0xd0, 0xd9], [0xe0, 0xe0], [0xe2, 0xe9], [0xf0, 0xf9]] as const) {
  for (let c = a; c <= b; c++) TEXT[c] = 1;
}
/** Separators a record or a line has: space, comma, semicolon, NL, LF, CR, tab. */
const SEPARATOR = new Uint8Array(256);
for (const c of [0x40, 0x6b, 0x5e, 0x15, 0x25, 0x0d, 0x05]) SEPARATOR[c] = 1;
/** Letters and digits. */
const ALNUM = new Uint8Array(256);
for (const [a, b] of [[0x81, 0x89], [0x91, 0x99], [0xa2, 0xa9], [0xc1, 0xc9], [0xd1, 0xd9], [0xe2, 0xe9], [0xf0, 0xf9]] as const) {
  for (let c = a; c <= b; c++) ALNUM[c] = 1;
}

/**
 * Is this head EBCDIC text? Of its single bytes (double-byte runs between SO and SI set aside, as long as some
 * single bytes remain), nine in ten are EBCDIC text, at most one in twenty NUL (a record's packed decimal
 * field), two in five letters or digits, one in forty a separator; ten different letters and digits. ASCII and
 * Latin-1 text fail the first (their lower-case letters, 0x61–0x7A, are mostly no EBCDIC text), GBK and Big5
 * too (half their bytes are not), and so do random and structured binary (a float's 0x40 exponent comes with
 * bytes that are not text). UTF-8 is not asked: guessText() takes it first.
 */
export function isEbcdicText(head: Uint8Array): boolean {
  let single = 0;
  let text = 0;
  let zero = 0;
  let sep = 0;
  let alnum = 0;
  const seen = new Uint8Array(256);
  let kinds = 0;
  let dbcs = false;
  for (let i = 0; i < head.length; i++) {
    const b = head[i]!;
    if (dbcs) {
      if (b === SI) dbcs = false;
      continue;
    }
    if (b === SO) {
      dbcs = true;
      continue;
    }
    single++;
    if (b === SI) continue;
    if (TEXT[b] || SEPARATOR[b]) text++;
    if (b === 0) zero++;
    if (SEPARATOR[b]) sep++;
    if (ALNUM[b]) {
      alnum++;
      if (!seen[b]) {
        seen[b] = 1;
        kinds++;
      }
    }
  }
  return single >= 24 && text >= single * 0.9 && zero <= single / 20 && alnum >= single * 0.4 && sep >= single / 40 && kinds >= 10;
}

const CODES = Uint16Array.from(CP037, (c) => c.charCodeAt(0));

/** A streaming decoder of EBCDIC (cp037; between SO and SI each pair of bytes reads as U+FFFD). */
export class EbcdicDecoder {
  #dbcs = false;
  #half = false;
  /** Double-byte characters read as U+FFFD so far: text not read, which the scanner reports (review10). */
  unread = 0;

  decode(chunk?: Uint8Array, o?: { stream: boolean }): string {
    let out = '';
    if (chunk) {
      const units = new Uint16Array(chunk.length);
      let n = 0;
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i]!;
        if (this.#dbcs) {
          if (b === SI && !this.#half) this.#dbcs = false;
          else if ((this.#half = !this.#half) === false) {
            units[n++] = 0xfffd;
            this.unread++;
          }
          continue;
        }
        if (b === SO) {
          this.#dbcs = true;
          this.#half = false;
        } else if (b !== SI) units[n++] = CODES[b]!;
      }
      for (let k = 0; k < n; k += 8192) out += String.fromCharCode(...units.subarray(k, Math.min(n, k + 8192)));
    }
    if (!o?.stream) {
      this.#dbcs = false;
      this.#half = false;
    }
    return out;
  }
}
