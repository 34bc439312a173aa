import { fiEnd, isConditional } from './latex-conditionals.js';

// LaTeX text a reader of the typeset page may not see where it stands (review13, 2 Dec): white text
// (`\textcolor{white}{商业}`, `{\color{white} x}`, `\color[rgb]{1,1,1}`, xcolor's `black!5`), black text in a box
// as dark as it (`\colorbox{black}{…}`), text under a point or scaled to nothing (`\fontsize{0.1pt}`,
// `\scalebox{0.01}`), fully transparent text (`\transparent{0}`), a note's text printed elsewhere (`\footnote{…}`,
// `\marginpar{…}`), a conditional's branches (which one TeX takes is not known here: latex-conditionals.ts) and the
// comment environment. Put between 机 and 密 it splits the marking in the source only. Whether such text shows
// depends on what is behind it or on the condition, so a window is read both ways, as it stands and without these
// spans (latex-shown.ts), and a marking in either is found. A colour this cannot judge (a name the document
// defines) counts as maybe unseen: that only adds a reading.

/** The commands and environments whose text may be unseen. */
const START = /\\(textcolor|color|colorbox|fcolorbox|transparent|texttransparent|fontsize|scalebox|resizebox\*?|if[A-Za-z@]*|footnote|footnotetext|marginpar|thanks|endnote|sidenote|tablefootnote)(?![A-Za-z@])|\\begin\s*\{comment\}/g;
/** Notes: their text is printed elsewhere (the page's foot, its margin), a mark at most left in the line. */
const NOTE = /^(?:footnote|footnotetext|marginpar|thanks|endnote|sidenote|tablefootnote)$/;
/** A colour's model and specification (`[rgb]{1,1,1}`, `{white!90}`), spaces allowed between. */
const SPEC = /^\s*(?:\[\s*([A-Za-z/]{1,16})\s*\])?\s*\{([^{}]{0,64})\}/;
/** A length in TeX points, roughly (NaN when it is none: a register, `!`). */
function points(d: string): number {
  const m = /^\s*(-?\s*(?:\d+(?:\.\d*)?|\.\d+))\s*(pt|bp|dd|mm|cm|in|pc|cc|em|ex|sp|px)\s*$/.exec(d);
  if (!m) return NaN;
  const per: Record<string, number> = { pt: 1, bp: 1, dd: 1.07, mm: 2.85, cm: 28.5, in: 72.3, pc: 12, cc: 12.8, em: 10, ex: 4.3, sp: 1 / 65536, px: 1 };
  return Math.abs(Number(m[1]!.replace(/\s/g, ''))) * per[m[2]!]!;
}
/** Text this small is no text a reader sees: under a point, or scaled below a tenth. */
const TINY_PT = 1;
const TINY_SCALE = 0.1;
const COMMENT_END = /\\end\s*\{comment\}/g;

/** How light xcolor's named colours are (0 black, 1 white), roughly as they print on white paper. */
const NAMED: Record<string, number> = {
  black: 0, white: 1, gray: 0.5, grey: 0.5, darkgray: 0.25, lightgray: 0.75, red: 0.3, green: 0.45, blue: 0.1, cyan: 0.8,
  magenta: 0.35, yellow: 0.85, brown: 0.3, lime: 0.7, olive: 0.4, orange: 0.6, pink: 0.8, purple: 0.2, teal: 0.35, violet: 0.3,
};
const WHITISH = /white|snow|ivory|azure|mintcream|honeydew|seashell|linen|oldlace|cornsilk|lemonchiffon|lavenderblush/;
/** Names of dvipsnames, svgnames and x11names colours that print as colour on white (`RoyalBlue`, `DarkGreen`). */
const COLOURED = /black|blue|red|green|brown|purple|violet|maroon|navy|gr[ae]y|orange|olive|teal|magenta|cyan|plum|orchid|sepia|mahogany|emerald|turquoise|cerulean|fuchsia|mulberry|rubine|raspberry|crimson|indigo|gold|yellow/;
/** …unless light or pale (`LightBlue`, `PaleGreen`): not judged. */
const PALE = /light|pale|pastel|pink/;

