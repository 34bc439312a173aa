import { itemsOf, type OpList } from './pdf-drawn-order.js';
import { positionedText } from './pdf-positioned.js';

// Text drawn where pdf.js's text content does not look (seventh red team,
// R10): inside a tiling pattern's content stream (a shape filled or stroked
// with `/Pattern cs /P1 scn` shows the pattern's cell, tiled) and inside a
// soft mask's group (an ExtGState's `/SMask <</S /Luminosity /G …>>`: the
// group's luminosity or alpha shows through what it masks). Both print on
// the page; getTextContent reads neither (PDF 32000-1 8.7.3, 11.6.5.2). The
// page's operator list holds both: pdf.js draws a mask's group inline,
// between a beginGroup whose options carry `smask` and its endGroup, and
// puts a pattern's own operator list among the arguments of the colour it
// sets (["TilingPattern", colour, operator list, matrix, …]). Each is read
// by position in its own space (pdf-positioned.ts), a pattern's cell once.
// The operator list costs what rendering a page does (images decoded), so
// it is asked for only when the document holds a tiling pattern or a soft
// mask (`paintsHidden`, from the objects' bytes).

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type Page = Awaited<ReturnType<Awaited<ReturnType<PdfJs['getDocument']>['promise']>['getPage']>>;

/** A tiling pattern (PatternType 1) or a soft mask dictionary (/S /Luminosity or /Alpha) in a PDF's objects. */
export const PAINTS_HIDDEN = /\/PatternType\s*1(?![0-9])|\/S\s*\/(?:Luminosity|Alpha)(?![A-Za-z])/;

/**
 * PAINTS_HIDDEN over bytes of a PDF, its names read as pdf.js reads them: `#` and two hex digits is that byte
 * (PDF 32000-1 7.3.5; review13: `/PatternT#79pe 1`, `/S/Lumin#6Fsity` kept the painted reading off and the text
 * in the pattern or the mask crossed).
 */
export function paintsHidden(s: string): boolean {
  if (PAINTS_HIDDEN.test(s)) return true;
  return s.includes('#') && PAINTS_HIDDEN.test(s.replace(/#([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))));
}

/** Patterns and mask groups read in one page at most, and how deep within each other. */
const MAX_PARTS = 256;
const MAX_NESTING = 8;

/** The text of the page's tiling patterns and soft-mask groups, one part a paragraph ('' when none holds any). */
export async function paintedText(lib: PdfJs, page: Page): Promise<string> {
  const ol = (await page.getOperatorList({ annotationMode: lib.AnnotationMode.DISABLE })) as OpList;
  const parts: OpList[] = [];
  hiddenParts(lib.OPS, ol, parts, 0);
  const out: string[] = [];
  for (const p of parts) {
    const t = positionedText(itemsOf(lib.OPS, p), true);
    if (t) out.push(t);
  }
  return out.join('\n\n');
}

/** The soft-mask groups and tiling patterns drawn by `ol`, and those they draw in turn. */
function hiddenParts(O: PdfJs['OPS'], ol: OpList, parts: OpList[], nesting: number): void {
  if (nesting > MAX_NESTING) return;
  const n = ol.fnArray.length;
  for (let k = 0; k < n && parts.length < MAX_PARTS; k++) {
    const fn = ol.fnArray[k];
    const a = ol.argsArray[k] as unknown[] | null;
    if ((fn === O.setFillColorN || fn === O.setStrokeColorN) && Array.isArray(a) && a[0] === 'TilingPattern' && isOpList(a[2])) {
      parts.push(a[2]);
      hiddenParts(O, a[2], parts, nesting + 1);
    } else if (fn === O.beginGroup && Array.isArray(a) && (a[0] as { smask?: unknown } | undefined)?.smask) {
      const end = groupEnd(O, ol, k);
      const group: OpList = { fnArray: Array.prototype.slice.call(ol.fnArray, k + 1, end), argsArray: Array.prototype.slice.call(ol.argsArray, k + 1, end) };
      parts.push(group);
      hiddenParts(O, group, parts, nesting + 1);
      k = end;
    }
  }
}

/** The index of the endGroup that closes the group begun at k (the list's end if none does). */
function groupEnd(O: PdfJs['OPS'], ol: OpList, k: number): number {
  let depth = 0;
  for (let i = k; i < ol.fnArray.length; i++) {
    if (ol.fnArray[i] === O.beginGroup) depth++;
    else if (ol.fnArray[i] === O.endGroup && --depth === 0) return i;
  }
  return ol.fnArray.length;
}

function isOpList(v: unknown): v is OpList {
  const o = v as OpList | null;
  return !!o && typeof o === 'object' && Array.isArray(o.argsArray) && (Array.isArray(o.fnArray) || ArrayBuffer.isView(o.fnArray)) && o.fnArray.length === o.argsArray.length;
}
