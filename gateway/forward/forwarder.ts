import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Agent, request } from 'undici';
import type { GatewayContext } from '../context.js';
import type { TransferRow } from '../queue/transfer-queue.js';
import { maskText } from '../log/mask.js';
import { openSpool } from '../spool/spool-reader.js';
import { isPermanentRefusal, retryDelay } from './backoff.js';
import { destinationIdentityCheck } from './destination-identity.js';
import { settleDelivered, settleFinal, sweepRetained } from './settle.js';

// The forwarder takes due transfers off the durable queue and pushes each to its
// destination over mutual TLS, as a new request made by the gateway: nothing of
// the sender's connection or headers goes along (protocol termination). A
// failure that may pass is retried with backoff until the transfer expires; a
// refusal by the destination ends it.

const MAX_ANSWER_BYTES = 64 * 1024;
/** How often spool files past their retention are looked for. */
const RETENTION_SWEEP_MS = 60_000;

export class Forwarder {
  readonly #ctx: GatewayContext;
  readonly #agents = new Map<string, Agent>();
  readonly #active = new Map<string, Promise<void>>();
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | null = null;
  #ticking = false;
  #again = false;
  #stopped = false;
  #lastSweep = 0;
  #lastExpiryScan = 0;

  constructor(ctx: GatewayContext) {
    this.#ctx = ctx;
    // A renewed certificate or new CA bundle: new connections use it; the old
    // agents finish the requests they carry, then close.
    ctx.trust.tls.onChange(() => {
      const old = [...this.#agents.values()];
      this.#agents.clear();
      for (const a of old) void a.close().catch(() => undefined);
    });
  }

  start(): void {
    this.wake();
  }

  /** New work may be due: look now (coalesced). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#ticking) {
      this.#again = true;
      return;
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#tick(), 0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#abort.abort();
    await Promise.allSettled(this.#active.values());
    await Promise.allSettled([...this.#agents.values()].map((a) => a.close()));
  }

  get active(): number {
    return this.#active.size;
  }

  async #tick(): Promise<void> {
    this.#timer = null;
    this.#ticking = true;
    try {
      if (Date.now() - this.#lastSweep > RETENTION_SWEEP_MS) {
        this.#lastSweep = Date.now();
        await sweepRetained(this.#ctx);
      }
      // Expiry is a matter of seconds: look once a second, not on every wake.
      let expiries: TransferRow[] = [];
      if (Date.now() - this.#lastExpiryScan >= 1000) {
        this.#lastExpiryScan = Date.now();
        expiries = this.#ctx.queue.expiredDue();
      }
      for (const row of expiries) {
        if (this.#active.has(row.id)) continue;
        await settleFinal(this.#ctx, row, 'expired', `not delivered within ${Math.round(this.#ctx.config.delivery.expireAfterMs / 1000)} s${row.reason ? `; last error: ${row.reason}` : ''}`);
      }
      const free = this.#ctx.config.delivery.concurrency - this.#active.size;
      if (free > 0) {
        for (const row of this.#ctx.queue.claimDue(free)) {
          const p = this.#deliverSafely(row).finally(() => {
            this.#active.delete(row.id);
            this.wake();
          });
          this.#active.set(row.id, p);
        }
      }
    } catch (err) {
      this.#ctx.log.error({ err }, 'forwarder tick failed');
    } finally {
      this.#ticking = false;
    }
    if (this.#stopped) return;
    if (this.#again) {
      this.#again = false;
      this.wake();
      return;
    }
    // Sleep until the next retry is due, but look at least once a second for expiries.
    let next: number | null = null;
    try {
      next = this.#ctx.queue.nextDueTime();
    } catch (err) {
      this.#ctx.log.error({ err }, 'forwarder could not read the queue');
    }
    const wait = next === null ? 1000 : Math.max(0, Math.min(1000, next - Date.now()));
    this.#timer = setTimeout(() => void this.#tick(), this.#active.size >= this.#ctx.config.delivery.concurrency ? 1000 : wait);
  }

  #agentFor(destination: string): Agent {
    let agent = this.#agents.get(destination);
    if (!agent) {
      const d = this.#ctx.config.delivery;
      agent = new Agent({
        connect: { ...this.#ctx.trust.tls.current, checkServerIdentity: destinationIdentityCheck(destination, this.#ctx.trust), timeout: d.connectTimeoutMs },
        headersTimeout: d.bodyTimeoutMs,
        bodyTimeout: d.bodyTimeoutMs,
        connections: d.concurrency,
      });
      this.#agents.set(destination, agent);
    }
    return agent;
  }

  /**
   * Nothing a delivery throws (a full disk under the audit log, a closed database)
   * may escape as an unhandled rejection and take the gateway down: it is logged,
   * and the transfer is tried again later.
   */
  async #deliverSafely(row: TransferRow): Promise<void> {
    try {
      await this.#deliver(row);
    } catch (err) {
      this.#ctx.log.error({ transfer: row.id, err }, 'delivery bookkeeping failed; the transfer will be tried again');
      try {
        await this.#ctx.queue.reschedule(row.id, Date.now() + this.#ctx.config.delivery.retryMaxMs, `internal error: ${(err as Error).message}`);
      } catch {
        /* recovery at restart puts interrupted transfers back in the queue */
      }
    }
  }

