// `GET /v1/transfers/<id>`: where a transfer this system sent stands now.

import type { Connection } from './connection.js';
import type { TransferStatus } from './gateway-answers.js';
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
