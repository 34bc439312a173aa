import { CP_EXPR, CP_TERM, codePointOf } from './code-point-expr.js';
import { MOJIBAKE_SOURCE, mayHoldMojibake, unMojibake } from '../text/mojibake.js';

// Further readings of a text, each what a program, a renderer or a person
// makes of it (issue 14, third review):
//   bidi        U+202E (right-to-left override): the characters after it are
//               shown reversed up to U+202C or the line's end; read as shown
//   HZ          ~{…~} (RFC 1843): GB2312 with the high bits cleared
//   ISO-2022-CN (RFC 1922) GB2312 designated by ESC $ ) A, shifted in by SO
//               (0x0E) and out by SI (0x0F), seven bits a byte like HZ
//   code points \U0000673a (Python), \x{673a} (Perl, PHP), U+673A
//   TeX         \char"673A, \char'…, \char26426, \Uchar, \symbol{…}, ^^e6
//               (a byte), \CJKchar{"BB}{"FA} (two code-page bytes); control
//               words before a brace, a space or a character (\textbf{机})
//               leave the view, as TeX prints none of them
//   lists       String.fromCharCode(26426, 0x5bc6), [26426, 23494], chr(26426),
//               {0xe6, 0x9c, 0xba}: numbers that are code points, or bytes
//               when every one is under 256 and one is 128 or more
//   code        (red team, 30 November) one code point a call or cast: SQL
//               NCHAR(26426) and CHAR(…), VB ChrW(26426) and ChrW(&H673A),
//               Excel UNICHAR(…), Java (char) 26426, PowerShell [char]0x673a;
//               Ruby's \u{673a 5bc6 2605}; Python's \N{CJK UNIFIED
//               IDEOGRAPH-673A} and the names of the characters markings use;
//               the code point an expression of literals (code-point-expr.ts:
//               UNICHAR(HEX2DEC("673A")), ChrW(26426&), chr(26425+1))
//   mojibake    UTF-8 read as cp1252 or Latin-1 and saved again (mojibake.ts)
//   IMAP        modified UTF-7 of mailbox names (RFC 3501 §5.1.3): &Zzpbxg-
//   OOXML       _x673A_ (ECMA-376 ST_Xstring: what Excel writes for a character XML cannot hold, and
//               decodes in every cell, shared string and name; seventh red team, 1 Dec, R7)
// These alternatives join the view decoder's expression only for text that
// holds one of their openings (`mayHold`, native searches): added to the
// expression for every text, they halved its speed on ordinary CSV and
// prose (V8 skips to an expression's possible first characters).

const NUM = '(?:0[xX][0-9a-fA-F]{1,6}|[0-9]{1,7})';
/** A call that makes a character; the separator to the next such call (`, ` in a list, `||` in SQL) is dropped with it, so that the characters join. */
const CALL_NAME = '(?:[Nn]?[Cc][Hh][Aa][Rr]|[Cc][Hh][Rr][Ww]?|[Uu][Nn][Ii][Cc][Hh][Aa][Rr]|(?:String\\.)?[Ff]rom(?:CharCode|CodePoint))';

/** Named groups, so that the view decoder's numbered ones keep their numbers. */
export const EXTRA_SOURCES: string[] = [
  '\\u202E(?<rlo>[^\\u202A-\\u202E\\u2066-\\u2069\\r\\n]{1,1000})',
  '\\x0e(?<so>(?:[\\x21-\\x7e][\\x21-\\x7e]){1,1000})\\x0f?',
  '~\\{(?<hz>(?:[\\x21-\\x77][\\x21-\\x7e]|~\\r?\\n){1,500})(?:~\\}|(?=[\\r\\n])|$)',
  '\\\\U(?<u8>[0-9a-fA-F]{8})',
  '\\\\x\\{0*(?<xbrace>[0-9a-fA-F]{1,6})\\}',
  'U\\+(?<uplus>[0-9A-Fa-f]{4,6})',
  '\\\\U?char\\s*(?:"(?<texhex>[0-9A-Fa-f]{1,6})|\'(?<texoct>[0-7]{1,8})|(?<texdec>[0-9]{1,7}))\\s?',
  '\\\\symbol\\{(?:"(?<symhex>[0-9A-Fa-f]{1,6})|(?<symdec>[0-9]{1,7}))\\}',
  '\\^\\^(?<caret>[0-9a-f]{2})',
  '\\\\CJKchar(?:\\[[^\\]]{0,20}\\])?\\{(?<cjk1>"[0-9A-Fa-f]{1,2}|[0-9]{1,3})\\}\\{(?<cjk2>"[0-9A-Fa-f]{1,2}|[0-9]{1,3})\\}',
  `(?<fn>chr|unichr)\\((?<one>${NUM})\\)`,
  `[\\[{(]\\s*(?<list>(?:${NUM}\\s*,\\s*){1,500}${NUM})\\s*[\\]})]`,
  '\\\\(?<cw>[a-zA-Z]{2,31})\\*?(?=[{\\[\\\\ \\u0080-\\uffff]) ?',
  `${CALL_NAME}\\([ \\t]*(?<call>${CP_EXPR})(?:[ \\t]+[Uu][Ss][Ii][Nn][Gg][ \\t]+[A-Za-z0-9]{1,12})?[ \\t]*\\)(?:[ \\t]*(?:[-+&,.|]|\\|\\||\\.\\.)[ \\t]*(?=${CALL_NAME}\\())?`,
  `[(\\[][Cc]har[)\\]][ \\t]*(?:(?<cast>${CP_TERM})|\\([ \\t]*(?<castx>${CP_EXPR})[ \\t]*\\))`,
  '\\\\u\\{(?<umulti>[0-9a-fA-F]{1,6}(?:[ \\t]+[0-9a-fA-F]{1,6}){1,200})[ \\t]*\\}',
  '\\\\N\\{(?<uname>[A-Za-z0-9 -]{2,80})\\}',
  MOJIBAKE_SOURCE,
  '&(?<imap>[A-Za-z0-9+,]{2,512})-',
  '_x(?<ooxml>[0-9A-Fa-f]{4})_',
];

