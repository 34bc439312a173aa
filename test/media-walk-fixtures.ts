import { deflateSync } from 'node:zlib';
import { ID, MARK, type Sample } from './evasion-fixtures.js';
import { luhnComplete } from './inspect-fixtures.js';
import { bmp, encrypted, id3v1, id3v2, mp3Frames, noise, sfnt } from './media-fixtures.js';

// The media walked past its signature on 1 December (tiff-shape.ts,
// program-stream.ts, lyrics3.ts, media-shape.ts): TIFF and BigTIFF as
// libtiff, ffmpeg and Pillow lay them out, MPEG-1 and MPEG-2 program
// streams as ffmpeg writes them, MP3 with Lyrics3 v1 and v2 tags, and a
// TrueType font whose hinting bytecode holds a run of digits that passes
// Luhn's check; encrypted bytes hidden in each.

// --- TIFF ---------------------------------------------------------------------

type Val = number[] | Buffer;
type Entry = [tag: number, type: number, value: Val | { ifd: Entry[] }];

const SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 16: 8 };

function encode(type: number, v: Val, be: boolean): Buffer {
  if (Buffer.isBuffer(v)) return v;
  const w = type === 5 ? 4 : SIZE[type]!;
  const b = Buffer.alloc(v.length * w);
  v.forEach((x, i) => {
    if (w === 2) be ? b.writeUInt16BE(x, i * 2) : b.writeUInt16LE(x, i * 2);
    else if (w === 4) be ? b.writeUInt32BE(x, i * 4) : b.writeUInt32LE(x, i * 4);
    else if (w === 8) be ? b.writeBigUInt64BE(BigInt(x), i * 8) : b.writeBigUInt64LE(BigInt(x), i * 8);
    else b[i] = x;
  });
  return b;
}

/** An IFD at `at` and, after it, its values too long for an entry and its sub-IFDs (Exif). */
function ifdBlock(entries: Entry[], at: number, be: boolean, big: boolean): Buffer {
  const sorted = [...entries].sort((a, b) => a[0] - b[0]);
  const es = big ? 20 : 12;
  const inline = big ? 8 : 4;
  const head = Buffer.alloc((big ? 8 : 2) + sorted.length * es + (big ? 8 : 4));
  const u16 = (v: number, o: number): number => (be ? head.writeUInt16BE(v, o) : head.writeUInt16LE(v, o));
  const off = (v: number, o: number): void => {
    if (big) be ? head.writeBigUInt64BE(BigInt(v), o) : head.writeBigUInt64LE(BigInt(v), o);
    else be ? head.writeUInt32BE(v, o) : head.writeUInt32LE(v, o);
  };
  if (big) off(sorted.length, 0);
  else u16(sorted.length, 0);
  const tail: Buffer[] = [];
  let pos = at + head.length;
  const base = big ? 8 : 2;
  sorted.forEach(([tag, type, v], i) => {
    const r = base + i * es;
    u16(tag, r);
    u16(type, r + 2);
    if (!Buffer.isBuffer(v) && !Array.isArray(v)) {
      off(1, r + 4);
      const sub = ifdBlock(v.ifd, pos, be, big);
      off(pos, r + (big ? 12 : 8));
      tail.push(sub);
      pos += sub.length;
      return;
    }
    const bytes = encode(type, v, be);
    off(type === 5 ? bytes.length / 8 : bytes.length / (SIZE[type] ?? 1), r + 4);
    if (bytes.length <= inline) bytes.copy(head, r + (big ? 12 : 8));
    else {
      off(pos, r + (big ? 12 : 8));
      const padded = Buffer.concat([bytes, Buffer.alloc(bytes.length & 1)]);
      tail.push(padded);
      pos += padded.length;
    }
  });
  return Buffer.concat([head, ...tail]);
}

export interface TiffPage {
  width: number;
  height: number;
  /** Strips (or tiles, with `tile`) of image data. */
  strips: Buffer[];
  tile?: number;
  compression?: number;
  description?: string;
  exif?: Entry[];
  extra?: Entry[];
}

/**
 * A TIFF of pages: `ifdFirst` as Pillow writes it (IFD, values, strips), else
 * as libtiff and ffmpeg do (strips, values, IFD); `big` for BigTIFF.
 */
