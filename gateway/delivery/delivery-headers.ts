import type { Transfer } from '../store/transfer-store.js';

// The one set of headers a destination system gets with a transfer, whether
// the gateway pushes it or the system pulls it from its inbox.

export function deliveryHeaders(row: Transfer, gateway: string): Record<string, string> {
  return {
    'content-type': row.contentType ?? 'application/octet-stream',
    'ferry-transfer-id': row.id,
    'ferry-from': row.source,
    'ferry-label': row.label,
    'ferry-sha256': row.sha256,
    'ferry-gateway': gateway,
    'ferry-kind': row.kind,
    ...(row.channel ? { 'ferry-channel': row.channel } : {}),
    ...(row.filename ? { 'ferry-filename': encodeURIComponent(row.filename) } : {}),
  };
}
