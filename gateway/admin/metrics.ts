import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// Prometheus metrics, served on the admin listener only.

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly transfers: Counter<'state'>;
  readonly refusals: Counter<'code'>;
  readonly bytesIn: Counter;
  readonly bytesOut: Counter;
  readonly uploadsInProgress: Gauge;
  readonly timeToAccept: Histogram;
  readonly deliveryLatency: Histogram;

  constructor(queueDepth: () => Record<string, number>) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'ferry_process_' });
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
    new Gauge({
      name: 'ferry_queue_depth', help: 'Transfers in the durable queue, by state.', labelNames: ['state'], registers,
      collect() {
        this.reset();
        for (const [state, n] of Object.entries(queueDepth())) this.set({ state }, n);
      },
    });
  }
}
