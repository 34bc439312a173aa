import { BmffShape, MAX_HELD } from './bmff-shape.js';
import { DirectoryShape } from './directory-shape.js';
import { EbmlShape } from './ebml-shape.js';
import { FlacShape } from './flac-shape.js';
import { EntropyMeter } from '../opaque/entropy-meter.js';
import { HeaderWalk } from './header-walk.js';
import { Lyrics3, isTextByte } from './lyrics3.js';
import { id3Budget, readId3, type MediaReading } from './media-meta.js';
import { OggShape } from './ogg-shape.js';
import { ProgramStream } from './program-stream.js';
import { RiffShape } from './riff-shape.js';
import { TiffShape } from './tiff-shape.js';

// Media that file-type names by a signature of a few bytes, checked past it.
// Media is not judged by entropy (its compressed data is not text), so a
// signature of two bytes (`BM`, an MPEG frame sync `FF FB`, `0B 77`, `47`
// every 188 bytes) in front of encrypted bytes let them cross as a bitmap or
// an MP3 (found 30 Nov). Real files of these types hold a structure from
// their first byte to their last; bytes that do not hold it are not media
// and are judged as the bytes they are (content-inspector.ts, text-handler.ts).
//   bmp    BITMAPFILEHEADER and an info header of a known size (12, 16, 40, 52,
//          56, 64, 108, 124), one plane, a known depth and compression, the
//          pixel array at offBits of the size its width, height and depth
//          give (rows padded to 4 bytes), or biSizeImage bytes of RLE that
//          decode within the image and end with end-of-bitmap; the file
//          ends there (4 bytes of padding allowed), or after an embedded ICC
//          profile (V5 header). JPEG or PNG inside a BMP is not taken.
//   mpeg   MPEG-1/2/2.5 audio frames (layers I-III) or ADTS AAC frames, one
//          after another at the lengths their headers give (ISO/IEC 11172-3
//          §2.4.2.3, 13818-7 §6.2), version, layer and sample rate the same
//          throughout; before, between or after them ID3v2 tags (with their
//          footer), an ID3v1 tag, an APEv2 tag, a Lyrics3 tag (lyrics3.ts)
//          and zero bytes of padding; the last frame may be cut short.
//          Free-format bitrate is not taken.
//   ac3    AC-3 and E-AC-3 syncframes (ATSC A/52 §5.4.1, Annex E) at the
//          lengths their headers give, one sample rate throughout.
//   mp2t   a transport stream's sync byte 0x47 every 188 bytes (every 192,
//          after a 4-byte header, for BDAV/M2TS).
//   mpegps an MPEG-1 or MPEG-2 program stream's packs, system headers and
//          PES packets at their lengths (program-stream.ts).
//   riff   RIFF (WAV, AVI, WebP) and IFF (AIFF) chunks to the form's end
//          (riff-shape.ts).
//   ogg    Ogg pages one after another (ogg-shape.ts).
//   tiff   TIFF and BigTIFF: the IFD chain walked and the bytes its entries,
//          strips and tiles cover; what none covers is judged (tiff-shape.ts).
//   ico    ICO and CUR (`00 00 01 00`, `00 00 02 00`): a directory of 1 to
//          256 images, each at an offset past the directory, of a size that
//          ends inside the file, starting with a PNG signature or a
//          BITMAPINFOHEADER; the file ends with the last of them.
//   sfnt   TrueType and OpenType (`00 01 00 00`, `OTTO`, `true`): a table
//          directory of 1 to 128 tables whose tags are printable ASCII, each
//          past the directory and ending inside the file; the file ends with
//          the last of them (padded to 4 bytes) (directory-shape.ts).
//   bmff   ISO BMFF (MP4, MOV, M4A, 3GP, HEIF, AVIF): boxes to the end, samples
//          where the sample tables put them; what nothing covers is judged
//          (bmff-shape.ts); metadata boxes read (media-meta.ts).
//   flac   FLAC: metadata blocks, then frames from sync to sync where each
//          frame's CRC-16 holds (flac-shape.ts); metadata read.
//   ebml   Matroska and WebM: EBML elements to the end, frames covered, what
//          nothing covers judged, attachments read as files (ebml-shape.ts).
//   woff   WOFF and WOFF2: the header's length is the file's, 1 to 128
//          tables, its reserved field zero; WOFF's table directory as sfnt's
//          (compressed lengths).
// Where a shape breaks, the bytes from the break on are judged by entropy by
// themselves (a frame, chunk or page walk's break; past the end a bitmap's,
// an icon's or a font's header gives), beside the content as a whole.
// What these leave out: data inside a frame or a pixel array that holds the
// structure (noise pixels, frames of noise) is out of reach, like any hidden
// in media. An MPEG audio file's ID3v2 tags are held (up to 16 MiB) and
// read (media-meta.ts): compressed and unsynchronised frames decoded.

