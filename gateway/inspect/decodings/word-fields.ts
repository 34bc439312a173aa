import { decodeHTML } from 'entities';

// What Word shows for a symbol or a field whose instruction spells text,
// docx (markup-reading.ts) and RTF (text-views.ts) alike:
// `<w:sym w:font="Wingdings" w:char="F0AB"/>` and `SYMBOL 171 \f "Wingdings"`
// are ★ on the page, `QUOTE "密"` is 密 once fields are updated (printing
// does). Symbol fonts' codes are mapped to the Unicode character they draw
// (Wingdings' shapes after the Unicode Consortium's mapping); a code of
// another font is the character itself. An EQ field is drawn from its
// arguments (Word's 带圈字符 is `EQ \o\ac(○,机)`: 机 in a circle), a legacy
// form field by its state, and the fields that fetch text from the document
// itself (REF and a bare bookmark name, DOCVARIABLE, SET) by what they fetch:
// a FieldLines follows one reading's shown text for the bookmarks' text and
// the lines of fields fetched before what they fetch was read, and the
// FieldDocument they share gives those lines again once it is known (a
// bookmark further on, a docx's variables in word/settings.xml, read after
// word/document.xml).

/** Wingdings codes that draw characters a marking or a list uses (stars, bullets, checks). */
const WINGDINGS: Record<number, string> = {
  0x6c: '●', 0x6d: '❍', 0x6e: '■', 0x6f: '□', 0x71: '❑', 0x75: '◆', 0x76: '❖', 0x77: '⬥',
  0x9f: '•', 0xa1: '○', 0xa7: '▪', 0xa8: '◻', 0xaa: '✦', 0xab: '★', 0xac: '✶', 0xad: '✴', 0xae: '✹', 0xaf: '✵',
  0xfb: '✗', 0xfc: '✓', 0xfd: '☒', 0xfe: '☑',
};

/** Wingdings 2 codes of the boxes and ticks Word's forms use (£ an empty box, R a ticked one: level-choices.ts). */
const WINGDINGS_2: Record<number, string> = { 0x4f: '✗', 0x50: '✓', 0x51: '☒', 0x52: '☑', 0x53: '☒', 0x54: '☒', 0xa3: '☐' };

/** The character a symbol font's code draws. */
export function symbolChar(font: string, code: number): string {
  const c = code >= 0xf000 && code <= 0xf0ff ? code - 0xf000 : code;
  if (/^wingdings$/i.test(font.trim()) && WINGDINGS[c] !== undefined) return WINGDINGS[c]!;
  if (/^wingdings 2$/i.test(font.trim()) && WINGDINGS_2[c] !== undefined) return WINGDINGS_2[c]!;
  return c > 0 && c <= 0x10ffff ? String.fromCodePoint(c) : '';
}

/** The text a field instruction spells (QUOTE, SYMBOL, EQ), or null for a field whose result Word computes otherwise. */
export function fieldText(instr: string): string | null {
  const m = /^\s*(QUOTE|SYMBOL|EQ)\b\s*([^]*)$/i.exec(instr);
  if (!m) return null;
  const rest = m[2]!;
  const kind = m[1]!.toUpperCase();
  if (kind === 'EQ') return eqText(rest);
  if (kind === 'QUOTE') {
    const q = /^"((?:[^"\\]|\\.)*)"/.exec(rest);
    return q ? q[1]!.replace(/\\(.)/g, '$1') : rest.replace(/\s*\\\*.*$/, '').trim();
  }
  const n = /^(0[xX][0-9a-fA-F]+|\d+)/.exec(rest);
  if (!n) return '';
  const code = Number(n[1]);
  const font = /\\f\s+"([^"]*)"|\\f\s+(\S+)/.exec(rest);
  if (/\\u\b/.test(rest)) return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
  return symbolChar(font ? (font[1] ?? font[2] ?? '') : 'Symbol', code);
}

