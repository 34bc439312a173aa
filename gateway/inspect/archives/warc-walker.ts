import type { InspectContext } from '../context/inspect-context.js';
import type { Member } from '../context/member.js';
import { scanMeta } from '../scan/name-scan.js';
import { isWarc } from '../signatures/warc-signature.js';
import { CutBlock } from './cut-block.js';
import { blankLineEnd, HttpMessage } from './http-message.js';
import { WarcSegments } from './warc-segments.js';

// A web archive (WARC, ISO 28500: 1.0 and 1.1) read as it streams: each record is a version line and header
// fields up to a blank line, then Content-Length bytes of block, then CRLF CRLF. The header fields are read as
// text; a block holding an HTTP message (application/http) is read as one (http-message.ts: its body de-chunked
// and decoded), any other block is inspected as content. Only a record's header is buffered. A .warc.gz (a gzip
// member per record) reaches here decompressed, as one stream (decompress-handler.ts). Before fpfix3 a WARC was
// text: a gzip body found by its signature ran on into the next record's header (archive-broken), and a br body
// crossed unread.

/** A record's header is read whole, up to this size. */
const MAX_HEADER = 64 * 1024;

export interface WarcHost {
  ctx: InspectContext;
  path: string | undefined;
  openMember(name: string): Member | null;
  /** Found in a decoded view: its records are read, its breaks are not findings. */
  speculative?: boolean;
}

export class WarcWalker {
  #host: WarcHost;
  #mode: 'between' | 'header' | 'block' | 'stop' = 'between';
  #header: Buffer[] = [];
  #headerLen = 0;
  #left = 0;
  #record: Member | null = null;
  #records = 0;
  #pos = 0;
  /** Records cut in segments, joined wherever their segments stand (warc-segments.ts). */
  #segments: WarcSegments;
  /** The record under way is a segment: its member is the chain's, not finished at its block's end. */
  #inSegments = false;

  constructor(host: WarcHost) {
    this.#host = host;
    this.#segments = new WarcSegments(host.ctx, host.path, (name) => host.openMember(name));
  }

