// npm run bench:connections [-- N]: how many idle TLS connections (mutual TLS
// done, no request sent) a data port holds, and at what memory, before it
// refuses new ones cleanly; beside a plain Node https server with the same
// certificates in the same run. Connections come from 16 loopback addresses
// (127.0.0.2…17), in waves of 100; each is counted as held if it is still open
// once all N were tried. Memory is the process's resident set (VmRSS).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createDevSetup } from '../gateway/setup/dev-setup.js';

const FERRY = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));
const PLAIN = fileURLToPath(new URL('./connections/plain-https.js', import.meta.url));
const N = Number(process.argv[2] ?? 2000);
const ADDRESSES = 16;

interface Server { child: ChildProcess; port: number }

function startFerry(config: string): Promise<Server> {
  const child = spawn(process.execPath, [FERRY, 'gateway', '--config', config], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, FERRY_LOG_LEVEL: 'error' } });
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /police=(\d+)/.exec(err);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (c) => reject(new Error(`gateway exited ${c}: ${err}`)));
  });
}

async function startPlain(s: { gateway: { cert: string; key: string }; ca: string }): Promise<Server> {
  const child = spawn(process.execPath, [PLAIN, s.gateway.cert, s.gateway.key, s.ca], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
  return { child, port: (JSON.parse(first.value as string) as { port: number }).port };
}

async function rss(pid: number): Promise<number> {
  return Number(/VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
}

interface Creds { ca: string; cert: string; key: string }

function idle(port: number, from: string, c: Creds, held: Set<TLSSocket>): Promise<void> {
  return new Promise((resolve) => {
    const raw = tcpConnect({ host: '127.0.0.1', port, localAddress: from });
    const t = connect({ socket: raw, ...c, servername: 'localhost', rejectUnauthorized: false }, () => {
      held.add(t);
      resolve();
    });
    const gone = () => {
      held.delete(t);
      resolve();
    };
    t.on('error', gone);
    t.on('close', gone);
    raw.on('error', gone);
    setTimeout(() => { if (!held.has(t)) { t.destroy(); resolve(); } }, 10_000).unref();
  });
}

async function measure(name: string, srv: Server, c: Creds): Promise<{ name: string; held: number; refused: number; rssBefore: number; rssAfter: number }> {
  await new Promise((r) => setTimeout(r, 500));
  const rssBefore = await rss(srv.child.pid!);
  const held = new Set<TLSSocket>();
  for (let i = 0; i < N; i += 100) {
    await Promise.all(Array.from({ length: Math.min(100, N - i) }, (_, j) => idle(srv.port, `127.0.0.${2 + ((i + j) % ADDRESSES)}`, c, held)));
  }
  await new Promise((r) => setTimeout(r, 1000));
  const out = { name, held: held.size, refused: N - held.size, rssBefore, rssAfter: await rss(srv.child.pid!) };
  for (const t of held) t.destroy();
  return out;
}

const MiB = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-bench-conns-'));
  const kids: ChildProcess[] = [];
  try {
    const setup = await createDevSetup(dir);
    const creds: Creds = { ca: await readFile(setup.ca, 'utf8'), cert: await readFile(setup.sender.cert, 'utf8'), key: await readFile(setup.sender.key, 'utf8') };
    // The defaults of every connection limit; only the headers timeout is long, so idle sessions stay for the count.
    await writeFile(setup.config, (await readFile(setup.config, 'utf8')).replace(/headers_timeout: 10s/, 'headers_timeout: 120s'));
    const ferry = await startFerry(setup.config);
    kids.push(ferry.child);
    const plain = await startPlain(setup);
    kids.push(plain.child);
    const rows = [await measure('Ferry data port (defaults)', ferry, creds), await measure('plain Node https server', plain, creds)];
    const fds = (await readdir(`/proc/${ferry.child.pid}/fd`)).length;
    process.stdout.write(`idle mTLS connections tried: ${N} from ${ADDRESSES} addresses, in waves of 100\n\n`);
    process.stdout.write('| server | held | refused or cut | RSS before | RSS holding them | per connection |\n|---|---|---|---|---|---|\n');
    for (const r of rows) {
      process.stdout.write(`| ${r.name} | ${r.held} | ${r.refused} | ${MiB(r.rssBefore)} | ${MiB(r.rssAfter)} | ${r.held ? ((r.rssAfter - r.rssBefore) / r.held / 1024).toFixed(1) : '-'} KiB |\n`);
    }
    process.stdout.write(`\nFerry's open descriptors after they were closed: ${fds}\n`);
  } finally {
    for (const k of kids) k.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