export function tiff(pages: TiffPage[], o: { be?: boolean; ifdFirst?: boolean; big?: boolean; after?: Buffer; gap?: Buffer } = {}): Buffer {
  const be = o.be === true;
  const big = o.big === true;
  const header = Buffer.alloc(big ? 16 : 8);
  header.write(be ? 'MM' : 'II', 0, 'latin1');
  if (big) {
    be ? header.writeUInt16BE(43, 2) : header.writeUInt16LE(43, 2);
    be ? header.writeUInt16BE(8, 4) : header.writeUInt16LE(8, 4);
  } else be ? header.writeUInt16BE(42, 2) : header.writeUInt16LE(42, 2);
  const parts: Buffer[] = [header];
  let pos = header.length;
  const ifdAt: Array<[number, number]> = [];
  for (const p of pages) {
    const entries = (offsets: number[]): Entry[] => {
      const e: Entry[] = [
        [256, 4, [p.width]],
        [257, 4, [p.height]],
        [258, 3, [8, 8, 8]],
        [259, 3, [p.compression ?? 1]],
        [262, 3, [2]],
        [277, 3, [3]],
        [282, 5, [72, 1]],
        [283, 5, [72, 1]],
        [296, 3, [2]],
        [305, 2, Buffer.from('Lavf61.7.100\0')],
        ...(p.tile ? ([[322, 3, [p.tile]], [323, 3, [p.tile]], [324, 4, offsets], [325, 4, p.strips.map((s) => s.length)]] as Entry[]) : ([[278, 3, [Math.ceil(p.height / p.strips.length)]], [273, 4, offsets], [279, 4, p.strips.map((s) => s.length)]] as Entry[])),
        ...(p.description ? ([[270, 2, Buffer.from(`${p.description}\0`)]] as Entry[]) : []),
        ...(p.exif ? ([[34665, 4, { ifd: p.exif }]] as Entry[]) : []),
        ...(p.extra ?? []),
      ];
      return e;
    };
    const stripsLen = p.strips.reduce((n, s) => n + s.length + (s.length & 1), 0);
    const offsetsFrom = (at: number): number[] => {
      const out: number[] = [];
      for (const s of p.strips) {
        out.push(at);
        at += s.length + (s.length & 1);
      }
      return out;
    };
    const strips = p.strips.flatMap((s) => [s, Buffer.alloc(s.length & 1)]);
    if (o.ifdFirst) {
      const size = ifdBlock(entries(p.strips.map(() => 0)), pos, be, big).length;
      const block = ifdBlock(entries(offsetsFrom(pos + size)), pos, be, big);
      ifdAt.push([pos, entries([]).length]);
      parts.push(block, ...strips);
      pos += block.length + stripsLen;
    } else {
      const offs = offsetsFrom(pos);
      parts.push(...strips);
      pos += stripsLen;
      if (o.gap) {
        parts.push(o.gap);
        pos += o.gap.length;
      }
      const block = ifdBlock(entries(offs), pos, be, big);
      ifdAt.push([pos, entries([]).length]);
      parts.push(block);
      pos += block.length;
    }
  }
  if (o.after) parts.push(o.after);
  const file = Buffer.concat(parts);
  const put = (v: number, at: number): void => {
    if (big) be ? file.writeBigUInt64BE(BigInt(v), at) : file.writeBigUInt64LE(BigInt(v), at);
    else be ? file.writeUInt32BE(v, at) : file.writeUInt32LE(v, at);
  };
  put(ifdAt[0]![0], big ? 8 : 4);
  for (let i = 0; i + 1 < ifdAt.length; i++) {
    const [at, n] = ifdAt[i]!;
    put(ifdAt[i + 1]![0], at + (big ? 8 + 20 * n : 2 + 12 * n));
  }
  return file;
}

/** A test card's rows of RGB pixels (smooth: what a scan or a rendering holds). */
function rgb(w: number, h: number): Buffer {
  const b = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) b.set([(x * 5) & 0xff, (y * 3) & 0xff, ((x + y) * 2) & 0xff], (y * w + x) * 3);
  return b;
}

function stripsOf(w: number, h: number, rows: number, deflate: boolean): Buffer[] {
  const px = rgb(w, h);
  const out: Buffer[] = [];
  for (let y = 0; y < h; y += rows) {
    const s = px.subarray(y * w * 3, Math.min(h, y + rows) * w * 3);
    out.push(deflate ? deflateSync(s) : Buffer.from(s));
  }
  return out;
}

