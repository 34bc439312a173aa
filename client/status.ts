// `GET /v1/transfers/<id>`: where a transfer this system sent stands now.

import type { Connection } from './connection.js';
import type { TransferStatus } from './gateway-answers.js';
import { keyIdOf } from '../protocol/receipt.js';
import { checkReceipt, loadVerifyKey } from './receipt-check.js';
import { ClientError, IntegrityError } from './refusal.js';

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
 * hash, size) and, with the gateway's key, their signatures. Across several
 * gateways the delivered receipt is the last gateway's, signed with its own
 * key: it is checked with the one of `hopKeyPems` (those gateways' signing.pub)
 * whose key id it names, and shown unchecked when none is given. Throws
 * IntegrityError on the first that does not hold.
 */
export function verifyStatusReceipts(s: TransferStatus, publicKeyPem: string, hopKeyPems: readonly string[] = []): ReceiptsVerified {
  const want = { transfer: s.id, sha256: s.sha256, size: s.size, publicKeyPem };
  if (!s.receipts?.accepted) throw new ClientError('the status carries no acceptance receipt to verify');
  const out: ReceiptsVerified = { accepted: checkReceipt(s.receipts.accepted, { type: 'accepted', destination: s.destination, ...want }) };
  const delivered = s.receipts.delivered;
  if (!delivered) return out;
  if (delivered.gateway === s.receipts.accepted.gateway) {
    out.delivered = checkReceipt(delivered, { type: 'delivered', ...want });
  } else if (hopKeyPems.length > 0) {
    const key = hopKeyPems.find((pem) => keyIdOfPem(pem) === delivered.key_id);
    if (!key) throw new IntegrityError(`the delivered receipt is signed by ${delivered.gateway} with key ${delivered.key_id}, which none of the --hop-key files holds`);
    out.delivered = checkReceipt(delivered, { type: 'delivered', ...want, publicKeyPem: key });
  }
  return out;
}

function keyIdOfPem(pem: string): string {
  const raw = Buffer.from(loadVerifyKey(pem).export({ format: 'jwk' }).x ?? '', 'base64url');
  return keyIdOf(raw);
}
