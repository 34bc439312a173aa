import { decodeHTML } from 'entities';
import { container, elementInfo, generatedText, hidesBox, invisible, parseDecls, placement, StyleSheet, type Decls, type ElementInfo, type Placement } from './css-shown.js';
import { formulaText } from '../documents/sheet-formula.js';
import { arrange, flatten, size, type Part } from './shown-order.js';
import { FieldLines, newFormField, symbolChar, type FieldDocument, type FormField } from '../decodings/word-fields.js';

// Markup as a reader sees it, where that differs from the order of its
// bytes: the text views (text-views.ts) remove tags and keep everything
// between them, so a ruby annotation, a hidden run, a deleted revision or a
// script between two characters splits what the page shows whole, and text
// reversed under a bidi override or reordered by CSS reads backwards. This
// reading, of HTML and XML alike (OOXML, ODF, SVG), streams through the
// tags once and gives the text as shown; the views keep reading every
// character in storage order, so what this drops is never unread:
//   dropped     ruby annotations (rt, rp, rtc; Word w:rt, ODF text:ruby-text),
//               script, style, template, noscript and other fallbacks, an
//               SVG's title and desc, the `hidden` attribute; what CSS hides
//               (css-shown.ts: style= and <style> rules alike); Word hidden
//               runs (w:vanish, w:specVanish), half-point or squeezed runs,
//               deleted text (w:delText), move sources (w:moveFrom), field
//               codes (w:instrText); Excel phonetic runs (rPh); ODF spans of
//               a style with text:display="none"
//   reversed    <bdo dir="rtl">, and unicode-bidi: bidi-override with rtl
//   reordered   by flex order and direction, grid placement, floats, absolute
//               positions, SVG text x/y, right-to-left rows (shown-order.ts)
//   added       ::before and ::after content
//   evaluated   Word symbols (w:sym), QUOTE, SYMBOL and EQ fields, legacy form
//               fields, and REF, DOCVARIABLE and SET from the document's own
//               bookmarks and variables (word-fields.ts; a field fetching what
//               comes later is given again, its line whole, at the end),
//               spreadsheet formulas (<f>, table:formula; sheet-formula.ts)
// Blocks (paragraphs, cells, rows) end with a line break. Boxes hold their
// text until they end, so it can be put in order; what all of them hold is
// bounded (MAX_HELD): past it, the outermost gives its text in the order
// known so far. Nesting past what is followed (elements, fields, formulas)
// is told to `onLimit`, for an inspection-limit finding.

/** A tag cut by a chunk's end is carried to the next up to this; an inline image or an SVG path may be long. */
const MAX_TAG = 256 * 1024;
const MAX_HELD = 64 * 1024;
const MAX_STACK = 256;
/** HTML elements whose end tag may be left out, with the open elements a new one ends (up to the nearest scope). */
const IMPLIED_END: Record<string, string[]> = {
  p: ['p'], li: ['li'], dt: ['dt', 'dd'], dd: ['dt', 'dd'], tr: ['tr', 'td', 'th'], td: ['td', 'th'], th: ['td', 'th'], option: ['option'],
};
const SCOPES = new Set(['ul', 'ol', 'dl', 'table', 'tbody', 'thead', 'tfoot', 'select', 'div', 'body', 'html', 'td', 'th', 'li', 'blockquote', 'section', 'article']);
const MAX_INSTR = 4096;
/** ODF form controls remembered at most. */
const MAX_CONTROLS = 10_000;
/** Word nests fields a few levels deep at most; past this the reading stops following them (and says so). */
const MAX_FIELDS = 64;

