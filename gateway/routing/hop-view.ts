import type { Receipt } from '../../protocol/receipt.js';

// One gateway's part of a transfer's journey, as GET /v1/transfers/<id> shows
// it: the first entry is the answering gateway, then each gateway after it.
// The receipts are those gateways' own, each verifiable with its key.

export interface HopView {
  /** ferry://gateway/<name> */
  gateway: string;
  state: string;
  /** RFC 3339, when this gateway last changed the transfer's state */
  time: string;
  reason?: string;
  /** the code of a refusal by this gateway */
  code?: string;
  rule?: string | null;
  findings?: unknown[];
  receipts?: { accepted?: Receipt; delivered?: Receipt };
  /**
   * The gateway before this hop checked its receipts and its signed report with the key
   * it holds for it (routing/hop-report.ts); false when a receipt it answered did not verify.
   */
  verified?: boolean;
  /** Content handed out to the destination there before any acknowledgement (delivery/handed-out.ts). */
  handed_out?: { count: number; to: string[]; last: string | null };
}

/** The hops a row stores (JSON), never throwing on a malformed value. */
export function parseHops(text: string | null): HopView[] {
  if (!text) return [];
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? (v as HopView[]) : [];
  } catch {
    return [];
  }
}
