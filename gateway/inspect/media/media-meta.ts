import zlib from 'node:zlib';

// Media metadata held by a walk (media-shape.ts, bmff-shape.ts, flac-shape.ts)
// and read here, in memory and bounded: the strings a tag or a box holds,
// decoded from the encoding its format names (Latin-1, UTF-16 with or
// without a BOM, UTF-8), as one text view; a picture or an attached file as
// a file of its own; what a reader would decompress (an ID3v2 frame's zlib,
// unsynchronisation) decompressed, read, and sent to clamd with the other
// decoded content. What cannot be read (an encrypted ID3v2 frame, zlib that
// does not inflate or inflates past MAX_INFLATED) is an inspection limit.

/** What a metadata block gives to read: a text view, a file (content of its own), or a limit hit. */
export interface MediaReading {
  kind: 'view' | 'content' | 'limit';
  name: string;
  bytes: Buffer;
  /** Bytes only a decoder here produced (clamd never sees them). */
  decoded: boolean;
  /** For a limit: what was not read. */
  detail?: string;
}

const MAX_INFLATED = 16 * 1024 * 1024;
const MAX_FRAMES = 4096;
const MAX_FILES = 256;

/**
 * What the ID3v2 tags of one content may still inflate and give as files, all held until the text handler
 * reads them (review 7: each frame could inflate to MAX_INFLATED, 4096 frames a tag, before any limit was
 * consulted). Past it: an inspection limit, and the tag's further frames are not read.
 */
export interface Id3Budget {
  inflated: number;
  files: number;
}
export const id3Budget = (): Id3Budget => ({ inflated: MAX_INFLATED, files: MAX_FILES });
const MAX_BOXES = 4096;
const MAX_DEPTH = 8;

const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1');
const utf8 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('utf8');

/** UTF-16 strings, each ended by 00 00 at an even offset, each with its own BOM (big-endian without one when `be`). */
function utf16(b: Uint8Array, be: boolean): string {
  const out: string[] = [];
  let s = 0;
  for (let k = 0; k <= b.length; k += 2) {
    const last = k + 1 >= b.length;
    if (!last && (b[k] !== 0 || b[k + 1] !== 0)) continue;
    let piece = b.subarray(s, Math.min(k, b.length));
    s = k + 2;
    let big = be;
    if (piece[0] === 0xfe && piece[1] === 0xff) (big = true), (piece = piece.subarray(2));
    else if (piece[0] === 0xff && piece[1] === 0xfe) (big = false), (piece = piece.subarray(2));
    const c = Buffer.from(piece.subarray(0, piece.length & ~1));
    if (big) c.swap16();
    if (c.length) out.push(c.toString('utf16le'));
    if (last) break;
  }
  return out.join('\n');
}

/** Text in an ID3v2 encoding (0 Latin-1, 1 UTF-16 with BOM, 2 UTF-16BE, 3 UTF-8), NULs between strings as line breaks. */
function id3Text(enc: number, b: Uint8Array): string {
  if (enc === 1 || enc === 2) return utf16(b, enc === 2);
  return (enc === 3 ? utf8(b) : latin1(b)).replace(/\0/g, '\n');
}

/** Unsynchronisation (ID3v2.4 §6.1) undone: every 00 after an FF dropped. */
function resync(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  let n = 0;
  for (let k = 0; k < b.length; k++) {
    if (b[k] === 0 && k > 0 && b[k - 1] === 0xff) continue;
    out[n++] = b[k]!;
  }
  return out.subarray(0, n);
}

const syncsafe = (b: Uint8Array, at: number): number => ((b[at]! & 0x7f) << 21) | ((b[at + 1]! & 0x7f) << 14) | ((b[at + 2]! & 0x7f) << 7) | (b[at + 3]! & 0x7f);
const u32 = (b: Uint8Array, at: number): number => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

