import { createCipheriv, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import { ID, MARK, type Sample } from './evasion-fixtures.js';

// Media that file-type names by a signature of two bytes or so (`BM`, an
// MPEG frame sync, `0B 77`), checked past it (media-shape.ts): encrypted
// bytes behind such a signature are judged as the bytes they are; and real
// media of each kind, built here as its writers lay it out (every BMP depth
// and header, RLE, MP3 with ID3v2, Xing, VBR, ID3v1 and APE tags, MPEG-2 and
// 2.5, layers I and II, ADTS AAC, AC-3 and E-AC-3, transport streams, icons
// and cursors of PNG and bitmap images, TrueType and OpenType fonts), must
// stay clean.

/** Deterministic bytes that look like compressed data (SHA-256 in counter mode). */
export function noise(n: number, seed: string): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0, k = 0; i < n; k++) {
    const h = createHash('sha256').update(`${seed}:${k}`).digest();
    i += h.copy(out, i);
  }
  return out;
}

/** A memo with a marking and an id number, encrypted (AES-256-CTR): what a sender hides behind a signature. */
export function encrypted(n: number): Buffer {
  const memo = Buffer.from(`${MARK}\n身份证号 ${ID}\n`.repeat(Math.ceil(n / 40)));
  const c = createCipheriv('aes-256-ctr', Buffer.alloc(32, 7), Buffer.alloc(16, 1));
  return Buffer.concat([c.update(memo), c.final()]).subarray(0, n);
}

// --- BMP -------------------------------------------------------------------

interface BmpSpec {
  width: number;
  height: number;
  bpp: number;
  info?: number;
  compression?: number;
  topDown?: boolean;
  profile?: Buffer;
}

/** A gradient image's pixel rows, each padded to 4 bytes, bottom-up unless topDown. */
function bmpPixels(s: BmpSpec): Buffer {
  const stride = Math.floor((s.width * s.bpp + 31) / 32) * 4;
  const rows: Buffer[] = [];
  for (let y = 0; y < s.height; y++) {
    const row = Buffer.alloc(stride);
    for (let x = 0; x < s.width; x++) {
      const v = (x * 7 + y * 3) & 0xff;
      if (s.bpp === 1) row[x >> 3]! |= (v >> 7) << (7 - (x & 7));
      else if (s.bpp === 4) row[x >> 1]! |= (v >> 4) << (x & 1 ? 0 : 4);
      else if (s.bpp === 8) row[x] = v;
      else if (s.bpp === 16) row.writeUInt16LE(((v >> 3) << 10) | ((y & 31) << 5) | (x & 31), x * 2);
      else for (let c = 0; c < s.bpp / 8; c++) row[x * (s.bpp / 8) + c] = (v + c * 40) & 0xff;
    }
    rows.push(row);
  }
  return Buffer.concat(rows);
}

/** RLE8 or RLE4 of the gradient: runs of equal pixels, an end of line after each row, end of bitmap. */
function bmpRle(s: BmpSpec): Buffer {
  const out: number[] = [];
  const four = s.compression === 2;
  for (let y = 0; y < s.height; y++) {
    let x = 0;
    while (x < s.width) {
      const v = ((x >> 2) + y) & (four ? 15 : 255);
      let n = 1;
      while (x + n < s.width && n < 255 && (((x + n) >> 2) + y) % (four ? 16 : 256) === v) n++;
      out.push(n, four ? (v << 4) | v : v);
      x += n;
    }
    out.push(0, 0);
  }
  out.push(0, 1);
  return Buffer.from(out);
}

