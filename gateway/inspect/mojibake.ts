import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

// Mojibake: UTF-8 read as Windows-1252 (or Latin-1) and saved again, so that
// 机密 arrives as "æœºå¯†" (red team, 30 November). A run of three-byte
// characters (a lead byte's character â–é or ï: CJK, its symbols and
// punctuation, ★, full-width forms; then two characters of the bytes 80–BF
// as cp1252 or Latin-1 shows them), ASCII between them, is turned back into
// its bytes and read as UTF-8 when it is valid UTF-8. Found by native
// searches for the lead characters; ordinary French or German text (é then
// a letter) holds no such run.

/** cp1252's characters for the bytes 80–9F (undefined ones as Latin-1's controls), and A0–BF. */
const CONT_CHARS = iconv.decode(Buffer.from(Array.from({ length: 64 }, (_, i) => 0x80 + i)), 'cp1252');
const TO_BYTE = new Map<string, number>();
for (let i = 0; i < 256; i++) TO_BYTE.set(String.fromCharCode(i), i);
[...CONT_CHARS].forEach((c, i) => {
  if (c !== '\ufffd') TO_BYTE.set(c, 0x80 + i);
});
const CONT = `[\\u0080-\\u00bf${[...CONT_CHARS].filter((c) => c.charCodeAt(0) > 0xff).join('')}]`;
// Lead bytes E2–E9 and EF (general punctuation and ★, CJK symbols, the CJK ideographs, full-width forms): what a marking or an id number in mojibake starts with.
const LEADS = ['\u00e2', '\u00e3', '\u00e4', '\u00e5', '\u00e6', '\u00e7', '\u00e8', '\u00e9', '\u00ef'];
const PAIR = `[\\u00e2-\\u00e9\\u00ef]${CONT}{2}`;

/** A run of mojibake pairs, ASCII between them (for the view decoder's expression: named group). */
export const MOJIBAKE_SOURCE = `(?<moji>${PAIR}(?:[\\x20-\\x7e]{0,16}${PAIR}){0,500})`;
const OPENING = new RegExp(PAIR);

/** Can this text hold mojibake? (native searches for the lead characters first: a regular expression led by a class of non-ASCII characters scans ASCII text slowly) */
export function mayHoldMojibake(s: string): boolean {
  for (const c of LEADS) if (s.indexOf(c) >= 0) return OPENING.test(s);
  return false;
}

/** The run as the UTF-8 it was, or null when its bytes are not valid UTF-8 holding a character beyond Latin. */
export function unMojibake(run: string): string | null {
  const b = Buffer.alloc(run.length);
  for (let i = 0; i < run.length; i++) {
    const x = TO_BYTE.get(run[i]!);
    if (x === undefined) return null;
    b[i] = x;
  }
  if (!isUtf8(b)) return null;
  const t = b.toString('utf8');
  return /[\u0800-\uffff]/.test(t) ? t : null;
}
