import { holdsMi } from '../marks/text-fold.js';

// TeX's category codes changed by the document (review13, 2 Dec): `\catcode`\|=0` makes `|mbox{}` a command,
// `\catcode`\Q=9` has TeX ignore every Q (`机QQ密` prints 机密), `\catcode`\Q=14` makes Q a comment's start,
// `\catcode`\[=1` a brace, `\catcode`\Q=13` Q a macro (`\defQ{密}`). The other readings of LaTeX know the
// standard codes only, so the text after such a change is written again in them (an escape character as `\`, an
// ignored one dropped, an active one as the control word `\ACTIVE…` that latex-macros.ts expands) and read as
// typeset with the rest of the expanded view; the text as it stands is still read. A change lasts to the end of
// its group (braces, \begingroup), unless \global. A change this cannot model (the character or the code given
// by a register or a macro: `\catcode\count@=9`, a loop of package code) makes the text after it unreliable:
// when a 密 follows it before its group ends, `unreliable` is set (inspection-limit). Making a character a letter
// or other (`\makeatletter`, `\@makeother`, `\catcode`\@=11`) changes nothing this reads, nor do the end of line
// and the space made active (\obeylines, \obeyspaces) or a code read rather than set (`\the\catcode`\@`).

/** Codes a change may give; the ones TeX starts with. */
const ESCAPE = 0;
const LETTER = 11;
const OTHER = 12;
const ACTIVE = 13;
const INITIAL: Record<string, number> = { '\\': 0, '{': 1, '}': 2, $: 3, '&': 4, '\r': 5, '#': 6, '^': 7, _: 8, '\0': 9, ' ': 10, '\t': 10, '~': 13, '%': 14, '\x7f': 15 };
const initial = (c: string): number => INITIAL[c] ?? (/^[A-Za-z]$/.test(c) ? LETTER : OTHER);
/** What a character of each code is in the standard codes (5, an end of line, ends the line; 13 is named apart). */
const WRITTEN: Record<number, string> = { 0: '\\', 1: '{', 2: '}', 3: '$', 4: '&', 5: '\n', 6: '#', 7: '^', 8: '_', 9: '', 10: ' ', 14: '%', 15: '' };
/** Characters whose change is not followed: the end of line and spaces (\obeylines, \obeyspaces), ~ (active already). */
const KEPT = /^[\r\n \t~]$/u;
/** Constants LaTeX and expl3 name codes by. */
const NAMED: Record<string, number> = { active: 13, other: 12, letter: 11, 'z@': 0, '@ne': 1, 'tw@': 2, 'thr@@': 3, 'sixt@@n': 16 };
const EXPL: Record<string, number> = {
  escape: 0, group_begin: 1, group_end: 2, math_toggle: 3, alignment: 4, end_line: 5, parameter: 6, math_superscript: 7,
  math_subscript: 8, ignore: 9, space: 10, letter: 11, other: 12, active: 13, comment: 14, invalid: 15,
};
/** `\catcode` then the character (`` `\^^M ``, `` `\| ``, `` `| ``, `"7C`, `'174`, `124`), `=` and the code. */
const ASSIGN = /^\s*(?:`\\?\^\^([\x3f-\x5f])|`\\?([^])|"([0-9A-Fa-f]{1,6})|'([0-7]{1,8})|(\d{1,7}))\s*=?\s*(?:(\d{1,3})|"([0-9A-Fa-f]{1,2})|'([0-7]{1,2})|\\(active|other|letter|z@|@ne|tw@|thr@@|sixt@@n)(?![A-Za-z@])|(\\the\s*\\catcode))\s?/u;
/** expl3: `\char_set_catcode_escape:N \|`. */
const EXPL_SET = /^_set_catcode_([a-z_]{3,20}):N\s*\\?([^])/u;
/** A code being read, not set: `\the\catcode`, `\ifnum\catcode`…, `\chardef\c=\catcode`. */
const READ_BEFORE = /(?:\\(?:the|number|ifnum|ifcase|showthe|romannumeral)\s*|=\s*)$/;
/** A change whose code is a letter's or other's: nothing this reads changes, whatever the character. */
const HARMLESS = /^[^=\n]{0,40}=?\s*(?:1[12](?!\d)|\\(?:other|letter)(?![A-Za-z@])|\\the\s*\\catcode)/;
/** Groups deeper than this are counted, not saved (their changes read as lasting). */
const MAX_DEPTH = 256;
/** Characters whose change is followed, at most; a change to one more is not modelled. */
const MAX_CHANGES = 1024;

/** The control word an active character is written as: `\ACTIVE` and its code in the letters a–p (no digits). */
const activeName = (c: string): string =>
  `\\ACTIVE${c.codePointAt(0)!.toString(16).replace(/[0-9a-f]/g, (d) => String.fromCharCode(0x61 + parseInt(d, 16)))} `;

export class LatexCatcodes {
  /** The changes in force, one map a group level (the last the innermost); an empty map at the bottom. */
  #levels: Array<Map<string, number>> = [new Map()];
  /** Whether each level's map is its own (else it is the outer level's, shared until a change is made in it). */
  #owned: boolean[] = [true];
  /** Groups opened past MAX_DEPTH, not saved. */
  #deep = 0;
  /** The group level at which a change not modelled was made, -1 when none is in force. */
  #unsureAt = -1;
  /** A 密 followed a change not modelled. */
  unreliable = false;
  /** Counts changes to the codes in force, and the search for their specials made at one count. */
  #version = 0;
  #search: { version: number; re: RegExp } | null = null;

  get #codes(): Map<string, number> {
    return this.#levels[this.#levels.length - 1]!;
  }

  /** s written in TeX's standard codes as the codes in force read it (s itself when none is changed nor set in it). */
  read(s: string): string {
    if (this.#codes.size === 0 && this.#unsureAt < 0 && !/catcode/.test(s)) return s;
    const out: string[] = [];
    let global = false;
    let run = 0;
    const flush = (to: number): void => {
      const t = s.slice(run, to);
      if (this.#unsureAt >= 0 && holdsMi(t)) this.unreliable = true;
      out.push(t);
    };
    for (let i = 0; i < s.length; ) {
      // Most characters are none of TeX's specials and not changed: left in the run, copied as they are.
      const next = this.#specials();
      next.lastIndex = i;
      const hit = next.exec(s);
      if (!hit) break;
      i = hit.index;
      const c = hit[0];
      const mapped = this.#codes.get(c);
      const cat = mapped ?? initial(c);
      if (cat === ESCAPE) {
        // A control sequence: a word of letters, or one character, and a space after a word.
        const at = i + c.length;
        const word = this.#word(s, at);
        const name = word ?? (at < s.length ? String.fromCodePoint(s.codePointAt(at)!) : '');
        let end = at + name.length;
        if (name === 'catcode' || name === 'char') {
          // (Whether a 密 follows a change not modelled is asked of the runs after it: one starts here.)
          flush(i);
          run = i;
          const set = this.#assignment(s, name, end, s.slice(Math.max(0, i - 32), i), global);
          if (set > 0) {
            global = false;
            i = run = set; // a change prints nothing
            continue;
          }
        }
        if (name === 'global') global = true;
        else if (name === 'begingroup') this.#open();
        else if (name === 'endgroup') {
          if (this.#unsureAt >= 0) {
            flush(i);
            run = i;
          }
          this.#close();
        }
        else if (word !== undefined) global = false;
        if (word !== undefined && /^[ \t]/.test(s[end] ?? '')) end++;
        if (c !== '\\') {
          // (A backslash stands as it is, in the run.)
          flush(i);
          out.push('\\', s.slice(at, end));
          run = end;
        }
        i = end;
        continue;
      }
      if (cat === 14 && mapped === undefined) {
        // A comment, to the line's end: no change in it is made.
        const nl = s.indexOf('\n', i);
        i = nl < 0 ? s.length : nl;
        continue;
      }
      if (cat === 1) this.#open();
      else if (cat === 2) {
        if (this.#unsureAt >= 0) {
          flush(i);
          run = i;
        }
        this.#close();
      }
      if (mapped === undefined || KEPT.test(c)) {
        i += c.length; // written as it is, in the run
        continue;
      }
      flush(i);
      i += c.length;
      if (cat === 14 || cat === 5) {
        // A character made a comment's start (written %), or an end of line that drops the rest of it.
        const nl = s.indexOf('\n', i);
        const stop = nl < 0 ? s.length : nl;
        out.push(cat === 14 ? `%${s.slice(i, stop)}` : '');
        i = run = stop;
        continue;
      }
      if (cat === ACTIVE) out.push(activeName(c));
      else out.push(WRITTEN[cat] ?? c);
      run = i;
    }
    flush(s.length);
    return out.join('');
  }

  /** The control word's name at s[at]: its letters up to one made no letter (`\defQ` is \def when Q is active). */
  #word(s: string, at: number): string | undefined {
    let e = at;
    while (e < s.length && e - at < 64 && /[A-Za-z@]/.test(s[e]!) && (this.#codes.get(s[e]!) ?? LETTER) === LETTER) e++;
    return e > at ? s.slice(at, e) : undefined;
  }

  /**
   * A change (`\catcode…`, or expl3's `\char_set_catcode_…:N`) at s[from] (after the name): where it ends when it
   * was made or is read as harmless, 0 when it is none.
   */
  #assignment(s: string, name: string, from: number, before: string, global: boolean): number {
    const text = s.slice(from, from + 80);
    if (name === 'char') {
      const e = EXPL_SET.exec(text);
      if (!e) return 0;
      const code = EXPL[e[1]!];
      if (code === undefined) return 0;
      this.#set(e[2]!, code, global);
      return from + e[0].length;
    }
    if (READ_BEFORE.test(before)) return 0;
    const m = ASSIGN.exec(text);
    if (m) {
      // (`` `\^^M `` is the character 64 below M, TeX's caret notation, when the carets were not undone before.)
      const code =
        m[1] !== undefined ? m[1].charCodeAt(0) ^ 0x40 : m[2] !== undefined ? m[2].codePointAt(0)! : m[3] ? parseInt(m[3], 16) : m[4] ? parseInt(m[4], 8) : Number(m[5]);
      const v = m[6] ? Number(m[6]) : m[7] ? parseInt(m[7], 16) : m[8] ? parseInt(m[8], 8) : m[9] ? NAMED[m[9]]! : -1;
      if (code <= 0x10ffff && v <= 15) {
        // `\the\catcode` restores a saved code: read as the initial one.
        const c = String.fromCodePoint(code);
        this.#set(c, v < 0 ? initial(c) : v, global);
        return from + m[0].length;
      }
    }
    if (HARMLESS.test(text)) return 0;
    // A change not modelled: the text after it may read otherwise.
    if (this.#unsureAt < 0) this.#unsureAt = this.#levels.length - 1;
    return 0;
  }

  /** A search for the next character that is special or changed in the codes in force. */
  #specials(): RegExp {
    if (this.#search?.version !== this.#version) {
      const chars = [...Object.keys(INITIAL).filter((k) => !KEPT.test(k)), ...this.#codes.keys()];
      const cls = chars.map((ch) => `\\u{${ch.codePointAt(0)!.toString(16)}}`).join('');
      this.#search = { version: this.#version, re: new RegExp(`[${cls}]`, 'gu') };
    }
    return this.#search.re;
  }

  #set(c: string, code: number, global: boolean): void {
    this.#version++;
    const top = this.#levels.length - 1;
    if (!global && !this.#owned[top]) {
      // A group's first change: its own copy of the codes (a group that changes none shares its outer one's).
      this.#levels[top] = new Map(this.#levels[top]);
      this.#owned[top] = true;
    }
    for (const l of global ? new Set(this.#levels) : [this.#levels[top]!]) {
      if (code === initial(c)) l.delete(c);
      else if (l.has(c) || l.size < MAX_CHANGES) l.set(c, code);
      else if (this.#unsureAt < 0) this.#unsureAt = top; // more characters changed than followed
    }
  }

  #open(): void {
    if (this.#levels.length > MAX_DEPTH) this.#deep++;
    else {
      this.#levels.push(this.#codes);
      this.#owned.push(false);
    }
  }

  #close(): void {
    const was = this.#codes;
    if (this.#deep > 0) {
      this.#deep--;
      return;
    }
    if (this.#levels.length > 1) {
      this.#levels.pop();
      this.#owned.pop();
    } else {
      // A group opened before the text this read: the changes made in it end (a \global one is lost with them).
      this.#levels[0] = new Map();
      this.#unsureAt = -1;
    }
    if (this.#codes !== was) this.#version++;
    if (this.#unsureAt > this.#levels.length - 1) this.#unsureAt = -1;
  }
}
