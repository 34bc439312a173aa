import type { InspectContext } from '../context/inspect-context.js';
import type { Member } from '../context/member.js';
import { scanLegacyName, scanMeta } from '../scan/name-scan.js';
import { RecordBody } from './record-body.js';

// A tar read as it streams (POSIX.1-2001 ustar, pax 'x' headers, GNU 'L'
// long names): 512-byte headers, each checked against its checksum, then the
// member's bytes padded to 512. Only the header is buffered.

const BLOCK = 512;
const MAX_META = 1024 * 1024; // pax / long-name records are read whole, up to this size

export interface TarHost {
  ctx: InspectContext;
  path: string | undefined;
  openMember(name: string): Member | null;
  /** Found in a decoded view: its members are read, its breaks are not findings (zip-walker.ts). */
  speculative?: boolean;
}

function field(b: Buffer, at: number, len: number): string {
  const s = b.subarray(at, at + len);
  const nul = s.indexOf(0);
  return s.subarray(0, nul < 0 ? len : nul).toString('utf8');
}

/** Sizes are octal text, or base-256 when the high bit of the first byte is set (GNU, star). */
function sizeOf(b: Buffer): number {
  if (b[124]! & 0x80) {
    let v = 0;
    for (let i = 125; i < 136; i++) v = v * 256 + b[i]!;
    return v;
  }
  const s = field(b, 124, 12).trim();
  if (!/^[0-7]*$/.test(s)) return -1;
  return s ? parseInt(s, 8) : 0;
}

function checksumOk(b: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : b[i]!;
  const stored = parseInt(field(b, 148, 8).trim() || 'x', 8);
  return stored === sum;
}

function paxPath(rec: Buffer): string | undefined {
  // "%d %s=%s\n" records (POSIX pax, 'x' typeflag)
  let p = 0;
  let path: string | undefined;
  while (p < rec.length) {
    const sp = rec.indexOf(0x20, p);
    if (sp < 0) break;
    const len = parseInt(rec.subarray(p, sp).toString('ascii'), 10);
    if (!(len > 0) || p + len > rec.length) break;
    const kv = rec.subarray(sp + 1, p + len - 1).toString('utf8');
    const eq = kv.indexOf('=');
    if (eq > 0 && kv.slice(0, eq) === 'path') path = kv.slice(eq + 1);
    p += len;
  }
  return path;
}

/** Typeflags that carry no file content (POSIX ustar: links, devices, directories, FIFOs; pax global; GNU long link). */
function nulTerminated(b: Buffer): Buffer {
  const z = b.indexOf(0);
  return z < 0 ? b : b.subarray(0, z);
}

const NO_DATA_TYPES = new Set(['1', '2', '3', '4', '5', '6', 'g', 'K']);

export class TarWalker {
  #host: TarHost;
  #hdr = Buffer.alloc(BLOCK);
  #hdrLen = 0;
  #mode: 'header' | 'data' | 'end' | 'stop' = 'header';
  #body = new RecordBody((meta) => this.#endRecord(meta));
  #metaKind = '';
  #nextName: string | undefined;
  #pos = 0;
  #sawHeader = false;
  #trailer: Member | null = null;

  constructor(host: TarHost) {
    this.#host = host;
  }

