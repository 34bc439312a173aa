import { decodeHTML } from 'entities';
import { formulaText } from './sheet-formula.js';
import { fieldText, symbolChar } from './word-fields.js';

// Markup as a reader sees it, where that differs from the order of its
// bytes: the text views (text-views.ts) remove tags and keep everything
// between them, so a ruby annotation, a hidden run, a deleted revision or a
// script between two characters splits what the page shows whole, and text
// reversed under a bidi override or reordered by CSS reads backwards. This
// reading, of HTML and XML alike (OOXML, ODF, SVG), streams through the
// tags once and gives the base text:
//   dropped     ruby annotations (rt, rp, rtc; Word w:rt, ODF text:ruby-text),
//               script, style, template, the `hidden` attribute, CSS
//               display:none, visibility:hidden, font-size:0, opacity:0;
//               Word hidden runs (w:vanish), deleted text (w:delText), field
//               codes (w:instrText); Excel phonetic runs (rPh); ODF spans of
//               a style with text:display="none"
//   reversed    <bdo dir="rtl">, and unicode-bidi: bidi-override with rtl
//   reordered   children of a flex or grid container by their CSS `order`
//   evaluated   Word symbols (w:sym) and QUOTE/SYMBOL fields (word-fields.ts),
//               spreadsheet formulas (<f>, table:formula; sheet-formula.ts)
// Blocks (paragraphs, cells, rows) end with a line break. What a container
// holds for reversing or reordering is bounded (MAX_HELD): past it, the rest
// is read in storage order, which the views read anyway.

const MAX_TAG = 4096;
const MAX_HELD = 64 * 1024;
const MAX_STACK = 256;
const MAX_INSTR = 4096;

