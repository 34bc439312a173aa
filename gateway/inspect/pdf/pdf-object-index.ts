import { decodeStream } from './pdf-filters.js';

// A PDF's objects by number, as its bytes define them, for what pdf.js reads
// and does not hand on (a check box's /V under its /AS: pdf-box-values.ts).
// Every definition is kept: an incremental update appends a new one, and
// which a reader takes is its cross-reference's say; the caller reads them
// all. Objects in object streams (/Type/ObjStm, through their filters) are
// read too; an encrypted file's object streams do not decode and are not.

/** A definition's text at most (a widget's dictionary is a few hundred bytes). */
const MAX_DEF = 16 * 1024;
/** An object stream's decoded bytes at most, and all object streams' together. */
const MAX_OBJSTM = 4 * 1024 * 1024;
const MAX_OBJSTM_TOTAL = 32 * 1024 * 1024;
/** Definitions kept at most (each a slice of the file's text or of an object stream's). */
const MAX_DEFS = 500_000;

export class PdfObjectIndex {
  readonly #pdf: Buffer;
  #defs: Map<number, string[]> | null = null;
  /** Why the index stopped short of the file's end (a bound), or null: the caller reports it. */
  cut: string | null = null;
  /** Indexed when first asked (a PDF with no form asks nothing). */
  constructor(pdf: Buffer) {
    this.#pdf = pdf;
  }

  /** Every definition of object `num` (its text up to `endobj` or its stream), in file order. */
  defs(num: number): string[] {
    return (this.#defs ??= this.#index()).get(num) ?? [];
  }

  #index(): Map<number, string[]> {
    const s = this.#pdf.toString('latin1');
    const out = new Map<number, string[]>();
    let count = 0;
    const add = (n: number, text: string): void => {
      count++;
      const l = out.get(n);
      if (l) l.push(text);
      else out.set(n, [text]);
    };
    const re = /(?<![0-9])(\d{1,10})[ \t\r\n\f\0]+\d{1,5}[ \t\r\n\f\0]+obj\b/g;
    let decoded = 0;
    for (let m = re.exec(s); m; m = re.exec(s)) {
      if (count >= MAX_DEFS) {
        this.cut = `more than ${MAX_DEFS} object definitions; form values in the rest were not read`;
        break;
      }
      const from = m.index + m[0].length;
      const head = s.slice(from, from + MAX_DEF);
      const end = head.search(/\bendobj\b|\bstream[\r\n]/);
      const body = end < 0 ? head : head.slice(0, end);
      add(Number(m[1]), body);
      if (end >= 0 && head.startsWith('stream', end) && /\/Type\s*\/ObjStm\b/.test(body)) {
        if (decoded > MAX_OBJSTM_TOTAL) {
          this.cut = `object streams decoding past ${MAX_OBJSTM_TOTAL} bytes; form values in the rest were not read`;
          continue;
        }
        const defs = objStmDefs(s, from + end, body);
        decoded += defs.bytes;
        for (const [n, t] of defs.objects) add(n, t);
      }
    }
    return out;
  }
}

/** The objects of the object stream whose dictionary is `dict` and whose `stream` keyword is at `at`. */
function objStmDefs(s: string, at: number, dict: string): { objects: Array<[number, string]>; bytes: number } {
  const none = { objects: [], bytes: 0 };
  let data = at + 6;
  if (s[data] === '\r') data++;
  if (s[data] === '\n') data++;
  const len = /\/Length\s+(\d{1,10})(?!\s+\d+\s+R)/.exec(dict);
  const stop = len ? data + Number(len[1]) : s.indexOf('endstream', data);
  if (stop < data) return none;
  // One not read here (encrypted, past its bound) is read by pdf-objects.ts as it can, and reported there.
  const d = decodeStream(Buffer.from(s.slice(data, stop), 'latin1'), dict, MAX_OBJSTM);
  if (!d || !('bytes' in d)) return none;
  const t = d.bytes.toString('latin1');
  const first = Number(/\/First\s+(\d+)/.exec(dict)?.[1] ?? -1);
  if (!(first > 0 && first <= t.length)) return { objects: [], bytes: t.length };
  const head = t.slice(0, first).trim().split(/\s+/).map(Number);
  const pairs: Array<[number, number]> = [];
  for (let k = 0; k + 1 < head.length; k += 2) if (Number.isInteger(head[k]) && Number.isInteger(head[k + 1]) && first + head[k + 1]! <= t.length) pairs.push([head[k]!, first + head[k + 1]!]);
  const starts = pairs.map((p) => p[1]).sort((a, b) => a - b);
  // Each object ends where the next one (by offset) starts.
  const next = new Map(starts.map((o, k) => [o, k + 1 < starts.length ? starts[k + 1]! : t.length]));
  const objects = pairs.map(([n, o]): [number, string] => [n, t.slice(o, Math.min(next.get(o)!, o + MAX_DEF))]);
  return { objects, bytes: t.length };
}
