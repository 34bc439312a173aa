// The text a spreadsheet formula shows, for the part of it that is text: a
// workbook may hold a cell as `UNICHAR(26426)&UNICHAR(23494)&"★10年"` with
// no cached value, and the spreadsheet shows 机密★10年 the moment it is
// opened. Evaluated here: string literals, `&`, CONCATENATE/CONCAT/TEXTJOIN, REPT,
// UNICHAR/NCHAR (code points), CHAR (a byte, or the two bytes of a GBK
// character as a Chinese Excel reads it), the parts of a text (MID, LEFT,
// RIGHT, SUBSTITUTE, REPLACE, UPPER, LOWER, TEXTBEFORE, TEXTAFTER), the branch
// an IF or CHOOSE picks (both when the condition is not spelt out),
// arithmetic on numbers. Anything
// else (a reference, another function) gives nothing: it is not text the
// formula spells out. Excel's own bounds are a formula of 8,192 characters
// and 64 levels of nesting; past them (or past MAX_DEPTH here) the formula is
// not evaluated and the caller hears of it, for a finding: a formula no
// spreadsheet writes is no reason to pass what it spells. Every value is cut
// at MAX_VALUE characters, so nested REPTs cost no more than one.

const MAX_FORMULA = 8192;
const MAX_DEPTH = 100;
const MAX_VALUE = 16_384;

class TooDeep extends Error {}
const GBK = new TextDecoder('gb18030');

type Value = string | number;

class Parser {
  #s: string;
  #i = 0;
  #depth = 0;

  constructor(s: string) {
    this.#s = s;
  }

  parse(): string {
    const v = this.#concat();
    return typeof v === 'number' ? String(v) : v;
  }

  #ws(): void {
    while (this.#s[this.#i] === ' ' || this.#s[this.#i] === '\n' || this.#s[this.#i] === '\r' || this.#s[this.#i] === '\t') this.#i++;
  }

  #concat(): Value {
    if (++this.#depth > MAX_DEPTH) throw new TooDeep();
    let v = this.#sum();
    this.#ws();
    while (this.#s[this.#i] === '&') {
      this.#i++;
      v = cut(text(v) + text(this.#sum()));
      this.#ws();
    }
    this.#depth--;
    return v;
  }

  #sum(): Value {
    let v = this.#product();
    for (this.#ws(); this.#s[this.#i] === '+' || this.#s[this.#i] === '-'; this.#ws()) {
      const op = this.#s[this.#i++];
      const r = this.#product();
      v = typeof v === 'number' && typeof r === 'number' ? (op === '+' ? v + r : v - r) : '';
    }
    return v;
  }

  #product(): Value {
    let v = this.#atom();
    for (this.#ws(); this.#s[this.#i] === '*' || this.#s[this.#i] === '/'; this.#ws()) {
      const op = this.#s[this.#i++];
      const r = this.#atom();
      v = typeof v === 'number' && typeof r === 'number' ? (op === '*' ? v * r : v / r) : '';
    }
    return v;
  }

