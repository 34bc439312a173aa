import { createHash } from 'node:crypto';
import { RATIO_GRACE_BYTES, type InspectContext } from '../context/inspect-context.js';
import type { Member } from '../context/member.js';
import { scanMeta } from '../scan/name-scan.js';
import { StreamInflater } from './stream-inflater.js';

// Git's pack files, read as they stream (eighth red team, F6: a `git bundle`
// of an ordinary repository, and a zip of a bare clone, were refused
// `uninspectable`: each object is its own zlib stream, back to back, past
// what the embedded-stream search opens, so the rest read as compressed).
// gitformat-pack: "PACK", version 2 or 3, the object count; then each object
// a header (type and size in a varint), for a delta its base (a negative
// offset, or the base's name), and its zlib stream; then a checksum. A
// bundle (`# v2 git bundle`, `# v3 git bundle`) is lines of references, a
// blank line, then a pack.
// Every object is inspected as a member: commits, trees and tags for their
// text, blobs as the files they are. A delta is resolved against its base
// and the object it makes is inspected whole, so a marking cut between what
// a delta copies and what it inserts is read as the file shows it. For that
// the objects are held (HELD_MAX of them inflated at most; past it the pack
// is not read further, a limit); a delta whose base is not in the pack (a
// thin pack) cannot be resolved: `uninspectable`.
// Bounds before work (review10): an object's declared size is checked against
// what the pack may still hold and the transfer's expanded budget before it is
// inflated, a delta's before its result is allocated; every byte inflated or
// made by a delta is spent from the transfer's budget; an object's zlib stream
// is held to the ratio limit as a zip member's is, and the pack as a whole too
// (a delta of a few bytes copies 64 KiB of its base over and over).

const PACK_MAGIC = Buffer.from('PACK');
const BUNDLE = /^# v[23] git bundle\n/;
/** Inflated objects held for resolving deltas, at most. */
const HELD_MAX = 64 * 1024 * 1024;
/** A bundle's reference lines, at most. */
const BUNDLE_HEAD_MAX = 1024 * 1024;
const TYPES = ['', 'commit', 'tree', 'blob', 'tag', '', 'ofs-delta', 'ref-delta'];

export function isGitPack(head: Buffer): boolean {
  if (head.length < 12 || !head.subarray(0, 4).equals(PACK_MAGIC)) return false;
  const v = head.readUInt32BE(4);
  return v === 2 || v === 3;
}

export function isGitBundle(head: Buffer): boolean {
  return BUNDLE.test(head.subarray(0, 20).toString('latin1'));
}

export interface GitPackHost {
  ctx: InspectContext;
  path: string | undefined;
  openMember(name: string): Member | null;
  speculative?: boolean;
}

interface Held {
  type: number;
  body: Buffer;
}

/** The size a delta's header names (a little-endian base-128 varint), and where it ends. */
function deltaSize(d: Buffer, at: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (;;) {
    if (at >= d.length || shift > 42) return [-1, at];
    const c = d[at++]!;
    v += (c & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(c & 0x80)) return [v, at];
  }
}

/** A delta applied to its base (gitformat-pack, "Deltified representation"), or null if it does not fit it. */
export function applyDelta(base: Buffer, d: Buffer, max = HELD_MAX): Buffer | null {
  const [srcSize, a] = deltaSize(d, 0);
  const [dstSize, b] = deltaSize(d, a);
  if (srcSize !== base.length || dstSize < 0 || dstSize > max) return null;
  const out = Buffer.alloc(dstSize);
  let o = 0;
  let i = b;
  while (i < d.length) {
    const op = d[i++]!;
    if (op & 0x80) {
      let off = 0;
      let size = 0;
      for (let k = 0; k < 4; k++) if (op & (1 << k)) off += (d[i++] ?? NaN) * 2 ** (8 * k);
      for (let k = 0; k < 3; k++) if (op & (0x10 << k)) size += (d[i++] ?? NaN) * 2 ** (8 * k);
      if (Number.isNaN(off + size)) return null; // a copy cut short by the delta's end
      if (size === 0) size = 0x10000;
      if (off + size > base.length || o + size > dstSize) return null;
      base.copy(out, o, off, off + size);
      o += size;
    } else if (op > 0) {
      if (i + op > d.length || o + op > dstSize) return null;
      d.copy(out, o, i, i + op);
      o += op;
      i += op;
    } else return null; // opcode 0 is reserved
  }
  return o === dstSize ? out : null;
}

