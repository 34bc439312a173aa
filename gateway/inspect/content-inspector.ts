import { ACCESS_DETAIL, ACCESS_MIME, isAccessDatabase } from './documents/jet-database.js';
import { isXlsbSheet, isXlsbStrings } from './documents/xlsb-cells.js';
import { isObfuscatedFont, ObfuscatedFont } from './documents/odttf.js';
import { DecompressHandler, innerName } from './archives/decompress-handler.js';
import { compressionOf, isZlib } from './signatures/compression-magic.js';
import { endFormatOf, type EndFormat } from './media/format-end.js';
import { joinPath, type InspectContext } from './context/inspect-context.js';
import { scanName } from './scan/name-scan.js';
import { TarWalker } from './archives/tar-walker.js';
import { ArWalker, isAr } from './archives/ar-walker.js';
import { WarcWalker } from './archives/warc-walker.js';
import { shapeOf } from './media/media-shape.js';
import { TextHandler, type MediaShapeOption } from './text-handler.js';
import { SNIFF_BYTES, sniff, twoByteSignature, type Sniffed } from './type-sniff.js';
import { isSqlite } from './documents/sqlite-text.js';
import { isSqliteWal } from './documents/sqlite-wal.js';
import { isTnef } from './documents/tnef-text.js';
import { isAppleDouble, typeMismatch } from './type-compare.js';
import { ZipWalker } from './archives/zip-walker.js';
import { GitPackWalker, isGitBundle, isGitPack } from './archives/git-pack.js';
import type { Member } from './context/member.js';
import { isOpenPgp } from './archives/openpgp-packets.js';

// One piece of content — the transfer itself, an archive member, a decoded
// base64 run, a decoded view of a text — inspected as it streams: the first
// 4,100 bytes decide what it is, then one handler takes every byte: zip, tar
// and compressed streams are walked and their members inspected by child
// ContentInspectors (the same inspectors, one level deeper); everything else
// goes through the text handler, whatever its type (text-handler.ts).

interface Handler {
  update(chunk: Buffer): void | Promise<void>;
  finish(): Promise<void>;
  abort(): void;
}

export interface ContentOptions {
  ctx: InspectContext;
  /** Member path ('a.zip!/b.txt'); undefined for the transfer itself. */
  path?: string;
  depth: number;
  filename?: string;
  declaredType?: string;
  /** A decoded view of a text (UTF-8 by construction): no type checks; its findings carry the text's path. */
  view?: boolean;
  /** Views decoded on the way here (escapes within escapes). */
  decode?: number;
  /**
   * Bytes a reading decoded from text (a hex sequence), not a file someone
   * sent or named: a type that rests on two bytes of signature is not taken
   * (type-sniff.ts twoByteSignature); the content is then binary of no known
   * type, judged and tried as zlib like any other.
   */
  decoded?: boolean;
  /**
   * Within the markup reading of a text (rendered-view.ts): a reading, not a
   * decoding, so it does not count as a decode level (a minified script with
   * markup in its strings reached the depth limit by it), and it holds no tags,
   * so nothing under it starts a reading again.
   */
  shown?: boolean;
  /** An archive found inside another file's bytes (text-handler.ts): a zip ends at its end of central directory record (zip-walker.ts ZipHost.hosted). */
  hosted?: boolean;
  /** Told the type as soon as it is sniffed (the transfer itself only): a reading stopped after it still names it. */
  onSniffed?: (mime: string) => void;
}

/** Archives and compressions that no inspector here opens: their content is unread. */
const OPAQUE = new Set([
  'application/x-7z-compressed',
  'application/x-rar-compressed',
  'application/vnd.rar',
  'application/vnd.ms-cab-compressed',
  'application/x-lzip',
  'application/x-lz4',
  'application/x-compress',
  'application/x-arj',
  'application/x-ace-compressed',
  'application/x-lzh-compressed',
  'application/x-cpio',
  'application/x-rpm',
  'application/x-deb',
  'application/x-unix-archive',
  'application/x-apple-diskimage',
  'application/x-xar',
  'application/x-squashfs',
  'application/x-zoo',
  'application/x-brotli',
]);

