import CFB from 'cfb';
import { HeldDocument } from '../context/held-bytes.js';
import type { InspectContext } from '../context/inspect-context.js';
import { isCompressedRtf, lzfuDecompress } from './lzfu.js';
import { ovbaDecompress, vbaDir } from './vba-project.js';
import { isWordFib, wordText } from './word-text.js';
import { xlsCells } from './xls-cells.js';
import { isBiff8, xlsStrings } from './xls-strings.js';
import type { Member } from '../context/member.js';

// Legacy Office (.doc, .xls, .ppt, and whatever else lives in an OLE2/CFB
// compound file) as its application reads it. The file's raw bytes are read as
// text anyway; here each stream is reassembled from its sectors (a stream's
// sectors need not be in order, so a raw read can split a marking) by `cfb`
// and inspected as a member of its own, and what a raw read cannot see whole
// is rebuilt: a Word document's pieces in piece-table order, an Excel
// workbook's shared strings across CONTINUE records and its cells laid out
// row by row with numbers written as Excel shows them (xls-cells.ts), an
// Outlook message's body stored as compressed RTF (lzfu.ts), a VBA project's
// macro source stored compressed (vba-project.ts). CFB is random
// access: the bytes are held (up to MAX_OLE2) and parsed at the end, inside
// the inspection worker and its budgets. What cannot be parsed, and what is
// encrypted, is `uninspectable`.

export const MAX_OLE2 = 64 * 1024 * 1024;
const STREAM = 2;
// PR_RTF_COMPRESSED (0x1009, PT_BINARY) of a message, an attachment's embedded message, or a recipient ([MS-OXMSG] 2.1.4.1).
const RTF_COMPRESSED = /(?:^|\/)__substg1\.0_10090102$/;
// A VBA project's dir stream (MS-OVBA 2.2.2): in `VBA/` at the root of a vbaProject.bin, or under a document's storage.
const VBA_DIR = /(?:^|\/)VBA\/dir$/i;

export class Ole2Text extends HeldDocument {
  constructor(ctx: InspectContext, path: string | undefined, open: (name: string, kind: 'view' | 'content') => Member) {
    super(ctx, path, open, MAX_OLE2, 'application/x-cfb', 'a compound file');
  }

  async finish(): Promise<void> {
    const data = this.takeHeld();
    if (!data) return;
    let cfb: CFB.CFB$Container;
    try {
      cfb = CFB.parse(data, { type: 'buffer' });
    } catch (e) {
      this.uninspectable(`the compound file could not be opened (${e instanceof Error ? e.message : String(e)}); its streams were not read`);
      return;
    }
    const streams = new Map<string, Buffer>();
    cfb.FileIndex.forEach((entry, i) => {
      if (entry.type !== STREAM || !entry.content) return;
      const name = cfb.FullPaths[i]!.replace(/^[^/]*\//, ''); // without the root entry's name
      // A view of what cfb reassembled, not a second copy of up to MAX_OLE2 bytes.
      const c = entry.content as Uint8Array;
      streams.set(name, Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength));
    });
    if (streams.has('EncryptedPackage') || streams.has('EncryptionInfo')) {
      this.uninspectable('the compound file holds an encrypted Office document (EncryptedPackage); its content cannot be read');
    }
    await this.#word(streams);
    await this.#excel(streams);
    for (const name of streams.keys()) if (VBA_DIR.test(name)) await this.#vba(name, streams);
    for (const [name, bytes] of streams) {
      const ctx = this.ctx;
      if (!ctx.countMember()) return;
      if (!ctx.spend(bytes.length)) return;
      const m = this.open(name, 'content');
      await m.update(bytes);
      await m.finish();
      if (RTF_COMPRESSED.test(name) && isCompressedRtf(bytes)) await this.#compressedRtf(name, bytes);
    }
  }