export function bmp(s: BmpSpec): Buffer {
  const info = s.info ?? 40;
  const compression = s.compression ?? 0;
  const core = info === 12;
  const colours = s.bpp <= 8 ? 1 << s.bpp : 0;
  const palette = Buffer.alloc(colours * (core ? 3 : 4));
  for (let i = 0; i < colours; i++) palette.fill(Math.floor((i * 255) / Math.max(1, colours - 1)), i * (core ? 3 : 4), i * (core ? 3 : 4) + 3);
  const masks = info === 40 && compression === 3 ? Buffer.from(s.bpp === 16 ? [0, 0xf8, 0, 0, 0xe0, 0x07, 0, 0, 0x1f, 0, 0, 0] : [0, 0, 0xff, 0, 0, 0xff, 0, 0, 0xff, 0, 0, 0]) : Buffer.alloc(0);
  const pixels = compression === 1 || compression === 2 ? bmpRle(s) : bmpPixels(s);
  const hdr = Buffer.alloc(info);
  hdr.writeUInt32LE(info, 0);
  if (core) {
    hdr.writeUInt16LE(s.width, 4);
    hdr.writeUInt16LE(s.height, 6);
    hdr.writeUInt16LE(1, 8);
    hdr.writeUInt16LE(s.bpp, 10);
  } else {
    hdr.writeInt32LE(s.width, 4);
    hdr.writeInt32LE(s.topDown ? -s.height : s.height, 8);
    hdr.writeUInt16LE(1, 12);
    hdr.writeUInt16LE(s.bpp, 14);
    hdr.writeUInt32LE(compression, 16);
    hdr.writeUInt32LE(pixels.length, 20);
    hdr.writeInt32LE(2835, 24);
    hdr.writeInt32LE(2835, 28);
    if (info >= 52 && compression === 3) {
      hdr.writeUInt32LE(s.bpp === 16 ? 0xf800 : 0xff0000, 40);
      hdr.writeUInt32LE(s.bpp === 16 ? 0x07e0 : 0xff00, 44);
      hdr.writeUInt32LE(s.bpp === 16 ? 0x001f : 0xff, 48);
    }
    if (info >= 56 && compression === 3 && s.bpp === 32) hdr.writeUInt32LE(0xff000000, 52);
    if (info >= 108) hdr.write(s.profile ? 'DEBM' : 'BGRs', 56, 'latin1'); // LCS_sRGB, or PROFILE_EMBEDDED ('MBED' little-endian)
  }
  const offBits = 14 + info + masks.length + palette.length;
  const body = [hdr, masks, palette, pixels];
  if (s.profile && info === 124) {
    hdr.writeUInt32LE(info + masks.length + palette.length + pixels.length, 112);
    hdr.writeUInt32LE(s.profile.length, 116);
    body.push(s.profile);
  }
  const file = Buffer.concat([Buffer.alloc(14), ...body]);
  file.write('BM', 0, 'latin1');
  file.writeUInt32LE(file.length, 2);
  file.writeUInt32LE(offBits, 10);
  return file;
}

/** Every depth, header and compression a BMP writer produces (GDI, Paint, GIMP, ImageMagick, ffmpeg). */
export function realBmps(): Array<[string, Buffer]> {
  const w = 37;
  const h = 23;
  return [
    ['1-bit', bmp({ width: w, height: h, bpp: 1 })],
    ['4-bit', bmp({ width: w, height: h, bpp: 4 })],
    ['8-bit', bmp({ width: w, height: h, bpp: 8 })],
    ['16-bit RGB555', bmp({ width: w, height: h, bpp: 16 })],
    ['16-bit RGB565 bitfields', bmp({ width: w, height: h, bpp: 16, compression: 3 })],
    ['24-bit', bmp({ width: w, height: h, bpp: 24 })],
    ['24-bit top-down', bmp({ width: w, height: h, bpp: 24, topDown: true })],
    ['32-bit', bmp({ width: w, height: h, bpp: 32 })],
    ['32-bit V3 bitfields', bmp({ width: w, height: h, bpp: 32, compression: 3 })],
    ['32-bit V4 with alpha', bmp({ width: w, height: h, bpp: 32, info: 108, compression: 3 })],
    ['32-bit V5', bmp({ width: w, height: h, bpp: 32, info: 124, compression: 3 })],
    ['24-bit V5 with an embedded ICC profile after the pixels', bmp({ width: w, height: h, bpp: 24, info: 124, profile: noise(3144, 'icc') })],
    ['OS/2 1.x core header, 24-bit', bmp({ width: w, height: h, bpp: 24, info: 12 })],
    ['OS/2 1.x core header, 8-bit', bmp({ width: w, height: h, bpp: 8, info: 12 })],
    ['RLE8', bmp({ width: 300, height: 200, bpp: 8, compression: 1 })],
    ['RLE4', bmp({ width: 300, height: 200, bpp: 4, compression: 2 })],
    ['one pixel', bmp({ width: 1, height: 1, bpp: 24 })],
    ['a photo-sized 24-bit image (1024×768)', bmp({ width: 1024, height: 768, bpp: 24 })],
  ];
}

