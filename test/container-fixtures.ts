import zlib from 'node:zlib';
import { ID, MARK, jpegBody, type Sample } from './evasion-fixtures.js';
import { encrypted, mp3Frames, noise } from './media-fixtures.js';

// Media containers written by test code (no ffmpeg): ISO BMFF (MP4, M4A,
// MOV, 3GP, fragmented MP4) with their sample tables and iTunes/QuickTime
// metadata, and MP3s whose ID3v2 frames are zlib-compressed or
// unsynchronised; the ways through them and ordinary files that must cross.

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

export function box(type: string, ...body: Buffer[]): Buffer {
  const b = Buffer.concat(body);
  return Buffer.concat([u32(8 + b.length), Buffer.from(type, 'latin1'), b]);
}

const full = (type: string, ...body: Buffer[]): Buffer => box(type, Buffer.alloc(4), ...body);

/** An iTunes ilst item: a `data` box of a well-known type (1 UTF-8, 2 UTF-16BE, 13 JPEG). */
export function item(type: string, value: Buffer | string, wk = 1): Buffer {
  const v = typeof value === 'string' ? (wk === 2 ? Buffer.from(value, 'utf16le').swap16() : Buffer.from(value)) : value;
  return box(type, box('data', u32(wk), u32(0), v));
}

/** udta > meta (hdlr mdir) > ilst of the items given. */
export function itunesMeta(items: Buffer[]): Buffer {
  return box('udta', full('meta', full('hdlr', u32(0), Buffer.from('mdirappl'), Buffer.alloc(9)), box('ilst', ...items)));
}

export interface Mp4Spec {
  brand?: string;
  /** Sample sizes of the one track, put in chunks of `perChunk`. */
  samples?: number[];
  perChunk?: number;
  moovFirst?: boolean;
  udta?: Buffer;
  /** Boxes after ftyp, inside moov, between moov and mdat, at the end. */
  afterFtyp?: Buffer;
  inMoov?: Buffer;
  between?: Buffer;
  after?: Buffer;
  /** Bytes in mdat past the last sample. */
  mdatExtra?: Buffer;
  seed?: string;
}

/** An MP4 of one track whose chunk offsets, samples per chunk and sizes cover its mdat exactly. */
export function mp4(s: Mp4Spec = {}): Buffer {
  const sizes = s.samples ?? Array.from({ length: 24 }, (_, i) => 300 + ((i * 37) % 200));
  const per = s.perChunk ?? 5;
  const data = noise(sizes.reduce((a, b) => a + b, 0), s.seed ?? 'mp4');
  const ftyp = box('ftyp', Buffer.from(s.brand ?? 'isom'), u32(512), Buffer.from(`${s.brand ?? 'isom'}iso2mp41`));
  const chunks: number[] = [];
  for (let i = 0; i < sizes.length; i += per) chunks.push(sizes.slice(i, i + per).reduce((a, b) => a + b, 0));
  const moovOf = (mdatData: number): Buffer => {
    const offsets: number[] = [];
    let at = mdatData;
    for (const c of chunks) offsets.push(at), (at += c);
    const stbl = box(
      'stbl',
      full('stsd', u32(1), box('mp4a', Buffer.alloc(28))),
      full('stts', u32(1), u32(sizes.length), u32(1024)),
      full('stsc', u32(1), u32(1), u32(per), u32(1)),
      full('stsz', u32(0), u32(sizes.length), ...sizes.map(u32)),
      full('stco', u32(offsets.length), ...offsets.map(u32)),
    );
    const trak = box('trak', full('tkhd', Buffer.alloc(80)), box('mdia', full('mdhd', Buffer.alloc(20)), full('hdlr', u32(0), Buffer.from('soun'), Buffer.alloc(13)), box('minf', full('smhd', Buffer.alloc(4)), stbl)));
    return box('moov', full('mvhd', Buffer.alloc(96)), trak, s.inMoov ?? Buffer.alloc(0), s.udta ?? Buffer.alloc(0));
  };
  const afterFtyp = s.afterFtyp ?? Buffer.alloc(0);
  const between = s.between ?? Buffer.alloc(0);
  const extra = s.mdatExtra ?? Buffer.alloc(0);
  const mdatLen = 8 + data.length + extra.length;
  if (s.moovFirst !== false) {
    const size = moovOf(0).length;
    const moov = moovOf(ftyp.length + afterFtyp.length + size + between.length + 8);
    return Buffer.concat([ftyp, afterFtyp, moov, between, u32(mdatLen), Buffer.from('mdat'), data, extra, s.after ?? Buffer.alloc(0)]);
  }
  const start = ftyp.length + afterFtyp.length + 8;
  return Buffer.concat([ftyp, afterFtyp, u32(mdatLen), Buffer.from('mdat'), data, extra, between, moovOf(start), s.after ?? Buffer.alloc(0)]);
}

