import zlib from 'node:zlib';

// A PDF stream's bytes through its /Filter chain and /DecodeParms (ISO
// 32000-1 §7.4): FlateDecode and LZWDecode (EarlyChange) with the TIFF (2)
// and PNG (10-15) predictors, ASCIIHexDecode, ASCII85Decode, RunLengthDecode
// and the Identity Crypt filter, each stage bounded to `max` output bytes.
// Before 1 December only Flate was undone and /DecodeParms was ignored: a
// stream behind LZW, ASCIIHex+LZW or a predictor, an XMP packet or an object
// stream so compressed, was skipped whole (red team of 1 December, N15). Image
// filters (DCT, JPX, CCITT fax, JBIG2) mark pictures, not text: such a stream
// is `image`. A filter this reading does not know (Crypt with a named filter,
// a misspelt or private name, a chain given by reference) is `unread`, with
// its name, for the caller to report: never silence.

export type Decoded = { bytes: Buffer } | { over: true } | { image: true } | { unread: string } | null;

const IMAGE = new Set(['DCTDecode', 'DCT', 'JPXDecode', 'CCITTFaxDecode', 'CCF', 'JBIG2Decode']);
const SHORT: Record<string, string> = { Fl: 'FlateDecode', LZW: 'LZWDecode', AHx: 'ASCIIHexDecode', A85: 'ASCII85Decode', RL: 'RunLengthDecode' };

class Over extends Error {}

interface Parms {
  predictor: number;
  colors: number;
  bpc: number;
  columns: number;
  earlyChange: number;
  name: string | null;
}

/** The stream's bytes through every filter its dictionary names; null when they do not decode. */
export function decodeStream(raw: Buffer, dict: string, max: number): Decoded {
  const chain = filterChain(dict);
  if (typeof chain === 'string') return { unread: chain };
  if (chain.some((f) => IMAGE.has(f.name))) return { image: true };
  let b = raw;
  try {
    for (const f of chain) {
      const out = stage(b, f.name, f.parms, max);
      if (typeof out === 'string') return { unread: out };
      if (out === null) return null;
      b = out;
    }
  } catch (e) {
    if (e instanceof Over) return { over: true };
    throw e;
  }
  return { bytes: b };
}

function stage(b: Buffer, name: string, p: Parms, max: number): Buffer | string | null {
  switch (name) {
    case 'FlateDecode': {
      const d = inflate(b, max);
      return d && predicted(d, p, max);
    }
    case 'LZWDecode':
      return predicted(lzw(b, p.earlyChange, max), p, max);
    case 'ASCIIHexDecode':
      return asciiHex(b);
    case 'ASCII85Decode':
      return ascii85(b, max);
    case 'RunLengthDecode':
      return runLength(b, max);
    case 'Crypt':
      // The Identity crypt filter (the default when none is named) leaves the bytes as they are.
      return p.name === null || p.name === 'Identity' ? b : `Crypt (/${p.name})`;
    default:
      return name;
  }
}

/** The filters and their parameters, in the order they are undone; a string names what cannot be read. */
function filterChain(dict: string): Array<{ name: string; parms: Parms }> | string {
  const f = /\/Filter\s*(\[[^\]]*\]|\/[^\s/<>[\]()]+|\d+\s+\d+\s+R)/.exec(dict);
  if (!f) return [];
  if (/R$/.test(f[1]!)) return 'a filter given by reference';
  const names = [...f[1]!.matchAll(/\/([^\s/<>[\]()]+)/g)].map((m) => unescapeName(m[1]!)).map((n) => SHORT[n] ?? n);
  const parms = decodeParms(dict, names.length);
  return names.map((name, i) => ({ name, parms: parms[i]! }));
}

