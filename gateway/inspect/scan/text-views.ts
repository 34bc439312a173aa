import { isUtf8 } from 'node:buffer';
import { decodeHTML } from 'entities';
import iconv from 'iconv-lite';
import { decodedText } from '../text/byte-text.js';
import { EXTRA_SOURCES, JSON_SINGLE_BEFORE_WORDS, extraCounts, mayHold, readExtra } from '../decodings/code-point-views.js';
import { FieldLines, newFormField, symbolChar, type FormField } from '../decodings/word-fields.js';

// The decoded views of a text: what a browser, a mail reader, a JSON parser
// or a word processor would show of it. One pass of one regular expression
// over the decoded characters resolves
//   markup      tags removed from the text (Word splits a word across runs);
//               tag contents (attributes) and comments go to a side view
//   entities    &#26426; &#x673a; &starf; (every HTML named entity)
//   JSON / JS   \u673a (surrogate pairs joined), \u{673a}, \x41, octal \346, %u673A, \\ \" \/ \n and the other single-character escapes
//   CSS         \673A (content: "…" strings)
//   percent     %E6%9C%BA, quoted-printable =E6=9C=BA and soft line breaks
//   MIME words  =?GB2312?B?u/rD3A==?=, =?utf-8?Q?=E6=9C=BA?= (adjacent words' bytes joined)
//   base64      short ones where a program would decode them: data: URIs, a MIME part's body
//   UTF-7       +Zzpbxg-
//   RTF         \'bb\'fa (code-page bytes), \u9733? (decimal), control words;
//               fields as Word shows them (#rtfMatch): where word-fields.ts
//               evaluates a field (QUOTE, SYMBOL, EQ, form fields, REF,
//               DOCVARIABLE) its text in its place, its instruction and last
//               result to the side view; another field's instruction where
//               it stands, as before
//   and, in text that holds their openings, the readings of code-point-views.ts
//   (bidi override, HZ, \U and U+ code points, TeX, lists of code points)
// Escaped byte runs (percent, quoted-printable, RTF) are decoded as UTF-8
// when they are valid UTF-8, else as GB18030, and also as Big5 into the side
// view. The content inspector scans both views as text of their own, one
// nesting level down, so an escape inside an escape is resolved at the next
// level, up to the depth limit.

/** A tag as ESCAPE reads one (group 2 below). */
const TAG = /<([A-Za-z_:?!/][^<>]{0,1024})>/g;
const MAX_TAG_ROUNDS = 64;

/**
 * `key=2525…`, `id=30591`: an '=' after a word's character and two decimal
 * digits that more digits follow is a value, not quoted-printable (each view
 * read `=25` as '%' and left `%25…` for the next, to the depth limit).
 * Quoted-printable text escapes bytes of 0x80 and over (a letter among the
 * hex digits of a lead byte) and '=' itself; an ASCII digit escaped and
 * followed by a digit has no reason to be.
 */
function isKeyValue(m: RegExpExecArray): boolean {
  const d = m[8]!;
  if (d.charCodeAt(0) > 0x39 || d.charCodeAt(1) > 0x39) return false;
  const before = m.input.charCodeAt(m.index - 1);
  const after = m.input.charCodeAt(m.index + 3);
  const word = (before >= 0x30 && before <= 0x39) || ((before | 0x20) >= 0x61 && (before | 0x20) <= 0x7a) || before === 0x5f;
  return word && after >= 0x30 && after <= 0x39;
}

/**
 * Where a reader sees text apart (red team 1 Dec (c) G2): a table cell from the next (a tab, as a TSV row), a
 * paragraph, row, list item or line from the next (a line break). Before, `</w:tc><w:tc>`, `</td><td>`,
 * `</c><c>` and `</w:p><w:p>` left nothing between, and a count of 138 before an amount of 12345678.00 read
 * as a mobile, a level-statistics header 密级 │ 绝密 │ 机密 as a marking. Runs are no boundary (`<w:r>机</w:r>
 * <w:r>密★10年</w:r>` is one word), nor are inline elements (`<span>`, `<b>`, `<a:r>`, `<w:t>`).
 */
// The boundaries between two texts make one separator, the strongest: a paragraph inside a cell (1, a line
// break), a cell (2, a tab), a row (3, a line break); `</w:p></w:tc><w:tc><w:p>` is one tab.
const PARAGRAPH_TAGS = new Set(['w:p', 'w:br', 'w:cr', 'p', 'li', 'div', 'br', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'a:p', 'a:br', 'text:p', 'text:h', 'text:line-break']);
const CELL_TAGS = new Set(['w:tc', 'td', 'th', 'c', 'a:tc', 'table:table-cell', 'table:covered-table-cell']);
const ROW_TAGS = new Set(['w:tr', 'tr', 'table', 'row', 'si', 'a:tr', 'table:table-row']);
const SEPARATORS = ['', '\n', '\t', '\n'];
const TAG_NAME = /^\/?([A-Za-z_][\w:.-]*)/;

/** How strongly a tag puts the text before it apart from the text after it in the markup view (0 for most). */
function boundary(tag: string): number {
  const name = TAG_NAME.exec(tag)?.[1];
  if (!name || name.length > 24) return 0;
  const lower = name.toLowerCase();
  return ROW_TAGS.has(lower) ? 3 : CELL_TAGS.has(lower) ? 2 : PARAGRAPH_TAGS.has(lower) ? 1 : 0;
}

