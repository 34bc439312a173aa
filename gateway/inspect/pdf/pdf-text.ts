import { createHash } from 'node:crypto';
import { HeldDocument } from '../context/held-bytes.js';
import type { InspectContext } from '../context/inspect-context.js';
import { isLabelKey, labelLine } from '../marks/label-keys.js';
import { appearanceText, hasAppearances } from './pdf-appearances.js';
import { cmapOptions, PackagedCMaps } from './pdf-cmaps.js';
import { readPdfObjects } from './pdf-objects.js';
import { drawnItems } from './pdf-drawn-order.js';
import { paintedText } from './pdf-painted.js';
import { fieldData, formItems, type DrawnOn } from './pdf-form-fields.js';
import { radiosDrawnOn } from './pdf-drawn-states.js';
import { boxesValuedOn } from './pdf-box-values.js';
import { PdfObjectIndex } from './pdf-object-index.js';
import { apart, positionedText, runOf, wideBlank, type PlacedItem } from './pdf-positioned.js';
import { withCpuBudget } from '../context/reading-budget.js';
import type { Member } from '../context/member.js';

// PDF text as a reader sees it: each page's text through its content
// streams' filters and its fonts' ToUnicode maps, the document information,
// the XMP metadata, annotations (notes, form fields), bookmarks, and the
// files attached to it. PDF is random access, so
// the bytes are held (up to MAX_PDF) and parsed at the end by pdf.js (the
// legacy build, for Node), inside the inspection worker and its budgets.
// A PDF that pdf.js cannot open — encrypted, broken, or larger than the
// bound — is `uninspectable`; its raw bytes are read as text regardless.

export const MAX_PDF = 64 * 1024 * 1024;
/**
 * CPU for reading one PDF: this much plus PDF_CPU_PER_MIB_MS for each MiB of it (reading-budget.ts). Dense text
 * costs pdf.js some 4 s a MiB: 895 pages of manual pages set by groff (1.8 MB, standard fonts, none embedded)
 * took 6-7 s, and were refused inspection-limit:time when the budget was 1 s a MiB (2 December); libtasn1's
 * 260 KB manual takes some 0.35 s. A 31 KB PDF inflating to 16 MiB of text operators took 3.2 s (red team of
 * 1 December, N10): what a small file costs is held by the base. (A budget by what the streams decode to
 * cannot tell them apart: the manual's operators cost pdf.js 1.1 s a decoded MiB, N10's 0.1-0.2 s.)
 */
const PDF_CPU_BASE_MS = 2000;
const PDF_CPU_PER_MIB_MS = 6000;
const MAX_PAGES = 5000;

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | null = null;

export class PdfText extends HeldDocument {
  /** Embedded files already streamed to clamd (by their SHA-256). */
  #scanned = new Set<string>();
  /** The objects hold a tiling pattern or a soft mask: each page's are read too (pdf-painted.ts). */
  #painted = false;
  constructor(ctx: InspectContext, path: string | undefined, open: (name: string, kind: 'view' | 'content') => Member) {
    super(ctx, path, open, MAX_PDF, 'application/pdf', 'a PDF');
  }

  async finish(): Promise<void> {
    const ctx = this.ctx;
    const path = this.path;
    const bytes = this.takeHeld();
    if (!bytes) return;
    const budget = PDF_CPU_BASE_MS + (bytes.length / (1024 * 1024)) * PDF_CPU_PER_MIB_MS;
    const { over } = await withCpuBudget('reading the PDF', budget, async () => {
      // pdf.js may detach the array it is given: the objects are read first.
      await this.#objects(bytes);
      const data = new Uint8Array(bytes);
      try {
        await this.#read(data, new PdfObjectIndex(bytes));
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        this.uninspectable(`the PDF could not be opened (${why}); its text was not read`);
      }
    });
    if (over) ctx.inspectionLimit('time', path, over);
  }

