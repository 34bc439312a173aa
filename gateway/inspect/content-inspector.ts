import { verdictFindings } from './av-findings.js';
import { ClamdScan } from './clamd-client.js';
import { joinPath, MAX_EXTRA_SCANS, RATIO_GRACE_BYTES, type InspectContext } from './inspect-context.js';
import { StreamInflater } from './stream-inflater.js';
import { TarWalker } from './tar-walker.js';
import { TextScanner, type Base64Event } from './text-scanner.js';
import { SNIFF_BYTES, sniff, type Sniffed } from './type-sniff.js';
import { typeMismatch } from './type-compare.js';
import { ZipWalker, type Member } from './zip-walker.js';

// One piece of content — the transfer itself, an archive member, a decoded
// base64 run — inspected as it streams: the first 4,100 bytes decide what it
// is, then one handler takes every byte: text is scanned, zip/gzip/tar are
// walked and their members inspected by child ContentInspectors (the same
// inspectors, one level deeper), anything else binary is only typed.

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
}

const GZIP_MAGIC = [0x1f, 0x8b];

function gunzippedName(filename: string | undefined): string {
  const base = (filename ?? '').split('/').pop() ?? '';
  if (/\.tgz$/i.test(base)) return base.replace(/\.tgz$/i, '.tar');
  if (/\.gz$/i.test(base)) return base.replace(/\.gz$/i, '');
  return '(gunzip)';
}

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
    const s = await sniff(all.subarray(0, SNIFF_BYTES), complete && all.length <= SNIFF_BYTES);
    this.#sniffed = s;
    const { ctx, path, filename, declaredType } = this.#o;
    if (s.sniffFailed) {
      ctx.tally.add({ kind: 'archive-broken', subkind: 'inspection-failed', path, detail: 'type detection did not finish within its time budget; the type is unknown' });
    }
    const reasons = typeMismatch(s.mime, declaredType, filename);
    if (reasons.length) {
      ctx.tally.add({ kind: 'type-mismatch', subkind: s.mime, path, offset: 0, detail: `${reasons.join(' and ')}, but the content is ${s.mime}` });
    }
    this.#handler = this.#choose(all, s);
    if (all.length) await this.#handler.update(all);
  }

  #choose(head: Buffer, s: Sniffed): Handler {
    const { ctx, depth } = this.#o;
    const isZip = head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6);
    const isGzip = head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
    const isTar = s.mime === 'application/x-tar';
    if (isZip || isGzip || isTar) {
      if (depth >= ctx.limits.maxDepth) {
        ctx.limit('depth', this.#o.path, `archive nested deeper than ${ctx.limits.maxDepth} levels; not opened`);
        return NOTHING;
      }
      if (isZip) return new ZipWalker({ ctx, path: this.#o.path, openMember: (name) => this.#child(name) });
      if (isTar) return new TarWalker({ ctx, path: this.#o.path, openMember: (name) => this.#child(name) });
      return new GzipHandler(ctx, this.#o.path, (name) => this.#child(name), gunzippedName(this.#o.filename ?? this.#o.path));
    }
    if (s.text) return new TextHandler(this.#o, s);
    return NOTHING;
  }

  #child(name: string): ContentInspector {
    return new ContentInspector({ ctx: this.#o.ctx, path: joinPath(this.#o.path, name), depth: this.#o.depth + 1, filename: name });
  }
}

const NOTHING: Handler = {
  update() {},
  async finish() {},
  abort() {},
};

/** Text: the scanner, plus a child inspector for each long base64 run it decodes. */
class TextHandler implements Handler {
  #scanner: TextScanner;
  #o: ContentOptions;
  #run: ContentInspector | null = null;
  #runPath = '';
  #runSkipped = false;
  #scan: ClamdScan | null = null;

  constructor(o: ContentOptions, s: Sniffed) {
    this.#o = o;
    this.#scanner = new TextScanner({
      matcher: o.ctx.matcher,
      tally: o.ctx.tally,
      path: o.path,
      encoding: s.text!.encoding,
      bom: s.text!.bom,
      markup: s.text!.markup,
      base64: o.depth < o.ctx.limits.maxDepth,
    });
  }

  update(chunk: Buffer): void | Promise<void> {
    const events = this.#scanner.write(chunk);
    if (events.length) return this.#events(events);
  }

  async finish(): Promise<void> {
    await this.#events(this.#scanner.end());
  }

  abort(): void {
    this.#run?.abort();
    this.#run = null;
    this.#scan?.abort();
    this.#scan = null;
  }

  /** The top-level clamd scan sees only the encoded text: a decoded run gets its own. */
  #openScan(path: string): void {
    const ctx = this.#o.ctx;
    if (!ctx.av) return;
    if (ctx.extraScans >= MAX_EXTRA_SCANS) {
      ctx.tally.add({ kind: 'av-unavailable', subkind: 'too-many-runs', path, detail: `more than ${MAX_EXTRA_SCANS} embedded base64 runs; the rest were not scanned` });
      return;
    }
    ctx.extraScans++;
    this.#scan = new ClamdScan(ctx.av);
  }

  async #events(events: Base64Event[]): Promise<void> {
    const ctx = this.#o.ctx;
    for (const e of events) {
      if (e.kind === 'open') {
        ctx.members++;
        this.#runSkipped = ctx.members > ctx.limits.maxMembers;
        if (this.#runSkipped) ctx.limit('members', undefined, `more than ${ctx.limits.maxMembers} members and embedded runs; the rest were not inspected`);
        else {
          this.#runPath = joinPath(this.#o.path, `base64@${e.offset}`);
          this.#run = new ContentInspector({ ctx, path: this.#runPath, depth: this.#o.depth + 1 });
          this.#openScan(this.#runPath);
        }
      } else if (e.kind === 'data') {
        if (this.#run && ctx.spend(e.bytes.length)) {
          const b = Buffer.from(e.bytes.buffer, e.bytes.byteOffset, e.bytes.length);
          await Promise.all([this.#scan?.write(b), this.#run.update(b)]);
        }
      } else {
        const run = this.#run;
        const scan = this.#scan;
        this.#run = null;
        this.#scan = null;
        if (run) await run.finish();
        if (scan) for (const f of verdictFindings(await scan.verdict(), this.#runPath)) ctx.tally.add(f);
      }
    }
  }
}

/** gzip (RFC 1952, members concatenated): inflate, inspect the one stream inside. */
class GzipHandler implements Handler {
  #ctx: InspectContext;
  #path: string | undefined;
  #inner: Member | null;
  #inflater: StreamInflater;
  #compressed = 0;
  #produced = 0;
  #cut = false;

  constructor(ctx: InspectContext, path: string | undefined, open: (name: string) => Member | null, name: string) {
    this.#ctx = ctx;
    this.#path = path;
    ctx.members++;
    this.#inner = open(name);
    this.#inflater = new StreamInflater('gzip', (d) => this.#expanded(d));
  }

  async #expanded(d: Buffer): Promise<void> {
    if (this.#cut) return;
    this.#produced += d.length;
    if (this.#produced > RATIO_GRACE_BYTES && this.#produced > this.#ctx.limits.maxRatio * Math.max(1, this.#compressed)) {
      this.#ctx.limit('ratio', this.#path, `gzip stream expands more than ${this.#ctx.limits.maxRatio} times; not inspected further`);
      return this.#stop();
    }
    if (!this.#ctx.spend(d.length)) return this.#stop();
    await this.#inner?.update(d);
  }

  #stop(): void {
    this.#cut = true;
    this.#inflater.destroy();
  }

  async update(chunk: Buffer): Promise<void> {
    if (this.#cut) return;
    this.#compressed += chunk.length;
    try {
      await this.#inflater.write(chunk);
    } catch (e) {
      this.#broken(e);
    }
  }

  #broken(e: unknown): void {
    this.#ctx.tally.add({ kind: 'archive-broken', path: this.#path, detail: `gzip stream is corrupt (${e instanceof Error ? e.message : String(e)})` });
    this.#stop();
  }

  async finish(): Promise<void> {
    if (!this.#cut) {
      try {
        await this.#inflater.end();
      } catch (e) {
        this.#broken(e);
      }
    }
    const inner = this.#inner;
    this.#inner = null;
    if (inner) await inner.finish();
  }

  abort(): void {
    this.#stop();
    this.#inner?.abort();
  }
}
