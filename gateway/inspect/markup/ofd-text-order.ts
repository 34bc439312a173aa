import { decodeXML } from 'entities';

// OFD text in drawing order (seventh red team, R9). OFD (GB/T 33190-2016: e-invoices, official documents) is a
// zip of XML; a page's Content.xml holds TextObjects, each placed by its Boundary (x y w h, in mm, y downwards)
// and its CTM, each TextCode starting at X, Y within it and moving on by DeltaX and DeltaY (`g N v`: N times v)
// character by character (§11.3). A reader shows the page by position; the markup views read the characters in
// storage order, where `密★10年` stored before the `机` drawn to its left, or one TextCode drawn right to left by
// negative advances, is split. This reading places every character and, when that is not the order they are
// stored in, gives the page again by position: lines from the top (characters whose baselines lie within half
// a size of each other), each left to right, a tab where a gap is wider than CELL_GAP sizes (a table's cells).
// It starts at the first TextCode a text holds; XML with none costs one native search a chunk.

/** Characters placed in one text at most; past it (or a TextCode longer than CARRY) the text is not read in this order, and says so. */
export const MAX_GLYPHS = 256 * 1024;
/** What is carried from one chunk to the next, at most: an element cut by the chunk's end. */
const CARRY = 64 * 1024;
/** A gap of this many sizes between two characters of a line puts them apart (a tab), as pdf-positioned.ts does. */
const CELL_GAP = 3;

const ELEMENT = /<(?:[\w.-]+:)?TextObject\b([^>]*)>|<\/(?:[\w.-]+:)?TextObject\s*>|<(?:[\w.-]+:)?TextCode\b([^>]*?)(?:\/>|>([^<]*)<\/(?:[\w.-]+:)?TextCode\s*>)/g;

const OPEN_CODE = /<(?:[\w.-]+:)?TextCode\b/;

interface Placed {
  n: number;
  ch: string;
  x: number;
  y: number;
  size: number;
}

interface TextObject {
  x: number;
  y: number;
  size: number;
  /** a b c d e f */
  ctm: number[] | null;
}

export class OfdTextOrder {
  #on = false;
  #carry = '';
  #object: TextObject | null = null;
  #glyphs: Placed[] = [];
  #over = false;

  /** Past MAX_GLYPHS: the text was not read in drawing order. */
  get over(): boolean {
    return this.#over;
  }

  /** The text as drawn (at the end), or '' while reading and when drawing order is storage order. */
  push(s: string, final: boolean): string {
    if (!this.#on) {
      if (s.indexOf('TextCode') < 0 && !(this.#carry + s.slice(0, 16)).includes('TextCode')) {
        this.#carry = s.length >= 4096 ? s.slice(-4096) : (this.#carry + s).slice(-4096);
        return '';
      }
      this.#on = true;
    }
    const all = this.#carry + s;
    let end = 0;
    ELEMENT.lastIndex = 0;
    for (let m = ELEMENT.exec(all); m; m = ELEMENT.exec(all)) {
      end = ELEMENT.lastIndex;
      if (m[1] !== undefined) this.#object = textObject(m[1]);
      else if (m[2] !== undefined) this.#code(m[2], m[3] ?? '');
      else this.#object = null;
    }
    const tail = all.slice(end);
    // A TextCode longer than the carry is not placed whole: not read in this order, and said so.
    if (tail.length > CARRY && OPEN_CODE.test(tail)) this.#over = true;
    this.#carry = tail.length > CARRY ? tail.slice(-CARRY) : tail;
    if (!final) return '';
    this.#carry = '';
    const out = this.#over ? '' : drawn(this.#glyphs);
    this.#glyphs = [];
    return out;
  }

  #code(attrs: string, body: string): void {
    if (this.#over) return;
    const o = this.#object ?? { x: 0, y: 0, size: 3.5, ctm: null };
    let x = num(attr(attrs, 'X')) ?? 0;
    let y = num(attr(attrs, 'Y')) ?? 0;
    const chars = [...decodeXML(body)];
    const dx = deltas(attr(attrs, 'DeltaX'), chars.length - 1);
    const dy = deltas(attr(attrs, 'DeltaY'), chars.length - 1);
    for (let i = 0; i < chars.length; i++) {
      if (this.#glyphs.length >= MAX_GLYPHS) {
        this.#over = true;
        this.#glyphs = [];
        return;
      }
      const [px, py] = o.ctm ? [o.ctm[0]! * x + o.ctm[2]! * y + o.ctm[4]!, o.ctm[1]! * x + o.ctm[3]! * y + o.ctm[5]!] : [x, y];
      this.#glyphs.push({ n: this.#glyphs.length, ch: chars[i]!, x: o.x + px, y: o.y + py, size: o.size });
      x += dx?.[i] ?? (dy ? 0 : o.size);
      y += dy?.[i] ?? 0;
    }
  }
}

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attrs);
  return m ? (m[1] ?? m[2]) : undefined;
}

function num(s: string | undefined): number | null {
  if (s === undefined) return null;
  const v = Number(s.trim());
  return Number.isFinite(v) ? v : null;
}

function numbers(s: string | undefined): number[] | null {
  if (s === undefined) return null;
  const v = s.trim().split(/\s+/).map(Number);
  return v.every(Number.isFinite) ? v : null;
}

function textObject(attrs: string): TextObject {
  const b = numbers(attr(attrs, 'Boundary'));
  const ctm = numbers(attr(attrs, 'CTM'));
  return { x: b?.[0] ?? 0, y: b?.[1] ?? 0, size: Math.abs(num(attr(attrs, 'Size')) ?? 0) || 3.5, ctm: ctm && ctm.length === 6 ? ctm : null };
}

/** DeltaX or DeltaY as `count` advances (`g N v` is N times v), or null when absent. */
function deltas(s: string | undefined, count: number): number[] | null {
  if (s === undefined || count <= 0) return null;
  const t = s.trim().split(/\s+/);
  const out: number[] = [];
  for (let i = 0; i < t.length && out.length < count; i++) {
    if (t[i] === 'g') {
      const n = Math.min(Number(t[i + 1]), count - out.length);
      const v = Number(t[i + 2]);
      if (!Number.isFinite(n) || !Number.isFinite(v)) return out;
      for (let k = 0; k < n; k++) out.push(v);
      i += 2;
    } else {
      const v = Number(t[i]);
      if (Number.isFinite(v)) out.push(v);
    }
  }
  return out;
}

/** The characters by position, or '' when that is the order they were stored in. */
function drawn(glyphs: Placed[]): string {
  if (glyphs.length < 2) return '';
  const byY = [...glyphs].sort((a, b) => a.y - b.y || a.x - b.x);
  const lines: Placed[][] = [];
  let line: Placed[] = [];
  let lineY = Number.NaN;
  for (const g of byY) {
    if (line.length && Math.abs(g.y - lineY) > g.size / 2) {
      lines.push(line);
      line = [];
    }
    if (!line.length) lineY = g.y;
    line.push(g);
  }
  if (line.length) lines.push(line);
  let k = 0;
  let stored = true;
  const text = lines
    .map((l) => {
      l.sort((a, b) => a.x - b.x);
      return l
        .map((g, i) => {
          if (g.n !== k++) stored = false;
          const gap = i > 0 && g.x - (l[i - 1]!.x + l[i - 1]!.size) >= CELL_GAP * Math.max(g.size, l[i - 1]!.size);
          return (gap ? '\t' : '') + g.ch;
        })
        .join('');
    })
    .join('\n');
  return stored ? '' : `${text}\n`;
}