export function realTiffs(): Array<[string, Buffer]> {
  const page = (o: Partial<TiffPage> & { deflate?: boolean; rows?: number } = {}): TiffPage => ({ width: 160, height: 120, strips: stripsOf(160, 120, o.rows ?? 16, o.deflate === true), compression: o.deflate ? 8 : 1, ...o });
  const tiles = stripsOf(64, 64, 64, true).concat(stripsOf(64, 64, 64, true), stripsOf(64, 64, 64, true), stripsOf(64, 64, 64, true));
  return [
    ['TIFF, uncompressed, IFD last (libtiff, ffmpeg)', tiff([page()])],
    ['TIFF, deflate, IFD last', tiff([page({ deflate: true })])],
    ['TIFF, deflate, IFD first (Pillow)', tiff([page({ deflate: true })], { ifdFirst: true })],
    ['TIFF, big-endian, one strip', tiff([page({ rows: 120, deflate: true })], { be: true })],
    ['TIFF, Chinese description and an Exif IFD', tiff([page({ deflate: true, description: '会议室照片 2026年11月', exif: [[36867, 2, Buffer.from('2026:11:30 10:00:00\0')], [37510, 7, Buffer.from('ASCII\0\0\0scanned at the front desk')]] })])],
    ['TIFF, three pages', tiff([page({ deflate: true }), page(), page({ deflate: true, rows: 40 })])],
    ['TIFF, tiled (4 tiles of 64×64, deflate)', tiff([{ width: 128, height: 128, strips: tiles, tile: 64, compression: 8 }])],
    ['BigTIFF, deflate', tiff([page({ deflate: true })], { big: true })],
    ['TIFF, two padding bytes at the end', Buffer.concat([tiff([page({ deflate: true })]), Buffer.alloc(2)])],
  ];
}

// --- MPEG program streams ------------------------------------------------------

/** A pack header: MPEG-1 (12 bytes) or MPEG-2 (14, and stuffing), its marker bits set. */
function pack(mpeg2: boolean, stuffing = 0): Buffer {
  if (!mpeg2) return Buffer.from([0, 0, 1, 0xba, 0x21, 0x00, 0x01, 0x00, 0x01, 0x80, 0x1b, 0x83]);
  return Buffer.concat([Buffer.from([0, 0, 1, 0xba, 0x44, 0x00, 0x04, 0x00, 0x04, 0x01, 0x01, 0x89, 0xc3, 0xf8 | stuffing]), Buffer.alloc(stuffing, 0xff)]);
}

function systemHeader(streams: number[]): Buffer {
  const body = Buffer.concat([Buffer.from([0x80, 0x1b, 0x83, 0x04, 0xe1, 0xff]), ...streams.map((id) => Buffer.from([id, 0xe0, 0xe6]))]);
  return Buffer.concat([Buffer.from([0, 0, 1, 0xbb, body.length >> 8, body.length & 0xff]), body]);
}

function pes(id: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0, 0, 1, id, payload.length >> 8, payload.length & 0xff]), payload]);
}

/** Packs of a video and an audio packet each (their payload compressed-looking), padding packets as ffmpeg writes them, an end code. */
export function programStream(o: { mpeg2?: boolean; packs?: number; end?: boolean; seed?: string; padding?: number } = {}): Buffer {
  const mpeg2 = o.mpeg2 === true;
  const parts: Buffer[] = [];
  for (let i = 0; i < (o.packs ?? 40); i++) {
    parts.push(pack(mpeg2, mpeg2 && i % 5 === 0 ? 2 : 0));
    if (i === 0) parts.push(systemHeader([0xe0, 0xc0]));
    parts.push(pes(0xe0, noise(2000 + ((i * 37) % 200), `${o.seed ?? 'ps'}v${i}`)));
    parts.push(pes(0xc0, noise(400, `${o.seed ?? 'ps'}a${i}`)));
    if (i % 7 === 6) parts.push(pes(0xbe, Buffer.alloc(300, 0xff)));
    // A DVD's sectors filled up with padding packets.
    if (o.padding) parts.push(pes(0xbe, Buffer.alloc(o.padding, 0xff)));
  }
  if (o.end !== false) parts.push(Buffer.from([0, 0, 1, 0xb9]));
  return Buffer.concat(parts);
}

export function realProgramStreams(): Array<[string, Buffer]> {
  return [
    ['MPEG-1 program stream (ffmpeg -f mpeg)', programStream()],
    ['MPEG-2 program stream with stuffing (ffmpeg -f vob)', programStream({ mpeg2: true })],
    ['MPEG-2 program stream with no end code', programStream({ mpeg2: true, end: false, seed: 'ne' })],
    ['two MPEG-1 program streams joined', Buffer.concat([programStream({ packs: 10 }), programStream({ packs: 10, seed: 'b' })])],
  ];
}

