import type { GatewayContext } from '../context.js';
import type { Transfer, Withdrawal } from '../store/transfer-store.js';
import { gatewayId } from '../../protocol/ferry-id.js';
import { settleWithdrawal } from './withdraw.js';
import type { RouteTable } from '../routing/route-table.js';
import { retryDelay } from './backoff.js';
import { expireDue, expireRelayed, purgeSettled, PURGE_BATCH, sweepRetained, SWEEP_BATCH } from './housekeeping.js';
import { RELAY_POLL_MAX_MS, settleDelivered, settleFinal, settleRelayed, settleRelayOutcome } from './settle.js';
import { PushSystem } from './transports/push-system.js';
import { holderName, RelayGateway, type PollResult } from './transports/relay-gateway.js';
import type { Outcome } from './transports/transport.js';

// The scheduler takes due transfers off the durable queue and hands each to its
// transport (push to a system, relay to the next gateway), then settles what
// the attempt came to: delivered, relayed, refused for good, or tried again
// with backoff until the transfer expires. It also asks next gateways for the
// outcome of what was relayed, and runs the housekeeping (expiry, retention).

/** How often spool files past their retention are looked for. */
const RETENTION_SWEEP_MS = 60_000;
/** With a backlog of sweeping (a full batch last time), the next batch this soon. */
const SWEEP_AGAIN_MS = 200;
/** Outcome questions to next gateways in flight at once (a batch counts as one). */
const POLL_CONCURRENCY = 8;
/** Transfers asked about in one scheduled question (GET /v1/relay/status). */
const POLL_BATCH = 50;
/** On-demand questions (askNow): at most one per transfer in this time, each waited for this long. */
const ASK_GAP_MS = 250;
const ASK_WAIT_MS = 10_000;
/** Transfers whose last on-demand question is remembered; past it the memory starts afresh (bounded). */
const ASK_REMEMBERED = 10_000;
/** A withdrawal the next gateway could not do yet (an attempt of its own in hand): asked again this soon. */
const WITHDRAW_BUSY_MS = 250;

export class Scheduler {
  readonly #ctx: GatewayContext;
  readonly #push: PushSystem;
  readonly #relay: RelayGateway;
  readonly #active = new Map<string, Promise<void>>();
  readonly #polling = new Map<string, Promise<void>>();
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | null = null;
  #ticking = false;
  #again = false;
  #stopped = false;
  #lastSweep = 0;
  #sweepBacklog = false;
  #lastExpiryScan = 0;
  /** Outcome questions in flight (a batch is one). */
  #questions = 0;
  /** When each transfer was last asked about on demand (askNow), to bound how often. */
  readonly #asked = new Map<string, number>();
  /** Failed attempts in a row per destination since its last success. */
  readonly #consecutive = new Map<string, number>();