const TOKEN = /<!--[^]*?-->|<!\[CDATA\[|\]\]>|<(\/?)([A-Za-z_][\w:.-]*)((?:[^<>"']|"[^"]*"|'[^']*')*)>|<[!?][^<>]*>/g;
const ATTR = /([^\s=/"'<>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?/g;

const HIDDEN_TAGS = new Set([
  'rt', 'rp', 'rtc', 'script', 'style', 'template', 'noscript', 'noembed', 'noframes', 'datalist', 'canvas', 'video', 'audio', 'iframe',
  'w:deltext', 'w:delinstrtext', 'w:instrtext', 'w:rt', 'w:movefrom', 'rph', 'text:ruby-text', 'text:hidden-text', 'text:hidden-paragraph',
]);
/** Inside an SVG these are never drawn (a tooltip, a description, metadata). */
const SVG_UNDRAWN = new Set(['title', 'desc', 'metadata']);
/** Elements whose content is raw text up to their end tag (a `<` in a script is no tag). */
const RAW_TEXT = new Set(['script', 'style']);
const VOID = new Set(['br', 'img', 'meta', 'link', 'input', 'hr', 'wbr', 'source', 'area', 'base', 'col', 'embed', 'param', 'track']);
const BLOCK = new Set(['p', 'div', 'li', 'tr', 'td', 'th', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'section', 'article', 'table', 'ul', 'ol', 'w:p', 'w:tc', 'text:p', 'text:h', 'table:table-cell', 'row', 'c', 'si']);
/** Boxes whose children a style may reorder (floats, positions): their text is held until they end. */
const HOLDS = new Set([...BLOCK, 'html', 'body', 'svg', 'main', 'nav', 'header', 'footer', 'aside', 'form', 'dd', 'dt', 'blockquote', 'figure', 'label', 'button']);
/** Runs of text, and the run properties inside them: Word, SpreadsheetML rich text, DrawingML. */
const RUNS = new Set(['w:r', 'r', 'a:r']);
const RUN_PROPS = new Set(['w:rpr', 'rpr']);
/** Elements whose styling by a later sheet changes no text shown. */
const UNSEEN = new Set(['html', 'head', 'body', 'title', 'meta', 'link', 'base', 'style', 'script']);
const LINE_BLOCK = /^(?:block|list-item|inline-block|flow-root|table|table-cell|inline-table)$/;
const OVERRIDE = /(?:bidi-override|isolate-override)/;

interface Frame {
  name: string;
  el: ElementInfo;
  /** Hidden with all it holds (not undone by a descendant). */
  hard: boolean;
  /** Inherited visibility, colour and font size that hide text (a descendant may set them again). */
  inh: { visibility: boolean; color: boolean; tiny: boolean; white: boolean; backdrop: boolean };
  /** Word: a shading or highlight other than white in this paragraph's, cell's or run's properties. */
  shaded: boolean;
  /** Word: a run's properties give it white text. */
  whiteRun: boolean;
  hidden: boolean;
  reverse: boolean;
  box: { flex: boolean; grid: boolean; reversed: boolean };
  /** Its direction is right to left (inherited). */
  rtl: boolean;
  svg: boolean;
  /** Text its ::after rule adds at its end. */
  after: string | null;
  /** Where this box goes among its parent's items. */
  at: Placement | null;
  /** What this frame holds for reordering; null when it passes text on. */
  parts: Part[] | null;
  held: number;
  /** Some held part has a placement. */
  placed: boolean;
  /** For a frame that holds nothing but is placed: where its text starts in the holder's parts. */
  mark: { parts: Part[]; index: number } | null;
  /** Grid items without a column of their own, counted. */
  autos: number;
  /** A formula being read (<f>). */
  formula: string | null;
}

interface Field {
  instr: string;
  separated: boolean;
  /** Its result is replaced by the instruction's text. */
  drop: boolean;
  /** A legacy form field's state (w:ffData inside its begin). */
  form?: FormField;
}

const NO_INH = { visibility: false, color: false, tiny: false, white: false, backdrop: false };
const NO_BOX = { flex: false, grid: false, reversed: false };
const NO_DECLS: Decls = new Map();

export class MarkupReading {
  #carry = '';
  #stack: Frame[] = [];
  #fields: Field[] = [];
  /** Fields whose result is being dropped (separated, replaced by the instruction's text). */
  #dropping = 0;
  /** Field begins past MAX_FIELDS, not followed. */
  #fieldsOver = 0;
  #out: string[] = [];
  #held = 0;
  /** Inside a script or style: the end tag that ends it. */
  #rawEnd: RegExp | null = null;
  /** The text of the <style> being read. */
  #css: string | null = null;
  #sheet: StyleSheet;
  /** The sheet came whole from an earlier reading: <style> elements add nothing to it. */
  #frozen: boolean;
  /** Tags, ids and classes of the elements read so far. */
  #seen = new Set<string>();
  /** A style sheet came after elements its rules are for: a second reading with the whole sheet would show more. */
  late = false;
  /** The ::before content of the element being opened. */
  #pendingBefore: string | null = null;
  /** Stack depths at which a w:fldSimple whose result is replaced was opened. */
  #simpleFields: number[] = [];
  #odfHidden = new Set<string>();
  #odfStyle: string | null = null;
  #onLimit: (subkind: string, detail: string) => void;
  #lines: FieldLines;
  /** ODF form controls' text by id (office:forms comes before the text that draws them). */
  #controls = new Map<string, string>();
  /** The ODF list box or combo box whose options are being read. */
  #listId: string | null = null;

  /** `onLimit` hears of nesting past what the reading follows (a finding for the caller to make, never silence). */
  /** `sheet`: the style sheet of an earlier reading of the same text, applied from the first element on. */
  /** `fields`: what the fields of the document this text is a part of fetch (a docx's parts share one). */
  constructor(onLimit: (subkind: string, detail: string) => void = () => {}, sheet?: StyleSheet, fields?: FieldDocument) {
    this.#onLimit = onLimit;
    this.#lines = new FieldLines(fields);
    this.#sheet = sheet ?? new StyleSheet();
    this.#frozen = sheet !== undefined;
  }

  get sheet(): StyleSheet {
    return this.#sheet;
  }

  /** The reading of what is complete of carry + s (all of it when final). */
  push(s: string, final: boolean): string {
    let all = this.#carry + s;
    this.#carry = '';
    if (!final) {
      const lt = all.lastIndexOf('<');
      if (lt >= 0 && all.indexOf('>', lt) < 0) {
        if (all.length - lt <= MAX_TAG) {
          this.#carry = all.slice(lt);
          all = all.slice(0, lt);
        } else if (/^<[\w:.-]+\s[^>]*?\btable:formula\s*=/.test(all.slice(lt, lt + 4096))) {
          // Read as text from here: a formula this long is one no spreadsheet writes.
          this.#onLimit('formula-length', `a tag of more than ${MAX_TAG} characters with a formula was not evaluated`);
        }
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
          const cut = final ? all.length : Math.max(pos, all.length - 10);
          if (this.#css !== null) this.#css += all.slice(pos, cut);
          if (!final) this.#carry = all.slice(cut) + this.#carry;
          pos = all.length;
          break;
        }
        if (this.#css !== null && !this.#frozen) {
          const before = this.#sheet.empty;
          for (const k of this.#sheet.add(this.#css + all.slice(pos, end))) if (this.#seen.has(k)) this.late = true;
          this.#css = null;
          // The elements open now are counted as ancestors from the first rule on (the <style> itself is one of them).
          if (before && !this.#sheet.empty) for (const f of this.#stack) this.#sheet.enter(f.el);
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
    if (final) {
      while (this.#stack.length) this.#close();
      const fetched = this.#lines.finish();
      if (fetched) this.#out.push(`\n${fetched}`);
      const limit = this.#lines.doc.limit();
      if (limit) this.#onLimit('word-fields', limit);
    }
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
    if (top?.hidden || this.#dropping > 0) return;
    this.#lines.text(t);
    this.#put(this.#stack.length - 1, t);
  }

  /** A part to the nearest frame at or above `level` that holds, or out when none does. */
  #put(level: number, p: Part): void {
    for (let k = level; k >= 0; k--) {
      const f = this.#stack[k]!;
      if (!f.parts) continue;
      f.parts.push(p);
      const n = size(p);
      f.held += n;
      if (typeof p !== 'string' && p.at) f.placed = true;
      this.#held += n;
      if (this.#held > MAX_HELD) this.#release();
      return;
    }
    if (typeof p === 'string') this.#out.push(p);
    else flatten(p.kids, this.#out);
  }

  /** Past the bound, the outermost holding frame gives what it holds (in its order so far) and holds no more. */
  #release(): void {
    for (const f of this.#stack) {
      if (!f.parts) continue;
      flatten(arrange(f), this.#out);
      this.#held -= f.held;
      f.parts = null;
      f.held = 0;
      if (this.#held <= MAX_HELD) return;
    }
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
    // HTML lets these end tags be left out: the next one of the kind ends the one before.
    const implied = IMPLIED_END[name];
    if (implied) {
      let end = -1;
      for (let k = this.#stack.length - 1; k >= 0; k--) {
        const open = this.#stack[k]!.name;
        if (implied.includes(open)) end = k;
        else if (SCOPES.has(open)) break;
      }
      if (end >= 0) while (this.#stack.length > end) this.#close();
    }
    if (this.#stack.length >= MAX_STACK) {
      // Not followed deeper, and not shown either: what hides among such nesting is dropped with it (no finding:
      // text with a `<` in it, source code above all, opens "elements" it never closes). The views read it all.
      this.#stack[this.#stack.length - 1]!.hidden = true;
      return;
    }
    const f = this.#frame(name, a, parent);
    this.#stack.push(f);
    // What a later sheet could restyle: elements of the document's body (the head's title, meta and links show nothing to restyle).
    if (!UNSEEN.has(name) && !this.#stack.some((o) => o.name === 'head')) {
      if (!this.#seen.size) this.#seen.add('*');
      for (const k of f.el.keys) this.#seen.add(k);
    }
    if (this.#pendingBefore !== null) {
      const before = generatedText(this.#pendingBefore, f.el.attrs);
      this.#pendingBefore = null;
      if (before) this.#emit(before);
    }
    if (!this.#sheet.empty) this.#sheet.enter(f.el);
    if (RAW_TEXT.has(name)) {
      this.#rawEnd = name === 'script' ? /<\/script/gi : /<\/style/gi;
      if (name === 'style') this.#css = '';
    }
  }

  #frame(name: string, a: Map<string, string>, parent: Frame | undefined): Frame {
    const el = elementInfo(name, a);
    const style = a.get('style');
    const inline = style ? parseDecls(style) : NO_DECLS;
    const d = this.#sheet.empty ? inline : this.#sheet.computed(el, this.#stack, inline);
    this.#pendingBefore = d.get('::before') ?? null;
    const n = this.#stack.length;
    const svg = (parent?.svg ?? false) || name === 'svg';
    const styleName = a.get('text:style-name');
    const hard =
      (parent?.hard ?? false) ||
      HIDDEN_TAGS.has(name) ||
      (name === 'option' && !a.has('selected') && !this.#stack.findLast((f) => f.name === 'select')?.el.attrs.has('multiple')) ||
      a.has('hidden') ||
      (svg && SVG_UNDRAWN.has(name)) ||
      hidesBox(d) ||
      (styleName !== undefined && this.#odfHidden.has(styleName));
    const up = parent?.inh ?? NO_INH;
    const own = d.size ? invisible(d) : null;
    const inh =
      own && (own.visibility !== undefined || own.color !== undefined || own.tiny !== undefined || own.white !== undefined || own.backdrop !== undefined)
        ? { visibility: own.visibility ?? up.visibility, color: own.color ?? up.color, tiny: own.tiny ?? up.tiny, white: own.white ?? up.white, backdrop: own.backdrop ?? up.backdrop }
        : up;
    const hidden = hard || inh.visibility || inh.color || inh.tiny || (inh.white && !inh.backdrop);
    const dir = a.get('dir')?.toLowerCase();
    // In SVG, `direction` and `unicode-bidi` are presentation attributes too (a style overrides them; review14:
    // `<text direction="rtl" unicode-bidi="bidi-override">年01★密机</text>`, shown 机密★10年, crossed).
    const bidi = d.get('unicode-bidi') ?? (svg ? a.get('unicode-bidi') : undefined);
    const direction = d.get('direction') ?? (svg ? a.get('direction')?.trim().toLowerCase() : undefined);
    const reverse = (name === 'bdo' && dir === 'rtl') || (OVERRIDE.test(bidi ?? '') && (direction === 'rtl' || dir === 'rtl'));
    const ownDir = dir === 'rtl' || dir === 'ltr' ? dir : d.get('direction');
    const rtl = ownDir === 'rtl' ? true : ownDir === 'ltr' ? false : (parent?.rtl ?? false);
    const box = d.size || rtl ? container(d, rtl, name === 'tr') : NO_BOX;
    const pbox = parent?.box ?? NO_BOX;
    let at = d.size || pbox.grid ? placement(d, pbox, () => (parent ? ++parent.autos : 0)) : null;
    if (!at && parent?.svg && (name === 'text' || name === 'tspan') && a.has('x')) {
      // SVG text is drawn where its x and y say, whatever the order of the elements.
      at = { kind: 'position', top: Number.parseFloat(a.get('y') ?? '0') || 0, left: Number.parseFloat(a.get('x')!) || 0 };
    }
    const holds = !hidden && (reverse || box.flex || box.grid || HOLDS.has(name) || LINE_BLOCK.test(d.get('display') ?? ''));
    let mark: Frame['mark'] = null;
    if (at && !holds) {
      for (let k = n - 1; k >= 0; k--) {
        const parts = this.#stack[k]!.parts;
        if (!parts) continue;
        mark = { parts, index: parts.length };
        break;
      }
    }
    const after = d.get('::after');
    return { name, el, hard, inh, shaded: false, whiteRun: false, hidden, reverse, box, rtl, svg, after: after === undefined ? null : generatedText(after, a), at, parts: holds ? [] : null, held: 0, placed: false, mark, autos: 0, formula: name === 'f' && parent?.name === 'c' ? '' : null };
  }

  /** Elements that say something of their own: symbols, fields, styles, formulas in attributes. */
  #special(name: string, a: Map<string, string>, empty: boolean): void {
    switch (name) {
      case 'w:vanish':
      case 'w:specvanish':
        if (!off(a.get('w:val'))) this.#hideRun();
        return;
      case 'w:sz':
      case 'w:w': {
        // Text of half a point, or squeezed to a few per cent of its width, is not read on the page.
        const v = Number(a.get('w:val'));
        if (Number.isFinite(v) && v > 0 && v <= (name === 'w:sz' ? 2 : 10)) this.#hideRun();
        return;
      }
      case 'sz': {
        // A SpreadsheetML rich-text run (a shared string's r > rPr > sz) of a point or less.
        const v = Number(a.get('val'));
        if (Number.isFinite(v) && v > 0 && v <= 1) this.#hideRun();
        return;
      }
      case 'a:rpr': {
        // DrawingML (slides, shapes, charts): sz in hundredths of a point.
        const v = Number(a.get('sz'));
        if (Number.isFinite(v) && v > 0 && v <= 200) this.#hideRun();
        return;
      }
      case 'color':
        if (/^(?:ff)?ffffff$/i.test(a.get('rgb') ?? '') && this.#top()?.name === 'rpr') this.#top()!.whiteRun = true;
        return;
      case 'w:color':
        // White text on the page's white: decided when the run's properties end (a shading may follow).
        if (/^(?:ffffff|fffffe)$/i.test(a.get('w:val') ?? '') && this.#top()?.name === 'w:rpr') this.#top()!.whiteRun = true;
        return;
      case 'w:shd':
      case 'w:highlight': {
        const fill = (name === 'w:shd' ? a.get('w:fill') : a.get('w:val'))?.toLowerCase() ?? 'auto';
        if (/^(?:auto|ffffff|white|none)$/.test(fill)) return;
        // A run's own shading, or a paragraph's or cell's (their properties come before their text).
        const top = this.#top();
        const owner = top?.name === 'w:rpr' ? top : top?.name === 'w:ppr' || top?.name === 'w:tcpr' ? this.#stack[this.#stack.length - 2] : undefined;
        if (owner) owner.shaded = true;
        return;
      }
      case 'w:sym': {
        const code = parseInt(a.get('w:char') ?? '', 16);
        if (Number.isFinite(code)) this.#emit(symbolChar(a.get('w:font') ?? '', code));
        return;
      }
      case 'w:bookmarkstart':
        this.#lines.bookmarkStart(a.get('w:id') ?? '', a.get('w:name') ?? '');
        return;
      case 'w:bookmarkend':
        this.#lines.bookmarkEnd(a.get('w:id') ?? '');
        return;
      case 'w:fldsimple': {
        const v = this.#lines.field(a.get('w:instr') ?? '');
        if (v !== null) {
          this.#emit(v);
          if (empty) return;
          // Its result (the runs inside) is what the last update wrote; the instruction says what it is.
          this.#pushField({ instr: '', separated: true, drop: true });
          this.#simpleFields.push(this.#stack.length);
        }
        return;
      }
      case 'w:ffdata':
      case 'w:checkbox':
      case 'w:checked':
      case 'w:default':
      case 'w:result':
      case 'w:listentry': {
        // A legacy form field's state, inside the begin of the field it belongs to (word-fields.ts).
        const f = this.#fieldsOver > 0 ? undefined : this.#fields[this.#fields.length - 1];
        if (!f || f.separated) return;
        if (name === 'w:ffdata') f.form = newFormField();
        const form = f.form;
        if (!form) return;
        const val = a.get('w:val');
        if (name === 'w:checkbox') form.check = true;
        else if (name === 'w:checked') form.checked = !off(val);
        else if (name === 'w:default') form.def = val ?? null;
        else if (name === 'w:result') form.result = val !== undefined && /^\d+$/.test(val) ? Number(val) : null;
        else if (name === 'w:listentry' && val !== undefined) form.entries.push(val);
        return;
      }
      case 'w:fldchar': {
        const type = a.get('w:fldchartype');
        if (type === 'begin') this.#pushField({ instr: '', separated: false, drop: false });
        else if (type === 'separate' || type === 'end') {
          if (this.#fieldsOver > 0) {
            if (type === 'end') this.#fieldsOver--;
            return;
          }
          const f = this.#fields[this.#fields.length - 1];
          if (!f) return;
          if (!f.separated) {
            const v = this.#lines.field(f.instr, f.form);
            if (v !== null) {
              this.#emitField(v);
              f.drop = true;
            }
            f.separated = true;
            if (f.drop) this.#dropping++;
          }
          if (type === 'end') this.#popField();
        }
        return;
      }
      case 'input': {
        // What a form control shows (seventh red team of 1 Dec, R6): a box ticked or not, a text box's value.
        const type = (a.get('type') ?? 'text').toLowerCase();
        if (type === 'checkbox' || type === 'radio') this.#emit(a.has('checked') ? '☑' : '☐');
        else if (/^(?:text|search|tel|email|url|number)$/.test(type) && a.get('value')) this.#emit(a.get('value')!);
        return;
      }
      case 'option':
        // A list box's entries, the chosen ones ticked (`<option selected>机密` is ☑机密); a drop-down shows only its choice (#frame).
        if (this.#stack.findLast((f) => f.name === 'select')?.el.attrs.has('multiple')) this.#emit(a.has('selected') ? ' ☑' : ' ☐');
        else this.#emit(' ');
        return;
      case 'form:checkbox':
      case 'form:radio': {
        // ODF: the control is defined in office:forms and drawn where a draw:control names it, its label beside its box.
        const state = name === 'form:checkbox' ? (a.get('form:current-state') ?? a.get('form:state')) === 'checked' : (a.get('form:current-selected') ?? a.get('form:selected')) === 'true';
        this.#control(controlId(a), `${state ? '☑' : '☐'}${a.get('form:label') ?? ''}`);
        return;
      }
      case 'form:listbox':
      case 'form:combobox':
      case 'form:text':
        this.#listId = this.#control(controlId(a), a.get('form:current-value') ?? a.get('form:value') ?? '');
        return;
      case 'form:option':
        if (this.#listId !== null) {
          const selected = (a.get('form:current-selected') ?? a.get('form:selected')) === 'true';
          // A drop-down list shows its choice (none chosen: nothing).
          if (selected) this.#control(this.#listId, `${this.#controls.get(this.#listId) ?? ''} ${a.get('form:label') ?? a.get('form:value') ?? ''}`);
        }
        return;
      case 'draw:control': {
        const v = this.#controls.get(a.get('draw:control') ?? '');
        if (v) this.#emit(v);
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
        if (formula !== undefined) this.#emit(`\n${this.#formula(formula)}\n`);
      }
    }
  }

  /** A run property that hides the run: w:r > w:rPr > (this), not a paragraph mark's w:pPr > w:rPr. */
  #hideRun(): void {
    const n = this.#stack.length;
    const top = this.#stack[n - 1];
    const up = this.#stack[n - 2];
    const hide = (fs: Frame[]): void => {
      for (const f of fs) {
        f.hard = f.hidden = true;
        f.parts = null;
      }
    };
    if (top && up && RUN_PROPS.has(top.name) && RUNS.has(up.name)) hide([up, top]);
    // DrawingML's a:rPr says it in its attributes, read before it opens: the run is on top.
    else if (top?.name === 'a:r') hide([top]);
  }

  #pushField(f: Field): void {
    if (this.#fieldsOver > 0 || this.#fields.length >= MAX_FIELDS) {
      if (this.#fieldsOver++ === 0) this.#onLimit('decode-depth', `Word fields nested deeper than ${MAX_FIELDS} levels; the markup reading did not follow them`);
      return;
    }
    this.#fields.push(f);
    if (f.separated && f.drop) this.#dropping++;
  }

  #popField(): void {
    const f = this.#fields.pop();
    if (f && f.separated && f.drop) this.#dropping--;
  }

  #formula(f: string): string {
    return formulaText(f, this.#onLimit);
  }

  /** Field text is shown whatever the field stack says of results around it. */
  #emitField(v: string): void {
    const top = this.#stack[this.#stack.length - 1];
    if (top?.hidden) return;
    this.#lines.text(v);
    this.#put(this.#stack.length - 1, v);
  }

  /** Remembers an ODF control's text by its id; the id, or null when it has none or too many are known. */
  #control(id: string | undefined, text: string): string | null {
    if (id === undefined || (this.#controls.size >= MAX_CONTROLS && !this.#controls.has(id))) return null;
    this.#controls.set(id, text.slice(0, MAX_INSTR));
    return id;
  }

  #top(): Frame | undefined {
    return this.#stack[this.#stack.length - 1];
  }

  #close(): void {
    const last = this.#stack[this.#stack.length - 1];
    if (last?.after) this.#emit(last.after);
    if (last?.whiteRun && !last.shaded && !this.#stack.some((f) => f.shaded)) this.#hideRun();
    const f = this.#stack.pop()!;
    if (!this.#sheet.empty) this.#sheet.leave(f.el);
    const depth = this.#stack.length;
    if (f.name === 'w:fldsimple' && this.#simpleFields[this.#simpleFields.length - 1] === depth) {
      this.#simpleFields.pop();
      if (this.#fieldsOver > 0) this.#fieldsOver--;
      else this.#popField();
    }
    if (f.formula !== null && !f.hidden) {
      const v = this.#formula(f.formula);
      if (v) this.#put(depth - 1, `\n${v}\n`);
    }
    if (f.parts) {
      let kids = arrange(f);
      if (f.reverse) {
        const out: string[] = [];
        flatten(kids, out);
        kids = [[...out.join('')].reverse().join('')];
      }
      this.#held -= f.held;
      this.#put(depth - 1, { at: f.at, kids, len: f.held });
    } else if (f.at && f.mark && !f.hidden) {
      // A placed box that held nothing itself: its parts since it opened become one placed part.
      const holder = this.#stack.findLast((h) => h.parts !== null);
      if (holder && holder.parts === f.mark.parts && holder.parts.length >= f.mark.index) {
        const kids = holder.parts.splice(f.mark.index);
        const len = kids.reduce((n, p) => n + size(p), 0);
        holder.parts.push({ at: f.at, kids, len });
        holder.placed = true;
      }
    }
    if (BLOCK.has(f.name) && !f.hidden) {
      this.#lines.text('\n');
      this.#put(depth - 1, '\n');
    }
  }
}

export function attrs(s: string): Map<string, string> {
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

/** An ODF form control's id, as a draw:control names it (form:id, or xml:id since ODF 1.2). */
function controlId(a: Map<string, string>): string | undefined {
  return a.get('form:id') ?? a.get('xml:id');
}

function off(v: string | undefined): boolean {
  return v !== undefined && /^(0|false|off)$/i.test(v);
}

/**
 * Markup this reading reads differently from the views: only then is it run (plain text, CSV, JSON and logs never).
 * A Word bookmark starts it (a REF further on shows its text) but for the empty `_GoBack` every Word saves.
 */
export const MARKUP_TRIGGER = /<(?:rt|rp|rtc|bdo|script|style|template|noscript|noembed|noframes|datalist|canvas|video|audio|iframe|svg|w:vanish|w:specVanish|w:del|w:delText|w:moveFrom|w:instrText|w:sym|w:fldSimple|w:fldChar|f|rPh|style:text-properties|text:ruby|text:hidden)\b|<w:(?:sz|w) w:val="(?:[0-9]|10)"|<w:color w:val="(?:FFFFFF|FFFFFE)"|<sz val="[01](?:\.\d+)?"|<color rgb="(?:FF)?FFFFFF"|<a:rPr\s[^>]*\bsz="(?:\d{1,2}|1\d\d|200)"|<[A-Za-z][^<>]{0,1024}?\s(?:style|hidden|dir|table:formula)\b|<w:bookmarkStart\b(?![^<>]*"_GoBack"\/><w:bookmarkEnd\b)|<input\b[^<>]*\b(?:checked|value)\b|<option\b[^<>]*\bselected\b|<draw:control\b/i;
