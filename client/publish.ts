// `ferry publish`: messages onto a channel, one per line of stdin or one file as
// one message. One at a time, so that they take their sequence numbers in the
// order given; a full backlog (FERRY_BACKLOG_FULL) is waited out and the same
// envelope sent again under the same idempotency key, so nothing is doubled.
import { randomUUID } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type WebSocket from 'ws';
import type { ConnectionOptions } from './connection.js';
import { openChannelSocket, refusalFromAnswer } from './channel-socket.js';
import { ClientError, type GatewayRefusal } from './refusal.js';

export interface PublishOptions {
  connection: ConnectionOptions;
  channel: string;
  to: string;
  label: string;
  contentType?: string | undefined;
  onAccepted(a: { n: number; id: string; receipt: unknown }): void;
  onRefused(n: number, r: GatewayRefusal): void;
  /** Longest wait for a backlog to clear before giving up on a message. */
  maxWaitMs?: number;
  signal?: AbortSignal;
}

type Answer = { status: number; id?: string; receipt?: unknown; problem?: { code?: string; retry_after?: number } };

class ChannelClient {
  readonly #ws: WebSocket;
  readonly #waiting: Array<{ ok: (a: Answer) => void; fail: (e: Error) => void }> = [];
  constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (d) => this.#waiting.shift()?.ok(JSON.parse(d.toString()) as Answer));
    ws.on('close', (code, reason) => {
      for (const w of this.#waiting.splice(0)) w.fail(new ClientError(`the gateway closed the channel (${code}${reason.length ? `: ${reason.toString()}` : ''})`));
    });
  }
  send(env: Record<string, unknown>): Promise<Answer> {
    return new Promise((ok, fail) => {
      this.#waiting.push({ ok, fail });
      this.#ws.send(JSON.stringify(env));
    });
  }
  close(): void {
    this.#ws.close();
  }
}

export async function publish(o: PublishOptions, messages: AsyncIterable<Buffer>): Promise<{ accepted: number; refused: number }> {
  const ch = new ChannelClient(await openChannelSocket(o.connection, `/v1/channels/${encodeURIComponent(o.channel)}`));
  const run = randomUUID();
  let n = 0;
  let accepted = 0;
  let refused = 0;
  try {
    for await (const body of messages) {
      n++;
      const env = {
        ref: String(n), to: o.to, label: o.label, idempotency_key: `${run}-${n}`,
        ...(o.contentType ? { content_type: o.contentType } : {}),
        ...(isUtf8(body) ? { body: body.toString('utf8') } : { body_base64: body.toString('base64') }),
      };
      const deadline = Date.now() + (o.maxWaitMs ?? 300_000);
      for (;;) {
        o.signal?.throwIfAborted();
        const a = await ch.send(env);
        if (a.status === 202) {
          accepted++;
          o.onAccepted({ n, id: a.id!, receipt: a.receipt });
          break;
        }
        if (a.problem?.code === 'FERRY_BACKLOG_FULL' && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, Math.min(60, a.problem!.retry_after ?? 5) * 1000));
          continue;
        }
        refused++;
        o.onRefused(n, refusalFromAnswer(a));
        break;
      }
    }
  } finally {
    ch.close();
  }
  return { accepted, refused };
}

/** One message per line (the line ending is not part of it; empty lines are skipped). */
export async function* lines(input: Readable): AsyncGenerator<Buffer> {
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (line.length) yield Buffer.from(line, 'utf8');
  }
}
