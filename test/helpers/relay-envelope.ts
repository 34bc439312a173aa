// Relays made by hand, as a peer gateway would make them: an envelope signed
// with the peer's own keys (made before the gateways start), carrying its
// accepted receipt, and PUT /v1/relay with a gateway certificate.
import { join } from 'node:path';
import { request, type Agent } from 'undici';
import { loadOrCreateGatewayKeys } from '../../gateway/keys/gateway-keys.js';
import { signReceipt } from '../../gateway/receipts/sign-receipt.js';
import { sealEnvelope, type Envelope } from '../../gateway/routing/envelope.js';
import { uuidv7 } from '../../protocol/ids.js';
import type { Hop } from './chain.js';
import { sha256 } from './gateway-fixture.js';

export async function relay(agent: Agent, hop: Hop, envelope: string, body: Buffer | NodeJS.ReadableStream, id: string, size = (body as Buffer).length): Promise<{ status: number; json: Record<string, any> }> {
  const res = await request(`${hop.url('extranet')}/v1/relay`, {
    method: 'PUT', dispatcher: agent, body: body as never,
    headers: { 'ferry-envelope': envelope, 'content-length': String(size), 'idempotency-key': id },
  });
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, any> };
}

/** An envelope as the gateway `name` (keys in dataDir) would sign it for `body`. */
export async function envelopeFrom(dataDir: string, name: string, body: Buffer, over: Partial<Envelope> = {}): Promise<{ env: Envelope; sealed: string; id: string }> {
  const keys = await loadOrCreateGatewayKeys(join(dataDir, 'keys'), name);
  const id = over.transfer ?? uuidv7();
  const source = over.source ?? 'police/sys1';
  const gateway = `ferry://gateway/${name}`;
  const receipt = signReceipt({ type: 'accepted', transfer: id, sha256: sha256(body), size: body.length, source, destination: 'social/benefits', time: new Date().toISOString(), gateway }, keys);
  const env: Envelope = {
    v: 1, transfer: id, kind: 'file', source, destination: 'social/benefits', label: 'internal', sha256: sha256(body), size: body.length,
    path: [name], gateway, receipt, time: new Date().toISOString(), ...over,
  };
  return { env, sealed: sealEnvelope(env, keys.signingKey), id };
}
