import net from 'node:net';

// Our own clamd client (clamd(8), "zINSTREAM"): the command, then chunks each
// prefixed by its length as a 4-byte big-endian integer, then a zero-length
// chunk; clamd answers "stream: OK", "stream: <name> FOUND" or "... ERROR",
// terminated by NUL. Fed chunk by chunk from the pass, with back-pressure
// from the socket. There is no "probably fine": every connection error,
// early close, timeout or unparsable answer is `unavailable`, and the caller
// turns it into an av-unavailable finding.

export interface ClamdTarget {
  host?: string;
  port?: number;
  socket?: string;
  /** Guards connect, each stalled write, and the wait for the verdict after the last byte. */
  timeoutMs?: number;
  /** Bytes sent at most (keep at or below clamd's StreamMaxLength); past it the scan is incomplete. */
  maxBytes?: number;
}

export type ClamdVerdict =
  | { status: 'clean' }
  | { status: 'found'; signature: string }
  | { status: 'unavailable'; reason: 'connect' | 'timeout' | 'io' | 'too-large' | 'error' | 'limits-exceeded'; detail: string };

const MAX_REPLY = 4096;

export class ClamdScan {
  #sock: net.Socket;
  #timeoutMs: number;
  #maxBytes: number;
  #sent = 0;
  #verdict: ClamdVerdict | undefined;
  #reply = '';
  #settle!: (v: ClamdVerdict) => void;
  #done: Promise<ClamdVerdict>;
  #connected = false;
  #timer: NodeJS.Timeout | undefined;
  #connectTimer: NodeJS.Timeout | undefined;
  #ended = false;

  constructor(t: ClamdTarget) {
    this.#timeoutMs = t.timeoutMs ?? 30_000;
    this.#maxBytes = t.maxBytes ?? 1024 * 1024 * 1024;
    this.#done = new Promise((resolve) => (this.#settle = resolve));
    this.#sock = t.socket ? net.connect({ path: t.socket }) : net.connect({ host: t.host ?? '127.0.0.1', port: t.port ?? 3310 });
    this.#connectTimer = setTimeout(() => this.#fail('connect', `no connection to clamd within ${this.#timeoutMs} ms`), this.#timeoutMs);
    this.#sock.once('connect', () => {
      this.#connected = true;
      clearTimeout(this.#connectTimer);
    });
    this.#sock.on('data', (d: Buffer) => this.#onData(d));
    this.#sock.on('error', (e: NodeJS.ErrnoException) => {
      this.#fail(this.#connected ? 'io' : 'connect', `clamd ${this.#connected ? 'connection failed' : 'unreachable'}: ${e.code ?? e.message}`);
    });
    this.#sock.on('close', () => this.#fail('io', 'clamd closed the connection without a verdict'));
    this.#sock.write('zINSTREAM\0');
  }

  #arm(detail: string): void {
    this.#disarm();
    this.#timer = setTimeout(() => this.#fail('timeout', detail), this.#timeoutMs);
  }

  #disarm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #onData(d: Buffer): void {
    this.#reply += d.toString('utf8');
    const nul = this.#reply.indexOf('\0');
    if (nul >= 0 || this.#reply.length > MAX_REPLY) this.#answer((nul >= 0 ? this.#reply.slice(0, nul) : this.#reply).trim());
  }

  #answer(line: string): void {
    let v: ClamdVerdict;
    const found = /^stream: (.+) FOUND$/.exec(line);
    if (line === 'stream: OK') v = { status: 'clean' };
    else if (found) {
      const signature = found[1]!;
      // AlertExceedsMax: clamd names what it could not scan; that is not a clean bill.
      v = /^Heuristics\.Limits\.Exceeded/.test(signature)
        ? { status: 'unavailable', reason: 'limits-exceeded', detail: `clamd could not scan all of it (${signature})` }
        : { status: 'found', signature };
    } else if (/size limit exceeded/i.test(line)) v = { status: 'unavailable', reason: 'too-large', detail: `clamd refused the stream: ${line}` };
    else v = { status: 'unavailable', reason: 'error', detail: `clamd answered: ${line.slice(0, 200)}` };
    this.#finish(v);
  }

  #fail(reason: 'connect' | 'timeout' | 'io' | 'too-large' | 'error', detail: string): void {
    this.#finish({ status: 'unavailable', reason, detail });
  }

  #finish(v: ClamdVerdict): void {
    if (this.#verdict) return;
    this.#verdict = v;
    this.#disarm();
    clearTimeout(this.#connectTimer);
    this.#settle(v);
    this.#sock.destroy();
  }

  /** Sends a chunk; the promise (when any) is the socket's back-pressure. */
  write(chunk: Buffer): void | Promise<void> {
    if (this.#verdict || this.#ended) return;
    if (this.#sent + chunk.length > this.#maxBytes) {
      this.#fail('too-large', `the content exceeds the ${this.#maxBytes} bytes configured for scanning`);
      return;
    }
    this.#sent += chunk.length;
    const len = Buffer.allocUnsafe(4);
    len.writeUInt32BE(chunk.length, 0);
    this.#sock.write(len);
    if (this.#sock.write(chunk)) return;
    return new Promise<void>((resolve) => {
      this.#arm(`clamd stopped reading for ${this.#timeoutMs} ms`);
      const done = (): void => {
        this.#sock.off('drain', done);
        this.#sock.off('close', done);
        if (!this.#verdict) this.#disarm();
        resolve();
      };
      this.#sock.on('drain', done);
      this.#sock.on('close', done);
    });
  }

  /** No more content: send the terminator and wait for the verdict. */
  verdict(): Promise<ClamdVerdict> {
    if (!this.#verdict && !this.#ended) {
      this.#ended = true;
      this.#sock.write(Buffer.alloc(4));
      this.#arm(`clamd gave no verdict within ${this.#timeoutMs} ms`);
    }
    return this.#done;
  }

  abort(): void {
    this.#finish({ status: 'unavailable', reason: 'io', detail: 'scan aborted' });
  }
}
