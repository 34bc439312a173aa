import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { Connection } from '../client/connection.js';
import { receiveAll } from '../client/receive.js';

// The destination systems: a push receiver is an HTTPS server with the
// system's own certificate (the gateway checks it names the system); a pull
// receiver polls its inbox with the client library, which hash-checks each
// file and acknowledges it. Both write down what arrived, when, and under
// which transfer id. A receiver with `drop_every: N` is deliberately broken:
// it takes every Nth transfer (answers 200, acknowledges) and keeps nothing,
// so the checker has something it must catch.

export interface Delivery {
  system: string;
  transferId: string;
  sha256: string;
  size: number;
  filename: string | null;
  atMs: number;
}

export interface Receiver {
  system: string;
  deliveries: Delivery[];
  /** the same transfer offered again (a retry after a lost answer), recognised by its idempotency key */
  redelivered: number;
  dropped: number;
  /** receipts of pulled transfers whose signature verified */
  receiptsVerified: number;
  setDown(down: boolean): Promise<void>;
  close(): Promise<void>;
}

interface Creds { certPem: string; keyPem: string; caPem: string }

export async function startPushReceiver(o: { system: string; creds: Creds; host: string; port: number; dropEvery: number | null; clock: () => number }): Promise<Receiver> {
  const seen = new Set<string>();
  let offered = 0;
  const r: Receiver = {
    system: o.system, deliveries: [], redelivered: 0, dropped: 0, receiptsVerified: 0,
    setDown: async (down) => {
      if (down) await stop();
      else await listen();
    },
    close: () => stop(),
  };
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const hash = createHash('sha256');
    let size = 0;
    req.on('data', (c: Buffer) => { hash.update(c); size += c.length; });
    req.on('error', () => undefined);
    req.on('end', () => {
      const id = String(req.headers['ferry-transfer-id'] ?? req.headers['idempotency-key'] ?? '');
      if (seen.has(id)) {
        r.redelivered++;
      } else {
        seen.add(id);
        offered++;
        if (o.dropEvery && offered % o.dropEvery === 0) r.dropped++;
        else {
          const fn = req.headers['ferry-filename'];
          r.deliveries.push({ system: o.system, transferId: id, sha256: hash.digest('hex'), size, filename: typeof fn === 'string' ? safeDecode(fn) : null, atMs: o.clock() });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  };
  async function listen(): Promise<void> {
    if (server) return;
    const s = createServer({ cert: o.creds.certPem, key: o.creds.keyPem, ca: o.creds.caPem, requestCert: true, rejectUnauthorized: true }, handler);
    s.on('connection', (c: Socket) => { sockets.add(c); c.on('close', () => sockets.delete(c)); });
    // The port may still be in TIME_WAIT use for a moment after a restart: try a few times.
    for (let i = 0; ; i++) {
      try {
        await new Promise<void>((resolve, reject) => { s.once('error', reject); s.listen(o.port, o.host, () => resolve()); });
        break;
      } catch (err) {
        if (i >= 20) throw err;
        await new Promise((res) => setTimeout(res, 100));
      }
    }
    server = s;
  }
  async function stop(): Promise<void> {
    const s = server;
    server = null;
    if (!s) return;
    for (const c of sockets) c.destroy();
    await new Promise<void>((res) => s.close(() => res()));
  }
  await listen();
  return r;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export async function startPullReceiver(o: { system: string; creds: Creds; gateway: URL; receiptKeyPem: string; dir: string; dropEvery: number | null; clock: () => number; intervalMs?: number }): Promise<Receiver> {
  let down = false;
  let closed = false;
  let offered = 0;
  const seen = new Set<string>();
  await mkdir(o.dir, { recursive: true });
  const r: Receiver = {
    system: o.system, deliveries: [], redelivered: 0, dropped: 0, receiptsVerified: 0,
    setDown: async (d) => { down = d; },
    close: async () => {
      closed = true;
      await loop;
    },
  };
  const loop = (async () => {
    let conn: Connection | null = null;
    while (!closed) {
      if (!down) {
        try {
          conn ??= new Connection({ gateway: o.gateway, ...o.creds, connectTimeoutMs: 3000, headersTimeoutMs: 30_000, bodyTimeoutMs: 30_000 });
          // Recorded as each arrives: a poll cut short by a fault must not forget what it already acknowledged.
          await receiveAll(conn, o.dir, {
            receiptKeyPem: o.receiptKeyPem,
            onReceived: (g) => {
              void rm(g.path, { force: true });
              if (seen.has(g.id)) {
                r.redelivered++;
                return;
              }
              seen.add(g.id);
              offered++;
              if (g.signatureVerified) r.receiptsVerified++;
              if (o.dropEvery && offered % o.dropEvery === 0) r.dropped++;
              else r.deliveries.push({ system: o.system, transferId: g.id, sha256: g.sha256, size: g.size, filename: g.senderFilename ?? null, atMs: o.clock() });
            },
          });
        } catch {
          // The gateway is down or the link is cut: try again at the next poll, on a fresh connection.
          await conn?.close().catch(() => undefined);
          conn = null;
        }
      }
      await new Promise((res) => setTimeout(res, o.intervalMs ?? 200));
    }
    await conn?.close().catch(() => undefined);
  })();
  return r;
}
