// A code point written as an expression of literals, the argument of a call
// or cast that makes a character (red team, 30 November: Excel
// `UNICHAR(HEX2DEC("673A"))`, VB `ChrW(26426&)`, Python `chr(26425+1)`):
//   literals   26426, 0x673a, &H673A (VB), with a type suffix (VB's & and %,
//              C's L and U)
//   calls      of one quoted number: HEX2DEC("673A"), int('673a', 16),
//              parseInt("673a", 16), Convert.ToInt32("673A", 16),
//              CLng("&H673A"); hex when the name says so (HEX2DEC), the base
//              is 16 or the literal is 0x… / &H… or holds a hex letter
//   arithmetic up to four terms joined by + or -
// Only literals: `chr(ord(c) + 1)` or `(char)(c + 1)` computes nothing here.
// CP_EXPR has no capturing group, so that it can sit in the view decoder's
// expression (code-point-views.ts) wherever a number could.

const LIT = '(?:0[xX][0-9a-fA-F]{1,6}|&[Hh][0-9A-Fa-f]{1,6}&?|[0-9]{1,7}[&%LlUu]{0,2})';
const QUOTED = `[A-Za-z_][A-Za-z0-9_.]{0,30}\\([ \\t]*['"](?:0[xX]|&[Hh])?[0-9A-Fa-f]{1,6}['"][ \\t]*(?:,[ \\t]*(?:16|10|0)[ \\t]*)?\\)`;
/** One literal or call (a cast without parentheses takes one). */
export const CP_TERM = `(?:${LIT}|${QUOTED})`;
const TERM = CP_TERM;

/** One to four terms joined by + or - (for a larger expression: no capturing group). */
export const CP_EXPR = `${TERM}(?:[ \\t]*[-+][ \\t]*${TERM}){0,3}`;

const TERMS = new RegExp(`([-+]?)[ \\t]*(${TERM})[ \\t]*`, 'y');
const CALL = /^([A-Za-z_][A-Za-z0-9_.]*)\([ \t]*['"]((?:0[xX]|&[Hh])?)([0-9A-Fa-f]+)['"][ \t]*(?:,[ \t]*([0-9]+)[ \t]*)?\)$/;

/** The value of one term, or NaN. */
function term(t: string): number {
  const c = CALL.exec(t);
  if (c) {
    const [, name, prefix, digits, base] = c;
    const hex = base === '16' || prefix !== '' || /hex/i.test(name!) || /[A-Fa-f]/.test(digits!);
    return base === '10' && prefix === '' ? parseInt(digits!, 10) : parseInt(digits!, hex ? 16 : 10);
  }
  if (t[0] === '&') return parseInt(t.slice(2).replace(/&$/, ''), 16);
  if (t[1] === 'x' || t[1] === 'X') return parseInt(t.slice(2), 16);
  return parseInt(t, 10);
}

/** The code point an expression matched by CP_EXPR computes (NaN when a term is not one). */
export function codePointOf(expr: string): number {
  TERMS.lastIndex = 0;
  let v = 0;
  for (let m = TERMS.exec(expr); m; m = TERMS.exec(expr)) {
    const x = term(m[2]!);
    v = m[1] === '-' ? v - x : v + x;
    if (TERMS.lastIndex >= expr.length) break;
  }
  return v;
}