// --- Lyrics3 -------------------------------------------------------------------

export function lyrics3v2(fields: Record<string, string>): Buffer {
  const body = Buffer.concat([Buffer.from('LYRICSBEGIN'), ...Object.entries(fields).map(([id, text]) => {
    const data = Buffer.from(text);
    return Buffer.concat([Buffer.from(`${id}${String(data.length).padStart(5, '0')}`), data]);
  })]);
  return Buffer.concat([body, Buffer.from(`${String(body.length).padStart(6, '0')}LYRICS200`)]);
}

export function realLyrics(): Array<[string, Buffer]> {
  const frames = mp3Frames(60, 'lyr');
  return [
    ['MP3 with a Lyrics3 v2 tag and an ID3v1 tag', Buffer.concat([id3v2({ TIT2: 'Song' }), ...frames, lyrics3v2({ IND: '110', LYR: '[00:01]First line\r\n[00:05]Second line 第二行\r\n', EAR: 'Artist' }), id3v1('Song')])],
    ['MP3 with a Lyrics3 v1 tag and an ID3v1 tag', Buffer.concat([...frames, Buffer.from('LYRICSBEGIN[00:01]Hello\r\n[00:03]World\r\nLYRICSEND'), id3v1('Song')])],
  ];
}

// --- A font's hinting bytecode ---------------------------------------------------

/** The glyf bytes of DejaVu Sans Condensed Bold Oblique at byte 56,200: a glyph's instructions, of which 16 digits pass Luhn's check. */
const DEJAVU_GLYF = Buffer.from('0001ffebfe5604370460003d0000011617161514070607060730070607060714151417163332373637300706070623222726353437363736373037363736373635342726233023012113210702ba613e', 'hex');

export function fontWith(glyf: Buffer, name: string): Buffer {
  return sfnt([['glyf', Buffer.concat([noise(3000, 'g1'), glyf, noise(3000, 'g2')])], ['head', noise(54, 'head')], ['name', Buffer.from(name)]]);
}

// --- RIFF, IFF, Ogg ----------------------------------------------------------------

/** A RIFF (little-endian) or IFF FORM (big-endian) of chunks, each padded to an even length. */
export function riff(form: string, chunks: Array<[string, Buffer]>, le = true): Buffer {
  const body = chunks.map(([id, data]) => {
    const h = Buffer.alloc(8);
    h.write(id, 0, 'latin1');
    le ? h.writeUInt32LE(data.length, 4) : h.writeUInt32BE(data.length, 4);
    return Buffer.concat([h, data, Buffer.alloc(data.length & 1)]);
  });
  const head = Buffer.alloc(12);
  head.write(le ? 'RIFF' : 'FORM', 0, 'latin1');
  head.write(form, 8, 'latin1');
  const all = Buffer.concat([head, ...body]);
  le ? all.writeUInt32LE(all.length - 8, 4) : all.writeUInt32BE(all.length - 8, 4);
  return all;
}

/** A sine's 16-bit samples (PCM, little- or big-endian). */
function pcm(n: number, le: boolean): Buffer {
  const b = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) le ? b.writeInt16LE(Math.round(8000 * Math.sin(i / 7)), i * 2) : b.writeInt16BE(Math.round(8000 * Math.sin(i / 7)), i * 2);
  return b;
}

function wav(samples: number, info?: string): Buffer {
  const fmt = Buffer.from('01000100401f0000803e000002001000', 'hex');
  const list = info ? [['LIST', Buffer.concat([Buffer.from('INFO'), Buffer.from('INAM'), Buffer.from([Buffer.byteLength(info) + 1, 0, 0, 0]), Buffer.from(`${info}\0`)])] as [string, Buffer]] : [];
  return riff('WAVE', [['fmt ', fmt], ...list, ['data', pcm(samples, true)]]);
}