  async #objects(bytes: Buffer): Promise<void> {
    const ctx = this.ctx;
    const out: { view: Member | null } = { view: null };
    let files = 0;
    const r = await readPdfObjects(bytes, {
      text: async (s) => (out.view ??= this.open('(pdf-objects)', 'view')).update(Buffer.from(s)),
      file: (data) => this.#file(`(pdf-stream-file#${++files})`, data),
      spend: (n) => ctx.spend(n),
      limit: (subkind, detail) => ctx.inspectionLimit(subkind, this.path, detail),
    });
    if (r.cut) ctx.inspectionLimit('pdf-streams', this.path, `more than ${r.streams - 1} streams; the rest were not read`);
    this.#painted = r.painted;
    await out.view?.finish();
  }

  /**
   * An embedded file, decoded: inspected as content of its own, and streamed to clamd as decoded content.
   * clamd undoes a PDF's Flate, LZW and ASCII85 itself, not a predictor (red team of 1 December, A7: EICAR attached
   * behind Flate with PNG predictor 12 crossed); one file found by both readings goes to clamd once.
   */
  async #file(name: string, data: Buffer): Promise<void> {
    const m = this.open(name, 'content');
    const av = this.ctx.decodedAv;
    const digest = av ? createHash('sha256').update(data).digest('hex') : '';
    const scan = av !== null && !this.#scanned.has(digest);
    if (scan) this.#scanned.add(digest);
    await Promise.all([m.update(data), scan ? av.write(data) : undefined]);
    if (scan) await av.endPiece();
    await m.finish();
  }

  async #read(data: Uint8Array, objects: PdfObjectIndex): Promise<void> {
    const lib = await (pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs'));
    const cmaps = new PackagedCMaps();
    const doc = await lib.getDocument({ data, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0, stopAtErrors: false, ...cmapOptions(cmaps) }).promise;
    try {
      const text = this.open('(pdf-text)', 'view');
      const pages = Math.min(doc.numPages, MAX_PAGES);
      if (doc.numPages > MAX_PAGES) this.ctx.inspectionLimit('pdf-pages', this.path, `more than ${MAX_PAGES} pages; the rest were not read`);
      for (let p = 1; p <= pages; p++) {
        const page = await doc.getPage(p);
        const tc = await page.getTextContent();
        // Identity-H fonts may give a NUL before each character: no reader shows it, and it would split an identity number.
        const raw = tc.items.filter((i) => 'str' in i);
        const items = raw.map((i) => ({ ...i, str: i.str.replaceAll('\u0000', '') }));
        // Runs of a line far apart (a table's cells) are read apart (pdf-positioned.ts apart).
        const s = items.map((i, k) => cellGap(i) ? `\t${i.hasEOL ? '\n' : ''}` : (k > 0 && !items[k - 1]!.hasEOL && gapBefore(items[k - 1]!, i) ? '\t' : '') + i.str + (i.hasEOL ? '\n' : '')).join('');
        // With NULs pdf.js read a font it could not load and joined its runs: their places come from the operator list.
        const fallback = raw.some((i) => i.str.includes('\u0000'));
        const placed = positionedText(fallback ? await drawnItems(lib, page).catch(() => []) : (items as PlacedItem[]));
        await text.update(Buffer.from(`${s}\n${placed === null ? '' : `\n${placed}\n`}`));
        // Annotations (notes, form fields, links) are not page content: a reader shows them all the same.
        const annots = (await page.getAnnotations().catch(() => [])) as Array<Record<string, unknown>>;
        // Radio buttons shown on by their own /AS where the group's /V says otherwise (pdf-drawn-states.ts).
        // Check boxes drawn Off whose /V, which pdf.js does not give, is on (pdf-box-values.ts).
        const drawn: DrawnOn = new Set([...(await radiosDrawnOn(lib, doc, page, annots).catch(() => [])), ...boxesValuedOn(objects, annots)]);
        if (annots.length) await text.update(Buffer.from(`\n${annots.map((a) => annotationText(a, drawn)).join('\n')}\n`));
        // A form's widgets where they stand, among the page's text (pdf-form-fields.ts): `密级：☐绝密 ☑机密`.
        const form = annots.length ? formItems(items as PlacedItem[], annots, drawn) : null;
        if (form) await text.update(Buffer.from(`\n${positionedText(form, true) ?? ''}\n`));
        if (hasAppearances(annots)) await text.update(Buffer.from(`\n${await appearanceText(lib, page).catch(() => '')}\n`));
        // Text drawn in a tiling pattern or a soft mask's group, which the text content does not read (pdf-painted.ts).
        if (this.#painted) await text.update(Buffer.from(`\n${await paintedText(lib, page).catch(() => '')}\n`));
        page.cleanup();
      }
      const meta = await doc.getMetadata().catch(() => null);
      if (meta) {
        // Each entry with its key, as a reader's Properties window shows it: a custom key holds the value's meaning
        // (`/密级 (机密)` is 密级：机密; red team 1 Dec b, N22), and custom entries (pdf.js's `Custom`) were not read at all.
        const info = documentInfo((meta.info ?? {}) as Record<string, unknown>).join('\n');
        const xmp = meta.metadata ? JSON.stringify([...meta.metadata].map(([k, v]) => `${String(k)}：${String(v)}`)) : '';
        await text.update(Buffer.from(`\n${info}\n${xmp}\n`));
      }
      if (objects.cut) this.ctx.inspectionLimit('pdf-streams', this.path, objects.cut);
      const outline = await doc.getOutline().catch(() => null);
      if (outline) await text.update(Buffer.from(`\n${outlineTitles(outline as OutlineNode[]).join('\n')}\n`));
      await text.finish();
      const files = (await doc.getAttachments().catch(() => null)) as Record<string, { filename: string; content: Uint8Array }> | null;
      for (const a of Object.values(files ?? {})) await this.#file(a.filename || 'attachment', Buffer.from(a.content));
    } finally {
      await doc.destroy();
      // pdf.js drew that font's text as nothing: never silence.
      if (cmaps.missing.size) this.uninspectable(`the predefined CMap ${[...cmaps.missing].join(', ')} could not be loaded; text in a font that uses it was not read`);
    }
  }
}

