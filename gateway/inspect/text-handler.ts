import { BackslashAv } from './antivirus/backslash-av.js';
import { DecompressHandler } from './archives/decompress-handler.js';
import { DerShape } from './opaque/der-shape.js';
import { MAX_DEPTH as MAX_DER_DEPTH } from './opaque/ber-text.js';
import { PgpPackets } from './archives/openpgp-packets.js';
import { sheetBook } from './documents/sheet-book.js';
import { SHEET_PART, type SheetAmounts } from './documents/currency-cells.js';
import { PstPermute } from './documents/pst-permute.js';
import { SheetRows } from './documents/sheet-rows.js';
import { XlsbCells } from './documents/xlsb-cells.js';
import { EntropyMeter } from './opaque/entropy-meter.js';
import { findSignature, SIGNATURE_SPAN } from './signatures/embedded-signatures.js';
import { EmbeddedZlib } from './archives/embedded-zlib.js';
import { FormatEnd, MAX_EXTENDED_XMP, MAX_ICC, type EndFormat } from './media/format-end.js';
import { readableStretches } from './opaque/opaque-blocks.js';
import { OpaqueRegions, REGION_WINDOW, type OpaqueSpan } from './opaque/opaque-regions.js';
import { Ole2Text } from './documents/ole2-text.js';
import { PdfText } from './pdf/pdf-text.js';
import { SqliteText } from './documents/sqlite-text.js';
import { TnefText } from './documents/tnef-text.js';
import { BinaryIntegers } from './marks/binary-integers.js';
import { FloatArrays } from './opaque/float-arrays.js';
import { PackIndexShape } from './archives/git-pack-index.js';
import { PngText } from './media/png-text.js';
import { RenderedView } from './markup/rendered-view.js';
import { DocVars, packageFields } from './decodings/word-fields.js';
import type { InspectContext } from './context/inspect-context.js';
import type { TextEncodingName } from './text/text-encoding.js';
import { pastBreak, TextLenses } from './scan/text-lenses.js';
import { TextScanner, type Base64Event } from './scan/text-scanner.js';
import { flatJoin, TokenReader, type TokenFinds } from './scan/text-tokens.js';
import { UuDecoder, type UuEvent } from './decodings/uu-decoder.js';
import { YencDecoder } from './decodings/yenc-decoder.js';
import type { YencEvent } from './decodings/yenc-posts.js';
import { GitPatchReader, type PatchSpan } from './archives/git-patch-reader.js';
import { MAX_ENTITY_EXPANSION, ViewDecoder } from './scan/text-views.js';
import { BinHexDecoder } from './decodings/binhex-decoder.js';
import { isPathRun, PATH_RUN_MAX } from './text/path-runs.js';
import { DecodedRun, RunReadings } from './decodings/decoded-run.js';
import { LabelPairs } from './labels/label-pairs.js';
import { type SheetMember } from './marks/sheet-columns.js';
import { VerticalColumns } from './text/vertical-columns.js';
import { MiWindows } from './markup/mi-windows.js';
import { linkTexts } from './markup/markdown-links.js';
import { latexShown } from './markup/latex-shown.js';
import { LatexMacros } from './markup/latex-macros.js';
import { MAX_GLYPHS, OfdTextOrder } from './markup/ofd-text-order.js';
import type { Member } from './context/member.js';
import { MediaShape, type ShapeKind } from './media/media-shape.js';
import type { MediaReading } from './media/media-meta.js';
import { readBack } from './text/utf8-as-gbk.js';
import { readBackBig5 } from './text/utf8-as-big5.js';

// Every byte of every piece of content that is not walked as an archive goes
// through here, whatever its sniffed type: a PDF or GIF header does not turn
// scanning off. Around the one scanner of the main encoding:
//   lenses      regions in other encodings (text-lenses.ts)
//   views       the text with escapes and markup resolved (text-views.ts),
//               inspected as content of its own one level down
//   rendered    markup as a reader sees it: hidden parts dropped, reversed
//               and reordered text put right, formulas and fields evaluated
//               (rendered-view.ts), one level down
//   base64      long runs decoded and inspected one level down
//   tokens      short base64, base32 and hex standing alone (text-tokens.ts)
//   uuencode    each `begin … end` block decoded and inspected as a file
//   embedded    an archive starting anywhere (a zip appended to an image)
//   deflate     binary content of no known type is also tried as bare deflate,
//               and every zlib header in it as a zlib stream (embedded-zlib.ts)
//   trailer     what follows the end of a PNG or JPEG, as content (format-end.ts)
//   entropy     binary content that is compressed or encrypted and that no
//               inspector decodes is `uninspectable`, and so is media typed
//               by a short signature whose structure it does not hold
//               (media-shape.ts)
//   regions     content typed text is judged in blocks (4 KiB) and windows
//               (1 KiB) past its head: a compressed or encrypted region in it,
//               or random characters of 7 bits, that no embedded archive opens
//               is `uninspectable` too (opaque-regions.ts)

/** A CNS 11643 plane designated, then shifted into on its line (SO after G, SS2 after H, SS3 after I–M). */
const CNS_PLANE = /\x1b\$[)*+]([G-M])[^\n]{0,4096}?(?:\x0e|\x1bN|\x1bO)/;

export interface TextHandlerOptions {
  ctx: InspectContext;
  path: string | undefined;
  depth: number;
  /** Decoded views on the way here. */
  decode: number;
  encoding: TextEncodingName;
  bom: number;
  /** The sniffed type is not text: views only over stretches that decode cleanly. */
  binary: boolean;
  /** A decoded view: UTF-8 by construction, no lenses, no embedded archives. */
  view: boolean;
  /** RTF: its own escapes. */
  rtf: boolean;
  /** Inside the markup reading of a text: its tags are gone, so no second reading is started. */
  shown: boolean;
  /** Judge entropy (binary content of a type no inspector decodes); the sniffed type for the finding. */
  judgeEntropy?: string;
  /** Content typed text: judge each 4 KiB block of it (opaque-regions.ts); the sniffed type for the finding. */
  judgeRegions?: string;
  /** PNG: its compressed text chunks are inflated and read. */
  png?: boolean;
  /** PDF: parsed at the end for its text, metadata and attachments. */
  pdf?: boolean;
  /** OLE2/CFB (legacy Office): its streams reassembled and read at the end. */
  ole2?: boolean;
  /** SQLite: its leaf pages' rows read at the end (sqlite-text.ts), in the place of the OLE2 reader. */
  sqlite?: boolean;
  /** TNEF (winmail.dat): its attributes, properties and attachments read at the end (tnef-text.ts), in the place of the OLE2 reader. */
  tnef?: boolean;
  /** An .xlsb sheet part (BIFF12 records): its cells read as rows (xlsb-cells.ts). */
  xlsb?: boolean | 'strings';
  /** Starts with a zlib header: the probe for compressed content reads zlib, not bare deflate. */
  zlibHead?: boolean;
  /** Starts as an OpenPGP message: its packets walked beside (openpgp-packets.ts), its literal data a file of its own. */
  pgp?: boolean;
  /** An image whose end is found as it streams: what follows it is content of its own. */
  trailer?: EndFormat;
  /** Media typed by a short signature: its structure is checked to the end, and content that breaks it is judged by entropy. */
  shape?: MediaShapeOption;
  /** A child inspector one level down. */
  /** 'shown': the markup reading of this text (the same text as a reader sees it, not a decoding); 'decoded': content of bytes a reading decoded (content-inspector.ts). */
  open(name: string, kind: 'view' | 'content' | 'shown' | 'decoded' | 'embedded'): Member;
}

/** A reading of mojibake back into its UTF-8: the view it feeds and the run cut by the last chunk's end. */
interface ReadBack {
  name: 'gbk' | 'big5';
  read(s: string, final: boolean): { text: string | null; keep: number; cut?: boolean };
  view: Member | null;
  carry: string;
}