/**
 * An ID3v2 tag (v2.2, v2.3, v2.4), whole: its frames' text decoded, frames compressed with zlib (v2.3 flag
 * 0x0080 with the decompressed size before the data; v2.4 0x0008 with a data length indicator) inflated,
 * unsynchronisation (the tag's in v2.2/2.3, each frame's in v2.4) undone; a frame a reader decompresses or
 * resynchronises that is not text is content of its own; a picture (APIC, PIC) or an object (GEOB) is a file.
 */
export function readId3(t: Uint8Array, name = '(id3)', budget: Id3Budget = id3Budget()): MediaReading[] {
  const out: MediaReading[] = [];
  if (t.length < 10 || t[0] !== 0x49 || t[1] !== 0x44 || t[2] !== 0x33) return out;
  const v = t[3]!;
  const flags = t[5]!;
  let body = t.subarray(10, 10 + syncsafe(t, 6));
  if (v <= 3 && flags & 0x80) body = resync(body);
  let p = 0;
  if (flags & 0x40 && v >= 3) p = v === 3 ? 4 + u32(body, 0) : syncsafe(body, 0);
  const hLen = v === 2 ? 6 : 10;
  const texts: string[] = [];
  const decodedTexts: string[] = [];
  for (let n = 0; n < MAX_FRAMES && p + hLen <= body.length && body[p] !== 0; n++) {
    const id = latin1(body.subarray(p, p + (v === 2 ? 3 : 4)));
    if (!/^[A-Z0-9]+$/.test(id)) break;
    const size = v === 2 ? (body[p + 3]! << 16) | (body[p + 4]! << 8) | body[p + 5]! : v === 4 ? syncsafe(body, p + 4) : u32(body, p + 4);
    const fl = v === 2 ? 0 : (body[p + 8]! << 8) | body[p + 9]!;
    let data: Uint8Array = body.subarray(p + hLen, p + hLen + size);
    p += hLen + size;
    let compressed = false;
    let encrypted = false;
    let decoded = false;
    if (v === 3) {
      compressed = (fl & 0x80) !== 0;
      encrypted = (fl & 0x40) !== 0;
      data = data.subarray((compressed ? 4 : 0) + (encrypted ? 1 : 0) + (fl & 0x20 ? 1 : 0));
    } else if (v === 4) {
      compressed = (fl & 0x08) !== 0;
      encrypted = (fl & 0x04) !== 0;
      data = data.subarray((fl & 0x40 ? 1 : 0) + (encrypted ? 1 : 0) + (fl & 0x01 ? 4 : 0));
      if (fl & 0x02 || flags & 0x80) {
        const r = resync(data);
        decoded = r.length !== data.length;
        data = r;
      }
    }
    if (encrypted) {
      out.push({ kind: 'limit', name, bytes: Buffer.alloc(0), decoded: false, detail: `an ID3v2 frame (${id}) is encrypted; it cannot be read` });
      continue;
    }
    const over = `the ID3v2 frames of one content inflate past ${MAX_INFLATED} bytes or give more than ${MAX_FILES} files (at ${id}); the rest were not read`;
    if (compressed) {
      if (budget.inflated <= 0) {
        out.push({ kind: 'limit', name, bytes: Buffer.alloc(0), decoded: false, detail: over });
        break;
      }
      try {
        data = zlib.inflateSync(data, { maxOutputLength: budget.inflated });
        budget.inflated -= data.length;
        decoded = true;
      } catch (e) {
        const past = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
        out.push({ kind: 'limit', name, bytes: Buffer.alloc(0), decoded: false, detail: past ? over : `an ID3v2 frame (${id}) is flagged compressed but does not inflate` });
        if (past) break;
        continue;
      }
    }
    const into = decoded ? decodedTexts : texts;
    if (id[0] === 'T' || id[0] === 'W' || id === 'COMM' || id === 'COM' || id === 'USLT' || id === 'ULT' || id === 'USER') {
      // Encoding byte (not in URL frames), then for comments and lyrics a language code.
      const lang = id === 'COMM' || id === 'COM' || id === 'USLT' || id === 'ULT' || id === 'USER' ? 3 : 0;
      into.push(id[0] === 'W' && id !== 'WXXX' && id !== 'WXX' ? latin1(data) : id3Text(data[0] ?? 0, data.subarray(1 + lang)));
    } else {
      // A picture or an object: its data a file (its header's strings text); any other frame a reader decoded: content, and to clamd whole.
      const file = id === 'APIC' || id === 'PIC' || id === 'GEOB' ? id3Object(id, data) : null;
      if ((file || decoded) && --budget.files < 0) {
        out.push({ kind: 'limit', name, bytes: Buffer.alloc(0), decoded: false, detail: over });
        break;
      }
      if (file) {
        into.push(file.text);
        out.push({ kind: 'content', name: `${name}!/${id}`, bytes: Buffer.from(file.data), decoded: false });
      }
      if (decoded) out.push({ kind: 'content', name: `${name}!/${id}(decoded)`, bytes: Buffer.isBuffer(data) ? data : Buffer.from(data), decoded });
    }
  }
  if (texts.length) out.push({ kind: 'view', name, bytes: Buffer.from(texts.join('\n')), decoded: false });
  if (decodedTexts.length) out.push({ kind: 'view', name, bytes: Buffer.from(decodedTexts.join('\n')), decoded: true });
  return out;
}