/** Ogg pages of one logical stream: bodies of the given sizes (laced in segments of 255), compressed-looking. */
export function ogg(bodies: number[], seed: string): Buffer {
  return Buffer.concat(bodies.map((n, i) => {
    const lacing: number[] = [];
    for (let left = n; ; left -= 255) {
      lacing.push(Math.min(left, 255));
      if (left < 255) break;
    }
    const h = Buffer.alloc(27);
    h.write('OggS', 0, 'latin1');
    h[5] = i === 0 ? 2 : i === bodies.length - 1 ? 4 : 0;
    h.writeUInt32LE(i * 960, 6);
    h.writeUInt32LE(0x1234, 14);
    h.writeUInt32LE(i, 18);
    h[26] = lacing.length;
    return Buffer.concat([h, Buffer.from(lacing), i === 0 ? Buffer.concat([Buffer.from('OpusHead'), noise(n - 8, seed)]) : noise(n, `${seed}${i}`)]);
  }));
}

export function realChunkedMedia(): Array<[string, Buffer]> {
  return [
    ['WAV, 16-bit PCM', wav(8000)],
    ['WAV with a LIST INFO title', wav(8001, '会议录音')],
    ['WAV with an ID3v1 tag appended', Buffer.concat([wav(4000), id3v1('Memo')])],
    ['WAV whose RIFF size is 12 bytes short (as scipy\'s test files)', ((w) => (w.writeUInt32LE(w.readUInt32LE(4) - 12, 4), w))(wav(4000))],
    ['WAV of 8-bit samples, an odd data chunk with no pad byte', ((w) => w.subarray(0, w.length - 1))(riff('WAVE', [['fmt ', Buffer.from('01000100401f0000401f000001000800', 'hex')], ['data', pcm(1000, true).subarray(0, 1999)]]))],
    ['AIFF, 16-bit PCM', riff('AIFF', [['COMM', Buffer.from('00010000fa00001040 0bb80000000000000000'.replace(/ /g, ''), 'hex')], ['SSND', Buffer.concat([Buffer.alloc(8), pcm(8000, false)])]], false)],
    ['WebP (lossless)', riff('WEBP', [['VP8L', noise(1501, 'vp8l')]])],
    ['AVI, with a LIST movi and an idx1', riff('AVI ', [['LIST', Buffer.concat([Buffer.from('hdrl'), noise(200, 'hdrl')])], ['LIST', Buffer.concat([Buffer.from('movi'), noise(9000, 'movi')])], ['idx1', noise(160, 'idx1')]])],
    ['Ogg Opus', ogg([19, 1200, 300, 2000, 255, 510], 'opus')],
  ];
}

// --- Samples ---------------------------------------------------------------------

