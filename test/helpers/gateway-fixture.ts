// End-to-end fixtures: a real gateway on 127.0.0.1 (ephemeral ports), real
// mTLS with certificates from our PKI, a real HTTPS push destination, and an
// undici client per business system.
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { parseGatewayConfig } from '../../gateway/config/gateway-config.js';
import { startGateway, type RunningGateway } from '../../gateway/gateway.js';
import { startGatewayProcess as startProcess } from '../../gateway/process/gateway-process.js';
import { createLogger } from '../../gateway/log/logger.js';
import { EXAMPLE_POLICY } from '../../gateway/setup/dev-setup.js';
import { makePki, type TestPki } from './pki.js';

export interface Tap {
  teardown(fn: () => unknown): void;
}

export interface Received {
  headers: Record<string, string | string[] | undefined>;
  sha256: string;
  size: number;
}

export interface Destination {
  port: number;
  received: Received[];
  /** Answer this status instead of 200 while set. */
  failWith: number | null;
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** The push endpoint of extranet/archive: hashes what it is given and answers 200. */
export async function startDestination(t: Tap, pki: TestPki, port = 0, creds: { cert: string; key: string } = pki.system('ferry://extranet/archive')): Promise<Destination> {
  const received: Received[] = [];
  const waiters: Array<() => void> = [];
  const server: Server = createServer({ cert: creds.cert, key: creds.key, ca: pki.caCert, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const hash = createHash('sha256');
    let size = 0;
    req.on('data', (c: Buffer) => {
      hash.update(c);
      size += c.length;
    });
    req.on('end', () => {
      if (dest.failWith) {
        res.writeHead(dest.failWith, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'DEST_DOWN', detail: 'destination failing on purpose' }));
        return;
      }
      received.push({ headers: req.headers, sha256: hash.digest('hex'), size });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  const dest: Destination = {
    port: (server.address() as { port: number }).port,
    received,
    failWith: null,
    async waitFor(n, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`destination got ${received.length} of ${n} transfers in ${timeoutMs} ms`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
      return received;
    },
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
  t.teardown(() => dest.close());
  return dest;
}

export interface GatewayFixture {
  gw: RunningGateway;
  pki: TestPki;
  dir: string;
  configText: string;
  url(network: string): string;
  admin(path: string): Promise<{ status: number; text: string }>;
}

export interface GatewayOptions {
  destinationPort: number;
  policyText?: string;
  /** Extra YAML appended to gateway.yaml. */
  extra?: string;
  /** admin.administrators as a YAML flow mapping, e.g. '{ alice: sysadmin }'. */
  administrators?: string;
  /** The delivery: section's flow mapping, replacing the fast-retry default. */
  delivery?: string;
  dir?: string;
  /** Extra keys of the tls: mapping (e.g. `crl: /path/ca.crl`). */
  tls?: string;
  /** Another PKI than the shared one. */
  pki?: TestPki;
  /** More lines under destinations: (each indented two spaces). */
  destinations?: string;
  /** Fixed ports, for restarting on the same addresses. */
  ports?: { police: number; extranet: number; social?: number };
}

export function gatewayYaml(pki: TestPki, dir: string, o: GatewayOptions): string {
  const gw = pki.gateway('gw1');
  return `name: gw1
data_dir: ${join(dir, 'data')}
tls: { ca: ${pki.caCertPath}, cert: ${gw.certPath}, key: ${gw.keyPath}${o.tls ? `, ${o.tls}` : ''} }
networks:
  police: { listen: "127.0.0.1:${o.ports?.police ?? 0}" }
  extranet: { listen: "127.0.0.1:${o.ports?.extranet ?? 0}" }
  social: { listen: "127.0.0.1:${o.ports?.social ?? 0}" }
admin: { listen: "127.0.0.1:0"${o.administrators ? `, administrators: ${o.administrators}` : ''} }
policy: ${join(dir, 'policy.yaml')}
destinations:
  extranet/archive: { delivery: push, url: "https://127.0.0.1:${o.destinationPort}/in" }
  extranet/portal: { delivery: pull }
${o.destinations ?? ''}
delivery: ${o.delivery ?? '{ retry_initial: 50ms, retry_max: 400ms, concurrency: 4 }'}
audit: { checkpoint_every: 100, checkpoint_interval: 1s }
${o.extra ?? ''}`;
}

/** The example policy, plus what the tests need: social/* → police/* for wrong-route tests stays denied. */
export async function startTestGateway(t: Tap, o: GatewayOptions): Promise<GatewayFixture> {
  const pki = o.pki ?? (await makePki());
  const dir = o.dir ?? (await mkdtemp(join(tmpdir(), 'ferry-gw-')));
  if (!o.dir) t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'policy.yaml'), o.policyText ?? (await readFile(EXAMPLE_POLICY, 'utf8')));
  const configText = gatewayYaml(pki, dir, o);
  const config = parseGatewayConfig(configText, join(dir, 'gateway.yaml'));
  const gw = await startGateway(config, { log: createLogger({ level: process.env.FERRY_TEST_LOG ?? 'silent' }) });
  t.teardown(() => gw.stop());
  return {
    gw, pki, dir, configText,
    url: (network) => `https://127.0.0.1:${gw.ports[network]}`,
    admin: async (path) => {
      const res = await request(`http://127.0.0.1:${gw.adminPort}${path}`);
      return { status: res.statusCode, text: await res.body.text() };
    },
  };
}

/** An undici agent presenting a system's certificate. */
export function clientFor(t: Tap, pki: TestPki, creds: { cert: string; key: string }, ca = pki.caCert): Agent {
  const agent = new Agent({ connect: { ca, cert: creds.cert, key: creds.key } });
  t.teardown(() => agent.close());
  return agent;
}

export interface PutAnswer {
  status: number;
  json: Record<string, any>;
}

export async function putFile(agent: Agent, base: string, body: Buffer | NodeJS.ReadableStream | null, headers: Record<string, string>): Promise<PutAnswer> {
  const res = await request(`${base}/v1/files`, { method: 'PUT', dispatcher: agent, body: body as never, headers });
  const text = await res.body.text();
  return { status: res.statusCode, json: text ? JSON.parse(text) : {} };
}

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

export async function until<T>(fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface GatewayProcess {
  proc: ChildProcess;
  /** data port per network, from the gateway's ready signal */
  ports: Record<string, number>;
  adminPort: number;
  /** exit code once it has exited, else null */
  readonly exited: number | null;
  /** stdout (the operational log) so far, when asked for with captureStdout */
  readonly stdout: string;
  kill9(): Promise<void>;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exitedPromise: Promise<number | string>;
}

export interface GatewayProcessOptions {
  /** Run the gateway under `ulimit -n N` (soft and hard), so that descriptor exhaustion shows. */
  ulimitFiles?: number;
  /** Keep what the gateway writes to stdout (its JSON log lines). */
  captureStdout?: boolean;
  /** Added to the gateway's environment (test hooks). */
  env?: NodeJS.ProcessEnv;
}

/** `ferry gateway --config F` as its own process (for kill -9 and crash tests), once it is ready. */
export async function startGatewayProcess(config: string, logLevel = 'warn', opts: GatewayProcessOptions = {}): Promise<GatewayProcess> {
  const gw = await startProcess({ config, logLevel, ...opts });
  return {
    proc: gw.child,
    ports: gw.ready.ports,
    adminPort: gw.ready.admin,
    get exited() {
      return gw.exited;
    },
    get stdout() {
      return gw.stdout;
    },
    exitedPromise: gw.exitedPromise,
    kill9: gw.kill9,
  };
}

/**
 * A gateway's directory for a crash test, with the example policy and a
 * destination that refuses deliveries (503) until the test lets them through
 * (`dest.failWith = null`): what was answered 202 waits for the kill.
 */
export async function heldDeliverySetup(t: Tap, pki: TestPki, prefix: string, extra?: string): Promise<{ dest: Destination; dir: string; config: string }> {
  const dest = await startDestination(t, pki);
  dest.failWith = 503;
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'policy.yaml'), await readFile(EXAMPLE_POLICY));
  const config = join(dir, 'gateway.yaml');
  await writeFile(config, gatewayYaml(pki, dir, { destinationPort: dest.port, ...(extra ? { extra } : {}) }));
  return { dest, dir, config };
}