/** A limit was reported while an object inflated: the pack stops without an `archive-broken`. */
class LimitHit extends Error {}

export class GitPackWalker {
  #host: GitPackHost;
  #mode: 'bundle' | 'head' | 'object' | 'base' | 'data' | 'trailer' | 'after' | 'stop';
  #buf: Buffer[] = [];
  #bufLen = 0;
  #count = 0;
  #seen = 0;
  #pos = 0;
  /** The object being read: its offset, type, size, and a delta's base. */
  #at = 0;
  #type = 0;
  #size = 0;
  #baseOffset = -1;
  #baseName = '';
  #inflater: StreamInflater | null = null;
  #out: Buffer[] = [];
  #outLen = 0;
  #held = new Map<number, Held>();
  #byName = new Map<string, number>();
  #heldBytes = 0;
  /** Compressed bytes given to the current object's inflater, and what it made of them (the ratio limit). */
  #zIn = 0;
  #zOut = 0;
  /** Bytes of objects made (inflated or by a delta) in the whole pack, for the pack's ratio. */
  #made = 0;
  #trailer: Member | null = null;

  constructor(host: GitPackHost, bundle: boolean) {
    this.#host = host;
    this.#mode = bundle ? 'bundle' : 'head';
  }

  #broken(detail: string): void {
    this.#host.ctx.archiveBroken(this.#host.path, this.#pos, detail, this.#host.speculative);
    this.abort();
  }

  abort(): void {
    this.#mode = 'stop';
    this.#inflater?.destroy();
    this.#inflater = null;
    this.#trailer?.abort();
    this.#trailer = null;
    this.#held.clear();
  }

  /** Takes bytes into the header buffer until it holds `n`; the bytes of `data` not taken. */
  #take(data: Buffer, n: number): Buffer {
    const t = Math.min(n - this.#bufLen, data.length);
    this.#buf.push(data.subarray(0, t));
    this.#bufLen += t;
    this.#pos += t;
    return data.subarray(t);
  }

  #header(): Buffer {
    const b = Buffer.concat(this.#buf);
    this.#buf = [];
    this.#bufLen = 0;
    return b;
  }

  async update(chunk: Buffer): Promise<void> {
    let data = chunk;
    while (data.length > 0) {
      switch (this.#mode) {
        case 'stop':
          return;
        case 'after':
          return this.#after(data);
        case 'bundle': {
          // Reference lines up to the blank line, read as text; the pack follows.
          const joined = Buffer.concat([...this.#buf, data]);
          const end = joined.indexOf('\n\n');
          if (end < 0) {
            if (joined.length > BUNDLE_HEAD_MAX) return this.#broken('a git bundle\'s references run past 1 MiB');
            this.#buf = [Buffer.from(joined)];
            this.#bufLen = joined.length;
            this.#pos += data.length;
            return;
          }
          scanMeta(this.#host.ctx, joined.subarray(0, end + 1), this.#host.path);
          const rest = joined.subarray(end + 2);
          this.#pos += data.length - rest.length;
          this.#buf = [];
          this.#bufLen = 0;
          this.#mode = 'head';
          data = rest;
          break;
        }
        case 'head': {
          data = this.#take(data, 12);
          if (this.#bufLen < 12) return;
          const h = this.#header();
          if (!isGitPack(h)) return this.#broken('a git bundle holds no pack');
          this.#count = h.readUInt32BE(8);
          this.#mode = this.#count > 0 ? 'object' : 'trailer';
          break;
        }
        case 'object': {
          // type and size: a varint whose first byte holds the type
          if (this.#bufLen === 0) this.#at = this.#pos;
          const c = data[0]!;
          data = this.#take(data, this.#bufLen + 1);
          if (this.#bufLen > 10) return this.#broken('a git object header is too long');
          if (c & 0x80) break;
          const h = this.#header();
          this.#type = (h[0]! >> 4) & 7;
          let size = h[0]! & 0x0f;
          for (let k = 1; k < h.length; k++) size += (h[k]! & 0x7f) * 2 ** (4 + 7 * (k - 1));
          this.#size = size;
          if (!TYPES[this.#type]) return this.#broken(`a git object of type ${this.#type}`);
          this.#mode = this.#type >= 6 ? 'base' : 'data';
          if (!this.#roomFor(this.#size, 'object')) return;
          if (this.#mode === 'data') this.#startData();
          break;
        }
        case 'base': {
          if (this.#type === 7) {
            data = this.#take(data, 20);
            if (this.#bufLen < 20) return;
            this.#baseName = this.#header().toString('hex');
          } else {
            // A negative offset: big-endian base-128, each continued byte adding one (gitformat-pack).
            const c = data[0]!;
            data = this.#take(data, this.#bufLen + 1);
            if (this.#bufLen > 9) return this.#broken('a git delta\'s base offset is too long');
            if (c & 0x80) break;
            const h = this.#header();
            let off = h[0]! & 0x7f;
            for (let k = 1; k < h.length; k++) off = (off + 1) * 128 + (h[k]! & 0x7f);
            this.#baseOffset = this.#at - off;
          }
          this.#mode = 'data';
          this.#startData();
          break;
        }
        case 'data': {
          let left: number;
          this.#zIn += data.length;
          try {
            left = await this.#inflater!.write(data);
          } catch (e) {
            if (e instanceof LimitHit) return this.abort(); // reported where it was hit
            return this.#broken('a git object\'s zlib stream is broken or inflates past its size');
          }
          if ((this.#mode as string) === 'stop') return; // aborted while the object's bytes were inspected
          // A zlib stream says it ended by leaving bytes of a write over (decompress-handler.ts).
          const used = data.length - left;
          this.#zIn -= left;
          this.#pos += used;
          data = data.subarray(used);
          if (left > 0 || this.#inflater!.ended) await this.#endObject();
          break;
        }
        case 'trailer':
          data = this.#take(data, 20);
          if (this.#bufLen < 20) return;
          this.#header();
          this.#held.clear();
          this.#mode = 'after';
          break;
      }
    }
  }

  /**
   * Whether `size` more bytes (an object's declared size, a delta's result) fit what the pack may still hold
   * and the transfer's expanded budget; past either, an `archive-limit:expanded-size` and the pack stops,
   * before anything is inflated or allocated (review10: a header declaring 2^40 bytes held every byte its
   * zlib stream made until the stream ended, and none of them were counted).
   */
  #roomFor(size: number, what: string): boolean {
    const ctx = this.#host.ctx;
    if (this.#heldBytes + size <= HELD_MAX && ctx.expanded + size <= ctx.limits.maxExpandedBytes) return true;
    const room = Math.min(HELD_MAX - this.#heldBytes, ctx.limits.maxExpandedBytes - ctx.expanded);
    ctx.limit('expanded-size', this.#host.path, `a git ${what} of ${size} bytes at offset ${this.#at}, past the ${Math.max(0, room)} bytes left to the pack's objects (${HELD_MAX} held at most) or the transfer's expanded budget; the rest were not inspected`);
    this.abort();
    return false;
  }

  /** Counts bytes made by the pack (inflated or by a delta) against the transfer's budget and the pack's ratio. */
  #spend(n: number): boolean {
    const ctx = this.#host.ctx;
    this.#made += n;
    if (this.#made > RATIO_GRACE_BYTES && this.#made > ctx.limits.maxRatio * Math.max(1, this.#pos)) {
      ctx.limit('ratio', this.#host.path, `a git pack's objects expand more than ${ctx.limits.maxRatio} times; not inspected further`);
      return false;
    }
    return ctx.spend(n);
  }

  #startData(): void {
    this.#out = [];
    this.#outLen = 0;
    this.#zIn = 0;
    this.#zOut = 0;
    this.#inflater = new StreamInflater('zlib', (b) => {
      this.#outLen += b.length;
      if (this.#outLen > this.#size) throw new Error('inflates past its declared size');
      const ctx = this.#host.ctx;
      this.#zOut += b.length;
      if (this.#zOut > RATIO_GRACE_BYTES && this.#zOut > ctx.limits.maxRatio * Math.max(1, this.#zIn)) {
        ctx.limit('ratio', this.#host.path, `a git object at offset ${this.#at} expands more than ${ctx.limits.maxRatio} times; not inspected further`);
        throw new LimitHit();
      }
      if (!this.#spend(b.length)) throw new LimitHit();
      this.#out.push(b);
    });
  }

  async #endObject(): Promise<void> {
    this.#inflater?.destroy();
    this.#inflater = null;
    const body = Buffer.concat(this.#out);
    this.#out = [];
    if (body.length !== this.#size) return this.#broken('a git object inflates to another size than its header says');
    let type = this.#type;
    let content: Buffer | null = body;
    if (type >= 6) {
      const baseAt = type === 6 ? this.#baseOffset : this.#byName.get(this.#baseName);
      const base = baseAt === undefined ? undefined : this.#held.get(baseAt);
      if (!base) {
        this.#host.ctx.tally.add({ kind: 'uninspectable', subkind: 'application/x-git-pack', path: this.#host.path, detail: 'a delta whose base object is not in the pack (a thin pack): the object it makes cannot be read' });
        return this.abort();
      }
      // The result's size is the delta's second varint: checked and spent before it is allocated.
      const made = deltaSize(body, deltaSize(body, 0)[1])[0];
      if (made >= 0 && !this.#roomFor(made, 'delta\'s result')) return;
      if (made >= 0 && !this.#spend(made)) return this.abort();
      content = applyDelta(base.body, body);
      if (!content) return this.#broken('a git delta does not fit its base');
      type = base.type;
    }
    this.#heldBytes += content.length;
    if (this.#heldBytes > HELD_MAX) {
      this.#host.ctx.limit('expanded-size', this.#host.path, `a git pack's objects inflate past ${HELD_MAX} bytes; the rest were not inspected`);
      return this.abort();
    }
    this.#held.set(this.#at, { type, body: content });
    const name = createHash('sha1').update(`${TYPES[type]} ${content.length}\0`).update(content).digest('hex');
    this.#byName.set(name, this.#at);
    const ctx = this.#host.ctx;
    if (!ctx.countMember()) return this.abort();
    const m = this.#host.openMember(`${TYPES[type]} ${name}`);
    if (m) {
      await m.update(content);
      await m.finish();
    }
    this.#seen++;
    this.#mode = this.#seen < this.#count ? 'object' : 'trailer';
  }

  /** Bytes after the pack's checksum: read as content of their own, as after a tar's end. */
  async #after(data: Buffer): Promise<void> {
    if (!this.#trailer) {
      this.#host.ctx.members++;
      this.#trailer = this.#host.openMember('(after the end of the pack)');
      if (!this.#trailer) return;
    }
    await this.#trailer.update(data);
  }

  async finish(): Promise<void> {
    if (this.#mode === 'stop') return;
    const t = this.#trailer;
    this.#trailer = null;
    if (t) await t.finish();
    if (this.#mode !== 'after') this.#broken('the git pack is truncated');
  }
}