/**
 * Media that cannot be checked past its header without a decoder: a JPEG XL
 * codestream (`FF 0A`, bare or in its container's `jxlc`/`jxlp` boxes) is
 * entropy-coded from its first bytes, with no frame lengths or markers a
 * walk could hold it to, so that any bytes would pass behind its signature.
 * `uninspectable` (subkind the type): refused by the default policy unless
 * the operator allow-lists the type (`unless: { type: [image/jxl] }`). Its
 * raw bytes are still read as text (the container's Exif and XML boxes).
 */
const UNCHECKED_MEDIA = new Set(['image/jxl']);

/**
 * Media whose compressed data carries no text (their textual metadata is read raw or decoded). An ICC colour
 * profile is one: its curves and colour tables are 16-bit samples whose low bytes look random, and a JPEG's
 * profile cut over APP2 chunks is read joined as content of its own (format-end.ts; seventh red team, R17): a
 * display profile of 96 KiB was `uninspectable` there.
 */
const MEDIA = /^(image|audio|video|font)\/|^application\/x-pdfjs-bcmap$|^application\/vnd\.iccprofile$/;

export class ContentInspector implements Member {
  #o: ContentOptions;
  #head: Buffer[] = [];
  #headLen = 0;
  #handler: Handler | null = null;
  #sniffed: Sniffed | undefined;
  size = 0;

  constructor(o: ContentOptions) {
    this.#o = o;
  }

  /** Hosted and read as a zip: where it ended (zip-walker.ts ZipWalker.ended), else -1. */
  get ended(): number {
    return this.#handler instanceof ZipWalker ? this.#handler.ended : -1;
  }

  get sniffed(): Sniffed | undefined {
    return this.#sniffed;
  }

