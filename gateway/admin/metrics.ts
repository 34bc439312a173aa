import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// Prometheus metrics, served on the admin listener only. Process metrics keep
// their standard names (process_*, nodejs_*) so stock dashboards work.

/** States of transfers still to deliver: what ferry_queue_depth counts. */
const TO_DELIVER = new Set(['queued', 'forwarding']);

export interface MetricSources {
  /** Rows of the queue by state. */
  queueRows(): Promise<Record<string, number>>;
  /** Time of the last audit checkpoint (ms since epoch), or null. */
  lastCheckpointAt(): number | null;
}

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly transfers: Counter<'state'>;
  readonly refusals: Counter<'code'>;
  readonly bytesIn: Counter;
  readonly bytesOut: Counter;
  readonly uploadsInProgress: Gauge;
  readonly timeToAccept: Histogram;
  readonly deliveryLatency: Histogram;
  readonly deliveryFailures: Counter<'destination'>;
  readonly deliveryRetries: Counter<'destination'>;
  readonly consecutiveFailures: Gauge<'destination'>;
  readonly relayQuestions: Counter<'kind'>;
  readonly relayQuestioned: Counter;
  readonly clamdUp: Gauge;
  readonly policyRejected: Gauge;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.transfers = new Counter({ name: 'ferry_transfers_total', help: 'Transfers by the state they reached.', labelNames: ['state'], registers });
    this.refusals = new Counter({ name: 'ferry_refusals_total', help: 'Requests refused, by error code.', labelNames: ['code'], registers });
    this.bytesIn = new Counter({ name: 'ferry_bytes_in_total', help: 'Body bytes received from senders.', registers });
    this.bytesOut = new Counter({ name: 'ferry_bytes_out_total', help: 'Body bytes delivered to destinations.', registers });
    this.uploadsInProgress = new Gauge({ name: 'ferry_uploads_in_progress', help: 'Uploads being received now.', registers });
    this.timeToAccept = new Histogram({
      name: 'ferry_time_to_accept_seconds', help: 'From request headers to the 202 answer.', registers,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    });
    this.deliveryLatency = new Histogram({
      name: 'ferry_delivery_latency_seconds', help: 'From acceptance to delivery.', registers,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600, 86400],
    });
    this.deliveryFailures = new Counter({ name: 'ferry_delivery_failures_total', help: 'Delivery attempts that failed, by destination (retried or final).', labelNames: ['destination'], registers });
    this.deliveryRetries = new Counter({ name: 'ferry_delivery_retries_total', help: 'Deliveries rescheduled after a failed attempt, by destination.', labelNames: ['destination'], registers });
    this.relayQuestions = new Counter({ name: 'ferry_relay_questions_total', help: 'Questions to next gateways about relayed transfers: batch (scheduled, many transfers), single (a sender asked), withdrawal.', labelNames: ['kind'], registers });
    this.relayQuestioned = new Counter({ name: 'ferry_relay_questioned_transfers_total', help: 'Relayed transfers asked about in batch questions.', registers });
    this.consecutiveFailures = new Gauge({ name: 'ferry_delivery_consecutive_failures', help: 'Failed attempts in a row to a destination since its last success.', labelNames: ['destination'], registers });
    this.clamdUp = new Gauge({ name: 'ferry_clamd_up', help: '1 when the configured clamd answered its last ping, 0 when not (absent when no clamd is configured).', registers });
    this.policyRejected = new Gauge({ name: 'ferry_policy_reload_rejected', help: '1 while the last policy file written was rejected (the previous policy is in force).', registers });
    new Gauge({
      name: 'ferry_queue_depth', help: 'Transfers still to deliver, by state (queued, forwarding).', labelNames: ['state'], registers,
      async collect() {
        const rows = await sources.queueRows();
        this.reset();
        for (const s of TO_DELIVER) this.set({ state: s }, rows[s] ?? 0);
      },
    });
    new Gauge({
      name: 'ferry_queue_rows', help: 'Rows in the durable queue, by state (including finished transfers kept for retention and status).', labelNames: ['state'], registers,
      async collect() {
        const rows = await sources.queueRows();
        this.reset();
        for (const [state, n] of Object.entries(rows)) this.set({ state }, n);
      },
    });
    new Gauge({
      name: 'ferry_audit_checkpoint_age_seconds', help: 'Seconds since the last signed audit checkpoint (absent before the first).', registers,
      collect() {
        this.reset();
        const at = sources.lastCheckpointAt();
        if (at !== null) this.set(Math.max(0, (Date.now() - at) / 1000));
      },
    });
  }
}
