import type { Stage, StageReport } from '../context/stage.js';
import { ClamdScan, type ClamdTarget } from './clamd-client.js';
import { verdictFindings } from './av-findings.js';
import type { Finding } from '../../../protocol/findings.js';

/** The antivirus stage: the pass's bytes go to clamd as they arrive, concurrently with everything else. */
export class ClamdStage implements Stage {
  readonly name = 'av';
  #scan: ClamdScan;
  #onAbort: (() => void) | undefined;
  #signal: AbortSignal | undefined;

  constructor(target: ClamdTarget, signal?: AbortSignal) {
    this.#scan = new ClamdScan(target);
    if (signal) {
      this.#signal = signal;
      this.#onAbort = () => this.#scan.abort();
      signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  update(chunk: Buffer): void | Promise<void> {
    return this.#scan.write(chunk);
  }

  async finish(): Promise<StageReport> {
    const v = await this.#scan.verdict();
    this.#release();
    const findings: Finding[] = verdictFindings(v).map((f) => ({ ...f, count: 1 }));
    return { findings, facts: { av: v.status } };
  }

  abort(): void {
    this.#scan.abort();
    this.#release();
  }

  #release(): void {
    if (this.#signal && this.#onAbort) this.#signal.removeEventListener('abort', this.#onAbort);
  }
}
