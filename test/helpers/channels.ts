// Test clients for the two channel protocols over real TLS: a publisher on
// WSS /v1/channels/<c> and a subscriber on WSS /v1/subscriptions/<c>.
import WebSocket from 'ws';

export interface Creds { cert: string; key: string }

export interface Publisher {
  ws: WebSocket;
  /** Sends an envelope; resolves with its answer (answers come in order). */
  send(env: Record<string, unknown> | string): Promise<Record<string, any>>;
  close(): void;
}

export function openPublisher(port: number, ca: string, creds: Creds, channel: string): Promise<Publisher> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://127.0.0.1:${port}/v1/channels/${channel}`, { ca, ...creds });
    const waiting: Array<{ ok: (v: Record<string, any>) => void; fail: (e: Error) => void }> = [];
    ws.on('message', (d) => waiting.shift()?.ok(JSON.parse(d.toString()) as Record<string, any>));
    ws.on('close', () => {
      for (const w of waiting.splice(0)) w.fail(new Error('publisher connection closed'));
    });
    ws.once('open', () => resolve({
      ws,
      send: (env) => new Promise((ok, fail) => {
        if (ws.readyState !== ws.OPEN) return fail(new Error('publisher connection closed'));
        waiting.push({ ok, fail });
        ws.send(typeof env === 'string' ? env : JSON.stringify(env));
      }),
      close: () => ws.close(),
    }));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}

export interface Frame {
  type: string;
  seq: number;
  id: string;
  source: string;
  channel: string;
  label: string;
  content_type: string;
  body?: string;
  body_base64?: string;
  [k: string]: unknown;
}

export interface Subscriber {
  ws: WebSocket;
  hello: Record<string, any>;
  messages: Frame[];
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves once `n` messages in all have come. */
  waitFor(n: number, timeoutMs?: number): Promise<Frame[]>;
  ack(seq: number): void;
  close(): Promise<void>;
}

export interface SubscribeRefusal { status: number; body: Record<string, any> }

export function openSubscriber(port: number, ca: string, creds: Creds, channel: string, from?: number, wsOptions: { autoPong?: boolean } = {}): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const q = from !== undefined ? `?from=${from}` : '';
    const ws = new WebSocket(`wss://127.0.0.1:${port}/v1/subscriptions/${channel}${q}`, { ca, ...creds, ...wsOptions });
    const messages: Frame[] = [];
    const waiters: Array<() => void> = [];
    let closedResolve!: (v: { code: number; reason: string }) => void;
    const closed = new Promise<{ code: number; reason: string }>((r) => (closedResolve = r));
    ws.on('close', (code, reason) => {
      closedResolve({ code, reason: reason.toString() });
      for (const w of waiters.splice(0)) w();
    });
    let sub: Subscriber | null = null;
    ws.on('message', (d) => {
      const f = JSON.parse(d.toString()) as Frame;
      if (f.type === 'hello') {
        sub = {
          ws, hello: f, messages, closed,
          async waitFor(n, timeoutMs = 30_000) {
            const deadline = Date.now() + timeoutMs;
            while (messages.length < n) {
              if (Date.now() > deadline) throw new Error(`subscriber got ${messages.length} of ${n} messages in ${timeoutMs} ms`);
              if (ws.readyState === ws.CLOSED) throw new Error(`subscriber closed after ${messages.length} of ${n} messages`);
              await new Promise<void>((r) => {
                waiters.push(r);
                setTimeout(r, 200);
              });
            }
            return messages;
          },
          ack: (seq) => ws.send(JSON.stringify({ type: 'ack', seq })),
          close: async () => {
            if (ws.readyState !== ws.CLOSED) ws.close();
            await closed;
          },
        };
        resolve(sub);
        return;
      }
      messages.push(f);
      for (const w of waiters.splice(0)) w();
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode, body: body ? JSON.parse(body) as Record<string, unknown> : {} })));
    });
    ws.once('error', reject);
  });
}

/** `p`, or a rejection naming `what` after `ms` (the timer is cleared either way). */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    })]);
  } finally {
    clearTimeout(timer);
  }
}