  async update(chunk: Buffer): Promise<void> {
    this.size += chunk.length;
    if (this.#handler) return this.#handler.update(chunk);
    this.#head.push(chunk);
    this.#headLen += chunk.length;
    if (this.#headLen >= SNIFF_BYTES) await this.#decide(false);
  }

  async finish(): Promise<void> {
    if (!this.#handler) await this.#decide(true);
    await this.#handler!.finish();
  }

  abort(): void {
    this.#handler?.abort();
    this.#head = [];
  }

  async #decide(complete: boolean): Promise<void> {
    const all = Buffer.concat(this.#head);
    this.#head = [];
    if (this.#o.view) {
      this.#handler = this.#text(all, 'utf-8', 0, false);
      if (all.length) await this.#handler.update(all);
      return;
    }
    let s = await sniff(all.subarray(0, SNIFF_BYTES), complete && all.length <= SNIFF_BYTES);
    if (this.#o.decoded && twoByteSignature(s, all)) s = { mime: 'application/octet-stream' };
    // file-type names no Access database: named here, so that the declared type agrees and an operator can allow it by type.
    if (!s.text && isAccessDatabase(all)) s = { ...s, mime: ACCESS_MIME };
    this.#sniffed = s;
    if (this.#o.depth === 0) this.#o.onSniffed?.(s.mime);
    const { ctx, path, filename, declaredType } = this.#o;
    if (this.#o.depth === 0 && filename) scanName(ctx, filename, undefined);
    // The declared type crosses beside the content too (handed to the receiver as its content-type).
    if (this.#o.depth === 0 && declaredType) scanName(ctx, declaredType, undefined);
    if (s.sniffFailed) {
      ctx.tally.add({ kind: 'archive-broken', subkind: 'inspection-failed', path, detail: 'type detection did not finish within its time budget; the type is unknown' });
    }
    const reasons = typeMismatch(s.mime, declaredType, isAppleDouble(filename, all) ? undefined : filename);
    if (reasons.length) {
      ctx.tally.add({ kind: 'type-mismatch', subkind: s.mime, path, offset: 0, detail: `${reasons.join(' and ')}, but the content is ${s.mime}` });
    }
    this.#handler = this.#choose(all, s);
    if (all.length) await this.#handler.update(all);
  }

  #choose(head: Buffer, s: Sniffed): Handler {
    const { ctx, depth, path } = this.#o;
    const isZip = head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6);
    const compression = compressionOf(head);
    const isTar = s.mime === 'application/x-tar';
    const gitPack = isGitPack(head);
    const gitBundle = !gitPack && isGitBundle(head);
    const ar = isAr(head);
    const warc = s.mime === 'application/warc';
    // Brotli has no signature: content is decoded as brotli where it is declared so (a .br name, application/x-brotli).
    const brotli = !compression && s.mime === 'application/octet-stream' && this.#declaredBrotli();
    if (isZip || compression || isTar || gitPack || gitBundle || ar || warc || brotli) {
      if (depth >= ctx.limits.maxDepth) {
        ctx.limit('depth', path, `archive nested deeper than ${ctx.limits.maxDepth} levels; not opened`);
        return NOTHING;
      }
      // Word's embedded fonts are obfuscated in their first 32 bytes (odttf.ts): restored, they are read as fonts are.
      const open = (name: string): Member => (isZip && isObfuscatedFont(name) ? new ObfuscatedFont(this.#child(name, 'content')) : this.#child(name, 'content'));
      // Inside a decoded view the archive is a guess at a reading (a run of base64 cut short by an escape the
      // view resolved inside it): what it holds is read, but a break in it is no finding.
      const speculative = (this.#o.decode ?? 0) > 0;
      if (isZip) return new ZipWalker({ ctx, path, openMember: open, speculative, hosted: this.#o.hosted === true });
      if (isTar) return new TarWalker({ ctx, path, openMember: open, speculative });
      if (ar) return new ArWalker({ ctx, path, openMember: open, speculative });
      if (warc) return new WarcWalker({ ctx, path, openMember: open, speculative });
      if (brotli) return new DecompressHandler(ctx, path, 'br', open, innerName(this.#o.filename ?? path, 'br'), { speculative });
      if (gitPack || gitBundle) return new GitPackWalker({ ctx, path, openMember: open, speculative }, gitBundle);
      return new DecompressHandler(ctx, path, compression!, open, innerName(this.#o.filename ?? path, compression!), { speculative });
    }
    if (OPAQUE.has(s.mime)) {
      ctx.tally.add({ kind: 'uninspectable', subkind: s.mime, path, detail: `${s.mime} content cannot be opened by the inspectors` });
    }
    if (isAccessDatabase(head)) ctx.tally.add({ kind: 'uninspectable', subkind: ACCESS_MIME, path, detail: ACCESS_DETAIL });
    if (UNCHECKED_MEDIA.has(s.mime)) {
      ctx.tally.add({ kind: 'uninspectable', subkind: s.mime, path, detail: `${s.mime} content cannot be checked past its header without a decoder: any bytes could follow its signature` });
    }
    const text = s.text;
    const pdf = s.mime === 'application/pdf';
    const ole2 = isCompoundFile(head);
    const tnef = !text && isTnef(head);
    // PDF, OLE2 and TNEF are parsed: their compressed parts are read, not judged by their entropy.
    const judge = !text && !pdf && !ole2 && !tnef && !OPAQUE.has(s.mime) && !MEDIA.test(s.mime);
    // Media named by a signature of a few bytes is checked past it to its end: what does not hold its structure is judged (media-shape.ts).
    const kind = !text && MEDIA.test(s.mime) ? shapeOf(s.mime, head) : undefined;
    const parsed = { png: s.mime === 'image/png', pdf, ole2, sqlite: isSqlite(head) || isSqliteWal(head), tnef, xlsb: !text && (isXlsbSheet(head) || (isXlsbStrings(head) ? ('strings' as const) : false)), trailer: endFormatOf(s.mime), shape: kind && { kind, mime: s.mime } };
    if (ole2 && depth >= ctx.limits.maxDepth) {
      ctx.limit('depth', path, `compound file nested deeper than ${ctx.limits.maxDepth} levels; its streams were not opened`);
      parsed.ole2 = false;
    }
    if (tnef && depth >= ctx.limits.maxDepth) {
      ctx.limit('depth', path, `TNEF message nested deeper than ${ctx.limits.maxDepth} levels; its attachments were not opened`);
      parsed.tnef = false;
    }
    // A zlib header is two bytes, which one random file in some two thousand starts with: content of no known
    // type that starts so is tried as zlib; if it does not inflate, it is judged as the binary content it is
    // (not an archive that is broken), and if it does, what it holds is read.
    const zlibHead = judge && s.mime === 'application/octet-stream' && isZlib(head);
    // Content typed text from its head is judged block by block for what follows it (opaque-regions.ts).
    // OpenPGP has no magic number: a first packet whose tag and version say so (openpgp-packets.ts), in content of no other type.
    const pgp = judge && /^application\/(octet-stream|pgp)/.test(s.mime) && isOpenPgp(head);
    return this.#text(head, text?.encoding ?? 'utf-8', text?.bom ?? 0, !text, judge ? s.mime : undefined, { ...parsed, zlibHead, pgp, judgeRegions: text ? s.mime : undefined });
  }

  /** Named or declared a brotli stream (a content of its own, not a decoded view). */
  #declaredBrotli(): boolean {
    const { filename, declaredType, depth, view } = this.#o;
    if (view) return false;
    return /\.br$/i.test(filename ?? '') || (depth === 0 && /^application\/(x-)?brotli\b/i.test(declaredType ?? ''));
  }

  #text(head: Buffer, encoding: Parameters<typeof textOpts>[1], bom: number, binary: boolean, judgeEntropy?: string, parsed: { pgp?: boolean; png?: boolean; pdf?: boolean; ole2?: boolean; sqlite?: boolean; tnef?: boolean; xlsb?: boolean | 'strings'; zlibHead?: boolean; trailer?: EndFormat; shape?: MediaShapeOption; judgeRegions?: string } = {}): Handler {
    return new TextHandler({ ...textOpts(this.#o, encoding, bom, binary, head), judgeEntropy, ...parsed, open: (name, kind) => this.#child(name, kind) });
  }

  #child(name: string, kind: 'view' | 'content' | 'shown' | 'decoded' | 'embedded'): ContentInspector {
    const o = this.#o;
    const shown = kind === 'shown' || o.shown === true;
    if (kind === 'shown') return new ContentInspector({ ctx: o.ctx, path: o.path, depth: o.depth, decode: o.decode ?? 0, view: true, shown });
    if (kind === 'view') return new ContentInspector({ ctx: o.ctx, path: o.path, depth: o.depth, decode: (o.decode ?? 0) + 1, view: true, shown });
    const path = joinPath(o.path, name);
    scanName(o.ctx, name, path);
    return new ContentInspector({ ctx: o.ctx, path, depth: o.depth + 1, filename: name, decode: o.decode, shown, decoded: kind === 'decoded', hosted: kind === 'embedded' });
  }
}

/** The OLE2 compound file signature (D0 CF 11 E0 A1 B1 1A E1), whatever file-type names it. */
function isCompoundFile(head: Buffer): boolean {
  return head.length >= 8 && head.readUInt32BE(0) === 0xd0cf11e0 && head.readUInt32BE(4) === 0xa1b11ae1;
}

function textOpts(o: ContentOptions, encoding: import('./text/text-encoding.js').TextEncodingName, bom: number, binary: boolean, head: Buffer) {
  // White space or a BOM before {\rtf does not stop every reader from taking it as RTF.
  const rtf = /^(?:\uFEFF|\u00EF\u00BB\u00BF)?[\s]{0,64}\{\\rtf/.test(head.subarray(0, 80).toString('latin1'));
  return { ctx: o.ctx, path: o.path, depth: o.depth, decode: o.decode ?? 0, encoding, bom, binary, view: o.view === true, rtf, shown: o.shown === true };
}

const NOTHING: Handler = {
  update() {},
  async finish() {},
  abort() {},
};