  async #deliver(row: TransferRow): Promise<void> {
    const ctx = this.#ctx;
    const dest = ctx.config.destinations.get(row.destination);
    if (!dest?.url) {
      await settleFinal(ctx, row, 'failed', `no push endpoint is configured for ${row.destination}`);
      return;
    }
    let outcome: { ok: true; status: number } | { ok: false; permanent: boolean; reason: string; status?: number };
    const check = new HashCheck(row.sha256);
    try {
      const plain = openSpool(join(ctx.spoolDir, row.spool), ctx.keys, ctx.sodium);
      // pipeline: when the request fails, both streams are destroyed and the spool file closed.
      pipeline(plain, check).catch(() => undefined);
      // Per-chunk timeouts alone let a destination that trickles hold a slot for days:
      // each attempt gets a deadline that allows at least 1 MiB/s, and never less than a minute.
      const deadline = AbortSignal.timeout(60_000 + Math.ceil(row.size / (1024 * 1024)) * 1000);
      const res = await request(dest.url, {
        method: 'PUT',
        dispatcher: this.#agentFor(row.destination),
        signal: AbortSignal.any([this.#abort.signal, deadline]),
        body: check,
        headers: {
          'content-type': row.content_type ?? 'application/octet-stream',
          'content-length': String(row.size),
          'idempotency-key': row.id,
          'ferry-transfer-id': row.id,
          'ferry-from': row.source,
          'ferry-to': row.destination,
          'ferry-label': row.label,
          'ferry-sha256': row.sha256,
          'ferry-gateway': ctx.identity,
          'ferry-kind': row.kind,
          ...(row.channel ? { 'ferry-channel': row.channel } : {}),
          ...(row.filename ? { 'ferry-filename': encodeURIComponent(row.filename) } : {}),
        },
      });
      const answer = await readBounded(res.body, MAX_ANSWER_BYTES);
      if (res.statusCode >= 200 && res.statusCode < 300) outcome = { ok: true, status: res.statusCode };
      // The destination's words are not ours: masked like anything else that may reach a log.
      else outcome = { ok: false, permanent: isPermanentRefusal(res.statusCode), status: res.statusCode, reason: `the destination answered ${res.statusCode}${answer ? `: ${maskText(summarise(answer))}` : ''}` };
    } catch (err) {
      // Content that no longer hashes to what was accepted will not get better by retrying.
      outcome = check.mismatch
        ? { ok: false, permanent: true, reason: check.mismatch }
        : { ok: false, permanent: false, reason: `delivery failed: ${(err as Error).message}` };
    }
    if (outcome.ok) {
      await settleDelivered(ctx, row, `ferry://${row.destination}`, { status: outcome.status });
    } else if (outcome.permanent) {
      await settleFinal(ctx, row, 'failed', outcome.reason, { status: outcome.status });
    } else if (!this.#stopped) {
      const delay = retryDelay(row.attempts, ctx.config.delivery.retryInitialMs, ctx.config.delivery.retryMaxMs);
      const next = Date.now() + delay;
      await ctx.queue.reschedule(row.id, next, outcome.reason);
      await ctx.audit.append({
        event: 'forwarded', transferId: row.id, principal: row.principal, source: row.source, destination: row.destination, size: row.size, sha256: row.sha256,
        details: { attempt: row.attempts, outcome: 'retry', reason: outcome.reason, next_attempt_at: new Date(next).toISOString() },
      });
      ctx.log.warn({ transfer: row.id, attempt: row.attempts, retryInMs: delay, reason: outcome.reason }, 'delivery will be retried');
    } else {
      await ctx.queue.reschedule(row.id, Date.now(), outcome.reason);
    }
  }
}

/** Passes bytes through and fails the stream if they do not hash to what was accepted. */
class HashCheck extends Transform {
  readonly #hash = createHash('sha256');
  mismatch: string | null = null;
  constructor(readonly expected: string) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.#hash.update(chunk);
    cb(null, chunk);
  }
  override _flush(cb: TransformCallback): void {
    const got = this.#hash.digest('hex');
    if (got !== this.expected) this.mismatch = `the spool content hashes to ${got}, not the accepted ${this.expected}`;
    cb(this.mismatch ? new Error(this.mismatch) : null);
  }
}

async function readBounded(body: AsyncIterable<Buffer> & { destroy(): void }, max: number): Promise<string> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of body) {
    n += chunk.length;
    if (n > max) {
      body.destroy();
      break;
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}

function summarise(answer: string): string {
  try {
    const j = JSON.parse(answer) as { code?: string; detail?: string; title?: string };
    if (j.code || j.detail) return [j.code, j.detail ?? j.title].filter(Boolean).join(' ');
  } catch {
    /* not JSON */
  }
  return answer.replace(/\s+/g, ' ').slice(0, 200);
}
