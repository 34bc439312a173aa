// What CSS does to the text a person sees, for the markup reading
// (markup-reading.ts): a style sheet's rules matched to elements (type,
// class, id and attribute selectors, with descendant and child
// combinators), the cascade by specificity and order, inline styles last,
// and of the result only what hides text or moves it:
//   hides       display:none, visibility:hidden|collapse, opacity:0, a font
//               under 2px, a transparent colour, scale(0), zero width or
//               height with overflow hidden, clipped away, or placed 999px
//               or more off its place (left, right, top, margins, text-indent)
//   moves       flex containers (order, row-reverse, column-reverse, rtl),
//               grid placement (grid-row, grid-column, grid-area), floats,
//               absolutely positioned boxes (left, top)
// What this cannot resolve is still read: pseudo-classes and sibling
// combinators count as matching (a rule that hides under :hover hides here),
// and @media blocks apply whatever the medium. Reading more text as hidden
// than a browser would only joins what it shows around it; the views read
// every character in storage order besides.

const MAX_SHEET = 1 << 20;
const MAX_RULES = 20_000;
const MAX_MATCH_STEPS = 2_000;
const MAX_CACHE = 4096;

/** The properties this reading acts on; every other is ignored when parsing. */
const WANTED = /^(?:display|visibility|opacity|font-size|font|color|-webkit-text-fill-color|transform|width|height|max-width|max-height|overflow|overflow-x|overflow-y|clip|clip-path|left|right|top|margin-left|margin-top|text-indent|position|order|flex-direction|flex-flow|direction|unicode-bidi|float|grid-row|grid-row-start|grid-column|grid-column-start|grid-area|content-visibility|filter|background|background-color|background-image)$/;

export type Decls = Map<string, string>;

export interface ElementInfo {
  name: string;
  id: string | undefined;
  classes: string[];
  attrs: Map<string, string>;
  /** Its tag, `#id` and `.class`es, as rules are indexed by. */
  keys: string[];
}

export function elementInfo(name: string, attrs: Map<string, string>): ElementInfo {
  const id = attrs.get('id');
  const cls = attrs.get('class');
  const classes = cls ? cls.split(/\s+/).filter(Boolean) : [];
  const keys = [name];
  if (id) keys.push(`#${id}`);
  for (const c of classes) keys.push(`.${c}`);
  return { name, id, classes, attrs, keys };
}

interface Compound {
  tag: string | null;
  id: string | null;
  classes: string[];
  attrs: Array<{ name: string; value: string | null }>;
}

interface Rule {
  /** Compounds right to left, each with the combinator to the next one leftwards (' ' or '>'). */
  chain: Array<{ c: Compound; comb: string }>;
  /** A tag, id or class each ancestor compound needs: when one is on no open element, the rule cannot match. */
  needs: string[];
  spec: number;
  order: number;
  decls: Decls;
}

/** The declarations of a style attribute or rule body this reading acts on. */
export function parseDecls(s: string): Decls {
  const out: Decls = new Map();
  for (const d of s.split(';')) {
    const colon = d.indexOf(':');
    if (colon < 0) continue;
    const prop = d.slice(0, colon).trim().toLowerCase();
    if (prop === 'content') {
      // Generated text keeps its case (and its escapes, read by generatedText).
      out.set(prop, d.slice(colon + 1).replace(/!\s*important/i, '').trim());
      continue;
    }
    if (!WANTED.test(prop)) continue;
    out.set(prop, d.slice(colon + 1).replace(/!\s*important/i, '').trim().toLowerCase());
  }
  return out;
}

export class StyleSheet {
  #index = new Map<string, Rule[]>();
  /** The rules of one compound that match an element of a given tag, id, classes and attributes. */
  #cache = new Map<string, Rule[] & { sorted?: boolean }>();
  /** Attribute names some selector asks for. */
  #attrNames = new Set<string>();
  /** Some rule has more than one compound (asks for ancestors). */
  #deep = false;
  /** How many open elements carry each tag, id and class (a rule's ancestors are looked for only when all are there). */
  #present = new Map<string, number>();
  #rules = 0;
  #order = 0;
  #size = 0;

