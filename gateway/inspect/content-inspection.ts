import type { StageReport } from './context/stage.js';
import { ContentInspector } from './content-inspector.js';
import { InspectContext, type Limits } from './context/inspect-context.js';
import type { ClamdTarget } from './antivirus/clamd-client.js';
import { DecodedAv } from './antivirus/decoded-av.js';

export interface InspectionSetup {
  keywords?: readonly string[];
  limits?: Partial<Limits>;
  av: ClamdTarget | null;
  filename?: string;
  declaredType?: string;
}

/**
 * Type, markings and keywords, personal data, archives, decoded views and
 * base64 runs of one transfer, all from one ContentInspector tree over its
 * bytes. Runs inside an inspection worker (inspect-worker.ts).
 */
export class ContentInspection {
  #ctx: InspectContext;
  #root: ContentInspector;
  #failed: Error | undefined;

  /** `onSniffed`: told the transfer's type once it is sniffed, before it is read (inspect-worker.ts). */
  constructor(s: InspectionSetup, onSniffed?: (mime: string) => void) {
    this.#ctx = new InspectContext(s.keywords, s.limits);
    this.#ctx.av = s.av;
    this.#ctx.decodedAv = s.av ? new DecodedAv(s.av) : null;
    this.#root = new ContentInspector({ ctx: this.#ctx, depth: 0, filename: s.filename, declaredType: s.declaredType, onSniffed });
  }

  async update(chunk: Buffer): Promise<void> {
    if (this.#failed) return;
    await this.#root.update(chunk).catch((e: unknown) => this.#fail(e));
  }

  async finish(): Promise<StageReport> {
    if (!this.#failed) await this.#root.finish().catch((e: unknown) => this.#fail(e));
    await this.#ctx.decodedAv?.finish(this.#ctx.tally);
    const sniffed = this.#root.sniffed;
    const facts: Record<string, unknown> = { sniffedType: sniffed?.mime ?? 'application/octet-stream' };
    if (sniffed?.text) facts.textEncoding = sniffed.text.encoding;
    return { findings: this.#ctx.tally.findings(), facts };
  }

  abort(): void {
    this.#root.abort();
    this.#ctx.decodedAv?.abort();
  }

  // A bug or an unforeseen input must not pass content uninspected: it is a
  // finding (fail closed), and the rest of the pass goes on.
  #fail(e: unknown): void {
    this.#failed = e instanceof Error ? e : new Error(String(e));
    this.#ctx.tally.add({ kind: 'archive-broken', subkind: 'inspection-failed', detail: `the content could not be inspected: ${this.#failed.message}` });
    this.#root.abort();
  }
}