/** A fragmented MP4 (moov with mvex, then moof + mdat pairs), trun sizes from the base of each moof. */
export function fragmentedMp4(o: { fragments?: number; after?: Buffer; mdatExtra?: Buffer } = {}): Buffer {
  const ftyp = box('ftyp', Buffer.from('iso5'), u32(512), Buffer.from('iso5iso6mp41'));
  const moov = box('moov', full('mvhd', Buffer.alloc(96)), box('trak', full('tkhd', Buffer.alloc(80))), box('mvex', full('trex', u32(1), u32(1), u32(0), u32(0), u32(0))));
  const parts: Buffer[] = [ftyp, moov];
  for (let f = 0; f < (o.fragments ?? 3); f++) {
    const sizes = [400, 380, 512, 290].map((n) => n + f);
    const data = noise(sizes.reduce((a, b) => a + b, 0), `frag${f}`);
    const extra = f === 1 && o.mdatExtra ? o.mdatExtra : Buffer.alloc(0);
    const mk = (off: number): Buffer =>
      box('moof', full('mfhd', u32(f + 1)), box('traf', Buffer.concat([u32(16), Buffer.from('tfhd'), u32(0x020000), u32(1)]), Buffer.concat([u32(20 + 4 * sizes.length), Buffer.from('trun'), u32(0x000201), u32(sizes.length), u32(off), ...sizes.map(u32)])));
    const moof = mk(mk(0).length + 8);
    parts.push(moof, box('mdat', data, extra));
  }
  if (o.after) parts.push(o.after);
  return Buffer.concat(parts);
}

// --- FLAC -------------------------------------------------------------------

function crc8(b: Buffer): number {
  let c = 0;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
  }
  return c;
}

function crc16(b: Buffer): number {
  let c = 0;
  for (const x of b) {
    c ^= x << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x8005) & 0xffff : (c << 1) & 0xffff;
  }
  return c;
}

