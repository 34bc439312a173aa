import type { InspectContext } from '../context/inspect-context.js';
import type { Member } from '../context/member.js';
import { compressionOf } from '../signatures/compression-magic.js';
import { DecompressHandler } from './decompress-handler.js';

// The block of a WARC record its crawler cut (WARC-Truncated) that is no HTTP message (a `resource` record of a
// file as fetched): a gzip or zstd stream in it is read up to the cut, as an HTTP body so cut is (http-message.ts),
// not refused as a broken stream (ways12: a cut gzip `resource` record was archive-broken). Anything else is
// inspected as content, as any record's block is. Only the first bytes are held, to see which it is.

/** Bytes enough for the magic numbers of gzip (3) and zstd (4). */
const HEAD = 4;

export interface CutBlockHost {
  ctx: InspectContext;
  path: string | undefined;
  open(name: string): Member | null;
  speculative?: boolean;
}

export class CutBlock implements Member {
  #host: CutBlockHost;
  #name: string;
  #head: Buffer[] = [];
  #headLen = 0;
  #inner: Member | null | undefined;

  constructor(host: CutBlockHost, name: string) {
    this.#host = host;
    this.#name = name;
  }

  async update(chunk: Buffer): Promise<void> {
    if (this.#inner !== undefined) return this.#inner?.update(chunk);
    this.#head.push(Buffer.from(chunk));
    this.#headLen += chunk.length;
    if (this.#headLen >= HEAD) await this.#choose();
  }

  async #choose(): Promise<void> {
    const head = Buffer.concat(this.#head);
    this.#head = [];
    const { ctx, path, speculative } = this.#host;
    const kind = compressionOf(head);
    // (clamd does not unpack a stream inside a WARC record: what it holds goes to it decoded.)
    this.#inner = kind === 'gzip' || kind === 'zstd' ? new DecompressHandler(ctx, path, kind, (n) => this.#host.open(n), this.#name, { speculative, av: true, cutShort: true }) : this.#host.open(this.#name);
    await this.#inner?.update(head);
  }

  async finish(): Promise<void> {
    if (this.#inner === undefined && this.#headLen) await this.#choose();
    await this.#inner?.finish();
  }

  abort(): void {
    this.#inner?.abort();
  }
}
