import { createRequire } from 'node:module';
import { Decompress as ZstdDecompress } from 'fzstd';
import xzDecompress from 'xz-decompress';
import { RATIO_GRACE_BYTES, type InspectContext } from '../context/inspect-context.js';
import { scanMeta } from '../scan/name-scan.js';
import { judgeField } from '../opaque/opaque-regions.js';
import { StreamInflater } from './stream-inflater.js';
import { compressionOf, isZlib, type Compression } from '../signatures/compression-magic.js';
import { ZstdFrames } from './zstd-frames.js';
import { XzBlocks, XzUnread } from './xz-container.js';
import { Bzip2Streams } from './bzip2-streams.js';
import type { Member } from '../context/member.js';

// One compressed stream (gzip, bzip2, xz, zstd, zlib, bare deflate, brotli where declared) decompressed as it streams and
// its content inspected as one member, under the transfer's expansion budget
// and the ratio limit. Decoders are pure JavaScript or WebAssembly (fzstd,
// unbzip2-stream, xz-decompress); they run inside the inspection worker, whose
// time and memory budgets bound them too.

const require = createRequire(import.meta.url);
const { XzReadableStream } = xzDecompress;
const unbzip2 = require('unbzip2-stream') as () => NodeJS.ReadWriteStream & { write(b: Buffer): boolean; end(): void };

/** Bytes of a gzip header read: its extra field (64 KiB at most), then 64 KiB of name and comment. */
const GZIP_HEAD_MAX = 12 + 65535 + 65536;


interface Codec {
  /** zlib kinds resolve with how many bytes at the end of the chunk follow the stream's end. */
  write(chunk: Buffer): Promise<number | void>;
  end(): Promise<void>;
  destroy(): void;
  /** zlib kinds: has the stream ended, and how many compressed bytes it took. */
  ended?(): boolean;
  consumed?(): number;
}

/** Synchronous decoders: what one write produced, handed on in order. */
function syncCodec(push: (chunk: Buffer, final: boolean, out: Buffer[]) => void, sink: (b: Buffer) => Promise<void>): Codec {
  let dead = false;
  const run = async (chunk: Buffer, final: boolean): Promise<void> => {
    if (dead) return;
    const out: Buffer[] = [];
    push(chunk, final, out);
    for (const b of out) if (!dead) await sink(b);
  };
  return {
    write: (c) => run(c, false),
    end: () => run(Buffer.alloc(0), true),
    destroy: () => void (dead = true),
  };
}

function codecFor(kind: Compression, sink: (b: Buffer) => Promise<void>): Codec {
  if (kind === 'gzip' || kind === 'zlib' || kind === 'deflate' || kind === 'br') {
    const z = new StreamInflater(kind === 'deflate' ? 'raw' : kind, sink);
    // (A zlib stream emits 'end' only once its input is ended: bytes left over after a write say it ended.)
    let over = false;
    return {
      write: async (c) => {
        const left = await z.write(c);
        over = left > 0 || over;
        return left;
      },
      end: () => z.end(),
      destroy: () => z.destroy(),
      ended: () => over || z.ended,
      consumed: () => z.consumed,
    };
  }
  if (kind === 'zstd') {
    let out: Buffer[] = [];
    const d = new ZstdDecompress((data) => out.push(Buffer.from(data.buffer, data.byteOffset, data.length)));
    return syncCodec((chunk, final, o) => {
      out = o;
      d.push(chunk, final);
    }, sink);
  }
  if (kind === 'bzip2') {
    const s = unbzip2();
    let out: Buffer[] = [];
    let err: unknown;
    s.on('data', (d: Buffer) => out.push(d));
    s.on('error', (e: unknown) => (err = e));
    return syncCodec((chunk, final, o) => {
      out = o;
      if (chunk.length) s.write(chunk);
      if (final) s.end();
      if (err) throw err;
    }, sink);
  }
  // xz: a WHATWG stream pair; the reader runs beside the writer, in step with the sink. The file is walked
  // block by block (xz-container.ts): the decoder is given streams it reads, filters and checks it does not
  // read are done here on its output.
  const blocks = new XzBlocks();
  const input = new TransformStream<Uint8Array, Uint8Array>();
  const writer = input.writable.getWriter();
  const reader = new XzReadableStream(input.readable).getReader();
  let dead = false;
  const pump = (async () => {
    for (;;) {
      const r = await reader.read();
      if (r.done || dead) break;
      for (const b of blocks.output(Buffer.from(r.value.buffer, r.value.byteOffset, r.value.length))) if (!dead) await sink(b);
    }
    if (!dead) for (const b of blocks.outputEnd()) await sink(b);
  })();
  pump.catch(() => {});
  return {
    async write(c) {
      for (const b of blocks.input(c)) await Promise.race([writer.write(new Uint8Array(b)), pump]);
    },
    async end() {
      for (const b of blocks.end()) await Promise.race([writer.write(new Uint8Array(b)), pump]);
      await Promise.race([writer.close(), pump]);
      await pump;
    },
    destroy() {
      dead = true;
      void reader.cancel().catch(() => {});
      void writer.abort().catch(() => {});
    },
  };
}

