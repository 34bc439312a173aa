import type { Transfer } from '../../store/transfer-store.js';
import type { HopView } from '../../routing/hop-view.js';

// What one attempt to move a transfer on came to, whatever carried it (a push
// to a system, a relay to the next gateway). The scheduler turns it into a
// settlement or a retry; transports never touch the queue or the audit log.

export type Outcome =
  /** the destination system has it */
  | { kind: 'delivered'; deliveredTo: string; details: Record<string, unknown> }
  /** the next gateway answered 202: it holds the transfer durably now */
  | { kind: 'relayed'; hops: HopView[]; details: Record<string, unknown> }
  /** refused for good: trying again cannot help */
  | { kind: 'refused'; state: 'denied' | 'failed'; reason: string; hops?: HopView[]; details: Record<string, unknown> }
  /** may pass: try again after a backoff */
  | { kind: 'retry'; reason: string; details: Record<string, unknown> };

export interface Transport {
  send(row: Transfer, signal: AbortSignal): Promise<Outcome>;
  close(): Promise<void>;
}