  #broken(detail: string): void {
    this.#host.ctx.archiveBroken(this.#host.path, this.#pos, detail, this.#host.speculative);
    this.abort();
  }

  abort(): void {
    this.#mode = 'stop';
    this.#trailer?.abort();
    this.#trailer = null;
    this.#body.abort();
  }

  async update(chunk: Buffer): Promise<void> {
    let data = chunk;
    while (data.length > 0) {
      if (this.#mode === 'stop') return;
      if (this.#mode === 'end') return this.#after(data);
      if (this.#mode === 'header') {
        const take = Math.min(BLOCK - this.#hdrLen, data.length);
        data.copy(this.#hdr, this.#hdrLen, 0, take);
        this.#hdrLen += take;
        data = data.subarray(take);
        if (this.#hdrLen === BLOCK) {
          this.#hdrLen = 0;
          await this.#header();
          this.#pos += BLOCK;
        }
        continue;
      }
      const used = await this.#body.feed(data);
      this.#pos += used;
      data = data.subarray(used);
      if (this.#body.done && this.#mode === 'data') this.#mode = 'header';
    }
  }

  /** Bytes after the end-of-archive block: zeros (record padding), or content that tar ignores but a reader may not. */
  async #after(data: Buffer): Promise<void> {
    if (!this.#trailer) {
      const i = data.findIndex((x) => x !== 0);
      if (i < 0) return;
      this.#host.ctx.members++;
      this.#trailer = this.#host.openMember('(after the end of the archive)');
      data = data.subarray(i);
    }
    await this.#trailer!.update(data);
  }

  async #header(): Promise<void> {
    const b = this.#hdr;
    if (b.every((x) => x === 0)) {
      this.#mode = 'end';
      return;
    }
    if (!checksumOk(b)) return this.#broken('a tar header fails its checksum');
    this.#sawHeader = true;
    const size = sizeOf(b);
    if (size < 0) return this.#broken('a tar header has an invalid size');
    const type = String.fromCharCode(b[156]!);
    // The link name, user and group names are text a listing shows.
    for (const [at, len] of [[157, 100], [265, 32], [297, 32]] as const) scanMeta(this.#host.ctx, nulTerminated(b.subarray(at, at + len)), this.#host.path);
    const prefix = field(b, 257, 6).startsWith('ustar') ? field(b, 345, 155) : '';
    const name = this.#nextName ?? (prefix ? `${prefix}/${field(b, 0, 100)}` : field(b, 0, 100));
    // Names in GBK (tar in a GBK locale), directories' too: read in GB18030 beside UTF-8.
    for (const [at, len] of [[0, 100], [345, 155]] as const) if (at === 0 || prefix) scanLegacyName(this.#host.ctx, nulTerminated(b.subarray(at, at + len)), this.#host.path);
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    this.#mode = 'data';
    let member: Member | null = null;
    if (type === 'x' || type === 'L') {
      if (size > MAX_META) return this.#broken('a tar extended header is too large');
      this.#metaKind = type;
    } else if (!NO_DATA_TYPES.has(type) || size > 0) {
      // Anything but the known kinds without content is read as a file: GNU tar extracts an
      // unknown typeflag as a regular file, so an unknown type must not skip inspection.
      // (A link, device or directory that carries bytes anyway is inspected too.)
      this.#nextName = undefined;
      const ctx = this.#host.ctx;
      if (!ctx.countMember()) return this.abort();
      member = this.#host.openMember(name);
    } else {
      this.#nextName = undefined; // directories, links, devices, global pax: nothing to inspect
    }
    await this.#body.start(size, pad, member, type === 'x' || type === 'L');
    if (this.#body.done && this.#mode === 'data') this.#mode = 'header';
  }

  /** A record's body is complete: a pax header or GNU long name gathered whole is read. */
  async #endRecord(rec: Buffer | null): Promise<void> {
    if (!rec) return;
    if (this.#metaKind === 'L') {
      this.#nextName = field(rec, 0, rec.length);
      scanLegacyName(this.#host.ctx, nulTerminated(rec), this.#host.path);
    } else {
      this.#nextName = paxPath(rec) ?? this.#nextName;
      scanMeta(this.#host.ctx, rec, this.#host.path); // comment=, uname=, any vendor record
    }
  }

  async finish(): Promise<void> {
    if (this.#mode === 'stop') return;
    const t = this.#trailer;
    this.#trailer = null;
    if (t) await t.finish();
    if (this.#mode === 'data' || this.#hdrLen !== 0 || (!this.#sawHeader && this.#mode !== 'end')) {
      this.#broken('the tar archive is truncated');
    }
  }
}