export class DecompressHandler {
  #ctx: InspectContext;
  #path: string | undefined;
  #kind: Compression;
  #inner: Member | null = null;
  #open: (name: string) => Member | null;
  #name: string;
  #codec: Codec;
  #compressed = 0;
  #produced = 0;
  #cut = false;
  #failed = false;
  #probe: boolean;
  #speculative: boolean;
  #av: boolean;
  /** The input is known to stop early: a stream that ends before its end is read up to there (see the constructor). */
  #cutShort: boolean;
  #head: Buffer | null;
  /** zstd: its frames, whose skippable ones a decoder passes over, judged (zstd-frames.ts). */
  #frames: ZstdFrames | null;
  /** What follows the end of a gzip stream (after zero padding), as content of its own; null once dropped (the member limit). */
  #trailer: Member | null | undefined;
  /** The gzip stream has ended (zlib stopped at padding): what comes now is the trailer's. */
  #gzipEnded = false;
  /** bzip2: clamd reads a file's first stream only; from a second one on, the output goes to it here. */
  #bzip2: Bzip2Streams | null;

  /**
   * probe: a guess (raw deflate has no signature): nothing is reported if the
   * bytes are not a deflate stream, and the member opens with its first output.
   * speculative: found in a decoded view; what inflates is read, a corrupt stream is no finding.
   * av: the output goes to clamd whatever the kind (a stream inside content clamd does not unpack: an HTTP body in a WARC).
   * cutShort: the input says it was cut (a WARC record with WARC-Truncated): a stream that is whole up to where
   * its input ends is no break, its output up to there read; bytes that do not decode before it still are one.
   */
  constructor(ctx: InspectContext, path: string | undefined, kind: Compression, open: (name: string) => Member | null, name: string, opts: { probe?: boolean; speculative?: boolean; av?: boolean; cutShort?: boolean } = {}) {
    this.#ctx = ctx;
    this.#path = path;
    this.#kind = kind;
    this.#open = open;
    this.#name = name;
    this.#probe = opts.probe === true;
    this.#speculative = opts.speculative === true;
    this.#cutShort = opts.cutShort === true;
    // clamd unpacks gzip, bzip2 and xz files itself; zstd, zlib, bare deflate and brotli it does not.
    this.#av = opts.av === true || kind === 'zstd' || kind === 'zlib' || kind === 'deflate' || kind === 'br';
    this.#head = kind === 'gzip' ? Buffer.alloc(0) : null;
    this.#frames = kind === 'zstd' ? new ZstdFrames({ keepBlock: this.#cutShort }) : null;
    this.#bzip2 = kind === 'bzip2' ? new Bzip2Streams() : null;
    if (!this.#probe) this.#member();
    this.#codec = codecFor(kind, (d) => this.#expanded(d));
  }

  /** Did a probe read a whole deflate stream? */
  get decoded(): boolean {
    return !this.#failed && !this.#cut && this.#produced > 0;
  }

  /** Nothing more will come out: the stream ended, failed or was cut (zlib kinds). */
  get settled(): boolean {
    return this.#failed || this.#cut || this.#codec.ended?.() === true;
  }

  /** Compressed bytes the stream took (zlib kinds; exact once it ended). */
  get consumed(): number {
    return this.#codec.consumed?.() ?? this.#compressed;
  }

  #member(): Member | null {
    if (!this.#inner) {
      this.#ctx.members++;
      this.#inner = this.#open(this.#name);
    }
    return this.#inner;
  }