// --- MPEG audio, ADTS, AC-3, transport streams -------------------------------

const KBPS_V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];

/** An MPEG audio frame: header bits as given, its length from them, a payload that looks compressed. */
function mpegFrame(o: { version?: number; layer?: number; bi: number; si?: number; pad?: number; seed: string; body?: Buffer }): Buffer {
  const version = o.version ?? 3;
  const layer = o.layer ?? 1;
  const si = o.si ?? 0;
  const pad = o.pad ?? 0;
  const rates: Record<number, number[]> = { 0: [11025, 12000, 8000], 2: [22050, 24000, 16000], 3: [44100, 48000, 32000] };
  const tables = [
    [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    KBPS_V1_L3,
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  ];
  const kbps = tables[version === 3 ? 3 - layer : layer === 3 ? 3 : 4]![o.bi]! * 1000;
  const rate = rates[version]![si]!;
  const len = layer === 3 ? (Math.floor((12 * kbps) / rate) + pad) * 4 : Math.floor(((layer === 1 && version !== 3 ? 72 : 144) * kbps) / rate) + pad;
  const f = Buffer.concat([Buffer.from([0xff, 0xe0 | (version << 3) | (layer << 1) | 1, (o.bi << 4) | (si << 2) | (pad << 1), 0x44]), noise(len - 4, o.seed)]);
  o.body?.copy(f, 36);
  return f;
}

/** A stream of frames at 44.1 kHz: the padding bit set where the encoder's accumulator says (one frame in about 2). */
export function mp3Frames(n: number, seed: string, vbr = false, o: { version?: number; layer?: number; si?: number } = {}): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) out.push(mpegFrame({ ...o, bi: vbr ? 5 + ((i * 7) % 9) : 9, pad: i % 2, seed: `${seed}${i}` }));
  return out;
}

