import type { GatewayContext } from '../context.js';
import { FerryError } from '../../protocol/errors.js';
import { AuditedRefusal } from '../pipeline/audited-refusal.js';
import type { Envelope } from '../routing/envelope.js';

// A relay this gateway refused before, sent again because the refusal never
// reached the upstream (the connection was cut after the answer, or the
// upstream crashed before it recorded it). Between gateways the id is kept, so
// the retry names the same transfer: it gets the same answer again, without a
// second pass and without a second final record for the transfer, which would
// make one transfer look refused twice. The repetition itself is still an
// audit record (every refusal is), kept apart from the transfer's own trail.

/**
 * For a relay of a transfer this gateway holds no row of: throws the earlier
 * refusal (as already audited) if this peer's relay of it was refused here;
 * else says whether an earlier attempt failed here before it was answered
 * (cut off mid-body: no row was written), so that the retry's records say so.
 */
export async function answerRepeatedRefusal(ctx: GatewayContext, principal: string, env: Envelope): Promise<{ retried: boolean }> {
  const records = ctx.auditReader.transferRecords(env.transfer);
  const retried = records.some((r) => r.event === 'failed' && r.principal === principal);
  const denied = records.find((r) => r.event === 'denied' && r.principal === principal);
  if (!denied) return { retried };
  const details = parse(denied.details);
  // A rate limit says "not now": the retry is decided afresh.
  if (details.code === 'FERRY_RATE_LIMITED') return { retried };
  const decided = records.filter((r) => r.event === 'decided' && r.principal === principal).pop();
  const dd = parse(decided?.details ?? null);
  const inspected = records.find((r) => r.event === 'inspected' && r.principal === principal);
  // Another body under the same id is not a retry.
  if (inspected?.sha256 && inspected.sha256 !== env.sha256) {
    throw new FerryError('FERRY_ID_CONFLICT', `Transfer ${env.transfer} was refused here with other content.`, { transfer: env.transfer });
  }
  const reason = typeof details.reason === 'string' ? details.reason : typeof dd.reason === 'string' ? dd.reason : 'refused by this gateway\'s policy';
  const extra = { transfer: env.transfer, rule: denied.rule, policy_hash: denied.policy_hash, repeated: true };
  const refusal = dd.stage === 'after'
    ? new FerryError('FERRY_CONTENT_DENIED', reason, { ...extra, findings: Array.isArray(dd.findings) ? dd.findings : [] })
    : new FerryError('FERRY_POLICY_DENIED', reason, extra);
  await ctx.audit.append({
    event: 'denied', principal, source: env.source, destination: env.destination, verdict: 'deny', rule: denied.rule,
    details: { code: refusal.code, transfer: env.transfer, repeated: true, first_refused_at: denied.time, reason: 'the same relay again: answered as the first time' },
  });
  ctx.metrics.refusals.inc({ code: refusal.code });
  throw new AuditedRefusal(refusal);
}

function parse(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
