import type { Finding } from '../../../protocol/findings.js';

// The stage interface of the one streaming pass. Every chunk of the body is
// handed to every stage in order; a stage that returns a promise from update()
// holds the pass (that is how back-pressure reaches the sender). A stage keeps
// bounded state whatever the size of the transfer.

export interface StageReport {
  findings: Finding[];
  /** Facts learnt about the content, for the policy: e.g. { sniffedType: 'application/pdf' }. */
  facts?: Record<string, unknown>;
}

export interface Stage {
  readonly name: string;
  update(chunk: Buffer): void | Promise<void>;
  /** Called once after the last chunk. */
  finish(): Promise<StageReport>;
  /** Called instead of finish() when the pass fails; releases sockets, timers, workers. */
  abort(reason?: Error): void;
}

/** What a stage factory learns about the transfer before the first byte. */
export interface StageContext {
  transferId: string;
  filename?: string;
  declaredType?: string;
  declaredSize?: number;
  label: string;
  signal?: AbortSignal;
}