/** An HTML check box or radio button, or a Word symbol (w:sym), in a tag: the box or tick it draws. */
const FORM_BOX_TAG = /^(?:input\b[^>]*\btype\s*=\s*["']?(?:checkbox|radio)\b|w:sym\b)/i;
const BOX_CHARS = /^[☐☑☒✓✔✗✘□■]$/u;
/** Where a box is put: after a blank, punctuation or the view's start, before a choice (not inside a word: 机<w:sym/>密). */
const BOX_AFTER = /^(?:|[\s\p{P}\p{S}])$/u;

/**
 * The box a form's tag draws, or '' (ninth red team: `密级：<input type="checkbox">机密 <input checked>非密`
 * read with its tags removed was `密级：机密 非密`, the one level as the label's value, and the form with 非密
 * ticked was refused; the rendered view has the boxes, so must the text in storage order).
 */
function formBox(tag: string): string {
  if (!FORM_BOX_TAG.test(tag)) return '';
  if (tag.charCodeAt(0) !== 0x77 && tag.charCodeAt(0) !== 0x57) return /\schecked\b/i.test(tag) ? '☑' : '☐';
  const code = parseInt(/\bw:char\s*=\s*"([0-9A-Fa-f]{1,6})"/.exec(tag)?.[1] ?? '', 16);
  const c = Number.isFinite(code) ? symbolChar(/\bw:font\s*=\s*"([^"]*)"/.exec(tag)?.[1] ?? '', code) : '';
  return BOX_CHARS.test(c) ? c : '';
}

/** Longest escape or tag taken in one match; text within this of a chunk's end waits for the next chunk. */
const MAX_MATCH = 1100;

const ESCAPE_PARTS = [
  '<!--([\\s\\S]{0,1000}?)-->', // 1 comment
  '<!\\[CDATA\\[|\\]\\]>',
  '<([A-Za-z_:?!/][^<>]{0,1024})>', // 2 tag
  '&(#0*[0-9]{1,7}|#[xX]0*[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31}(?![A-Za-z0-9]*\\(|[A-Za-z0-9+,]*-));?', // 3 entity (leading zeros allowed; not a call, &UNICHAR(…), nor IMAP's &Zzpbxg-)
  '\\\\u([0-9a-fA-F]{4})', // 4 JSON
  '\\\\x([0-9a-fA-F]{2})', // 5 JS byte
  "\\\\'([0-9a-fA-F]{2})", // 6 RTF byte
  '%([0-9a-fA-F]{2})', // 7 percent
  '=([0-9A-F]{2})', // 8 quoted-printable
  '=\\r?\\n(?!--)', // soft line break (not before a MIME boundary: base64 padding ends a line there)
  '=\\?([^?\\s]{1,40})\\?([bBqQ])\\?([^?\\s]{0,400})\\?=', // 9 10 11 MIME encoded word
  '\\+(?![Nn]?[Cc][Hh][Aa][Rr]\\(|[Cc][Hh][Rr][Ww]?\\(|[Uu][Nn][Ii][Cc][Hh][Aa][Rr]\\()([A-Za-z0-9+/]{3,512})-?', // 12 UTF-7 (not a call after a '+': +NCHAR(…))
  '\\\\u\\{0*([0-9a-fA-F]{1,6})\\}', // 13 JavaScript \u{…}
  '%u([0-9a-fA-F]{4})', // 14 JavaScript escape(): %uXXXX
  '\\\\([0-9a-fA-F]{4,6}) ?', // 15 CSS \673A (one space after it belongs to it)
  '\\\\([0-3][0-7]{2})', // 16 octal byte (C, Python, JavaScript strings)
  ';base64,([A-Za-z0-9+/=_-]{4,63})(?![A-Za-z0-9+/=_-])', // 17 data: URI (short: a longer run is decoded as a base64 run)
  '\\n[Cc]ontent-[Tt]ransfer-[Ee]ncoding:[ \\t]*[Bb][Aa][Ss][Ee]64[^]{0,300}?\\r?\\n\\r?\\n([A-Za-z0-9+/=]{4,63})(?![A-Za-z0-9+/=]|\\r?\\n[A-Za-z0-9+/])', // 18 a MIME part's short base64 body (a longer one is a base64 run)
  '\\\\(["\\\\/bfnrt])', // 19 JSON single-character escape (after the others: "\\\\u0041" is a backslash and "u0041")
  // (A short base64 token, quoted or not, is read by text-tokens.ts: as an alternative here, '"' made
  // every JSON string a place to try, and the scan of JSON 16 times slower.)
];
// Runs of escaped bytes that only count when they are text (byteRun): quoted-printable in lower or mixed case
// (=e6=9c=ba: Outlook, Thunderbird and Python's quopri decode it; an upper-case =XX is group 8 above, which a
// run here continues), and rsyslog's #ooo octal bytes (Escape8BitCharactersOnReceive: #346#234#272).
// Groups 20 and 21 in both expressions (numbered, not named: a named group makes an object of every match).
const BYTE_RUNS = ['((?:=[0-9A-Fa-f]{2}){1,256})', '((?:#[23][0-7]{2}){1,256})'];
const ESCAPE = new RegExp([...ESCAPE_PARTS, ...BYTE_RUNS].join('|'), 'g');
/** The same and the further readings, for text that may hold them (its numbered groups are the same). */
const ESCAPE_ALL = new RegExp([...ESCAPE_PARTS.slice(0, 18), JSON_SINGLE_BEFORE_WORDS, ...BYTE_RUNS, ...EXTRA_SOURCES].join('|'), 'g');

// RTF: \uN (decimal, signed) and its one fallback character, control words, groups.
const RTF_ESCAPE = new RegExp(
  [
    "\\\\'([0-9a-fA-F]{2})", // 1 byte
    '\\\\u(-?[0-9]{1,5}) ?(?:\\\\\'[0-9a-fA-F]{2}|[^\\\\{}])?', // 2 unicode + fallback
    '\\\\[a-zA-Z]{1,32}(?:-?[0-9]{1,10})? ?', // control word
    '\\\\[^a-zA-Z]', // control symbol
    '[{}]',
    '\\r|\\n',
  ].join('|'),
  'g',
);

/** RTF groups followed (their destinations); deeper ones are counted, their text goes where their parent's does. */
const MAX_RTF_GROUPS = 256;
/** Characters kept of a field's instruction, a form field's entry, a name; entries kept of a drop-down. */
const MAX_RTF_CAPTURE = 4096;
const MAX_RTF_ENTRIES = 256;
const RTF_WORD = /^\\([a-zA-Z]{1,32})(-?[0-9]{1,10})?/;
/** Destinations whose text is not the page's (a field's parts, a form field's, bookmarks, variables). */
const RTF_DESTINATIONS = new Set(['field', 'fldinst', 'fldrslt', 'formfield', 'ffl', 'ffname', 'ffdeftext', 'ffformat', 'ffhelptext', 'ffstattext', 'ffentrymcr', 'ffexitmcr', 'datafield', 'bkmkstart', 'bkmkend', 'docvar']);
/** Control words that end a line for the fields' lines (word-fields.ts). */
const RTF_BREAKS = new Set(['par', 'line', 'cell', 'row', 'sect', 'page']);

interface RtfField {
  instr: string;
  form: FormField | null;
  /** Evaluated: its result goes to the side view. */
  drop: boolean;
}

/** An RTF group: its destination, where its text goes ('out' the view, 'side', 'cap' kept by its owner). */
interface RtfGroup {
  dest: string;
  to: 'out' | 'side' | 'cap';
  cap: string;
  /** The group whose text this is (itself or the destination it is inside). */
  owner: RtfGroup | null;
  field: RtfField | null;
  form: FormField | null;
  /** A document variable's name and value. */
  parts: string[] | null;
  /** Hidden text (`\v`) set in this group sent its text to the side view. */
  hidden?: boolean;
}

/** A double-byte code page or font charset: Japanese, Simplified Chinese, Korean, Traditional Chinese. */
const DBCS_PAGE = /^\\(?:ansicpg(?:932|936|949|950)|fcharset(?:128|129|134|136))\b/;

export interface ViewStep {
  /** The decoded text, or '' when nothing in it was an escape. */
  text: string;
  /** Attributes, comments, alternative decodings. */
  side: string;
}

/** Does this text hold anything a view would decode? (the same expression, so the answer is exact) */
export function hasEscapes(s: string): boolean {
  const re = mayHold(s) ? ESCAPE_ALL : ESCAPE;
  re.lastIndex = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (m.groups && readExtra(m.groups) !== null) {
      if (extraCounts(m.groups, s.charAt(m.index + m[0].length))) return true;
      continue;
    }
    // A JSON single-character escape alone does not make a view: a run of backslashes would
    // otherwise halve at each level, down to the depth limit. Inside a view it is decoded.
    // Except an escaped backslash before a `\u` escape: JSON inside JSON as json.dumps and
    // json_encode write it (`\\u673a`), which the view turns into `\u673a` for the next
    // (red team 1 Dec b, N23). A run of backslashes alone still makes no view.
    if (m[19] !== undefined) {
      if (m[19] === '\\' && ESCAPED_U.test(s.substr(m.index + 2, 16))) return true;
      continue;
    }
    if (m[20] !== undefined || m[21] !== undefined) {
      if (byteRun(m[20], m[21]) !== null) return true;
      continue;
    }
    // "&page=" in a URL is no entity: a view of it would read the same, and so would its view, to the depth limit.
    if (m[3] !== undefined && entity(m[3], m[0]) === m[0]) continue;
    if (m[8] !== undefined && isKeyValue(m)) continue;
    if (m[12] === undefined || /[A-Za-z]/.test(m[12])) return true;
  }
  return false;
}