/** A FLAC metadata block (type, body), the last one flagged. */
export function flacBlock(type: number, body: Buffer, last = false): Buffer {
  return Buffer.concat([Buffer.from([(last ? 0x80 : 0) | type, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
}

/** A VORBIS_COMMENT block's body: vendor, then NAME=value strings (little-endian lengths). */
export function vorbisComment(fields: string[]): Buffer {
  const le = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  };
  const str = (s: string): Buffer => Buffer.concat([le(Buffer.byteLength(s)), Buffer.from(s)]);
  return Buffer.concat([str('reference libFLAC 1.4.3 20230623'), le(fields.length), ...fields.map(str)]);
}

/** A PICTURE block's body (front cover) holding `data`. */
export function flacPicture(data: Buffer, description = 'cover'): Buffer {
  const d = Buffer.from(description);
  return Buffer.concat([u32(3), u32(10), Buffer.from('image/jpeg'), u32(d.length), d, u32(0), u32(0), u32(24), u32(0), u32(data.length), data]);
}

/** A FLAC stream: STREAMINFO, the blocks given, then mono 16-bit frames of 192 samples in verbatim subframes, each with its CRC-8 and CRC-16. */
export function flac(o: { blocks?: Buffer[]; frames?: number; seed?: string; inFrame?: Buffer; silent?: boolean; falseSync?: boolean } = {}): Buffer {
  const info = Buffer.alloc(34);
  info.writeUInt16BE(192, 0);
  info.writeUInt16BE(192, 2);
  // 44,100 Hz, mono, 16 bits, in 20 + 3 + 5 bits.
  info.writeUInt32BE(((44100 << 12) | (0 << 9) | (15 << 4)) >>> 0, 10);
  const blocks = o.blocks ?? [];
  const meta = blocks.length ? [flacBlock(0, info), ...blocks.slice(0, -1), Buffer.concat([Buffer.from([blocks.at(-1)![0]! | 0x80]), blocks.at(-1)!.subarray(1)])] : [flacBlock(0, info, true)];
  const frames: Buffer[] = [];
  const n = o.frames ?? 30;
  for (let f = 0; f < n; f++) {
    const head = Buffer.from([0xff, 0xf8, 0x19, 0x08, f]);
    const h = Buffer.concat([head, Buffer.from([crc8(head)])]);
    const samples = o.silent ? Buffer.alloc(384) : noise(384, `${o.seed ?? 'flac'}${f}`);
    // Sample data that holds a frame header of its own (another channel count, CRC-8 right), as real data does now and then.
    if (o.falseSync && f === n >> 1) {
      const fake = Buffer.from([0xff, 0xf8, 0x19, 0x18, 3]);
      Buffer.concat([fake, Buffer.from([crc8(fake)])]).copy(samples, 100);
    }
    const body = Buffer.concat([h, Buffer.from([0x02]), samples]);
    const c = Buffer.alloc(2);
    c.writeUInt16BE(crc16(body));
    // Bytes put inside a frame with its CRC-16 left as it was.
    frames.push(body, f === n >> 1 && o.inFrame ? o.inFrame : Buffer.alloc(0), c);
  }
  return Buffer.concat([Buffer.from('fLaC'), ...meta, ...frames]);
}

// --- Matroska ---------------------------------------------------------------

/** An EBML element: its ID's bytes, a size in the fewest bytes (8 for `unknown`: all ones), the body. */
export function el(id: number, ...body: Array<Buffer | string>): Buffer {
  const b = Buffer.concat(body.map((x) => (typeof x === 'string' ? Buffer.from(x) : x)));
  const idBytes = Buffer.from(id.toString(16).padStart(id > 0xffffff ? 8 : id > 0xffff ? 6 : id > 0xff ? 4 : 2, '0'), 'hex');
  let n = 1;
  while (b.length >= 2 ** (7 * n) - 1) n++;
  const size = Buffer.alloc(n);
  let v = b.length;
  for (let k = n - 1; k >= 0; k--, v = Math.floor(v / 256)) size[k] = v & 0xff;
  size[0]! |= 0x80 >> (n - 1);
  return Buffer.concat([idBytes, size, b]);
}

const uint = (n: number): Buffer => Buffer.from([n >> 8, n & 0xff]);

/** A Matroska (or WebM) file: header, Segment of Info, Tracks, Tags, Attachments and Clusters of SimpleBlocks of noise. */
export function matroska(o: { webm?: boolean; clusters?: number; attachments?: Array<[string, Buffer]>; tags?: Array<[string, string]>; inSegment?: Buffer; inCluster?: Buffer; live?: boolean; after?: Buffer } = {}): Buffer {
  const header = el(0x1a45dfa3, el(0x4286, Buffer.from([1])), el(0x42f7, Buffer.from([1])), el(0x42f2, Buffer.from([4])), el(0x42f3, Buffer.from([8])), el(0x4282, o.webm ? 'webm' : 'matroska'), el(0x4287, Buffer.from([4])), el(0x4285, Buffer.from([2])));
  const info = el(0x1549a966, el(0x2ad7b1, Buffer.from([0x0f, 0x42, 0x40])), el(0x4d80, 'Lavf60.16.100'), el(0x5741, 'Lavf60.16.100'), el(0x7ba9, '第三次工作会议'));
  const tracks = el(0x1654ae6b, el(0xae, el(0xd7, Buffer.from([1])), el(0x83, Buffer.from([2])), el(0x86, o.webm ? 'A_OPUS' : 'A_AAC'), el(0x63a2, noise(40, 'cp'))));
  const tags = el(0x1254c367, ...(o.tags ?? [['ENCODER', 'Lavf60.16.100'], ['COMMENT', '会议录音']]).map(([k, v]) => el(0x7373, el(0x63c0), el(0x67c8, el(0x45a3, k), el(0x4487, v)))));
  const files = o.attachments?.length ? [el(0x1941a469, ...o.attachments.map(([name, data], i) => el(0x61a7, el(0x466e, name), el(0x4660, 'application/octet-stream'), el(0x465c, data), el(0x46ae, Buffer.from([0, 0, 0, i + 1])))))] : [];
  const clusters: Buffer[] = [];
  for (let c = 0; c < (o.clusters ?? 3); c++) {
    const blocks = Array.from({ length: 8 }, (_, k) => el(0xa3, Buffer.from([0x81]), uint(k * 20), Buffer.from([0x80]), noise(600 + k, `mkv${c}.${k}`)));
    const body = Buffer.concat([el(0xe7, uint(c * 160)), ...blocks, c === 1 && o.inCluster ? o.inCluster : Buffer.alloc(0)]);
    clusters.push(o.live ? Buffer.concat([Buffer.from([0x1f, 0x43, 0xb6, 0x75, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), body]) : el(0x1f43b675, body));
  }
  const segment = Buffer.concat([info, tracks, tags, ...files, o.inSegment ?? Buffer.alloc(0), ...clusters]);
  const seg = o.live ? Buffer.concat([Buffer.from([0x18, 0x53, 0x80, 0x67, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), segment]) : el(0x18538067, segment);
  return Buffer.concat([header, seg, o.after ?? Buffer.alloc(0)]);
}

// --- ID3v2 ------------------------------------------------------------------

const syncsafe = (n: number): Buffer => Buffer.from([(n >> 21) & 127, (n >> 14) & 127, (n >> 7) & 127, n & 127]);

/** Unsynchronisation: a 00 after every FF that is followed by 111xxxxx or 00. */
function unsynchronise(b: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    out.push(b[i]!);
    if (b[i] === 0xff && (i + 1 === b.length || b[i + 1]! >= 0xe0 || b[i + 1] === 0)) out.push(0);
  }
  return Buffer.from(out);
}

/** An ID3v2.3 or 2.4 frame, zlib-compressed (2.3: flag 0x0080 and the size; 2.4: 0x0008 with a data length indicator) or unsynchronised (2.4: 0x0002). */
export function id3Frame(v: 3 | 4, id: string, payload: Buffer, o: { compress?: boolean; unsync?: boolean; encrypt?: boolean } = {}): Buffer {
  let data = payload;
  let flags = 0;
  if (o.compress) {
    const z = zlib.deflateSync(payload);
    data = v === 3 ? Buffer.concat([u32(payload.length), z]) : Buffer.concat([syncsafe(payload.length), z]);
    flags = v === 3 ? 0x0080 : 0x0009;
  }
  if (o.encrypt) {
    data = Buffer.concat([Buffer.from([0x80]), data]);
    flags |= v === 3 ? 0x0040 : 0x0004;
  }
  if (o.unsync && v === 4) {
    data = unsynchronise(data);
    flags |= 0x0002;
  }
  const h = Buffer.alloc(10);
  h.write(id, 0, 'latin1');
  if (v === 3) h.writeUInt32BE(data.length, 4);
  else syncsafe(data.length).copy(h, 4);
  h.writeUInt16BE(flags, 8);
  return Buffer.concat([h, data]);
}

/** An ID3v2 tag of the frames given, with padding; `unsync` (2.3) unsynchronises the whole tag. */
export function id3Tag(v: 3 | 4, frames: Buffer[], unsync = false): Buffer {
  let body: Buffer = Buffer.concat([...frames, Buffer.alloc(64)]);
  if (unsync) body = unsynchronise(body);
  return Buffer.concat([Buffer.from([0x49, 0x44, 0x33, v, 0, unsync ? 0x80 : 0]), syncsafe(body.length), body]);
}

/** A text frame's payload: UTF-16 with a BOM (1), or UTF-8 (3). */
export const textPayload = (text: string, enc: 1 | 3 = 1): Buffer => Buffer.concat([Buffer.from([enc]), enc === 1 ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) : Buffer.from(text)]);
/** A comment's payload: encoding, language, an empty description, the text. */
export const commentPayload = (text: string, enc: 1 | 3 = 1): Buffer =>
  Buffer.concat([Buffer.from([enc]), Buffer.from('chi'), enc === 1 ? Buffer.from([0xff, 0xfe, 0, 0, 0xff, 0xfe]) : Buffer.from([0]), enc === 1 ? Buffer.from(text, 'utf16le') : Buffer.from(text)]);

/** An MP3: the tag given, then frames. */
export const mp3WithTag = (tag: Buffer): Buffer => Buffer.concat([tag, ...mp3Frames(40, 'id3')]);
const mp3 = mp3WithTag;

// --- samples ----------------------------------------------------------------

export function containerSamples(): Sample[] {
  const out: Sample[] = [];
  const e = (name: string, body: Buffer, filename = 'clip.mp4', type = 'video/mp4', expect = 'uninspectable'): void => {
    out.push({ name, filename, type, body, expect });
  };
  const secret = encrypted(6_000);
  e('encrypted bytes after an MP4', mp4({ after: secret }));
  e('encrypted bytes after an MP4, undeclared', mp4({ after: secret }), 'data.bin', 'application/octet-stream');
  e('encrypted bytes after an MP4 whose mdat comes first', mp4({ moovFirst: false, after: secret }));
  e('encrypted bytes in a free box between moov and mdat', mp4({ between: box('free', secret) }));
  e('encrypted bytes in a skip box after ftyp', mp4({ afterFtyp: box('skip', secret) }));
  e('encrypted bytes in a second mdat no sample points at', mp4({ after: box('mdat', secret) }));
  e('encrypted bytes in the mdat past the last sample', mp4({ mdatExtra: secret }));
  e('encrypted bytes in a box of an unknown type inside moov', mp4({ inMoov: box('zzzz', secret) }));
  e('encrypted bytes in a uuid box', mp4({ after: box('uuid', Buffer.alloc(16, 0x42), secret) }));
  e('encrypted bytes in a udta box', mp4({ udta: box('udta', box('abcd', secret)) }));
  e('encrypted bytes as an ilst item\'s cover (a file that is no picture)', mp4({ udta: itunesMeta([item('covr', secret, 13)]) }));
  e('encrypted bytes after an M4A', mp4({ brand: 'M4A ', after: secret }), 'memo.m4a', 'audio/mp4');
  e('encrypted bytes after a fragmented MP4', fragmentedMp4({ after: secret }));
  e('encrypted bytes in a fragment\'s mdat past its run', fragmentedMp4({ mdatExtra: secret }));
  e('a marking in an ilst comment in UTF-16', mp4({ udta: itunesMeta([item('\xa9cmt', `会议 ${MARK}`, 2)]) }), 'clip.mp4', 'video/mp4', 'classified-marking');
  e('an id number in a QuickTime ©cmt string', mp4({ brand: 'qt  ', udta: box('udta', box('\xa9cmt', Buffer.from([0, 25, 0, 0]), Buffer.from(`身份证 ${ID}`))) }), 'clip.mov', 'video/quicktime', 'personal-data');
  e('a marking in an ID32 box, its ID3 frame compressed', mp4({ udta: box('udta', full('meta', full('hdlr', u32(0), Buffer.from('ID32'), Buffer.alloc(13)), full('ID32', Buffer.from([0x15, 0xc7]), id3Tag(4, [id3Frame(4, 'COMM', commentPayload(MARK), { compress: true })])))) }), 'clip.mp4', 'video/mp4', 'classified-marking');
  const f = (name: string, body: Buffer, expect = 'uninspectable'): void => e(name, body, 'memo.flac', 'audio/flac', expect);
  f('encrypted bytes after a FLAC', Buffer.concat([flac(), secret]));
  f('encrypted bytes after a FLAC of silence', Buffer.concat([flac({ silent: true }), secret]));
  f('encrypted bytes inside a FLAC frame of silence (its CRC-16 left as it was)', flac({ silent: true, inFrame: secret }));
  f('encrypted bytes in a FLAC padding block', flac({ silent: true, blocks: [flacBlock(1, Buffer.concat([Buffer.alloc(1000), secret, Buffer.alloc(1000)]))] }));
  f('encrypted bytes in a FLAC APPLICATION block', flac({ silent: true, blocks: [flacBlock(2, Buffer.concat([Buffer.from('ATCH'), secret]))] }));
  f('encrypted bytes as a FLAC picture', flac({ silent: true, blocks: [flacBlock(6, flacPicture(secret))] }));
  f('a marking in a FLAC comment', flac({ blocks: [flacBlock(4, vorbisComment(['TITLE=第三次会议', `COMMENT=${MARK}`]))] }), 'classified-marking');
  const m = (name: string, body: Buffer, expect = 'uninspectable'): void => e(name, body, 'clip.mkv', 'video/x-matroska', expect);
  m('encrypted bytes after a Matroska file', matroska({ after: secret }));
  m('encrypted bytes after a WebM stream of unknown size (live)', matroska({ webm: true, live: true, after: secret }));
  m('encrypted bytes in a Void element', matroska({ inSegment: el(0xec, secret) }));
  m('encrypted bytes in an element of an unknown ID inside a Cluster', matroska({ inCluster: el(0x7fff, secret) }));
  m('encrypted bytes as an attached file', matroska({ attachments: [['notes.bin', secret]] }));
  m('a marking in a gzip attachment', matroska({ attachments: [['notes.txt.gz', zlib.gzipSync(`会议纪要\n${MARK}\n`)]] }), 'classified-marking');
  m('an id number in a tag', matroska({ tags: [['COMMENT', `身份证 ${ID}`]] }), 'personal-data');
  // ID3v2 frames a reader decompresses or resynchronises (red team 1 Dec b, N25).
  const a = (name: string, body: Buffer, expect: string): void => e(name, body, '录音.mp3', 'audio/mpeg', expect);
  a('an ID3v2.3 comment compressed with zlib, UTF-16', mp3(id3Tag(3, [id3Frame(3, 'TIT2', textPayload('第三次会议')), id3Frame(3, 'COMM', commentPayload(`会议记录 ${MARK}`), { compress: true })])), 'classified-marking');
  a('an ID3v2.3 title compressed with zlib, an id number', mp3(id3Tag(3, [id3Frame(3, 'TIT2', textPayload(`录音 身份证${ID}`), { compress: true })])), 'personal-data');
  a('an ID3v2.4 comment compressed with a data length indicator, UTF-8', mp3(id3Tag(4, [id3Frame(4, 'COMM', commentPayload(`会议记录 ${MARK}`, 3), { compress: true })])), 'classified-marking');
  a('an ID3v2.4 title compressed and unsynchronised', mp3(id3Tag(4, [id3Frame(4, 'TIT2', textPayload(`录音 ${MARK}`), { compress: true, unsync: true })])), 'classified-marking');
  a('an ID3v2.3 tag unsynchronised whole, a UTF-16 comment', mp3(id3Tag(3, [id3Frame(3, 'COMM', commentPayload(`会议记录 ${MARK}`))], true)), 'classified-marking');
  a('a private ID3v2.3 frame compressed: a memo in it', mp3(id3Tag(3, [id3Frame(3, 'PRIV', Buffer.from(`owner\0${MARK} 身份证 ${ID}`), { compress: true })])), 'classified-marking');
  a('an encrypted ID3v2.3 frame', mp3(id3Tag(3, [id3Frame(3, 'COMM', commentPayload('x'), { encrypt: true })])), 'inspection-limit');
  a('an ID3v2.3 frame flagged compressed that does not inflate', mp3(id3Tag(3, [Buffer.concat([Buffer.from('COMM'), u32(40), Buffer.from([0, 0x80]), u32(100), encrypted(36)])])), 'inspection-limit');
  return out;
}

export function containerCleanSamples(): Sample[] {
  const out: Sample[] = [];
  const c = (name: string, body: Buffer, filename = 'clip.mp4', type = 'video/mp4'): void => {
    out.push({ name, filename, type, body, expect: 'clean' });
  };
  const ordinary = itunesMeta([item('\xa9nam', '第三次工作会议'), item('\xa9ART', '办公室'), item('\xa9cmt', '会议录音，2026年12月1日', 2), item('\xa9too', 'Lavf60.16.100'), item('covr', jpegBody(), 13)]);
  c('an MP4 with ordinary iTunes metadata and a cover', mp4({ udta: ordinary }));
  c('an MP4 whose mdat comes first', mp4({ moovFirst: false, udta: ordinary }));
  c('an MP4 with a free box of zeros (room for metadata)', mp4({ between: box('free', Buffer.alloc(4096)) }));
  c('an M4A with ordinary metadata', mp4({ brand: 'M4A ', udta: ordinary }), 'memo.m4a', 'audio/mp4');
  c('a MOV with QuickTime strings', mp4({ brand: 'qt  ', udta: box('udta', box('\xa9cmt', Buffer.from([0, 9, 0, 0]), Buffer.from('Ordinary.')), box('\xa9swr', Buffer.from([0, 5, 0, 0]), Buffer.from('Lavf6'))) }), 'clip.mov', 'video/quicktime');
  c('a 3GP', mp4({ brand: '3gp4' }), 'clip.3gp', 'video/3gpp');
  c('a fragmented MP4', fragmentedMp4());
  c('an MP4 of one sample a chunk', mp4({ perChunk: 1 }));
  c('a FLAC with ordinary comments, a cover and padding', flac({ blocks: [flacBlock(4, vorbisComment(['TITLE=第三次工作会议', 'ARTIST=办公室', 'DATE=2026-12-01', 'COMMENT=会议录音'])), flacBlock(6, flacPicture(jpegBody())), flacBlock(1, Buffer.alloc(8192))] }), 'memo.flac', 'audio/flac');
  c('a FLAC of silence', flac({ silent: true }), 'memo.flac', 'audio/x-flac');
  c('a FLAC whose sample data holds a frame header of another channel count', flac({ falseSync: true }), 'memo.flac', 'audio/flac');
  c('a FLAC with an ID3v1 tag after its frames', Buffer.concat([flac(), Buffer.from('TAG'), Buffer.alloc(125, 0x20)]), 'memo.flac', 'audio/flac');
  c('a Matroska file with ordinary tags and a font attached', matroska({ attachments: [['NotoSans.txt', Buffer.from('Font license text, ordinary.\n'.repeat(40))]] }), 'clip.mkv', 'video/x-matroska');
  c('a WebM', matroska({ webm: true }), 'clip.webm', 'video/webm');
  c('a live WebM (Segment and Clusters of unknown size)', matroska({ webm: true, live: true }), 'clip.webm', 'video/webm');
  c('an MP3 whose ID3v2.3 comment is compressed, ordinary', mp3(id3Tag(3, [id3Frame(3, 'TIT2', textPayload('第三次会议')), id3Frame(3, 'COMM', commentPayload('会议记录，请查收。'), { compress: true })])), '录音.mp3', 'audio/mpeg');
  c('an MP3 whose ID3v2.4 frames are unsynchronised, ordinary', mp3(id3Tag(4, [id3Frame(4, 'TIT2', textPayload('第三次会议'), { unsync: true }), id3Frame(4, 'APIC', Buffer.concat([Buffer.from('\0image/jpeg\0\x03\0', 'latin1'), jpegBody()]), { unsync: true })])), '录音.mp3', 'audio/mpeg');
  c('an MP3 with a cover picture in its ID3v2.3 tag', mp3(id3Tag(3, [id3Frame(3, 'APIC', Buffer.concat([Buffer.from('\0image/jpeg\0\x03cover\0', 'latin1'), jpegBody()]))])), '录音.mp3', 'audio/mpeg');
  return out;
}
