import type { GatewayContext } from '../context.js';
import { endedByWithdrawal } from '../delivery/withdraw.js';
import type { HopView } from '../routing/hop-view.js';
import { sealReport } from '../routing/hop-report.js';
import type { Transfer } from '../store/transfer-store.js';
import { transferView } from './transfer-views.js';
import { handedOutIn } from '../delivery/handed-out.js';

// A transfer as this gateway tells the gateway before it (asked for its outcome,
// or answering a withdrawal): the view a source gets, plus the same facts signed
// with this gateway's key (routing/hop-report.ts), which is what the gateway
// before trusts and checks.

export function peerView(ctx: GatewayContext, row: Transfer): Record<string, unknown> {
  // Handed out here (or further on) and not acknowledged: the gateway before is told, signed.
  const handed = row.state !== 'delivered' ? handedOutIn(ctx, row.id) : null;
  const view = transferView(row, ctx.identity, handed);
  const report = sealReport({
    v: 1, transfer: row.id, gateway: ctx.identity, state: row.state, reason: (view.reason as string | undefined) ?? null,
    withdrawn: endedByWithdrawal(row), hops: view.hops as HopView[], time: new Date().toISOString(), ...(handed ? { handed_out: handed } : {}),
  }, ctx.keys.signingKey);
  return { ...view, withdrawn: endedByWithdrawal(row), report };
}