/** An ID3v2.3 tag with text frames (UTF-16 with BOM) and padding. */
export function id3v2(fields: Record<string, string>, padding = 512, footer = false): Buffer {
  const frames = Object.entries(fields).map(([id, text]) => {
    const data = Buffer.concat([Buffer.from([1, 0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const h = Buffer.alloc(10);
    h.write(id, 0, 'latin1');
    h.writeUInt32BE(data.length, 4);
    return Buffer.concat([h, data]);
  });
  const body = Buffer.concat([...frames, Buffer.alloc(padding)]);
  const size = body.length;
  const syncsafe = [(size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f];
  const head = Buffer.from([0x49, 0x44, 0x33, footer ? 4 : 3, 0, footer ? 0x10 : 0, ...syncsafe]);
  return Buffer.concat([head, body, footer ? Buffer.from([0x33, 0x44, 0x49, 4, 0, 0x10, ...syncsafe]) : Buffer.alloc(0)]);
}

export function id3v1(title: string): Buffer {
  const t = Buffer.alloc(128);
  t.write('TAG', 0, 'latin1');
  t.write(title, 3, 'latin1');
  t[127] = 12;
  return t;
}

/** An APEv2 tag with its header and footer, one item. */
function apeTag(key: string, value: string): Buffer {
  const item = Buffer.concat([Buffer.alloc(8), Buffer.from(`${key}\0${value}`, 'utf8')]);
  item.writeUInt32LE(Buffer.byteLength(value), 0);
  const frame = (header: boolean): Buffer => {
    const b = Buffer.alloc(32);
    b.write('APETAGEX', 0, 'latin1');
    b.writeUInt32LE(2000, 8);
    b.writeUInt32LE(item.length + 32, 12);
    b.writeUInt32LE(1, 16);
    b.writeUInt32LE(header ? 0xa0000000 : 0x80000000, 20);
    return b;
  };
  return Buffer.concat([frame(true), item, frame(false)]);
}

/** ADTS AAC frames (MPEG-4 LC, 44.1 kHz stereo) of varying lengths, the header's buffer fullness 0x7FF (VBR). */
function adts(n: number, seed: string, crc = false): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const len = (crc ? 9 : 7) + 180 + ((i * 37) % 300);
    const h = Buffer.from([0xff, crc ? 0xf0 : 0xf1, 0x50, 0x80 | ((len >> 11) & 3), (len >> 3) & 0xff, ((len & 7) << 5) | 0x1f, 0xfc]);
    out.push(Buffer.concat([h, crc ? Buffer.from([0x12, 0x34]) : Buffer.alloc(0), noise(len - h.length - (crc ? 2 : 0), `${seed}${i}`)]));
  }
  return Buffer.concat(out);
}

/** AC-3 syncframes at 48 kHz (frmsizecod 28: 384 kbps, 1,536 bytes) or 44.1 kHz (alternating sizes), or E-AC-3. */
function ac3(n: number, seed: string, kind: '48k' | '44.1k' | 'eac3'): Buffer {
  const words44 = [417, 418];
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    let h: Buffer;
    let len: number;
    if (kind === 'eac3') {
      const frmsiz = 767; // 1,536 bytes
      len = (frmsiz + 1) * 2;
      h = Buffer.from([0x0b, 0x77, 0x00 | (frmsiz >> 8), frmsiz & 0xff, 0x3f, 16 << 3]);
    } else {
      const code = kind === '48k' ? 28 : 20 + (i & 1);
      len = (kind === '48k' ? 768 : words44[i & 1]!) * 2;
      h = Buffer.from([0x0b, 0x77, 0x12, 0x34, ((kind === '48k' ? 0 : 1) << 6) | code, (8 << 3) | 5]);
    }
    out.push(Buffer.concat([h, noise(len - 6, `${seed}${i}`)]));
  }
  return Buffer.concat(out);
}

/** MPEG-TS packets (188 bytes, sync 0x47) or BDAV/M2TS (a 4-byte time code before each). */
function transportStream(n: number, seed: string, bdav = false): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const p = noise(188, `${seed}${i}`);
    p[0] = 0x47;
    p[1] = 0x01;
    p[2] = 0x00;
    p[3] = 0x10 | (i & 15);
    out.push(bdav ? Buffer.concat([Buffer.from([0, 0, i >> 8, i & 0xff]), p]) : p);
  }
  return Buffer.concat(out);
}

/** A PNG of w×h grey pixels (IHDR, one IDAT, IEND; CRCs left zero: nothing here checks them). */
function png(w: number, h: number): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const b = Buffer.alloc(12 + data.length);
    b.writeUInt32BE(data.length, 0);
    b.write(type, 4, 'latin1');
    data.copy(b, 8);
    return b;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  const rows = Buffer.alloc((w + 1) * h, 0x80);
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** An ICO (or CUR) of the images given: its directory, then each image (a PNG, or a BMP without its file header). */
export function ico(images: Buffer[], cur = false): Buffer {
  const dir = Buffer.alloc(6 + 16 * images.length);
  dir.writeUInt16LE(cur ? 2 : 1, 2);
  dir.writeUInt16LE(images.length, 4);
  let off = dir.length;
  images.forEach((img, i) => {
    const e = 6 + 16 * i;
    dir[e] = 32;
    dir[e + 1] = 32;
    dir.writeUInt16LE(cur ? 3 : 1, e + 4);
    dir.writeUInt16LE(cur ? 3 : 32, e + 6);
    dir.writeUInt32LE(img.length, e + 8);
    dir.writeUInt32LE(off, e + 12);
    off += img.length;
  });
  return Buffer.concat([dir, ...images]);
}

