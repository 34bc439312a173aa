import type { PlacedItem } from './pdf-positioned.js';

// Where each text run is drawn, from the page's operator list, for pages
// whose text pdf.js gives without usable positions: a composite font it
// cannot load (no font descriptor) is read one byte a code, with a NUL before
// each character and no glyph widths, and pdf.js then joins every run into
// one item in drawing order, so text drawn right part first stays split.
// Each run is placed in device space, as the page shows it: the text matrix
// (BT, Tm, Td, TD, T*), the glyphs' advances and TJ's offsets (each part of a
// TJ array between two offsets is a run of its own: a large offset moves the
// next part back left), character and word spacing, horizontal scaling, and
// the current transformation (cm, q/Q, form XObjects). PDF 32000-1 9.4.4:
// Trm = [Tfs×Th 0 0 Tfs 0 Trise] × Tm × CTM.

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type Page = Awaited<ReturnType<Awaited<ReturnType<PdfJs['getDocument']>['promise']>['getPage']>>;
type Matrix = [number, number, number, number, number, number];

interface Glyph {
  unicode?: unknown;
  width?: unknown;
  isSpace?: unknown;
}

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
/** A glyph of unknown width is taken as half an em (the order needs the direction of travel more than the distance). */
const UNKNOWN_WIDTH = 500;
const MAX_SAVED = 64;

/** a × b in PDF's row-vector convention: a applied first. */
function mul(a: Matrix, b: Matrix): Matrix {
  return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3], a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]];
}

/** Six numbers given as they are, or wrapped in the operator's arguments (pdf.js passes a typed array there). */
function matrix(v: unknown): Matrix | null {
  const isList = (x: unknown): x is ArrayLike<unknown> => Array.isArray(x) || ArrayBuffer.isView(x);
  const m = isList(v) && isList((v as ArrayLike<unknown>)[0]) ? ((v as ArrayLike<unknown>)[0] as ArrayLike<unknown>) : v;
  if (!isList(m) || m.length < 6) return null;
  const out = Array.from(m).slice(0, 6).map((x) => (typeof x === 'number' && Number.isFinite(x) ? x : Number.NaN));
  return out.every(Number.isFinite) ? (out as Matrix) : null;
}

/** An operator list as pdf.js gives it (a page's, or a tiling pattern's among its fill's arguments). */
export interface OpList {
  fnArray: ArrayLike<number>;
  argsArray: ArrayLike<unknown>;
}

export async function drawnItems(lib: PdfJs, page: Page): Promise<PlacedItem[]> {
  return itemsOf(lib.OPS, await page.getOperatorList({ annotationMode: lib.AnnotationMode.DISABLE }));
}

/** The text runs an operator list draws, placed in its own space. */
export function itemsOf(O: PdfJs['OPS'], ol: OpList): PlacedItem[] {
  const items: PlacedItem[] = [];
  let ctm: Matrix = IDENTITY;
  const saved: Matrix[] = [];
  let tm: Matrix = IDENTITY;
  let tlm: Matrix = IDENTITY;
  let size = 12;
  let leading = 0;
  let charSpacing = 0;
  let wordSpacing = 0;
  let hScale = 1;
  let rise = 0;
  const translate = (m: Matrix, tx: number, ty: number): Matrix => mul([1, 0, 0, 1, tx, ty], m);
  for (let k = 0; k < ol.fnArray.length; k++) {
    const fn = ol.fnArray[k];
    const a = (ol.argsArray[k] ?? []) as unknown[];
    const num = (i: number): number => (typeof a[i] === 'number' && Number.isFinite(a[i]) ? (a[i] as number) : 0);
    if (fn === O.save) {
      if (saved.length < MAX_SAVED) saved.push(ctm);
    } else if (fn === O.restore) ctm = saved.pop() ?? ctm;
    else if (fn === O.transform) ctm = mul(matrix(a) ?? IDENTITY, ctm);
    else if (fn === O.paintFormXObjectBegin) {
      if (saved.length < MAX_SAVED) saved.push(ctm);
      ctm = mul(matrix(a[0]) ?? IDENTITY, ctm);
    } else if (fn === O.paintFormXObjectEnd) ctm = saved.pop() ?? ctm;
    else if (fn === O.beginText) tm = tlm = IDENTITY;
    else if (fn === O.setTextMatrix) tm = tlm = matrix(a) ?? IDENTITY;
    else if (fn === O.moveText || fn === O.setLeadingMoveText) {
      tm = tlm = translate(tlm, num(0), num(1));
      if (fn === O.setLeadingMoveText) leading = -num(1);
    } else if (fn === O.setLeading) leading = num(0);
    else if (fn === O.nextLine) tm = tlm = translate(tlm, 0, -leading);
    else if (fn === O.setFont) size = num(1) || size;
    else if (fn === O.setCharSpacing) charSpacing = num(0);
    else if (fn === O.setWordSpacing) wordSpacing = num(0);
    else if (fn === O.setHScale) hScale = num(0) / 100;
    else if (fn === O.setTextRise) rise = num(0);
    else if (fn === O.showText || fn === O.showSpacedText) {
      const glyphs = Array.isArray(a[0]) ? (a[0] as Array<Glyph | number | null>) : [];
      let str = '';
      let start: Matrix | null = null;
      let run = 0;
      const flush = (): void => {
        if (start && str.replaceAll('\u0000', '')) {
          const trm = mul(mul([size * hScale, 0, 0, size, 0, rise], start), ctm);
          // The run's extent in device space, along its direction of travel.
          const width = Math.hypot(run * start[0] * ctm[0] + run * start[1] * ctm[2], run * start[0] * ctm[1] + run * start[1] * ctm[3]);
          items.push({ str: str.replaceAll('\u0000', ''), transform: trm, width });
        }
        str = '';
        start = null;
        run = 0;
      };
      for (const g of glyphs) {
        if (typeof g === 'number') {
          flush();
          tm = translate(tm, (-g / 1000) * size * hScale, 0);
        } else if (g && typeof g === 'object') {
          start ??= tm;
          if (typeof g.unicode === 'string') str += g.unicode;
          const w = typeof g.width === 'number' && g.width > 0 ? g.width : UNKNOWN_WIDTH;
          const tx = ((w / 1000) * size + charSpacing + (g.isSpace === true ? wordSpacing : 0)) * hScale;
          tm = translate(tm, tx, 0);
          run += tx;
        }
      }
      flush();
    }
  }
  return items;
}