/** After an escaped backslash, what makes it the first half of an escape the next view decodes: `\\u673a`, `\\u{673a}`, `\\\\u673a`. */
const ESCAPED_U = /^(?:\\\\)*u(?:[0-9a-fA-F]{4}|\{[0-9a-fA-F])/;

/** An XML internal general entity declaration (XML 1.0 §4.2): `<!ENTITY name "value">` (not `%` parameter entities, not SYSTEM/PUBLIC). */
const ENTITY_DECL = /<!ENTITY\s+([A-Za-z_:][\w.:-]{0,63})\s+(?:"([^"<]{0,4096})"|'([^'<]{0,4096})')\s*>/g;
/** A reference to a declared entity, in the decoded text or an attribute. */
const ENTITY_REF = /&([A-Za-z_:][\w.:-]{0,63});/g;
/** An attribute's value in a tag's contents (after a name and '='). */
const ATTR_VALUE = /[\w:.-]\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
/** Characters of joined attribute values held before they are handed on. */
const MAX_ATTR_RUN = 4096;
/** Entities declared in one text at most; characters their expansion may produce in it; nesting of entities in entities. */
const MAX_ENTITIES = 1024;
export const MAX_ENTITY_EXPANSION = 1 << 20;
const MAX_ENTITY_NESTING = 8;

