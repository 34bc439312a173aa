// Escape sequences as a terminal shows them: not at all. `机\x1b[0m密★10年`
// prints as 机密★10年 (red team, 30 Nov: ESC between a marking's characters
// crossed; with a colour code the '[' even started a bracketed marking and
// dropped the match). The text scanner reads a sequence met inside a match
// as one blank, like a space (text-fold.ts BLANK), one character at a time
// so that a sequence cut by a chunk's edge is still whole.
//
// ECMA-48 (5th edition, 1991) §5.3-5.6, and the forms terminals accept:
//   ESC [ P… I… F   CSI: parameter bytes 30–3F, intermediates 20–2F, final 40–7E
//   ESC I… F        nF (ESC ( B): intermediates 20–2F, final 30–7E
//   ESC F           Fe, Fp, Fs: one byte 30–7E
//   ESC ] … BEL|ST  OSC, and DCS (P), SOS (X), PM (^), APC (_): a control
//                   string of printable ASCII, ended by BEL or ESC \
// C1 CSI (U+009B) and OSC (U+009D) start the same forms without ESC.
// Anything else ends the sequence and is read as text.

/** A sequence's state: its kind in the low 3 bits, the characters read so far above. */
const AFTER_ESC = 1;
const CSI = 2;
const NF = 3;
const STRING = 4;
const STRING_ESC = 5;
/** Longer than any sequence a terminal program writes (an OSC 8 hyperlink's URL included): past it, text. */
const MAX_LENGTH = 512;

/** The state after the character that starts a sequence (ESC, C1 CSI or OSC), or 0 when c starts none. */
export function escapeStart(c: number): number {
  return c === 0x1b ? AFTER_ESC : c === 0x9b ? CSI : c === 0x9d ? STRING : 0;
}

/**
 * Reads one more character of a sequence: the next state, 0 when c ended
 * the sequence (it is part of it), -1 when c is not part of it.
 */
export function escapeStep(st: number, c: number): number {
  const len = st >>> 3;
  if (len >= MAX_LENGTH) return -1;
  const next = (len + 1) << 3;
  switch (st & 7) {
    case AFTER_ESC:
      if (c === 0x5b) return CSI | next;
      if (c === 0x5d || c === 0x50 || c === 0x58 || c === 0x5e || c === 0x5f) return STRING | next;
      if (c >= 0x20 && c <= 0x2f) return NF | next;
      return c >= 0x30 && c <= 0x7e ? 0 : -1;
    case CSI:
      if (c >= 0x20 && c <= 0x3f) return CSI | next;
      return c >= 0x40 && c <= 0x7e ? 0 : -1;
    case NF:
      if (c >= 0x20 && c <= 0x2f) return NF | next;
      return c >= 0x30 && c <= 0x7e ? 0 : -1;
    case STRING:
      if (c === 0x07) return 0;
      if (c === 0x1b) return STRING_ESC | next;
      return c >= 0x20 && c <= 0x7e ? STRING | next : -1;
    default: // STRING_ESC
      return c === 0x5c ? 0 : -1;
  }
}
