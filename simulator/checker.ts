import { createPublicKey } from 'node:crypto';
import type { TransferStatus } from '../client/gateway-answers.js';
import { verifyReceipt, type Receipt } from '../protocol/receipt.js';
import type { GatewayEvidence } from './audit-evidence.js';
import type { Delivery } from './receivers.js';
import type { Outcome } from './senders.js';
import { reasonText, type Reason, type ReasonKey } from './reason-text.js';

// The checker: what happened to every item, from three independent sources —
// what the senders were answered, what the destinations hold, and what the
// gateways say (GET /v1/transfers and their audit logs). An item is counted
// in exactly one fate. The verdict is valid only if nothing was lost, nothing
// false got through, every log verifies and every receipt holds.

export const FATES = ['delivered', 'refused', 'lost', 'duplicated', 'false_accept', 'false_refuse', 'fail_closed', 'settled_failed', 'pending', 'unanswered'] as const;
export type Fate = (typeof FATES)[number];

export interface Counts {
  items: number;
  expected_cross: number;
  expected_refused: number;
  accepted: number;
  delivered: number;
  refused: number;
  lost: number;
  duplicated: number;
  false_accept: number;
  false_refuse: number;
  /** refused because the antivirus could not scan (fail closed), not held against the gateways */
  fail_closed: number;
  settled_failed: number;
  pending: number;
  unanswered: number;
  unexpected: number;
  corrupted: number;
  redelivered: number;
}

export interface ItemVerdict {
  id: string; route: string; fate: Fate; transferId: string | null; state: string | null; note: string | null;
  acceptedAtMs: number | null;
  /** when the destination held it (the first copy) */
  deliveredAtMs: number | null;
}

export interface CheckResult {
  verdict: 'valid' | 'invalid' | 'unknown';
  reasons: string[];
  /** The same reasons as data, to say them in another language. */
  reasonKeys: Reason[];
  overall: Counts;
  routes: Map<string, Counts>;
  items: ItemVerdict[];
  problems: string[];
  receipts: { checked: number; failed: number };
  audit: { gateways: Array<{ gateway: string; ok: boolean; records: number; checkpoints: number; failure: string | null }>; finalRecordProblems: number; abortedAttempts: number };
  deliveredRate: number;
}

export function emptyCounts(): Counts {
  return { items: 0, expected_cross: 0, expected_refused: 0, accepted: 0, delivered: 0, refused: 0, lost: 0, duplicated: 0, false_accept: 0, false_refuse: 0, fail_closed: 0, settled_failed: 0, pending: 0, unanswered: 0, unexpected: 0, corrupted: 0, redelivered: 0 };
}

export interface CheckInput {
  outcomes: Outcome[];
  deliveries: Delivery[];
  redelivered: number;
  /** messages a subscriber got after a later one of their stream */
  outOfOrder: number;
  statuses: Map<string, TransferStatus>;
  evidence: GatewayEvidence[];
  /** gateway name → Ed25519 public key (PEM) */
  keys: Map<string, string>;
  expect: { lost: number; duplicated: number; falseAccept: number; falseRefuse: number; minDeliveredRate: number };
}

const PENDING_STATES = new Set(['accepted', 'queued', 'forwarding']);