/** The JSON single-character escape, in the expression with the others: not when it starts a control word (\textbf{). */
export const JSON_SINGLE_BEFORE_WORDS = '\\\\(["\\\\/bfnrt])(?![a-zA-Z]{1,30}\\*?[{\\[\\\\ \\u0080-\\uffff])';

// A backslash word alone is not an opening: JSON logs hold "\nat …" in every stack trace.
// (A call's name is looked for behind its '(' : a branch led by a letter is tried at every letter of the text.)
const OPENINGS = new RegExp(String.raw`\\[A-Za-z]{2,31}\*?\{|\\U[0-9a-fA-F]{4}|\\x\{|\\U?char|\\symbol|\\CJKchar|\\N\{|\\u\{[0-9a-fA-F]{1,6}[ \t]|[[{(][ \t]*(?:0[xX][0-9a-fA-F]|[0-9]{1,7}[ \t]*,)|\((?<=(?:[Cc][Hh][Aa][Rr]|[Cc][Hh][Rr][Ww]?|CharCode|CodePoint)\()[ \t]*(?:[0-9]|&[Hh]|[A-Za-z_][A-Za-z0-9_.]{0,30}\([ \t]*['"])|[([][Cc]har[)\]]|&[A-Za-z0-9+,]{2,512}-`);

const OOXML_ESCAPE = /_x[0-9A-Fa-f]{4}_/;

/** Can this text hold one of the readings above? (native searches; false for most text) */
export function mayHold(s: string): boolean {
  // (chr( by indexOf: as a branch of the expression, its 'c' was tried at every c of the text.)
  return s.indexOf('\u202e') >= 0 || mayHoldMojibake(s) || s.indexOf('~{') >= 0 || s.indexOf('\x1b$)A') >= 0 || s.indexOf('U+') >= 0 || s.indexOf('^^') >= 0 || s.indexOf('chr(') >= 0 || OOXML_ESCAPE.test(s) || OPENINGS.test(s);
}

export type ExtraReading = { chars: string } | { bytes: number[] } | { drop: true };

function cp(n: number): string {
  return n > 0 && n <= 0x10ffff && (n < 0xd800 || n > 0xdfff) ? String.fromCodePoint(n) : '\ufffd';
}

function num(s: string): number {
  return s[1] === 'x' || s[1] === 'X' ? parseInt(s.slice(2), 16) : parseInt(s, 10);
}

const GB = new TextDecoder('gb18030');

