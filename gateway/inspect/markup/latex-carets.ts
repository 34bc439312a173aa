// TeX's notation for characters by their codes, undone as TeX reads its input (TeXbook ch. 8; review13, 2 Dec:
// `机^^^^5bc6★10年` is 机密★10年 in XeTeX and LuaTeX, and `^^e5^^af^^86` is 密's UTF-8 bytes, which pdfTeX's
// inputenc reads as 密): `^^^^^^` and six hex digits, `^^^^` and four are a code point; `^^` and two lowercase hex
// digits a byte (runs of bytes above 0x7f read as UTF-8 when they are, else each as its Latin-1 character);
// `^^` and any other ASCII character the character 64 away (`^^M` is a carriage return). The result is read
// again, as TeX does (`^^5e^^5e` makes `^^`), a few times at most.

const CARETS = /\^\^\^\^\^\^([0-9a-f]{6})|\^\^\^\^([0-9a-f]{4})|((?:\^\^[89a-f][0-9a-f])+)|\^\^([0-7][0-9a-f])|\^\^([\x00-\x7f])/g;
const BYTE = /\^\^([0-9a-f]{2})/g;
const PASSES = 4;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A run of `^^xx` bytes above 0x7f: the characters UTF-8 makes of them, or each byte's Latin-1 character. */
function bytes(run: string): string {
  const b = Buffer.from([...run.matchAll(BYTE)].map((m) => parseInt(m[1]!, 16)));
  try {
    return utf8.decode(b);
  } catch {
    return b.toString('latin1');
  }
}

/** s with TeX's caret notation undone (s itself when it has none). */
export function undoCarets(s: string): string {
  for (let k = 0; k < PASSES && s.includes('^^'); k++) {
    const r = s.replace(CARETS, (_m, six?: string, four?: string, run?: string, low?: string, ascii?: string) => {
      if (six !== undefined || four !== undefined) {
        const code = parseInt((six ?? four)!, 16);
        return code <= 0x10ffff ? String.fromCodePoint(code) : '';
      }
      if (run !== undefined) return bytes(run);
      if (low !== undefined) return String.fromCharCode(parseInt(low, 16));
      const c = ascii!.charCodeAt(0);
      return String.fromCharCode(c < 64 ? c + 64 : c - 64);
    });
    if (r === s) break;
    s = r;
  }
  return s;
}