export function check(input: CheckInput): CheckResult {
  const problems: string[] = [];
  // Delivered at the destination: the source's gateway must come to say so too (the outcome travels
  // back hop by hop). Not yet is unknown; a source that settled otherwise contradicts the destination.
  let unconfirmed = 0;
  let contradicted = 0;
  const byHash = new Map<string, Delivery[]>();
  const byName = new Map<string, Delivery[]>();
  for (const d of input.deliveries) {
    (byHash.get(d.sha256) ?? byHash.set(d.sha256, []).get(d.sha256)!).push(d);
    if (d.filename) (byName.get(d.filename) ?? byName.set(d.filename, []).get(d.filename)!).push(d);
  }
  const matched = new Set<Delivery>();
  const routes = new Map<string, Counts>();
  const overall = emptyCounts();
  const items: ItemVerdict[] = [];
  const bump = (route: string, k: keyof Counts, n = 1) => {
    overall[k] += n;
    (routes.get(route) ?? routes.set(route, emptyCounts()).get(route)!)[k] += n;
  };

  for (const o of input.outcomes) {
    const it = o.item;
    const route = it.route;
    bump(route, 'items');
    bump(route, it.expect === 'cross' ? 'expected_cross' : 'expected_refused');
    if (o.state === 'accepted') bump(route, 'accepted');
    const got = (byHash.get(it.sha256) ?? []).filter((d) => d.system === it.to);
    for (const d of got) matched.add(d);
    // Same name, other bytes: corrupted on the way (counted, and held against the run).
    if (it.kind === 'file') {
      for (const d of byName.get(it.filename) ?? []) {
        if (d.sha256 !== it.sha256 && !matched.has(d)) {
          matched.add(d);
          bump(route, 'corrupted');
          problems.push(`${it.id}: delivered to ${d.system} with SHA-256 ${d.sha256.slice(0, 12)}…, sent ${it.sha256.slice(0, 12)}…`);
        }
      }
    }
    const copies = new Set(got.map((d) => d.transferId)).size;
    const status = o.transferId ? input.statuses.get(o.transferId) : undefined;
    const state = status?.state ?? null;
    const avRefusal = o.refusal?.findings.some((f) => f.startsWith('av-unavailable')) ?? false;
    let fate: Fate;
    let note: string | null = null;
    if (it.expect === 'cross') {
      if (copies === 1) fate = 'delivered';
      else if (copies > 1) fate = 'duplicated';
      else if (o.state === 'refused') fate = avRefusal ? 'fail_closed' : 'false_refuse';
      else if (o.state === 'unanswered' || o.state === 'waiting' || o.state === 'sending') fate = 'unanswered';
      else if (state === 'denied') {
        fate = status?.reason && /av-unavailable|antivirus/i.test(status.reason) ? 'fail_closed' : 'false_refuse';
        note = status?.reason ?? null;
      } else if (state === 'failed' || state === 'expired') {
        fate = 'settled_failed';
        note = status?.reason ?? null;
      } else if (state && PENDING_STATES.has(state)) fate = 'pending';
      else if (state === 'relayed') {
        // Handed to the next gateway; what the gateways' logs say decides between lost and pending.
        const finals = input.evidence.flatMap((e) => e.trails.get(o.transferId!)?.finals ?? []);
        const last = finals[finals.length - 1]?.event;
        fate = last === 'delivered' ? 'lost' : last === 'denied' ? 'false_refuse' : last ? 'settled_failed' : 'pending';
        note = last === 'delivered' ? 'the last gateway recorded it delivered; the destination does not hold it' : `relayed; last gateway's final record: ${last ?? 'none'}`;
      }
      else {
        // Answered 202 and either said delivered or never accounted for: the destination does not have it.
        fate = 'lost';
        note = state === 'delivered' ? 'the gateway says delivered; the destination does not hold it' : `state ${state ?? 'unknown'}`;
      }
    } else if (copies > 0 || state === 'delivered') fate = 'false_accept';
    else if (o.state === 'refused') fate = 'refused';
    else if (o.state === 'accepted') {
      const later = input.evidence.flatMap((e) => e.trails.get(o.transferId!)?.finals ?? []).map((f) => f.event);
      if (state === 'denied' || state === 'failed' || state === 'expired') fate = 'refused';
      else if (state === 'relayed' && later.includes('delivered')) fate = 'false_accept';
      else if (state === 'relayed' && later.some((x) => x !== 'delivered')) fate = 'refused';
      else fate = 'pending';
      note = status?.reason ?? null;
    } else fate = 'unanswered';
    if (fate === 'unanswered') note = o.lastError ? `last error: ${o.lastError}` : 'never sent';
    if (fate === 'delivered' && o.transferId && state !== 'delivered') {
      if (state === null || state === 'relayed' || PENDING_STATES.has(state)) unconfirmed++;
      else contradicted++;
      note = `delivered, but ${o.gateway} says ${state ?? 'nothing'}`;
      problems.push(`${it.id}: delivered to ${it.to}, but the sender's gateway ${o.gateway} says ${state ?? 'nothing'}`);
    }
    const key: keyof Counts = fate;
    bump(route, key);
    items.push({ id: it.id, route, fate, transferId: o.transferId, state, note, acceptedAtMs: o.acceptedAtMs, deliveredAtMs: got.length ? Math.min(...got.map((d) => d.atMs)) : null });
  }
  for (const d of input.deliveries) {
    if (matched.has(d)) continue;
    overall.unexpected++;
    problems.push(`${d.system} received transfer ${d.transferId} (${d.filename ?? 'no name'}, SHA-256 ${d.sha256.slice(0, 12)}…) that no sender sent`);
  }
  overall.redelivered = input.redelivered;
  // A stream's order is a promise of its own: each channel in acceptance order, end to end.
  if (input.outOfOrder > 0) problems.push(`${input.outOfOrder} message(s) reached a subscriber after a later one of their stream`);

  // Receipts: the acceptance receipts were checked as they came; the delivered ones are checked here.
  let checked = 0;
  let failed = 0;
  for (const o of input.outcomes) {
    if (o.state !== 'accepted') continue;
    checked++;
    if (!o.receiptVerified) {
      failed++;
      problems.push(`${o.item.id}: its acceptance receipt did not verify (${o.lastError ?? 'no signature'})`);
    }
    const d = o.transferId ? input.statuses.get(o.transferId)?.receipts?.delivered : undefined;
    if (d) {
      checked++;
      const name = /^ferry:\/\/gateway\/(.+)$/.exec((d as Receipt).gateway ?? '')?.[1];
      const pem = name ? input.keys.get(name) : undefined;
      if (!pem || !verifyReceipt(d as Receipt, createPublicKey(pem)) || d.transfer !== o.transferId || d.sha256 !== o.item.sha256) {
        failed++;
        problems.push(`${o.item.id}: its delivered receipt does not verify with ${name ?? 'any'} gateway's key`);
      }
    }
  }

  // Audit: every log verifies; every transfer a gateway queued has exactly one final record once
  // settled — on the gateway that settled it. A gateway that handed a transfer on to the next
  // hop ('forwarded') may hold none, if a later gateway holds it (the run's drain ended before
  // the outcome came back to it).
  let finalRecordProblems = 0;
  const pendingIds = new Set(items.filter((i) => i.fate === 'pending').map((i) => i.transferId));
  const settledSomewhere = new Set<string>();
  for (const e of input.evidence) for (const t of e.trails.values()) if (t.finals.length === 1) settledSomewhere.add(t.transferId);
  for (const e of input.evidence) {
    if (!e.verify.ok) problems.push(`the audit log of ${e.gateway} does not verify: ${'error' in e.verify ? e.verify.error : `${e.verify.failure?.check} at record ${e.verify.failure?.seq}`}`);
    for (const t of e.trails.values()) {
      if (!t.queued && !t.events.includes('denied')) continue;
      const handedOn = t.finals.length === 0 && t.events.includes('forwarded') && settledSomewhere.has(t.transferId);
      const want = (t.queued && pendingIds.has(t.transferId)) || handedOn ? 0 : 1;
      if (t.finals.length > 1 || t.finals.length !== want) {
        finalRecordProblems++;
        problems.push(`${e.gateway}: transfer ${t.transferId} has ${t.finals.length} final records (${t.finals.map((f) => f.event).join(', ') || 'none'})`);
      }
    }
  }
  for (const o of input.outcomes) {
    if (o.state !== 'accepted' || !o.transferId) continue;
    const e = input.evidence.find((x) => x.gateway === o.gateway);
    if (e && !e.trails.get(o.transferId)?.queued) {
      finalRecordProblems++;
      problems.push(`${o.item.id}: answered 202 by ${o.gateway} as ${o.transferId}, but its audit log has no 'accepted' (or, written before audit schema 3, 'queued') record for it`);
    }
  }

  // Of what should cross and could: an item refused because the antivirus was away (fail closed) is
  // correct behaviour during that fault, not a shortfall (a long clamd fault on a slow machine once
  // made province invalid with nothing lost and nothing wrongly refused).
  const couldCross = overall.expected_cross - overall.fail_closed;
  const deliveredRate = couldCross > 0 ? overall.delivered / couldCross : 1;
  const why: Reason[] = [];
  const add = (key: ReasonKey, params: Reason['params']): void => { why.push({ key, params }); };
  const x = input.expect;
  if (overall.lost > x.lost) add('lost', { n: overall.lost, allowed: x.lost });
  if (overall.duplicated > x.duplicated) add('duplicated', { n: overall.duplicated, allowed: x.duplicated });
  if (overall.false_accept > x.falseAccept) add('falseAccept', { n: overall.false_accept, allowed: x.falseAccept });
  if (overall.false_refuse > x.falseRefuse) add('falseRefuse', { n: overall.false_refuse, allowed: x.falseRefuse });
  if (overall.unexpected) add('unexpected', { n: overall.unexpected });
  if (overall.corrupted) add('corrupted', { n: overall.corrupted });
  if (failed) add('receipts', { n: failed });
  if (finalRecordProblems) add('auditTrail', { n: finalRecordProblems });
  const badLogs = input.evidence.filter((e) => !e.verify.ok).length;
  if (badLogs) add('auditLogs', { n: badLogs });
  if (deliveredRate < x.minDeliveredRate) add('deliveredRate', { rate: (deliveredRate * 100).toFixed(1), min: (x.minDeliveredRate * 100).toFixed(1) });
  if (contradicted) add('contradicted', { n: contradicted });
  if (input.outOfOrder) add('outOfOrder', { n: input.outOfOrder });
  let verdict: CheckResult['verdict'] = why.length ? 'invalid' : 'valid';
  if (verdict === 'valid' && (overall.pending || overall.unanswered)) {
    verdict = 'unknown';
    add('pending', { pending: overall.pending, unanswered: overall.unanswered });
  }
  if (verdict === 'valid' && unconfirmed) {
    verdict = 'unknown';
    add('unconfirmed', { n: unconfirmed });
  }
  const reasons = why.map((r) => reasonText(r, 'en'));
  return {
    verdict, reasons, reasonKeys: why, overall, routes, items, problems, receipts: { checked, failed },
    audit: {
      gateways: input.evidence.map((e) => ({
        gateway: e.gateway, ok: e.verify.ok, records: e.records,
        checkpoints: 'checkpoints' in e.verify ? e.verify.checkpoints : 0,
        failure: 'error' in e.verify ? e.verify.error : e.verify.failure ? `${e.verify.failure.check} at record ${e.verify.failure.seq}` : null,
      })),
      finalRecordProblems,
      abortedAttempts: input.evidence.reduce((a, e) => a + [...e.trails.values()].reduce((b, t) => b + t.abortedAttempts, 0), 0),
    },
    deliveredRate,
  };
}