const clamp = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : NaN);
const luma = (r: number, g: number, b: number): number => clamp(0.2126 * r + 0.7152 * g + 0.0722 * b);

/** Lightness of a colour in a model (`rgb`, `RGB`, `HTML`, `gray`, `Gray`, `cmyk`, `hsb`), NaN when not known. */
function modelLight(model: string, spec: string): number {
  const n = spec.split(/[\s,]+/).filter(Boolean).map(Number);
  switch (model) {
    case 'rgb':
      return n.length === 3 ? luma(n[0]!, n[1]!, n[2]!) : NaN;
    case 'RGB':
      return n.length === 3 ? luma(n[0]! / 255, n[1]! / 255, n[2]! / 255) : NaN;
    case 'HTML': {
      const h = /^\s*([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})\s*$/.exec(spec);
      return h ? luma(parseInt(h[1]!, 16) / 255, parseInt(h[2]!, 16) / 255, parseInt(h[3]!, 16) / 255) : NaN;
    }
    case 'gray':
      return n.length === 1 ? clamp(n[0]!) : NaN;
    case 'Gray':
      return n.length === 1 ? clamp(n[0]! / 15) : NaN;
    case 'cmyk': {
      if (n.length !== 4) return NaN;
      const k = 1 - n[3]!;
      return luma((1 - n[0]!) * k, (1 - n[1]!) * k, (1 - n[2]!) * k);
    }
    case 'hsb':
      return n.length === 3 ? clamp(n[2]! * (1 - 0.5 * n[1]!)) : NaN;
    default:
      return NaN;
  }
}

/** Lightness of a named colour or an xcolor expression (`black!5`, `red!50!white`, `-black`), NaN when not known. */
function nameLight(expr: string): number {
  let e = expr.trim();
  let complement = false;
  while (e.startsWith('-')) {
    complement = !complement;
    e = e.slice(1);
  }
  const parts = e.split('!').map((p) => p.trim());
  const named = (c: string): number => {
    const k = c.toLowerCase();
    if (k in NAMED) return NAMED[k]!;
    if (WHITISH.test(k)) return 0.97;
    if (/dark|navy|midnight|black/.test(k)) return 0.1;
    return COLOURED.test(k) && !PALE.test(k) ? 0.4 : NaN;
  };
  let light = named(parts[0]!);
  // c1!p!c2!q!c3…: p% of c1 with c2 (white when not given), then q% of that with c3.
  for (let i = 1; i < parts.length; i += 2) {
    const p = Number(parts[i]) / 100;
    const next = i + 1 < parts.length ? named(parts[i + 1]!) : 1;
    light = p * light + (1 - p) * next;
  }
  light = clamp(light);
  return complement ? 1 - light : light;
}

function lightness(model: string | undefined, spec: string): number {
  return model !== undefined ? modelLight(model, spec) : nameLight(spec);
}

/** Text of this colour may not show on white paper (near white, or not known). */
const textUnseen = (l: number): boolean => !(l < 0.9);
/** A box of this colour may hide the black text in it (near black, or not known). */
const boxHides = (l: number): boolean => !(l > 0.15);

/** The end (after its closing brace) of the group opening at s[at], or s.length when the window ends first. */
export function groupEnd(s: string, at: number): number {
  let depth = 0;
  for (let i = at; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x7b) depth++;
    else if (c === 0x7d && --depth === 0) return i + 1;
  }
  return s.length;
}

/** Where an argument starting at s[from] ends: a group, a command word, or one character. */
function argEnd(s: string, from: number): number {
  let i = from;
  while (i < s.length && /\s/.test(s[i]!)) i++;
  if (s[i] === '{') return groupEnd(s, i);
  if (s[i] === '\\') return i + (/^\\(?:[A-Za-z@]+|.)/.exec(s.slice(i, i + 64))?.[0].length ?? 1);
  return Math.min(s.length, i + (s.codePointAt(i) !== undefined && s.codePointAt(i)! > 0xffff ? 2 : 1));
}