/** EQ's elements nest at most this deep here (Word's dialogs write two levels). */
const MAX_EQ_DEPTH = 16;
/** Shapes Word's 带圈字符 (Enclose Characters) draws around a character: overstruck, the character is what is read. */
const ENCLOSURE = /^[\s\u20dd\u20de\u25a0-\u25ff\u2b1a-\u2b2f\u3007]*$/;
const BRACKET_PAIRS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>', '（': '）', '【': '】', '〔': '〕', '「': '」', '《': '》' };

/**
 * An EQ field as Word draws it, as text (seventh red team of 1 Dec, R24): each element's arguments in order.
 * `\o` (overstrike: 带圈字符 `\o\ac(○,机)`, `\o(机,)`) gives what is overstruck less the enclosing shapes,
 * `\b` its brackets around its content (`\bc\[` both, `\lc\{` `\rc\}` one), `\f` a fraction a/b, `\a` an
 * array and `\i` an integral their parts apart, `\l` a list with commas, `\d` (a displacement) nothing, `\r`,
 * `\s` and `\x` their content. Arguments are apart by `,` or `;` (the list separator of the author's locale).
 */
export function eqText(s: string): string {
  const at = { i: 0 };
  return eqRun(s, at, 0, false);
}

function eqRun(s: string, at: { i: number }, depth: number, inArgs: boolean): string {
  let out = '';
  while (at.i < s.length) {
    const c = s[at.i]!;
    if (inArgs && (c === ',' || c === ';' || c === ')')) return out;
    if (c !== '\\') {
      out += c;
      at.i++;
      continue;
    }
    const next = s[at.i + 1];
    if (next === undefined) return out;
    if (!/[A-Za-z]/.test(next)) {
      out += next; // an escaped character: \, \( \)
      at.i += 2;
      continue;
    }
    out += eqElement(s, at, depth);
  }
  return out;
}

/** One element: its switch and options (`\o\ac`, `\b\bc\[`, `\s\up8`), then its arguments in parentheses. */
function eqElement(s: string, at: { i: number }, depth: number): string {
  let kind = '';
  let left = '(';
  let right = ')';
  while (s[at.i] === '\\' && /[A-Za-z]/.test(s[at.i + 1] ?? '')) {
    const w = /^\\([A-Za-z]+)(?:\s*-?\d+)?/.exec(s.slice(at.i, at.i + 40))!; // `\up8`, `\up 1`, `\up-1`
    at.i += w[0].length;
    const name = w[1]!.toLowerCase();
    if (!kind) kind = name[0]!;
    if ((name === 'lc' || name === 'rc' || name === 'bc') && s[at.i] === '\\' && at.i + 1 < s.length) {
      const ch = s[at.i + 1]!;
      at.i += 2;
      if (name !== 'rc') left = ch;
      if (name === 'rc') right = ch;
      else if (name === 'bc') right = BRACKET_PAIRS[ch] ?? ch;
    }
    while (s[at.i] === ' ') at.i++;
  }
  if (s[at.i] !== '(') return '';
  at.i++;
  const args: string[] = [];
  for (;;) {
    const arg = depth < MAX_EQ_DEPTH ? eqRun(s, at, depth + 1, true) : skipArg(s, at);
    args.push(arg);
    const c = s[at.i];
    at.i++;
    if (c !== ',' && c !== ';') break;
  }
  switch (kind) {
    case 'o': {
      const shown = args.filter((a) => !ENCLOSURE.test(a));
      return (shown.length ? shown : args).join('');
    }
    case 'b':
      return left + args.join(',') + right;
    case 'f':
      return args.join('/');
    case 'a':
    case 'i':
      return args.join(' ');
    case 'l':
      return args.join(',');
    case 'd':
      return '';
    default:
      return args.join('');
  }
}

