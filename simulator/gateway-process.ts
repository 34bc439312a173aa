import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseReadySignal } from '../protocol/ready-signal.js';

// One gateway as its own `ferry gateway` process: real TLS, spool, queue and
// audit log. The simulator kills it with SIGKILL and starts it again on the
// same config (same ports, same data), or freezes it with SIGSTOP.

const FERRY = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));

export class GatewayProcess {
  readonly name: string;
  readonly config: string;
  #log: WriteStream;
  #child: ChildProcess | null = null;
  #prefix: string[];
  #stopped = false;
  restarts = 0;

  constructor(name: string, config: string, logFile: string, prefix: string[] = []) {
    this.name = name;
    this.config = config;
    this.#log = createWriteStream(logFile, { flags: 'a' });
    this.#prefix = prefix;
  }

  get pid(): number | null {
    return this.#child?.pid ?? null;
  }

  get running(): boolean {
    return this.#child !== null && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Starts the process and resolves once it says it listens (or rejects with its last words). A loaded machine can take many seconds. */
  start(timeoutMs = 120_000): Promise<void> {
    const [cmd, ...args] = [...this.#prefix, process.execPath, FERRY, 'gateway', '--config', this.config];
    const child = spawn(cmd!, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FERRY_LOG_LEVEL: process.env.FERRY_SIM_LOG_LEVEL ?? 'warn' } });
    this.#child = child;
    child.stdout!.pipe(this.#log, { end: false });
    return new Promise((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => fail(new Error(`gateway ${this.name} did not start within ${timeoutMs} ms: ${err.slice(-2000)}`)), timeoutMs);
      const fail = (e: Error) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(e);
      };
      child.once('exit', (code, sig) => fail(new Error(`gateway ${this.name} exited (${code ?? sig}) during start: ${err.slice(-2000)}`)));
      child.stderr!.on('data', (d: Buffer) => {
        this.#log.write(d);
        if (err.length < 100_000) err += d.toString();
      });
      // Ready when it writes its structured ready line on stdout (protocol/ready-signal.ts).
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        if (!parseReadySignal(line)) return;
        lines.close();
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve();
      });
    });
  }

  /** kill -9: no chance to flush or say goodbye. */
  async kill9(): Promise<void> {
    const c = this.#child;
    if (!c || !this.running) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGCONT');
    c.kill('SIGKILL');
    await exited;
  }

  freeze(): void {
    if (this.running) this.#child!.kill('SIGSTOP');
  }

  thaw(): void {
    if (this.running) this.#child!.kill('SIGCONT');
  }

  /** A clean stop (SIGTERM), so the log ends with its 'stopped' record. */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const c = this.#child;
    if (c && this.running) {
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGCONT');
      c.kill('SIGTERM');
      const t = setTimeout(() => c.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(t);
    }
    await new Promise((r) => this.#log.end(r));
  }
}