export interface MediaShapeOption {
  kind: ShapeKind;
  /** The type file-type named. */
  mime: string;
}

/** Machine code and class files: integers after a serialisation's marker are read as a record's only (binary-integers.ts, BinaryIntegersOptions). */
const CODE_TYPES = new Set(['application/java-vm', 'application/x-elf', 'application/x-msdownload', 'application/x-mach-binary', 'application/wasm']);
/**
 * Archives opened in one content's bytes. Before a hosted zip ended at its end record (1 Dec) one was the most
 * ever opened (what followed it was its own); the next past this number is a limit, not passed over unread.
 */
const MAX_EMBEDDED = 16;
/** Bytes kept of what was fed to an embedded archive, to search again from its end (above its inspector's head). */
const EMBEDDED_RECENT = 8192;
/** Bytes a deflate stream that is the content may leave after its end (a zlib checksum, a gzip-like trailer). */
const DEFLATE_TRAILER = 16;
/** Bytes of text in a row before a stretch of binary content is read as text. */
const MIN_TEXT_RUN = 8;
const GAP = Buffer.from('\n');
/** Bytes of a content beside its yEnc blocks (a Usenet article's headers) that still let the blocks vouch for it. */
const YENC_SLACK = 4096;

/** Is i in one of the [start, end) ranges? */
/**
 * A run of digits in a font's outline or bytecode table that touches no mark of writing (a space, a line break,
 * `,` `;` `:` `|` `=`, a letter, a byte of a multi-byte character) on either side: hinting bytecode, whose
 * instructions around digits are `'` `&` `#` `"` `>` and controls (DejaVu's glyf holds `'&5476767076767654'&#`),
 * not a number someone wrote. Digits next to such a mark (a CSV's cells, `手机 138…`) are read even there (the
 * review of 1 Dec: a register in a one-table font crossed); what is left there is data in the outlines, out of
 * reach like pixels.
 */
function bytecodeDigits(chunk: Buffer, i: number): boolean {
  let a = i;
  while (a > 0 && chunk[a - 1]! >= 0x30 && chunk[a - 1]! <= 0x39) a--;
  let b = i;
  while (b < chunk.length && chunk[b]! >= 0x30 && chunk[b]! <= 0x39) b++;
  return !writing(chunk[a - 1]) && !writing(chunk[b]);
}

function writing(x: number | undefined): boolean {
  if (x === undefined) return false;
  return x === 0x20 || x === 0x09 || x === 0x0a || x === 0x0d || x === 0x2c || x === 0x3b || x === 0x3a || x === 0x7c || x === 0x3d ||
    (x >= 0x41 && x <= 0x5a) || (x >= 0x61 && x <= 0x7a) || x >= 0x80;
}

function within(ranges: Array<[number, number]>, i: number): boolean {
  for (const [a, b] of ranges) if (i >= a && i < b) return true;
  return false;
}
/** Bytes in no UTF-8 character of a text: controls but tab and line breaks, 7F, C0, C1, F5-FF. */
const NO_TEXT = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) NO_TEXT[b] = b === 0x09 || b === 0x0a || b === 0x0d ? 0 : 1;
for (const b of [0x7f, 0xc0, 0xc1]) NO_TEXT[b] = 1;
for (let b = 0xf5; b <= 0xff; b++) NO_TEXT[b] = 1;

/**
 * Is this decoded text (where views may start) text rather than binary read as text? At most one U+FFFD in
 * four characters: Latin-1 after an ASCII head (read as UTF-8 from its head) has its accents as U+FFFD, up to
 * one byte in four (western-text.ts), and one in 128 held the views off it, so that its entities and escapes
 * were never decoded (found with the third red team's F5); binary bytes read as UTF-8 are U+FFFD about half.
 */
function mostlyClean(s: string): boolean {
  const allowed = Math.max(1, s.length >> 2);
  let bad = 0;
  for (let i = s.indexOf('\ufffd'); i >= 0; i = s.indexOf('\ufffd', i + 1)) if (++bad > allowed) return false;
  return true;
}

export class TextHandler {
  #o: TextHandlerOptions;
  #scanner: TextScanner;
  #lenses: TextLenses | null;
  #views: ViewDecoder | null;
  #viewsOn = false;
  #viewText: Member | null = null;
  #viewSide: Member | null = null;
  #rendered: RenderedView | null;
  /** A docx's word/settings.xml: its variables, for the DOCVARIABLE fields of the parts read before it (word-fields.ts). */
  #docVars: DocVars | null;
  #tokens: TokenReader | null;
  #tokenView: Member | null = null;
  /** A 密级 field's key and value apart (label-pairs.ts), and the view of what it reads. */
  #labels = new LabelPairs();
  #labelView: Member | null = null;
  /** Text written vertically, its columns read down (vertical-columns.ts), and their view. */
  #vertical: VerticalColumns | null;
  #verticalView: Member | null = null;
  /** Around a 密: Markdown link texts, their targets dropped, and LaTeX as typeset (mi-windows.ts), and their view. */
  #links: MiWindows | null;
  /** LaTeX with its own macros expanded and character codes typeset (latex-macros.ts; W4). */
  #latex: LatexMacros | null;
  #linksView: Member | null = null;
  /** OFD pages' text placed and given in drawing order (ofd-text-order.ts; seventh red team, R9). */
  #ofd: OfdTextOrder | null;
  /** An .xlsx member: its shared strings or a sheet (sheet-columns.ts). */
  #sheet: SheetMember | null;
  #blobs = 0;
  #uu: UuDecoder | null = new UuDecoder();
  #binhex: BinHexDecoder | null = new BinHexDecoder();
  /** The file a uuencode or a BinHex block is decoding, one each: a block of one may open while one of the other is still open. */
  #uuFile: Member | null = null;
  /** yEnc, read from the raw bytes (yenc-decoder.ts; ninth red team, W6): not in a view, whose bytes are text already decoded. */
  #yenc: YencDecoder | null;
  /** The files yEnc blocks write, by the decoder's number: a post's file stays open while other blocks are read. */
  #yencFiles = new Map<number, Member | null>();
  /** Git binary patches' hunks, inflated and read (git-patch-reader.ts; ninth red team, W2). */
  #git: GitPatchReader | null;
  #binhexFile: Member | null = null;
  /** UTF-8 read as GBK or as Big5, read back (utf8-as-gbk.ts, utf8-as-big5.ts): a view each, and the run cut by the last chunk's end. */
  #gbk: ReadBack = { name: 'gbk', read: readBack, view: null, carry: '' };
  #big5: ReadBack = { name: 'big5', read: readBackBig5, view: null, carry: '' };
  /** The readings of the base64 run under way (decoded-run.ts): as it is, and shifted where that reads better. */
  #run: RunReadings | null = null;
  /** A base64 run not opened yet: it may be a file path (path-runs.ts). */
  #held: { offset: number; bytes: Uint8Array[]; size: number } | null = null;
  #entropy: EntropyMeter | null;
  #regionMeter: OpaqueRegions | null;
  /** The host offset the region meter's offsets count from (a zip ended in the host's bytes: #restartRegions). */
  #regionBase = 0;
  /** An opaque region before an embedded zip that ended, judged when the content ends. */
  #regionFound: OpaqueSpan | null = null;
  /** Where the embedded archive under way starts (what follows is its inspector's to judge); -1 when none. */
  #embeddedAt = -1;
  /** A certificate or key in DER is random in part by nature: not uninspectable when it parses whole (der-shape.ts). */
  #der: DerShape | null;
  /** A worksheet's rows: runs of one-digit cells (sheet-rows.ts). */
  #sheetRows: SheetRows | null;
  /** An .xlsx worksheet (or a view of one): its mobiles in styled number cells (currency-cells.ts). */
  #amounts: SheetAmounts | null;
  #shape: MediaShape | null;
  #tail: Buffer = Buffer.alloc(0);
  #off = 0;
  #embedded: Member | null = null;
  /** The last bytes fed to the embedded archive under way (at most EMBEDDED_RECENT before the last chunk). */
  #embeddedFed: Buffer = Buffer.alloc(0);
  #embeddedFedAt = 0;
  /** Zips found in the host's bytes that ended at their end of central directory record: host offsets. */
  #embeddedSpans: { start: number; end: number }[] = [];
  #embeddedCount = 0;
  #binaryText = '';
  #png: PngText | null;
  #pdf: PdfText | null;
  #ole2: Ole2Text | SqliteText | TnefText | XlsbCells | null;
  #ints: BinaryIntegers | null;
  /** A pickle's floats or an .npy of float64: read as numbers, judged without them (float-arrays.ts). */
  #floats: FloatArrays | null;
  /** A git pack's .idx is random in part by nature: not uninspectable when it holds to its layout whole (git-pack-index.ts). */
  #packIndex: PackIndexShape | null;
  #deflate: DecompressHandler | null;
  #zlib: EmbeddedZlib | null;
  #end: FormatEnd | null;
  #trailer: Member | null = null;
  #entityLimit = false;
  /** ISO-2022-CN: the end of the last chunk's line when it holds a designation (ESC $), for one cut by the chunk's end; null once reported. */
  #cnsLine: string | null = '';
  /** A GIF comment under way, its sub-blocks joined (format-end.ts). */
  #gifComment: Member | null = null;
  /** clamd's reading of strings whose only escape is `\\` (backslash-av.ts). */
  #backslashAv: BackslashAv | null = null;
  /** Text of two or four bytes a character, read as text (not binary content's runs): its reading goes to clamd (#view). */
  readonly #wide: boolean;

