import type { PlacedItem } from './pdf-positioned.js';

// Where each text run is drawn, from the page's operator list, for pages
// whose text pdf.js gives without usable positions: a composite font it
// cannot load (no font descriptor) is read one byte a code, with a NUL before
// each character and no glyph widths, and pdf.js then joins every run into
// one item in drawing order, so text drawn right part first stays split.
// The text matrix is followed through BT, Tm, Td, TD, T* and the glyphs'
// advances; the current transformation (cm) is not (text runs are placed
// relative to each other, which is what the order needs).

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type Page = Awaited<ReturnType<Awaited<ReturnType<PdfJs['getDocument']>['promise']>['getPage']>>;

interface Glyph {
  unicode?: unknown;
  width?: unknown;
}

export async function drawnItems(lib: PdfJs, page: Page): Promise<PlacedItem[]> {
  const ol = await page.getOperatorList({ annotationMode: lib.AnnotationMode.DISABLE });
  const O = lib.OPS;
  const items: PlacedItem[] = [];
  let lx = 0;
  let ly = 0;
  let x = 0;
  let size = 12;
  let leading = 0;
  for (let k = 0; k < ol.fnArray.length; k++) {
    const fn = ol.fnArray[k];
    const a = (ol.argsArray[k] ?? []) as unknown[];
    const num = (i: number): number => (typeof a[i] === 'number' ? (a[i] as number) : 0);
    if (fn === O.beginText) lx = ly = x = 0;
    else if (fn === O.setTextMatrix) {
      const m = (Array.isArray(a[0]) ? a[0] : a) as unknown[];
      lx = x = typeof m[4] === 'number' ? m[4] : 0;
      ly = typeof m[5] === 'number' ? m[5] : 0;
    } else if (fn === O.moveText || fn === O.setLeadingMoveText) {
      lx += num(0);
      ly += num(1);
      x = lx;
      if (fn === O.setLeadingMoveText) leading = -num(1);
    } else if (fn === O.setLeading) leading = num(0);
    else if (fn === O.nextLine) {
      ly -= leading;
      x = lx;
    } else if (fn === O.setFont) size = Math.abs(num(1)) || size;
    else if (fn === O.showText || fn === O.showSpacedText) {
      const glyphs = Array.isArray(a[0]) ? (a[0] as Array<Glyph | number | null>) : [];
      let str = '';
      let advance = 0;
      for (const g of glyphs) {
        if (typeof g === 'number') advance -= (g * size) / 1000;
        else if (g && typeof g === 'object') {
          if (typeof g.unicode === 'string') str += g.unicode;
          if (typeof g.width === 'number') advance += (g.width * size) / 1000;
        }
      }
      items.push({ str: str.replaceAll('\u0000', ''), transform: [size, 0, 0, size, x, ly] });
      x += advance;
    }
  }
  return items;
}
