import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import WebSocket from 'ws';
import { Connection } from '../client/connection.js';
import { GatewayRefusal } from '../client/refusal.js';
import { checkReceipt } from '../client/receipt-check.js';
import type { Receipt } from '../client/gateway-answers.js';
import { sendFile } from '../client/send.js';
import type { Item } from './workload.js';

// The sending systems. Files go through the client library (`ferry send`'s
// sendFile: streamed, receipt checked against what was counted and signed by
// the gateway's key); messages go over the channel WebSocket. Every item uses
// its id as idempotency key, so a retry after a fault (the gateway killed,
// the link cut before the answer came back) can never queue it twice.

export interface Refusal { status: number; code: string; rule: string | null; findings: string[] }

export interface Outcome {
  item: Item;
  state: 'waiting' | 'sending' | 'accepted' | 'refused' | 'unanswered';
  gateway: string;
  transferId: string | null;
  sentAtMs: number | null;
  acceptedAtMs: number | null;
  receiptVerified: boolean;
  refusal: Refusal | null;
  attempts: number;
  lastError: string | null;
}

export interface SenderContext {
  clock: () => number;
  /** Clock value after which an item still unanswered is given up (moves once the faults heal). */
  giveUpAt: () => number;
  outbox: string;
  stopped: () => boolean;
}

export interface SystemEndpoint {
  gateway: string;
  url: URL;
  creds: { certPem: string; keyPem: string; caPem: string };
  receiptKeyPem: string;
}

// Answers that say "not now", not "no": tried again with the same idempotency key.
const RETRY_CODES = new Set(['FERRY_NOT_READY', 'FERRY_TOO_MANY_UPLOADS', 'FERRY_UPLOAD_IN_PROGRESS', 'FERRY_STORAGE_UNAVAILABLE', 'FERRY_INTERNAL', 'FERRY_BODY_INCOMPLETE', 'FERRY_IDLE_TIMEOUT', 'FERRY_RATE_LIMITED']);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function refusalOf(status: number, p: { code?: string; rule?: string | null; findings?: Array<{ kind: string; subkind?: string }> }): Refusal {
  return { status, code: p.code ?? 'unknown', rule: p.rule ?? null, findings: (p.findings ?? []).map((f) => (f.subkind ? `${f.kind}/${f.subkind}` : f.kind)) };
}

async function waitUntil(ctx: SenderContext, atMs: number): Promise<void> {
  while (ctx.clock() < atMs && !ctx.stopped()) await sleep(Math.min(200, atMs - ctx.clock()));
}

export function newOutcome(item: Item, gateway: string): Outcome {
  return { item, state: 'waiting', gateway, transferId: null, sentAtMs: null, acceptedAtMs: null, receiptVerified: false, refusal: null, attempts: 0, lastError: null };
}

/** Sends the files of one workload, `concurrency` at a time, each when its time comes. */
export async function sendFiles(ctx: SenderContext, ep: SystemEndpoint, outcomes: Outcome[], concurrency: number): Promise<void> {
  await mkdir(ctx.outbox, { recursive: true });
  const conn = new Connection({ gateway: ep.url, ...ep.creds, connectTimeoutMs: 3000, headersTimeoutMs: 60_000, bodyTimeoutMs: 60_000 });
  let next = 0;
  const worker = async () => {
    while (next < outcomes.length && !ctx.stopped()) {
      const o = outcomes[next++]!;
      await waitUntil(ctx, o.item.atMs);
      await sendOneFile(ctx, ep, conn, o);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    await conn.close().catch(() => undefined);
  }
}

async function sendOneFile(ctx: SenderContext, ep: SystemEndpoint, conn: Connection, o: Outcome): Promise<void> {
  const path = join(ctx.outbox, o.item.filename);
  await writeFile(path, o.item.body);
  o.state = 'sending';
  o.sentAtMs = ctx.clock();
  let backoff = 200;
  try {
    while (!ctx.stopped()) {
      o.attempts++;
      try {
        const r = await sendFile({ connection: conn, file: path, to: o.item.to, label: o.item.label, filename: o.item.filename, contentType: o.item.contentType, idempotencyKey: o.item.id, receiptKeyPem: ep.receiptKeyPem, probeWaitMs: 500 });
        o.state = 'accepted';
        o.transferId = r.id;
        o.acceptedAtMs = ctx.clock();
        o.receiptVerified = r.signatureVerified;
        return;
      } catch (err) {
        if (err instanceof GatewayRefusal && !RETRY_CODES.has(err.code) && err.status < 500) {
          o.state = 'refused';
          o.refusal = refusalOf(err.status, { code: err.code, rule: err.rule ?? null, findings: err.findings });
          return;
        }
        o.lastError = err instanceof Error ? err.message : String(err);
      }
      if (ctx.clock() > ctx.giveUpAt()) break;
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 2000);
    }
    o.state = 'unanswered';
  } finally {
    await rm(path, { force: true });
  }
}