/** Past the depth followed, an argument's characters up to its end, its switches, brackets and separators left out. */
function skipArg(s: string, at: { i: number }): string {
  let open = 0;
  const from = at.i;
  for (; at.i < s.length; at.i++) {
    const c = s[at.i]!;
    if (c === '\\') at.i++;
    else if (c === '(') open++;
    else if (c === ')' && open-- === 0) break;
    else if ((c === ',' || c === ';') && open === 0) break;
  }
  return s.slice(from, at.i).replace(/\\([A-Za-z]+(?:\s*-?\d+)?|.)|[(),;]/g, (_m, c: string | undefined) => (c !== undefined && c.length === 1 && !/[A-Za-z]/.test(c) ? c : ''));
}

/** A legacy form field's state (w:ffData): a check box's, a drop-down's entries and choice. */
export interface FormField {
  check: boolean;
  /** w:checked (the current state), when written. */
  checked: boolean | null;
  /** w:default: a check box's default state, a drop-down's default entry. */
  def: string | null;
  /** w:ddList/w:result: the entry chosen. */
  result: number | null;
  entries: string[];
}

export function newFormField(): FormField {
  return { check: false, checked: null, def: null, result: null, entries: [] };
}

/**
 * What Word shows for a legacy form field (seventh red team of 1 Dec, R2): a FORMCHECKBOX as ☒ when checked
 * (w:checked, else w:default 1) and ☐ when not, a FORMDROPDOWN as its chosen entry (w:result, else w:default,
 * else the first). `密级：☐绝密 ☒机密 ☐秘密` is then read by the level-choice reading as any ticked box is; with
 * the state not rendered, a list of levels with no box read as none chosen and the marking crossed. Null for
 * another field.
 */
export function formFieldText(instr: string, form: FormField | undefined): string | null {
  const m = /^\s*(FORMCHECKBOX|FORMDROPDOWN)\b/i.exec(instr);
  if (!m || !form) return null;
  if (m[1]!.toUpperCase() === 'FORMCHECKBOX') {
    const on = form.checked ?? (form.def !== null && /^(1|true|on)$/i.test(form.def));
    return on ? '☒' : '☐';
  }
  // A result past the entries (RTF's \ffres25: none) leaves the default.
  const i = form.result !== null && form.result < form.entries.length ? form.result : form.def !== null && /^\d+$/.test(form.def) ? Number(form.def) : 0;
  return form.entries[i] ?? '';
}

/** Field names Word knows: an instruction that starts with another word is a bookmark's name (`{ head }` is `{ REF head }`). */
const FIELD_NAMES = new Set(
  ('= ADDIN ADDRESSBLOCK ADVANCE ASK AUTHOR AUTONUM AUTONUMLGL AUTONUMOUT AUTOTEXT AUTOTEXTLIST BARCODE BIBLIOGRAPHY BIDIOUTLINE ' +
    'CITATION COMMENTS COMPARE CONTROL CREATEDATE DATABASE DATE DDE DDEAUTO DISPLAYBARCODE DOCPROPERTY DOCVARIABLE EDITTIME EMBED EQ ' +
    'FILENAME FILESIZE FILLIN FORMCHECKBOX FORMDROPDOWN FORMTEXT GLOSSARY GOTOBUTTON GREETINGLINE HTMLCONTROL HYPERLINK IF IMPORT ' +
    'INCLUDE INCLUDEPICTURE INCLUDETEXT INDEX INFO KEYWORDS LASTSAVEDBY LINK LISTNUM MACROBUTTON MERGEBARCODE MERGEFIELD MERGEREC ' +
    'MERGESEQ NEXT NEXTIF NOTEREF NUMCHARS NUMPAGES NUMWORDS OCX PAGE PAGEREF PRINT PRINTDATE PRIVATE QUOTE RD REF REVNUM SAVEDATE ' +
    'SECTION SECTIONPAGES SEQ SET SHAPE SKIPIF STYLEREF SUBJECT SYMBOL TA TC TEMPLATE TIME TITLE TOA TOC USERADDRESS USERINITIALS ' +
    'USERNAME XE').split(' '),
);
/** A field's first word and the rest. */
const FIELD_HEAD = /^\s*([^\s\\"]+)\s*([^]*)$/;
/** A name, quoted or not. */
const NAME = /^(?:"([^"]{1,255})"|([^\s"\\]{1,255}))\s*([^]*)$/;