const TOKEN = /<!--[^]*?-->|<!\[CDATA\[|\]\]>|<(\/?)([A-Za-z_][\w:.-]*)((?:[^<>"']|"[^"]*"|'[^']*')*)>|<[!?][^<>]*>/g;
const ATTR = /([^\s=/"'<>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?/g;

const HIDDEN_TAGS = new Set(['rt', 'rp', 'rtc', 'script', 'style', 'template', 'w:deltext', 'w:delinstrtext', 'w:instrtext', 'w:rt', 'rph', 'text:ruby-text', 'text:hidden-text', 'text:hidden-paragraph']);
/** Elements whose content is raw text up to their end tag (a `<` in a script is no tag). */
const RAW_TEXT = new Set(['script', 'style']);
const VOID = new Set(['br', 'img', 'meta', 'link', 'input', 'hr', 'wbr', 'source', 'area', 'base', 'col', 'embed', 'param', 'track']);
const BLOCK = new Set(['p', 'div', 'li', 'tr', 'td', 'th', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'section', 'article', 'table', 'ul', 'ol', 'w:p', 'w:tc', 'text:p', 'text:h', 'table:table-cell', 'row', 'c', 'si']);

const HIDDEN_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:\.0*)?(?:px|pt|em|rem|%)?\s*(?:!important\s*)?(?:;|$)|opacity\s*:\s*0(?:\.0*)?\s*(?:;|$))/i;
const OVERRIDE = /unicode-bidi\s*:\s*(?:bidi-override|isolate-override)/i;
const RTL = /direction\s*:\s*rtl/i;
const FLEX = /display\s*:\s*(?:inline-)?(?:flex|grid)/i;
const ORDER = /(?:^|;)\s*order\s*:\s*(-?\d{1,6})/i;

interface Part {
  order: number;
  seq: number;
  text: string;
}

interface Frame {
  name: string;
  hidden: boolean;
  reverse: boolean;
  flex: boolean;
  /** CSS order, when the parent is a flex container. */
  order: number | null;
  /** What this frame holds for reversing or reordering; null when it passes text on. */
  parts: Part[] | null;
  held: number;
  /** A formula being read (<f>). */
  formula: string | null;
}

interface Field {
  instr: string;
  separated: boolean;
  /** Its result is replaced by the instruction's text. */
  drop: boolean;
}

export class MarkupReading {
  #carry = '';
  #stack: Frame[] = [];
  #fields: Field[] = [];
  #out: string[] = [];
  #seq = 0;
  /** Inside a script or style: the end tag that ends it. */
  #rawEnd: RegExp | null = null;
  /** Stack depths at which a w:fldSimple whose result is replaced was opened. */
  #simpleFields: number[] = [];
  #odfHidden = new Set<string>();
  #odfStyle: string | null = null;

  /** The reading of what is complete of carry + s (all of it when final). */
  push(s: string, final: boolean): string {
    let all = this.#carry + s;
    this.#carry = '';
    if (!final) {
      const lt = all.lastIndexOf('<');
      if (lt >= 0 && all.indexOf('>', lt) < 0 && all.length - lt <= MAX_TAG) {
        this.#carry = all.slice(lt);
        all = all.slice(0, lt);
      }
    }
    let pos = 0;
    while (pos < all.length) {
      if (this.#rawEnd !== null) {
        this.#rawEnd.lastIndex = pos;
        const found = this.#rawEnd.exec(all);
        const end = found ? found.index : -1;
        if (end < 0) {
          // Keep enough to see the end tag cut by the chunk's end.
          if (!final) this.#carry = all.slice(Math.max(pos, all.length - 10)) + this.#carry;
          pos = all.length;
          break;
        }
        pos = end;
        this.#rawEnd = null;
      }
      TOKEN.lastIndex = pos;
      const m = TOKEN.exec(all);
      if (!m) {
        this.#text(all.slice(pos));
        break;
      }
      if (m.index > pos) this.#text(all.slice(pos, m.index));
      pos = m.index + m[0].length;
      if (m[2] !== undefined) this.#tag(m[1] === '/', m[2].toLowerCase(), m[3] ?? '', m[0].endsWith('/>'));
    }
    if (final) while (this.#stack.length) this.#close();
    const out = this.#out.join('');
    this.#out = [];
    return out;
  }

  #text(raw: string): void {
    if (!raw) return;
    const t = raw.indexOf('&') >= 0 ? decodeHTML(raw) : raw;
    const top = this.#stack[this.#stack.length - 1];
    if (top?.formula != null) {
      if (top.formula.length < MAX_INSTR) top.formula += t;
      return;
    }
    if (top?.name === 'w:instrtext') {
      const f = this.#fields[this.#fields.length - 1];
      if (f && f.instr.length < MAX_INSTR) f.instr += t;
      return;
    }
    this.#emit(t);
  }

  /** Text as shown at this point: dropped when hidden or replaced by a field's text, else to the nearest holding frame. */
  #emit(t: string): void {
    const top = this.#stack[this.#stack.length - 1];
    if (top?.hidden) return;
    if (this.#fields.some((f) => f.drop && f.separated)) return;
    this.#emitTo(this.#stack.length - 1, t);
  }

  #emitTo(level: number, t: string): void {
    for (let k = level; k >= 0; k--) {
      const f = this.#stack[k]!;
      if (!f.parts) continue;
      f.parts.push({ order: 0, seq: this.#seq++, text: t });
      f.held += t.length;
      if (f.held > MAX_HELD) this.#release(f);
      return;
    }
    this.#out.push(t);
  }

  /** A holding frame past its bound: what it held goes on in storage order, and it holds no more. */
  #release(f: Frame): void {
    const parts = f.parts!;
    f.parts = null;
    f.reverse = false;
    f.flex = false;
    const level = this.#stack.indexOf(f);
    this.#emitTo(level - 1, parts.map((p) => p.text).join(''));
  }

  #tag(closing: boolean, name: string, attrText: string, selfClosing: boolean): void {
    if (closing) {
      for (let k = this.#stack.length - 1; k >= 0; k--) {
        if (this.#stack[k]!.name !== name) continue;
        while (this.#stack.length > k) this.#close();
        break;
      }
      return;
    }
    const a = attrs(attrText);
    this.#special(name, a, selfClosing || VOID.has(name));
    if (name === 'br') this.#emit('\n');
    if (VOID.has(name) || selfClosing) return;
    const parent = this.#stack[this.#stack.length - 1];
    // An rt or rp ends the one before it (HTML lets their end tags be left out).
    if ((name === 'rt' || name === 'rp') && (parent?.name === 'rt' || parent?.name === 'rp')) {
      this.#close();
      return this.#tag(false, name, attrText, selfClosing);
    }
    if (this.#stack.length >= MAX_STACK) return;
    const style = a.get('style') ?? '';
    const styleName = a.get('text:style-name');
    const hidden =
      (parent?.hidden ?? false) ||
      HIDDEN_TAGS.has(name) ||
      a.has('hidden') ||
      (style !== '' && HIDDEN_STYLE.test(style)) ||
      (styleName !== undefined && this.#odfHidden.has(styleName));
    const reverse = (name === 'bdo' && a.get('dir')?.toLowerCase() === 'rtl') || (OVERRIDE.test(style) && (RTL.test(style) || a.get('dir')?.toLowerCase() === 'rtl'));
    const flex = FLEX.test(style);
    const om = parent?.flex && parent.parts ? ORDER.exec(style) : null;
    const order = om ? Number(om[1]) : null;
    const holds = reverse || flex || order !== null;
    this.#stack.push({ name, hidden, reverse, flex, order, parts: holds ? [] : null, held: 0, formula: name === 'f' ? '' : null });
    if (RAW_TEXT.has(name)) this.#rawEnd = name === 'script' ? /<\/script/gi : /<\/style/gi;
  }

  /** Elements that say something of their own: symbols, fields, styles, formulas in attributes. */
  #special(name: string, a: Map<string, string>, empty: boolean): void {
    switch (name) {
      case 'w:vanish': {
        // A hidden run: w:r > w:rPr > w:vanish (not a paragraph mark's w:pPr > w:rPr).
        const n = this.#stack.length;
        if (!off(a.get('w:val')) && this.#stack[n - 1]?.name === 'w:rpr' && this.#stack[n - 2]?.name === 'w:r') {
          this.#stack[n - 2]!.hidden = true;
          this.#stack[n - 1]!.hidden = true;
        }
        return;
      }
      case 'w:sym': {
        const code = parseInt(a.get('w:char') ?? '', 16);
        if (Number.isFinite(code)) this.#emit(symbolChar(a.get('w:font') ?? '', code));
        return;
      }
      case 'w:fldsimple': {
        const v = fieldText(a.get('w:instr') ?? '');
        if (v !== null) {
          this.#emit(v);
          if (empty) return;
          // Its result (the runs inside) is what the last update wrote; the instruction says what it is.
          this.#fields.push({ instr: '', separated: true, drop: true });
          this.#simpleFields.push(this.#stack.length);
        }
        return;
      }
      case 'w:fldchar': {
        const type = a.get('w:fldchartype');
        if (type === 'begin') this.#fields.push({ instr: '', separated: false, drop: false });
        else if (type === 'separate' || type === 'end') {
          const f = this.#fields[this.#fields.length - 1];
          if (!f) return;
          if (!f.separated) {
            const v = fieldText(f.instr);
            if (v !== null) {
              this.#emitField(v);
              f.drop = true;
            }
            f.separated = true;
          }
          if (type === 'end') this.#fields.pop();
        }
        return;
      }
      case 'style:style':
        this.#odfStyle = a.get('style:name') ?? null;
        return;
      case 'style:text-properties':
        if (this.#odfStyle !== null && a.get('text:display') === 'none') this.#odfHidden.add(this.#odfStyle);
        return;
      default: {
        const formula = a.get('table:formula');
        if (formula !== undefined) this.#emit(`\n${formulaText(formula)}\n`);
      }
    }
  }

  /** Field text is shown whatever the field stack says of results around it. */
  #emitField(v: string): void {
    const top = this.#stack[this.#stack.length - 1];
    if (!top?.hidden) this.#emitTo(this.#stack.length - 1, v);
  }

  #close(): void {
    const f = this.#stack.pop()!;
    const depth = this.#stack.length;
    if (f.name === 'w:fldsimple' && this.#simpleFields[this.#simpleFields.length - 1] === depth) {
      this.#simpleFields.pop();
      this.#fields.pop();
    }
    if (f.formula !== null && !f.hidden) {
      const v = formulaText(f.formula);
      if (v) this.#emitTo(depth - 1, `\n${v}\n`);
    }
    if (f.parts) {
      const parts = f.flex ? [...f.parts].sort((x, y) => x.order - y.order || x.seq - y.seq) : f.parts;
      let t = parts.map((p) => p.text).join('');
      if (f.reverse) t = [...t].reverse().join('');
      const parent = this.#stack[depth - 1];
      if (f.order !== null && parent?.parts) {
        parent.parts.push({ order: f.order, seq: this.#seq++, text: t });
        parent.held += t.length;
        if (parent.held > MAX_HELD) this.#release(parent);
      } else this.#emitTo(depth - 1, t);
    }
    if (BLOCK.has(f.name) && !f.hidden) this.#emitTo(depth - 1, '\n');
  }
}

function attrs(s: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!s) return out;
  ATTR.lastIndex = 0;
  for (let m = ATTR.exec(s); m; m = ATTR.exec(s)) {
    let v = m[2] ?? '';
    if (v.startsWith('"') || v.startsWith("'")) v = v.slice(1, -1);
    out.set(m[1]!.toLowerCase(), v.indexOf('&') >= 0 ? decodeHTML(v) : v);
  }
  return out;
}

function off(v: string | undefined): boolean {
  return v !== undefined && /^(0|false|off)$/i.test(v);
}

/** Markup this reading reads differently from the views: only then is it run (plain text, CSV, JSON and logs never). */
export const MARKUP_TRIGGER = /<(?:rt|rp|rtc|bdo|script|style|template|w:vanish|w:del|w:delText|w:instrText|w:sym|w:fldSimple|w:fldChar|f|rPh|style:text-properties|text:ruby|text:hidden)\b|<[A-Za-z][^<>]{0,1024}?\s(?:style|hidden|dir|table:formula)\b/i;
