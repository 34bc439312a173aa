// The shapes of the gateway's JSON answers, as the client reads them.

import type { Label, TransferState } from '../protocol/transfer.js';

import type { Receipt } from '../protocol/receipt.js';
import type { Finding } from '../protocol/findings.js';

/** A signed statement from a gateway (see protocol/receipt.ts). */
export type { Receipt };

export interface Accepted {
  id: string;
  state: TransferState;
  receipt: Receipt;
}

export interface TransferStatus {
  id: string;
  state: TransferState;
  source: string;
  destination: string;
  size: number;
  sha256: string;
  filename?: string;
  label: Label;
  created: string;
  updated: string;
  attempts: number;
  reason?: string;
  /** For a denied transfer: the rule that decided and what the inspectors found. */
  rule?: string | null;
  findings?: Finding[];
  receipts: { accepted: Receipt; delivered?: Receipt };
  /** this gateway, then every gateway after it (multi-hop) */
  hops?: Array<{ gateway: string; state: string; time: string; reason?: string; code?: string; rule?: string | null; verified?: boolean }>;
  /** a relayed transfer being withdrawn from the next gateway (expired or cancelled here) */
  withdrawal?: { final: string; reason: string; requested: string; by?: string };
}

export interface InboxEntry {
  id: string;
  source: string;
  filename?: string;
  size: number;
  sha256: string;
  label: Label;
  content_type?: string;
  created: string;
}

export interface Acknowledged {
  id: string;
  state: 'delivered';
  receipt?: Receipt;
  /** The gateway had taken this acknowledgement before (its first answer was lost). */
  repeated?: boolean;
}

/** Hashes arrive as hex; a base64 form is accepted too so a change of encoding does not turn into false alarms. */
export function sha256Bytes(s: string | undefined): Buffer | null {
  if (!s) return null;
  if (/^[0-9a-f]{64}$/i.test(s)) return Buffer.from(s, 'hex');
  const b = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return b.length === 32 ? b : null;
}