  constructor(ctx: GatewayContext, routes: RouteTable) {
    this.#ctx = ctx;
    this.#push = new PushSystem(ctx);
    this.#relay = new RelayGateway(ctx, routes);
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
    await Promise.allSettled([...this.#active.values(), ...this.#polling.values()]);
    await Promise.allSettled([this.#push.close(), this.#relay.close()]);
  }

  get active(): number {
    return this.#active.size;
  }

  async #tick(): Promise<void> {
    this.#timer = null;
    this.#ticking = true;
    const ctx = this.#ctx;
    // Whether this look started anything: if not, what is due is already in hand.
    let started = 0;
    try {
      if (Date.now() - this.#lastSweep > (this.#sweepBacklog ? SWEEP_AGAIN_MS : RETENTION_SWEEP_MS)) {
        this.#lastSweep = Date.now();
        const swept = await sweepRetained(ctx);
        const purged = await purgeSettled(ctx);
        this.#sweepBacklog = swept >= SWEEP_BATCH || purged >= PURGE_BATCH;
      }
      // Expiry is a matter of seconds: look once a second, not on every wake.
      if (Date.now() - this.#lastExpiryScan >= 1000) {
        this.#lastExpiryScan = Date.now();
        await expireDue(ctx, (id) => this.#active.has(id));
        await expireRelayed(ctx, (id) => this.#polling.has(id));
      }
      const free = ctx.config.delivery.concurrency - this.#active.size;
      if (free > 0) {
        for (const row of await ctx.queue.claimDue(free)) {
          this.#track(this.#active, row.id, this.#attempt(row));
          started++;
        }
      }
      if (this.#questions < POLL_CONCURRENCY) started += await this.#askDue();
    } catch (err) {
      ctx.log.error({ err }, 'scheduler tick failed');
    } finally {
      this.#ticking = false;
    }
    if (this.#stopped) return;
    if (this.#again) {
      this.#again = false;
      this.wake();
      return;
    }
    // Sleep until the next retry or question is due, but look at least once a second for expiries.
    let next: number | null = null;
    try {
      next = await ctx.queue.nextDueTime();
    } catch (err) {
      ctx.log.error({ err }, 'scheduler could not read the queue');
    }
    // A due time already past with nothing started means every due transfer is in hand (an attempt, or a
    // question to a next gateway in flight or waiting for a free one): each one that ends wakes the scheduler,
    // so looking again at once would only spin.
    const inHand = started === 0 && next !== null && next <= Date.now();
    const wait = Math.min(this.#sweepBacklog ? SWEEP_AGAIN_MS : 1000, next === null || inHand ? 1000 : Math.max(0, next - Date.now()));
    this.#timer = setTimeout(() => void this.#tick(), this.#active.size >= ctx.config.delivery.concurrency ? 1000 : wait);
  }

  #track(map: Map<string, Promise<void>>, id: string, p: Promise<void>): void {
    map.set(id, p.finally(() => {
      map.delete(id);
      this.wake();
    }));
  }

  /**
   * Nothing an attempt throws (a full disk under the audit log, a closed database)
   * may escape as an unhandled rejection and take the gateway down: it is logged,
   * and the transfer is tried again later.
   */
  async #attempt(row: Transfer): Promise<void> {
    const ctx = this.#ctx;
    try {
      const transport = row.delivery === 'relay' ? this.#relay : this.#push;
      await this.#settle(row, await transport.send(row, this.#abort.signal));
    } catch (err) {
      ctx.log.error({ transfer: row.id, err }, 'delivery bookkeeping failed; the transfer will be tried again');
      try {
        await ctx.queue.reschedule(row.id, Date.now() + ctx.config.delivery.retryMaxMs, `internal error: ${(err as Error).message}`);
      } catch {
        /* recovery at restart puts interrupted transfers back in the queue */
      }
    }
  }

  /** Per-destination counters an operator alerts on: failures, retries, failures in a row. */
  #count(row: Transfer, o: Outcome): void {
    const m = this.#ctx.metrics;
    const destination = row.destination;
    const failed = o.kind !== 'delivered' && o.kind !== 'relayed';
    const run = failed ? (this.#consecutive.get(destination) ?? 0) + 1 : 0;
    if (run) this.#consecutive.set(destination, run);
    else this.#consecutive.delete(destination);
    m.consecutiveFailures.set({ destination }, run);
    if (failed) m.deliveryFailures.inc({ destination });
    if (failed && o.kind !== 'refused' && !this.#stopped) m.deliveryRetries.inc({ destination });
  }

  async #settle(row: Transfer, o: Outcome): Promise<void> {
    const ctx = this.#ctx;
    this.#count(row, o);
    if (o.kind === 'delivered') return void (await settleDelivered(ctx, row, o.deliveredTo, o.details));
    if (o.kind === 'relayed') return settleRelayed(ctx, row, o.hops, o.details);
    if (o.kind === 'refused') return settleFinal(ctx, row, o.state, o.reason, o.details, o.hops);
    if (this.#stopped) return void (await ctx.queue.reschedule(row.id, Date.now(), o.reason));
    const delay = retryDelay(row.attempts, ctx.config.delivery.retryInitialMs, ctx.config.delivery.retryMaxMs);
    const next = Date.now() + delay;
    // Cancelled (or settled) while this attempt was in hand: it stays so, and is not retried.
    if (!(await ctx.queue.reschedule(row.id, next, o.reason))) return;
    await ctx.audit.append({
      event: 'forwarded', transferId: row.id, principal: row.principal, source: row.source, destination: row.destination, size: row.size, sha256: row.sha256,
      details: { attempt: row.attempts, outcome: 'retry', reason: o.reason, next_attempt_at: new Date(next).toISOString(), ...o.details },
    });
    ctx.log.warn({ transfer: row.id, attempt: row.attempts, retryInMs: delay, reason: o.reason }, 'delivery will be retried');
  }

  /**
   * The sender (or the gateway before this one) asks where a relayed transfer stands:
   * the next gateway is asked now, once at a time per transfer and not more often than
   * ASK_GAP_MS, and the answer waited for at most ASK_WAIT_MS; the scheduled questions go on.
   * Each gateway on the way does the same when asked, so the answer comes from the end.
   */
  async askNow(id: string): Promise<void> {
    if (this.#stopped) return;
    let p = this.#polling.get(id);
    if (!p) {
      const last = this.#asked.get(id);
      if (last !== undefined && Date.now() - last < ASK_GAP_MS) return;
      const row = await this.#ctx.queue.get(id);
      // A poll of it may have started while the row was read (the scheduler, or the same question twice): wait for that one.
      p = this.#polling.get(id);
      if (!p) {
        if (this.#stopped || !row || row.state !== 'relayed') return;
        if (this.#asked.size >= ASK_REMEMBERED) this.#asked.clear();
        this.#asked.set(id, Date.now());
        this.#track(this.#polling, id, this.#poll(row));
        p = this.#polling.get(id)!;
      }
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([p, new Promise<void>((r) => { timer = setTimeout(r, ASK_WAIT_MS); })]);
    clearTimeout(timer);
  }

  /**
   * The relayed transfers whose question is due: withdrawals one by one, the others in
   * batches per route (one GET /v1/relay/status for up to POLL_BATCH transfers), at most
   * POLL_CONCURRENCY questions in flight.
   */
  async #askDue(): Promise<number> {
    let launched = 0;
    const due = (await this.#ctx.queue.relayedDue(POLL_BATCH * POLL_CONCURRENCY + this.#polling.size)).filter((r) => !this.#polling.has(r.id));
    const byRoute = new Map<string, Transfer[]>();
    for (const row of due) {
      if (row.withdrawal) {
        if (this.#questions < POLL_CONCURRENCY) {
          this.#launch([row], this.#poll(row));
          launched++;
        }
        continue;
      }
      // Asked together only of the gateway that holds them all (not the route as it stands now).
      const holder = holderName(row);
      const group = byRoute.get(holder) ?? byRoute.set(holder, []).get(holder)!;
      group.push(row);
    }
    for (const group of byRoute.values()) {
      for (let i = 0; i < group.length && this.#questions < POLL_CONCURRENCY; i += POLL_BATCH) {
        const rows = group.slice(i, i + POLL_BATCH);
        this.#launch(rows, this.#pollBatch(rows));
        launched++;
      }
    }
    return launched;
  }

  /** One question in flight, about these transfers. */
  #launch(rows: Transfer[], p: Promise<void>): void {
    this.#questions++;
    const done = p.catch((err: unknown) => this.#ctx.log.error({ err }, 'an outcome question failed; asking again later')).finally(() => { this.#questions--; });
    for (const row of rows) this.#track(this.#polling, row.id, done);
  }

  async #pollBatch(rows: Transfer[]): Promise<void> {
    this.#ctx.metrics.relayQuestions.inc({ kind: 'batch' });
    this.#ctx.metrics.relayQuestioned.inc(rows.length);
    const results = await this.#relay.pollMany(rows, this.#abort.signal);
    for (const row of rows) await this.#take(row, results.get(row.id) ?? { settled: false, hops: null, reason: null });
  }

  async #poll(row: Transfer): Promise<void> {
    this.#ctx.metrics.relayQuestions.inc({ kind: row.withdrawal ? 'withdrawal' : 'single' });
    try {
      if (row.withdrawal) return await this.#withdraw(row as Transfer & { withdrawal: Withdrawal });
    } catch (err) {
      this.#ctx.log.error({ transfer: row.id, err }, 'could not record the answer to a withdrawal; asking again later');
      await this.#ctx.queue.pollLater(row.id, Date.now() + RELAY_POLL_MAX_MS, null, null).catch(() => undefined);
      return;
    }
    await this.#take(row, await this.#relay.poll(row, this.#abort.signal));
  }

  /** What an answer about a relayed transfer comes to: settled, or asked again later. */
  async #take(row: Transfer, r: PollResult): Promise<void> {
    const ctx = this.#ctx;
    try {
      if (r.settled) return await settleRelayOutcome(ctx, row, r);
      if (r.unverified) await this.#notTaken(row, r.reason);
      const delay = Math.min(RELAY_POLL_MAX_MS, 100 * 2 ** Math.min(row.polls + 1, 10));
      await ctx.queue.pollLater(row.id, Date.now() + delay, r.hops ?? null, r.reason);
    } catch (err) {
      ctx.log.error({ transfer: row.id, err }, 'could not record the outcome of a relayed transfer; asking again later');
      await ctx.queue.pollLater(row.id, Date.now() + RELAY_POLL_MAX_MS, null, null).catch(() => undefined);
    }
  }

  /** Withdrawing a relayed transfer from the next gateway (delivery/withdraw.ts): asked again until it answers. */
  async #withdraw(row: Transfer & { withdrawal: Withdrawal }): Promise<void> {
    const ctx = this.#ctx;
    const r = await this.#relay.withdraw(row, this.#abort.signal);
    if (r.answer) return settleWithdrawal(ctx, row, r.answer);
    // Refused, busy or unreachable: each distinct reason is a record here too (the next gateway audits its refusals).
    await this.#notTaken(row, r.reason, r.unverified ? 'report-refused' : 'withdrawal-unanswered');
    // Busy there (an attempt in hand, or withdrawing it further down): soon again at first, then less and less
    // often, like an unreachable gateway, up to RELAY_POLL_MAX_MS (a chain whose end is down must not be asked 4 times a second for ever).
    const backoff = Math.min(RELAY_POLL_MAX_MS, 100 * 2 ** Math.min(row.polls + 1, 10));
    const delay = r.busy ? Math.max(WITHDRAW_BUSY_MS, Math.min(backoff, WITHDRAW_BUSY_MS * 2 ** Math.min(row.polls, 5))) : backoff;
    await ctx.queue.pollLater(row.id, Date.now() + delay, null, r.reason);
  }

  /** An answer of the next gateway that does not verify (or a withdrawal not answered) is recorded once per distinct reason. */
  async #notTaken(row: Transfer, reason: string | null, outcome = 'report-refused'): Promise<void> {
    const ctx = this.#ctx;
    if (reason === row.reason) return;
    await ctx.audit.append({
      event: 'forwarded', transferId: row.id, principal: row.principal, source: row.source, destination: row.destination, size: row.size, sha256: row.sha256,
      details: { outcome, reason, next_hop: row.nextHop ? gatewayId(row.nextHop) : null },
    });
    ctx.log.warn({ transfer: row.id, next_hop: row.nextHop, reason, outcome }, 'an answer of the next gateway was not taken');
  }
}
