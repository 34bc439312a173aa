import type { ServerResponse } from 'node:http';
import type { Principal } from '../../protocol/principal.js';
import type { GatewayContext } from '../context.js';
import { FerryError } from '../../protocol/errors.js';
import { UUID_RE } from '../../protocol/ids.js';
import { sendJson } from './problem.js';
import { deniedView, transferView } from './transfer-views.js';
import { peerView } from './peer-report.js';
import { handedOutIn } from '../delivery/handed-out.js';

// GET /v1/transfers/<id>: a transfer's state, to its source only. Anyone else
// gets the same 404 as for an unknown id, so ids reveal nothing.

export async function handleGetTransfer(ctx: GatewayContext, res: ServerResponse, principal: Principal, id: string): Promise<void> {
  let row = UUID_RE.test(id) ? await ctx.queue.get(id) : undefined;
  if (row) {
    if (row.principal !== principal.uri) throw new FerryError('FERRY_NOT_FOUND');
    // Handed on to the next gateway: its outcome (and every gateway's after it) is asked for now.
    if (row.state === 'relayed') {
      await ctx.askDownstream(row.id);
      row = (await ctx.queue.get(id)) ?? row;
    }
    // The gateway before this one gets the same facts signed, and checks them (routing/hop-report.ts).
    sendJson(res, 200, principal.kind === 'gateway' ? peerView(ctx, row) : transferView(row, ctx.identity, row.state !== 'delivered' ? handedOutIn(ctx, row.id) : null));
    return;
  }
  // Not in the queue: a transfer the policy refused is known by its audit records.
  const records = UUID_RE.test(id) ? ctx.auditReader.transferRecords(id) : [];
  const denied = records.length && records[0]!.principal === principal.uri ? deniedView(records) : null;
  if (!denied) throw new FerryError('FERRY_NOT_FOUND');
  sendJson(res, 200, denied);
}
