import { Agent, request } from 'undici';
import type { GatewayContext } from '../../context.js';
import { maskText } from '../../log/mask.js';
import type { Transfer } from '../../store/transfer-store.js';
import type { Receipt } from '../../../protocol/receipt.js';
import { ENVELOPE_HEADER, sealEnvelope, type Envelope } from '../../routing/envelope.js';
import { parseHops, type HopView } from '../../routing/hop-view.js';
import type { RouteTable } from '../../routing/route-table.js';
import type { Route } from '../../routing/routing-config.js';
import { isPermanentRefusal } from '../backoff.js';
import { peerIdentityCheck } from './peer-identity.js';
import { readBounded } from '../../../protocol/read-bounded.js';
import { attemptDeadline, spoolBody, summarise } from './spool-body.js';
import type { Outcome, Transport } from './transport.js';
import { gatewayId, parseFerryId } from '../../../protocol/ferry-id.js';
import { acceptedReceiptOk, checkReport, reportedHandedOut, type CheckedReport } from '../../routing/hop-report.js';
import { sealWithdrawal, WITHDRAWAL_HEADER } from '../../routing/withdrawal.js';
import { checkRefusal, REFUSAL_MEMBER } from '../../routing/signed-refusal.js';
import type { WithdrawAnswer } from '../withdraw.js';
import { KEY_HISTORY_HEADER } from '../../routing/key-history.js';
import type { KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

// Relay to the next-hop gateway of a route: a new mutual-TLS connection made
// with this gateway's own certificate (ferry://gateway/<name>) to the next
// gateway's listener, which must prove to be ferry://gateway/<via>. What this
// gateway says about the transfer travels in the signed envelope; the
// idempotency key is the transfer id, so a retry after a crash on either side
// is answered with the first answer and never queued twice. Afterwards the
// next gateway is asked now and then for the outcome (poll), until it settles.

const MAX_ANSWER_BYTES = 64 * 1024;
/**
 * A batched status answer: up to POLL_BATCH (50) reports, each as large as a single answer may be
 * (a report is a few KiB as a rule, at most 192 KiB): a smaller cap would fail a whole batch of long
 * reports on every question, leaving them to settle only by expiry.
 */
const MAX_BATCH_ANSWER_BYTES = 50 * MAX_ANSWER_BYTES * 4;
/** Codes of the next gateway that mean "not now" rather than "never". */
// FERRY_ENVELOPE_INVALID is waited out too: after this gateway rotates its keys
// (ferry keys rotate), the next one refuses its envelopes until its operator lists
// the new key under peers.<name>.key; the transfer waits for that (or expires) rather than failing.
const TRY_AGAIN = new Set(['FERRY_ENVELOPE_INVALID', 'FERRY_UPLOAD_IN_PROGRESS', 'FERRY_TOO_MANY_UPLOADS', 'FERRY_RATE_LIMITED', 'FERRY_NOT_READY', 'FERRY_STORAGE_UNAVAILABLE', 'FERRY_IDLE_TIMEOUT', 'FERRY_BODY_INCOMPLETE']);
const DENIALS = new Set(['FERRY_POLICY_DENIED', 'FERRY_CONTENT_DENIED', 'FERRY_CLASSIFIED_LABEL']);
const FINAL = new Set(['delivered', 'denied', 'failed', 'expired']);

export type PollResult =
  | { settled: true; state: 'delivered' | 'denied' | 'failed' | 'expired'; hops: HopView[]; reason: string | null; receipt: Receipt | null }
  | { settled: false; hops: HopView[] | null; reason: string | null; unverified?: boolean };

interface Problem { code?: string; detail?: string; rule?: string | null; findings?: unknown[]; [REFUSAL_MEMBER]?: unknown }

/**
 * A refusal the next gateway did not sign (or not for this transfer): a failure of the hop, tried again like
 * an unreachable gateway (the transfer expires if it never answers in a way that verifies), never its verdict.
 */
function unverifiedRefusal(peer: string, status: number, code: string, why: string): Outcome {
  return {
    kind: 'retry', reason: `FERRY_HOP_UNVERIFIED: ${peer} answered ${status} ${code.slice(0, 64)}, not taken as its verdict: ${why}`,
    details: { status, code: 'FERRY_HOP_UNVERIFIED', answered_code: code.slice(0, 64), unverified: why },
  };
}

export class RelayGateway implements Transport {
  readonly #ctx: GatewayContext;
  readonly #routes: RouteTable;
  readonly #agents = new Map<string, Agent>();

  constructor(ctx: GatewayContext, routes: RouteTable) {
    this.#ctx = ctx;
    this.#routes = routes;
    // A renewed certificate or a new CA bundle: new connections use it; the old
    // agents finish the requests they carry, then close.
    ctx.trust.tls.onChange(() => {
      const old = [...this.#agents.values()];
      this.#agents.clear();
      for (const a of old) void a.close().catch(() => undefined);
    });
  }

  #agentFor(route: Route): Agent {
    let agent = this.#agents.get(route.via);
    if (!agent) {
      const d = this.#ctx.config.delivery;
      agent = new Agent({
        connect: { ...this.#ctx.trust.tls.current, checkServerIdentity: peerIdentityCheck(gatewayId(route.via), this.#ctx.trust), timeout: d.connectTimeoutMs },
        headersTimeout: d.bodyTimeoutMs,
        bodyTimeout: d.bodyTimeoutMs,
        connections: d.concurrency + 2,
      });
      this.#agents.set(route.via, agent);
    }
    return agent;
  }

  #route(row: Transfer): Route | null {
    const r = this.#routes.routeFor(row.destination);
    // The row remembers its next hop: a route changed since is taken as it stands now.
    return r ?? null;
  }

  /**
   * The way to the gateway that holds a relayed transfer: the one that answered 202 for it,
   * whatever the route for its destination says now. Questions and withdrawals go there
   * only; another gateway's "not found" says nothing about where the transfer is.
   */
  #holderRoute(row: Transfer): Route | null {
    const first = row.hops?.[0]?.gateway;
    const p = first ? parseFerryId(first) : null;
    const name = p?.kind === 'gateway' ? p.gateway : row.nextHop;
    if (!name) return this.#route(row);
    return this.#routes.routeThrough(name, row.destination) ?? null;
  }

  /** This gateway's key hand-ons, carried in each request so that the next gateway follows a rotation (routing/key-history.ts). */
  #ownHistory(): Record<string, string> {
    const h = this.#ctx.keyHistory();
    return h ? { [KEY_HISTORY_HEADER]: h } : {};
  }

  /**
   * The keys to check the next gateway's answer with: those held for its route, and any its answer's key history
   * hands on to from them. A next hop that is not listed as a peer is not followed (no peers.<name>.follow_rotation to say so).
   */
  async #keysFor(route: Route, headers: IncomingHttpHeaders): Promise<KeyObject[]> {
    const follow = this.#ctx.config.routing.peers.get(route.via)?.followRotation ?? false;
    await this.#ctx.peerKeys.learn(route.via, route.keys, headers[KEY_HISTORY_HEADER], follow, { via: 'answer', from: route.url })
      .catch((err: unknown) => this.#ctx.log.error({ err, next_hop: route.via }, 'could not keep a key the next gateway handed on to'));
    return this.#ctx.peerKeys.keysOf(route.via, route.keys, follow);
  }

  envelopeFor(row: Transfer): Envelope {
    const path = row.path ?? [];
    return {
      v: 1, transfer: row.id, kind: row.kind, ...(row.channel ? { channel: row.channel } : {}),
      source: row.source, destination: row.destination, label: row.label as Envelope['label'],
      ...(row.filename ? { filename: row.filename } : {}), ...(row.contentType ? { content_type: row.contentType } : {}),
      sha256: row.sha256, size: row.size, path: [...path, this.#ctx.config.name], gateway: this.#ctx.identity,
      receipt: row.receiptAccepted!, time: new Date().toISOString(),
    };
  }

  async send(row: Transfer, signal: AbortSignal): Promise<Outcome> {
    const route = this.#route(row);
    if (!route) return { kind: 'refused', state: 'failed', reason: `this gateway has no route to ${row.destination.split('/')[0]} any more`, details: {} };
    const peer = gatewayId(route.via);
    const body = spoolBody(this.#ctx, row);
    try {
      const res = await request(`${route.url}/v1/relay`, {
        method: 'PUT',
        dispatcher: this.#agentFor(route),
        signal: AbortSignal.any([signal, attemptDeadline(row.size)]),
        body,
        headers: {
          'content-type': row.contentType ?? 'application/octet-stream',
          'content-length': String(row.size),
          'idempotency-key': row.id,
          [ENVELOPE_HEADER]: sealEnvelope(this.envelopeFor(row), this.#ctx.keys.signingKey),
          ...this.#ownHistory(),
        },
      });
      const keys = await this.#keysFor(route, res.headers);
      // A refusal carries its findings twice (as answered, and in the signed note): read as much as a report.
      const text = (await readBounded(res.body, MAX_ANSWER_BYTES * 4)).text;
      const json = parseJson(text) as (Problem & { state?: string; receipt?: Receipt }) | null;
      if (res.statusCode === 202 && json) {
        // The next gateway holds it now whatever its receipt says; a receipt that does not verify is marked, and the
        // signed report asked for afterwards must verify before any outcome is taken from it.
        const verified = acceptedReceiptOk(json.receipt, row, route.via, keys);
        const hop: HopView = { gateway: peer, state: json.state ?? 'queued', time: new Date().toISOString(), ...(json.receipt ? { receipts: { accepted: json.receipt } } : {}), verified };
        if (!verified) this.#ctx.log.warn({ transfer: row.id, next_hop: peer }, 'the accepted receipt of the next gateway does not verify with the key held for it');
        return { kind: 'relayed', hops: [hop], details: { next_hop: peer, status: 202, next_receipt_verified: verified, ...(json.receipt ? { next_receipt_signature: json.receipt.signature } : {}) } };
      }
      const code = json?.code;
      const said = `${route.via} answered ${res.statusCode}${text ? `: ${maskText(summarise(text))}` : ''}`;
      if (!code || TRY_AGAIN.has(code) || !isPermanentRefusal(res.statusCode)) return { kind: 'retry', reason: said, details: { status: res.statusCode, ...(code ? { code } : {}) } };
      // The next gateway decided for itself and refused: taken as its verdict only as it signed it (routing/signed-refusal.ts);
      // its reason, rule and findings come back to the source from the signed note, never from the unsigned body.
      const c = checkRefusal(json?.[REFUSAL_MEMBER], keys, { transfer: row.id, gateway: peer, status: res.statusCode, askedBy: this.#ctx.identity });
      if (!c.ok) return unverifiedRefusal(peer, res.statusCode, code, c.why);
      const n = c.note;
      // Whether it is final was read from the unsigned code: the signed one must be the same (review, 1 Dec).
      if (n.code !== code) return unverifiedRefusal(peer, res.statusCode, code, `the signed refusal says ${n.code}, the answer ${code}`);
      const state = DENIALS.has(n.code) ? 'denied' : 'failed';
      const detail = maskText(n.detail);
      const reason = `${peer} refused the transfer: ${n.code}${n.rule ? ` (rule ${n.rule})` : ''}: ${detail}`;
      const hop: HopView = {
        gateway: peer, state, time: new Date().toISOString(), reason: detail, code: n.code, rule: n.rule, ...(n.findings.length ? { findings: n.findings } : {}), verified: true,
      };
      return {
        kind: 'refused', state, reason, hops: [hop],
        details: { status: res.statusCode, code: n.code, rule: n.rule, findings: n.findings, next_hop: peer, next_refusal_signature: String(json![REFUSAL_MEMBER]).split('.')[1], next_refusal: String(json![REFUSAL_MEMBER]) },
      };
    } catch (err) {
      return body.mismatch
        ? { kind: 'refused', state: 'failed', reason: body.mismatch, details: {} }
        : { kind: 'retry', reason: `relay to ${route.via} failed: ${(err as Error).message}`, details: {} };
    }
  }

  /** Ask the next gateway where the transfer stands; its signed report names every gateway after it. */
  async poll(row: Transfer, signal: AbortSignal): Promise<PollResult> {
    const route = this.#holderRoute(row);
    if (!route) return { settled: false, hops: null, reason: `no route any more to ${holderName(row)}, which holds it, to ask for the outcome` };
    try {
      const res = await request(`${route.url}/v1/transfers/${row.id}`, { method: 'GET', dispatcher: this.#agentFor(route), headers: this.#ownHistory(), signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]) });
      const keys = await this.#keysFor(route, res.headers);
      const text = (await readBounded(res.body, MAX_ANSWER_BYTES * 4)).text;
      const json = parseJson(text) as { report?: unknown } | null;
      if (res.statusCode !== 200 || !json) return { settled: false, hops: null, reason: `${route.via} answered ${res.statusCode} when asked for the outcome` };
      return reportOutcome(checkReport(json.report, row, route.via, keys), route.via);
    } catch (err) {
      return { settled: false, hops: null, reason: `could not ask ${route.via} for the outcome: ${(err as Error).message}` };
    }
  }

  /**
   * Ask the next gateway where many transfers stand in one question (GET /v1/relay/status),
   * all relayed through the same route. A transfer it leaves out, or an answer that does not
   * come, leaves that transfer unsettled with the reason; each report is checked on its own.
   */
  async pollMany(rows: Transfer[], signal: AbortSignal): Promise<Map<string, PollResult>> {
    const out = new Map<string, PollResult>();
    const route = rows.length ? this.#holderRoute(rows[0]!) : null;
    const all = (reason: string) => { for (const r of rows) out.set(r.id, { settled: false, hops: null, reason }); return out; };
    if (!route) return all(`no route any more to ${rows[0] ? holderName(rows[0]) : '?'}, which holds them, to ask for the outcome`);
    try {
      const res = await request(`${route.url}/v1/relay/status?ids=${rows.map((r) => r.id).join(',')}`, {
        method: 'GET', dispatcher: this.#agentFor(route), headers: this.#ownHistory(), signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]),
      });
      const keys = await this.#keysFor(route, res.headers);
      const text = (await readBounded(res.body, MAX_BATCH_ANSWER_BYTES)).text;
      const json = parseJson(text) as { transfers?: Record<string, { report?: unknown }> } | null;
      if (res.statusCode !== 200 || !json?.transfers || typeof json.transfers !== 'object') return all(`${route.via} answered ${res.statusCode} when asked for the outcome`);
      for (const row of rows) {
        const t = Object.hasOwn(json.transfers, row.id) ? json.transfers[row.id] : undefined;
        out.set(row.id, t ? reportOutcome(checkReport(t.report, row, route.via, keys), route.via) : { settled: false, hops: null, reason: `${route.via} did not report on it when asked` });
      }
      return out;
    } catch (err) {
      return all(`could not ask ${route.via} for the outcome: ${(err as Error).message}`);
    }
  }

  /**
   * Ask the next gateway to withdraw the transfer (delivery/withdraw.ts), signed like the envelope.
   * null: not answered (unreachable, busy, or an answer that does not verify), to be asked again.
   */
  async withdraw(row: Transfer, signal: AbortSignal): Promise<{ answer: WithdrawAnswer | null; reason: string | null; busy: boolean; unverified: boolean }> {
    const route = this.#holderRoute(row);
    const w = row.withdrawal;
    if (!route || !w) return { answer: null, reason: `no route any more to ${holderName(row)}, which holds it, to withdraw it from`, busy: false, unverified: false };
    try {
      const note = sealWithdrawal({ v: 1, transfer: row.id, gateway: this.#ctx.identity, final: w.final, reason: w.reason, time: new Date().toISOString() }, this.#ctx.keys.signingKey);
      const res = await request(`${route.url}/v1/relay/${row.id}/withdraw`, {
        method: 'POST', dispatcher: this.#agentFor(route), headers: { [WITHDRAWAL_HEADER]: note, ...this.#ownHistory() },
        signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]),
      });
      const keys = await this.#keysFor(route, res.headers);
      const text = (await readBounded(res.body, MAX_ANSWER_BYTES * 4)).text;
      const json = parseJson(text) as (Problem & { report?: unknown }) | null;
      // It never held it, or holds it no more (purged long after it settled): nothing is left to withdraw there.
      // Taken only as it signed it: an unsigned "not found" is no answer (asked again), never "withdrawn".
      if (res.statusCode === 404 && json?.code === 'FERRY_NOT_FOUND') {
        const c = checkRefusal(json[REFUSAL_MEMBER], keys, { transfer: row.id, gateway: gatewayId(route.via), status: 404, askedBy: this.#ctx.identity });
        if (c.ok && c.note.code === 'FERRY_NOT_FOUND') return { answer: { kind: 'withdrawn', hops: null, notHeld: true }, reason: null, busy: false, unverified: false };
        return { answer: null, reason: `FERRY_HOP_UNVERIFIED: ${gatewayId(route.via)} answered the withdrawal 404 FERRY_NOT_FOUND, not taken: ${c.ok ? 'the signed refusal says another code' : c.why}`, busy: false, unverified: true };
      }
      if (res.statusCode !== 200 || !json) {
        const said = `${route.via} answered ${res.statusCode} to the withdrawal${text ? `: ${maskText(summarise(text))}` : ''}`;
        return { answer: null, reason: said, busy: json?.code === 'FERRY_TRANSFER_BUSY', unverified: false };
      }
      const c = checkReport(json.report, row, route.via, keys);
      if (!c.ok) return { answer: null, reason: `the answer of ${gatewayId(route.via)} to the withdrawal was not taken: ${c.why}`, busy: false, unverified: true };
      const r = c.report;
      if (r.withdrawn) return { answer: { kind: 'withdrawn', hops: r.hops, notHeld: false, handedOut: reportedHandedOut(r) }, reason: null, busy: false, unverified: false };
      if (!FINAL.has(r.state)) return { answer: null, reason: `${route.via} still holds it (${r.state})`, busy: true, unverified: false };
      return {
        answer: { kind: 'settled', state: r.state as 'delivered', hops: r.hops, reason: r.reason ? `${gatewayId(route.via)}: ${maskText(r.reason)}` : null, receipt: c.receipt },
        reason: null, busy: false, unverified: false,
      };
    } catch (err) {
      return { answer: null, reason: `could not withdraw it from ${route.via}: ${(err as Error).message}`, busy: false, unverified: false };
    }
  }

  /** The hops stored for a row, as the next gateway last described them. */
  static storedHops(row: Transfer): HopView[] {
    return row.hops ?? [];
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#agents.values()].map((a) => a.close()));
  }
}

/** The outcome a checked report gives; a report that does not verify gives none (the reason says why). */
function reportOutcome(c: CheckedReport, via: string): PollResult {
  if (!c.ok) return { settled: false, hops: null, reason: `the answer of ${gatewayId(via)} about the outcome was not taken: ${c.why}`, unverified: true };
  const r = c.report;
  if (!FINAL.has(r.state)) return { settled: false, hops: r.hops, reason: null };
  return { settled: true, state: r.state as 'delivered', hops: r.hops, reason: r.reason ? `${gatewayId(via)}: ${maskText(r.reason)}` : null, receipt: c.receipt };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Which gateway holds a relayed transfer (ferry://gateway/<name>), for a reason's words. */
export function holderName(row: Transfer): string {
  return row.hops?.[0]?.gateway ?? (row.nextHop ? gatewayId(row.nextHop) : 'the next gateway');
}
