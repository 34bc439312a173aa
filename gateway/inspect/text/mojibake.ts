import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

// Mojibake: text whose bytes were read in the wrong encoding, as Windows-1252
// (or Latin-1), and saved again, so that 机密 arrives as "æœºå¯†" (red team,
// 30 November), and further (second red team):
//   UTF-8, twice or three times  "Ã¦Å“Âº…": each reading turned back in turn
//   GBK (GB2312)                 "»úÃÜ¡ï": a Chinese office's own encoding
//   Big5                         "¾÷±K¡¹": the same in Taiwan and Hong Kong
// A run of two or more such characters (Latin-1's upper half or cp1252's
// characters for 80–9F), ASCII between them, is turned back into its bytes
// and read as UTF-8 when it is valid UTF-8 (again, while what comes out is
// still mojibake), else as GB2312 or Big5 when every byte of 80 or more
// pairs into a character of that encoding's assigned rows. Only a result
// holding CJK text or symbols (★) counts: ordinary French or German text
// ("Grüße aus Köln") is such a run and reads as none of them.
// Not read: UTF-8 read as GBK or Big5 ("鏈哄瘑"), which loses a byte of most
// characters.

/** cp1252's characters for the bytes 80–9F (undefined ones as Latin-1's controls), and A0–BF. */
const CONT_CHARS = iconv.decode(Buffer.from(Array.from({ length: 64 }, (_, i) => 0x80 + i)), 'cp1252');
const TO_BYTE = new Map<string, number>();
for (let i = 0; i < 256; i++) TO_BYTE.set(String.fromCharCode(i), i);
[...CONT_CHARS].forEach((c, i) => {
  if (c !== '\ufffd') TO_BYTE.set(c, 0x80 + i);
});
const SPECIALS = [...CONT_CHARS].filter((c) => c.charCodeAt(0) > 0xff).join('');
/** A character of a byte of 80 or more, as cp1252 or Latin-1 shows it. */
const HB = `[\\u0080-\\u00ff${SPECIALS}]`;
/** What may stand between two pieces of a run: printable ASCII but the openings of other escapes (& < % = + \). */
const GAP = '[\\x20-\\x24\\x27-\\x2a\\x2c-\\x3b\\x3e-\\x5b\\x5d-\\x7e]';
const START = `[\\u00a1-\\u00ff]${HB}`;

/** A run of mojibake, ASCII between its pieces, and the ASCII byte after it (Big5's trail bytes 40–7E are ASCII) (for the view decoder's expression: named group). */
export const MOJIBAKE_SOURCE = `(?<moji>${START}${HB}*(?:${GAP}{0,16}${HB}+){0,500}[\\x40-\\x7e]?)`;
const OPENING = new RegExp(START);

/** Can this text hold mojibake? (one native search: a letter of Latin-1's upper half, then another such character) */
export function mayHoldMojibake(s: string): boolean {
  return OPENING.test(s);
}

/** The characters of the run as bytes, or null when one is not a byte's. */
function bytesOf(run: string): Buffer | null {
  const b = Buffer.alloc(run.length);
  for (let i = 0; i < run.length; i++) {
    const x = TO_BYTE.get(run[i]!);
    if (x === undefined) return null;
    b[i] = x;
  }
  return b;
}

/** CJK text or symbols: what a marking or a name is written with. */
const CJK = /[\u2460-\u2bff\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]/;

/**
 * Lead and trail bytes of the assigned characters of GB2312 (rows A1–A9
 * symbols, B0–F7 characters) and Big5 (A1–F9; trail 40–7E or A1–FE), and the
 * leads of their common characters: GB2312's level 1 (B0–D7) and symbols,
 * Big5's frequent characters (A4–C6) and symbols. Text is mostly common
 * characters; a table of Latin-1 letters in code ("ìíîïðñòóô…", pdf.js's
 * worker) pairs into rare ones.
 */
const GB2312 = {
  lead: (x: number): boolean => (x >= 0xa1 && x <= 0xa9) || (x >= 0xb0 && x <= 0xf7),
  trail: (y: number): boolean => y >= 0xa1 && y <= 0xfe,
  common: (x: number): boolean => x <= 0xa9 || x <= 0xd7,
};
const BIG5 = {
  lead: (x: number): boolean => x >= 0xa1 && x <= 0xf9,
  trail: (y: number): boolean => (y >= 0x40 && y <= 0x7e) || (y >= 0xa1 && y <= 0xfe),
  common: (x: number): boolean => x <= 0xc6,
};

/** Does every byte of 80 or more in b start a pair of this encoding (two pairs or more, two in three of common characters)? */
function paired(b: Buffer, enc: typeof GB2312): boolean {
  let pairs = 0;
  let common = 0;
  for (let i = 0; i < b.length; i++) {
    const x = b[i]!;
    if (x < 0x80) continue;
    const y = b[i + 1];
    if (!enc.lead(x) || y === undefined || !enc.trail(y)) return false;
    pairs++;
    if (enc.common(x)) common++;
    i++;
  }
  return pairs >= 2 && common * 3 >= pairs * 2;
}

const GB = new TextDecoder('gb18030');
const B5 = new TextDecoder('big5');

/** The run as the text it was, or null when none of the readings above gives CJK text. */
export function unMojibake(run: string): string | null {
  let b = bytesOf(run);
  if (b === null) return null;
  // UTF-8, as many times over as it was read wrong (at most three).
  let t: string | null = null;
  for (let k = 0; k < 3 && b !== null && isUtf8(b); k++) {
    t = b.toString('utf8');
    b = bytesOf(t);
  }
  if (t !== null) return CJK.test(t) ? t : null;
  const raw = bytesOf(run)!;
  if (paired(raw, GB2312)) return GB.decode(raw);
  if (paired(raw, BIG5)) return B5.decode(raw);
  return null;
}