/** What one match of the alternatives above reads as, or null when none of them matched. */
export function readExtra(g: Record<string, string | undefined> | undefined): ExtraReading | null {
  if (!g) return null;
  if (g.rlo !== undefined) return { chars: [...g.rlo].reverse().join('') };
  if (g.so !== undefined) return { chars: GB.decode(Buffer.from(g.so, 'latin1').map((c) => c | 0x80)) };
  if (g.hz !== undefined) {
    const b: number[] = [];
    const h = g.hz;
    // Read by pairs: a pair's lead is 21–77, so a ~ where a pair would start is a continuation (~ and a line
    // break, skipped); a ~ that is a pair's trail byte (GB2312's last column: 件 is `<~`) is a byte of the
    // character. Before review14 every ~ was dropped, and the rest of the run was read a byte off.
    for (let i = 0; i < h.length; ) {
      if (h.charCodeAt(i) === 0x7e) {
        i++;
        while (h[i] === '\r' || h[i] === '\n') i++;
        continue;
      }
      b.push(h.charCodeAt(i) | 0x80, h.charCodeAt(i + 1) | 0x80);
      i += 2;
    }
    return { chars: GB.decode(Buffer.from(b)) };
  }
  const hex = g.u8 ?? g.xbrace ?? g.uplus ?? g.texhex ?? g.symhex;
  if (hex !== undefined) return { chars: cp(parseInt(hex, 16)) };
  if (g.texoct !== undefined) return { chars: cp(parseInt(g.texoct, 8)) };
  const dec = g.texdec ?? g.symdec;
  if (dec !== undefined) return { chars: cp(parseInt(dec, 10)) };
  if (g.caret !== undefined) return { bytes: [parseInt(g.caret, 16)] };
  if (g.cjk1 !== undefined && g.cjk2 !== undefined) {
    const byte = (s: string): number => (s[0] === '"' ? parseInt(s.slice(1), 16) : parseInt(s, 10)) & 0xff;
    return { bytes: [byte(g.cjk1), byte(g.cjk2)] };
  }
  if (g.one !== undefined) return { chars: cp(num(g.one)) };
  if (g.list !== undefined) {
    const ns = g.list.split(',').map((x) => num(x.trim()));
    if (ns.every((n) => n < 0x100) && ns.some((n) => n >= 0x80)) return { bytes: ns };
    return { chars: ns.map(cp).join('') };
  }
  if (g.cw !== undefined) return { drop: true };
  // (An expression of literals, HEX2DEC("673A") or 26425+1: code-point-expr.ts.)
  const expr = g.call ?? g.cast ?? g.castx;
  if (expr !== undefined) return { chars: cp(codePointOf(expr)) };
  if (g.umulti !== undefined) return { chars: g.umulti.trim().split(/[ \t]+/).map((x) => cp(parseInt(x, 16))).join('') };
  if (g.uname !== undefined) return { chars: charByName(g.uname) };
  if (g.moji !== undefined) return { chars: unMojibake(g.moji) ?? g.moji };
  if (g.imap !== undefined) return { chars: imapUtf7(g.imap) ?? `&${g.imap}-` };
  if (g.ooxml !== undefined) return { chars: cp(parseInt(g.ooxml, 16)) };
  return null;
}

/**
 * IMAP's modified UTF-7 run (',' for '/', UTF-16BE, no padding) as text, or
 * null when it is not one (a control, a lone surrogate, bits left over).
 * ASCII in the run (an encoder of a sender's own writes an id number so, red
 * team 30 November) is taken when there are four units or more: each is 00xx,
 * which a word after '&' in a URL decodes to once in 256 units.
 */
function imapUtf7(run: string): string | null {
  const b = Buffer.from(run.replace(/,/g, '/'), 'base64');
  if (b.length < 2 || b.length % 2 !== 0 || (run.length * 6) % 16 >= 6) return null;
  const t = Buffer.from(b).swap16().toString('utf16le');
  return /[\u0000-\u001f\ud800-\udfff\ufffd]/.test(t) || (t.length < 4 && !/[^\u0000-\u007f]/.test(t)) ? null : t;
}

/** Names of the characters that markings are written with (Python's \N{…}; no name table ships with Node). */
const NAMES: Record<string, string> = {
  'BLACK STAR': '★', 'WHITE STAR': '☆', 'CIRCLED IDEOGRAPH SECRET': '㊙', 'FULLWIDTH COLON': '：', COLON: ':',
  'LEFT BLACK LENTICULAR BRACKET': '【', 'RIGHT BLACK LENTICULAR BRACKET': '】', 'LEFT TORTOISE SHELL BRACKET': '〔', 'RIGHT TORTOISE SHELL BRACKET': '〕',
  'FULLWIDTH LEFT SQUARE BRACKET': '［', 'FULLWIDTH RIGHT SQUARE BRACKET': '］', 'LEFT SQUARE BRACKET': '[', 'RIGHT SQUARE BRACKET': ']',
  SPACE: ' ', 'IDEOGRAPHIC SPACE': '\u3000', 'NO-BREAK SPACE': '\u00a0', 'HYPHEN-MINUS': '-', 'LATIN CAPITAL LETTER X': 'X', 'LATIN SMALL LETTER X': 'x',
};
const DIGITS = ['ZERO', 'ONE', 'TWO', 'THREE', 'FOUR', 'FIVE', 'SIX', 'SEVEN', 'EIGHT', 'NINE'];
DIGITS.forEach((d, i) => {
  NAMES[`DIGIT ${d}`] = String(i);
  NAMES[`FULLWIDTH DIGIT ${d}`] = String.fromCharCode(0xff10 + i);
});

function charByName(name: string): string {
  const n = name.toUpperCase().replace(/\s+/g, ' ').trim();
  const ideograph = /^CJK (?:UNIFIED|COMPATIBILITY) IDEOGRAPH-([0-9A-F]{4,5})$/.exec(n);
  if (ideograph) return cp(parseInt(ideograph[1]!, 16));
  return NAMES[n] ?? '\ufffd';
}

/** Does this match make a view worth opening? (a control word only before a brace; a list only when it can be text) */
export function extraCounts(g: Record<string, string | undefined>, after: string): boolean {
  if (g.cw !== undefined) return after === '{';
  if (g.list !== undefined) return g.list.split(',').some((x) => num(x.trim()) >= 0x80);
  if (g.moji !== undefined) return unMojibake(g.moji) !== null;
  if (g.imap !== undefined) return imapUtf7(g.imap) !== null;
  return true;
}