  #atom(): Value {
    this.#ws();
    const s = this.#s;
    const c = s[this.#i];
    if (c === undefined) return '';
    if (c === '"') {
      let out = '';
      for (this.#i++; this.#i < s.length; this.#i++) {
        if (s[this.#i] === '"') {
          if (s[this.#i + 1] !== '"') break;
          this.#i++;
        }
        out += s[this.#i];
      }
      this.#i++;
      return out;
    }
    if (c === '(') {
      this.#i++;
      const v = this.#concat();
      this.#ws();
      if (s[this.#i] === ')') this.#i++;
      return v;
    }
    if (c === '-' || c === '+') {
      this.#i++;
      const v = this.#atom();
      return typeof v === 'number' ? (c === '-' ? -v : v) : '';
    }
    const num = /^(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d+)?)/.exec(s.slice(this.#i, this.#i + 32));
    if (num) {
      this.#i += num[0].length;
      return Number(num[0]);
    }
    const name = /^[A-Za-z_][\w.:$!]*/.exec(s.slice(this.#i, this.#i + 256));
    if (!name) {
      this.#i++; // an operator or mark this reading does not evaluate
      return '';
    }
    this.#i += name[0].length;
    this.#ws();
    if (s[this.#i] !== '(') {
      // TRUE and FALSE are values; a reference or another name is not spelt out.
      const n = name[0].toUpperCase();
      return n === 'TRUE' ? 1 : n === 'FALSE' ? 0 : '';
    }
    this.#i++;
    const args: Value[] = [];
    for (this.#ws(); this.#i < s.length && s[this.#i] !== ')'; this.#ws()) {
      args.push(this.#concat());
      this.#ws();
      if (s[this.#i] === ',' || s[this.#i] === ';') this.#i++;
      else if (s[this.#i] !== ')') break;
    }
    this.#i++;
    return call(name[0].replace(/^(_xlfn\.|of:|com\.microsoft\.)/i, '').toUpperCase(), args);
  }
}

function text(v: Value): string {
  return typeof v === 'number' ? String(v) : v;
}

function cut(s: string): string {
  return s.length > MAX_VALUE ? s.slice(0, MAX_VALUE) : s;
}

/** A whole number argument (Excel truncates), or NaN. */
function int(v: Value | undefined): number {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : Number.NaN;
}

/** Characters as Excel counts them (UTF-16 units; a CJK character of the BMP is one). */
function part(s: string, from: number, n: number): string {
  return Number.isNaN(from) || Number.isNaN(n) || from < 0 || n < 0 ? '' : s.slice(from, from + n);
}

function call(fn: string, args: Value[]): Value {
  const n = typeof args[0] === 'number' ? args[0] : Number(args[0]);
  switch (fn) {
    case 'UNICHAR':
    case 'NCHAR':
      return Number.isInteger(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '';
    case 'CHAR':
      if (!Number.isInteger(n) || n <= 0 || n > 0xffff) return '';
      if (n < 0x80) return String.fromCharCode(n);
      if (n < 0x100) return String.fromCharCode(n); // one byte: as Latin-1 (a Western Excel reads cp1252, near enough)
      return GBK.decode(Buffer.from([n >> 8, n & 0xff]));
    case 'CONCATENATE':
    case 'CONCAT':
      return cut(args.map(text).join(''));
    case 'TEXTJOIN':
      return cut(args.slice(2).map(text).join(text(args[0] ?? '')));
    case 'MID':
    case 'MIDB':
      return part(text(args[0] ?? ''), int(args[1]) - 1, int(args[2]));
    case 'LEFT':
    case 'LEFTB':
      return part(text(args[0] ?? ''), 0, args.length > 1 ? int(args[1]) : 1);
    case 'RIGHT':
    case 'RIGHTB': {
      const s = text(args[0] ?? '');
      const k = args.length > 1 ? int(args[1]) : 1;
      return Number.isNaN(k) || k < 0 ? '' : k === 0 ? '' : s.slice(-k);
    }
    case 'SUBSTITUTE': {
      const [s, from, to] = [text(args[0] ?? ''), text(args[1] ?? ''), text(args[2] ?? '')];
      return from ? cut(s.split(from).join(to)) : s;
    }
    case 'REPLACE': {
      const s = text(args[0] ?? '');
      const at = int(args[1]) - 1;
      const k = int(args[2]);
      return Number.isNaN(at) || Number.isNaN(k) || at < 0 || k < 0 ? '' : cut(s.slice(0, at) + text(args[3] ?? '') + s.slice(at + k));
    }
    case 'UPPER':
      return text(args[0] ?? '').toUpperCase();
    case 'IF': {
      // A condition spelt out (a number, TRUE, FALSE) picks its branch; one that is not gives both, as either may show.
      const c = args[0];
      if (typeof c === 'number') return c !== 0 ? (args[1] ?? 1) : (args[2] ?? 0);
      return cut(text(args[1] ?? '') + text(args[2] ?? ''));
    }
    case 'CHOOSE': {
      const k = int(args[0]);
      return k >= 1 && k < args.length ? args[k]! : cut(args.slice(1).map(text).join(''));
    }
    case 'CODE':
    case 'UNICODE': {
      const cp = text(args[0] ?? '').codePointAt(0);
      // CODE of a Chinese character is its GBK code in a Chinese Excel: taken as the code point here (it spells nothing new).
      return cp === undefined ? '' : cp;
    }
    case 'TEXTBEFORE':
    case 'TEXTAFTER': {
      const [s, d] = [text(args[0] ?? ''), text(args[1] ?? '')];
      const at = d ? s.indexOf(d) : -1;
      if (at < 0) return '';
      return fn === 'TEXTBEFORE' ? s.slice(0, at) : s.slice(at + d.length);
    }
    case 'TEXT':
    case 'FIXED':
      return text(args[0] ?? '');
    case 'VALUE':
    case 'NUMBERVALUE': {
      const n = Number(text(args[0] ?? ''));
      return Number.isFinite(n) ? n : '';
    }
    case 'LEN':
      return text(args[0] ?? '').length;
    case 'LOWER':
      return text(args[0] ?? '').toLowerCase();
    case 'REPT': {
      const times = typeof args[1] === 'number' ? args[1] : Number(args[1]);
      return Number.isInteger(times) && times >= 0 ? cut(text(args[0] ?? '').repeat(Math.min(times, 64))) : '';
    }
    case 'T':
    case 'TRIM':
    case 'CLEAN':
      return text(args[0] ?? '');
    default:
      return '';
  }
}

/**
 * The text `formula` spells out (without its leading `=` or `of:=`), or ''
 * when it spells none; `onLimit` hears of a formula past the bounds.
 */
export function formulaText(formula: string, onLimit: (subkind: 'decode-depth' | 'formula-length', detail: string) => void = () => {}): string {
  if (formula.length > MAX_FORMULA) {
    if (parenDepth(formula) > MAX_DEPTH) onLimit('decode-depth', `a formula nested deeper than ${MAX_DEPTH} levels was not evaluated`);
    else onLimit('formula-length', `a formula of more than ${MAX_FORMULA} characters (Excel's bound) was not evaluated`);
    return '';
  }
  const f = formula.replace(/^\s*(?:of:)?=?/, '');
  try {
    return new Parser(f).parse();
  } catch (e) {
    if (e instanceof TooDeep) onLimit('decode-depth', `a formula nested deeper than ${MAX_DEPTH} levels was not evaluated`);
    return '';
  }
}

/** The deepest nesting of parentheses outside string literals, in one pass. */
function parenDepth(f: string): number {
  let depth = 0;
  let max = 0;
  let quoted = false;
  for (let i = 0; i < f.length; i++) {
    const c = f.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (quoted) continue;
    else if (c === 40) max = Math.max(max, ++depth);
    else if (c === 41) depth--;
  }
  return max;
}