/** A picture's or an object's header (encoding, MIME type or format, picture type, filename, description) and its data. */
function id3Object(id: string, d: Uint8Array): { text: string; data: Uint8Array } | null {
  const enc = d[0] ?? 0;
  let k = 1;
  const cstr = (wide: boolean): Uint8Array => {
    const from = k;
    if (wide) {
      while (k + 1 < d.length && (d[k] !== 0 || d[k + 1] !== 0)) k += 2;
      k += 2;
      return d.subarray(from, k - 2);
    }
    while (k < d.length && d[k] !== 0) k++;
    k++;
    return d.subarray(from, k - 1);
  };
  const wide = enc === 1 || enc === 2;
  const parts: string[] = [];
  if (id === 'PIC') k = 4;
  else parts.push(latin1(cstr(false)));
  if (id !== 'GEOB') k++;
  else parts.push(id3Text(enc, cstr(wide)));
  parts.push(id3Text(enc, cstr(wide)));
  if (k > d.length) return null;
  return { text: parts.join('\n'), data: d.subarray(k) };
}

/** What a metadata box (`udta`, `meta`, `uuid`, `ID32`) gives: readings, bytes covered (files read as such), HEIF item extents. */
export interface BmffMeta {
  readings: MediaReading[];
  covered: Array<[number, number]>;
  extents: Array<[number, number]>;
}

const XMP_UUID = 'be7acfcb97a942e89c71999491e3afac';
/** Boxes inside metadata whose children are boxes. */
const META_CONTAINERS = new Set(['udta', 'ilst', 'moov', 'trak', 'iprp', 'ipco', 'tags']);

/**
 * A metadata box's body, `at` its offset in the content: iTunes-style `ilst` items and their `data` (UTF-8,
 * UTF-16, a JPEG, PNG or BMP cover as a file), QuickTime `©xxx` strings, 3GPP asset boxes, `mean`/`name`,
 * `xml `, `XMP_` and the XMP `uuid` as text, `ID32` as an ID3v2 tag, `iloc` extents (HEIF items, which lie
 * in `mdat`).
 */
