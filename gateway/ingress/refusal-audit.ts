import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { GatewayContext } from '../context.js';
import type { FerryError } from '../../protocol/errors.js';
import { maskText } from '../log/mask.js';
import { RefusalThrottle, type Suppressed } from './refusal-throttle.js';

// Refusals made before a transfer exists (identity, headers, limits), on any
// carrier, written to the audit log. Without a trusted identity they are
// throttled per address (refusal-throttle.ts), so that knocking costs the log
// one summary a minute rather than a record a request. Refusals of a connection
// rather than of a transfer (a connection idle past the headers timeout, a frame
// that is not an envelope, a broken request) are throttled per principal too: a
// system with a good certificate must not be able to flood the log either
// (issue 9: 700 idle connections wrote 701 records). Nothing goes uncounted:
// what is not recorded one by one is in a summary record, written each minute
// and when the listener closes.

export interface RefusalExtra {
  destination?: unknown;
  kind?: string;
  channel?: string;
  /** A refusal of the connection or frame, not of a transfer, or any refusal on the admin plane: throttled per principal. */
  connection?: boolean;
  /** The admin plane: an administrator's refused action is an `admin-action` record (the auditor's page lists it), not `denied`. */
  event?: 'admin-action';
  /** The transfer the refused request named (the admin plane: a retry or cancel). */
  transferId?: string;
  /** More members of the record's details (the admin plane: the action attempted, the role, the way in), masked by the caller. */
  details?: Record<string, unknown>;
}

/** Resolves once the record is durable (the refusal is answered after it), or at once when throttled. */
export type RefusalAuditor = ((socket: Socket, principal: string | null, refusal: FerryError, extra?: RefusalExtra) => Promise<void>) & {
  /** Write the summaries still owed (at stop), whatever their minute. */
  flush(): void;
};

export function createRefusalAuditor(ctx: GatewayContext, network: string): RefusalAuditor {
  const byAddress = new RefusalThrottle();
  const byPrincipal = new RefusalThrottle();
  const summarise = (s: Suppressed, who: 'remote' | 'principal') => {
    ctx.audit.append({
      event: 'denied',
      ...(who === 'principal' ? { principal: s.remote } : {}),
      details: { code: 'FERRY_REFUSALS_SUMMARISED', network, [who]: s.remote, count: s.count, codes: s.codes, since: s.since },
    }).catch((e: unknown) => ctx.log.error({ err: e }, 'audit append failed'));
  };
  const drain = (now: number) => {
    for (const s of byAddress.drain(now)) summarise(s, 'remote');
    for (const s of byPrincipal.drain(now)) summarise(s, 'principal');
  };
  const timer = setInterval(() => drain(Date.now()), 10_000);
  timer.unref();
  const auditor = async (socket: Socket, principal: string | null, refusal: FerryError, extra: RefusalExtra = {}) => {
    // A revoked certificate still names who it was (the CRL check runs after the chain is verified).
    const who = principal ?? (typeof refusal.extra.principal === 'string' ? refusal.extra.principal : null);
    if (!who && !byAddress.admit(socket.remoteAddress ?? '?', refusal.code)) return;
    if (who && extra.connection && !byPrincipal.admit(who, refusal.code)) return;
    const cert = (socket as TLSSocket).getPeerX509Certificate?.();
    await ctx.audit.append({
      event: extra.event ?? 'denied', principal: who, ...(extra.transferId ? { transferId: extra.transferId } : {}),
      destination: typeof extra.destination === 'string' ? maskText(extra.destination.slice(0, 200)) : null,
      details: {
        ...extra.details,
        code: refusal.code, reason: maskText(refusal.message), network, remote: socket.remoteAddress ?? null,
        ...(extra.kind ? { kind: extra.kind } : {}),
        ...(extra.channel ? { channel: maskText(extra.channel) } : {}),
        ...(typeof refusal.extra.serial === 'string' ? { serial: refusal.extra.serial } : {}),
        // Who knocked, when the certificate is not one of ours: enough to find it, nothing more.
        ...(cert && !who ? { certificate: { sha256: cert.fingerprint256, subject: maskText(cert.subject.slice(0, 200)), issuer: cert.issuer.slice(0, 200) } } : {}),
      },
    }).then(() => undefined, (e: unknown) => ctx.log.error({ err: e }, 'audit append failed'));
  };
  return Object.assign(auditor, {
    flush: () => {
      clearInterval(timer);
      drain(Number.POSITIVE_INFINITY);
    },
  });
}