export class ViewDecoder {
  #rtf: boolean;
  /** The document's internal DTD entities (red team 1 Dec b, N11), null until a declaration is seen. */
  #entities: Map<string, string> | null = null;
  #expanded = 0;
  /** Entity expansion stopped at MAX_ENTITY_EXPANSION (a billion laughs): the caller reports it. */
  entityLimit = false;
  /** RTF fields a bound left unevaluated (word-fields.ts): the caller reports it. */
  fieldLimit: string | null = null;
  /** Attribute values of consecutive tags, joined (#attrValues). */
  #attrs = '';
  #attrCount = 0;
  #carry = '';
  #bytes: number[] = [];
  #out = '';
  #side = '';
  #changed = false;
  #afterWord = false;
  /** The charset of the encoded words whose bytes are being joined (gb2312, gbk and gb18030 are one). */
  #wordCharset: string | null = null;
  /** The bytes waiting are Big5 encoded words': read as Big5 in the view (GB18030 beside), not the other way round. */
  #big5Words = false;
  /** The last character put in the view (formBox: a box goes only where a choice may follow). */
  #last = '';
  /** The strongest boundary (boundary()) since the last text put in the view. */
  #apart = 0;
  /** Characters put since the last cell or row boundary (digit boxes: #put). */
  #cellChars = 0;
  /**
   * Where in #out the tab before a cell joined as a digit box would go, while that cell has shown one character
   * only (-1 when none): its text may come in pieces (`&#49;` then `3812345678`), and it is a box only if it stays
   * one character.
   */
  #boxAt = -1;
  /** RTF in a double-byte code page (\ansicpg932/936/949/950, or a font of such a charset) seen. */
  #dbcs = false;
  /** The last byte taken was a double-byte lead whose trail has not come yet. */
  #lead = false;
  /** RTF: the groups open (#rtfGroup), those past MAX_RTF_GROUPS counted only; where their text goes now. */
  #groups: RtfGroup[] = [];
  #groupsOver = 0;
  #to: RtfGroup | null = null;
  /** RTF: a group was just opened (with `\*`): its first control word names its destination. */
  #groupStart = false;
  /** RTF: the fields' bookmarks, variables and lines (word-fields.ts). */
  #lines: FieldLines | null;

  constructor(rtf: boolean) {
    this.#rtf = rtf;
    this.#lines = rtf ? new FieldLines() : null;
  }