interface OutlineNode {
  title?: string;
  items?: OutlineNode[];
}

/** The bookmarks' titles, depth first (bounded: a hostile outline may be deep or wide). */
function outlineTitles(nodes: OutlineNode[], out: string[] = [], depth = 0): string[] {
  for (const n of nodes) {
    if (out.length >= 100_000 || depth > 64) break;
    if (typeof n.title === 'string') out.push(n.title);
    if (Array.isArray(n.items)) outlineTitles(n.items, out, depth + 1);
  }
  return out;
}

/** Every string an annotation carries: its contents, title, field value, alternative text, free text; a form field's as its data. */
function annotationText(a: Record<string, unknown>, drawn: DrawnOn): string {
  const out: string[] = [];
  const field = fieldData(a, drawn);
  const take = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(take);
    else if (v && typeof v === 'object' && typeof (v as { str?: unknown }).str === 'string') out.push((v as { str: string }).str);
  };
  if (field !== null) {
    for (const k of ['contentsObj', 'titleObj', 'textContent']) take(a[k]);
    out.push(field);
    return out.join('\n');
  }
  for (const k of ['contentsObj', 'titleObj', 'fieldValue', 'alternativeText', 'textContent', 'fieldName', 'defaultFieldValue', 'options']) take(a[k]);
  if (Array.isArray(a.options)) for (const o of a.options as Array<Record<string, unknown>>) take([o.displayValue, o.exportValue]);
  return out.join('\n');
}

/** A 密级 key by another name (`/Classification`) is written as 密级 (label-keys.ts). */
function entry(k: string, v: string): string {
  return isLabelKey(k) ? labelLine(v) : `${k}：${v}`;
}

/** The document information's entries as `key：value` lines, custom entries (pdf.js's `Custom`) among them. */
function documentInfo(info: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(info)) {
    if (typeof v === 'string') out.push(entry(k, v));
    else if (k === 'Custom' && v && typeof v === 'object') for (const [ck, cv] of Object.entries(v as Record<string, unknown>)) if (typeof cv === 'string') out.push(entry(ck, cv));
  }
  return out;
}

/** A blank item pdf.js put between two runs as far apart as a table's cells (pdf-positioned.ts wideBlank). */
function cellGap(i: { str: string }): boolean {
  const r = runOf(i as PlacedItem);
  return r !== null && wideBlank({ ...r, str: i.str });
}

/** Two text items drawn one after the other stand apart on their line as a table's cells do. */
function gapBefore(a: object, b: object): boolean {
  const ra = runOf(a as PlacedItem);
  const rb = runOf(b as PlacedItem);
  return ra !== null && rb !== null && apart(ra, rb);
}