export type ShapeKind = 'bmp' | 'mpeg' | 'ac3' | 'mp2t' | 'mpegps' | 'tiff' | 'riff' | 'iff' | 'ogg' | 'ico' | 'sfnt' | 'woff' | 'bmff' | 'flac' | 'ebml';

const RIFF_TYPES = new Set(['audio/wav', 'video/vnd.avi', 'image/webp', 'audio/qcelp']);
const BMFF_TYPES = new Set(['video/mp4', 'video/quicktime', 'audio/mp4', 'audio/x-m4a', 'video/x-m4v', 'video/3gpp', 'video/3gpp2', 'image/heic', 'image/heic-sequence', 'image/heif', 'image/heif-sequence', 'image/avif']);
/** Boxes an ISO BMFF file starts with (QuickTime's older files have no ftyp). */
const BMFF_FIRST = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot', 'styp']);

/** The structure to check for content file-type typed so, by the signature it found. */
export function shapeOf(mime: string, head: Uint8Array): ShapeKind | undefined {
  if (mime === 'image/bmp' && head[0] === 0x42 && head[1] === 0x4d) return 'bmp';
  if ((mime === 'audio/mpeg' || mime === 'audio/aac') && (head[0] === 0xff || (head[0] === 0x49 && head[1] === 0x44 && head[2] === 0x33))) return 'mpeg';
  if (mime === 'audio/vnd.dolby.dd-raw' && head[0] === 0x0b && head[1] === 0x77) return 'ac3';
  if (mime === 'video/mp2t') return 'mp2t';
  if ((mime === 'video/MP1S' || mime === 'video/MP2P' || mime === 'video/mpeg') && head[0] === 0 && head[1] === 0 && head[2] === 1 && head[3] === 0xba) return 'mpegps';
  if (RIFF_TYPES.has(mime) && head[0] === 0x52 && head[1] === 0x49 && head[2] === 0x46 && head[3] === 0x46) return 'riff';
  if (mime === 'audio/aiff' && head[0] === 0x46 && head[1] === 0x4f && head[2] === 0x52 && head[3] === 0x4d) return 'iff';
  if ((mime.startsWith('audio/ogg') || mime === 'video/ogg') && head[0] === 0x4f && head[1] === 0x67) return 'ogg';
  if (BMFF_TYPES.has(mime) && head.length >= 8 && BMFF_FIRST.has(String.fromCharCode(head[4]!, head[5]!, head[6]!, head[7]!))) return 'bmff';
  if ((mime === 'video/webm' || mime === 'video/matroska') && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'ebml';
  if (mime === 'audio/flac' && head[0] === 0x66 && head[1] === 0x4c && head[2] === 0x61 && head[3] === 0x43) return 'flac';
  if (mime === 'image/tiff' && ((head[0] === 0x49 && head[1] === 0x49) || (head[0] === 0x4d && head[1] === 0x4d))) return 'tiff';
  if (mime === 'image/x-icon' && head[0] === 0 && head[1] === 0 && (head[2] === 1 || head[2] === 2) && head[3] === 0) return 'ico';
  if ((mime === 'font/ttf' || mime === 'font/otf') && (head[0] === 0 || head[0] === 0x4f || head[0] === 0x74)) return 'sfnt';
  if ((mime === 'font/woff' || mime === 'font/woff2') && head[0] === 0x77) return 'woff';
  return undefined;
}

/** The longest header a unit is judged by (an APEv2 tag's: 16 bytes). */
const UNIT_HEAD = 16;

/** Kilobits a second by index, MPEG-1 layers I, II, III, then MPEG-2/2.5 layer I, layers II and III. */
const BITRATES = [
  [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
];
/** Sample rates by the version bits (0 MPEG-2.5, 2 MPEG-2, 3 MPEG-1). */
const RATES: Record<number, number[]> = { 0: [11025, 12000, 8000], 2: [22050, 24000, 16000], 3: [44100, 48000, 32000] };
/** AC-3 frame sizes in 16-bit words by frmsizecod, for fscod 48, 44.1 and 32 kHz (A/52 Table 5.18). */
const AC3_WORDS = [
  [64, 64, 80, 80, 96, 96, 112, 112, 128, 128, 160, 160, 192, 192, 224, 224, 256, 256, 320, 320, 384, 384, 448, 448, 512, 512, 640, 640, 768, 768, 896, 896, 1024, 1024, 1152, 1152, 1280, 1280],
  [69, 70, 87, 88, 104, 105, 121, 122, 139, 140, 174, 175, 208, 209, 243, 244, 278, 279, 348, 349, 417, 418, 487, 488, 557, 558, 696, 697, 835, 836, 975, 976, 1114, 1115, 1253, 1254, 1393, 1394],
  [96, 96, 120, 120, 144, 144, 168, 168, 192, 192, 240, 240, 288, 288, 336, 336, 384, 384, 480, 480, 576, 576, 672, 672, 768, 768, 960, 960, 1152, 1152, 1344, 1344, 1536, 1536, 1728, 1728, 1920, 1920],
];

/** A unit's length; 0: no unit of the format starts here; -1: more bytes are needed to tell. */
type Unit = number;

export class MediaShape {
  #kind: ShapeKind;
  #pos = 0;
  #bad = '';
  /** Frame walks: where the next unit starts, its first bytes gathered across chunks. */
  #at = 0;
  #head = new Uint8Array(UNIT_HEAD);
  #headN = 0;
  /** The last unit's header was whole: a walk that ends inside it ends in a frame cut short. */
  #frames = 0;
  /** What every frame must repeat (version, layer and rate bits), set by the first. */
  #key = -1;
  /** BMP, ICO, sfnt, TIFF: the header read from the first bytes, then checked against the rest. */
  #bmp: BmpShape | DirectoryShape | TiffShape | HeaderWalk | BmffShape | FlacShape | EbmlShape | null;
  #ps: ProgramStream | null;
  #lyrics = new Lyrics3();
  /** The last UNIT_HEAD bytes written. */
  #last = new Uint8Array(UNIT_HEAD);
  /** The bytes from a break on (or past the end a header gives), judged on their own. */
  #tail: EntropyMeter | null = null;
  /** An ID3v2 tag under way, held to be read. */
  #id3: { at: number; buf: Uint8Array; got: number } | null = null;
  #readings: MediaReading[] = [];
  /** What this content's ID3v2 tags may still inflate and give as files, all tags together. */
  readonly #id3Budget = id3Budget();

  constructor(kind: ShapeKind) {
    this.#kind = kind;
    this.#bmp = kind === 'bmp' ? new BmpShape() : kind === 'ico' || kind === 'sfnt' || kind === 'woff' ? new DirectoryShape(kind) : kind === 'tiff' ? new TiffShape() : kind === 'riff' || kind === 'iff' ? new RiffShape(kind === 'riff') : kind === 'ogg' ? new OggShape() : kind === 'bmff' ? new BmffShape() : kind === 'flac' ? new FlacShape() : kind === 'ebml' ? new EbmlShape() : null;
    this.#ps = kind === 'mpegps' ? new ProgramStream() : null;
  }

  /** The bytes that break the shape measure compressed or encrypted by themselves (a TIFF's uncovered bytes, the bytes from a break or past the end a header gives): no judgement of the whole is needed. */
  get judged(): boolean {
    return ((this.#bmp instanceof TiffShape || this.#bmp instanceof BmffShape || this.#bmp instanceof FlacShape || this.#bmp instanceof EbmlShape) && this.#bmp.judged) || this.#tail?.opaque() === true;
  }

  /** Metadata held and read since the last call (ID3v2 tags, ISO BMFF metadata boxes): texts and files to inspect. */
  takeReadings(): MediaReading[] {
    const r = this.#readings;
    this.#readings = [];
    if (this.#bmp instanceof BmffShape || this.#bmp instanceof FlacShape || this.#bmp instanceof EbmlShape) r.push(...this.#bmp.takeReadings());
    return r;
  }

  /** Why the content is not of its type ('' while it holds). */
  get why(): string {
    return this.#bad;
  }

  /** Regions that hold no text, as [start, end) (an sfnt font's binary tables): a run of digits in them is not read as a number. */
  binaryRanges(): ReadonlyArray<[number, number]> {
    return this.#bmp instanceof DirectoryShape ? this.#bmp.binary : [];
  }

  /** The structure is already broken in what was written. */
  broken(): boolean {
    return this.#bad !== '';
  }

  write(b: Uint8Array): void {
    const start = this.#pos;
    this.#pos += b.length;
    if (this.#bad) return this.#pastBreak(b, 0);
    if (this.#bmp) {
      this.#bad = this.#bmp.write(b, start);
      // A chunk or page walk knows where it broke: the bytes from there on are judged too.
      if (this.#bad && (this.#bmp instanceof HeaderWalk || this.#bmp instanceof BmffShape || this.#bmp instanceof FlacShape || this.#bmp instanceof EbmlShape)) this.#pastBreak(b, Math.max(0, this.#bmp.breakAt - start));
      // A bitmap, an icon or a font knows where it ends from its header: bytes past it are judged as they pass.
      else if (this.#bmp instanceof BmpShape || this.#bmp instanceof DirectoryShape) {
        const end = this.#bmp.limit();
        if (end >= 0 && start + b.length > end) this.#judgeTail(b.subarray(Math.max(0, end - start)));
      }
      return;
    }
    if (this.#id3) this.#hold(b, start);
    if (this.#kind === 'mp2t') this.#sync(b, start);
    else this.#walk(b, start);
    if (this.#bad) this.#pastBreak(b, Math.max(0, this.#at - start));
    // The last bytes before the next chunk: a unit shorter than a head (a pack header) ends inside a head gathered across chunks.
    if (b.length >= UNIT_HEAD) this.#last.set(b.subarray(b.length - UNIT_HEAD));
    else {
      this.#last.copyWithin(0, b.length);
      this.#last.set(b, UNIT_HEAD - b.length);
    }
  }

  /** Bytes from the break on are judged on their own (a small encrypted tail after a long stream of padding). */
  #pastBreak(b: Uint8Array, from: number): void {
    if (this.#bmp instanceof TiffShape) return this.#bmp.measure(b);
    // A bitmap, an icon or a font broken in its head: its tail is judged as it passes (write) once the head says where it ends.
    if (this.#bmp && !(this.#bmp instanceof HeaderWalk || this.#bmp instanceof BmffShape || this.#bmp instanceof FlacShape || this.#bmp instanceof EbmlShape)) {
      const end = this.#bmp.limit();
      if (end >= 0 && this.#pos > end) this.#judgeTail(b.subarray(Math.max(0, end - (this.#pos - b.length))));
      return;
    }
    this.#judgeTail(b.subarray(from));
  }

  #judgeTail(b: Uint8Array): void {
    this.#tail ??= new EntropyMeter({ small: true });
    this.#tail.write(b);
  }

  #walk(b: Uint8Array, start: number): void {
    while (!this.#bad && this.#at < this.#pos) {
      // A Lyrics3 field's data: text.
      if (this.#lyrics.text > 0) {
        const to = Math.min(this.#pos, this.#at + this.#lyrics.text);
        for (let p = this.#at; p < to; p++) {
          if (!isTextByte(b[p - start]!)) {
            this.#bad = `a byte that is not text in a Lyrics3 field at byte ${p}`;
            return;
          }
        }
        this.#lyrics.text -= to - this.#at;
        this.#at = to;
        continue;
      }
      const from = this.#at - start;
      // A unit's first bytes, whole in this chunk or gathered with the end of the last.
      let h: Uint8Array;
      if (this.#headN === 0 && from >= 0 && from + UNIT_HEAD <= b.length) h = b.subarray(from, from + UNIT_HEAD);
      else {
        if (from < 0 && this.#headN === 0) {
          this.#head.set(this.#last.subarray(UNIT_HEAD + from));
          this.#headN = -from;
        }
        const take = Math.min(UNIT_HEAD - this.#headN, this.#pos - this.#at - this.#headN);
        this.#head.set(b.subarray(from + this.#headN, from + this.#headN + take), this.#headN);
        this.#headN += take;
        h = this.#head.subarray(0, this.#headN);
      }
      const len = this.#kind === 'ac3' ? this.#ac3(h) : this.#ps ? this.#ps.unit(h) : this.#mpeg(h);
      if (len < 0) {
        if (h !== this.#head) {
          this.#head.set(h);
          this.#headN = h.length;
        }
        return;
      }
      this.#headN = 0;
      if (len === 0) {
        this.#bad = `no ${this.#kind === 'ac3' ? 'AC-3 syncframe' : this.#ps ? 'program stream pack or packet' : 'MPEG audio frame'} at byte ${this.#at}`;
        return;
      }
      // An ID3v2 tag: held (from the last chunk's end too, where its head began there) and read when whole.
      if (this.#kind === 'mpeg' && h[0] === 0x49 && h[1] === 0x44) {
        if (len > MAX_HELD) this.#readings.push({ kind: 'limit', name: '(id3)', bytes: Buffer.alloc(0), decoded: false, detail: `an ID3v2 tag of ${len} bytes is over ${MAX_HELD}; its frames were read raw` });
        else {
          this.#id3 = { at: this.#at, buf: new Uint8Array(len), got: 0 };
          if (this.#at < start) {
            const back = this.#last.subarray(UNIT_HEAD - (start - this.#at));
            this.#id3.buf.set(back.subarray(0, Math.min(back.length, len)));
            this.#id3.got = Math.min(back.length, len);
          }
          this.#hold(b, start);
        }
      }
      this.#at += len;
      // A Lyrics3 field's first bytes of data, already among the unit's head (the rest is checked from the chunk above).
      if (this.#lyrics.text > 0) {
        const k = Math.min(h.length, len + this.#lyrics.text);
        for (let i = len; i < k; i++) {
          if (!isTextByte(h[i]!)) {
            this.#bad = `a byte that is not text in a Lyrics3 field at byte ${this.#at + i - len}`;
            return;
          }
        }
        this.#at += k - len;
        this.#lyrics.text -= k - len;
      }
    }
  }

  /** Bytes of the ID3v2 tag under way. */
  #hold(b: Uint8Array, start: number): void {
    const t = this.#id3!;
    const from = t.at + t.got - start;
    if (from >= b.length) return;
    const take = Math.min(t.buf.length - t.got, b.length - from);
    t.buf.set(b.subarray(from, from + take), t.got);
    t.got += take;
    if (t.got < t.buf.length) return;
    this.#id3 = null;
    this.#readings.push(...readId3(t.buf, '(id3)', this.#id3Budget));
  }

  /** At the end: is the content what its type says? */
  valid(): boolean {
    if (this.#bad) {
      if (this.#bmp instanceof TiffShape) this.#bmp.judgeBreak();
      return false;
    }
    if (this.#bmp) {
      this.#bad = this.#bmp.end(this.#pos);
      return !this.#bad;
    }
    if (this.#kind === 'mp2t') return this.#pos >= 188;
    if (this.#frames === 0 && (this.#ps?.packs ?? 0) === 0) this.#bad = 'no frame';
    else if (this.#lyrics.inside) this.#bad = 'a Lyrics3 tag with no end';
    // A program stream's packet may be 64 KiB long: one cut short is not taken (MPEG audio's frames are 2,880 bytes at most).
    else if (this.#ps && (this.#at > this.#pos || this.#headN > 0)) this.#bad = `a program stream packet at byte ${this.#at - this.#headN} cut short`;
    // A unit under way at the end: a frame cut short (its header was judged whole) or a header too short to judge.
    return !this.#bad;
  }

  #sync(b: Uint8Array, start: number): void {
    if (this.#key < 0 && b.length > 0) this.#key = b[0] === 0x47 ? 0 : 4;
    const stride = this.#key === 4 ? 192 : 188;
    const off = this.#key;
    let i = Math.ceil((start - off) / stride) * stride + off - start;
    for (; i < b.length; i += stride) {
      if (b[i] !== 0x47) {
        this.#bad = `no transport stream sync byte at byte ${start + i}`;
        this.#at = start + i;
        return;
      }
    }
  }

  /** MPEG audio or ADTS frames, with the tags and padding real files carry around them. */
  #mpeg(h: Uint8Array): Unit {
    if (h.length < 1) return -1;
    if (this.#lyrics.inside) return this.#lyrics.unit(h, this.#at);
    if (h[0] === 0) return 1;
    const want = (n: number): boolean => h.length >= n;
    if (h[0] === 0x49 && (!want(2) || h[1] === 0x44) && (!want(3) || h[2] === 0x33)) {
      // ID3v2: "ID3", version, revision, flags, a syncsafe size; a footer of 10 when flag 0x10.
      if (!want(10)) return -1;
      if (h[3] === 0xff || h[4] === 0xff || h[6]! >= 0x80 || h[7]! >= 0x80 || h[8]! >= 0x80 || h[9]! >= 0x80) return 0;
      return 10 + ((h[6]! << 21) | (h[7]! << 14) | (h[8]! << 7) | h[9]!) + (h[5]! & 0x10 ? 10 : 0);
    }
    if (this.#frames > 0 && h[0] === 0x54 && (!want(2) || h[1] === 0x41) && (!want(3) || h[2] === 0x47)) return want(3) ? 128 : -1; // ID3v1
    if (this.#frames > 0 && h[0] === 0x4c) return this.#lyrics.start(h, this.#at); // Lyrics3
    if (this.#frames > 0 && h[0] === 0x41) {
      if (!want(16)) return -1;
      if (String.fromCharCode(...h.subarray(0, 8)) !== 'APETAGEX') return 0;
      const size = h[12]! | (h[13]! << 8) | (h[14]! << 16) | (h[15]! << 24);
      return size > 0 ? 32 + size : 0;
    }
    if (h[0] !== 0xff) return 0;
    if (!want(2)) return -1;
    if ((h[1]! & 0xe0) !== 0xe0) return 0;
    let len: number;
    let key: number;
    if ((h[1]! & 0xf6) === 0xf0) {
      // ADTS: 12 bits of sync, layer 0; the frame length is 13 bits from bit 30 (header included).
      if (!want(7)) return -1;
      if (((h[2]! >> 2) & 0xf) > 12) return 0;
      len = ((h[3]! & 3) << 11) | (h[4]! << 3) | (h[5]! >> 5);
      if (len < (h[1]! & 1 ? 7 : 9)) return 0;
      key = 0x10000 | (h[1]! << 8) | (h[2]! & 0xfc);
    } else {
      if (!want(4)) return -1;
      const version = (h[1]! >> 3) & 3;
      const layer = (h[1]! >> 1) & 3;
      const bi = h[2]! >> 4;
      const si = (h[2]! >> 2) & 3;
      const pad = (h[2]! >> 1) & 1;
      if (version === 1 || layer === 0 || bi === 0 || bi === 15 || si === 3 || (h[3]! & 3) === 2) return 0;
      const rate = RATES[version]![si]!;
      const kbps = BITRATES[version === 3 ? 3 - layer : layer === 3 ? 3 : 4]![bi]! * 1000;
      len = layer === 3 ? (Math.floor((12 * kbps) / rate) + pad) * 4 : Math.floor(((layer === 1 && version !== 3 ? 72 : 144) * kbps) / rate) + pad;
      key = (h[1]! & 0xfe) << 8 | (h[2]! & 0x0c);
    }
    if (this.#key >= 0 && key !== this.#key) return 0;
    this.#key = key;
    this.#frames++;
    return len;
  }

  /** AC-3 (bsid up to 10) and E-AC-3 (bsid 11-16) syncframes. */
  #ac3(h: Uint8Array): Unit {
    if (h.length < 1) return -1;
    if (h[0] === 0 && this.#frames > 0) return 1;
    if (h[0] !== 0x0b) return 0;
    if (h.length < 6) return h.length >= 2 && h[1] !== 0x77 ? 0 : -1;
    if (h[1] !== 0x77) return 0;
    const bsid = h[5]! >> 3;
    const fscod = h[4]! >> 6;
    let len: number;
    if (bsid <= 10) {
      const code = h[4]! & 0x3f;
      if (fscod === 3 || code > 37) return 0;
      len = AC3_WORDS[fscod]![code]! * 2;
    } else if (bsid <= 16) {
      len = ((((h[2]! & 7) << 8) | h[3]!) + 1) * 2;
    } else return 0;
    const key = fscod | (bsid <= 10 ? 0 : 4);
    if (this.#key >= 0 && key !== this.#key) return 0;
    this.#key = key;
    this.#frames++;
    return len;
  }
}

const BMP_HEAD = 14 + 124;
const INFO_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

/** A BMP's headers, checked as they arrive, and its length at the end; RLE pixel data walked. */
class BmpShape {
  #h = new Uint8Array(BMP_HEAD);
  #n = 0;
  #need = 0;
  #checked = false;
  #rle: RleWalk | null = null;
  #rleFrom = 0;
  #rleTo = 0;

  /** Where the bitmap ends (and its 4 bytes of slack), once its header is read; -1 before. */
  limit(): number {
    return this.#checked && this.#need > 0 ? this.#need + 4 : -1;
  }

  write(b: Uint8Array, start: number): string {
    if (this.#n < BMP_HEAD) {
      const take = Math.min(BMP_HEAD - this.#n, b.length);
      this.#h.set(b.subarray(0, take), this.#n);
      this.#n += take;
    }
    if (!this.#checked && this.#n >= 26 && this.#n >= Math.min(BMP_HEAD, 14 + this.#u32(14))) {
      this.#checked = true;
      const why = this.#header();
      if (why) return why;
    }
    if (this.#rle) {
      const from = Math.max(this.#rleFrom - start, 0);
      const to = Math.min(this.#rleTo - start, b.length);
      if (from < to) {
        const why = this.#rle.write(b.subarray(from, to));
        if (why) return why;
      }
    }
    return '';
  }

  end(total: number): string {
    if (!this.#checked) {
      this.#checked = true;
      const why = this.#n >= 26 ? this.#header() : 'a bitmap header cut short';
      if (why) return why;
    }
    if (total < this.#need) return `the bitmap's pixel data ends at byte ${this.#need}, past the content's end (${total})`;
    if (total > this.#need + 4) return `${total - this.#need} bytes follow the bitmap's end (byte ${this.#need})`;
    if (this.#rle && !this.#rle.ended) return 'the bitmap\'s RLE data has no end-of-bitmap';
    return '';
  }

  #u16(at: number): number {
    return this.#h[at]! | (this.#h[at + 1]! << 8);
  }

  #u32(at: number): number {
    return (this.#h[at]! | (this.#h[at + 1]! << 8) | (this.#h[at + 2]! << 16) | (this.#h[at + 3]! << 24)) >>> 0;
  }

  #header(): string {
    const info = this.#u32(14);
    if (!INFO_SIZES.has(info)) return `a bitmap info header of ${info} bytes`;
    if (this.#n < 14 + info) return 'a bitmap header cut short';
    const core = info === 12;
    const width = core ? this.#u16(18) : this.#u32(18) | 0;
    const rawHeight = core ? this.#u16(20) : this.#u32(22) | 0;
    const planes = this.#u16(core ? 22 : 26);
    const bpp = this.#u16(core ? 24 : 28);
    const compression = core || info < 20 ? 0 : this.#u32(30);
    const sizeImage = core || info < 24 ? 0 : this.#u32(34);
    const offBits = this.#u32(10);
    const height = Math.abs(rawHeight);
    if (planes !== 1) return `a bitmap of ${planes} planes`;
    if (width <= 0 || height === 0 || width > 1 << 16 || height > 1 << 16) return `a bitmap of ${width}×${rawHeight} pixels`;
    const depths: Record<number, number[]> = { 0: [1, 2, 4, 8, 16, 24, 32, 64], 1: [8], 2: [4], 3: [16, 32], 6: [16, 32] };
    if (!depths[compression]?.includes(bpp)) return `a bitmap of depth ${bpp} and compression ${compression}`;
    const masks = info === 40 && compression === 3 ? 12 : info === 40 && compression === 6 ? 16 : 0;
    const colours = (info >= 36 ? this.#u32(46) : 0) || (bpp <= 8 ? 1 << bpp : 0);
    if (colours > 1 << Math.min(bpp, 16)) return `a bitmap of depth ${bpp} with ${colours} colours`;
    if (offBits < 14 + info + masks + colours * (core ? 3 : 4)) return `a bitmap's pixel data at byte ${offBits}, inside its headers and colour table`;
    let end: number;
    if (compression === 1 || compression === 2) {
      if (rawHeight < 0 || sizeImage === 0) return 'an RLE bitmap with no size or top-down';
      end = offBits + sizeImage;
      this.#rle = new RleWalk(width, height, compression === 2);
      this.#rleFrom = offBits;
      this.#rleTo = end;
    } else end = offBits + Math.floor((width * bpp + 31) / 32) * 4 * height;
    // A V5 header's embedded ICC profile (PROFILE_EMBEDDED, 'MBED') may follow the pixels.
    if (info === 124 && this.#u32(70) === 0x4d424544) end = Math.max(end, 14 + this.#u32(126) + this.#u32(130));
    this.#need = end;
    return '';
  }
}

/** BMP RLE4/RLE8 (MS-WMF 2.1.1.7): runs and absolute runs within a line, line ends, deltas, end of bitmap. */
class RleWalk {
  ended = false;
  #w: number;
  #h: number;
  #four: boolean;
  #x = 0;
  #y = 0;
  /** Bytes of the current record seen, and its first two. */
  #state: 'first' | 'second' | 'dx' | 'dy' | 'abs' | 'done' = 'first';
  #a = 0;
  #skip = 0;

  constructor(w: number, h: number, four: boolean) {
    this.#w = w;
    this.#h = h;
    this.#four = four;
  }

  write(b: Uint8Array): string {
    for (let i = 0; i < b.length; i++) {
      const c = b[i]!;
      switch (this.#state) {
        case 'done':
          if (c !== 0) return 'bytes after the RLE end of bitmap';
          break;
        case 'abs':
          if (--this.#skip === 0) this.#state = 'first';
          break;
        case 'first':
          this.#a = c;
          this.#state = 'second';
          break;
        case 'second':
          this.#state = 'first';
          if (this.#a > 0) {
            this.#x += this.#a;
          } else if (c === 0) {
            this.#x = 0;
            this.#y++;
          } else if (c === 1) {
            this.#state = 'done';
            this.ended = true;
          } else if (c === 2) {
            this.#state = 'dx';
          } else {
            this.#x += c;
            const bytes = this.#four ? (c + 1) >> 1 : c;
            this.#skip = bytes + (bytes & 1);
            this.#state = 'abs';
          }
          break;
        case 'dx':
          this.#x += c;
          this.#state = 'dy';
          break;
        case 'dy':
          this.#y += c;
          this.#state = 'first';
          break;
      }
      if (this.#x > this.#w || this.#y > this.#h) return `RLE data past the bitmap's ${this.#w}×${this.#h} pixels`;
    }
    return '';
  }
}
