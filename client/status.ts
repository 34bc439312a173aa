// `GET /v1/transfers/<id>`: where a transfer this system sent stands now.

import type { Connection } from './connection.js';
import type { TransferStatus } from './gateway-answers.js';
import { checkReceipt } from './receipt-check.js';
import { ClientError } from './refusal.js';

// Transfer ids are UUIDv7; anything else cannot name a transfer, so it is a usage error, not a 404.
const ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function validateTransferId(id: string): void {
  if (!ID_RE.test(id)) throw new ClientError(`${JSON.stringify(id)} is not a transfer id (a UUID such as 01936b2e-7c1a-7d3e-9f00-0a1b2c3d4e5f)`);
}

export async function getStatus(conn: Connection, id: string): Promise<TransferStatus> {
  validateTransferId(id);
  const s = await conn.json<TransferStatus>('GET', `/v1/transfers/${id.toLowerCase()}`);
  if (!s || typeof s.state !== 'string') throw new ClientError('the gateway\'s status answer has no state');
  return s;
}

export interface ReceiptsVerified {
  accepted: boolean;
  delivered?: boolean;
}

/**
 * Check the receipts a status carries against the status itself (same id,
 * hash, size) and, with the gateway's key, their signatures. Throws
 * IntegrityError on the first that does not hold.
 */
export function verifyStatusReceipts(s: TransferStatus, publicKeyPem: string): ReceiptsVerified {
  const want = { transfer: s.id, sha256: s.sha256, size: s.size, publicKeyPem };
  if (!s.receipts?.accepted) throw new ClientError('the status carries no acceptance receipt to verify');
  const out: ReceiptsVerified = { accepted: checkReceipt(s.receipts.accepted, { type: 'accepted', destination: s.destination, ...want }) };
  // Across several gateways the delivered receipt is the last gateway's, signed with its own key:
  // the key given is this gateway's, so that receipt is shown, not checked here (docs/routing.md).
  if (s.receipts.delivered && s.receipts.delivered.gateway === s.receipts.accepted.gateway) {
    out.delivered = checkReceipt(s.receipts.delivered, { type: 'delivered', ...want });
  }
  return out;
}