export function mediaWalkSamples(): Sample[] {
  const out: Sample[] = [];
  const e = (name: string, body: Buffer, filename = 'data.bin', type = 'application/octet-stream', expect = 'uninspectable'): void => {
    out.push({ name, filename, type, body, expect });
  };
  const secret = encrypted(6_000);
  const page: TiffPage = { width: 160, height: 120, strips: stripsOf(160, 120, 16, false) };
  const raw = tiff([page]);
  e('encrypted bytes after a real TIFF', Buffer.concat([raw, secret]));
  e('encrypted bytes after a real TIFF, declared as one', Buffer.concat([raw, secret]), 'scan.tif', 'image/tiff');
  e('encrypted bytes after a real TIFF, in base64', Buffer.from(Buffer.concat([raw, secret]).toString('base64').replace(/.{76}/g, '$&\n')), 'data.txt', 'text/plain');
  e('encrypted bytes between a raw TIFF\'s strips and its IFD', tiff([page], { gap: secret }), 'scan.tif', 'image/tiff');
  e('encrypted bytes between a raw TIFF\'s strips and its IFD, 2 KiB', tiff([page], { gap: encrypted(2048) }), 'scan.tif', 'image/tiff');
  e('encrypted bytes behind a TIFF header whose IFD is past the head', Buffer.concat([Buffer.from('II*\0', 'latin1'), Buffer.from([0x10, 0x27, 0, 0]), secret, encrypted(8000)]));
  e('encrypted bytes behind a big-endian TIFF header', Buffer.concat([Buffer.from('MM\0*\0\0\0\x08', 'latin1'), secret]));
  e('encrypted bytes after a Pillow-layout TIFF (IFD first)', tiff([page], { ifdFirst: true, after: secret }), 'scan.tif', 'image/tiff');
  e('encrypted bytes after an MPEG-1 program stream', Buffer.concat([programStream(), secret]));
  e('encrypted bytes after a program stream mostly of padding packets', Buffer.concat([programStream({ mpeg2: true, packs: 8, padding: 16000, seed: 'pad' }), secret]));
  // The tail past where a header says the media ends, judged by itself (the whole measures low).
  e('encrypted bytes after a 1-bit bitmap of 1024×1024', Buffer.concat([bmp({ width: 1024, height: 1024, bpp: 1 }), secret]), 'scan.bmp', 'image/bmp');
  e('encrypted bytes after a font of 128 KB of tables', Buffer.concat([sfnt([['glyf', Buffer.alloc(128_000, 0x11)], ['name', Buffer.from('Example Sans')]]), secret]), 'font.ttf', 'font/ttf');
  e('encrypted bytes after an MPEG-2 program stream, declared video/mpeg', Buffer.concat([programStream({ mpeg2: true }), secret]), 'film.mpg', 'video/mpeg');
  e('encrypted bytes behind an MPEG-2 pack header', Buffer.concat([pack(true), secret]));
  e('encrypted bytes as a program stream\'s system header cut short', Buffer.concat([pack(false), Buffer.from([0, 0, 1, 0xbb, 0x7a, 0xed]), secret]));
  e('encrypted bytes between program stream packs', Buffer.concat([programStream({ packs: 5 }), secret, programStream({ packs: 5, seed: 'x' })]));
  e('encrypted bytes as the data of a Lyrics3 v2 field', Buffer.concat([...mp3Frames(40, 'l'), Buffer.from('LYRICSBEGINLYR06000'), secret, Buffer.from('006019LYRICS200'), id3v1('x')]));
  e('encrypted bytes as a Lyrics3 v1 tag', Buffer.concat([...mp3Frames(40, 'l1'), Buffer.from('LYRICSBEGIN'), secret, Buffer.from('LYRICSEND'), id3v1('x')]));
  e('a marking in a Lyrics3 tag', Buffer.concat([...mp3Frames(40, 'l2'), lyrics3v2({ IND: '110', LYR: `[00:01]${MARK}\r\n` }), id3v1('x')]), 'song.mp3', 'audio/mpeg', 'classified-marking');
  e('encrypted bytes after a WAV', Buffer.concat([wav(8000), secret]), 'memo.wav', 'audio/wav');
  e('encrypted bytes after a WAV, undeclared', Buffer.concat([wav(8000), secret]));
  e('encrypted bytes after an AIFF', Buffer.concat([realChunkedMedia()[3]![1], secret]));
  e('encrypted bytes after a WebP', Buffer.concat([realChunkedMedia()[4]![1], secret]), 'photo.webp', 'image/webp');
  e('encrypted bytes after an Ogg stream', Buffer.concat([ogg([19, 1200, 300], 'o'), secret]), 'a.opus', 'audio/ogg');
  e('encrypted bytes between Ogg pages', Buffer.concat([ogg([19, 1200, 300], 'o'), secret, ogg([400, 500], 'p')]));
  e('an id number in a WAV\'s LIST INFO title', wav(8000, `身份证号 ${ID}`), 'memo.wav', 'audio/wav', 'personal-data');
  e('an id number in a TIFF\'s description', tiff([{ ...page, description: `身份证号 ${ID}` }]), 'scan.tif', 'image/tiff', 'personal-data');
  e('a marking in a TIFF\'s Exif comment', tiff([{ ...page, exif: [[37510, 7, Buffer.from(`ASCII\0\0\0${MARK}`)]] }]), 'scan.tif', 'image/tiff', 'classified-marking');
  e('a card number in a font\'s name table', fontWith(DEJAVU_GLYF, `Serial ${luhnComplete('622202020011221')}`), 'font.ttf', 'font/ttf', 'personal-data');
  return out;
}

export function mediaWalkCleanSamples(): Sample[] {
  const c = (name: string, body: Buffer, filename: string, type: string): Sample => ({ name, filename, type, body, expect: '' });
  return [
    ...realTiffs().map(([name, b]) => c(name, b, 'scan.tif', 'image/tiff')),
    ...realProgramStreams().map(([name, b]) => c(name, b, 'film.mpg', 'video/mpeg')),
    ...realLyrics().map(([name, b]) => c(name, b, 'song.mp3', 'audio/mpeg')),
    ...realChunkedMedia().map(([name, b]) => c(name, b, 'media.bin', 'application/octet-stream')),
    c('a font whose glyph bytecode holds 5476767076767654 (DejaVu Sans Condensed Bold Oblique)', fontWith(DEJAVU_GLYF, 'DejaVu Sans Condensed Bold Oblique'), 'font.ttf', 'font/ttf'),
  ];
}
