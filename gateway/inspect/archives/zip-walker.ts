import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import type { InspectContext } from '../context/inspect-context.js';
import { RATIO_GRACE_BYTES, joinPath } from '../context/inspect-context.js';
import { scanLegacyName, scanMeta } from '../scan/name-scan.js';
import { judgeField } from '../opaque/opaque-regions.js';
import { StreamInflater } from './stream-inflater.js';
import type { Member } from '../context/member.js';
import {
  FLAG_DESCRIPTOR, FLAG_ENCRYPTED, SIG_CENTRAL, SIG_DESCRIPTOR, SIG_EOCD, SIG_LOCAL, SIG_ZIP64_EOCD, SIG_ZIP64_LOCATOR,
  centralFixed, displayName, localFixed, parseCentral, parseEocd, parseLocal, parseZip64Eocd,
  type EndRecord,
} from './zip-records.js';

// A zip read front to back, as it streams through the pass (the spool is
// encrypted sequentially, so there is no going back to the central directory
// first). Members are inspected from their local headers; at the end the
// central directory must agree exactly with what the local headers said —
// same entries, same order, same offsets, sizes and CRCs — so a zip whose
// truth (APPNOTE: the central directory) differs from what was inspected, or
// whose entries overlap (Fifield, "A better zip bomb", 2019), is archive-broken.

export interface ZipHost {
  ctx: InspectContext;
  /** This archive's own path ('' or undefined at the top level). */
  path: string | undefined;
  /** A member inspector, or null when a limit says it is not to be inspected. */
  openMember(name: string): Member | null;
  /** Found in a decoded view (a guess at a reading): its members are read, its breaks are not findings. */
  speculative?: boolean;
  /**
   * Found inside another file's bytes (text-handler.ts, an embedded archive): it ends at its own end of central
   * directory record, and what follows is the host's (a compound file's sector padding, a PDF's `endstream`,
   * a Power Query DataMashup's permissions), read by the host's reading, not data after this archive.
   */
  hosted?: boolean;
}

interface Entry {
  offset: number;
  /** SHA-256 of the name: the central directory must agree, and a stream of 64 KiB names must not grow memory. */
  nameDigest: Buffer;
  flags: number;
  method: number;
  crc: number;
  csize: number;
  usize: number;
}

interface Current extends Entry {
  name: string;
  descriptor: boolean;
  zip64: boolean;
  remaining: number;
  member: Member | null;
  inflater: StreamInflater | null;
  crcSeen: number;
  produced: number;
  compressedSeen: number;
  cut: boolean;
  failed: boolean;
}

type Mode = 'sig' | 'local' | 'data' | 'inflate' | 'desc' | 'central' | 'zip64eocd' | 'zip64loc' | 'eocd' | 'after' | 'stop' | 'apksig' | 'skip' | 'apktail' | 'stored';

const MAX_ENTRIES = 65_535 * 16;
const DESCRIPTOR_SIG = Buffer.from([0x50, 0x4b, 0x07, 0x08]);
/** An APK Signing Block holds certificates and signatures: kilobytes, padded to 4 KiB. */
/**
 * An APK Signing Block's size at most: signers' certificates, signatures and digests, v2 and v3, a source stamp and
 * the verity padding to 4 KiB make a few KiB to some tens. Its bytes are held and read here (no zip reader sees
 * them): the review of 1 Dec found 16 MiB of them passed over unread, a keyword and random bytes alike.
 */
const MAX_SIGNING_BLOCK = 64 << 10;

function nameDigest(name: Buffer): Buffer {
  return createHash('sha256').update(name).digest();
}

export class ZipWalker {
  #host: ZipHost;
  #mode: Mode = 'sig';
  #hdr = Buffer.alloc(64);
  #hdrLen = 0;
  #need = 4;
  #pos = 0; // archive offset of the next byte
  #recStart = 0;
  #entries: Entry[] = [];
  #cur: Current | null = null;
  #cdIndex = 0;
  #cdStart = -1;
  #end: EndRecord | null = null;
  #zip64End: EndRecord | null = null;
  /** Central directory offsets minus this archive's own: 0, or the length of a prefix they count (zipapp, `zip -A`). */
  #bias: number | null = null;
  #skip = 0;
  /** Stored bytes of a member with a data descriptor held back: they may begin its descriptor. */
  #held: Buffer = Buffer.alloc(0);
  #storedCrc = 0;
  #apkSize = 0;
  /** The APK Signing Block's bytes as they pass (at most MAX_SIGNING_BLOCK), read when it ends. */
  #apkBytes: Buffer[] = [];