  constructor(o: TextHandlerOptions) {
    this.#o = o;
    this.#wide = !o.binary && /^utf-(?:16|32)/.test(o.encoding);
    // An .xlsx worksheet's mobiles in number cells shown as money are taken back once its styles are read (currency-cells.ts).
    this.#amounts = !o.binary && o.path && SHEET_PART.test(o.path) ? sheetBook(o.ctx, o.path).amounts(o.ctx.tally, o.path) : null;
    const mobiles = this.#amounts ? (o.view ? this.#amounts.view() : this.#amounts.raw()) : undefined;
    this.#scanner = new TextScanner({ matcher: o.ctx.matcher, tally: o.ctx.tally, path: o.path, encoding: o.encoding, bom: o.bom, markup: false, base64: true, top: !o.binary, mobiles });
    this.#lenses = o.view ? null : new TextLenses(o.ctx, o.path, o.encoding);
    this.#tokens = new TokenReader({ compressed: !o.binary });
    this.#sheet = o.view ? null : o.ctx.workbooks.member(o.path);
    // Not in a view: its own columns, read down, are the text again (a view of a view of them, to the depth limit).
    this.#vertical = o.view ? null : new VerticalColumns();
    this.#links = o.view ? null : new MiWindows([linkTexts, latexShown]);
    this.#latex = o.view ? null : new LatexMacros();
    this.#ofd = o.view || o.binary ? null : new OfdTextOrder();
    this.#views = new ViewDecoder(o.rtf);
    this.#rendered = o.binary || o.rtf || o.shown || o.decode >= o.ctx.limits.maxDecode ? null : new RenderedView(() => o.open('(rendered)', 'shown'), (subkind, detail) => o.ctx.inspectionLimit(subkind, o.path, detail), packageFields(o.ctx, o.path));
    this.#docVars = o.view || o.shown ? null : DocVars.for(o.ctx, o.path);
    this.#entropy = o.judgeEntropy || o.shape ? new EntropyMeter({ small: o.depth === 0 && !o.view }) : null;
    this.#shape = o.shape ? new MediaShape(o.shape.kind) : null;
    this.#der = o.judgeEntropy ? new DerShape() : null;
    this.#yenc = o.view ? null : new YencDecoder(new EntropyMeter({ small: true }));
    this.#git = o.view || o.binary ? null : new GitPatchReader(o.ctx, o.path, o.depth, (name, kind) => o.open(name, kind));
    // In a decoded view, a message cut short by the view's decoding (its UTF-7 reading of a '+', 2 Dec) breaks there: no finding.
    this.#pgp = o.pgp && !o.view ? new PgpPackets({ ctx: o.ctx, path: o.path, open: (name, kind) => o.open(name, kind), speculative: (o.decode ?? 0) > 0 }) : null;
    this.#pst = o.binary && !o.view ? new PstPermute() : null;
    this.#sheetRows = !o.binary && !o.view && !o.shown ? new SheetRows(sheetBook(o.ctx, o.path)) : null;
    this.#regionMeter = o.judgeRegions && !o.view ? new OpaqueRegions() : null;
    // Bare deflate has no signature, zlib only two bytes: binary content of no known type is also tried as one (silent if it is not).
    this.#deflate = o.judgeEntropy && !o.view
      ? new DecompressHandler(o.ctx, o.path, o.zlibHead ? 'zlib' : 'deflate', (name) => o.open(name, 'content'), o.zlibHead ? '(zlib)' : '(deflate)', { probe: true })
      : null;
    this.#zlib = o.judgeEntropy && !o.view ? new EmbeddedZlib(o.ctx, o.path, (name) => o.open(name, 'content'), { skipZero: true }) : null;
    this.#end = o.trailer && !o.view ? new FormatEnd(o.trailer) : null;
    this.#png = o.png ? new PngText(o.ctx, o.path, (kind) => o.open(kind === 'view' ? '(png-text)' : '(png-chunk)', kind)) : null;
    this.#pdf = o.pdf ? new PdfText(o.ctx, o.path, o.open) : null;
    this.#ole2 = o.ole2 ? new Ole2Text(o.ctx, o.path, o.open) : o.sqlite ? new SqliteText(o.ctx, o.path, o.open) : o.tnef ? new TnefText(o.ctx, o.path, o.open) : o.xlsb ? new XlsbCells(o.ctx, o.path, o.open, sheetBook(o.ctx, o.path), o.xlsb === 'strings') : null;
    // Binary of no known type: integers after a serialisation's marker, as digits (binary-integers.ts).
    this.#ints = o.judgeEntropy && !o.view && !o.sqlite ? new BinaryIntegers({ code: CODE_TYPES.has(o.judgeEntropy) }) : null;
    this.#floats = o.judgeEntropy && !o.view && !o.sqlite ? new FloatArrays({ small: o.depth === 0 }) : null;
    this.#packIndex = o.judgeEntropy && !o.view ? new PackIndexShape() : null;
  }

