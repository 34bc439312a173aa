import { latexShown } from './latex-shown.js';
import { undoCarets } from './latex-carets.js';
import { LatexCatcodes } from './latex-catcodes.js';

// LaTeX with its own macros expanded, as TeX typesets it (ninth red team W4, what was left of it on 2 Dec): a
// marking assembled from macros defined far from their use (`\def\x{机}\def\y{密}` in the preamble, `\x\y★10年`
// in the body), a level word in a macro (`\newcommand{\lvl}{机密}`), a macro taking the rest as an argument, and
// characters given by their codes (`\char"673A\mbox{}\char"5BC6\bigstar 10年`, `\symbol{26426}{}`, and TeX's
// `^^^^5bc6`, latex-carets.ts, review13) around which
// commands and groups stand crossed: the reading around a 密 (latex-shown.ts) sees no 密 at the use, and the views
// that decode `\char` do not read LaTeX as typeset. Definitions (\newcommand, \renewcommand, \providecommand,
// \DeclareRobustCommand, \def, \gdef, \edef, \xdef, \let; saved boxes, \sbox, \savebox, \setbox, lrbox: review13)
// are taken as the text streams, in order, and a stretch of text (lines) in which a macro is used or a character code given is read again with them expanded,
// the codes turned into characters and the definitions themselves dropped, then as typeset (latexShown). Bounded:
// MAX_MACROS definitions of MAX_BODY each, MAX_DEPTH levels of macros in macros, and output of
// MAX_GROWTH times a stretch's length (and 64 Ki characters); past them the stretch is read as far as it was
// expanded and `over` is set (inspection-limit).

const MAX_MACROS = 4096;
const MAX_BODY = 4096;
const MAX_DEPTH = 16;
const MAX_GROWTH = 16;
/** A stretch carried to the next text while a definition in it is not closed yet. */
const MAX_CARRY = 64 * 1024;