/** An sfnt font (TrueType, or OpenType CFF with `OTTO`) of the tables given, each padded to 4 bytes. */
export function sfnt(tables: Array<[string, Buffer]>, otto = false): Buffer {
  const n = tables.length;
  const head = Buffer.alloc(12 + 16 * n);
  head.writeUInt32BE(otto ? 0x4f54544f : 0x00010000, 0);
  head.writeUInt16BE(n, 4);
  const log = Math.floor(Math.log2(n));
  head.writeUInt16BE(16 << log, 6);
  head.writeUInt16BE(log, 8);
  head.writeUInt16BE(n * 16 - (16 << log), 10);
  let off = head.length;
  const body: Buffer[] = [];
  tables.forEach(([tag, data], i) => {
    head.write(tag, 12 + 16 * i, 'latin1');
    head.writeUInt32BE(off, 12 + 16 * i + 8);
    head.writeUInt32BE(data.length, 12 + 16 * i + 12);
    const padded = Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
    body.push(padded);
    off += padded.length;
  });
  return Buffer.concat([head, ...body]);
}

/** A WOFF (tables stored uncompressed: compLength = origLength) or a WOFF2 header over brotli-like bytes. */
export function woff(tables: Array<[string, Buffer]>, two = false): Buffer {
  if (two) {
    const head = Buffer.alloc(48);
    head.write('wOF2', 0, 'latin1');
    head.writeUInt32BE(0x00010000, 4);
    head.writeUInt16BE(tables.length, 12);
    const body = noise(9000, 'woff2');
    head.writeUInt32BE(48 + body.length, 8);
    return Buffer.concat([head, body]);
  }
  const n = tables.length;
  const head = Buffer.alloc(44 + 20 * n);
  head.write('wOFF', 0, 'latin1');
  head.writeUInt32BE(0x00010000, 4);
  head.writeUInt16BE(n, 12);
  let off = head.length;
  const body: Buffer[] = [];
  tables.forEach(([tag, data], i) => {
    const r = 44 + 20 * i;
    head.write(tag, r, 'latin1');
    head.writeUInt32BE(off, r + 4);
    head.writeUInt32BE(data.length, r + 8);
    head.writeUInt32BE(data.length, r + 12);
    const padded = Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
    body.push(padded);
    off += padded.length;
  });
  head.writeUInt32BE(off, 8);
  return Buffer.concat([head, ...body]);
}

/** Icons and fonts as their writers lay them out, and a font Ferry itself ships (pdf.js's Liberation Sans). */
export function realIconsAndFonts(): Array<[string, Buffer]> {
  const dib = bmp({ width: 32, height: 32, bpp: 32 }).subarray(14);
  const tables: Array<[string, Buffer]> = [['OS/2', noise(96, 'os2')], ['cmap', noise(262, 'cmap')], ['glyf', noise(20001, 'glyf')], ['head', noise(54, 'head')], ['hhea', noise(36, 'hhea')], ['loca', noise(402, 'loca')], ['maxp', noise(32, 'maxp')], ['name', Buffer.from('Copyright Example Fonts')], ['post', noise(32, 'post')]];
  const liberation = createRequire(import.meta.url).resolve('pdfjs-dist/package.json').replace(/package\.json$/, 'standard_fonts/LiberationSans-Regular.ttf');
  return [
    ['ICO of one PNG', ico([png(32, 32)])],
    ['ICO of a bitmap and a PNG', ico([dib, png(256, 256)])],
    ['CUR of one bitmap', ico([dib], true)],
    ['TrueType font', sfnt(tables)],
    ['OpenType CFF font', sfnt([['CFF ', noise(5001, 'cff')], ...tables.filter(([t]) => t !== 'glyf' && t !== 'loca')], true)],
    ['Liberation Sans (pdf.js standard font)', readFileSync(liberation)],
    ['WOFF font', woff(tables)],
    ['WOFF2 font', woff(tables, true)],
  ];
}

