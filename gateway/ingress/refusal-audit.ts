import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { GatewayContext } from '../context.js';
import type { FerryError } from '../../protocol/errors.js';
import { maskText } from '../log/mask.js';
import { RefusalThrottle } from './refusal-throttle.js';

// Refusals made before a transfer exists (identity, headers, limits), on any
// carrier, written to the audit log. Without a trusted identity they are
// throttled per address (refusal-throttle.ts), so that knocking costs the log
// one summary a minute rather than a record a request.

/** Resolves once the record is durable (the refusal is answered after it), or at once when throttled. */
export type RefusalAuditor = (socket: Socket, principal: string | null, refusal: FerryError, extra?: { destination?: unknown; kind?: string; channel?: string }) => Promise<void>;

export function createRefusalAuditor(ctx: GatewayContext, network: string): RefusalAuditor {
  const throttle = new RefusalThrottle();
  const summarise = setInterval(() => {
    for (const s of throttle.drain()) {
      ctx.audit.append({ event: 'denied', details: { code: 'FERRY_REFUSALS_SUMMARISED', network, remote: s.remote, count: s.count, codes: s.codes, since: s.since } })
        .catch((e: unknown) => ctx.log.error({ err: e }, 'audit append failed'));
    }
  }, 10_000);
  summarise.unref();
  return async (socket, principal, refusal, extra = {}) => {
    // A revoked certificate still names who it was (the CRL check runs after the chain is verified).
    const who = principal ?? (typeof refusal.extra.principal === 'string' ? refusal.extra.principal : null);
    if (!who && !throttle.admit(socket.remoteAddress ?? '?', refusal.code)) return;
    const cert = (socket as TLSSocket).getPeerX509Certificate?.();
    await ctx.audit.append({
      event: 'denied', principal: who,
      destination: typeof extra.destination === 'string' ? maskText(extra.destination.slice(0, 200)) : null,
      details: {
        code: refusal.code, reason: refusal.message, network, remote: socket.remoteAddress ?? null,
        ...(extra.kind ? { kind: extra.kind } : {}),
        ...(extra.channel ? { channel: extra.channel } : {}),
        ...(typeof refusal.extra.serial === 'string' ? { serial: refusal.extra.serial } : {}),
        // Who knocked, when the certificate is not one of ours: enough to find it, nothing more.
        ...(cert && !who ? { certificate: { sha256: cert.fingerprint256, subject: maskText(cert.subject.slice(0, 200)), issuer: cert.issuer.slice(0, 200) } } : {}),
      },
    }).then(() => undefined, (e: unknown) => ctx.log.error({ err: e }, 'audit append failed'));
  };
}