  async update(chunk: Buffer): Promise<void> {
    const stretches = this.#o.binary ? readableStretches(chunk, !this.#o.judgeEntropy) : undefined;
    // The shape first: a font's table directory says where its binary tables are (#stretch).
    this.#shape?.write(chunk);
    const readings = this.#shape?.takeReadings();
    if (readings?.length) await this.#readMedia(readings);
    const events = stretches ? this.#regions(chunk, stretches) : this.#scanner.write(chunk);
    this.#lenses?.write(chunk, stretches);
    this.#entropy?.write(chunk);
    if (this.#git) await this.#gitPatch(chunk);
    else this.#regionMeter?.write(chunk);
    this.#der?.write(chunk);
    if (this.#der) await this.#cmsContent(this.#der.takeContent());
    if (this.#der) await this.#derText(this.#der.takeText(false));
    await this.#pgp?.update(chunk);
    if (this.#yenc) await this.#yencEvents(this.#yenc.push(chunk));
    if (this.#pst) await this.#pstBlocks(this.#pst.write(chunk));
    await this.#deflate?.update(chunk);
    await this.#zlib?.update(chunk);
    if (this.#end || this.#trailer) await this.#afterEnd(chunk);
    if (events.length) await this.#events(events);
    await this.#png?.update(chunk);
    this.#pdf?.update(chunk);
    await this.#ole2?.update(chunk);
    this.#ints?.write(chunk);
    this.#floats?.write(chunk);
    this.#packIndex?.write(chunk);
    if (!this.#o.binary) this.#sheetRows?.write(this.#scanner.text);
    await this.#view(this.#o.binary ? this.#binaryText : this.#scanner.text, false);
    // TNEF's attachments are opened by its reader (an archive among them is no archive embedded in the message).
    // (A CMS signed-data's content is a file of its own, whose archives its reading walks: not again as embedded here.)
    if (!this.#o.view && !this.#o.tnef) {
      const skip = this.#der ? Math.max(0, Math.min(chunk.length, this.#der.contentEnd() - this.#off)) : 0;
      if (skip === 0) await this.#embed(chunk);
      else if (skip < chunk.length) await this.#embed(chunk.subarray(skip), this.#off + skip);
    }
    this.#off += chunk.length;
  }

  /** An Outlook PST's data blocks read back through its compressible encryption (pst-permute.ts): content of its own, and clamd's. */
  #pst: PstPermute | null;
  #pstFile: Member | null = null;

  async #pstBlocks(b: Buffer | null): Promise<void> {
    if (!b || !b.length) return;
    const { ctx } = this.#o;
    if (!this.#pstFile) {
      ctx.members++;
      this.#pstFile = this.#o.open('(pst-blocks)', 'content');
    }
    await Promise.all([this.#pstFile.update(b), ctx.decodedAv?.write(b)]);
  }

  /** An OpenPGP message's packets (ninth red team, W3): a signed file's literal data is a file of its own. */
  #pgp: PgpPackets | null;

  /** A CMS signed-data's attached content (der-shape.ts): a file of its own, as it streams (seventh red team, R27: a signed PDF). */
  #cms: Member | null = null;

  async #cmsContent(pieces: Buffer[]): Promise<void> {
    for (const p of pieces) {
      if (!this.#cms) {
        this.#o.ctx.members++;
        this.#cms = this.#o.open('(cms-content)', 'content');
      }
      await this.#cms.update(p);
    }
  }

  /** The text of DER or BER values (der-shape.ts, ber-text.ts): a view, fed as they stream (seventh red team, R27). */
  #derView: Member | null = null;

  async #derText(s: string): Promise<void> {
    if (!s || !this.#o.ctx.spend(s.length)) return;
    this.#derView ??= this.#o.open('(der-strings)', 'view');
    await this.#derView.update(Buffer.from(s));
  }

  /** What follows an image's end: content of its own (a viewer shows none of it; a program reads it back). */
  async #afterEnd(chunk: Buffer): Promise<void> {
    if (this.#trailer) return this.#trailer.update(chunk);
    const end = this.#end!;
    const at = end.push(chunk);
    await this.#gifComments(end.takeComments());
    if (at >= 0) await this.#extendedXmp(end);
    if (at < 0 || at >= chunk.length) return;
    this.#end = null;
    this.#o.ctx.members++;
    this.#trailer = this.#o.open(`trailer@${this.#off + at}`, 'content');
    await this.#trailer.update(Buffer.from(chunk.subarray(at)));
  }

  /** Media metadata a walk held and read (media-meta.ts): its text as a view, a picture or an attached file as a file, what only its decoding shows to clamd too. */
  async #readMedia(readings: MediaReading[]): Promise<void> {
    const { ctx, path } = this.#o;
    for (const r of readings) {
      if (r.kind === 'limit') {
        ctx.inspectionLimit('media-metadata', path, r.detail!);
        continue;
      }
      if (r.kind === 'content' && !ctx.countMember()) return;
      if (!ctx.spend(r.bytes.length)) return;
      const m = this.#o.open(r.name, r.kind);
      await Promise.all([m.update(r.bytes), r.decoded ? ctx.decodedAv?.write(r.bytes) : undefined]);
      if (r.decoded) await ctx.decodedAv?.endPiece();
      await m.finish();
    }
  }

  /** A JPEG's ExtendedXMP, put together by offset (format-end.ts), read as a view of its own (red team 1 Dec b, N6). */
  async #extendedXmp(end: FormatEnd): Promise<void> {
    const { ctx, path } = this.#o;
    if (end.extendedLimit) ctx.inspectionLimit('extended-xmp', path, `a JPEG's ExtendedXMP holds more than ${MAX_EXTENDED_XMP} bytes; the rest was not read`);
    end.extendedLimit = false;
    for (const x of end.takeExtendedXmp()) {
      if (!ctx.spend(x.length)) return;
      const m = this.#o.open('(extended-xmp)', 'view');
      await Promise.all([m.update(x), ctx.decodedAv?.write(x)]);
      await ctx.decodedAv?.endPiece();
      await m.finish();
    }
    // An ICC profile cut over APP2 chunks, joined (seventh red team, 1 Dec, R17, V2): a file of its own, to clamd too.
    if (end.iccLimit) ctx.inspectionLimit('icc-profile', path, `a JPEG's ICC profile chunks hold more than ${MAX_ICC} bytes; the rest was not read`);
    end.iccLimit = false;
    const icc = end.takeIccProfile();
    if (icc && ctx.spend(icc.length) && ctx.countMember()) {
      const m = this.#o.open('(icc-profile)', 'content');
      await Promise.all([m.update(icc), ctx.decodedAv?.write(icc)]);
      await ctx.decodedAv?.endPiece();
      await m.finish();
    }
  }

  /** A GIF comment's sub-blocks, joined, read as a view of its own and sent to clamd with the decoded content (red team 1 Dec b, N7, A11). */
  async #gifComments(pieces: Array<Buffer | null>): Promise<void> {
    const { ctx } = this.#o;
    for (const p of pieces) {
      if (p === null) {
        const m = this.#gifComment;
        this.#gifComment = null;
        if (m) {
          await ctx.decodedAv?.endPiece();
          await m.finish();
        }
      } else if (p.length && ctx.spend(p.length)) {
        const b = Buffer.from(p);
        await Promise.all([(this.#gifComment ??= this.#o.open('(gif-comment)', 'view')).update(b), ctx.decodedAv?.write(b)]);
      }
    }
  }

  /** Binary content: only its runs of text (as `strings` finds them) go to the scanner; random bytes cost one look each. */
  #regions(chunk: Buffer, stretches: Array<[number, number]>): Base64Event[] {
    const events: Base64Event[] = [];
    const texts: string[] = [];
    // Binary regions of media (a font's hinting bytecode) that this chunk reaches: digits in them end a run of text.
    let numbers: Array<[number, number]> | null = null;
    for (const [a, b] of this.#shape?.binaryRanges() ?? []) if (a < this.#off + chunk.length && b > this.#off) (numbers ??= []).push([a - this.#off, b - this.#off]);
    for (const [from, to] of stretches) this.#stretch(chunk, from, to, events, texts, numbers);
    this.#binaryText = texts.join('');
    return events;
  }

  #stretch(chunk: Buffer, from: number, n: number, events: Base64Event[], texts: string[], numbers: Array<[number, number]> | null): void {
    let start = -1;
    let i = from;
    const flush = (end: number): void => {
      if (start >= 0 && end - start >= MIN_TEXT_RUN) {
        this.#scanner.seek(this.#off + start);
        events.push(...this.#scanner.write(chunk.subarray(start, end)));
        texts.push(this.#scanner.text);
        if (end < chunk.length) {
          events.push(...this.#scanner.write(GAP));
          texts.push('\n');
        }
      }
      start = -1;
    };
    while (i < n) {
      if (start < 0 && i + MIN_TEXT_RUN <= n) {
        // No run under way: a byte that is in no character (a control, 7F, C0, C1, F5-FF) among the next
        // MIN_TEXT_RUN ends every run that starts before it short. Past the last such, in one step.
        const past = pastBreak(chunk, i, MIN_TEXT_RUN, NO_TEXT);
        if (past > i) {
          i = past;
          continue;
        }
      }
      const c = chunk[i]!;
      let len = 0;
      if ((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d || c === 0x09) len = numbers !== null && c >= 0x30 && c <= 0x39 && within(numbers, i) && bytecodeDigits(chunk, i) ? 0 : 1;
      else if (c >= 0xc2 && c <= 0xf4) {
        len = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
        for (let k = 1; k < len; k++) {
          if (i + k >= n) break; // cut by the chunk's end: kept, the decoder carries it
          if ((chunk[i + k]! & 0xc0) !== 0x80) {
            len = 0;
            break;
          }
        }
      }
      if (len === 0) {
        flush(i);
        i++;
        continue;
      }
      if (start < 0) start = i;
      i += len;
    }
    flush(Math.min(i, n));
  }

  async finish(): Promise<void> {
    await this.#events(this.#scanner.end());
    await this.#view(this.#scanner.text, true);
    this.#lenses?.finish();
    await this.#pdf?.finish();
    await this.#ole2?.finish();
    const ints = (this.#ints?.finish() ?? '') + (this.#floats?.digits() ?? '');
    if (ints) {
      const v = this.#o.open('(binary-integers)', 'view');
      await v.update(Buffer.from(ints));
      await v.finish();
    }
    if (!this.#o.binary) this.#sheetRows?.write(this.#scanner.text);
    const rows = this.#sheetRows?.finish();
    const rowsLimit = this.#sheetRows?.limit();
    if (rowsLimit) this.#o.ctx.inspectionLimit('workbook-cells', this.#o.path, rowsLimit);
    if (rows) {
      const v = this.#o.open('(sheet-rows)', 'view');
      await v.update(Buffer.from(rows));
      await v.finish();
    }
    const cms = this.#cms;
    this.#cms = null;
    if (cms) await cms.finish();
    await this.#pgp?.finish();
    if (this.#yenc) await this.#yencEvents(this.#yenc.push(Buffer.alloc(0), true));
    if (this.#git) await this.#gitPatch(Buffer.alloc(0), true);
    this.#pst?.end();
    const pst = this.#pstFile;
    this.#pstFile = null;
    if (pst) {
      await this.#o.ctx.decodedAv?.endPiece();
      await pst.finish();
    }
    if (this.#pst?.crypt === 'cyclic' || this.#pst?.crypt === 'unknown') {
      this.#o.ctx.tally.add({ kind: 'uninspectable', subkind: 'application/vnd.ms-outlook', path: this.#o.path, detail: `an Outlook PST with ${this.#pst.crypt === 'cyclic' ? '"high encryption" (NDB_CRYPT_CYCLIC)' : 'an encryption method it does not name'}: its messages are cipher text no inspector decodes` });
    }
    if (this.#der) await this.#derText(this.#der.takeText(true) + (this.#der.strings() ?? ''));
    const derView = this.#derView;
    this.#derView = null;
    if (derView) await derView.finish();
    if (this.#der?.limited) this.#o.ctx.inspectionLimit('der-depth', this.#o.path, `ASN.1 values (BER/DER) nested more than ${MAX_DER_DEPTH} deep: the values inside were not read`);
    await this.#finishEmbedded();
    await this.#deflate?.finish();
    await this.#zlib?.finish();
    const t = this.#trailer;
    this.#trailer = null;
    if (t) await t.finish();
    await this.#gifComments([null]); // a comment the file's end cut
    if (this.#end) await this.#extendedXmp(this.#end); // an image the file's end cut
    const { ctx, path } = this.#o;
    // A deflate stream read whole vouches for the content only when it is the content: random bytes make a short valid
    // stream one time in some 170 (a first byte of 0B: final block, fixed codes), and the bytes after its end were let go.
    const inflated = this.#deflate?.decoded === true && this.#deflate.consumed >= this.#off - DEFLATE_TRAILER;
    // An OpenPGP message walked whole, none of it encrypted or unread, was read packet by packet (its literal data as a file).
    // yEnc blocks that are (nearly) the whole content were decoded and read as the files they carry (an article's headers aside).
    const covered = this.#yenc?.covered ?? 0;
    const yencoded = covered > 0 && covered >= this.#off - YENC_SLACK && this.#yenc?.undecodedOpaque() === false;
    // A pickle's or an .npy's doubles a program computed are no cipher text: the rest of it is judged (float-arrays.ts).
    const floatsOpaque = this.#floats?.held() ? this.#floats.opaque() : this.#entropy?.opaque();
    if (this.#o.judgeEntropy && floatsOpaque && !inflated && !this.#der?.valid() && !this.#pgp?.valid && !yencoded && !this.#packIndex?.valid()) {
      ctx.tally.add({ kind: 'uninspectable', subkind: this.#o.judgeEntropy, path, detail: `the content (${this.#o.judgeEntropy}) is compressed or encrypted in a form no inspector decodes` });
    } else if (this.#der?.encrypted()) {
      ctx.tally.add({ kind: 'uninspectable', subkind: this.#o.judgeEntropy!, path, detail: 'the content is a CMS or PKCS encrypted value (EnvelopedData, EncryptedData, AuthEnvelopedData or PBES2): cipher text no inspector decodes' });
    }
    const shape = this.#o.shape;
    // Not the media its first bytes say: judged as the bytes it is (an operator's allow-list of media types does not cover it).
    if (shape && !this.#shape!.valid() && (this.#shape!.judged || this.#entropy!.opaque())) {
      const why = this.#shape!.why;
      ctx.tally.add({ kind: 'uninspectable', subkind: 'application/octet-stream', path, detail: `the content starts as ${shape.mime} but does not hold its structure (${why}), and is compressed or encrypted in a form no inspector decodes` });
    }
    const last = this.#regionMeter?.finish();
    const lastAt = last && { ...last, start: last.start + this.#regionBase, end: last.end + this.#regionBase };
    const opaque = this.#regionFound ?? lastAt;
    // A block or window that reaches into an embedded archive is that archive's (opened and judged as content of its own).
    if (opaque && (opaque === this.#regionFound || this.#embeddedAt < 0 || opaque.end <= this.#embeddedAt)) {
      const opaqueAt = opaque.start;
      const mime = this.#o.judgeRegions;
      const what = opaque.what === 'bytes' ? 'compressed or encrypted bytes' : 'characters spread evenly over an alphabet of 7 bits, as random data encoded in one (base 85, base 95) is,';
      ctx.tally.add({ kind: 'uninspectable', subkind: mime, path, offset: opaqueAt, detail: `the content is typed ${mime} from its head, but from byte ${opaqueAt} on it holds ${what} in a form no inspector decodes` });
    }
    // The sheet and every view of it were read (views finish inside this finish).
    if (this.#amounts && !this.#o.view) sheetBook(ctx, path).sheetDone(path!);
  }

  /**
   * ISO-2022-CN (RFC 1922) that designates a CNS 11643 plane (ESC $ ) G, plane 1, shifted in by SO;
   * ESC $ * H, plane 2, by SS2 = ESC N; ESC $ + I to M, planes 3 to 7 of ISO-2022-CN-EXT, by SS3 = ESC O)
   * and uses it on the same line (a designation holds to the line's end): no CNS table is at hand, so the
   * text is uninspectable, not read as GB2312 or let through (issue 14: such text crossed unread). One
   * native search a chunk for ESC $; a designation cut by the chunk's end is read with the next chunk.
   */
  #cnsPlanes(s: string): void {
    if (this.#cnsLine === null) return;
    const at = s.indexOf('\x1b$');
    if (at < 0 && !this.#cnsLine) return;
    const line = this.#cnsLine + s;
    const m = CNS_PLANE.exec(line);
    if (m) {
      this.#cnsLine = null;
      const plane = { G: '1', H: '2' }[m[1]!] ?? `${m[1]!.charCodeAt(0) - 0x46}`;
      this.#o.ctx.tally.add({ kind: 'uninspectable', subkind: 'text/plain', path: this.#o.path, detail: `ISO-2022-CN text shifts to CNS 11643 plane ${plane} (ESC $ ${m[0][2]} ${m[1]}), which no decoder here reads; the text in it was not read` });
      return;
    }
    // Keep the last line's end when it holds a designation (4 KiB at most: a designation holds to the line's end).
    const nl = Math.max(line.lastIndexOf('\n'), line.length - 4096);
    const tail = line.slice(nl + 1);
    this.#cnsLine = tail.includes('\x1b$') ? tail : '';
  }

  abort(): void {
    for (const m of [this.#run, this.#viewText, this.#viewSide, this.#tokenView, this.#labelView, this.#verticalView, this.#linksView, this.#uuFile, ...this.#yencFiles.values(), this.#binhexFile, this.#gbk.view, this.#big5.view, this.#embedded, this.#deflate, this.#zlib, this.#trailer, this.#gifComment, this.#cms, this.#pstFile, this.#pgp, this.#git]) m?.abort();
    this.#gifComment = null;
    this.#trailer = null;
    this.#yencFiles.clear();
    this.#run = null;
    this.#viewText = this.#viewSide = this.#tokenView = this.#labelView = this.#verticalView = this.#linksView = this.#uuFile = this.#binhexFile = this.#gbk.view = this.#big5.view = this.#embedded = null;
    this.#held = null;
    this.#rendered?.abort();
  }

  async #view(s: string, final: boolean): Promise<void> {
    this.#cnsPlanes(s);
    if (this.#o.ctx.decodedAv) await (this.#backslashAv ??= new BackslashAv(this.#o.ctx.decodedAv)).push(s, final);
    // UTF-16 and UTF-32 text (a Notepad "Unicode" file, a PowerShell script, an -EncodedCommand's decoded base64):
    // clamd reads its bytes, two or four to a character, and no signature written as text matches them. The
    // text as read goes to clamd too, as UTF-8, under the same fail-closed rule (red team 1 Dec (d) V2).
    if (this.#wide && this.#o.ctx.decodedAv) {
      if (s) await this.#o.ctx.decodedAv.write(Buffer.from(s));
      if (final) await this.#o.ctx.decodedAv.endPiece();
    }
    await this.#rendered?.push(s, final);
    const fetched = this.#docVars?.push(s, final);
    if (fetched && this.#o.ctx.spend(fetched.length)) {
      const v = this.#o.open('(word fields)', 'view');
      await v.update(Buffer.from(fetched));
      await v.finish();
    }
    const fieldLimit = final ? this.#docVars?.limit() : null;
    if (fieldLimit) this.#o.ctx.inspectionLimit('word-fields', this.#o.path, fieldLimit);
    if (this.#scanner.takeUtf8AsGbk() || this.#gbk.carry) await this.#readBack(this.#gbk, s, final);
    // Chinese text in its own right holds no U+FFFD: one search a chunk.
    if (this.#big5.carry || s.includes('\ufffd')) await this.#readBack(this.#big5, s, final);
    for (const m of [this.#gbk, this.#big5]) {
      if (!final || !m.view) continue;
      await this.#o.ctx.decodedAv?.endPiece();
      await m.view.finish();
      m.view = null;
    }
    // Encoded lines of a uuencode block are read by their decoding only.
    // BinHex 4.0: its forks are read as files, as a uuencoded one is (its text is read as well).
    const bh = this.#binhex?.push(s, final);
    if (bh?.length) await this.#uuEvents(bh, 'binhex');
    const uu = this.#uu?.push(s, final);
    if (uu) {
      if (uu.events.length) await this.#uuEvents(uu.events);
      s = flatJoin('', uu.rest); // (a slice of the uuencode reader's carry and the chunk: copied flat, text-tokens.ts)
    }
    await this.#labelPairs(s, final);
    const found = this.#tokens?.push(s, final);
    if (found && (found.text || found.blobs.length)) await this.#tokenFinds(found);
    if (final && this.#tokenView) {
      await this.#o.ctx.decodedAv?.endPiece();
      await this.#tokenView.finish();
      this.#tokenView = null;
    }
    const v = this.#views;
    if (!v) return;
    if (!this.#viewsOn) {
      if (final || !s || !mostlyClean(s) || !v.idle(s)) return;
      const { decode, ctx } = this.#o;
      if (decode >= ctx.limits.maxDecode) {
        // Decodings of tokens read before, found again through copies of their text (read-decodings.ts), are
        // decoded one level past the limit, where only what is new is refused; further down they are not.
        const repeat = ctx.readDecodings.allRead(s);
        if (repeat && decode > ctx.limits.maxDecode) return;
        if (!repeat) {
          ctx.inspectionLimit('decode-depth', this.#o.path, `escapes nested deeper than ${ctx.limits.maxDecode} levels; not decoded further`);
          this.#views = null;
          return;
        }
      }
      this.#viewsOn = true;
    }
    const step = v.push(s, final);
    if (v.fieldLimit) {
      this.#o.ctx.inspectionLimit('word-fields', this.#o.path, v.fieldLimit);
      v.fieldLimit = null;
    }
    if (v.entityLimit && !this.#entityLimit) {
      this.#entityLimit = true;
      this.#o.ctx.inspectionLimit('entity-expansion', this.#o.path, `XML entities expand past ${MAX_ENTITY_EXPANSION} characters or 8 levels deep; the rest were not expanded`);
    }
    const av = this.#o.ctx.decodedAv;
    if (step.text) {
      const b = Buffer.from(step.text);
      await Promise.all([(this.#viewText ??= this.#o.open('(decoded)', 'view')).update(b), av?.write(b)]);
    }
    if (step.side) {
      const b = Buffer.from(step.side);
      await Promise.all([(this.#viewSide ??= this.#o.open('(markup)', 'view')).update(b), av?.write(b)]);
    }
    if (final) {
      if (this.#viewText || this.#viewSide) await av?.endPiece();
      await this.#viewText?.finish();
      await this.#viewSide?.finish();
      this.#viewText = this.#viewSide = null;
    }
  }

  /** `密级：<value>` for a key and a value apart (label-pairs.ts), and vertical text's columns (vertical-columns.ts), one view down each. */
  async #labelPairs(s: string, final: boolean): Promise<void> {
    this.#sheet?.push(s, final);
    // (What the label view holds, `密级：<value>` lines, gives no pairs of its own: no view below it.)
    const lines = this.#labels.push(s, final) + (final && this.#sheet ? this.#sheet.finish() : '');
    if (lines && this.#o.ctx.spend(lines.length)) await (this.#labelView ??= this.#o.open('(label)', 'view')).update(Buffer.from(lines));
    if (final && this.#labelView) {
      await this.#labelView.finish();
      this.#labelView = null;
    }
    const columns = this.#vertical?.push(s, final);
    if (columns && this.#o.ctx.spend(columns.length)) await (this.#verticalView ??= this.#o.open('(vertical)', 'view')).update(Buffer.from(columns));
    if (final && this.#verticalView) {
      await this.#verticalView.finish();
      this.#verticalView = null;
    }
    const linked = this.#links?.push(s, final);
    if (linked && this.#o.ctx.spend(linked.length)) await (this.#linksView ??= this.#o.open('(around 密)', 'view')).update(Buffer.from(linked));
    if (final && this.#linksView) {
      await this.#linksView.finish();
      this.#linksView = null;
    }
    const expanded = this.#latex?.push(s, final);
    if (expanded && this.#o.ctx.spend(expanded.length)) {
      const v = this.#o.open('(latex expanded)', 'view');
      await v.update(Buffer.from(expanded));
      await v.finish();
    }
    if (final && this.#latex?.over) this.#o.ctx.inspectionLimit('latex-expansion', this.#o.path, 'LaTeX macros nested more than 16 deep, expanding past 16 times their text, or more than 4,096 of them: the rest was not expanded');
    if (final && this.#latex?.catcodesUnreliable) this.#o.ctx.inspectionLimit('latex-catcode', this.#o.path, 'LaTeX category codes changed in a way not modelled (the character or the code given by a register or a macro) before a 密: the text after it may read otherwise');
    const placed = this.#ofd?.push(s, final);
    if (placed && this.#o.ctx.spend(placed.length)) {
      const v = this.#o.open('(ofd drawn order)', 'view');
      await v.update(Buffer.from(placed));
      await v.finish();
    }
    if (final && this.#ofd?.over) this.#o.ctx.inspectionLimit('ofd-text', this.#o.path, `an OFD page places more than ${MAX_GLYPHS} characters, or one TextCode of more than 64 KiB; they were read in storage order only`);
  }

  /** UTF-8 read as GBK (the scanner saw its witness in s): its runs read back, one view down (utf8-as-gbk.ts). */
  async #readBack(m: ReadBack, s: string, final: boolean): Promise<void> {
    const all = m.carry + s;
    const { text: back, keep, cut } = m.read(all, final);
    m.carry = all.slice(keep);
    const { ctx, path } = this.#o;
    if (cut) ctx.inspectionLimit('mojibake', path, `UTF-8 read as ${m.name === 'gbk' ? 'GBK' : 'Big5'}: the marking forms were tried more times than the text allows; the rest of the run was not read`);
    if (back === null) return;
    if (this.#o.decode >= ctx.limits.maxDecode) {
      ctx.inspectionLimit('decode-depth', path, `UTF-8 read as ${m.name === 'gbk' ? 'GBK' : 'Big5'} nested deeper than ${ctx.limits.maxDecode} levels; not read further`);
      return;
    }
    if (!ctx.spend(back.length)) return;
    const b = Buffer.from(back);
    await Promise.all([(m.view ??= this.#o.open(`(utf-8 read as ${m.name})`, 'view')).update(b), ctx.decodedAv?.write(b)]);
  }

  /** Decoded tokens: text one view down (to the depth limit), hex sequences that are not text as content. */
  async #tokenFinds(found: TokenFinds): Promise<void> {
    const { ctx, path, depth } = this.#o;
    const repeat = ctx.readDecodings.allRead(found.text, found.blobs);
    // Decodings read before, with every view below them, are not read again down a second route (ninth red
    // team, F2: pygments' unistring.py, whose \u ranges of every script's digits decode to `0 90 90 9…`, found
    // once in the escapes' view and again one level down in its token view; each route decoded it to `ZZZ…`,
    // then to CJK, and the second reached the limit and the file was refused decode-depth). The first reading
    // was deeper than any second could be. (At the limit they are still read once more, below.)
    if (repeat && this.#o.decode > 0 && this.#o.decode < ctx.limits.maxDecode) return;
    if (this.#o.decode >= ctx.limits.maxDecode) {
      // Decodings read before are read once more, one level past the limit, as text: side by side they may
      // spell what neither did alone (the red team, 30 Nov, evening). Only what is new is refused.
      if (repeat && this.#o.decode > ctx.limits.maxDecode) return;
      if (!repeat) {
        ctx.inspectionLimit('decode-depth', path, `encoded tokens nested deeper than ${ctx.limits.maxDecode} levels; not decoded further`);
        this.#tokens = null;
        return;
      }
    }
    // Read here with every view below (the token view one level down, its escapes the next).
    if (this.#o.decode + 2 <= ctx.limits.maxDecode) ctx.readDecodings.add(found.text, found.blobs);
    const av = ctx.decodedAv;
    if (found.text && ctx.spend(found.text.length)) {
      const b = Buffer.from(found.text);
      await Promise.all([(this.#tokenView ??= this.#o.open('(token)', 'view')).update(b), av?.write(b)]);
    }
    for (const blob of found.blobs) {
      if (depth >= ctx.limits.maxDepth) {
        ctx.inspectionLimit('depth', path, `hex nested deeper than ${ctx.limits.maxDepth} levels; not decoded further`);
        break;
      }
      if (!ctx.spend(blob.length)) break;
      const m = this.#o.open(`hex#${++this.#blobs}`, 'decoded');
      await Promise.all([m.update(blob), av?.write(blob)]);
      await av?.endPiece();
      await m.finish();
    }
  }

  /**
   * A git binary patch's hunks read (git-patch-reader.ts), and the region meter written around them: a hunk read
   * whole vouches for its base-85 lines, so the meter's finding within it (from a window before its start on) is
   * let go and a meter of its own judges what follows, as after an embedded zip (#restartRegions).
   */
  async #gitPatch(chunk: Buffer, final = false): Promise<void> {
    const spans = await this.#git!.push(chunk, this.#off, final);
    let from = 0;
    for (const span of spans) {
      const to = Math.max(from, Math.min(chunk.length, span.end - this.#off));
      this.#regionMeter?.write(chunk.subarray(from, to));
      from = to;
      this.#vouch(span);
    }
    this.#regionMeter?.write(chunk.subarray(from));
  }

  #vouch(span: PatchSpan): void {
    const meter = this.#regionMeter;
    if (!meter) return;
    const r = meter.finish();
    if (r && !this.#regionFound && r.start + this.#regionBase < span.start - REGION_WINDOW) this.#regionFound = { ...r, start: r.start + this.#regionBase, end: r.end + this.#regionBase };
    this.#regionMeter = new OpaqueRegions();
    this.#regionBase = span.end;
  }

  #decodedFile(format: 'uuencode' | 'binhex'): Member | null {
    return format === 'binhex' ? this.#binhexFile : this.#uuFile;
  }

  #setDecodedFile(format: 'uuencode' | 'binhex', m: Member | null): void {
    if (format === 'binhex') this.#binhexFile = m;
    else this.#uuFile = m;
  }

  /** yEnc's files, several open at once (a post's file while other blocks are read: yenc-posts.ts). */
  async #yencEvents(events: YencEvent[]): Promise<void> {
    const { ctx, path, depth } = this.#o;
    const av = ctx.decodedAv;
    for (const e of events) {
      if (e.kind === 'limit') ctx.inspectionLimit('yenc-parts', path, e.detail);
      else if (e.kind === 'open') {
        if (depth >= ctx.limits.maxDepth) {
          ctx.inspectionLimit('depth', path, `yenc nested deeper than ${ctx.limits.maxDepth} levels; not decoded further`);
          this.#yenc = null;
          return;
        }
        this.#yencFiles.set(e.file, this.#o.open(e.name, 'content'));
      } else if (e.kind === 'data') {
        const f = this.#yencFiles.get(e.file);
        if (f && ctx.spend(e.bytes.length)) await Promise.all([f.update(e.bytes), av?.write(e.bytes)]);
      } else {
        const f = this.#yencFiles.get(e.file);
        this.#yencFiles.delete(e.file);
        if (f) {
          await av?.endPiece();
          await f.finish();
        }
      }
    }
  }

  async #uuEvents(events: UuEvent[], format: 'uuencode' | 'binhex' = 'uuencode'): Promise<void> {
    const { ctx, path, depth } = this.#o;
    const av = ctx.decodedAv;
    for (const e of events) {
      if (e.kind === 'open') {
        if (depth >= ctx.limits.maxDepth) {
          ctx.inspectionLimit('depth', path, `${format} nested deeper than ${ctx.limits.maxDepth} levels; not decoded further`);
          if (format === 'binhex') this.#binhex = null;
          else this.#uu = null;
          return;
        }
        // (A block opened while one of its format is open: the open one ends first, as read so far.)
        const open = this.#decodedFile(format);
        if (open) await open.finish();
        this.#setDecodedFile(format, this.#o.open(e.name, 'content'));
      } else if (e.kind === 'data') {
        const f = this.#decodedFile(format);
        if (f && ctx.spend(e.bytes.length)) await Promise.all([f.update(e.bytes), av?.write(e.bytes)]);
      } else {
        const f = this.#decodedFile(format);
        this.#setDecodedFile(format, null);
        if (f) {
          await av?.endPiece();
          await f.finish();
        }
      }
    }
  }

  /** off: the host offset of chunk's first byte. */
  async #embed(chunk: Buffer, off = this.#off): Promise<void> {
    if (this.#embedded) {
      await this.#embedded.update(chunk);
      return this.#embeddedEnd(chunk, off);
    }
    const tail = this.#tail;
    const base = off - tail.length;
    let at: number;
    let all: Buffer;
    if (tail.length && base > 0 && chunk.length > SIGNATURE_SPAN) {
      // Not tail + chunk copied whole for each chunk: the seam (a signature that starts in the tail
      // has its SIGNATURE_SPAN bytes within tail and the chunk's first ones), then the chunk itself.
      const seam = findSignature(Buffer.concat([tail, chunk.subarray(0, SIGNATURE_SPAN)]));
      const inChunk = seam >= 0 ? -1 : findSignature(chunk);
      at = seam >= 0 ? seam : inChunk >= 0 ? tail.length + inChunk : -1;
      if (at < 0) {
        this.#tail = Buffer.from(chunk.subarray(chunk.length - SIGNATURE_SPAN));
        return;
      }
      all = Buffer.concat([tail, chunk]);
    } else {
      all = tail.length ? Buffer.concat([tail, chunk]) : chunk;
      // At byte 0 the content's own magic number (a 7z that nothing opens): not an embedded archive.
      const skip = base === 0 ? 1 : 0;
      const found = findSignature(all.subarray(Math.min(skip, all.length)));
      at = found < 0 ? -1 : found + skip;
      if (at < 0) {
        this.#tail = Buffer.from(all.subarray(Math.max(0, all.length - SIGNATURE_SPAN)));
        return;
      }
    }
    this.#tail = Buffer.alloc(0);
    const { ctx, path, depth } = this.#o;
    if (this.#embeddedCount >= MAX_EMBEDDED) {
      ctx.limit('members', path, `more than ${MAX_EMBEDDED} archives found inside the content; the rest were not opened`);
      return;
    }
    this.#embeddedCount++;
    if (depth >= ctx.limits.maxDepth) {
      ctx.limit('depth', path, `archive embedded deeper than ${ctx.limits.maxDepth} levels; not opened`);
      return;
    }
    this.#embeddedAt = base + at;
    this.#embeddedFed = Buffer.alloc(0);
    this.#embedded = this.#o.open(`embedded@${base + at}`, 'embedded');
    const first = Buffer.from(all.subarray(at));
    await this.#embedded.update(first);
    return this.#embeddedEnd(first, base + at);
  }

  /**
   * A zip found in the host's bytes ends at its end of central directory record (zip-walker.ts ZipHost.hosted):
   * what follows is the host's again (a compound file's sector padding, a PDF's endstream, a DataMashup's
   * permissions), searched for the next archive as before. data (at host offset off) was just fed to it.
   */
  async #embeddedEnd(data: Buffer, off: number): Promise<void> {
    const e = this.#embedded!;
    // The bytes fed lately: a zip is known to have ended only once its inspector has its type's head (SNIFF_BYTES).
    const fed = Buffer.concat([this.#embeddedFed.subarray(Math.max(0, this.#embeddedFed.length - EMBEDDED_RECENT)), data]);
    this.#embeddedFed = fed;
    this.#embeddedFedAt = off + data.length - fed.length;
    if ((e.ended ?? -1) < 0) return;
    this.#embedded = null;
    await e.finish();
    await this.#afterEmbedded(e.ended!);
  }

  /** The embedded zip ended `ended` bytes from its start: the host's bytes after it (those fed lately) are searched again. */
  async #afterEmbedded(ended: number): Promise<void> {
    const hostEnd = this.#embeddedAt + ended;
    const fed = this.#embeddedFed;
    const fedAt = this.#embeddedFedAt;
    this.#embeddedFed = Buffer.alloc(0);
    this.#embeddedSpans.push({ start: this.#embeddedAt, end: hostEnd });
    this.#embeddedAt = -1;
    const from = Math.max(hostEnd, fedAt);
    const rest = fed.subarray(Math.min(fed.length, from - fedAt));
    this.#restartRegions(from, rest);
    if (rest.length) await this.#embed(Buffer.from(rest), from);
  }

  /** At the content's end: the embedded archive under way ends, and one that ended in the host's bytes lets them be searched again. */
  async #finishEmbedded(): Promise<void> {
    for (let e = this.#embedded; e; e = this.#embedded) {
      this.#embedded = null;
      await e.finish();
      const ended = e.ended ?? -1;
      if (ended < 0) break;
      await this.#afterEmbedded(ended);
    }
  }

  /**
   * The region meter reports the first opaque region only, which a zip's deflated members are: the host's
   * bytes after its end are judged by a meter of their own (from host offset `from`, `rest` its first bytes).
   */
  #restartRegions(from: number, rest: Buffer): void {
    const meter = this.#regionMeter;
    if (!meter) return;
    const span = this.#embeddedSpans[this.#embeddedSpans.length - 1]!;
    const r = meter.finish();
    if (r && !this.#regionFound && r.end + this.#regionBase <= span.start) this.#regionFound = { ...r, start: r.start + this.#regionBase, end: r.end + this.#regionBase };
    this.#regionMeter = new OpaqueRegions();
    this.#regionBase = from;
    this.#regionMeter.write(rest);
  }

  /**
   * The held run becomes content of its own, read as it is and, where that is noise, shifted (decoded-run.ts
   * RunReadings); the top-level clamd scan sees only the encoded text, so each reading gets its own.
   */
  async #openRun(): Promise<void> {
    const held = this.#held;
    if (!held) return;
    this.#held = null;
    const { ctx, path, depth } = this.#o;
    if (depth >= ctx.limits.maxDepth) {
      ctx.inspectionLimit('depth', path, `base64 nested deeper than ${ctx.limits.maxDepth} levels; not decoded further`);
      return;
    }
    this.#run = new RunReadings((shift, text) => {
      if (!ctx.countMember()) return null;
      return new DecodedRun(ctx, path, (name) => this.#o.open(name, text ? 'view' : 'content'), held.offset, shift);
    });
    for (const b of held.bytes) await this.#run.update(b);
  }

  async #events(events: Base64Event[]): Promise<void> {
    for (const e of events) {
      if (e.kind === 'open') {
        // Held until it is known not to be a file path (path-runs.ts), or too long to be one.
        this.#held = { offset: e.offset, bytes: [], size: 0 };
      } else if (e.kind === 'data') {
        const held = this.#held;
        if (held) {
          held.bytes.push(e.bytes);
          held.size += e.bytes.length;
          if (held.size > PATH_RUN_MAX) await this.#openRun();
        } else await this.#run?.update(e.bytes);
      } else {
        const held = this.#held;
        if (held && !isPathRun(Buffer.concat(held.bytes))) await this.#openRun();
        this.#held = null;
        const run = this.#run;
        this.#run = null;
        await run?.finish();
      }
    }
  }


}
