import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

// Mojibake: UTF-8 read as Windows-1252 (or Latin-1) and saved again, so that
// 机密 arrives as "æœºå¯†" (red team, 30 November). A run of such pairs (a
// lead byte's character, Â–ô, then one to three characters of the bytes
// 80–BF as cp1252 or Latin-1 shows them) is turned back into its bytes and
// read as UTF-8 when it is valid UTF-8. Found by a native search for one
// such pair; ordinary French or German text (é then a letter) holds none.

/** cp1252's characters for the bytes 80–9F (undefined ones as Latin-1's controls), and A0–BF. */
const CONT_CHARS = iconv.decode(Buffer.from(Array.from({ length: 64 }, (_, i) => 0x80 + i)), 'cp1252');
const TO_BYTE = new Map<string, number>();
for (let i = 0; i < 256; i++) TO_BYTE.set(String.fromCharCode(i), i);
[...CONT_CHARS].forEach((c, i) => {
  if (c !== '\ufffd') TO_BYTE.set(c, 0x80 + i);
});
const CONT = `[\\u0080-\\u00bf${[...CONT_CHARS].filter((c) => c.charCodeAt(0) > 0xff).join('')}]`;
const PAIR = `[\\u00c2-\\u00f4]${CONT}{1,3}`;

/** A run of mojibake pairs, ASCII between them (for the view decoder's expression: named group). */
export const MOJIBAKE_SOURCE = `(?<moji>${PAIR}(?:[\\x20-\\x7e]{0,16}${PAIR}){0,500})`;
/** Can this text hold mojibake? (one native search) */
export const MOJIBAKE_OPENING = new RegExp(PAIR);

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