  /** Decodes what is safely complete of carry + s; keeps the rest for the next call (all of it at the end). */
  push(s: string, final: boolean): ViewStep {
    const all = this.#carry + s;
    const limit = final ? all.length : all.length - MAX_MATCH;
    if (limit <= 0) {
      this.#carry = all;
      return { text: '', side: '' };
    }
    const re = this.#rtf ? RTF_ESCAPE : mayHold(all) ? ESCAPE_ALL : ESCAPE;
    re.lastIndex = 0;
    let pos = 0;
    for (let m = re.exec(all); m && m.index < limit; m = re.exec(all)) {
      // RFC 2047 §6.2: white space between two encoded words is not text, and their bytes join (a character may be cut between them).
      const word = !this.#rtf && m[9] !== undefined;
      if (m.index > pos && !(word && this.#afterWord && /^[ \t\r\n]*$/.test(all.substring(pos, m.index)))) this.#plain(all.substring(pos, m.index));
      if (this.#rtf) this.#rtfMatch(m);
      else this.#match(m);
      this.#afterWord = word;
      if (!word) this.#wordCharset = null;
      pos = m.index + m[0].length;
    }
    const end = Math.max(pos, limit);
    if (end > pos) this.#plain(all.substring(pos, end));
    if (final) this.#flushAttrs();
    this.#carry = all.substring(end);
    this.#flushBytes();
    if (final && this.#lines) {
      // Fields that fetch a bookmark further on, with their lines.
      const fetched = this.#lines.finish();
      if (fetched) this.#out += `\n${fetched}`;
      this.fieldLimit = this.#lines.doc.limit();
    }
    let text = this.#out;
    this.#out = '';
    if (this.#boxAt >= 0 && !final) {
      // A cell joined as a box whose cell may go on in the next chunk: its character waits with it.
      this.#out = text.slice(this.#boxAt);
      text = text.slice(0, this.#boxAt);
      this.#boxAt = 0;
    } else this.#boxAt = -1;
    if (!this.#rtf && this.#changed) text = this.#nestedTags(text);
    let side = this.#side;
    if (!this.#rtf && all.includes('<!ENTITY')) this.#declare(all);
    if (this.#entities) {
      text = this.#expand(text, 0);
      side = this.#expand(side, 0);
    }
    this.#side = '';
    return { text, side };
  }

  /**
   * Tags left by removing the tags inside them: source code's nested generics
   * (`Map<string, Set<Record<string, number>>>`, `a<b<c<d<e<f>>>>>`) lose one
   * level a view, and were refused `decode-depth` at the fifth. Removed here
   * until none is left (a tag holds no '<' or '>', so each round removes the
   * innermost), their contents to the side view like any tag's.
   */
  #nestedTags(text: string): string {
    for (let round = 0; round < MAX_TAG_ROUNDS && text.includes('>'); round++) {
      TAG.lastIndex = 0;
      if (!TAG.test(text)) break;
      text = text.replace(TAG, (_, inner: string) => {
        this.#side += `${inner}\n`;
        return '';
      });
    }
    return text;
  }

  /** Internal entity declarations in s (a chunk and its carry; one cut by a chunk's end is whole in the next). */
  #declare(s: string): void {
    ENTITY_DECL.lastIndex = 0;
    for (let m = ENTITY_DECL.exec(s); m; m = ENTITY_DECL.exec(s)) {
      const map = (this.#entities ??= new Map());
      if (map.size >= MAX_ENTITIES && !map.has(m[1]!)) break;
      // XML 1.0 §4.2: the first declaration binds. Character references in the value are resolved as XML does.
      if (!map.has(m[1]!)) map.set(m[1]!, (m[2] ?? m[3]!).replace(/&#(x[0-9a-fA-F]{1,6}|[0-9]{1,7});/g, (r, n: string) => entity(`#${n}`, r)));
    }
  }

  /**
   * References to declared entities replaced by their values, entities in values too (what every XML parser
   * shows), up to MAX_ENTITY_NESTING deep and MAX_ENTITY_EXPANSION characters a text: past that (billion
   * laughs) the rest is left as written and entityLimit is set, a finding and not a stall.
   */
  #expand(s: string, depth: number): string {
    const map = this.#entities!;
    if (!s.includes('&')) return s;
    return s.replace(ENTITY_REF, (ref, name: string) => {
      const v = map.get(name);
      if (v === undefined || this.entityLimit) return ref;
      if (depth >= MAX_ENTITY_NESTING || this.#expanded + v.length > MAX_ENTITY_EXPANSION) {
        this.entityLimit = true;
        return ref;
      }
      this.#expanded += v.length;
      return this.#expand(v, depth + 1);
    });
  }

  /** Before the first escape: does carry + s hold one? If not, only s's tail is kept (context for a later escape). */
  idle(s: string): boolean {
    if (this.#rtf) return true;
    const all = this.#carry + s;
    if (hasEscapes(all)) return true;
    this.#carry = all.length > MAX_MATCH ? all.slice(-MAX_MATCH) : all;
    return false;
  }

  /** Has any escape been decoded so far? */
  get changed(): boolean {
    return this.#changed;
  }

  #plain(s: string): void {
    if (s) this.#groupStart = false; // (RTF: text before a control word makes it no destination)
    // Word writes a double-byte character as \'hh and its trail byte as it is when under 0x80
    // (Big5's 密 is \'b1K): that character belongs to the escaped bytes, not to the text.
    if (this.#lead && s.length) {
      const c = s.charCodeAt(0);
      if (c >= 0x40 && c <= 0x7e) {
        this.#byte(c);
        s = s.slice(1);
      }
    }
    this.#flushBytes();
    // Blanks between two boundaries (`</td>\n  <td>`) are the boundary's: a reader sees one gap.
    if (this.#apart && !/\S/.test(s)) return;
    this.#put(s);
    if (this.#attrCount && /\S/.test(s)) this.#flushAttrs();
  }

  /**
   * Attribute values of consecutive tags, joined (red team 1 Dec b, N14): `<c v="机"/><c v="密"/><c v="★10年"/>`
   * and `data-a="机" data-b="密★10年"` put one character in each, and each tag's contents are read apart.
   * Text between tags (not blanks) ends the run; a run of two values or more goes to the side view.
   */
  #attrValues(tag: string): void {
    if (!tag.includes('=')) return;
    ATTR_VALUE.lastIndex = 0;
    for (let m = ATTR_VALUE.exec(tag); m; m = ATTR_VALUE.exec(tag)) {
      const v = m[1] ?? m[2] ?? '';
      if (!v) continue;
      if (this.#attrs.length + v.length > MAX_ATTR_RUN) this.#flushAttrs();
      this.#attrs += v;
      this.#attrCount++;
    }
  }

  #flushAttrs(): void {
    if (this.#attrCount >= 2) this.#side += this.#attrs + '\n';
    this.#attrs = '';
    this.#attrCount = 0;
  }

  #chars(s: string): void {
    this.#changed = true;
    this.#flushBytes();
    this.#put(s);
  }

  /** Text to the view, after the separator of the boundaries before it (boundary()). */
  #put(s: string): void {
    if (!s) return;
    if (this.#to) {
      // RTF text of a destination: a field's instruction, a form field's entry, a name; or to the side view.
      const to = this.#to;
      if (to.to === 'side') this.#side += s;
      else if (to.cap.length < MAX_RTF_CAPTURE) to.cap += s.slice(0, MAX_RTF_CAPTURE - to.cap.length);
      return;
    }
    this.#lines?.text(s);
    if (this.#boxAt >= 0 && this.#apart < 2) {
      // More text in a cell joined as a box (a piece or a paragraph of its own): it was no box (a character
      // reference is put alone, so `<td>7</td><td>&#49;3812345678</td>` read as 713812345678 before, and the
      // mobile crossed), the tab goes back.
      this.#out = `${this.#out.slice(0, this.#boxAt)}\t${this.#out.slice(this.#boxAt)}`;
      this.#boxAt = -1;
    }
    if (this.#apart) {
      // Digit boxes (a form's mobile or id one character a cell) are one number: a cell of one character after
      // a cell of one character is joined, as a reader reads the boxes (red team 1 Dec (c) E4b, R3).
      const box = this.#apart === 2 && this.#cellChars === 1 && s.length === 1;
      this.#boxAt = box ? this.#out.length : -1;
      if (!box) this.#out += SEPARATORS[this.#apart];
      if (this.#apart >= 2) this.#cellChars = 0;
      this.#apart = 0;
    }
    this.#cellChars += s.length;
    this.#out += s;
    this.#last = s[s.length - 1]!;
  }

  #byte(b: number): void {
    this.#changed = true;
    this.#bytes.push(b);
    this.#lead = this.#dbcs && !this.#lead && b >= 0x81;
  }

  #flushBytes(): void {
    this.#lead = false;
    const big5 = this.#big5Words;
    this.#big5Words = false;
    const n = this.#bytes.length;
    if (n === 0) return;
    if (n < 8) {
      // A few ASCII bytes (a log's `page=12`, `%20`): their own characters, as UTF-8 reads them, and too short
      // for the UTF-16 reading below; no buffer made for them.
      const bytes = this.#bytes;
      let k = 0;
      while (k < n && bytes[k]! < 0x80) k++;
      if (k === n) {
        this.#bytes = [];
        this.#put(String.fromCharCode(...bytes));
        return;
      }
    }
    const b = Buffer.from(this.#bytes);
    this.#bytes = [];
    const utf8 = isUtf8(b);
    if (utf8) this.#put(b.toString('utf8'));
    else if (big5) {
      this.#put(new TextDecoder('big5').decode(b));
      this.#side += new TextDecoder('gb18030').decode(b) + '\n';
    } else {
      this.#put(new TextDecoder('gb18030').decode(b));
      this.#side += new TextDecoder('big5').decode(b) + '\n';
    }
    // Percent-encoded UTF-16 (%67%3A%5B%C6…, %31%00%31%00…; red team 30 November): read when every unit is text (byte-text.ts).
    if (b.length >= 8 && b.length % 2 === 0 && (!utf8 || b.includes(0))) {
      const u16 = decodedText(b);
      if (u16 !== null) this.#side += u16 + '\n';
    }
  }

  /** Where the last octal byte escape ended in the text being decoded (see the CSS escape in #match). */
  #octalEnd = -1;

  #match(m: RegExpExecArray): void {
    const t = m[0];
    const extra = readExtra(m.groups);
    if (extra !== null) {
      if ('chars' in extra) this.#chars(extra.chars);
      else if ('bytes' in extra) for (const b of extra.bytes) this.#byte(b);
      else this.#changed = true;
    } else if (m[20] !== undefined || m[21] !== undefined) {
      // A run that goes on from escaped bytes just before it (=E6=9c=ba) is theirs; one alone counts when it is text.
      const bytes = this.#bytes.length ? runBytes(m[20], m[21]) : byteRun(m[20], m[21]);
      if (bytes === null) this.#plain(t);
      else for (const b of bytes) this.#byte(b);
    } else if (m[1] !== undefined) {
      this.#changed = true;
      this.#side += m[1] + '\n';
    } else if (t === '<![CDATA[' || t === ']]>') {
      this.#changed = true;
    } else if (m[2] !== undefined) {
      this.#changed = true;
      this.#side += m[2] + '\n';
      this.#attrValues(m[2]);
      const apart = boundary(m[2]);
      if (apart > this.#apart) {
        this.#flushBytes();
        this.#apart = apart;
      }
      const box = formBox(m[2]);
      if (box && (this.#apart > 0 || BOX_AFTER.test(this.#last))) this.#chars(box);
    } else if (m[3] !== undefined) {
      const d = t.endsWith(';') ? entity(m[3], t) : unterminated(m[3], t);
      if (d === t) this.#plain(t);
      else this.#chars(d);
    } else if (m[4] !== undefined) {
      this.#chars(String.fromCharCode(parseInt(m[4], 16)));
    } else if (m[8] !== undefined && isKeyValue(m)) {
      this.#plain(t);
    } else if (m[5] !== undefined || m[6] !== undefined || m[7] !== undefined || m[8] !== undefined) {
      this.#byte(parseInt((m[5] ?? m[6] ?? m[7] ?? m[8])!, 16));
    } else if (m[9] !== undefined) {
      const bytes = wordBytes(m[10]!, m[11]!);
      if (BYTE_CHARSETS.test(m[9])) {
        this.#changed = true;
        // Words of one charset join (a character may be cut between them); a word in another charset starts its
        // own bytes, as a mail client decodes each word in its charset (review14: =?GB2312?B?机?= and
        // =?UTF-8?B?密★10年?= side by side were read as one GB18030 run, and the marking crossed).
        const cs = m[9].split('*')[0]!.toLowerCase().replace(/^(gb2312|gbk|gb18030)$/, 'gb').replace('utf8', 'utf-8');
        if (this.#wordCharset !== null && this.#wordCharset !== cs) this.#flushBytes();
        if (!this.#bytes.length) this.#big5Words = cs === 'big5';
        this.#wordCharset = cs;
        for (const b of bytes) this.#byte(b);
      } else this.#chars(decodeCharset(m[9], bytes));
    } else if (m[15] !== undefined && m.index === this.#octalEnd && /^[0-3][0-7]{2}/.test(m[15])) {
      // Right after an octal byte, `\20510` is another octal byte and digits (git's quoted path of ★10年), not CSS's U+20510.
      this.#byte(parseInt(m[15].slice(0, 3), 8));
      this.#octalEnd = m.index + 4;
      this.#plain(t.slice(4));
    } else if (m[13] !== undefined || m[14] !== undefined || m[15] !== undefined) {
      const cp = parseInt((m[13] ?? m[14] ?? m[15])!, 16);
      this.#chars(cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd');
    } else if (m[16] !== undefined) {
      this.#byte(parseInt(m[16], 8));
      this.#octalEnd = m.index + t.length;
    } else if (m[17] !== undefined || m[18] !== undefined) {
      this.#changed = true;
      for (const b of Buffer.from((m[17] ?? m[18])!, m[17] !== undefined && /[-_]/.test(m[17]) ? 'base64url' : 'base64')) this.#byte(b);
    } else if (m[19] !== undefined) {
      this.#chars(JSON_SINGLE[m[19]] ?? m[19]);
    } else if (m[12] !== undefined) {
      // "+86…" is a telephone number, not UTF-7: a run of UTF-7 holds letters.
      if (/[A-Za-z]/.test(m[12])) this.#chars(iconv.decode(Buffer.from(t, 'latin1'), 'utf7'));
      else this.#plain(t);
    } else {
      this.#changed = true; // soft line break
    }
  }

  #rtfMatch(m: RegExpExecArray): void {
    const t = m[0];
    const start = this.#groupStart;
    this.#groupStart = false;
    if (m[1] !== undefined) this.#byte(parseInt(m[1], 16));
    else if (m[2] !== undefined) this.#chars(String.fromCharCode(parseInt(m[2], 10) & 0xffff));
    else if (t === '\\\\' || t === '\\{' || t === '\\}') {
      // A trail byte 0x5C, 0x7B or 0x7D is escaped as a control symbol.
      if (this.#lead) this.#byte(t.charCodeAt(1));
      else this.#chars(t[1]!);
    } else {
      this.#changed = true; // control word, group, line break: not text
      if (t === '{') this.#rtfOpen();
      else if (t === '}') this.#rtfClose();
      else if (t === '\\*') this.#groupStart = start;
      else if (t.charCodeAt(0) === 0x5c && t.length > 1) {
        const w = RTF_WORD.exec(t);
        if (w) this.#rtfWord(w[1]!, w[2] ?? '', start);
      }
      if (DBCS_PAGE.test(t)) this.#dbcs = true;
    }
  }

  #rtfOpen(): void {
    this.#groupStart = true;
    if (this.#groups.length >= MAX_RTF_GROUPS) {
      this.#groupsOver++;
      return;
    }
    const up = this.#groups[this.#groups.length - 1];
    const g: RtfGroup = { dest: '', to: up?.to ?? 'out', cap: '', owner: up?.owner ?? null, field: null, form: null, parts: null };
    this.#groups.push(g);
    // A document variable's name, then its value: `{\*\docvar {name}{value}}`.
    if (up?.parts) this.#capture(g);
  }

  /** A control word: a destination when it is the first of its group, a form field's state, a paragraph's end. */
  #rtfWord(word: string, arg: string, first: boolean): void {
    const g = this.#groups[this.#groups.length - 1];
    if (!g || this.#groupsOver) return;
    const up = this.#groups[this.#groups.length - 2];
    if (first && RTF_DESTINATIONS.has(word)) {
      this.#flushBytes();
      g.dest = word;
      switch (word) {
        case 'field':
          g.field = { instr: '', form: null, drop: false };
          return;
        case 'fldinst':
          if (up?.field) this.#capture(g);
          else this.#side$(g);
          return;
        case 'fldrslt':
          // An evaluated field's last result: read, but not where the field's text is.
          if (up?.field?.drop) this.#side$(g);
          return;
        case 'formfield': {
          const f = this.#field();
          if (f) g.form = f.form = newFormField();
          this.#side$(g);
          return;
        }
        case 'ffl':
        case 'bkmkstart':
        case 'bkmkend':
          this.#capture(g);
          return;
        case 'docvar':
          g.parts = [];
          this.#side$(g);
          return;
        default:
          this.#side$(g); // a form field's name, help or macros; a field's data
          return;
      }
    }
    if (word === 'v' || word === 'plain') {
      // Hidden text (`\v` … `\v0`, or to the group's end; `\plain` ends it too) is not shown: read beside, so
      // that it does not split the text around it (review14: 机{\v …}密★10年 crossed, Word shows 机密★10年).
      const on = word === 'v' && arg !== '0';
      if (on && !this.#to) {
        this.#side$(g);
        g.hidden = true;
      } else if (!on && g.hidden && g.to === 'side') {
        this.#flushBytes();
        g.hidden = false;
        g.to = up?.to ?? 'out';
        g.owner = up?.owner ?? null;
        this.#to = g.to !== 'out' ? g.owner : null;
      }
      return;
    }
    if (word === 'fftype' || word === 'ffres' || word === 'ffdefres') {
      const form = this.#groups.findLast((x) => x.form)?.form;
      if (!form) return;
      const n = Number(arg || '0');
      if (word === 'fftype') form.check = n === 1;
      else if (word === 'ffdefres') form.def = String(n);
      else {
        // The state: a check box's (0, 1; 25 is none: its default), a drop-down's entry (past the entries: its default).
        form.checked = n === 0 || n === 1 ? n === 1 : null;
        form.result = n;
      }
    } else if (RTF_BREAKS.has(word) && !this.#to) this.#lines?.text('\n');
  }

  /** The text of this group is kept for it (an instruction, an entry, a name), and read in the side view too. */
  #capture(g: RtfGroup): void {
    this.#flushBytes();
    g.to = 'cap';
    g.owner = g;
    this.#to = g;
  }

  #side$(g: RtfGroup): void {
    this.#flushBytes();
    g.to = 'side';
    g.owner = g;
    this.#to = g;
  }

  /** The innermost field open. */
  #field(): RtfField | null {
    return this.#groups.findLast((x) => x.field)?.field ?? null;
  }

  #rtfClose(): void {
    if (this.#groupsOver) {
      this.#groupsOver--;
      return;
    }
    this.#flushBytes();
    const g = this.#groups.pop();
    const up = this.#groups[this.#groups.length - 1];
    this.#to = up && up.to !== 'out' ? up.owner : null;
    if (!g || g.owner !== g || g.to !== 'cap') return;
    const text = g.cap;
    if (g.dest === 'fldinst') {
      const f = up?.field;
      if (!f) return;
      f.instr = text;
      const v = this.#lines!.field(text, f.form ?? undefined);
      if (v !== null) {
        // Evaluated: its text in its place, the instruction to the side view.
        if (text) this.#side += `${text}\n`;
        this.#chars(v);
        f.drop = true;
      } else if (this.#lines!.waiting) {
        // A fetch given again with its line once known (word-fields.ts): the instruction is not of that line.
        if (text) this.#side += `${text}\n`;
      } else if (text) this.#chars(text); // not evaluated: read where it stands, as before (`机{ 密 }★10年`)
      return;
    }
    if (text) this.#side += `${text}\n`;
    if (g.dest === 'ffl') {
      const form = this.#groups.findLast((x) => x.form)?.form;
      if (form && form.entries.length < MAX_RTF_ENTRIES) form.entries.push(text);
    } else if (g.dest === 'bkmkstart') this.#lines!.bookmarkStart(text.trim(), text.trim());
    else if (g.dest === 'bkmkend') this.#lines!.bookmarkEnd(text.trim());
    else if (up?.parts) {
      up.parts.push(text);
      if (up.parts.length === 2) this.#lines!.doc.set('variable', up.parts[0]!.trim(), up.parts[1]!);
    }
  }
}

const JSON_SINGLE: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function entity(body: string, whole: string): string {
  if (body[0] === '#') {
    const cp = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
  }
  const d = decodeHTML(`&${body};`);
  return d === `&${body};` ? whole : d;
}

/** A character of written text: not private use, a surrogate, or a code point of a plane nothing is written in. */
function written(cp: number): boolean {
  return (cp >= 0x80 && cp < 0xd800) || (cp >= 0xf900 && cp <= 0xffff) || (cp >= 0x1d400 && cp < 0x1d800) || (cp >= 0x1f000 && cp < 0x1fb00) || (cp >= 0x20000 && cp < 0x323b0);
}

/**
 * A numeric reference without its ';' takes every digit after it (HTML5, Python's html.unescape): an encoder
 * that wrote each non-ASCII character as `&#N` and left ASCII as it was ran ★ and the 10 after it together,
 * `&#973310` (U+EDA0E, private use), `&#x260510` (past U+10FFFF). When the whole reads as no written
 * character, it is read as the longest leading digits that make a BMP character (else a CJK one of planes
 * 2-3) and the digits after it: ★10 (red team 1 Dec (d) W7). A reference that reads as text is left as read.
 */
function unterminated(body: string, whole: string): string {
  const d = entity(body, whole);
  if (body[0] !== '#') return d;
  const hex = body[1] === 'x' || body[1] === 'X';
  const digits = body.slice(hex ? 2 : 1);
  if (written(parseInt(digits, hex ? 16 : 10))) return d;
  for (const bmp of [true, false]) {
    for (let k = digits.length - 1; k > 0; k--) {
      const cp = parseInt(digits.slice(0, k), hex ? 16 : 10);
      if (written(cp) && cp <= 0xffff === bmp) return String.fromCodePoint(cp) + digits.slice(k);
    }
  }
  return d;
}

/** The bytes of a run of lower-case quoted-printable (=e6) or rsyslog octal (#346) escapes. */
function runBytes(qp: string | undefined, oct: string | undefined): number[] {
  const out: number[] = [];
  if (qp !== undefined) for (let i = 1; i < qp.length; i += 3) out.push(parseInt(qp.substr(i, 2), 16));
  else for (let i = 1; i < oct!.length; i += 4) out.push(parseInt(oct!.substr(i, 3), 8));
  return out;
}

const GB_FATAL = new TextDecoder('gb18030', { fatal: true });

/**
 * The bytes of a run of byte escapes when they are text, else null: two bytes of 0x80 or over at least,
 * valid UTF-8, or four and valid GB18030. `a=ef`, `x=de=ad`, `id=12=34` in code and URLs, and `#345` (an
 * issue, a CSS colour) are not (red team 1 Dec (d) W5, W8).
 */
function byteRun(qp: string | undefined, oct: string | undefined): number[] | null {
  const bytes = runBytes(qp, oct);
  let high = 0;
  for (const b of bytes) if (b >= 0x80) high++;
  if (high < 2) return null;
  const buf = Buffer.from(bytes);
  if (isUtf8(buf)) return bytes;
  if (high < 4) return null;
  try {
    GB_FATAL.decode(buf);
    return bytes;
  } catch {
    return null;
  }
}

/** Charsets whose bytes the byte path reads (UTF-8, else GB18030, and Big5 beside): encoded words in them join. */
const BYTE_CHARSETS = /^(utf-?8|gb2312|gbk|gb18030|big5|us-ascii)(\*.*)?$/i;

function wordBytes(enc: string, data: string): Buffer {
  if (enc === 'b' || enc === 'B') return Buffer.from(data, 'base64');
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (c === '_') out.push(0x20);
    else if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(data.slice(i + 1, i + 3))) {
      out.push(parseInt(data.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(c.charCodeAt(0));
  }
  return Buffer.from(out);
}

function decodeCharset(charset: string, bytes: Buffer): string {
  const cs = charset.split('*')[0]!.toLowerCase();
  try {
    return new TextDecoder(cs === 'gb2312' || cs === 'gbk' ? 'gb18030' : cs).decode(bytes);
  } catch {
    return iconv.encodingExists(cs) ? iconv.decode(bytes, cs) : bytes.toString('utf8');
  }
}
