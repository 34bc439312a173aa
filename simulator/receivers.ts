import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { Connection } from '../client/connection.js';
import { receiveAll } from '../client/receive.js';
import WebSocket from 'ws';

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
  /** messages of a subscription that came after one with a higher sequence (subscribers only) */
  outOfOrder?: number;
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

/**
 * A destination that takes messages by subscription (`receive: subscribe`):
 * one WebSocket subscription per channel its workloads publish on, to one
 * gateway, acknowledging cumulatively what it has written down (as `ferry
 * subscribe` does once a message is handed on). A repeat (a message sent
 * again after a lost acknowledgement or a restart) is dropped by its
 * sequence; a message out of order or past a gap is counted, for the
 * checker. It reconnects with `from=` after the last sequence it kept, as a
 * subscriber that kept its state does. Files to it wait in its inbox, which a
 * pull receiver beside it empties.
 */
export async function startSubscribeReceiver(o: { system: string; creds: Creds; gateway: URL; channels: string[]; dropEvery: number | null; clock: () => number }): Promise<Receiver> {
  let down = false;
  let closed = false;
  let offered = 0;
  const seen = new Set<string>();
  const kept = new Map<string, number>();
  const sockets = new Set<WebSocket>();
  const r: Receiver & { outOfOrder: number } = {
    system: o.system, deliveries: [], redelivered: 0, dropped: 0, receiptsVerified: 0, outOfOrder: 0,
    setDown: async (d) => {
      down = d;
      if (d) for (const ws of sockets) ws.terminate();
    },
    close: async () => {
      closed = true;
      for (const ws of sockets) ws.terminate();
      await Promise.all(loops);
    },
  };
  const once = (channel: string): Promise<void> => new Promise((resolve) => {
    const last = kept.get(channel) ?? 0;
    const url = new URL(`/v1/subscriptions/${channel}${last ? `?from=${last + 1}` : ''}`, o.gateway.href.replace(/^https/, 'wss'));
    const ws = new WebSocket(url, { cert: o.creds.certPem, key: o.creds.keyPem, ca: o.creds.caPem, handshakeTimeout: 5000, perMessageDeflate: false });
    sockets.add(ws);
    let ackTo = 0;
    ws.on('message', (data: Buffer) => {
      let f: { type?: string; seq?: number; id?: string; sha256?: string; body?: string; body_base64?: string };
      try {
        f = JSON.parse(data.toString('utf8')) as typeof f;
      } catch {
        return;
      }
      if (f.type !== 'message' || typeof f.seq !== 'number' || typeof f.id !== 'string') return;
      const prev = kept.get(channel) ?? 0;
      if (f.seq <= prev) {
        // At or below what was kept: a repeat, unless it was never seen (then it came after a later one).
        if (seen.has(f.id)) r.redelivered++;
        else {
          r.outOfOrder++;
          seen.add(f.id);
        }
      } else {
        // A gap is no fault of its own (a message that expired, was withdrawn or failed before it was sent).
        kept.set(channel, f.seq);
        if (seen.has(f.id)) r.redelivered++;
        else {
          seen.add(f.id);
          offered++;
          const body = f.body_base64 !== undefined ? Buffer.from(f.body_base64, 'base64') : Buffer.from(f.body ?? '', 'utf8');
          if (o.dropEvery && offered % o.dropEvery === 0) r.dropped++;
          else r.deliveries.push({ system: o.system, transferId: f.id, sha256: createHash('sha256').update(body).digest('hex'), size: body.length, filename: null, atMs: o.clock() });
        }
      }
      // Acknowledged once written down, a turn's worth at a time.
      if (ackTo === 0) setImmediate(() => {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'ack', seq: ackTo }));
        ackTo = 0;
      });
      ackTo = Math.max(ackTo, f.seq);
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      sockets.delete(ws);
      resolve();
    });
  });
  const loops = o.channels.map(async (channel) => {
    while (!closed) {
      if (!down) await once(channel);
      if (!closed) await new Promise((res) => setTimeout(res, 200));
    }
  });
  return r;
}