/** What a field fetches from the document itself: a bookmark's text or a variable's value; or what SET gives a bookmark. */
export type FieldFetch = { from: 'bookmark' | 'variable'; name: string } | { set: string; value: string };

/**
 * The document's own text a field shows (seventh red team of 1 Dec, R11): `REF head` (and `{ head }`) a
 * bookmark's text, `DOCVARIABLE x` a document variable's value, and `SET name "text"` a bookmark's, shown
 * nowhere itself. REF with `\n`, `\r` or `\w` shows a paragraph's number: null, like any other field.
 */
export function fieldFetch(instr: string): FieldFetch | null {
  const h = FIELD_HEAD.exec(instr);
  if (!h) return null;
  const word = h[1]!.toUpperCase();
  const rest = h[2]!;
  if (word === 'REF' || word === 'DOCVARIABLE' || word === 'SET') {
    const n = NAME.exec(rest);
    if (!n) return null;
    const name = (n[1] ?? n[2]!).toLowerCase();
    if (word === 'DOCVARIABLE') return { from: 'variable', name };
    if (word === 'REF') return /\\[nrw]\b/i.test(n[3]!) ? null : { from: 'bookmark', name };
    const v = n[3]!.trim();
    const q = /^"((?:[^"\\]|\\.)*)"/.exec(v);
    return { set: name, value: q ? q[1]!.replace(/\\(.)/g, '$1') : v.split(/\s/)[0]! };
  }
  if (FIELD_NAMES.has(word) || !/^[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]{0,39}$/.test(h[1]!)) return null;
  return /\\[nrw]\b/i.test(rest) ? null : { from: 'bookmark', name: h[1]!.toLowerCase() };
}

/** Bookmarks and variables kept a document; characters of a bookmark's text kept (its first half and its last). */
const MAX_NAMES = 4096;
const MAX_BOOKMARK = 4096;
/** Bookmarks followed at once (open and not yet ended). */
const MAX_OPEN = 64;
/** A line's characters kept around the fields it fetches; lines kept until what they fetch is known. */
const LINE_CONTEXT = 256;
const MAX_PENDING = 1024;

type Piece = string | { from: 'bookmark' | 'variable'; name: string };

/** What the fields of one document fetch, shared by the readings of its parts (a docx's document, headers, settings). */
export class FieldDocument {
  #bookmarks = new Map<string, string>();
  #variables = new Map<string, string>();
  #pending: Piece[][] = [];
  /** A bookmark or a variable was not kept (a bound): a line still waiting may wait for it. */
  #dropped = false;
  /** A line was not kept. */
  #overflow = false;
  #said = false;

