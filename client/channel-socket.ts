// The WebSocket side of a Connection: the same gateway, certificate, key and CA,
// over wss:// (mutual TLS; the system's identity is its certificate, nothing else).
import WebSocket from 'ws';
import type { ConnectionOptions } from './connection.js';
import { ClientError, refusalFromResponse, type GatewayRefusal } from './refusal.js';

export function openChannelSocket(opts: ConnectionOptions, path: string): Promise<WebSocket> {
  const url = new URL(path, opts.gateway);
  url.protocol = 'wss:';
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      ca: opts.caPem, cert: opts.certPem, key: opts.keyPem,
      ...(opts.passphrase ? { passphrase: opts.passphrase } : {}),
      rejectUnauthorized: true, perMessageDeflate: false, handshakeTimeout: opts.connectTimeoutMs ?? 15_000,
      ...(opts.locale ? { headers: { 'accept-language': opts.locale } } : {}),
    });
    ws.once('open', () => resolve(ws));
    // A refused opening is an HTTP answer with problem details, like any refusal.
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        if (text.length < 65_536) text += c.toString();
      });
      res.on('end', () => reject(refusalFromResponse(res.statusCode ?? 0, text, res.headers['retry-after'] as string | undefined)));
    });
    ws.once('error', (err) => reject(new ClientError(`cannot reach the gateway at ${opts.gateway.origin}: ${err.message}`, { cause: err })));
  });
}

/** A refusal carried in a channel's answer frame ({status, problem}). */
export function refusalFromAnswer(a: { status: number; problem?: unknown }): GatewayRefusal {
  return refusalFromResponse(a.status, JSON.stringify(a.problem ?? {}));
}