  async #word(streams: Map<string, Buffer>): Promise<void> {
    const doc = streams.get('WordDocument');
    if (!doc || !isWordFib(doc)) return;
    const r = wordText(doc, (name) => streams.get(name));
    if (!r.ok) {
      this.uninspectable(`the Word document's text could not be reassembled: ${r.why}`, 'application/msword');
      return;
    }
    await this.#view('(word-text)', r.text);
  }

  async #excel(streams: Map<string, Buffer>): Promise<void> {
    const book = streams.get('Workbook') ?? streams.get('Book');
    if (!book || !isBiff8(book)) return;
    const r = xlsStrings(book);
    if (!r.ok) {
      this.uninspectable(`the workbook's shared strings could not be read: ${r.why}`, 'application/vnd.ms-excel');
      return;
    }
    if (r.strings.length) await this.#view('(xls-strings)', r.strings.join('\n'));
    // The cells as a CSV export lays them out: numbers (a phone column) are not text in the file.
    const stopped: { why?: string } = {};
    const sheets = xlsCells(book, r.strings, stopped);
    if (stopped.why) this.ctx.inspectionLimit('amplification', this.path, `the workbook's cells were not read further: ${stopped.why}`);
    if (sheets.length) await this.#view('(xls-cells)', sheets.join('\n\n'));
  }

  /**
   * A VBA project (`VBA/`, `Macros/VBA/`, `_VBA_PROJECT_CUR/VBA/`): its `dir` stream and each module's source,
   * decompressed and read as content of their own (the source is in the project's code page, which the reading
   * sniffs as it does any text). What Office could not load (a dir or a source that does not decompress, a module
   * whose stream is missing) is `uninspectable`: it is no ordinary project.
   */
  async #vba(dirName: string, streams: Map<string, Buffer>): Promise<void> {
    const storage = dirName.slice(0, -'dir'.length);
    const fail = (why: string): void => this.uninspectable(`the VBA project's macros (${storage}) could not be read: ${why}`);
    // Names in a compound file are compared without case (MS-CFB 2.6.4).
    const stream = (name: string): Buffer | undefined => {
      const want = (storage + name).toUpperCase();
      for (const [n, b] of streams) if (n.toUpperCase() === want) return b;
      return undefined;
    };
    const dir = ovbaDecompress(streams.get(dirName)!, 0, MAX_OLE2);
    if (!dir.ok) return fail(`dir: ${dir.why}`);
    await this.#content(`${storage}dir(decompressed)`, dir.out);
    const d = vbaDir(dir.out);
    if (!d.ok) return fail(`dir: ${d.why}`);
    for (const m of d.modules) {
      const bytes = stream(m.stream);
      if (!bytes) return fail(`the module stream ${m.stream} is missing`);
      const src = ovbaDecompress(bytes, m.offset, MAX_OLE2);
      if (!src.ok) return fail(`${m.stream}: ${src.why}`);
      if (!(await this.#content(`${storage}${m.stream}(source)`, src.out))) return;
    }
  }

  async #content(name: string, bytes: Buffer): Promise<boolean> {
    if (!bytes.length) return true;
    if (!this.ctx.countMember() || !this.ctx.spend(bytes.length)) return false;
    const m = this.open(name, 'content');
    await m.update(bytes);
    await m.finish();
    return true;
  }

  /** An Outlook message body stored only as compressed RTF: decompressed and read as the RTF it is. */
  async #compressedRtf(name: string, bytes: Buffer): Promise<void> {
    const r = lzfuDecompress(bytes, MAX_OLE2);
    if (!r.ok) this.uninspectable(`${name}: ${r.why}`, 'application/vnd.ms-outlook');
    if (!r.rtf.length || !this.ctx.spend(r.rtf.length)) return;
    const m = this.open(`${name}(rtf)`, 'content');
    await m.update(r.rtf);
    await m.finish();
  }

  async #view(name: string, text: string): Promise<void> {
    const v = this.open(name, 'view');
    await v.update(Buffer.from(text));
    await v.finish();
  }
}