  async #expanded(d: Buffer): Promise<void> {
    if (this.#cut) return;
    this.#produced += d.length;
    if (this.#produced > RATIO_GRACE_BYTES && this.#produced > this.#ctx.limits.maxRatio * Math.max(1, this.#compressed)) {
      this.#ctx.limit('ratio', this.#path, `${this.#kind} stream expands more than ${this.#ctx.limits.maxRatio} times; not inspected further`);
      return this.#stop();
    }
    if (!this.#ctx.spend(d.length)) return this.#stop();
    const av = this.#av;
    const more = this.#bzip2 && this.#ctx.decodedAv ? this.#bzip2.output(d) : null;
    await Promise.all([this.#member()?.update(d), av ? this.#ctx.decodedAv?.write(d) : more?.length ? this.#ctx.decodedAv?.write(more) : undefined]);
  }

  #stop(): void {
    this.#cut = true;
    this.#codec.destroy();
  }

  async update(chunk: Buffer): Promise<void> {
    if (this.#cut) return;
    // Past a gzip stream's end, every later chunk is what follows it (the review of 1 Dec: written to zlib, a
    // next chunk that began with a byte other than zero was taken for a broken member, and in a decoded view
    // the trailer went unread).
    if (this.#gzipEnded) return this.#after(chunk);
    this.#compressed += chunk.length;
    if (this.#head) this.#gzipHeader(chunk);
    this.#frames?.write(chunk);
    let left: number | void = 0;
    this.#bzip2?.input(chunk);
    try {
      left = await this.#codec.write(chunk);
    } catch (e) {
      this.#broken(e);
    }
    if (left && this.#kind === 'gzip' && !this.#cut) {
      this.#gzipEnded = true;
      await this.#after(chunk.subarray(chunk.length - left));
    }
  }

  /**
   * Bytes after the end of a gzip stream. zlib reads a next member where one starts, fails on other bytes, but
   * stops at a zero byte, taken for padding, and lets everything after it go: 1 Dec, a gzip embedded in text,
   * then a zero and encrypted bytes, crossed with no finding. Zeros are padding; from the first other byte, what
   * follows is content of its own.
   */
  async #after(data: Buffer): Promise<void> {
    if (this.#trailer === undefined) {
      const i = data.findIndex((x) => x !== 0);
      if (i < 0) return;
      this.#ctx.members++;
      this.#trailer = this.#open('(after the end of the gzip stream)');
      data = data.subarray(i);
    }
    await this.#trailer?.update(data);
  }

  /** A gzip header's file name and comment (RFC 1952 §2.3) are text a receiver sees: read as names. */
  #gzipHeader(chunk: Buffer): void {
    const h = (this.#head = Buffer.concat([this.#head!, chunk.subarray(0, GZIP_HEAD_MAX - this.#head!.length)]));
    const flg = h[3] ?? 0;
    if (h.length >= 10 && (flg & 0x1c) === 0) return void (this.#head = null);
    let p = 10;
    if (flg & 0x04) {
      if (h.length < 12 || h.length < 12 + h.readUInt16LE(10)) return; // wait for the whole extra field
      p = 12 + h.readUInt16LE(10);
    }
    const fields: Buffer[] = [];
    for (const bit of [0x08, 0x10]) {
      if (!(flg & bit) || p >= h.length) continue;
      const z = h.indexOf(0, p);
      if (z < 0) {
        if (h.length < GZIP_HEAD_MAX) return; // wait for more of the header
        fields.push(h.subarray(p));
        p = h.length;
        continue;
      }
      fields.push(h.subarray(p, z));
      p = z + 1;
    }
    this.#head = null;
    // The extra field (FEXTRA) is read as text too, a piece at a time (the review of 1 Dec: a memo there crossed).
    if (flg & 0x04) fields.push(h.subarray(12, p));
    for (const f of fields) for (let i = 0; i < f.length; i += 4096) scanMeta(this.#ctx, f.subarray(i, i + 4096), this.#path);
    for (const f of fields) judgeField(this.#ctx, f, 'application/gzip', 'a gzip header field', this.#path);
  }

  #broken(e: unknown): void {
    if (this.#cut) return;
    this.#failed = true;
    if (e instanceof XzUnread && !this.#probe) {
      // Not broken: valid xz with a filter no decoder here reads (xz-container.ts). Refused as such, also inside a decoded view.
      this.#ctx.limit('unsupported', this.#path, `xz stream uses ${e.message}, which the decoder does not read; not inspected further`);
      this.#inner?.abort();
    } else if (!this.#probe && !this.#speculative) this.#ctx.tally.add({ kind: 'archive-broken', path: this.#path, detail: `${this.#kind} stream is corrupt (${e instanceof Error ? e.message : String(e)})` });
    else this.#inner?.abort();
    this.#stop();
  }

  async finish(): Promise<void> {
    if (!this.#cut) {
      try {
        await this.#codec.end();
      } catch (e) {
        // Only the end of input can fail here: what was written decoded (a write that failed is broken above).
        if (this.#cutShort) {
          await this.#cutRaw();
          this.#stop();
        } else this.#broken(e);
      }
    }
    const inner = this.#inner;
    this.#inner = null;
    if (inner && !(this.#probe && this.#failed)) await inner.finish();
    const trailer = this.#trailer;
    this.#trailer = null;
    await trailer?.finish();
    this.#frames?.finish();
    const skipped = this.#frames?.opaque;
    if (skipped) {
      this.#ctx.tally.add({ kind: 'uninspectable', subkind: 'application/zstd', path: this.#path, offset: skipped.start, detail: `a skippable frame of the zstd stream, which its decoders pass over, holds ${skipped.what === 'bytes' ? 'compressed or encrypted bytes' : 'random characters of 7 bits'} from byte ${skipped.start} on` });
    }
    if (this.#av || this.#bzip2?.sent) await this.#ctx.decodedAv?.endPiece();
  }

  /**
   * A zstd stream cut inside a block (fzstd gives nothing of a block it lacks whole): a raw block's bytes so far,
   * which a streaming decoder writes, and a compressed block's raw literals are read (zstd-frames.ts `cutBlock`).
   */
  async #cutRaw(): Promise<void> {
    const cut = this.#frames?.cutBlock();
    if (cut?.length) await this.#expanded(cut);
  }

  abort(): void {
    this.#stop();
    this.#inner?.abort();
    this.#trailer?.abort();
  }
}

/** The name of what is inside foo.tar.xz, report.csv.bz2, … */
export function innerName(filename: string | undefined, kind: Compression): string {
  const base = (filename ?? '').split('/').pop() ?? '';
  const ext = { gzip: /\.(gz|tgz)$/i, bzip2: /\.(bz2|tbz2?)$/i, xz: /\.(xz|txz)$/i, zstd: /\.(zst|tzst)$/i, zlib: /\.(zz|zlib)$/i, deflate: /\.deflate$/i, br: /\.br$/i }[kind];
  if (/^.*\.t(gz|bz2?|xz|zst)$/i.test(base)) return base.replace(/\.t(gz|bz2?|xz|zst)$/i, '.tar');
  if (ext.test(base)) return base.replace(ext, '');
  return `(${kind})`;
}