  value(f: { from: 'bookmark' | 'variable'; name: string }): string | undefined {
    return (f.from === 'bookmark' ? this.#bookmarks : this.#variables).get(f.name);
  }

  set(from: 'bookmark' | 'variable', name: string, text: string): void {
    const map = from === 'bookmark' ? this.#bookmarks : this.#variables;
    const key = name.toLowerCase();
    if (map.size >= MAX_NAMES && !map.has(key)) {
      this.#dropped = true;
      return;
    }
    map.set(key, text);
  }

  /** A line with a field whose text was not known when it was read. */
  defer(line: Piece[]): void {
    if (this.#pending.length < MAX_PENDING) this.#pending.push(line);
    else this.#overflow = true;
  }

  /** Not followed: a bookmark dropped at a bound while a line waits (for it, perhaps), or a line dropped. */
  dropped(): void {
    this.#dropped = true;
  }

  /** Once, what a bound left unevaluated (for an inspection-limit finding), or null. */
  limit(): string | null {
    if (this.#said || !(this.#overflow || (this.#dropped && this.#pending.length > 0))) return null;
    this.#said = true;
    return this.#overflow
      ? `more than ${MAX_PENDING} lines of Word fields fetching bookmarks or variables not yet read; the rest were not evaluated`
      : `Word fields fetch bookmarks or variables past the ${MAX_NAMES} kept (or ${MAX_OPEN} bookmarks open at once); they were not evaluated`;
  }


  /** The lines kept whose fields are all known now, as they are shown (each once). */
  resolved(): string {
    if (!this.#pending.length) return '';
    let out = '';
    this.#pending = this.#pending.filter((line) => {
      let text = '';
      for (const p of line) {
        const v = typeof p === 'string' ? p : this.value(p);
        if (v === undefined) return true;
        text += v;
      }
      out += `${text}\n`;
      return false;
    });
    return out;
  }
}

interface OpenBookmark {
  name: string;
  head: string;
  /** What follows the head: its last MAX_BOOKMARK / 2 characters at least (cut back when twice that, so each character is copied a bounded number of times). */
  tail: string;
}

/** One reading's shown text, followed for the fields that fetch from it: the bookmarks around it, the line a field is in. */
export class FieldLines {
  readonly doc: FieldDocument;
  #open = new Map<string, OpenBookmark>();
  /** The end of the current line before its first field not known. */
  #before = '';
  /** The current line from its first field not known on, or null. */
  #line: Piece[] | null = null;
  #lineChars = 0;
  /** The last field() was a fetch not yet known, kept with its line. */
  waiting = false;

  constructor(doc: FieldDocument = new FieldDocument()) {
    this.doc = doc;
  }

  /** Shown text, in the order shown; a line break ends a line. */
  text(s: string): void {
    if (!s) return;
    for (const b of this.#open.values()) {
      const room = MAX_BOOKMARK / 2 - b.head.length;
      if (room > 0) {
        b.head += s.slice(0, room);
        if (s.length <= room) continue;
      }
      b.tail += s;
      if (b.tail.length > MAX_BOOKMARK) b.tail = b.tail.slice(-MAX_BOOKMARK / 2);
    }
    const nl = s.lastIndexOf('\n');
    if (nl >= 0) {
      this.#add(s.slice(0, s.indexOf('\n')));
      this.#endLine();
      s = s.slice(nl + 1);
    }
    this.#add(s);
  }

  #add(s: string): void {
    if (!s) return;
    if (this.#line === null) this.#before = this.#before.length + s.length > 2 * LINE_CONTEXT ? (this.#before + s).slice(-LINE_CONTEXT) : this.#before + s;
    else if (this.#lineChars < LINE_CONTEXT) {
      const t = s.slice(0, LINE_CONTEXT - this.#lineChars);
      this.#line.push(t);
      this.#lineChars += t.length;
    }
  }

  #endLine(): void {
    if (this.#line) this.doc.defer(this.#line);
    this.#line = null;
    this.#lineChars = 0;
    this.#before = '';
  }

  bookmarkStart(key: string, name: string): void {
    if (this.#open.size >= MAX_OPEN) this.doc.dropped();
    else this.#open.set(key, { name: name.toLowerCase(), head: '', tail: '' });
  }

  bookmarkEnd(key: string): void {
    const b = this.#open.get(key);
    if (!b) return;
    this.#open.delete(key);
    this.doc.set('bookmark', b.name, b.tail ? `${b.head}\n${b.tail.slice(-MAX_BOOKMARK / 2)}` : b.head);
  }

  /**
   * What a field shows, evaluated: its instruction's text (fieldText), a form field's state, or what it fetches
   * when that is known. A fetch not yet known is kept in its line (given again by `finish` or the document once
   * known) and is null here, like a field not evaluated: the reading shows its result.
   */
  field(instr: string, form?: FormField): string | null {
    this.waiting = false;
    const v = fieldText(instr) ?? formFieldText(instr, form);
    if (v !== null) return v;
    const f = fieldFetch(instr);
    if (!f) return null;
    if ('set' in f) {
      this.doc.set('bookmark', f.set, f.value);
      return '';
    }
    const known = this.doc.value(f);
    if (known !== undefined) return known;
    // A bare word is a bookmark's name only when there is such a bookmark (an add-in's field name is not one).
    if (!/^\s*(?:REF|DOCVARIABLE)\b/i.test(instr)) return null;
    if (this.#line === null) {
      this.#line = this.#before ? [this.#before] : [];
      this.#before = '';
    }
    this.#line.push(f);
    this.waiting = true;
    return null;
  }

  /** At the reading's end: bookmarks left open end here, and the lines whose fields are known now are given. */
  finish(): string {
    for (const key of [...this.#open.keys()]) this.bookmarkEnd(key);
    this.#endLine();
    return this.doc.resolved();
  }
}

/** The Word package a member belongs to (the path before its `word/`), and its settings part. */
const WORD_PART = /^((?:.*!\/)?)word\/[^/]+\.xml$/;
const SETTINGS_PART = /(?:^|!\/)word\/settings\.xml$/;
const PACKAGES = new WeakMap<object, Map<string, FieldDocument>>();

/** The fields' document shared by the parts of one docx in one inspection (`owner`: the inspection's context), or undefined for another path. */
export function packageFields(owner: object, path: string | undefined): FieldDocument | undefined {
  const m = path ? WORD_PART.exec(path) : null;
  if (!m) return undefined;
  let docs = PACKAGES.get(owner);
  if (!docs) PACKAGES.set(owner, (docs = new Map()));
  let doc = docs.get(m[1]!);
  if (!doc) {
    if (docs.size >= MAX_NAMES) return undefined;
    docs.set(m[1]!, (doc = new FieldDocument()));
  }
  return doc;
}

const DOC_VAR = /<w:docVar\b([^>]*)\/?>/g;
const ATTR_NAME = /\bw:name\s*=\s*(?:"([^"]*)"|'([^']*)')/;
const ATTR_VAL = /\bw:val\s*=\s*(?:"([^"]*)"|'([^']*)')/;
/** A docVar tag cut by a chunk's end is carried up to this. */
const MAX_VAR_TAG = 64 * 1024;

/** A docx's word/settings.xml: its document variables (w:docVars) into the package's fields' document. */
export class DocVars {
  #doc: FieldDocument;
  #carry = '';

  static for(owner: object, path: string | undefined): DocVars | null {
    const doc = path && SETTINGS_PART.test(path) ? packageFields(owner, path) : undefined;
    return doc ? new DocVars(doc) : null;
  }

  constructor(doc: FieldDocument) {
    this.#doc = doc;
  }

  /** Once, what a bound left unevaluated in the package (word-fields' inspection-limit), or null. */
  limit(): string | null {
    return this.#doc.limit();
  }

  /** The settings' text; at the end, the lines of the package's fields known now. */
  push(s: string, final: boolean): string {
    const all = this.#carry + s;
    let end = 0;
    DOC_VAR.lastIndex = 0;
    for (let m = DOC_VAR.exec(all); m; m = DOC_VAR.exec(all)) {
      end = DOC_VAR.lastIndex;
      const n = ATTR_NAME.exec(m[1]!);
      const v = ATTR_VAL.exec(m[1]!);
      if (n && v) this.#doc.set('variable', decodeHTML(n[1] ?? n[2]!), decodeHTML(v[1] ?? v[2]!));
    }
    const lt = all.lastIndexOf('<');
    this.#carry = !final && lt >= end && all.length - lt <= MAX_VAR_TAG ? all.slice(lt) : '';
    return final ? this.#doc.resolved() : '';
  }
}
