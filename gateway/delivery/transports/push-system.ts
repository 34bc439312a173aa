import { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import type { GatewayContext } from '../../context.js';
import { maskText } from '../../log/mask.js';
import type { Transfer } from '../../store/transfer-store.js';
import { isPermanentRefusal } from '../backoff.js';
import { deliveryHeaders } from '../delivery-headers.js';
import { peerIdentityCheck } from './peer-identity.js';
import { readBounded } from '../../../protocol/read-bounded.js';
import { attemptDeadline, spoolBody, summarise } from './spool-body.js';
import type { Outcome, Transport } from './transport.js';

// Push to a destination system on a network this gateway borders: a new
// request made by the gateway over mutual TLS (protocol termination: nothing
// of the sender's connection or headers goes along).

const MAX_ANSWER_BYTES = 64 * 1024;

export class PushSystem implements Transport {
  readonly #ctx: GatewayContext;
  readonly #agents = new Map<string, Agent>();

  constructor(ctx: GatewayContext) {
    this.#ctx = ctx;
    // A renewed certificate or a new CA bundle: new connections use it; the old
    // agents finish the requests they carry, then close.
    ctx.trust.tls.onChange(() => {
      const old = [...this.#agents.values()];
      this.#agents.clear();
      for (const a of old) void a.close().catch(() => undefined);
    });
  }

  #agentFor(destination: string): Agent {
    let agent = this.#agents.get(destination);
    if (!agent) {
      const d = this.#ctx.config.delivery;
      agent = new Agent({
        connect: { ...this.#ctx.trust.tls.current, checkServerIdentity: peerIdentityCheck(`ferry://${destination}`, this.#ctx.trust), timeout: d.connectTimeoutMs },
        headersTimeout: d.bodyTimeoutMs,
        bodyTimeout: d.bodyTimeoutMs,
        connections: d.concurrency,
      });
      this.#agents.set(destination, agent);
    }
    return agent;
  }

  async send(row: Transfer, signal: AbortSignal): Promise<Outcome> {
    const dest = this.#ctx.config.destinations.get(row.destination);
    if (!dest?.url) return { kind: 'refused', state: 'failed', reason: `no push endpoint is configured for ${row.destination}`, details: {} };
    const body = spoolBody(this.#ctx, row);
    try {
      const res = await request(dest.url, {
        method: 'PUT',
        dispatcher: this.#agentFor(row.destination),
        signal: AbortSignal.any([signal, attemptDeadline(row.size)]),
        body: Readable.from(this.#recorded(row, body), { objectMode: false }),
        headers: { ...deliveryHeaders(row, this.#ctx.identity), 'content-length': String(row.size), 'idempotency-key': row.id, 'ferry-to': row.destination },
      });
      const answer = (await readBounded(res.body, MAX_ANSWER_BYTES)).text;
      if (res.statusCode >= 200 && res.statusCode < 300) return { kind: 'delivered', deliveredTo: `ferry://${row.destination}`, details: { status: res.statusCode } };
      // The destination's words are not ours: masked like anything else that may reach a log.
      const reason = `the destination answered ${res.statusCode}${answer ? `: ${maskText(summarise(answer))}` : ''}`;
      return isPermanentRefusal(res.statusCode)
        ? { kind: 'refused', state: 'failed', reason, details: { status: res.statusCode } }
        : { kind: 'retry', reason, details: { status: res.statusCode } };
    } catch (err) {
      // Content that no longer hashes to what was accepted will not get better by retrying.
      return body.mismatch
        ? { kind: 'refused', state: 'failed', reason: body.mismatch, details: {} }
        : { kind: 'retry', reason: `delivery failed: ${(err as Error).message}`, details: {} };
    } finally {
      // An attempt that never reached the receiver never started the wrapper below, so undici's destroying it
      // does not reach the spool stream: closed here, or each retry to an unreachable destination leaks a descriptor.
      if (!body.destroyed) body.destroy();
    }
  }

  /**
   * The body as undici takes it, recorded as handed out before its first byte leaves (docs/audit-log.md,
   * "Content handed out"): an attempt cut by a `kill -9` after the receiver read some of it leaves that trail,
   * not only attempts that came to an outcome. undici reads the body once connected, so an attempt that never
   * reached the receiver is no record. A file's record is durable first (one commit an attempt, grouped with
   * others); a message's rides with the next commit, as a subscription's frames do (issue #15).
   */
  async *#recorded(row: Transfer, body: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    let first = true;
    for await (const chunk of body) {
      if (first) {
        first = false;
        const entry = {
          event: 'handed-out', transferId: row.id, principal: row.principal, source: row.source, destination: row.destination, size: row.size, sha256: row.sha256,
          details: { handed_to: `ferry://${row.destination}`, via: 'push', attempts: row.attempts },
        } as const;
        if (row.kind === 'message') void this.#ctx.audit.appendSoon([entry]).catch((err: unknown) => this.#ctx.log.error({ err, transfer: row.id }, 'could not record a push handed out'));
        else await this.#ctx.audit.append(entry);
      }
      yield chunk;
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#agents.values()].map((a) => a.close()));
  }
}