  #broken(detail: string): void {
    this.#host.ctx.archiveBroken(this.#host.path, this.#pos, detail, this.#host.speculative);
    this.abort();
  }

  abort(): void {
    this.#mode = 'stop';
    if (!this.#inSegments) this.#record?.abort();
    this.#record = null;
    this.#segments.abort();
    this.#header = [];
  }

  async update(chunk: Buffer): Promise<void> {
    let data = chunk;
    while (data.length > 0) {
      if (this.#mode === 'stop') return;
      if (this.#mode === 'between') {
        // The CRLF CRLF that ends a record, and any further line breaks, hold nothing; anything else starts a header.
        let i = 0;
        while (i < data.length && (data[i] === 0x0d || data[i] === 0x0a)) i++;
        this.#pos += i;
        data = data.subarray(i);
        if (data.length) this.#mode = 'header';
        continue;
      }
      if (this.#mode === 'header') {
        const used = this.#takeHeader(data);
        if (used < 0) return; // broken
        this.#pos += used;
        data = data.subarray(used);
        if (this.#mode === 'header') continue;
        if (this.#left === 0) await this.#endRecord();
        continue;
      }
      const n = Math.min(this.#left, data.length);
      await this.#record?.update(data.subarray(0, n));
      this.#left -= n;
      this.#pos += n;
      data = data.subarray(n);
      if (this.#left === 0) await this.#endRecord();
    }
  }

  /** Gathers header bytes; at its blank line opens the record. Returns the bytes taken, -1 when broken. */
  #takeHeader(data: Buffer): number {
    // Search from a little before the new bytes, so that a blank line cut between two chunks is found.
    const before = Math.min(3, this.#headerLen);
    const prev = before ? Buffer.concat(this.#header).subarray(this.#headerLen - before) : Buffer.alloc(0);
    const joined = Buffer.concat([prev, data]);
    const end = blankLineEnd(joined);
    const take = end < 0 ? data.length : end - before;
    this.#header.push(data.subarray(0, take));
    this.#headerLen += take;
    if (this.#headerLen > MAX_HEADER) {
      this.#broken(`a WARC record header is longer than ${MAX_HEADER} bytes`);
      return -1;
    }
    if (end < 0) return take;
    const header = Buffer.concat(this.#header);
    this.#header = [];
    this.#headerLen = 0;
    return this.#open(header) ? take : -1;
  }

  /** Reads a complete header: its fields as text, its length, and the member its block goes to. */
  #open(header: Buffer): boolean {
    const { ctx, path } = this.#host;
    const lines = header.toString('latin1').replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
    if (!isWarc(Buffer.from(`${lines[0]}\r\n`, 'latin1'))) {
      this.#broken(this.#records === 0 ? 'the WARC file does not start with a WARC record' : 'bytes between WARC records are not a WARC record');
      return false;
    }
    const fields = new Map<string, string>();
    for (const line of lines.slice(1)) {
      if (!line) continue;
      for (let at = 0; at < line.length; at += 4000) scanMeta(ctx, Buffer.from(line.slice(at, at + 4096), 'latin1'), path);
      const colon = line.indexOf(':');
      if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const length = fields.get('content-length');
    if (!length || !/^\d{1,15}$/.test(length)) {
      this.#broken('a WARC record has no valid Content-Length');
      return false;
    }
    this.#left = Number(length);
    this.#records++;
    this.#mode = 'block';
    this.#inSegments = false;
    const type = (fields.get('warc-type') ?? 'record').toLowerCase().replace(/[^a-z-]/g, '').slice(0, 20);
    // A record is named by its place, not its URI: a URI's extension promises nothing of what the server sent.
    const name = `(WARC record ${this.#records}, ${type})`;
    const number = fields.get('warc-segment-number') ?? '';
    const origin = fields.get('warc-segment-origin-id');
    if (type === 'continuation' && origin && /^\d{1,9}$/.test(number) && Number(number) >= 2) {
      // The last segment carries the whole length; a segment again, or one past the bound, is read apart.
      const m = this.#segments.continuation(origin, Number(number), fields.has('warc-segment-total-length'), name);
      if (m) {
        this.#record = m;
        this.#inSegments = true;
        return true;
      }
    }
    if (this.#left === 0) return true;
    if (!ctx.countMember(path)) {
      this.abort();
      return false;
    }
    const http = /^application\/http\b/i.test(fields.get('content-type') ?? '');
    const guess = !fields.has('content-type') && (type === 'response' || type === 'request' || type === 'revisit');
    // WARC-Truncated (ISO 28500: length, time, disconnect or unspecified): the block holds less than was sent.
    const truncated = (fields.get('warc-truncated') ?? '') !== '';
    const host = { ctx, path, open: (n: string) => this.#host.openMember(n), speculative: this.#host.speculative, truncated };
    this.#record = http || guess ? new HttpMessage(host, name, http) : truncated ? new CutBlock(host, name) : this.#host.openMember(name);
    const id = fields.get('warc-record-id');
    if (number === '1' && id && this.#record) this.#inSegments = this.#segments.first(id, this.#record, name);
    return true;
  }

  async #endRecord(): Promise<void> {
    const r = this.#record;
    this.#record = null;
    this.#mode = 'between';
    if (!this.#inSegments) return r?.finish();
    this.#inSegments = false;
    await this.#segments.endBlock();
  }

  async finish(): Promise<void> {
    if (this.#mode === 'stop') return;
    if (this.#mode === 'block' || this.#headerLen > 0 || this.#records === 0) return this.#broken('the WARC file is truncated');
    // A segmented record whose last segment is not in this file: read as far as it goes.
    await this.#segments.finish();
  }
}
