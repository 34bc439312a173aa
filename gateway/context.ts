import type { GatewayKeys } from './keys/gateway-keys.js';
import type { AuditReader, AuditSink } from './audit/audit-sink.js';
import type { GatewayConfig } from './config/gateway-config.js';
import type { GatewayMetrics } from './admin/metrics.js';
import type { InspectOptions } from './inspect/index.js';
import type { Logger } from './log/logger.js';
import type { TransferStore } from './store/transfer-store.js';
import type { Admission } from './pipeline/admission.js';
import type { Readiness } from './admin/readiness.js';
import type { SpoolStore } from './store/spool-store.js';
import type { RouteTable } from './routing/route-table.js';
import type { GatewayTrust } from './trust/gateway-trust.js';
import type { SodiumBackend } from './spool/sodium.js';
import type { MessageSeal } from './spool/message-seal.js';
import type { SubscriptionHub } from './ingress/channels/subscription-hub.js';
import type { PolicyEngine } from '../policies/types.js';

// What every part of a running gateway shares. Built once by gateway.ts.
import type { PeerKeyRing } from './routing/peer-key-ring.js';

export interface GatewayContext {
  config: GatewayConfig;
  /** ferry://gateway/<name> */
  identity: string;
  log: Logger;
  keys: GatewayKeys;
  /** TLS material and CRL, reloaded while running; isRevoked(cert) for every carrier. */
  trust: GatewayTrust;
  sodium: SodiumBackend;
  /** Seals and opens message bodies kept in the queue database. */
  messageSeal: MessageSeal;
  /** The transfers: durable queue, inbox, lookups (store/transfer-store.ts). */
  queue: TransferStore;
  audit: AuditSink;
  /** The same log, read back (status of refused transfers). */
  auditReader: AuditReader;
  policy: { readonly current: PolicyEngine };
  inspect: InspectOptions;
  metrics: GatewayMetrics;
  /** Transfer content kept apart from its row (store/spool-store.ts). */
  spool: SpoolStore;
  /** destination → delivered here, or relayed to a next-hop gateway */
  routes: RouteTable;
  /** Uploads in progress per principal and idempotency key (pipeline/admission.ts). */
  admission: Admission;
  /** Why the gateway refuses new transfers now, if it does. */
  readiness: Readiness;
  /** Tell the delivery scheduler there is new work. */
  wakeForwarder(): void;
  /**
   * A relayed transfer: ask the next gateway for its outcome now rather than at the
   * next scheduled question (bounded), so that GET /v1/transfers/<id> reflects it.
   */
  askDownstream(id: string): Promise<void>;
  /** Keys learned for peers from their signed key hand-ons, beside those listed (routing/peer-key-ring.ts). */
  peerKeys: PeerKeyRing;
  /** This gateway's own key hand-ons as a header value for its peers (routing/key-history.ts), or null before its first rotation. */
  keyHistory(): string | null;
  /** The open subscriptions: told when a message is queued for one. */
  subscriptions: SubscriptionHub;
  /**
   * Relayed transfers whose outcome this gateway recorded and did not get to write into their rows
   * (killed between the two; recovery.ts), with that outcome: the same outcome asked for again goes
   * into the row without a second record.
   */
  outcomesRecorded: Map<string, string>;
}