  constructor(host: ZipHost) {
    this.#host = host;
  }

  #reportBroken(f: { path: string | undefined; offset: number; detail: string }): void {
    if (!this.#host.speculative) this.#host.ctx.tally.add({ kind: 'archive-broken', ...f });
  }

  #broken(detail: string, offset = this.#recStart): void {
    this.#reportBroken({ path: this.#host.path, offset, detail });
    this.#stop();
  }

  #stop(): void {
    this.#mode = 'stop';
    const c = this.#cur;
    if (c) {
      c.inflater?.destroy();
      c.member?.abort();
      this.#cur = null;
    }
  }

  async update(chunk: Buffer): Promise<void> {
    let data = chunk;
    while (data.length > 0) {
      const m = this.#mode;
      if (m === 'stop') return;
      if (m === 'after') {
        if (this.#host.hosted) return;
        this.#broken('data follows the end of central directory record', this.#pos);
        return;
      }
      if (m === 'skip') {
        const take = Math.min(this.#skip, data.length);
        this.#apkBytes.push(Buffer.from(data.subarray(0, take)));
        this.#skip -= take;
        this.#pos += take;
        data = data.subarray(take);
        if (this.#skip === 0) {
          this.#mode = 'apktail';
          this.#hdrLen = 0;
          this.#need = 24;
        }
        continue;
      }
      if (m === 'stored') {
        data = await this.#storedUntilDescriptor(data);
        continue;
      }
      if (m === 'data') {
        const c = this.#cur!;
        const take = Math.min(c.remaining, data.length);
        await this.#compressed(data.subarray(0, take));
        this.#pos += take;
        c.remaining -= take;
        data = data.subarray(take);
        if (c.remaining === 0) await this.#endData();
        continue;
      }
      if (m === 'inflate') {
        const c = this.#cur!;
        let leftover = data.length;
        try {
          leftover = await c.inflater!.write(data);
        } catch {
          this.#broken(`${c.name}: deflate data is corrupt`, c.offset);
          return;
        }
        if (c.cut) {
          // A limit stopped this member; with a data descriptor its end cannot be found without inflating it.
          this.#stop();
          return;
        }
        const used = data.length - leftover;
        c.compressedSeen += used;
        this.#pos += used;
        data = data.subarray(used);
        if (leftover > 0 || c.inflater!.ended) await this.#endData();
        continue;
      }
      // Header modes: gather exactly #need bytes.
      const take = Math.min(this.#need - this.#hdrLen, data.length);
      if (this.#hdr.length < this.#need) {
        const bigger = Buffer.alloc(Math.max(this.#need, this.#hdr.length * 2));
        this.#hdr.copy(bigger, 0, 0, this.#hdrLen);
        this.#hdr = bigger;
      }
      data.copy(this.#hdr, this.#hdrLen, 0, take);
      this.#hdrLen += take;
      this.#pos += take;
      data = data.subarray(take);
      if (this.#hdrLen === this.#need) await this.#header();
    }
  }

  async finish(): Promise<void> {
    if (this.#mode === 'stop') return;
    if (this.#mode === 'stored') {
      // Its descriptor has no signature (optional in APPNOTE): the rest of the archive was read as its content.
      const c = this.#cur!;
      await this.#compressed(this.#held);
      this.#host.ctx.limit('unsupported', joinPath(this.#host.path, c.name), `member ${c.name} is stored with a data descriptor that has no signature; it cannot be delimited`);
      return this.#stop();
    }
    if (this.#mode !== 'after') {
      this.#broken(this.#end ? 'truncated' : 'the archive ends before its end of central directory record', this.#pos);
      return;
    }
  }

  abort(): void {
    this.#stop();
  }

  /** Hosted: the offset just past the end of central directory record once it is read, else -1. */
  get ended(): number {
    return this.#host.hosted && this.#mode === 'after' ? this.#pos : -1;
  }

  #expect(n: number): void {
    this.#need = n;
  }

  #reset(mode: Mode, need: number): void {
    this.#mode = mode;
    this.#hdrLen = 0;
    this.#need = need;
    this.#recStart = this.#pos;
  }

  async #header(): Promise<void> {
    const b = this.#hdr;
    switch (this.#mode) {
      case 'sig': {
        const sig = b.readUInt32LE(0);
        if (sig === SIG_LOCAL) {
          if (this.#cdStart >= 0) return this.#broken('a local header follows the central directory');
          this.#mode = 'local';
          this.#expect(30);
        } else if (sig === SIG_CENTRAL) {
          if (this.#cdStart < 0) this.#cdStart = this.#recStart;
          this.#mode = 'central';
          this.#expect(46);
        } else if (sig === SIG_ZIP64_EOCD) {
          this.#mode = 'zip64eocd';
          this.#expect(12);
        } else if (sig === SIG_ZIP64_LOCATOR) {
          this.#mode = 'zip64loc';
          this.#expect(20);
        } else if (sig === SIG_EOCD) {
          this.#mode = 'eocd';
          this.#expect(22);
        } else if (sig === SIG_DESCRIPTOR) {
          this.#broken('a data descriptor where no entry uses one');
        } else if (this.#cdStart < 0 && this.#entries.length > 0 && !this.#cur) {
          // Perhaps an APK Signing Block (v2/v3) between the last entry and the central directory.
          this.#mode = 'apksig';
          this.#expect(8);
        } else {
          this.#broken(`unknown record signature 0x${sig.toString(16).padStart(8, '0')}`);
        }
        return;
      }
      case 'apksig':
      case 'apktail':
        return this.#signingBlock();
      case 'local': {
        if (this.#need === 30) {
          const { nameLen, extraLen } = localFixed(b);
          if (nameLen + extraLen > 0) return this.#expect(30 + nameLen + extraLen);
        }
        // Read as text too, as the central directory's fields are (the review of 1 Dec: a keyword there crossed).
        scanMeta(this.#host.ctx, b.subarray(30 + localFixed(b).nameLen, this.#need), this.#host.path);
        judgeField(this.#host.ctx, b.subarray(30 + localFixed(b).nameLen, this.#need), 'application/zip', 'a local header\'s extra field', this.#host.path);
        return this.#local(parseLocal(b.subarray(0, this.#need)));
      }
      case 'desc':
        return this.#descriptor();
      case 'central': {
        if (this.#need === 46) {
          const { nameLen, extraLen, commentLen } = centralFixed(b);
          if (nameLen + extraLen + commentLen > 0) return this.#expect(46 + nameLen + extraLen + commentLen);
        }
        {
          // A member's comment and extra fields (Info-ZIP Unicode path and comment) are text too.
          const { nameLen } = centralFixed(b);
          scanMeta(this.#host.ctx, b.subarray(46 + nameLen, this.#need), this.#host.path);
          judgeField(this.#host.ctx, b.subarray(46 + nameLen, this.#need), 'application/zip', 'a central directory entry\'s extra field and comment', this.#host.path);
        }
        return this.#central();
      }
      case 'zip64eocd': {
        if (this.#need === 12) {
          const size = Number(b.readBigUInt64LE(4));
          if (size < 44 || size > 65_536) return this.#broken('zip64 end of central directory record has an impossible size');
          return this.#expect(12 + size);
        }
        this.#zip64End = parseZip64Eocd(b.subarray(0, this.#need));
        return this.#reset('sig', 4);
      }
      case 'zip64loc':
        return this.#reset('sig', 4);
      case 'eocd': {
        if (this.#need === 22) {
          const commentLen = b.readUInt16LE(20);
          if (commentLen > 0) return this.#expect(22 + commentLen);
        }
        scanMeta(this.#host.ctx, b.subarray(22, this.#need), this.#host.path);
        judgeField(this.#host.ctx, b.subarray(22, this.#need), 'application/zip', 'the archive\'s comment', this.#host.path);
        this.#end = parseEocd(b.subarray(0, this.#need));
        return this.#checkEnd();
      }
      default:
        return;
    }
  }

  async #local(h: ReturnType<typeof parseLocal>): Promise<void> {
    const ctx = this.#host.ctx;
    const name = displayName(h.nameBytes);
    const path = joinPath(this.#host.path, name);
    scanLegacyName(ctx, h.nameBytes, path);
    const descriptor = (h.flags & FLAG_DESCRIPTOR) !== 0;
    const entry: Entry = { offset: this.#recStart, nameDigest: nameDigest(h.nameBytes), flags: h.flags, method: h.method, crc: h.crc, csize: h.csize, usize: h.usize };
    if (this.#entries.length >= MAX_ENTRIES) {
      // Never a silent stop: what was not inspected is a finding the policy sees.
      ctx.limit('members', path, `the archive has more than ${MAX_ENTRIES} entries; the rest were not inspected`);
      return this.#stop();
    }
    this.#entries.push(entry);
    const cur: Current = { ...entry, name, descriptor, zip64: h.zip64, remaining: h.csize, member: null, inflater: null, crcSeen: 0, produced: 0, compressedSeen: 0, cut: false, failed: false };
    this.#hdrLen = 0;
    this.#cur = cur;
    const encrypted = (h.flags & FLAG_ENCRYPTED) !== 0;
    if (encrypted) {
      ctx.tally.add({ kind: 'archive-encrypted', path, subkind: h.method === 99 ? 'aes' : 'zipcrypto', detail: `member ${name} is encrypted and cannot be inspected` });
      if (descriptor) return this.#stop(); // its end cannot be found without the key
      cur.cut = true;
      this.#mode = 'data';
      if (cur.remaining === 0) await this.#endData();
      return;
    }
    if (h.method !== 0 && h.method !== 8) {
      ctx.limit('unsupported', path, `member ${name} uses compression method ${h.method}, which is not inspected`);
      if (descriptor) return this.#stop();
      cur.cut = true;
      this.#mode = 'data';
      if (cur.remaining === 0) await this.#endData();
      return;
    }
    // Directories count toward the member limit too (a stream of them was free before), and
    // a "directory" that carries data is inspected like any member: unzip tools extract it.
    if (!ctx.countMember()) return this.#stop();
    const isDir = name.endsWith('/') && h.usize === 0 && h.csize === 0 && !descriptor;
    if (!isDir) cur.member = this.#host.openMember(name);
    if (h.method === 8) cur.inflater = new StreamInflater('raw', (d) => this.#expanded(d));
    if (descriptor) {
      this.#mode = h.method === 8 ? 'inflate' : 'stored';
      this.#storedCrc = 0;
      this.#held = Buffer.alloc(0);
      return;
    }
    this.#mode = 'data';
    if (cur.remaining === 0) await this.#endData();
  }

  /** Compressed (or stored) bytes of the current entry, of known length. */
  async #compressed(d: Buffer): Promise<void> {
    const c = this.#cur!;
    c.compressedSeen += d.length;
    if (c.cut || c.failed) return;
    if (c.inflater) {
      try {
        await c.inflater.write(d);
      } catch {
        c.failed = true;
        c.inflater.destroy();
        c.member?.abort();
        c.member = null;
        this.#reportBroken({ path: this.#host.path, offset: c.offset, detail: `${c.name}: deflate data is corrupt` });
      }
    } else await this.#expanded(d);
  }

  /** Expanded bytes of the current member: count, check limits, CRC, inspect. */
  async #expanded(d: Buffer): Promise<void> {
    const c = this.#cur;
    if (!c || c.cut) return;
    const ctx = this.#host.ctx;
    c.produced += d.length;
    const path = joinPath(this.#host.path, c.name);
    if (c.produced > RATIO_GRACE_BYTES && c.produced > ctx.limits.maxRatio * Math.max(1, c.compressedSeen)) {
      ctx.limit('ratio', path, `member ${c.name} expands more than ${ctx.limits.maxRatio} times; not inspected further`);
      return this.#cut(c);
    }
    if (!ctx.spend(d.length)) return this.#cut(c);
    c.crcSeen = zlib.crc32(d, c.crcSeen);
    if (c.member) await c.member.update(d);
  }

  async #cut(c: Current): Promise<void> {
    c.cut = true;
    c.inflater?.destroy();
    const m = c.member;
    c.member = null;
    // What was seen so far is still reported, before the archive's own finish.
    if (m) await m.finish().catch(() => m.abort());
  }

  async #endData(): Promise<void> {
    const c = this.#cur!;
    if (c.inflater && !c.cut && !c.failed) {
      try {
        await c.inflater.end();
      } catch {
        c.failed = true;
        this.#reportBroken({ path: this.#host.path, offset: c.offset, detail: `${c.name}: deflate data is corrupt` });
      }
      if (!c.failed && !c.descriptor && c.inflater.consumed !== c.csize) {
        c.failed = true;
        this.#reportBroken({ path: this.#host.path, offset: c.offset, detail: `${c.name}: the deflate stream ends ${c.inflater.consumed} bytes in, not at the stated ${c.csize}` });
      }
    }
    if (c.member) {
      await c.member.finish();
      c.member = null;
    }
    if (c.descriptor) {
      this.#reset('desc', c.zip64 ? 24 : 16);
      this.#recStart = this.#pos;
      return;
    }
    this.#verify(c);
    this.#cur = null;
    this.#reset('sig', 4);
  }

  /**
   * A stored member with a data descriptor (`zip -0` to a pipe, Go's and Python's writers on an unseekable
   * stream) has no length before its data: it ends at the first descriptor signature followed by the CRC-32
   * and sizes of exactly the bytes before it (Info-ZIP, Go, Python and JSZip write the signature). A forged
   * descriptor inside the data delimits nothing the central directory does not confirm: its sizes must agree.
   * Returns what follows the member's data.
   */
  async #storedUntilDescriptor(data: Buffer): Promise<Buffer> {
    const c = this.#cur!;
    const buf = this.#held.length ? Buffer.concat([this.#held, data]) : data;
    this.#held = Buffer.alloc(0);
    const descLen = c.zip64 ? 24 : 16;
    // The CRC-32 runs forward once over what is passed (a run of false signatures costs no more than data).
    let crc = this.#storedCrc;
    let crcTo = 0;
    const crcUpTo = (n: number): number => {
      crc = zlib.crc32(buf.subarray(crcTo, n), crc);
      crcTo = n;
      return crc >>> 0;
    };
    let from = 0;
    for (;;) {
      const i = buf.indexOf(DESCRIPTOR_SIG, from);
      if (i < 0 || buf.length - i < descLen) {
        const keep = i < 0 ? Math.max(from, buf.length - 3) : i;
        crcUpTo(keep);
        await this.#storedData(buf.subarray(0, keep), crc);
        this.#held = Buffer.from(buf.subarray(keep));
        return Buffer.alloc(0);
      }
      const size = c.compressedSeen + i;
      const dcrc = buf.readUInt32LE(i + 4) >>> 0;
      const dc = c.zip64 ? Number(buf.readBigUInt64LE(i + 8)) : buf.readUInt32LE(i + 8);
      const du = c.zip64 ? Number(buf.readBigUInt64LE(i + 16)) : buf.readUInt32LE(i + 12);
      if (dc === size && du === size && crcUpTo(i) === dcrc) {
        await this.#storedData(buf.subarray(0, i), crc);
        if (this.#mode === 'stop') return Buffer.alloc(0);
        await this.#endData();
        return buf.subarray(i);
      }
      from = i + 1;
    }
  }

  async #storedData(d: Buffer, crc: number): Promise<void> {
    this.#storedCrc = crc;
    if (!d.length) return;
    await this.#compressed(d);
    this.#pos += d.length;
  }

  #verify(c: Current): void {
    if (c.cut || c.failed) return;
    if (c.produced !== c.usize || (c.crcSeen >>> 0) !== (c.crc >>> 0)) {
      this.#reportBroken({ path: this.#host.path, offset: c.offset, detail: `${c.name}: size or CRC-32 does not match its header` });
    }
  }

  /**
   * Data descriptor (APPNOTE §4.3.9): optional signature, CRC-32, then sizes
   * of 4 bytes (8 with Zip64). We read the longest form and give back what
   * belongs to the next record.
   */
  async #descriptor(): Promise<void> {
    const c = this.#cur!;
    const b = this.#hdr;
    const hasSig = b.readUInt32LE(0) === SIG_DESCRIPTOR;
    const base = hasSig ? 4 : 0;
    const wide = c.zip64;
    const len = base + (wide ? 20 : 12);
    if (this.#need < len) return this.#expect(len);
    c.crc = b.readUInt32LE(base);
    c.csize = wide ? Number(b.readBigUInt64LE(base + 4)) : b.readUInt32LE(base + 4);
    c.usize = wide ? Number(b.readBigUInt64LE(base + 12)) : b.readUInt32LE(base + 8);
    const e = this.#entries[this.#entries.length - 1]!;
    e.crc = c.crc;
    e.csize = c.csize;
    e.usize = c.usize;
    if (!c.cut && !c.failed && c.csize !== c.compressedSeen) {
      this.#reportBroken({ path: this.#host.path, offset: c.offset, detail: `${c.name}: data descriptor disagrees with the deflate stream` });
    } else this.#verify(c);
    this.#cur = null;
    // Give back the bytes read past the descriptor.
    const extra = Buffer.from(b.subarray(len, this.#need));
    this.#pos -= extra.length;
    this.#reset('sig', 4);
    if (extra.length) await this.update(extra);
  }

  #central(): void {
    const h = parseCentral(this.#hdr.subarray(0, this.#need));
    const e = this.#entries[this.#cdIndex++];
    const name = displayName(h.nameBytes);
    if (!e) return this.#broken(`the central directory lists ${name}, which no local header carries`);
    // Offsets may count a prefix (a zipapp's shebang, a `zip -A` stub): one shift for every entry and the end record, as unzip takes it.
    this.#bias ??= h.localOffset - e.offset;
    const same =
      e.offset + this.#bias === h.localOffset && e.nameDigest.equals(nameDigest(h.nameBytes)) && e.method === h.method && (e.flags & 1) === (h.flags & 1) &&
      e.csize === h.csize && e.usize === h.usize && e.crc >>> 0 === h.crc >>> 0;
    if (!same) return this.#broken(`the central directory entry for ${name} disagrees with its local header (overlapping or forged entries)`);
    this.#reset('sig', 4);
  }

  /**
   * APK Signature Scheme v2/v3 (source.android.com, "APK Signing Block"): between the entries and the
   * central directory, a u64 size of what follows it, ID-value pairs, the same size again and the magic
   * "APK Sig Block 42". No zip reader sees inside it; its bytes are read as the file's raw bytes are.
   */
  #signingBlock(): void {
    const b = this.#hdr;
    if (this.#mode === 'apksig') {
      const size = Number(b.readBigUInt64LE(0));
      if (size < 32 || size > MAX_SIGNING_BLOCK) {
        return this.#broken(`unknown record signature 0x${b.readUInt32LE(0).toString(16).padStart(8, '0')}`);
      }
      this.#apkSize = size;
      this.#skip = size - 24;
      this.#mode = 'skip';
      return;
    }
    if (Number(b.readBigUInt64LE(0)) !== this.#apkSize || b.subarray(8, 24).toString('latin1') !== 'APK Sig Block 42') {
      return this.#broken('a block before the central directory is neither a zip record nor an APK Signing Block');
    }
    // Its ID-value pairs are certificates, signatures and padding: read as text (a piece at a time, as names are)
    // and judged by entropy like the other fields readers pass over.
    const block = Buffer.concat(this.#apkBytes);
    this.#apkBytes = [];
    for (let i = 0; i < block.length; i += 4096) scanMeta(this.#host.ctx, block.subarray(i, i + 4096), this.#host.path);
    judgeField(this.#host.ctx, block, 'application/zip', 'the APK Signing Block', this.#host.path);
    this.#reset('sig', 4);
  }

  #checkEnd(): void {
    const end = this.#end!;
    const entries = this.#zip64End && end.entries === 0xffff ? this.#zip64End.entries : end.entries;
    const cdOffset = this.#zip64End && end.cdOffset === 0xffffffff ? this.#zip64End.cdOffset : end.cdOffset;
    if (this.#cdIndex !== this.#entries.length || entries !== this.#entries.length) {
      return this.#broken(`the central directory lists ${entries} entries; ${this.#entries.length} local headers were read`);
    }
    const expectCd = this.#cdStart < 0 ? this.#recStart : this.#cdStart;
    if (this.#entries.length > 0 && cdOffset !== expectCd + (this.#bias ?? 0)) return this.#broken('the end record points the central directory at the wrong offset');
    this.#mode = 'after';
  }
}
