import { groupEnd } from './latex-unseen.js';

// LaTeX whose characters are printed in another order than they stand in the source (review13, 2 Dec): a box of
// no width (`\rlap{\kern1em 密}机\kern1em ★` prints 机密★: 密 is drawn after 机 though it comes first; \llap,
// \clap, mathtools' \mathrlap…, `\makebox[0pt][l]{…}`, `\hbox to 0pt{…\hss}`) or a negative space (`\kern1em 密
// \kern-2em 机\kern1em ★`, `\hspace{-2em}`, `\hskip-…`). The window is laid out on its lines, each character at
// the place it is drawn, roughly (a Chinese character, a full-width sign and a star are an em wide, other
// characters half of one, a space a third; a point is a tenth of an em), and read in the order they stand on the
// line. Where a negative space is not known (a register, `\kern-\wd0`, `\hspace{-\widthof{…}}`), the text it
// moves could be drawn in any gap of its line before it: it is read in each (GAPS of them at most), as the unseen
// text of latex-unseen.ts is read both ways. Each reading is one more; the source's order is still read.

/** A window is read so only when it holds a box of no width or a negative space. */
const OVER = /\\(?:[rlc]lap|math[rlc]lap)(?![A-Za-z@])|\\(?:makebox|framebox)\s*\[\s*(?:-?0*\.?0*\s*(?:pt|em|ex|mm|cm|in|bp|sp)?|\\z@)\s*\]|\\hbox\s*to\s*(?:-?0|\\z@)|\\(?:kern|hskip|mkern|mskip)\s*-|\\hspace\*?\s*\{\s*-/;

/** The constructs that place text: boxes, spaces, phantoms; a paragraph's or a line's end. */
const PLACE =
  /\\(rlap|llap|clap|mathrlap|mathllap|mathclap)\s*(?=\{)|\\(?:makebox|framebox)\s*\[([^\[\]]{0,32})\](?:\s*\[\s*([lrcs])\s*\])?\s*(?=\{)|\\hbox\s*to\s*([^{}\n]{0,32}?)\s*(?=\{)|\\(?:kern|hskip|mkern|mskip)\s*(-?\s*(?:\d+(?:\.\d*)?|\.\d+)\s*(?:pt|em|ex|mm|cm|in|bp|pc|dd|cc|sp|mu)(?:\s+(?:plus|minus)\s+-?\s*(?:\d+(?:\.\d*)?|\.\d+)\s*(?:fil{1,3}|pt|em|ex|mm|cm|in|bp|pc|dd|cc|sp|mu))*|-?\s*(?:\d+(?:\.\d*)?|\.\d+)?\s*\\[A-Za-z@]+(?:\s*\d+)?)|\\hspace\*?\s*\{((?:[^{}]|\{[^{}]{0,64}\}){0,64})\}|\\(h?phantom)\s*(?=\{)|(\\\\\*?(?:\[[^\]]{0,32}\])?|\\par(?![A-Za-z@])|\n[ \t]*\n)/g;

/** A length in ems (a point a tenth of one), NaN when it is not one this knows (a register, \widthof). */
function ems(d: string): number {
  if (/^\s*-?\s*\\z@\s*$/.test(d)) return 0; // LaTeX's zero length
  const m = /^\s*(-?)\s*(\d+(?:\.\d*)?|\.\d+)\s*(pt|em|ex|mm|cm|in|bp|pc|dd|cc|sp|mu)(?:\s+(?:plus|minus)\b[^]*)?\s*$/.exec(d);
  if (!m) return NaN;
  const per: Record<string, number> = { em: 1, ex: 0.45, pt: 0.1, bp: 0.1, dd: 0.107, mm: 0.285, cm: 2.85, in: 7.2, pc: 1.2, cc: 1.28, sp: 0.1 / 65536, mu: 1 / 18 };
  return (m[1] ? -1 : 1) * Number(m[2]) * per[m[3]!]!;
}

/** How wide a character is drawn, in ems, roughly. */
function width(c: string): number {
  if (/\s/.test(c)) return 0.33;
  const u = c.codePointAt(0)!;
  if ((u >= 0x2e80 && u <= 0x9fff) || (u >= 0xac00 && u <= 0xd7af) || (u >= 0xf900 && u <= 0xfaff) || (u >= 0xfe30 && u <= 0xfe4f) || (u >= 0xff00 && u <= 0xff60) || u >= 0x20000 || u === 0x2605 || u === 0x2606) return 1;
  return 0.5;
}

interface Glyph {
  c: string;
  x: number;
  line: number;
  /** The negative space not known that moved it (0: none), up to the next space. */
  float: number;
}

const MAX_DEPTH = 16;
/** Gaps a text moved back by an unknown space is read in, at most, and such texts in a window. */
const GAPS = 8;
const FLOATS = 4;

class Layout {
  glyphs: Glyph[] = [];
  line = 0;
  #floats = 0;
  #float = 0;

  constructor(private typeset: (s: string) => string) {}

  /** Lays s out from x; where it ends. */
  run(s: string, x: number, depth: number): number {
    const re = new RegExp(PLACE.source, 'g');
    let pos = 0;
    for (let m = re.exec(s); m; m = re.exec(s)) {
      x = this.#text(s.slice(pos, m.index), x);
      pos = re.lastIndex;
      if (m[8] !== undefined) {
        // A paragraph's or a line's end.
        this.line++;
        x = 0;
        this.#float = 0;
        continue;
      }
      if (m[5] !== undefined || m[6] !== undefined) {
        // A space: known, or a negative one not known (what follows is read in the gaps before it).
        const d = ems(m[5] ?? m[6]!);
        this.#float = 0;
        if (Number.isFinite(d)) x += d;
        else if (/^\s*-/.test(m[5] ?? m[6]!) && this.#floats < FLOATS) this.#float = ++this.#floats;
        continue;
      }
      // A box or a phantom: its group laid out on its own.
      const end = groupEnd(s, re.lastIndex);
      const inner = s.slice(re.lastIndex + 1, Math.max(re.lastIndex + 1, end - 1));
      pos = end;
      re.lastIndex = end;
      if (depth >= MAX_DEPTH) {
        x = this.#text(inner, x);
        continue;
      }
      const box = new Layout(this.typeset);
      const w = box.run(inner, 0, depth + 1);
      if (m[7] !== undefined) {
        x += w; // a phantom: its room, nothing drawn
        continue;
      }
      let room = w;
      let shift = 0;
      const lap = m[1];
      if (lap !== undefined) {
        room = 0;
        shift = /llap/.test(lap) ? -w : /clap/.test(lap) ? -w / 2 : 0;
      } else if (m[2] !== undefined || m[4] !== undefined) {
        const r = ems(m[2] ?? m[4]!);
        if (Number.isFinite(r)) {
          room = r;
          // \makebox's position (centred by default); \hbox to's by its \hss or \hfil.
          const at = m[2] !== undefined ? (m[3] ?? 'c') : /^\s*\\(?:hss|hfil+)/.test(inner) ? (/\\(?:hss|hfil+)\s*$/.test(inner) ? 'c' : 'r') : 'l';
          shift = at === 'r' ? r - w : at === 'c' ? (r - w) / 2 : 0;
        }
      }
      for (const g of box.glyphs) this.glyphs.push({ c: g.c, x: x + shift + g.x, line: this.line + g.line, float: this.#float });
      this.line += box.line;
      x += room;
    }
    return this.#text(s.slice(pos), x);
  }

  /** Text without boxes or spaces placed: its characters drawn one after another, as typeset. */
  #text(s: string, x: number): number {
    if (!s) return x;
    for (const c of this.typeset(s)) {
      if (c === '\n') {
        x += width(' ');
        continue;
      }
      if (!/\s/.test(c)) this.glyphs.push({ c, x, line: this.line, float: this.#float });
      x += width(c);
    }
    return x;
  }
}

/** A line's glyphs in the order they stand on it. */
const ordered = (gs: Glyph[]): Glyph[] => gs.map((g, i) => ({ g, i })).sort((a, b) => a.g.x - b.g.x || a.i - b.i).map((e) => e.g);
/** Glyphs as text, a space where they stand apart. */
function text(gs: Glyph[]): string {
  let out = '';
  let end = -Infinity;
  for (const g of gs) {
    if (out && g.x - end > 0.4) out += ' ';
    out += g.c;
    end = Math.max(end, g.x + width(g.c));
  }
  return out;
}

/**
 * The window read in the order its characters are drawn, when it holds a box of no width or a negative space;
 * null when it holds none. `typeset` reads a stretch of LaTeX with no such construct as typeset (latex-shown.ts).
 */
export function latexPlaced(w: string, typeset: (s: string) => string): string | null {
  if (!OVER.test(w)) return null;
  const lay = new Layout(typeset);
  // (Comments first: a construct in one is none.)
  lay.run(w.replace(/(^|[^\\])%[^\n]*(?:\r?\n[ \t]*)?/g, '$1'), 0, 0);
  const lines = new Map<number, Glyph[]>();
  for (const g of lay.glyphs) (lines.get(g.line) ?? lines.set(g.line, []).get(g.line)!).push(g);
  const out: string[] = [];
  for (const gs of lines.values()) {
    const fixed = ordered(gs.filter((g) => g.float === 0));
    out.push(text(ordered(gs)));
    // Each text moved back by a space not known, read in each gap of the line before it.
    for (const f of new Set(gs.filter((g) => g.float > 0).map((g) => g.float))) {
      const moved = gs.filter((g) => g.float === f);
      const before = fixed.filter((g) => g.x < moved[0]!.x);
      const after = fixed.filter((g) => g.x >= moved[0]!.x);
      const gaps = [0];
      for (let i = 1; i < before.length && gaps.length < GAPS; i++) if (before[i]!.x - before[i - 1]!.x - width(before[i - 1]!.c) >= 0.3) gaps.push(i);
      const chars = (gs: Glyph[]): string => gs.map((g) => g.c).join('');
      for (const at of gaps) out.push(chars(before.slice(0, at)) + chars(moved) + chars(before.slice(at)) + chars(after));
    }
  }
  return out.join('\n');
}
