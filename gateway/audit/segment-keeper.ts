import type { AuditWriter } from './audit-sink.js';
import type { AuditLogger } from './checkpoint-writer.js';
import { pruneSegments } from './segments.js';

// Seals the live audit log into a segment once it is `sealEveryMs` old, and
// prunes sealed segments past the retention: looked at once at start and then
// now and then (a seal is a checkpoint, a rename and a new file: milliseconds).

export class SegmentKeeper {
  readonly #audit: AuditWriter;
  readonly #dir: string;
  readonly #o: { sealEveryMs: number; retentionDays: number; logger: AuditLogger };
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> = Promise.resolve();

  constructor(audit: AuditWriter, segmentsDir: string, o: { sealEveryMs: number; retentionDays: number; logger: AuditLogger }) {
    this.#audit = audit;
    this.#dir = segmentsDir;
    this.#o = o;
  }

  start(): void {
    const every = Math.max(1000, Math.min(3_600_000, Math.floor(this.#o.sealEveryMs / 10)));
    this.#timer = setInterval(() => { this.#running = this.#running.then(() => this.tick()); }, every);
    this.#timer.unref();
    this.#running = this.tick();
  }

  /** Seal if due, then prune; failures are logged and tried again at the next look. */
  async tick(now = Date.now()): Promise<void> {
    try {
      const since = this.#audit.segmentStartedAt;
      if (since !== null && now - since >= this.#o.sealEveryMs) {
        const s = await this.#audit.seal(this.#dir);
        this.#o.logger.warn({ segment: s.segment, records: s.size, file: s.file }, 'audit log sealed into a segment');
      }
      const pruned = await pruneSegments(this.#audit, this.#dir, this.#o.retentionDays, now);
      if (pruned.length) this.#o.logger.warn({ segments: pruned.map((p) => p.segment), retentionDays: this.#o.retentionDays }, 'audit segments past retention pruned');
    } catch (err) {
      this.#o.logger.error({ err }, 'audit segment sealing or pruning failed');
    }
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }
}
