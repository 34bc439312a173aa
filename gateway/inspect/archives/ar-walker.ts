import type { InspectContext } from '../context/inspect-context.js';
import type { Member } from '../context/member.js';
import { scanLegacyName, scanMeta } from '../scan/name-scan.js';
import { RecordBody } from './record-body.js';

// An ar archive read as it streams (ninth red team, F1: Debian packages and static libraries were refused as
// content no inspector opens). The format (System V / GNU and 4.4BSD, as binutils' ar and dpkg-deb write it):
// `!<arch>\n`, then for each member a 60-byte header — name[16] mtime[12] uid[6] gid[6] mode[8] size[10] and
// "`\n" — its bytes, and a pad byte to an even offset. Long names: GNU keeps them in the member `//` (each
// ended by "/\n") and names a member `/N`, N its offset there; BSD names it `#1/N` and puts the N bytes of the
// name first in its data. The symbol table (`/`, `/SYM64/`, `__.SYMDEF…`) is read as content like any member:
// its names are text a listing shows. A .deb's members (debian-binary, control.tar.xz, data.tar.xz) are walked
// as any content, their compression and tar opened one level down.

export const AR_MAGIC = Buffer.from('!<arch>\n', 'latin1');
const HEADER = 60;
/** The GNU long-name table is read whole, up to this size. */
const MAX_NAMES = 1024 * 1024;

export interface ArHost {
  ctx: InspectContext;
  path: string | undefined;
  openMember(name: string): Member | null;
  speculative?: boolean;
}

export function isAr(head: Buffer): boolean {
  return head.length >= 8 && head.subarray(0, 8).equals(AR_MAGIC);
}

export class ArWalker {
  #host: ArHost;
  #buf = Buffer.alloc(0);
  #mode: 'magic' | 'header' | 'name' | 'data' | 'stop' = 'magic';
  #body = new RecordBody((names) => this.#endRecord(names));
  /** The size of the member's data after a BSD name, and its pad. */
  #size = 0;
  #pad = 0;
  #bsdName = 0;
  #longNames: Buffer = Buffer.alloc(0);
  #pos = 0;

  constructor(host: ArHost) {
    this.#host = host;
  }

  #broken(detail: string): void {
    this.#host.ctx.archiveBroken(this.#host.path, this.#pos, detail, this.#host.speculative);
    this.abort();
  }

  abort(): void {
    this.#mode = 'stop';
    this.#body.abort();
  }

  async update(chunk: Buffer): Promise<void> {
    let data = chunk;
    while (data.length > 0 && this.#mode !== 'stop') {
      if (this.#mode === 'magic' || this.#mode === 'header' || this.#mode === 'name') {
        // Fixed-size pieces (the magic, a header, a BSD name of at most 4 KiB) are gathered whole.
        const want = this.#mode === 'magic' ? 8 : this.#mode === 'header' ? HEADER : this.#bsdName;
        const take = Math.min(want - this.#buf.length, data.length);
        this.#buf = Buffer.concat([this.#buf, data.subarray(0, take)]);
        data = data.subarray(take);
        if (this.#buf.length < want) return;
        const piece = this.#buf;
        this.#buf = Buffer.alloc(0);
        this.#pos += want;
        if (this.#mode === 'magic') {
          if (!piece.equals(AR_MAGIC)) return this.#broken('an ar archive without its magic');
          this.#mode = 'header';
        } else if (this.#mode === 'header') await this.#header(piece);
        else await this.#open(piece.toString('utf8').replace(/\0+$/, ''), piece);
        continue;
      }
      const used = await this.#body.feed(data);
      this.#pos += used;
      data = data.subarray(used);
      if (this.#body.done && this.#mode === 'data') this.#mode = 'header';
    }
  }

  async #header(h: Buffer): Promise<void> {
    if (h[58] !== 0x60 || h[59] !== 0x0a) return this.#broken('an ar member header does not end in `\\n');
    const sizeText = h.toString('latin1', 48, 58).trim();
    if (!/^\d+$/.test(sizeText)) return this.#broken('an ar member header has an invalid size');
    const size = Number(sizeText);
    const raw = h.subarray(0, 16);
    const name = raw.toString('latin1').trimEnd();
    this.#size = size;
    this.#pad = size % 2;
    const bsd = /^#1\/(\d+)$/.exec(name);
    if (bsd) {
      const n = Number(bsd[1]);
      if (n > 4096 || n > size) return this.#broken('an ar member name is longer than its member');
      this.#size = size - n;
      this.#bsdName = n;
      if (n > 0) {
        this.#mode = 'name';
        return;
      }
    }
    if (name === '//') {
      // GNU's long-name table: read whole, then each `/N` names the text at N.
      if (size > MAX_NAMES) return this.#broken('an ar long-name table is too large');
      return this.#begin(null, true);
    }
    const gnu = /^\/(\d+)$/.exec(name);
    if (gnu) {
      const at = Number(gnu[1]);
      const end = this.#longNames.indexOf('/\n', at);
      if (at >= this.#longNames.length) return this.#broken('an ar member names a long name past its table');
      const long = this.#longNames.subarray(at, end < 0 ? this.#longNames.length : end);
      return this.#open(long.toString('utf8'), long);
    }
    // A GNU short name ends in '/'; the symbol tables (`/`, `/SYM64/`) keep theirs.
    return this.#open(name.length > 1 && name.endsWith('/') && name !== '/SYM64/' ? name.slice(0, -1) : name, raw);
  }

  /** Opens the member named name (raw: its bytes, for a name in GBK) whose data follows. */
  async #open(name: string, raw: Buffer): Promise<void> {
    const ctx = this.#host.ctx;
    scanLegacyName(ctx, raw, this.#host.path);
    if (!ctx.countMember()) return this.abort();
    return this.#begin(this.#host.openMember(name), false);
  }

  async #begin(member: Member | null, gather: boolean): Promise<void> {
    this.#mode = 'data';
    await this.#body.start(this.#size, this.#pad, member, gather);
    if (this.#body.done && this.#mode === 'data') this.#mode = 'header';
  }

  /** A member's data is complete: the long-name table, gathered whole, is kept and read as text. */
  async #endRecord(names: Buffer | null): Promise<void> {
    if (!names) return;
    this.#longNames = names;
    scanMeta(this.#host.ctx, this.#longNames, this.#host.path);
  }

  async finish(): Promise<void> {
    if (this.#mode === 'stop') return;
    // A last member of odd size may lack its pad byte (binutils writes it; some tools do not).
    if (this.#mode === 'magic' || this.#mode === 'name' || this.#body.inBody || this.#buf.length) this.#broken('the ar archive is truncated');
  }
}
