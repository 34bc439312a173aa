// Which radio buttons a viewer draws on (R6, 2 Dec). A radio button shows the
// appearance its own /AS names (Acrobat, PDFium, pdf.js's canvas), while
// pdf.js's form data says a widget is on when its group's /V names its
// on-state: a group with no /V, or a /V naming another choice (`公开`), may
// show `●机密` all the same. pdf.js gives no widget's /AS; it draws it. The
// page's operator list with annotations drawn as they stand is compared with
// the same list with those radio buttons drawn Off: a button drawn otherwise
// than Off is on where a person looks.

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
type Doc = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
type Page = Awaited<ReturnType<Doc['getPage']>>;
type OperatorList = Awaited<ReturnType<Page['getOperatorList']>>;

/** A radio button pdf.js does not already show on, drawn from an appearance state of its own (/AS names one). */
function undecided(a: Record<string, unknown>): a is Record<string, unknown> & { id: string } {
  return a.radioButton === true && a.hasAppearance === true && typeof a.id === 'string' && !(typeof a.fieldValue === 'string' && a.fieldValue !== 'Off' && a.fieldValue === a.buttonValue);
}

/** Each annotation's operators (those in `ids`), as a string to compare. */
function drawings(lib: PdfJs, ol: OperatorList, ids: Set<string>): Map<string, string> {
  const out = new Map<string, string>();
  let id: string | null = null;
  let from = 0;
  for (let k = 0; k < ol.fnArray.length; k++) {
    const fn = ol.fnArray[k];
    if (fn === lib.OPS.beginAnnotation) {
      const a = (ol.argsArray[k] as unknown[] | null)?.[0];
      id = typeof a === 'string' && ids.has(a) ? a : null;
      from = k + 1;
    } else if (fn === lib.OPS.endAnnotation && id !== null) {
      out.set(id, JSON.stringify([ol.fnArray.slice(from, k), ol.argsArray.slice(from, k)], (_, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v)));
      id = null;
    }
  }
  return out;
}

/** The ids of the page's radio buttons drawn on by their own /AS that pdf.js's form data does not show on. */
export async function radiosDrawnOn(lib: PdfJs, doc: Doc, page: Page, annots: Array<Record<string, unknown>>): Promise<Set<string>> {
  const ids = new Set(annots.filter(undecided).map((a) => a.id));
  if (!ids.size) return ids;
  const asStands = drawings(lib, await page.getOperatorList({ annotationMode: lib.AnnotationMode.ENABLE }), ids);
  const storage = doc.annotationStorage;
  for (const id of ids) storage.setValue(id, { value: false });
  let off: Map<string, string>;
  try {
    off = drawings(lib, await page.getOperatorList({ annotationMode: lib.AnnotationMode.ENABLE_STORAGE }), ids);
  } finally {
    for (const id of ids) storage.remove(id);
  }
  return new Set([...ids].filter((id) => asStands.has(id) && asStands.get(id) !== off.get(id)));
}
