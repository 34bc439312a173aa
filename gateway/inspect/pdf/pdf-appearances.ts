// The text an annotation's appearance stream draws (a stamp, a widget, a
// free-text box): pdf.js reads annotations' /Contents and field values, but
// what a viewer shows of an annotation is its appearance, a form of its own
// whose text may say something else. Read from the page's operator list with
// annotations rendered (only on pages that have such annotations: building
// it loads the page's fonts), keeping the glyphs drawn inside annotations.

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type Page = Awaited<ReturnType<Awaited<ReturnType<PdfJs['getDocument']>['promise']>['getPage']>>;

/** Annotations whose appearance is only decoration or is read otherwise. */
const PLAIN = new Set(['Link', 'Popup']);

export function hasAppearances(annots: Array<Record<string, unknown>>): boolean {
  return annots.some((a) => a.hasAppearance === true && !PLAIN.has(String(a.subtype)));
}

/** The glyphs drawn inside the page's annotations, one annotation's text run a line. */
export async function appearanceText(lib: PdfJs, page: Page): Promise<string> {
  const ol = await page.getOperatorList({ annotationMode: lib.AnnotationMode.ENABLE });
  const out: string[] = [];
  let inside = 0;
  for (let k = 0; k < ol.fnArray.length; k++) {
    const fn = ol.fnArray[k];
    if (fn === lib.OPS.beginAnnotation) inside++;
    else if (fn === lib.OPS.endAnnotation) inside = Math.max(0, inside - 1);
    else if (inside && (fn === lib.OPS.showText || fn === lib.OPS.showSpacedText)) {
      const glyphs = (ol.argsArray[k] as unknown[])[0];
      if (!Array.isArray(glyphs)) continue;
      out.push(glyphs.map((g) => (g && typeof g === 'object' && typeof (g as { unicode?: unknown }).unicode === 'string' ? (g as { unicode: string }).unicode : '')).join('').replaceAll('\u0000', ''));
    }
  }
  return out.join('\n');
}
