import { freePort } from './free-port.js';
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLAMD_BIN as CLAMD } from './requires.js';

// A real clamd (Debian package clamav-daemon) as a child process on
// 127.0.0.1, loading only the signature file the project ships
// (test/fixtures/clamav/ferry-test.ndb). Start it once per test file, and
// only when requires('clamd') found it.

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/clamav/', import.meta.url));

export interface Clamd {
  port: number;
  stop(): Promise<void>;
}

/** One clamd command over TCP ("zPING" → "PONG"). */
export function clamdCommand(port: number, command: string, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    const timer = setTimeout(() => sock.destroy(new Error('timeout')), timeoutMs);
    sock.on('connect', () => sock.write(`z${command}\0`));
    sock.on('data', (d) => {
      reply += d.toString();
      if (reply.includes('\0')) sock.end();
    });
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(reply.replace(/\0$/, ''));
    });
  });
}

async function startOnce(): Promise<Clamd> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-clamd-'));
  const db = join(dir, 'db');
  await mkdir(db);
  await copyFile(join(FIXTURES, 'ferry-test.ndb'), join(db, 'ferry-test.ndb'));
  const port = await freePort();
  const conf = join(dir, 'clamd.conf');
  await writeFile(
    conf,
    [
      'Foreground yes',
      `TCPSocket ${port}`,
      'TCPAddr 127.0.0.1',
      `DatabaseDirectory ${db}`,
      `TemporaryDirectory ${dir}`,
      // A file over the limits is reported (Heuristics.Limits.Exceeded), never passed as clean.
      'AlertExceedsMax yes',
      'StreamMaxLength 1000M',
      'MaxScanSize 1000M',
      'MaxFileSize 1000M',
      'ReadTimeout 60',
      'SelfCheck 0',
      ...(process.getuid?.() === 0 ? ['User root'] : []),
    ].join('\n') + '\n',
  );
  const child = spawn(CLAMD, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer): void => {
    output = (output + d.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  child.once('error', (e) => { output += `\n${e.message}`; });
  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(t);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited) {
      await stop();
      throw new Error(`clamd exited during start-up:\n${output}`);
    }
    try {
      if ((await clamdCommand(port, 'PING')).startsWith('PONG')) return { port, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`clamd did not answer PING within 60 s:\n${output}`);
}

export async function startClamd(): Promise<Clamd> {
  // The port is chosen free and handed to clamd; another process may take it
  // in between, so a failed start is retried.
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce();
    } catch (e) {
      last = e;
    }
  }
  throw last;
}
