// The gateway's side of receipts: signing with its own key. The format and its
// verification, which clients need too, live in protocol/receipt.ts.
import { keyIdOf, receiptSigningBytes, type Receipt, type ReceiptBody } from '../../protocol/receipt.js';
import type { GatewayKeys } from '../keys/gateway-keys.js';
import { gatewayId } from '../../protocol/ferry-id.js';
import { ed25519Sign } from './ed25519-sign.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function signReceipt(body: ReceiptBody, keys: GatewayKeys): Receipt {
  if (body.type !== 'accepted' && body.type !== 'delivered') throw new TypeError(`Unknown receipt type ${String(body.type)}.`);
  if (!SHA256_HEX.test(body.sha256)) throw new TypeError('Receipt sha256 must be 64 lower-case hex digits.');
  if (!Number.isSafeInteger(body.size) || body.size < 0) throw new TypeError('Receipt size must be a non-negative integer.');
  if (body.gateway !== gatewayId(keys.name)) {
    throw new TypeError(`Receipt names gateway ${body.gateway} but is signed by ${gatewayId(keys.name)}.`);
  }
  // Only the declared fields are signed; a caller's stray property is not smuggled in.
  const clean: ReceiptBody = {
    type: body.type, transfer: body.transfer, sha256: body.sha256, size: body.size,
    source: body.source, destination: body.destination, time: body.time, gateway: body.gateway,
    ...(body.delivered_to !== undefined ? { delivered_to: body.delivered_to } : {}),
  };
  const signature = ed25519Sign(receiptSigningBytes(clean), keys.signingKey).toString('base64');
  return { ...clean, key_id: keyIdOf(keys.signingPublicRaw), signature };
}
