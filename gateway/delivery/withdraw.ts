import type { GatewayContext } from '../context.js';
import { gatewayId } from '../../protocol/ferry-id.js';
import type { Receipt } from '../../protocol/receipt.js';
import type { HopView } from '../routing/hop-view.js';
import type { Transfer, Withdrawal } from '../store/transfer-store.js';
import { guarded, removeSpool, settleRelayOutcome } from './settle.js';
import { handedOutNote, handedOutOf, type HandedOut } from './handed-out.js';

// Withdrawal of a relayed transfer (docs/routing.md, "Withdrawal"). When a
// transfer this gateway handed on expires here, or an administrator cancels it,
// the next gateway is told to drop it, so that it is not delivered after the
// source was told it was not. The row stays 'relayed' (withdrawal set, durable)
// and the scheduler asks the next gateway until it answers: withdrawn (or never
// held) → the transfer ends here as asked (expired, or failed when cancelled);
// already delivered (or settled otherwise) there → it ends here as it ended
// there, so the source is never told 'expired' for what was delivered.

/** Ask for the withdrawal of a relayed transfer; false when it is not relayed or already being withdrawn. */
export async function requestWithdrawal(ctx: GatewayContext, row: Transfer, final: Withdrawal['final'], reason: string, details: Record<string, unknown> = {}): Promise<boolean> {
  const w: Withdrawal = { final, reason, at: Date.now() };
  if (!(await ctx.queue.requestWithdrawal(row.id, w, w.at))) return false;
  const next = row.nextHop ? gatewayId(row.nextHop) : null;
  await ctx.audit.append({
    event: 'forwarded', transferId: row.id, principal: row.principal, source: row.source, destination: row.destination, size: row.size, sha256: row.sha256,
    details: { outcome: 'withdrawing', reason, final, next_hop: next, downstream_state: row.hops?.[0]?.state ?? null, ...details },
  });
  ctx.log.warn({ transfer: row.id, next_hop: next, final }, 'withdrawing a relayed transfer from the next gateway');
  ctx.wakeForwarder();
  return true;
}

/** Withdrawn here at the gateway before's request: a transfer still waiting ends 'failed', audited with the reason. */
export function withdrawHere(ctx: GatewayContext, row: Transfer, by: string, upstream: { final: string; reason: string }): Promise<boolean> {
  // Under the settlement guard: an acknowledgement of a pull racing the withdrawal records one end, not two.
  return guarded(ctx, row.id, () => withdrawNow(ctx, row, by, upstream));
}

/** The reason a transfer withdrawn here at the gateway before's request ends with. */
function withdrawnByReason(w: Withdrawal & { by: string }): string {
  return `withdrawn by ${w.by}: ${w.reason}`;
}

/** The reason a relayed transfer ends with once the next gateway confirms it holds it no more. */
function withdrawnFromReason(w: Withdrawal, next: string, notHeld: boolean, handed: HandedOut | null): string {
  if (handed) return `${w.reason}; withdrawn from ${next}${handedOutNote(handed)}`;
  return `${w.reason}; ${notHeld ? `${next} no longer held it` : `withdrawn from ${next} before delivery`}`;
}

/**
 * Whether a transfer ended because it was withdrawn (here, or from the next gateway), not on its own: a
 * withdrawal asked for may come too late, and the transfer then ends as it ended further on (refused
 * there, say), with the withdrawal still on its row. Told apart by the reason only a withdrawal writes.
 */
export function endedByWithdrawal(row: Transfer): boolean {
  const w = row.withdrawal;
  if (!w || row.state !== w.final || row.reason === null) return false;
  if (w.by !== undefined && row.reason.startsWith(withdrawnByReason(w as Withdrawal & { by: string }))) return true;
  return row.reason.startsWith(`${w.reason}; `) && /( no longer held it| before delivery| withdrawn from \S+)(; it had been handed out .*)?$/.test(row.reason);
}

async function withdrawNow(ctx: GatewayContext, row: Transfer, by: string, upstream: { final: string; reason: string }): Promise<boolean> {
  const w: Withdrawal = { final: 'failed', reason: upstream.reason, at: Date.now(), by };
  // Downloaded here already (never acknowledged): withdrawn all the same, and said so, here and in the report.
  const handed = await handedOutOf(ctx, row);
  const reason = `${withdrawnByReason({ ...w, by })}${handed ? handedOutNote(handed) : ''}`;
  if (!(await ctx.queue.withdraw(row.id, w, reason, w.at))) return false;
  await ctx.audit.append({
    event: 'failed', transferId: row.id, principal: row.principal, source: row.source, destination: row.destination, size: row.size, sha256: row.sha256,
    details: { reason, withdrawn_by: by, upstream_final: upstream.final, attempts: row.attempts, ...(handed ? { handed_out: handed } : {}) },
  });
  await removeSpool(ctx, row);
  ctx.metrics.transfers.inc({ state: 'failed' });
  ctx.log.warn({ transfer: row.id, by }, 'transfer withdrawn at the request of the gateway before');
  return true;
}

/** What the next gateway answered a withdrawal with, checked (routing/hop-report.ts). */
export type WithdrawAnswer =
  | { kind: 'withdrawn'; hops: HopView[] | null; notHeld: boolean; handedOut?: HandedOut | null }
  | { kind: 'settled'; state: 'delivered' | 'denied' | 'failed' | 'expired'; hops: HopView[]; reason: string | null; receipt: Receipt | null };

/** The end of a withdrawal at this gateway, as the next gateway's answer says. */
export async function settleWithdrawal(ctx: GatewayContext, row: Transfer & { withdrawal: Withdrawal }, a: WithdrawAnswer): Promise<void> {
  if (a.kind === 'settled') {
    // Too late: it had ended there (delivered, most likely) before the withdrawal came. Recorded as it ended.
    await settleRelayOutcome(ctx, row, a, { withdrawal: 'too late', withdrawal_reason: row.withdrawal.reason });
    return;
  }
  await guarded(ctx, row.id, () => withdrawn(ctx, row, a));
}

async function withdrawn(ctx: GatewayContext, row: Transfer & { withdrawal: Withdrawal }, a: WithdrawAnswer & { kind: 'withdrawn' }): Promise<void> {
  const w = row.withdrawal;
  const next = row.nextHop ? gatewayId(row.nextHop) : 'the next gateway';
  // Handed out to its destination further on before the withdrawal came (that gateway's signed report says so).
  const handed = a.handedOut ? { ...a.handedOut, reported_by: next } : null;
  const reason = withdrawnFromReason(w, next, a.notHeld, handed);
  const hops = a.hops ?? row.hops ?? [];
  // The row first (conditional: settled once), then its record, as settle.ts does for a final state.
  if (!(await ctx.queue.settleRelayed(row.id, w.final, hops, reason, null))) return;
  await ctx.audit.append({
    event: w.final, transferId: row.id, principal: row.principal, source: row.source, destination: row.destination, size: row.size, sha256: row.sha256,
    details: {
      reason, next_hop: next, withdrawn_from: next, not_held: a.notHeld, downstream_state: row.hops?.[0]?.state ?? null, polls: row.polls, attempts: row.attempts,
      ...(handed ? { handed_out: handed } : {}),
    },
  });
  await removeSpool(ctx, row);
  ctx.metrics.transfers.inc({ state: w.final });
  ctx.log.warn({ transfer: row.id, next_hop: next, state: w.final }, 'relayed transfer withdrawn from the next gateway');
}