/** Sends the messages of one workload on one channel, in order, one answer at a time. */
export async function sendMessages(ctx: SenderContext, ep: SystemEndpoint, outcomes: Outcome[], channel: string): Promise<void> {
  let ws: WebSocket | null = null;
  const url = new URL(`/v1/channels/${channel}`, ep.url.href.replace(/^https/, 'wss'));
  try {
    for (const o of outcomes) {
      if (ctx.stopped()) break;
      await waitUntil(ctx, o.item.atMs);
      o.state = 'sending';
      o.sentAtMs = ctx.clock();
      let backoff = 200;
      for (;;) {
        o.attempts++;
        try {
          // A channel the gateway closed while this sender waited for the item's time (a gateway
          // killed between two messages) is opened anew: ws drops a frame sent on a closed socket
          // without a word, which left the item waiting 60 s for an answer that could not come.
          if (ws && ws.readyState !== WebSocket.OPEN) {
            ws.terminate();
            ws = null;
          }
          ws ??= await openChannel(url, ep.creds);
          const a = await exchange(ws, { ref: o.item.id, to: o.item.to, label: o.item.label, idempotency_key: o.item.id, body: o.item.body.toString('utf8') });
          if (a.status === 202 || a.status === 200) {
            o.state = 'accepted';
            o.transferId = String(a.id);
            o.acceptedAtMs = ctx.clock();
            try {
              o.receiptVerified = checkReceipt(a.receipt as Receipt, { type: 'accepted', transfer: o.transferId, sha256: o.item.sha256, size: o.item.size, destination: o.item.to, publicKeyPem: ep.receiptKeyPem });
            } catch (err) {
              o.lastError = (err as Error).message;
            }
            break;
          }
          const p = (a.problem ?? {}) as { code?: string };
          if (!RETRY_CODES.has(p.code ?? '') && a.status < 500) {
            o.state = 'refused';
            o.refusal = refusalOf(a.status, a.problem ?? {});
            break;
          }
          o.lastError = `${a.status} ${p.code}`;
        } catch (err) {
          ws?.terminate();
          ws = null;
          o.lastError = err instanceof Error ? err.message : String(err);
        }
        if (ctx.clock() > ctx.giveUpAt() || ctx.stopped()) {
          o.state = 'unanswered';
          break;
        }
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 2000);
      }
    }
  } finally {
    ws?.terminate();
  }
}

function openChannel(url: URL, creds: SystemEndpoint['creds']): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { cert: creds.certPem, key: creds.keyPem, ca: creds.caPem, handshakeTimeout: 5000 });
    ws.once('open', () => {
      // Between two exchanges an error has nobody to tell: it shows as a socket no longer open at the next.
      ws.on('error', () => undefined);
      resolve(ws);
    });
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`channel refused: ${res.statusCode}`)));
  });
}

interface Answer { ref?: string; status: number; id?: string; receipt?: unknown; problem?: { code?: string; rule?: string; findings?: Array<{ kind: string; subkind?: string }> } }

function exchange(ws: WebSocket, envelope: Record<string, unknown>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error('no answer within 60 s')), 60_000);
    const onMessage = (data: WebSocket.RawData) => {
      try {
        const a = JSON.parse(data.toString()) as Answer;
        if (a.ref === envelope.ref) done(null, a);
      } catch (err) {
        done(err as Error);
      }
    };
    const onClose = () => done(new Error('channel closed before the answer'));
    const done = (err: Error | null, a?: Answer) => {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
      ws.off('error', onClose);
      if (err) reject(err);
      else resolve(a!);
    };
    ws.on('message', onMessage);
    ws.once('close', onClose);
    ws.once('error', onClose);
    if (ws.readyState !== WebSocket.OPEN) return done(new Error('channel closed before the message was sent'));
    // The callback says whether the frame was written: a socket closed meanwhile is an error, not silence.
    ws.send(JSON.stringify(envelope), (err) => {
      if (err) done(err);
    });
  });
}