export function readBmffMeta(type: string, body: Uint8Array, at: number, budget: Id3Budget = id3Budget()): BmffMeta {
  const r: BmffMeta = { readings: [], covered: [], extents: [] };
  const texts: string[] = [];
  let boxes = 0;
  const leaf = (t: string, b: Uint8Array, off: number, parent: string): void => {
    if (t === 'data' && b.length >= 8) {
      const wk = u32(b, 0) & 0xffffff;
      const payload = b.subarray(8);
      if (wk === 1) texts.push(utf8(payload));
      else if (wk === 2) texts.push(utf16(payload, true));
      else if (wk === 13 || wk === 14 || wk === 27 || wk === 0) {
        r.readings.push({ kind: 'content', name: `(${parent.replace(/\W/g, '_')})`, bytes: Buffer.from(payload), decoded: false });
        r.covered.push([off + 8, off + b.length]);
      }
    } else if (t === 'mean' || t === 'name') texts.push(utf8(b.subarray(4)));
    else if (t === 'xml ' || t === 'XMP_') texts.push(utf8(b.subarray(t === 'xml ' ? 4 : 0)));
    else if (t === 'ID32' && b.length > 6) r.readings.push(...readId3(b.subarray(6), '(id32)', budget));
    else if (t === 'iloc') r.extents.push(...ilocExtents(b));
    else if (t === 'uuid' && b.length >= 16) {
      const id = Buffer.from(b.subarray(0, 16)).toString('hex');
      if (id === XMP_UUID) texts.push(utf8(b.subarray(16)));
      else r.readings.push({ kind: 'content', name: `(uuid ${id})`, bytes: Buffer.from(b.subarray(16)), decoded: false });
    } else if (t.charCodeAt(0) === 0xa9 || /^(cprt|titl|auth|perf|gnre|dscp|albm|kywd|loci|yrrc|rtng|clsf|name|desc|hinf)$/.test(t)) texts.push(qtStrings(t, b));
  };
  const walk = (b: Uint8Array, off: number, parent: string, depth: number): void => {
    let p = 0;
    while (p + 8 <= b.length && boxes++ < MAX_BOXES) {
      let size = u32(b, p);
      const t = latin1(b.subarray(p + 4, p + 8));
      let head = 8;
      if (size === 1 && p + 16 <= b.length) {
        size = u32(b, p + 12); // 64-bit sizes inside metadata are under 2^32 (MAX_HELD)
        head = 16;
      } else if (size === 0) size = b.length - p;
      if (size < head || p + size > b.length) return;
      const inner = b.subarray(p + head, p + size);
      const innerAt = off + p + head;
      p += size;
      if (depth >= MAX_DEPTH) continue;
      // An item atom in ilst, or a ©xxx atom holding data boxes: a container.
      const holdsData = inner.length >= 16 && latin1(inner.subarray(4, 8)) === 'data';
      if (t === 'meta') meta(inner, innerAt, depth + 1);
      else if (META_CONTAINERS.has(t) || parent === 'ilst' || holdsData) walk(inner, innerAt, t, depth + 1);
      else leaf(t, inner, innerAt, parent);
    }
  };
  // A meta box is a full box (4 bytes of version and flags) in ISO BMFF, a plain one in QuickTime (hdlr first).
  const meta = (b: Uint8Array, off: number, depth: number): void => {
    const full = !(b.length >= 8 && latin1(b.subarray(4, 8)) === 'hdlr');
    walk(b.subarray(full ? 4 : 0), off + (full ? 4 : 0), 'meta', depth);
  };
  if (type === 'meta') meta(body, at, 0);
  else if (type === 'udta') walk(body, at, 'udta', 0);
  else leaf(type, body, at, '');
  if (texts.length) r.readings.push({ kind: 'view', name: '(media-metadata)', bytes: Buffer.from(texts.join('\n')), decoded: false });
  return r;
}

