import type { PdfObjectIndex } from './pdf-object-index.js';
import { nameBytes } from './pdf-form-fields.js';

// A check box's value as a program reads it (R6, 2 Dec). pdf.js reads a
// check box by its /AS, what a viewer draws, and drops its /V; a program
// exporting the form (Acrobat's export, pdftk, PyPDF) reads /V, its own or
// its field's up the /Parent chain (Acrobat's boxes of one name, an export
// value each, are kids of one field whose /V names the one ticked). A box
// drawn Off whose /V names its on-state says ☑: its objects are read from
// the file's bytes (pdf-object-index.ts), every definition of them.

/** /Parent links followed at most. */
const MAX_DEPTH = 16;

/** A name's bytes, its #xx escapes undone (compared as bytes: a name in GBK is no UTF-8). */
function pdfName(raw: string): Buffer {
  return Buffer.from(raw.replace(/#([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
}

const NAME = /^\s*\/([^\s/<>[\]()%{}]*)/;

/** A definition's /V as a name: written there, or an object that is one (`/V 15 0 R`); null when none. */
function ownValue(index: PdfObjectIndex, d: string): Buffer | null {
  const v = /\/V(?![A-Za-z0-9#_.-])\s*\/([^\s/<>[\]()%{}]*)/.exec(d);
  if (v) return pdfName(v[1]!);
  // An indirect /V (an /AA's /V is a validate action: no name there).
  for (const r of d.matchAll(/\/V\s+(\d{1,10})\s+\d{1,5}\s+R/g)) {
    for (const t of index.defs(Number(r[1]))) {
      const n = NAME.exec(t);
      if (n) return pdfName(n[1]!);
    }
  }
  return null;
}

/** Every /V name the object `num` defines, or else its field's up the /Parent chain, in each definition. */
function values(index: PdfObjectIndex, num: number, depth = 0): Buffer[] {
  const out: Buffer[] = [];
  for (const d of index.defs(num)) {
    const v = ownValue(index, d);
    if (v !== null) out.push(v);
    else if (depth < MAX_DEPTH) {
      const p = /\/Parent\s+(\d{1,10})\s+\d{1,5}\s+R/.exec(d);
      if (p && Number(p[1]) !== num) out.push(...values(index, Number(p[1]), depth + 1));
    }
  }
  return out;
}

/** The ids of check boxes pdf.js reads Off (by /AS) whose /V, in the file, names their on-state. */
export function boxesValuedOn(index: PdfObjectIndex, annots: Array<Record<string, unknown>>): Set<string> {
  const out = new Set<string>();
  for (const a of annots) {
    if (a.checkBox !== true || typeof a.id !== 'string' || typeof a.exportValue !== 'string') continue;
    if (a.fieldValue === a.exportValue) continue;
    const m = /^(\d+)R(?:\d*)$/.exec(a.id);
    if (!m) continue;
    const on = nameBytes(a.exportValue);
    if (on && on.toString('latin1') !== 'Off' && values(index, Number(m[1])).some((v) => v.equals(on))) out.add(a.id);
  }
  return out;
}
