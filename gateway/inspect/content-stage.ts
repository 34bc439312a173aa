import type { Stage, StageContext, StageReport } from './stage.js';
import { ContentInspector } from './content-inspector.js';
import { InspectContext, type Limits } from './inspect-context.js';
import type { ClamdTarget } from './clamd-client.js';

/**
 * The content stage: type, markings and keywords, personal data, archives
 * and base64 runs, all from one ContentInspector tree over the pass's bytes.
 */
export class ContentStage implements Stage {
  readonly name = 'inspect';
  #ctx: InspectContext;
  #root: ContentInspector;
  #failed: Error | undefined;

  constructor(sc: StageContext, keywords: readonly string[] | undefined, limits: Partial<Limits> | undefined, av: ClamdTarget | null) {
    this.#ctx = new InspectContext(keywords, limits);
    this.#ctx.av = av;
    this.#root = new ContentInspector({ ctx: this.#ctx, depth: 0, filename: sc.filename, declaredType: sc.declaredType });
  }

  update(chunk: Buffer): void | Promise<void> {
    if (this.#failed) return;
    return this.#root.update(chunk).catch((e: unknown) => this.#fail(e));
  }

  async finish(): Promise<StageReport> {
    if (!this.#failed) await this.#root.finish().catch((e: unknown) => this.#fail(e));
    const sniffed = this.#root.sniffed;
    const facts: Record<string, unknown> = { sniffedType: sniffed?.mime ?? 'application/octet-stream' };
    if (sniffed?.text) facts.textEncoding = sniffed.text.encoding;
    return { findings: this.#ctx.tally.findings(), facts };
  }

  abort(): void {
    this.#root.abort();
  }

  // A bug or an unforeseen input must not pass content uninspected: it is a
  // finding (fail closed), and the rest of the pass goes on.
  #fail(e: unknown): void {
    this.#failed = e instanceof Error ? e : new Error(String(e));
    this.#ctx.tally.add({ kind: 'archive-broken', subkind: 'inspection-failed', detail: `the content could not be inspected: ${this.#failed.message}` });
    this.#root.abort();
  }
}
