// Regression (issue 9, item 1): connections that never finish the TLS handshake
// were never closed. The listener's clientError handler ended (end + destroySoon)
// sockets whose handshake had failed or timed out, which never close: thousands of
// half-open connections held thousands of descriptors, and under a descriptor limit
// stopped all service, SIGTERM included.
//
// A gateway runs as its own process under `ulimit -n 768`. Two thousand connections
// from twenty loopback addresses (127.0.0.2…21) are opened and held: raw TCP that
// never speaks, TCP that speaks half a ClientHello, TCP closed at once by the client
// (the server's side sits in CLOSE-WAIT), and TLS sessions that finish the handshake
// and then send nothing. While they are held, a legitimate upload from 127.0.0.1 is
// accepted and the admin health answers; once they are gone, the gateway's open
// descriptors return to where they were; and SIGTERM stops it while a fresh crowd of
// half-open connections is holding on.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { connect as tcpConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import t from 'tap';
import { Agent, request } from 'undici';
import { EXAMPLE_POLICY } from '../gateway/setup/dev-setup.js';
import { makePki } from './helpers/pki.js';
import { gatewayYaml, putFile, startDestination, startGatewayProcess, until } from './helpers/gateway-fixture.js';

const ATTACKERS = 20;
const PER_ATTACKER = 100;

async function openFds(pid: number): Promise<number> {
  return (await readdir(`/proc/${pid}/fd`)).length;
}

/** One hostile connection from a given loopback address; resolves once it is connected (or refused), keeping it open. */
function hostile(port: number, from: string, kind: number, ca: string, held: Set<Socket>): Promise<void> {
  return new Promise((resolve) => {
    // A connection still not made after a while (a full accept queue) is given up, so that no
    // storm of retried SYNs is left behind: the crowd is connections held, not a SYN flood.
    const giveUp = setTimeout(() => {
      for (const s of mine) if (s.connecting) s.destroy();
      resolve();
    }, 5000);
    const mine: Socket[] = [];
    const done = () => {
      clearTimeout(giveUp);
      resolve();
    };
    if (kind === 3) {
      // TLS finished without a client certificate, then silence.
      const raw = tcpConnect({ host: '127.0.0.1', port, localAddress: from });
      raw.on('error', done);
      held.add(raw);
      mine.push(raw);
      const s = tlsConnect({ socket: raw, ca, servername: 'localhost', rejectUnauthorized: false }, done);
      held.add(s);
      s.on('error', done);
      s.on('close', () => { held.delete(s); done(); });
      return;
    }
    const s = tcpConnect({ host: '127.0.0.1', port, localAddress: from }, () => {
      if (kind === 1) s.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03])); // half a ClientHello
      if (kind === 2) s.end(); // the client goes away; the server's side is left half-open
      done();
    });
    held.add(s);
    mine.push(s);
    s.on('error', done);
    s.on('close', () => { held.delete(s); done(); });
  });
}

async function crowd(port: number, ca: string, n: number, held: Set<Socket>): Promise<void> {
  // In waves of a hundred, each made (or refused) before the next: bounded on a loaded machine.
  for (let i = 0; i < n; i += 100) {
    await Promise.all(Array.from({ length: Math.min(100, n - i) }, (_, j) => hostile(port, `127.0.0.${2 + ((i + j) % ATTACKERS)}`, (i + j) % 4, ca, held)));
  }
}

t.test('half-open, failed and idle connections neither exhaust descriptors nor block service or stop', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const dir = await mkdtemp(join(tmpdir(), 'ferry-conns-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'policy.yaml'), await readFile(EXAMPLE_POLICY));
  // The defaults of every connection limit are under test; only the timeouts are short, to keep the test short.
  await writeFile(join(dir, 'gateway.yaml'), gatewayYaml(pki, dir, { destinationPort: dest.port, extra: 'limits: { headers_timeout: 2s, idle_timeout: 5s }\n' }));
  const child = await startGatewayProcess(join(dir, 'gateway.yaml'), 'fatal', { ulimitFiles: 768 });
  t.teardown(() => child.kill9());
  const pid = child.proc.pid!;
  const port = child.ports.police!;
  const sys1 = pki.system('ferry://police/sys1');
  const sender = new Agent({ connect: { ca: pki.caCert, ...sys1 } });
  const base = `https://127.0.0.1:${port}`;

  // A first upload opens what a working gateway keeps open (the queue, the spool, the forwarder's pool).
  t.equal((await putFile(sender, base, Buffer.from('warm'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': '4' })).status, 202);
  await dest.waitFor(1);
  await sender.close();
  const baseline = await until(async () => {
    const a = await openFds(pid);
    await new Promise((r) => setTimeout(r, 300));
    return a === (await openFds(pid)) ? a : false;
  }, 'a steady descriptor count');

  const held = new Set<Socket>();
  t.teardown(() => { for (const s of held) s.destroy(); });
  await crowd(port, pki.caCert, ATTACKERS * PER_ATTACKER, held);
  t.comment(`${held.size} hostile connections still open on the client side; the gateway holds ${await openFds(pid)} descriptors (baseline ${baseline})`);

  const legit = new Agent({ connect: { ca: pki.caCert, ...sys1 } });
  const body = Buffer.from('a legitimate upload amid the crowd');
  const answer = await putFile(legit, base, body, { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': String(body.length) });
  t.equal(answer.status, 202, 'a legitimate upload is accepted while the crowd holds on');
  const [, got] = await dest.waitFor(2);
  t.equal(got!.size, body.length, 'and delivered');
  const health = await request(`http://127.0.0.1:${child.adminPort}/healthz`);
  await health.body.text();
  t.equal(health.statusCode, 200, 'the admin plane answers');
  await legit.close();

  for (const s of held) s.destroy();
  const settled = await until(async () => {
    const n = await openFds(pid);
    return n <= baseline ? n : false;
  }, `descriptors back to the baseline of ${baseline}`, 30_000).catch(async () => openFds(pid));
  t.ok(settled <= baseline, `the gateway's descriptors return to the baseline (${settled} of ${baseline})`);

  // SIGTERM while a new crowd of half-open connections holds on: the gateway stops within its grace period.
  const again = new Set<Socket>();
  t.teardown(() => { for (const s of again) s.destroy(); });
  await crowd(port, pki.caCert, 400, again);
  child.proc.kill('SIGTERM');
  const code = await Promise.race([child.exitedPromise, new Promise((r) => setTimeout(() => r('still running'), 20_000))]);
  t.equal(code, 0, 'SIGTERM stops the gateway cleanly whatever its connections are doing');
});