/** Text that may hold a definition or a character code: a stretch without one is passed over with one search. */
const ANY = /\\(?:[gex]?def|(?:re)?newcommand|providecommand|DeclareRobustCommand|let|char|symbol|Uchar|sbox|savebox|setbox|begin\s*\{lrbox\})(?![A-Za-z])/;
/** A command word. */
const WORD = /\\([A-Za-z@]+)/g;
/** A character code (`\char"673A`, `\char'63472`, `\char26426`, `\symbol{…}`, `\Uchar"…`), a space after it eaten. */
const CODE = /\\(?:(?:char|Uchar)\s*(?:"([0-9A-Fa-f]{1,6})|'([0-7]{1,8})|(\d{1,7}))|symbol\s*\{\s*(?:"([0-9A-Fa-f]{1,6})|'([0-7]{1,8})|(\d{1,7}))\s*\})(?![A-Za-z]) ?/g;

/** The character codes in s as the characters they typeset. */
function withCodes(s: string): string {
  return s.replace(CODE, (_m, h1?: string, o1?: string, d1?: string, h2?: string, o2?: string, d2?: string) => {
    const hex = h1 ?? h2;
    const oct = o1 ?? o2;
    const code = hex !== undefined ? parseInt(hex, 16) : oct !== undefined ? parseInt(oct, 8) : parseInt((d1 ?? d2)!, 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

interface Macro {
  params: number;
  body: string;
}

/** The end (after its closing brace) of the group that opens at s[at] ('{'), or -1 when s ends first. */
function groupEnd(s: string, at: number, max: number): number {
  let depth = 0;
  const stop = Math.min(s.length, at + max + 2);
  for (let i = at; i < stop; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) i++; // an escaped character
    else if (c === 0x7b) depth++;
    else if (c === 0x7d && --depth === 0) return i + 1;
  }
  return stop < s.length ? -2 : -1; // -2: longer than max; -1: not closed in this text
}

const skipSpace = (s: string, i: number): number => {
  while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  return i;
};

export class LatexMacros {
  #macros = new Map<string, Macro>();
  #carry = '';
  /** A stretch from a definition not closed yet, already read in TeX's standard codes, read again with the next text. */
  #held = '';
  /** The category codes the document changed (latex-catcodes.ts). */
  #catcodes = new LatexCatcodes();
  /** An expansion stopped at a bound. */
  over = false;

  /** A 密 followed a change of category codes not modelled (latex-catcodes.ts). */
  get catcodesUnreliable(): boolean {
    return this.#catcodes.unreliable;
  }

  /** The stretches of this text (and what was carried) that read otherwise with the macros expanded, one after another. */
  push(text: string, final: boolean): string {
    let s = this.#carry + text;
    this.#carry = '';
    const held = this.#held;
    this.#held = '';
    if (!final) {
      // Whole lines only: a definition or a use cut by the text's end is read with the next text.
      const nl = s.lastIndexOf('\n');
      if (nl < 0 && s.length < MAX_CARRY) {
        this.#carry = s;
        this.#held = held;
        return '';
      }
      if (nl >= 0 && s.length - nl - 1 < MAX_CARRY) {
        this.#carry = s.slice(nl + 1);
        s = s.slice(0, nl + 1);
      }
    }
    // TeX undoes its caret notation as it reads, before any command is seen (`\d^^65f` is \def).
    const raw = s;
    s = undoCarets(s);
    // (Only a character given in hex makes the stretch worth a view: `^^M` and `^^I` fill macro packages and logs.)
    const carets = s !== raw && /\^\^[0-9a-f]{2}/.test(raw);
    // Then written in the standard category codes where the document changed them (`|mbox` is \mbox after \catcode`\|=0).
    const uncoded = s;
    s = this.#catcodes.read(s);
    const recoded = s !== uncoded;
    // (A definition not closed in the last text is read again from it, its carets and codes read already.)
    s = held + s;
    if (this.#macros.size === 0 && !carets && !recoded && !ANY.test(s)) return '';
    const r = this.#read(s, final);
    if (r.open >= 0) {
      // A definition not closed yet: the stretch from it is read again with the next text.
      this.#held = s.slice(r.open);
    }
    const coded = withCodes(r.out);
    if (!r.changed && !carets && !recoded && coded === r.out) return '';
    return (latexShown(coded) ?? coded) + '\n';
  }

  /** Reads s: definitions taken, macros expanded, codes turned into characters. */
  #read(s: string, final: boolean): { out: string; changed: boolean; open: number } {
    const out: string[] = [];
    let budget = Math.max(64 * 1024, s.length * MAX_GROWTH);
    let changed = false;
    let last = 0;
    const re = new RegExp(WORD.source, 'g');
    for (let m = re.exec(s); m; m = re.exec(s)) {
      const name = m[1]!;
      const def = this.#definition(s, name, re.lastIndex);
      if (def === 'open') {
        if (!final && s.length - m.index < MAX_CARRY) {
          out.push(s.slice(last, m.index));
          return { out: out.join(''), changed, open: m.index };
        }
        continue;
      }
      if (typeof def === 'number') {
        out.push(s.slice(last, m.index)); // a definition prints nothing
        last = def;
        re.lastIndex = def;
        changed = true;
        continue;
      }
      const macro = this.#macros.get(name);
      if (!macro) continue;
      const use = this.#expand(s, re.lastIndex, macro, 0, budget);
      out.push(s.slice(last, m.index), use.text);
      budget -= use.text.length;
      last = use.end;
      re.lastIndex = use.end;
      changed = true;
      if (budget <= 0) {
        this.over = true;
        break;
      }
    }
    out.push(s.slice(last));
    return { out: out.join(''), changed, open: -1 };
  }

  /**
   * A definition at s[at] (`\name` read up to `from`): where it ends when taken (a number), 'open' when its body is
   * not closed in s, null when it is no definition.
   */
  #definition(s: string, name: string, from: number): number | 'open' | null {
    let i = skipSpace(s, from);
    let target: string;
    let params = 0;
    if (name === 'let') {
      const m = /^\\([A-Za-z@]+)\s*=?\s*\\([A-Za-z@]+)/.exec(s.slice(i, i + 128));
      if (!m) return null;
      const source = this.#macros.get(m[2]!);
      if (source) this.#define(m[1]!, source);
      else this.#macros.delete(m[1]!);
      return i + m[0].length;
    }
    if (/^[gex]?def$/.test(name)) {
      const m = /^\\([A-Za-z@]+)((?:\s*#[1-9])*)\s*(?=\{)/.exec(s.slice(i, i + 128));
      if (!m) return null;
      target = m[1]!;
      params = (m[2]!.match(/#/g) ?? []).length;
      i += m[0].length;
    } else if (/^(?:(?:re)?newcommand|providecommand|DeclareRobustCommand)$/.test(name)) {
      const m = /^\*?\s*(?:\{\s*\\([A-Za-z@]+)\s*\}|\\([A-Za-z@]+))\s*(?:\[\s*([1-9])\s*\])?\s*(?:\[[^\]\n]{0,64}\])?\s*(?=\{)/.exec(s.slice(i, i + 256));
      if (!m) return null;
      target = (m[1] ?? m[2])!;
      params = m[3] ? Number(m[3]) : 0;
      i += m[0].length;
      if (name === 'providecommand' && this.#macros.has(target)) {
        const end = groupEnd(s, i, MAX_BODY);
        return end === -1 ? 'open' : end < 0 ? null : end;
      }
    } else if (name === 'begin') {
      // `\begin{lrbox}{\b}…\end{lrbox}` saves a box as \sbox does.
      const m = /^\{lrbox\}\s*\{\s*\\([A-Za-z@]+)\s*\}/.exec(s.slice(i, i + 128));
      if (!m) return null;
      const from = i + m[0].length;
      const close = s.slice(from, from + MAX_BODY + 16).search(/\\end\s*\{lrbox\}/);
      if (close < 0) return s.length - from <= MAX_BODY ? 'open' : null;
      this.#define(m[1]!, { params: 0, body: s.slice(from, from + close) });
      return from + close + (/^\\end\s*\{lrbox\}/.exec(s.slice(from + close, from + close + 32))?.[0].length ?? 0);
    } else if (name === 'sbox' || name === 'savebox' || name === 'setbox') {
      // A saved box prints where it is used (`\sbox{\b}{密}` … `\usebox{\b}`, `\setbox\b=\hbox{密}` … `\box\b`):
      // read as a macro of the register's name, which stands in the use.
      const m = (name === 'setbox'
        ? /^\\([A-Za-z@]+)\s*=?\s*\\(?:hbox|vbox|vtop)(?:\s*(?:to|spread)[^{}\n]{0,40})?\s*(?=\{)/
        : /^(?:\{\s*\\([A-Za-z@]+)\s*\}|\\([A-Za-z@]+))(?:\s*\[[^\[\]\n]{0,64}\]){0,2}\s*(?=\{)/
      ).exec(s.slice(i, i + 256));
      if (!m) return null;
      target = (m[1] ?? m[2])!;
      i += m[0].length;
    } else return null;
    const end = groupEnd(s, i, MAX_BODY);
    if (end === -1) return 'open';
    if (end < 0) return null; // a body past MAX_BODY: its text is read where it stands
    this.#define(target, { params, body: s.slice(i + 1, end - 1) });
    return end;
  }

  #define(name: string, m: Macro): void {
    if (this.#macros.size >= MAX_MACROS && !this.#macros.has(name)) {
      this.over = true;
      return;
    }
    this.#macros.set(name, m);
  }

  /** A macro used at s[from…] (after its name): its expansion (macros in it expanded too) and where its arguments end. */
  #expand(s: string, from: number, macro: Macro, depth: number, budget: number): { text: string; end: number } {
    let end = from;
    const args: string[] = [];
    for (let k = 0; k < macro.params; k++) {
      const i = skipSpace(s, end);
      if (s[i] === '{') {
        const e = groupEnd(s, i, MAX_BODY);
        if (e < 0) break;
        args.push(s.slice(i + 1, e - 1));
        end = e;
      } else if (s[i] === '\\') {
        const m = /^\\(?:[A-Za-z@]+|.)/.exec(s.slice(i, i + 64));
        args.push(m ? m[0] : '');
        end = i + (m ? m[0].length : 1);
      } else if (i < s.length) {
        const c = String.fromCodePoint(s.codePointAt(i)!);
        args.push(c);
        end = i + c.length;
      }
    }
    const body = macro.body.replace(/#([1-9])/g, (_m, d: string) => args[Number(d) - 1] ?? '');
    if (depth + 1 >= MAX_DEPTH) {
      if (/\\[A-Za-z@]/.test(body)) this.over = true;
      return { text: body, end };
    }
    // Macros in the body, expanded in turn (their arguments taken from the body).
    const out: string[] = [];
    let last = 0;
    let left = budget - body.length;
    const re = /\\([A-Za-z@]+)/g;
    for (let m = re.exec(body); m; m = re.exec(body)) {
      const inner = this.#macros.get(m[1]!);
      if (!inner) continue;
      if (left <= 0) {
        this.over = true;
        break;
      }
      const use = this.#expand(body, re.lastIndex, inner, depth + 1, left);
      out.push(body.slice(last, m.index), use.text);
      left -= use.text.length;
      last = use.end;
      re.lastIndex = use.end;
    }
    out.push(body.slice(last));
    return { text: out.join(''), end };
  }
}