export function realAudio(): Array<[string, Buffer]> {
  const cbr = mp3Frames(80, 'cbr');
  const xing = mpegFrame({ bi: 9, seed: 'xing', body: Buffer.from('Xing\0\0\0\x0f\0\0\0\x50LAME3.100', 'latin1') });
  const lastCut = Buffer.concat(mp3Frames(20, 'cut'));
  return [
    ['MP3, CBR 128 kbps', Buffer.concat(cbr)],
    ['MP3, ID3v2.3 tag with a Chinese title and padding, then frames', Buffer.concat([id3v2({ TIT2: '会议录音 第三次', TPE1: '办公室', TALB: '2026' }), ...cbr])],
    ['MP3, ID3v2.4 with a footer', Buffer.concat([id3v2({ TIT2: 'Meeting' }, 0, true), ...cbr])],
    ['MP3, zero bytes between the ID3v2 tag and the first frame', Buffer.concat([id3v2({ TIT2: 'Memo' }, 0), Buffer.alloc(300), ...cbr])],
    ['MP3, VBR with a Xing/LAME header frame', Buffer.concat([xing, ...mp3Frames(80, 'vbr', true)])],
    ['MP3 with an ID3v1 tag at the end', Buffer.concat([...cbr, id3v1('Minutes of the meeting')])],
    ['MP3 with an APEv2 tag and an ID3v1 tag at the end', Buffer.concat([...cbr, apeTag('Title', '季度会议'), id3v1('Minutes')])],
    ['MP3, the last frame cut short', lastCut.subarray(0, lastCut.length - 200)],
    ['MPEG-2 layer III, 22.05 kHz', Buffer.concat(mp3Frames(60, 'v2', false, { version: 2 }))],
    ['MPEG-2.5 layer III, 8 kHz', Buffer.concat(mp3Frames(60, 'v25', false, { version: 0, si: 2 }))],
    ['MPEG-1 layer II (MP2)', Buffer.concat(mp3Frames(60, 'l2', false, { layer: 2 }))],
    ['MPEG-1 layer I', Buffer.concat(mp3Frames(60, 'l1', false, { layer: 3 }))],
    ['MP3, two files joined (a second ID3v2 tag between)', Buffer.concat([id3v2({ TIT2: 'A' }), ...cbr, id3v2({ TIT2: 'B' }), ...cbr])],
    ['ADTS AAC', adts(120, 'aac')],
    ['ADTS AAC with CRC', adts(60, 'aacc', true)],
    ['ADTS AAC after an ID3v2 tag', Buffer.concat([id3v2({ TIT2: 'Podcast' }), adts(60, 'aaci')])],
    ['AC-3, 48 kHz', ac3(40, 'ac3', '48k')],
    ['AC-3, 44.1 kHz', ac3(40, 'ac3b', '44.1k')],
    ['E-AC-3', ac3(40, 'eac3', 'eac3')],
    ['MPEG transport stream', transportStream(600, 'ts')],
    ['BDAV (M2TS) transport stream', transportStream(600, 'm2ts', true)],
  ];
}

