// The two ends of a channel as applications use them, for the load and crash
// tests: a receiving application that drops a repeat by its sequence number and
// reconnects when cut off, and a publisher that sends again, by idempotency key,
// what was not answered.
import WebSocket from 'ws';
import { openPublisher, type Publisher } from './channels.js';
import type { Credentials, TestPki } from './pki.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface App {
  /** bodies kept by the application, in the order kept */
  kept: string[];
  /** frames that came again and were dropped by sequence */
  repeats: number;
  lastSeq: number;
  done: Promise<void>;
  stop(): void;
  /** Close the current connection now, leaving what was not yet acked unacknowledged. */
  drop(): void;
  connections: number;
}

/** The receiving application: dedupes by sequence, acks every `every` messages, reconnects when cut off. */
export function runApp(pki: TestPki, creds: Credentials, port: () => number, channel: string, expect: number, every = 100): App {
  let stopped = false;
  let ws: WebSocket | null = null;
  let resolveDone!: () => void;
  const app: App = {
    kept: [], repeats: 0, lastSeq: 0, connections: 0,
    done: new Promise<void>((r) => (resolveDone = r)),
    stop: () => {
      stopped = true;
      ws?.close();
    },
    drop: () => ws?.terminate(),
  };
  const connect = async (): Promise<void> => {
    while (!stopped) {
      const closed = new Promise<void>((resolve) => {
        ws = new WebSocket(`wss://127.0.0.1:${port()}/v1/subscriptions/${channel}`, { ca: pki.caCert, ...creds });
        let sinceAck = 0;
        ws.on('open', () => app.connections++);
        ws.on('message', (d) => {
          const f = JSON.parse(d.toString()) as { type: string; seq: number; body: string };
          if (f.type !== 'message') return;
          if (f.seq <= app.lastSeq) {
            app.repeats++;
            return;
          }
          app.lastSeq = f.seq;
          app.kept.push(f.body);
          if (++sinceAck >= every || app.kept.length === expect) {
            sinceAck = 0;
            ws!.send(JSON.stringify({ type: 'ack', seq: f.seq }));
          }
          if (app.kept.length === expect) resolveDone();
        });
        ws.on('error', () => undefined);
        ws.on('close', () => resolve());
      });
      await closed;
      if (!stopped) await sleep(100);
    }
  };
  void connect();
  return app;
}

/** Publishes m0..m(n-1) with idempotency keys, 16 in flight; after a cut, sends again what was not answered. */
export async function publishAll(pki: TestPki, creds: Credentials, port: () => number, channel: string, to: string, n: number, onAnswered?: (count: number) => void): Promise<Map<number, string>> {
  const answered = new Map<number, string>();
  while (answered.size < n) {
    let pub: Publisher;
    try {
      pub = await openPublisher(port(), pki.caCert, creds, channel);
    } catch {
      await sleep(100);
      continue;
    }
    let lost = false;
    const inflight = new Set<Promise<void>>();
    for (let i = 0; i < n && !lost; i++) {
      if (answered.has(i)) continue;
      const p: Promise<void> = pub.send({ to, label: 'public', body: `m${i}`, idempotency_key: `${channel}-${i}` }).then((a) => {
        if (a.status !== 202) throw new Error(`message ${i} answered ${a.status} ${JSON.stringify(a.problem)}`);
        answered.set(i, a.id as string);
        onAnswered?.(answered.size);
      }, () => {
        lost = true;
      }).finally(() => inflight.delete(p));
      inflight.add(p);
      if (inflight.size >= 16) await Promise.race(inflight);
    }
    await Promise.all(inflight);
    pub.close();
  }
  return answered;
}

