// The text of a Word 97–2003 document as Word shows it: the pieces of the
// WordDocument stream in the order of the piece table (the Clx in the 0Table
// or 1Table stream), each either UTF-16LE or 8-bit "compressed" (cp1252).
// A fast-saved document keeps its text out of order; read raw, a marking can
// be split across pieces. [MS-DOC] 2.5.1 (Fib), 2.9.38 (Clx), 2.9.177 (Pcd).

const FIB_IDENT = 0xa5ec;
const CLX_INDEX = 33; // fcClx/lcbClx in FibRgFcLcb97
const MAX_PIECES = 1 << 20;

export type WordText =
  | { ok: true; text: string }
  | { ok: false; encrypted: boolean; why: string };

/** cp1252's 0x80–0x9f differ from Latin-1; the rest maps one to one. */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function cp1252(b: Buffer): string {
  let s = '';
  for (const c of b) s += c >= 0x80 && c <= 0x9f ? CP1252_HIGH[c - 0x80] : String.fromCharCode(c);
  return s;
}

/** Whether a WordDocument stream starts with a Word 97+ FIB. */
export function isWordFib(doc: Buffer): boolean {
  return doc.length >= 32 && doc.readUInt16LE(0) === FIB_IDENT;
}

/** `table(name)` returns the 0Table or 1Table stream. */
export function wordText(doc: Buffer, table: (name: '0Table' | '1Table') => Buffer | undefined): WordText {
  const flags = doc.readUInt16LE(0x0a);
  if (flags & 0x0100) return { ok: false, encrypted: true, why: 'the document is encrypted (fEncrypted)' };
  const tbl = table(flags & 0x0200 ? '1Table' : '0Table');
  if (!tbl) return { ok: false, encrypted: false, why: 'its table stream is missing' };
  let at = 32;
  const need = (n: number) => {
    if (at + n > doc.length) throw new Error('the FIB is cut short');
  };
  try {
    need(2);
    at += 2 + doc.readUInt16LE(at) * 2; // csw, fibRgW
    need(2);
    at += 2 + doc.readUInt16LE(at) * 4; // cslw, fibRgLw
    need(2);
    const cbRgFcLcb = doc.readUInt16LE(at);
    at += 2;
    if (cbRgFcLcb <= CLX_INDEX) throw new Error('the FIB has no piece table entry');
    at += CLX_INDEX * 8;
    need(8);
    const fcClx = doc.readUInt32LE(at);
    const lcbClx = doc.readUInt32LE(at + 4);
    if (fcClx + lcbClx > tbl.length || lcbClx === 0) throw new Error('the piece table lies outside its stream');
    return { ok: true, text: piecesText(doc, tbl.subarray(fcClx, fcClx + lcbClx)) };
  } catch (e) {
    return { ok: false, encrypted: false, why: e instanceof Error ? e.message : String(e) };
  }
}

function piecesText(doc: Buffer, clx: Buffer): string {
  let i = 0;
  // Prc entries (clxt 0x01, formatting) come first; then the one Pcdt (0x02).
  while (i < clx.length && clx[i] === 0x01) {
    if (i + 3 > clx.length) throw new Error('a Prc is cut short');
    i += 3 + clx.readInt16LE(i + 1);
  }
  if (clx[i] !== 0x02 || i + 5 > clx.length) throw new Error('no Pcdt in the Clx');
  const lcb = clx.readUInt32LE(i + 1);
  const plc = clx.subarray(i + 5, i + 5 + lcb);
  if (plc.length !== lcb || (lcb - 4) % 12 !== 0) throw new Error('the PlcPcd has a bad length');
  const n = (lcb - 4) / 12;
  if (n > MAX_PIECES) throw new Error(`more than ${MAX_PIECES} pieces`);
  const parts: string[] = [];
  for (let k = 0; k < n; k++) {
    const cp0 = plc.readUInt32LE(k * 4);
    const cp1 = plc.readUInt32LE((k + 1) * 4);
    if (cp1 < cp0) throw new Error('the piece table is out of order');
    const pcd = 4 * (n + 1) + k * 8;
    const fcRaw = plc.readUInt32LE(pcd + 2);
    const compressed = (fcRaw & 0x40000000) !== 0;
    const fc = fcRaw & 0x3fffffff;
    const chars = cp1 - cp0;
    const from = compressed ? fc / 2 : fc;
    const to = from + (compressed ? chars : chars * 2);
    if (!Number.isInteger(from) || to > doc.length) throw new Error('a piece lies outside the WordDocument stream');
    const bytes = doc.subarray(from, to);
    parts.push(compressed ? cp1252(bytes) : bytes.toString('utf16le'));
  }
  return parts.join('');
}
