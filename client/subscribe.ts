// `ferry subscribe`: a channel's messages, each handed on (written and fsynced,
// a command that exited 0, or a line on stdout) before it is acknowledged. One
// at a time, in sequence order. A repeat (a message sent again after a lost ack)
// is recognised by its sequence number and acknowledged without being handed on
// twice; with a state file the last sequence handed on survives a restart too.
import { spawn } from 'node:child_process';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type WebSocket from 'ws';
import type { ConnectionOptions } from './connection.js';
import { openChannelSocket } from './channel-socket.js';
import { ClientError } from './refusal.js';

export interface SubscribedMessage {
  seq: number;
  id: string;
  channel: string;
  source: string;
  label: string;
  content_type: string | null;
  sha256: string;
  created: string;
  body?: string;
  body_base64?: string;
}

/** A message could not be handed on: not acknowledged, it comes again next time. */
export class HandOnError extends ClientError {}

export type HandOn = (m: SubscribedMessage, body: Buffer) => Promise<void>;

export interface SubscribeOptions {
  connection: ConnectionOptions;
  channel: string;
  from?: number | undefined;
  /** Keeps the last sequence handed on, fsynced, for exactly-once across restarts. */
  stateFile?: string | undefined;
  /** Stop after this many messages handed on. */
  max?: number | undefined;
  handOn: HandOn;
  signal?: AbortSignal;
  /** Told when the link drops and is tried again. */
  onReconnect?(reason: string): void;
}

/** Close codes after which trying again cannot help. */
const FATAL = new Map([[4400, 'the gateway found a frame invalid'], [4416, 'an acknowledgement was past the stream'], [4409, 'a newer subscriber took over this channel']]);

export async function subscribe(o: SubscribeOptions): Promise<{ handedOn: number }> {
  let last = o.stateFile ? await readState(o.stateFile) : 0;
  let from = o.from ?? (last > 0 ? last + 1 : undefined);
  let handedOn = 0;
  for (;;) {
    o.signal?.throwIfAborted();
    const q = from !== undefined ? `?from=${from}` : '';
    const ws = await openChannelSocket(o.connection, `/v1/subscriptions/${encodeURIComponent(o.channel)}${q}`);
    const ended = await consume(ws, async (m) => {
      if (m.seq <= last) return 'ack'; // a repeat: handed on already
      const body = m.body_base64 !== undefined ? Buffer.from(m.body_base64, 'base64') : Buffer.from(m.body ?? '', 'utf8');
      await o.handOn(m, body);
      last = m.seq;
      if (o.stateFile) await writeState(o.stateFile, last);
      handedOn++;
      return o.max !== undefined && handedOn >= o.max ? 'ack-and-stop' : 'ack';
    }, o.signal);
    if (ended.stopped) return { handedOn };
    const fatal = FATAL.get(ended.code);
    if (fatal) throw new ClientError(`${fatal} (${ended.code}${ended.reason ? `: ${ended.reason}` : ''})`);
    o.onReconnect?.(`closed ${ended.code}${ended.reason ? `: ${ended.reason}` : ''}`);
    // Resume where the application is: what it has is acknowledged by the resume point.
    from = last > 0 ? last + 1 : undefined;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function consume(ws: WebSocket, each: (m: SubscribedMessage) => Promise<'ack' | 'ack-and-stop'>, signal?: AbortSignal): Promise<{ stopped: boolean; code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    let chain = Promise.resolve();
    let stopped = false;
    const onAbort = () => {
      stopped = true;
      ws.close(1000);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    ws.on('message', (d) => {
      const f = JSON.parse(d.toString()) as SubscribedMessage & { type: string };
      if (f.type !== 'message') return;
      chain = chain.then(async () => {
        if (stopped) return;
        const next = await each(f);
        ws.send(JSON.stringify({ type: 'ack', seq: f.seq }));
        if (next === 'ack-and-stop') {
          stopped = true;
          ws.close(1000);
        }
      }).catch((err: unknown) => {
        stopped = true;
        ws.close(1000);
        reject(err);
      });
    });
    ws.on('close', (code, reason) => {
      signal?.removeEventListener('abort', onAbort);
      void chain.then(() => resolve({ stopped, code, reason: reason.toString() }));
    });
    ws.on('error', () => undefined);
  });
}

async function readState(file: string): Promise<number> {
  try {
    const n = Number((await readFile(file, 'utf8')).trim());
    if (!Number.isSafeInteger(n) || n < 0) throw new ClientError(`the state file ${file} does not hold a sequence number`);
    return n;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

async function writeState(file: string, seq: number): Promise<void> {
  await writeDurably(file, Buffer.from(`${seq}\n`));
}

/** fsync a directory so that a new name in it survives a crash (POSIX; harmless where unsupported). */
async function fsyncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync().catch(() => undefined);
  } finally {
    await d.close();
  }
}

/** tmp file, fsync, rename, fsync of the directory: the name and the bytes survive a crash. */
export async function writeDurably(path: string, data: Buffer): Promise<void> {
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  await fsyncDir(join(path, '..'));
}

/** --out DIR: each message as DIR/<seq, 12 digits>.msg, durable before the ack. */
export async function outDir(dir: string): Promise<HandOn> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return async (m, body) => writeDurably(join(dir, `${String(m.seq).padStart(12, '0')}.msg`), body);
}

/** --exec CMD: the body on the command's stdin, the facts in its environment; acknowledged when it exits 0. */
export function execCommand(cmd: string): HandOn {
  return (m, body) => new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', cmd], {
      stdio: ['pipe', 'inherit', 'inherit'],
      env: {
        ...process.env, FERRY_SEQ: String(m.seq), FERRY_TRANSFER_ID: m.id, FERRY_SOURCE: m.source, FERRY_CHANNEL: m.channel,
        FERRY_LABEL: m.label, FERRY_CONTENT_TYPE: m.content_type ?? '', FERRY_SHA256: m.sha256,
      },
    });
    child.stdin.on('error', () => undefined); // a command that does not read its stdin
    child.stdin.end(body);
    child.once('error', (err) => reject(new HandOnError(`cannot run ${cmd}: ${err.message}`)));
    child.once('exit', (code, sig) => code === 0
      ? resolve()
      : reject(new HandOnError(`the command exited ${sig ?? code} on message ${m.seq} (${m.id}); it was not acknowledged and will come again`)));
  });
}

/** --jsonl: one JSON line per message on stdout, acknowledged once written. */
export function jsonLines(out: NodeJS.WritableStream = process.stdout): HandOn {
  return (m) => new Promise((resolve, reject) => {
    out.write(JSON.stringify(m) + '\n', (err) => (err ? reject(err) : resolve()));
  });
}