/** Where a `\color` (`\transparent`, `\fontsize`) stops: its group's close, the next such command, or the window's end. */
function colourEnd(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) {
      if (depth === 0 && /^\\(?:color|normalcolor|transparent|fontsize)(?![A-Za-z@])/.test(s.slice(i, i + 13))) return i;
      i++;
    } else if (c === 0x7b) depth++;
    else if (c === 0x7d && --depth < 0) return i;
  }
  return s.length;
}

/** The window without the text a reader may not see, or null when it holds none. */
export function latexUnseen(w: string): string | null {
  const out: string[] = [];
  let pos = 0;
  START.lastIndex = 0;
  for (let m = START.exec(w); m; m = START.exec(w)) {
    const at = m.index;
    const after = START.lastIndex;
    let end = -1;
    if (m[1] === undefined) {
      COMMENT_END.lastIndex = after;
      end = COMMENT_END.exec(w) ? COMMENT_END.lastIndex : w.length;
    } else if (NOTE.test(m[1])) {
      const opt = /^\s*\[[^\[\]]{0,64}\]/.exec(w.slice(after, after + 72));
      end = argEnd(w, after + (opt?.[0].length ?? 0));
    } else if (m[1].startsWith('if')) {
      // A conditional: which branch TeX takes is not known here (but for \iffalse), so the reading without it drops it whole.
      if (!isConditional(m[1], w, at)) continue;
      end = fiEnd(w, after);
    } else if (m[1] === 'fontsize' || m[1] === 'transparent') {
      // Type under a point, or fully transparent, to its group's end.
      const a = /^\s*\{([^{}]{0,32})\}/.exec(w.slice(after, after + 64));
      if (!a) continue;
      const v = a[1]!.trim();
      if (m[1] === 'fontsize' ? points(v) < TINY_PT : Number(v) < TINY_SCALE) end = colourEnd(w, after + a[0].length);
    } else if (m[1] === 'texttransparent' || m[1] === 'scalebox' || m[1].startsWith('resizebox')) {
      // Text fully transparent, or scaled or sized to nothing: `\scalebox{0.01}[1]{…}`, `\resizebox{0.1pt}{!}{…}`.
      const ARGS = m[1] === 'texttransparent' ? /^\s*\{([^{}]{0,32})\}/ : m[1] === 'scalebox' ? /^\s*\{([^{}]{0,32})\}(?:\s*\[([^\[\]]{0,32})\])?/ : /^\s*\{([^{}]{0,32})\}\s*\{([^{}]{0,32})\}/;
      const a = ARGS.exec(w.slice(after, after + 128));
      if (!a) continue;
      const tiny =
        m[1] === 'texttransparent'
          ? Number(a[1]!.trim()) < TINY_SCALE
          : m[1] === 'scalebox'
            ? [a[1], a[2]].some((x) => x !== undefined && Math.abs(Number(x.trim())) < TINY_SCALE)
            : [a[1], a[2]].some((x) => points(x!) < TINY_PT);
      const next = after + a[0].length;
      if (tiny) end = argEnd(w, next);
    } else {
      const spec = SPEC.exec(w.slice(after, after + 128));
      if (!spec) continue;
      let next = after + spec[0].length;
      let light = lightness(spec[1], spec[2]!);
      if (m[1] === 'fcolorbox') {
        // The frame's colour, then the background's.
        const bg = /^\s*\{([^{}]{0,64})\}/.exec(w.slice(next, next + 128));
        if (!bg) continue;
        next += bg[0].length;
        light = lightness(spec[1], bg[1]!);
      }
      if (m[1] === 'textcolor' && textUnseen(light)) end = argEnd(w, next);
      else if (m[1] === 'color' && textUnseen(light)) end = colourEnd(w, next);
      else if ((m[1] === 'colorbox' || m[1] === 'fcolorbox') && boxHides(light)) end = argEnd(w, next);
    }
    if (end < 0) continue;
    out.push(w.slice(pos, at));
    pos = end;
    START.lastIndex = Math.max(end, after);
  }
  if (pos === 0) return null;
  out.push(w.slice(pos));
  return out.join('');
}