/** `/DecodeParms` (or `/DP`): one dictionary for every filter, or an array of dictionaries and nulls, one a filter. */
function decodeParms(dict: string, n: number): Parms[] {
  const none = (): Parms => ({ predictor: 1, colors: 1, bpc: 8, columns: 1, earlyChange: 1, name: null });
  const out = Array.from({ length: n }, none);
  const at = /\/(?:DecodeParms|DP)\s*([[<])/.exec(dict);
  if (!at) return out;
  const start = at.index + at[0].length - 1;
  const dicts: Array<string | null> = [];
  if (at[1] === '<') dicts.push(balanced(dict, start));
  else {
    let i = start + 1;
    while (i < dict.length && dict[i] !== ']' && dicts.length < n) {
      if (dict.startsWith('<<', i)) {
        const d = balanced(dict, i);
        dicts.push(d);
        i += d.length;
      } else if (dict.startsWith('null', i)) {
        dicts.push(null);
        i += 4;
      } else i++;
    }
  }
  const single = at[1] === '<';
  for (let k = 0; k < n; k++) {
    const d = single ? dicts[0] : dicts[k];
    if (!d) continue;
    const num = (key: string, dflt: number): number => {
      const m = new RegExp(`/${key}\\s+(-?\\d+)`).exec(d);
      return m ? Number(m[1]) : dflt;
    };
    out[k] = { predictor: num('Predictor', 1), colors: num('Colors', 1), bpc: num('BitsPerComponent', 8), columns: num('Columns', 1), earlyChange: num('EarlyChange', 1), name: /\/Name\s*\/([^\s/<>[\]()]+)/.exec(d)?.[1] ?? null };
  }
  return out;
}

/** A `<< … >>` dictionary from `i`, nested ones inside it (bounded by the text it is in). */
function balanced(s: string, i: number): string {
  let depth = 0;
  for (let j = i; j < s.length - 1; j++) {
    if (s[j] === '<' && s[j + 1] === '<') {
      depth++;
      j++;
    } else if (s[j] === '>' && s[j + 1] === '>') {
      depth--;
      j++;
      if (depth === 0) return s.slice(i, j + 1);
    }
  }
  return s.slice(i);
}

function unescapeName(n: string): string {
  return n.replace(/#([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function inflate(b: Buffer, max: number): Buffer | null {
  const opts = { maxOutputLength: max, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  try {
    return zlib.inflateSync(b, opts);
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new Over();
    try {
      return zlib.inflateRawSync(b, opts);
    } catch (e2) {
      if ((e2 as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new Over();
      return null;
    }
  }
}

/** Output of at most `max` bytes, grown as it is written. */
class Out {
  buf = Buffer.allocUnsafe(4096);
  n = 0;
  constructor(readonly max: number) {}
  room(k: number): void {
    if (this.n + k > this.max) throw new Over();
    if (this.n + k <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.min(this.max, Math.max(this.buf.length * 2, this.n + k)));
    this.buf.copy(next, 0, 0, this.n);
    this.buf = next;
  }
  push(c: number): void {
    this.room(1);
    this.buf[this.n++] = c;
  }
  done(): Buffer {
    return this.buf.subarray(0, this.n);
  }
}

/** LZWDecode (§7.4.4): 9- to 12-bit codes, 256 clears the table, 257 ends; EarlyChange 1 widens a code early. */
export function lzw(b: Buffer, earlyChange: number, max: number): Buffer {
  const out = new Out(max);
  const prefix = new Int32Array(4096);
  const suffix = new Uint8Array(4096);
  const length = new Int32Array(4096);
  for (let i = 0; i < 256; i++) {
    prefix[i] = -1;
    suffix[i] = i;
    length[i] = 1;
  }
  let next = 258;
  let width = 9;
  let prev = -1;
  let bits = 0;
  let nbits = 0;
  const early = earlyChange === 0 ? 0 : 1;
  const stack = new Uint8Array(4096);
  for (let i = 0; i < b.length; ) {
    while (nbits < width && i < b.length) {
      bits = ((bits << 8) | b[i++]!) >>> 0;
      nbits += 8;
    }
    if (nbits < width) break;
    const code = (bits >>> (nbits - width)) & ((1 << width) - 1);
    nbits -= width;
    bits &= (1 << nbits) - 1;
    if (code === 256) {
      next = 258;
      width = 9;
      prev = -1;
      continue;
    }
    if (code === 257) break;
    let cur = code;
    let first: number;
    if (code < next && (code < 256 || code >= 258)) {
      // Known: its string, read back through the prefixes.
      first = emit(code);
    } else if (code === next && prev >= 0) {
      // The KwKwK case: the previous string and its own first byte.
      first = emit(prev);
      out.push(first);
      cur = -1;
    } else break; // a code not yet in the table: corrupt from here
    if (prev >= 0 && next < 4096) {
      prefix[next] = prev;
      suffix[next] = first;
      length[next] = length[prev]! + 1;
      next++;
    }
    prev = cur >= 0 ? cur : next - 1;
    if (next + early >= 1 << width && width < 12) width++;
  }
  return out.done();

  function emit(code: number): number {
    let k = length[code]!;
    out.room(k);
    let c = code;
    while (k > 0) {
      stack[--k] = suffix[c]!;
      c = prefix[c]!;
    }
    const len = length[code]!;
    for (let j = 0; j < len; j++) out.buf[out.n++] = stack[j]!;
    return stack[0]!;
  }
}

/** The TIFF (2) or PNG (10-15) predictor undone; other values leave the bytes as they are (§7.4.4.4). */
function predicted(b: Buffer, p: Parms, max: number): Buffer | string {
  if (p.predictor <= 1) return b;
  const bpp = Math.max(1, Math.ceil((p.colors * p.bpc) / 8));
  const row = Math.ceil((p.colors * p.bpc * p.columns) / 8);
  if (row < 1 || row > max || p.colors < 1 || p.bpc < 1) return `a predictor with Colors ${p.colors}, BitsPerComponent ${p.bpc}, Columns ${p.columns}`;
  if (p.predictor === 2) {
    if (p.bpc !== 8) return `the TIFF predictor with ${p.bpc} bits a component`;
    const o = Buffer.from(b);
    for (let r = 0; r < o.length; r += row) for (let i = r + bpp; i < Math.min(r + row, o.length); i++) o[i] = (o[i]! + o[i - bpp]!) & 0xff;
    return o;
  }
  if (p.predictor < 10 || p.predictor > 15) return `predictor ${p.predictor}`;
  // Rows are undone in place in the output, each against the one before it there (zeros above the first).
  const rows = Math.ceil(b.length / (row + 1));
  if (rows * row > max) throw new Over();
  const o = Buffer.alloc(rows * row);
  for (let r = 0, at = 0; r < b.length; r += row + 1, at += row) {
    const type = b[r]!;
    const n = Math.min(row, b.length - r - 1);
    b.copy(o, at, r + 1, r + 1 + n);
    const up = at - row;
    if (type === 1) for (let i = bpp; i < row; i++) o[at + i] = (o[at + i]! + o[at + i - bpp]!) & 0xff;
    else if (type === 2 && up >= 0) for (let i = 0; i < row; i++) o[at + i] = (o[at + i]! + o[up + i]!) & 0xff;
    else if (type === 3) for (let i = 0; i < row; i++) o[at + i] = (o[at + i]! + (((i >= bpp ? o[at + i - bpp]! : 0) + (up >= 0 ? o[up + i]! : 0)) >> 1)) & 0xff;
    else if (type === 4)
      for (let i = 0; i < row; i++) {
        const a = i >= bpp ? o[at + i - bpp]! : 0;
        const u = up >= 0 ? o[up + i]! : 0;
        const c = i >= bpp && up >= 0 ? o[up + i - bpp]! : 0;
        const pa = Math.abs(u - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + u - 2 * c);
        o[at + i] = (o[at + i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? u : c)) & 0xff;
      }
  }
  return o.subarray(0, Math.max(0, b.length - rows));
}

/** ASCIIHexDecode: hex digits, white space ignored, `>` ends; an odd last digit is followed by 0. */
function asciiHex(b: Buffer): Buffer {
  const out = Buffer.allocUnsafe((b.length >> 1) + 1);
  let n = 0;
  let hi = -1;
  for (const c of b) {
    if (c === 0x3e) break;
    const v = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 55 : c >= 0x61 && c <= 0x66 ? c - 87 : -1;
    if (v < 0) continue;
    if (hi < 0) hi = v;
    else {
      out[n++] = (hi << 4) | v;
      hi = -1;
    }
  }
  if (hi >= 0) out[n++] = hi << 4;
  return out.subarray(0, n);
}

/** ASCII85Decode: groups of five in `!`–`u`, `z` for four zeros, `~>` ends (a leading `<~` is skipped). */
function ascii85(b: Buffer, max: number): Buffer {
  const out = new Out(max);
  let group = 0;
  let k = 0;
  let i = b[0] === 0x3c && b[1] === 0x7e ? 2 : 0;
  for (; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0x7e) break;
    if (c === 0x7a && k === 0) {
      out.room(4);
      out.buf.fill(0, out.n, out.n + 4);
      out.n += 4;
      continue;
    }
    if (c < 0x21 || c > 0x75) continue;
    group = group * 85 + (c - 0x21);
    if (++k === 5) {
      out.room(4);
      out.buf.writeUInt32BE(group >>> 0, out.n);
      out.n += 4;
      group = 0;
      k = 0;
    }
  }
  if (k > 1) {
    for (let j = k; j < 5; j++) group = group * 85 + 84;
    const last = Buffer.alloc(4);
    last.writeUInt32BE(group >>> 0);
    for (let j = 0; j < k - 1; j++) out.push(last[j]!);
  }
  return out.done();
}

/** RunLengthDecode: a length byte 0-127 copies that many plus one, 129-255 repeats the next byte 257 minus it times, 128 ends. */
function runLength(b: Buffer, max: number): Buffer {
  const out = new Out(max);
  for (let i = 0; i < b.length; ) {
    const len = b[i++]!;
    if (len === 128) break;
    if (len < 128) {
      const s = b.subarray(i, i + len + 1);
      out.room(s.length);
      s.copy(out.buf, out.n);
      out.n += s.length;
      i += len + 1;
    } else {
      if (i >= b.length) break;
      const n = 257 - len;
      out.room(n);
      out.buf.fill(b[i++]!, out.n, out.n + n);
      out.n += n;
    }
  }
  return out.done();
}