/** Content typed by a short signature that does not hold the structure of its type: encrypted bytes, as sent and in hex or base64. */
export function mediaShapeSamples(): Sample[] {
  const out: Sample[] = [];
  const e = (name: string, body: Buffer, filename = 'data.bin', type = 'application/octet-stream'): void => {
    out.push({ name, filename, type, body, expect: 'uninspectable' });
  };
  const secret = encrypted(6_000);
  const behind: Array<[string, number[]]> = [
    ['BM (a bitmap)', [0x42, 0x4d]],
    ['FF FB (an MP3 frame)', [0xff, 0xfb]],
    ['FF F3 (an MPEG-2 layer III frame)', [0xff, 0xf3]],
    ['FF FD (an MPEG-1 layer II frame)', [0xff, 0xfd]],
    ['FF F1 (ADTS AAC)', [0xff, 0xf1]],
    ['0B 77 (AC-3)', [0x0b, 0x77]],
    ['ID3 (an MP3 tag header)', [0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0]],
  ];
  for (const [what, sig] of behind) {
    const body = Buffer.concat([Buffer.from(sig), secret]);
    e(`encrypted bytes behind ${what}`, body);
    e(`encrypted bytes behind ${what}, declared as that media`, body, /BM/.test(what) ? 'image.bmp' : 'audio.mp3', /BM/.test(what) ? 'image/bmp' : 'audio/mpeg');
    e(`encrypted bytes behind ${what}, in hex`, Buffer.from(body.toString('hex')), 'data.txt', 'text/plain');
    e(`encrypted bytes behind ${what}, in base64`, Buffer.from(body.toString('base64').replace(/.{76}/g, '$&\n')), 'data.txt', 'text/plain');
  }
  for (const [what, head] of [['an icon directory (00 00 01 00)', [0, 0, 1, 0]], ['a cursor directory (00 00 02 00)', [0, 0, 2, 0]], ['a TrueType header (00 01 00 00 00)', [0, 1, 0, 0, 0]], ['an OpenType header (OTTO)', [0x4f, 0x54, 0x54, 0x4f, 0]], ['a WOFF header (wOFF 00 01 00 00)', [0x77, 0x4f, 0x46, 0x46, 0, 1, 0, 0]], ['a WOFF2 header (wOF2 OTTO)', [0x77, 0x4f, 0x46, 0x32, 0x4f, 0x54, 0x54, 0x4f]]] as const) {
    const body = Buffer.concat([Buffer.from(head), secret]);
    e(`encrypted bytes behind ${what}`, body);
    e(`encrypted bytes behind ${what}, in base64`, Buffer.from(body.toString('base64').replace(/.{76}/g, '$&\n')), 'data.txt', 'text/plain');
  }
  e('encrypted bytes after a real icon', Buffer.concat([ico([png(32, 32)]), secret]));
  e('encrypted bytes after a real font', Buffer.concat([sfnt([['head', noise(54, 'h')], ['name', Buffer.from('Example')]]), secret]));
  e('encrypted bytes as an icon image that is neither PNG nor a bitmap', ico([secret]));
  // The structure held where the head is read, broken past it.
  e('encrypted bytes after a real bitmap', Buffer.concat([bmp({ width: 37, height: 23, bpp: 24 }), secret]));
  e('encrypted bytes as the pixels of a bitmap whose header says 2×2', Buffer.concat([bmp({ width: 2, height: 2, bpp: 24 }).subarray(0, 54), secret]));
  e('encrypted bytes after 40 MP3 frames', Buffer.concat([...mp3Frames(40, 'head'), secret]));
  e('encrypted bytes between MP3 frames', Buffer.concat([...mp3Frames(20, 'a'), secret, ...mp3Frames(20, 'b')]));
  e('encrypted bytes after AC-3 frames', Buffer.concat([ac3(10, 'h', '48k'), secret]));
  e('encrypted bytes after ADTS frames', Buffer.concat([adts(30, 'h'), secret]));
  e('encrypted bytes as RLE8 data of a bitmap', Buffer.concat([bmp({ width: 300, height: 200, bpp: 8, compression: 1 }).subarray(0, 54 + 1024), secret]).fill(0, 2, 6));
  // Found on the way: one byte that starts a short valid deflate stream (a final block of fixed codes) in front of
  // encrypted bytes; the probe for bare deflate read it whole and the rest was let go.
  e('encrypted bytes behind 0B (a deflate stream of a few bytes)', Buffer.concat([Buffer.from([0x0b]), secret]));
  return out;
}

export function mediaShapeCleanSamples(): Sample[] {
  const c = (name: string, body: Buffer, filename: string, type: string): Sample => ({ name, filename, type, body, expect: '' });
  return [
    ...realBmps().map(([name, b]) => c(`BMP, ${name}`, b, 'image.bmp', 'image/bmp')),
    ...realIconsAndFonts().map(([name, b]) => c(name, b, /ICO|CUR/.test(name) ? 'favicon.ico' : 'font.ttf', 'application/octet-stream')),
    ...realAudio().map(([name, b]) => c(name, b, /AC-3/.test(name) ? 'audio.ac3' : /AAC/.test(name) ? 'audio.aac' : /transport|M2TS/.test(name) ? 'video.ts' : 'audio.mp3', 'application/octet-stream')),
  ];
}