  get empty(): boolean {
    return this.#rules === 0;
  }

  /** Adds the rules of one <style> element's text; gives the keys (tag, `#id`, `.class`, `*`) its rules are indexed by. */
  add(css: string): Set<string> {
    if (this.#size + css.length > MAX_SHEET) css = css.slice(0, Math.max(0, MAX_SHEET - this.#size));
    this.#size += css.length;
    const keys = new Set<string>();
    this.#block(css.replace(/\/\*[^]*?\*\//g, ''), keys);
    return keys;
  }

  #block(css: string, keys: Set<string>): void {
    let i = 0;
    while (i < css.length && this.#rules < MAX_RULES) {
      const open = css.indexOf('{', i);
      if (open < 0) return;
      const head = css.slice(i, open).trim();
      const semi = head.lastIndexOf(';');
      const prelude = semi >= 0 && head.startsWith('@') ? head.slice(semi + 1).trim() : head;
      const close = matching(css, open);
      const body = css.slice(open + 1, close);
      i = close + 1;
      if (prelude.startsWith('@')) {
        // Conditional group rules hold rules; @font-face, @keyframes, @page hold none that place text.
        if (/^@(?:media|supports|layer|container|document|scope)\b/i.test(prelude)) this.#block(body, keys);
        continue;
      }
      const all = parseDecls(body);
      const content = all.get('content');
      all.delete('content');
      for (const sel of prelude.split(',')) {
        // ::before and ::after add their `content` to the element's text; other pseudo-elements style no text of the document.
        const pseudo = /::?(before|after)\s*$/i.exec(sel)?.[1]?.toLowerCase();
        if (!pseudo && /::|:(?:first-letter|first-line|selection|placeholder|marker)\b/i.test(sel)) continue;
        let decls = all;
        if (pseudo) {
          if (content === undefined || /^(?:none|normal)$/i.test(content)) continue;
          decls = new Map([[`::${pseudo}`, content]]);
        } else if (!decls.size || !matters(decls)) continue;
        const chain = parseSelector(sel);
        if (!chain) continue;
        const rule: Rule = { chain, needs: chain.slice(1).map(({ c }) => keyOf(c)).filter((k) => k !== '*'), spec: specificity(chain), order: this.#order++, decls };
        for (const { c } of chain) for (const a of c.attrs) this.#attrNames.add(a.name);
        if (chain.length > 1) this.#deep = true;
        this.#cache.clear();
        const key = keyOf(chain[0]!.c);
        keys.add(key);
        const list = this.#index.get(key);
        if (list) list.push(rule);
        else this.#index.set(key, [rule]);
        if (++this.#rules >= MAX_RULES) return;
      }
    }
  }

  /** The declarations that apply to `el` (its ancestors: `open`, the last its parent), cascaded; `inline` wins. */
  computed(el: ElementInfo, open: ReadonlyArray<{ el: ElementInfo }>, inline: Decls): Decls {
    if (this.#rules === 0) return inline;
    // Rules of one compound depend on the element alone: their result is kept by what they look at.
    let attrKey = '';
    if (this.#attrNames.size) for (const k of el.attrs.keys()) if (this.#attrNames.has(k)) attrKey += `[${k}]`;
    const sig = `${el.name}#${el.id ?? ''}.${el.classes.join('.')}${attrKey}`;
    let own = this.#cache.get(sig);
    if (own === undefined) {
      own = [];
      for (const key of [...el.keys, '*']) for (const r of this.#index.get(key) ?? []) if (r.chain.length === 1 && compoundMatches(r.chain[0]!.c, el)) own.push(r);
      if (this.#cache.size >= MAX_CACHE) this.#cache.clear();
      this.#cache.set(sig, own);
    }
    let found: Rule[] | null = null;
    if (this.#deep) {
      for (let i = 0; i <= el.keys.length; i++) {
        for (const r of this.#index.get(i < el.keys.length ? el.keys[i]! : '*') ?? []) {
          if (r.chain.length === 1 || !r.needs.every((k) => this.#present.has(k))) continue;
          if (matches(r.chain, el, open)) (found ??= [...own]).push(r);
        }
      }
    }
    found ??= own;
    if (!found.length) return inline;
    if (found !== own) found.sort((a, b) => a.spec - b.spec || a.order - b.order);
    else if (!own.sorted) {
      own.sort((a, b) => a.spec - b.spec || a.order - b.order);
      own.sorted = true;
    }
    const out: Decls = new Map();
    for (const r of found) for (const [k, v] of r.decls) out.set(k, v);
    for (const [k, v] of inline) out.set(k, v);
    return out;
  }

  /** An element opens (every element, whether rules exist yet or not). */
  enter(el: ElementInfo): void {
    for (const k of el.keys) this.#present.set(k, (this.#present.get(k) ?? 0) + 1);
  }

  leave(el: ElementInfo): void {
    for (const k of el.keys) {
      const n = (this.#present.get(k) ?? 1) - 1;
      if (n > 0) this.#present.set(k, n);
      else this.#present.delete(k);
    }
  }

}

/**
 * Whether a rule's declarations can hide or move text: most rules of a real
 * style sheet set colours, sizes and fonts only, and are not kept (a child's
 * ordinary colour then does not undo a transparent one above it: more text
 * read as hidden, which the views still read).
 */
function matters(d: Decls): boolean {
  for (const [k, v] of d) {
    switch (k) {
      case 'color':
      case '-webkit-text-fill-color':
        if (transparent(v) || white(v)) return true;
        break;
      case 'background':
      case 'background-color':
      case 'background-image':
        break;
      case 'font':
      case 'font-size':
        if (invisible(new Map([[k, v]])).tiny) return true;
        break;
      case 'width':
      case 'height':
      case 'max-width':
      case 'max-height':
        if ((lengthPx(v) ?? 2) < 2) return true;
        break;
      case 'left':
      case 'right':
      case 'top':
      case 'margin-left':
      case 'margin-top':
      case 'text-indent':
        if (Math.abs(lengthPx(v) ?? 0) >= 999) return true;
        break;
      case 'opacity':
      case 'filter':
      case 'transform':
      case 'clip':
      case 'clip-path':
        if (hidesBox(new Map([[k, v]]))) return true;
        break;
      case 'overflow':
      case 'overflow-x':
      case 'overflow-y':
        break;
      case 'position':
        if (v === 'absolute' || v === 'fixed') return true;
        break;
      default:
        return true;
    }
  }
  return false;
}

function matching(css: string, open: number): number {
  let depth = 0;
  for (let k = open; k < css.length; k++) {
    const c = css.charCodeAt(k);
    if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return k;
  }
  return css.length;
}

function parseSelector(sel: string): Rule['chain'] | null {
  const parts = sel.trim().replace(/\s*([>+~])\s*/g, ' $1 ').split(/\s+/).filter(Boolean);
  if (!parts.length) return null;
  const chain: Rule['chain'] = [];
  let comb = ' ';
  for (let k = parts.length - 1; k >= 0; k--) {
    const p = parts[k]!;
    if (p === '>' || p === '+' || p === '~') {
      // A sibling combinator is read as a descendant one of the parent: the reading keeps no siblings.
      comb = p === '>' ? '>' : ' ';
      continue;
    }
    const c = parseCompound(p);
    if (!c) return null;
    if (chain.length) chain[chain.length - 1]!.comb = comb;
    chain.push({ c, comb: ' ' });
    comb = ' ';
  }
  return chain.length ? chain : null;
}

function parseCompound(p: string): Compound | null {
  const c: Compound = { tag: null, id: null, classes: [], attrs: [] };
  // Pseudo-classes and pseudo-elements are dropped (counted as matching); ::before text is not the document's.
  const s = p.replace(/::?[\w-]+(?:\((?:[^()]|\([^()]*\))*\))?/g, '');
  const re = /([.#]?)(-?[_a-zA-Z\u00a0-\uffff][\w\u00a0-\uffff-]*|\*)|\[\s*([\w:-]+)\s*(?:[~|^$*]?=\s*(?:"([^"]*)"|'([^']*)'|([^\]\s]+)))?\s*(?:[is]\s*)?\]/y;
  let i = 0;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) return null;
    i = re.lastIndex;
    if (m[3] !== undefined) c.attrs.push({ name: m[3].toLowerCase(), value: m[4] ?? m[5] ?? m[6] ?? null });
    else if (m[1] === '.') c.classes.push(m[2]!);
    else if (m[1] === '#') c.id = m[2]!;
    else if (m[2] !== '*') c.tag = m[2]!.toLowerCase();
  }
  return c;
}

function keyOf(c: Compound): string {
  if (c.id) return `#${c.id}`;
  if (c.classes.length) return `.${c.classes[0]}`;
  return c.tag ?? '*';
}

function specificity(chain: Rule['chain']): number {
  let s = 0;
  for (const { c } of chain) s += (c.id ? 10_000 : 0) + (c.classes.length + c.attrs.length) * 100 + (c.tag ? 1 : 0);
  return s;
}

function compoundMatches(c: Compound, el: ElementInfo): boolean {
  if (c.tag !== null && c.tag !== el.name) return false;
  if (c.id !== null && c.id !== el.id) return false;
  for (const k of c.classes) if (!el.classes.includes(k)) return false;
  // [attr] must be there; its value is not compared (^=, *=, … would need each operator): counted as matching.
  for (const a of c.attrs) if (!el.attrs.has(a.name)) return false;
  return true;
}

function matches(chain: Rule['chain'], el: ElementInfo, open: ReadonlyArray<{ el: ElementInfo }>): boolean {
  if (!compoundMatches(chain[0]!.c, el)) return false;
  let steps = 0;
  // Right to left through the ancestors; a descendant combinator tries each ancestor (bounded steps).
  const from = (link: number, anc: number): boolean => {
    if (link >= chain.length) return true;
    const comb = chain[link - 1]!.comb;
    for (let k = anc; ; k++) {
      if (++steps > MAX_MATCH_STEPS) return true;
      const a = open[open.length - 1 - k]?.el;
      if (!a) return false;
      if (compoundMatches(chain[link]!.c, a) && from(link + 1, k + 1)) return true;
      if (comb === '>') return false;
    }
  };
  return from(1, 0);
}

/** A length in px, or null (em and rem taken as 16px, pt as 4/3 px, % unknown). */
export function lengthPx(v: string | undefined): number | null {
  if (v === undefined) return null;
  const m = /^(-?(?:\d+\.?\d*|\.\d+))(px|pt|em|rem|vw|vh|cm|mm|in|%)?$/.exec(v.trim());
  if (!m) return null;
  const n = Number(m[1]);
  switch (m[2]) {
    case undefined:
    case 'px':
      return n;
    case 'pt':
      return (n * 4) / 3;
    case 'em':
    case 'rem':
      return n * 16;
    case 'vw':
    case 'vh':
      return n * 10;
    case 'cm':
      return n * 37.8;
    case 'mm':
      return n * 3.78;
    case 'in':
      return n * 96;
    default:
      return n === 0 ? 0 : null;
  }
}

/** Text under these styles is not seen whatever its descendants say (not inherited, not undone below). */
export function hidesBox(d: Decls): boolean {
  if (d.size === 0) return false;
  const display = d.get('display');
  if (display === 'none') return true;
  if (d.get('content-visibility') === 'hidden') return true;
  const opacity = d.get('opacity');
  if (opacity !== undefined && Number.parseFloat(opacity) <= 0.01) return true;
  if (/\bopacity\(\s*0(?:\.0*)?%?\s*\)/.test(d.get('filter') ?? '')) return true;
  const transform = d.get('transform');
  if (transform !== undefined && /\btranslate(?:x|y|3d)?\(\s*-?\d{4,}/.test(transform)) return true;
  if (transform !== undefined && /\b(?:scale[xy]?\(\s*0(?:\.0*)?\s*[,)]|scale\(\s*[\d.]+\s*,\s*0(?:\.0*)?\s*\)|matrix\(\s*0(?:\.0*)?\s*,)/.test(transform)) return true;
  const overflow = `${d.get('overflow') ?? ''} ${d.get('overflow-x') ?? ''} ${d.get('overflow-y') ?? ''}`;
  if (/hidden|clip/.test(overflow)) {
    for (const p of ['width', 'height', 'max-width', 'max-height']) {
      const px = lengthPx(d.get(p));
      if (px !== null && px < 2) return true;
    }
  }
  const clip = d.get('clip');
  if (clip !== undefined && /rect\(\s*0[a-z]*[\s,]+0[a-z]*[\s,]+0[a-z]*[\s,]+0/.test(clip)) return true;
  const clipPath = d.get('clip-path');
  if (clipPath !== undefined && /inset\(\s*(?:50|[5-9]\d|100)%|circle\(\s*0|polygon\(\s*0[a-z%]*\s+0[a-z%]*\s*\)/.test(clipPath)) return true;
  for (const p of ['left', 'right', 'top', 'margin-left', 'margin-top', 'text-indent']) {
    const px = lengthPx(d.get(p));
    if (px !== null && (px <= -999 || ((p === 'left' || p === 'right' || p === 'text-indent') && px >= 9999))) return true;
  }
  return false;
}

/** Inherited properties that hide text unless a descendant sets them again: true, false, or undefined when not set here. */
export interface Inherited {
  visibility?: boolean;
  color?: boolean;
  tiny?: boolean;
  /** The text is white. */
  white?: boolean;
  /** A background other than plain white is drawn behind (a colour, an image, a gradient). */
  backdrop?: boolean;
}

/**
 * Inherited properties that hide text unless a descendant sets them again:
 * true, false, or undefined when not set here. White text is hidden on the
 * page's white unless a box at or above it draws another background (one
 * given by a rule that sets no white text itself is not kept: white text
 * on such a bar reads as hidden, which the views still read).
 */
export function invisible(d: Decls): Inherited {
  const out: Inherited = {};
  if (d.size === 0) return out;
  const visibility = d.get('visibility');
  if (visibility !== undefined) out.visibility = visibility === 'hidden' || visibility === 'collapse';
  const color = d.get('-webkit-text-fill-color') ?? d.get('color');
  if (color !== undefined) {
    out.color = transparent(color);
    out.white = white(color);
  }
  const bg = d.get('background-color') ?? d.get('background');
  if (bg !== undefined && !/^(?:none|transparent|inherit|initial|unset)$/.test(bg) && !transparent(bg)) out.backdrop = !white(bg);
  const image = d.get('background-image');
  if (image !== undefined && image !== 'none') out.backdrop = true;
  const font = d.get('font-size') ?? /^(?:[a-z-]+\s+)*(\S+?)(?:\/\S+)?\s+\S/.exec(d.get('font') ?? '')?.[1];
  if (font !== undefined) {
    const px = lengthPx(font);
    if (px !== null) out.tiny = px < 2;
  }
  return out;
}

/** Plain white (every channel 250 or more), as a colour or a background's only colour. */
function white(c: string): boolean {
  const v = c.trim();
  if (/^(?:white|#fff|#ffff|#ffffff|#ffffffff)(?:\s|$)/.test(v) && !/url\(|gradient/.test(v)) return true;
  const hex = /^#(f[a-f]){3}(?:ff)?$/.exec(v);
  if (hex) return true;
  const rgb = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)\s*(?:[,/]\s*([\d.]+%?))?\s*\)$/.exec(v);
  return rgb !== null && [rgb[1], rgb[2], rgb[3]].every((x) => Number(x) >= 250) && (rgb[4] === undefined || Number.parseFloat(rgb[4]) >= 0.99);
}

function transparent(c: string): boolean {
  if (c === 'transparent') return true;
  const hex = /^#([0-9a-f]{4}|[0-9a-f]{8})$/.exec(c);
  if (hex) return /^0+$/.test(hex[1]!.length === 4 ? hex[1]!.slice(3) : hex[1]!.slice(6));
  const fn = /^(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\((.*)\)$/.exec(c);
  if (!fn) return false;
  const alpha = /(?:\/|,)\s*([\d.]+%?)\s*$/.exec(fn[1]!);
  return alpha !== null && Number.parseFloat(alpha[1]!) <= 0.01;
}

/** How a box places its children: a flex or grid container, and whether its items run reversed. */
/** How a box places its children (`rtl`: its direction, inherited): a flex or grid container, and whether its items run reversed (a table row's cells too). */
export function container(d: Decls, rtl: boolean, row: boolean): { flex: boolean; grid: boolean; reversed: boolean } {
  const display = d.get('display') ?? '';
  const flex = /\bflex\b|inline-flex/.test(display);
  const grid = /\bgrid\b|inline-grid/.test(display);
  const dir = `${d.get('flex-direction') ?? ''} ${d.get('flex-flow') ?? ''}`;
  const reversed = flex ? /-reverse/.test(dir) !== (rtl && !/column/.test(dir)) : rtl && (grid || row || display === 'table-row');
  return { flex, grid, reversed };
}

/** The text of a `content` value: its strings (CSS escapes read) and `attr()`s of the element; quotes and counters give none. */
export function generatedText(v: string, attrs: Map<string, string>): string {
  let out = '';
  const re = /"((?:[^"\\]|\\[^])*)"|'((?:[^'\\]|\\[^])*)'|attr\(\s*([\w:-]+)\s*\)/gi;
  for (let m = re.exec(v); m; m = re.exec(v)) {
    if (m[3] !== undefined) out += attrs.get(m[3].toLowerCase()) ?? '';
    else out += (m[1] ?? m[2] ?? '').replace(/\\(?:([0-9a-fA-F]{1,6})\s?|(\n)|([^]))/g, (_, hex: string | undefined, nl: string | undefined, c: string | undefined) => {
      if (hex) {
        const cp = parseInt(hex, 16);
        return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
      }
      return nl ? '' : (c ?? '');
    });
    if (out.length > 4096) break;
  }
  return out;
}

/** Where a box goes among its siblings: its order key in a flex or grid parent, a float, or a position. */
export type Placement =
  | { kind: 'order'; a: number; b: number }
  | { kind: 'float'; side: 'left' | 'right' }
  | { kind: 'position'; top: number; left: number };

export function placement(d: Decls, parent: { flex: boolean; grid: boolean }, auto: () => number): Placement | null {
  if (d.size === 0) return parent.grid ? { kind: 'order', a: 0, b: auto() } : null;
  if (parent.flex || parent.grid) {
    const order = Number.parseInt(d.get('order') ?? '0', 10) || 0;
    if (parent.flex) return order ? { kind: 'order', a: order, b: 0 } : null;
    const area = (d.get('grid-area') ?? '').split('/').map((s) => Number.parseInt(s, 10));
    const row = Number.parseInt(d.get('grid-row') ?? d.get('grid-row-start') ?? '', 10) || area[0] || 0;
    const col = Number.parseInt(d.get('grid-column') ?? d.get('grid-column-start') ?? '', 10) || area[1] || 0;
    // Grid items in order first, then row, then column; an item with no column of its own takes the next one.
    return { kind: 'order', a: order * 1e6 + row * 1e3, b: col || auto() };
  }
  const float = d.get('float');
  if (float === 'left' || float === 'right' || float === 'inline-start' || float === 'inline-end') return { kind: 'float', side: float === 'right' || float === 'inline-end' ? 'right' : 'left' };
  const position = d.get('position');
  if (position === 'absolute' || position === 'fixed') {
    const left = lengthPx(d.get('left'));
    const top = lengthPx(d.get('top'));
    if (left !== null || top !== null) return { kind: 'position', top: top ?? 0, left: left ?? 0 };
  }
  return null;
}