/** QuickTime user data strings (a 16-bit size and language, then the text) or a 3GPP asset box (full box, language, text). */
function qtStrings(t: string, b: Uint8Array): string {
  if (t.charCodeAt(0) !== 0xa9) {
    const s = b.subarray(6);
    return s[0] === 0xfe && s[1] === 0xff ? utf16(s, true) : utf8(s).replace(/\0/g, '\n');
  }
  const out: string[] = [];
  let p = 0;
  while (p + 4 <= b.length) {
    const n = (b[p]! << 8) | b[p + 1]!;
    if (p + 4 + n > b.length) break;
    out.push(utf8(b.subarray(p + 4, p + 4 + n)));
    p += 4 + n;
  }
  return p === b.length ? out.join('\n') : utf8(b);
}

/** HEIF's item locations (ISO/IEC 14496-12 §8.11.3), construction method 0 (absolute offsets in the file). */
function ilocExtents(b: Uint8Array): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (b.length < 8) return out;
  const v = b[0]!;
  const offSize = b[4]! >> 4;
  const lenSize = b[4]! & 15;
  const baseSize = b[5]! >> 4;
  const idxSize = v >= 1 ? b[5]! & 15 : 0;
  let p = 6;
  const num = (n: number): number => {
    let x = 0;
    for (let k = 0; k < n; k++) x = x * 256 + (b[p + k] ?? 0);
    p += n;
    return x;
  };
  const items = v < 2 ? num(2) : num(4);
  for (let i = 0; i < items && p < b.length; i++) {
    num(v < 2 ? 2 : 4);
    const method = v >= 1 ? num(2) & 15 : 0;
    num(2);
    const base = num(baseSize);
    const extents = num(2);
    for (let e = 0; e < extents && p <= b.length; e++) {
      num(idxSize);
      const off = num(offSize);
      const len = num(lenSize);
      if (method === 0) out.push([base + off, len]);
    }
  }
  return out;
}

/**
 * A FLAC metadata block's body: VORBIS_COMMENT's vendor and `NAME=value` strings (UTF-8) as text; a PICTURE's
 * MIME type and description as text and its data as a file; PADDING that is not zeros, APPLICATION data and
 * blocks of a type FLAC does not define as content of their own (what a program reads back from them).
 */
export function readFlacBlock(type: number, b: Uint8Array): MediaReading[] {
  const le = (at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
  const content = (name: string, d: Uint8Array): MediaReading => ({ kind: 'content', name, bytes: Buffer.from(d), decoded: false });
  if (type === 4) {
    const texts: string[] = [];
    let p = 0;
    const str = (): boolean => {
      if (p + 4 > b.length) return false;
      const n = le(p);
      if (p + 4 + n > b.length) return false;
      texts.push(utf8(b.subarray(p + 4, p + 4 + n)));
      p += 4 + n;
      return true;
    };
    let ok = str() && p + 4 <= b.length;
    const count = ok ? le(p) : 0;
    p += 4;
    for (let k = 0; ok && k < count && k < MAX_FRAMES; k++) ok = str();
    // A comment block that does not parse is read as the bytes it is.
    return ok ? [{ kind: 'view', name: '(flac-comment)', bytes: Buffer.from(texts.join('\n')), decoded: false }] : [content('(flac-comment)', b)];
  }
  if (type === 6 && b.length >= 32) {
    const mime = u32(b, 4);
    const desc = 8 + mime < b.length - 4 ? u32(b, 8 + mime) : -1;
    const at = 12 + mime + desc + 16;
    if (desc >= 0 && at + 4 <= b.length && at + 4 + u32(b, at) <= b.length) {
      const text = `${latin1(b.subarray(8, 8 + mime))}\n${utf8(b.subarray(12 + mime, 12 + mime + desc))}`;
      return [
        { kind: 'view', name: '(flac-picture)', bytes: Buffer.from(text), decoded: false },
        content('(flac-picture)', b.subarray(at + 4, at + 4 + u32(b, at))),
      ];
    }
    return [content('(flac-picture)', b)];
  }
  if (type === 0 || type === 3 || type === 5 || (type === 1 && b.every((x) => x === 0))) return [];
  return [content(`(flac-block ${type})`, b)];
}
