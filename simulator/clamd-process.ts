import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A real clamd (Debian's clamav-daemon) for the gateways that scan, loading
// only the project's test signature (EICAR; test/fixtures/clamav/README.md),
// so it starts in a second. The `clamd` fault stops it and starts it again
// on the same port; meanwhile the gateways fail closed (av-unavailable).

const CLAMD = process.env.FERRY_CLAMD ?? '/usr/sbin/clamd';
const SIGNATURES = fileURLToPath(new URL('../../test/fixtures/clamav/ferry-test.ndb', import.meta.url));

export class ClamdProcess {
  readonly port: number;
  readonly host: string;
  #dir: string;
  #child: ChildProcess | null = null;

  constructor(dir: string, host: string, port: number) {
    this.#dir = dir;
    this.host = host;
    this.port = port;
  }

  async start(): Promise<void> {
    const db = join(this.#dir, 'db');
    await mkdir(db, { recursive: true });
    await copyFile(SIGNATURES, join(db, 'ferry-test.ndb'));
    const conf = join(this.#dir, 'clamd.conf');
    await writeFile(conf, [
      'Foreground yes', `TCPSocket ${this.port}`, `TCPAddr ${this.host}`, `DatabaseDirectory ${db}`, `TemporaryDirectory ${this.#dir}`,
      'AlertExceedsMax yes', 'StreamMaxLength 100M', 'MaxScanSize 100M', 'MaxFileSize 100M', 'SelfCheck 0',
      ...(process.getuid?.() === 0 ? ['User root'] : []),
    ].join('\n') + '\n');
    const child = spawn(CLAMD, ['-c', conf], { stdio: 'ignore' });
    this.#child = child;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`clamd exited during start-up (${CLAMD} -c ${conf})`);
      if (await this.ping()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('clamd did not answer PING within 60 s');
  }

  ping(): Promise<boolean> {
    return new Promise((resolve) => {
      const s = net.connect({ host: this.host, port: this.port });
      let reply = '';
      s.setTimeout(1000, () => s.destroy());
      s.on('connect', () => s.write('zPING\0'));
      s.on('data', (d) => { reply += d.toString(); if (reply.includes('\0')) s.end(); });
      s.on('error', () => resolve(false));
      s.on('close', () => resolve(reply.startsWith('PONG')));
    });
  }

  async stop(): Promise<void> {
    const c = this.#child;
    this.#child = null;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  }
}

export function clamdAvailable(): Promise<boolean> {
  return import('node:fs/promises').then((fs) => fs.access(CLAMD).then(() => true, () => false));
}
