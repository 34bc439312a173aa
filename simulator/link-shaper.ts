import { Transform, type TransformCallback } from 'node:stream';
import type { KernelLink } from './kernel-shaping.js';
import { resetSocket } from './reset-socket.js';

// What one link does to the bytes crossing it: a token bucket shared by every
// connection of the link in that direction (so four uploads share the
// bandwidth, as on a real line), a one-way latency with jitter that keeps the
// byte order, and cut/restore. Packet loss is not modelled: this shapes a TCP
// stream, so loss would only show up as latency (said in the report).

export class TokenBucket {
  #rate: number | null;
  /** virtual time (ms) at which the bucket has sent everything asked of it */
  #busyUntil = 0;
  constructor(bytesPerSec: number | null) {
    this.#rate = bytesPerSec;
  }
  get rate(): number | null {
    return this.#rate;
  }
  setRate(bytesPerSec: number | null): void {
    this.#rate = bytesPerSec;
    this.#busyUntil = Math.min(this.#busyUntil, performance.now());
  }
  /** Resolves when n bytes may go (GCRA: reserve the time slot, allow a 50 ms burst). */
  take(n: number): Promise<void> | null {
    if (!this.#rate) return null;
    const now = performance.now();
    const start = Math.max(now, this.#busyUntil);
    this.#busyUntil = start + (n / this.#rate) * 1000;
    const wait = this.#busyUntil - now - 50;
    return wait > 1 ? new Promise((r) => setTimeout(r, wait)) : null;
  }
}

export interface Direction {
  bucket: TokenBucket;
  bytes: number;
}

export class LinkShaper {
  readonly id: string;
  latencyMs: number;
  jitterMs: number;
  readonly up: Direction;
  readonly down: Direction;
  #cut = false;
  #rand: () => number;
  readonly configured: { latencyMs: number; jitterMs: number; bandwidth: number | null };
  /** live sockets, reset on a cut */
  readonly sockets = new Set<import('node:net').Socket>();
  /** Isolation mode: the directions whose bandwidth the kernel shapes (their buckets stay open). */
  #kernel: KernelLink | null = null;

  constructor(id: string, o: { latencyMs: number; jitterMs: number; bandwidth: number | null }, rand: () => number) {
    this.id = id;
    this.latencyMs = o.latencyMs;
    this.jitterMs = o.jitterMs;
    this.configured = { ...o };
    this.up = { bucket: new TokenBucket(o.bandwidth), bytes: 0 };
    this.down = { bucket: new TokenBucket(o.bandwidth), bytes: 0 };
    this.#rand = rand;
  }
  get kernel(): KernelLink | null {
    return this.#kernel;
  }
  attachKernel(k: KernelLink): void {
    this.#kernel = k;
    if (k.up) this.up.bucket.setRate(null);
    if (k.down) this.down.bucket.setRate(null);
  }
  get isCut(): boolean {
    return this.#cut;
  }
  cut(): void {
    this.#cut = true;
    for (const s of this.sockets) resetSocket(s);
    this.sockets.clear();
  }
  restore(): void {
    this.#cut = false;
  }
  async degrade(o: { latencyMs: number | null; bandwidth: number | null }): Promise<void> {
    if (o.latencyMs !== null) this.latencyMs = o.latencyMs;
    if (o.bandwidth !== null) await this.#setBandwidth(o.bandwidth);
  }
  async heal(): Promise<void> {
    this.restore();
    this.latencyMs = this.configured.latencyMs;
    await this.#setBandwidth(this.configured.bandwidth);
  }
  async #setBandwidth(bps: number | null): Promise<void> {
    const k = this.#kernel;
    for (const [name, dir] of [['up', this.up], ['down', this.down]] as const) {
      // A kernel-shaped link always has a configured bandwidth, so bps is a number there.
      if (k?.[name] && bps !== null) await k.setRate(name, bps);
      else if (!k?.[name]) dir.bucket.setRate(bps);
    }
  }
  delay(): number {
    return this.latencyMs + (this.jitterMs ? this.#rand() * this.jitterMs : 0);
  }
  /** A stream stage for one direction of one connection. */
  stage(dir: Direction, onBytes: (n: number) => void): Transform {
    return new ShapedStream(this, dir, onBytes);
  }
}

/** Bounded in flight: at most this many bytes sit in the latency line per connection. */
const MAX_IN_FLIGHT = 4 * 1024 * 1024;

class ShapedStream extends Transform {
  #link: LinkShaper;
  #dir: Direction;
  #onBytes: (n: number) => void;
  #lastAt = 0;
  #inFlight = 0;
  #held: TransformCallback | null = null;
  #flushCb: TransformCallback | null = null;

  constructor(link: LinkShaper, dir: Direction, onBytes: (n: number) => void) {
    super({ highWaterMark: 64 * 1024 });
    this.#link = link;
    this.#dir = dir;
    this.#onBytes = onBytes;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    const wait = this.#dir.bucket.take(chunk.length);
    if (wait) wait.then(() => this.#schedule(chunk, cb), cb);
    else this.#schedule(chunk, cb);
  }

  #schedule(chunk: Buffer, cb: TransformCallback): void {
    const now = performance.now();
    // Never before the previous chunk: a TCP stream keeps its order whatever the jitter.
    const at = Math.max(this.#lastAt, now + this.#link.delay());
    this.#lastAt = at;
    this.#inFlight += chunk.length;
    const release = () => {
      this.#inFlight -= chunk.length;
      this.#dir.bytes += chunk.length;
      this.#onBytes(chunk.length);
      this.push(chunk);
      if (this.#held && this.#inFlight < MAX_IN_FLIGHT) {
        const h = this.#held;
        this.#held = null;
        h();
      }
      if (this.#flushCb && this.#inFlight === 0) this.#flushCb();
    };
    if (at - now < 1) release();
    else setTimeout(release, at - now);
    if (this.#inFlight < MAX_IN_FLIGHT) cb();
    else this.#held = cb;
  }

  override _flush(cb: TransformCallback): void {
    if (this.#inFlight === 0) cb();
    else this.#flushCb = cb;
  }
}
