// A seeded, repeatable attack campaign (issue 9): raw HTTP/1.1 and TLS edge
// cases, WebSocket frames, and header sets like the ones that once got through
// (more headers than are read, duplicate ferry-* headers, unknown transfer
// codings, overflowing chunk sizes, raw UTF-8 and look-alike slashes in names),
// thrown at a gateway running as its own process while a legitimate upload goes
// through. Afterwards the process is alive, the good transfer arrived intact,
// nothing half-done is queued or spooled, nothing hostile was accepted, and the
// gateway's descriptors are back where they were. FERRY_FUZZ_SEED replays a run.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import t from 'tap';
import Database from 'better-sqlite3';
import { EXAMPLE_POLICY } from '../gateway/setup/dev-setup.js';
import { makePki, type TestPki } from './helpers/pki.js';
import { clientFor, gatewayYaml, putFile, startDestination, startGatewayProcess, until } from './helpers/gateway-fixture.js';
import { spoolFiles } from './helpers/spool-files.js';

/** A small deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const bytes = (r: Rand, n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)));
const HEAD = 'PUT /v1/files HTTP/1.1\r\nhost: localhost\r\n';
const TO = 'ferry-to: extranet/archive\r\n';

/** An HTTP/1.1 request that must be refused (or, for a few, is harmless), never accepted as something else. */
function malformedHttp(r: Rand): Buffer {
  const cases: Array<() => string | Buffer> = [
    () => bytes(r, 1 + Math.floor(r() * 2000)),
    () => `${HEAD}${TO}content-length: ${Math.floor(r() * 1e6)}\r\n\r\n`.slice(0, Math.floor(r() * 120)),
    // Never exactly the declared 10: shorter (it stalls) or longer (bytes past the body).
    () => `${HEAD}${TO}content-length: 10\r\n\r\n${'x'.repeat(pick(r, [0, 3, 9, 11, 25, 40]))}`,
    () => `${HEAD}${TO}content-length: -5\r\n\r\nhello`,
    () => Buffer.from(`${HEAD}${TO}transfer-encoding: chunked\r\n\r\nzz\r\n${bytes(r, 30).toString('latin1')}`, 'latin1'),
    () => `${HEAD}${TO}ferry-filename: %${bytes(r, 4).toString('hex')}%ZZ\r\ncontent-length: 1\r\n\r\nx`,
    () => Buffer.concat([Buffer.from('PUT /v1/files HTTP/1.1\r\n'), bytes(r, 200), Buffer.from('\r\n\r\n')]),
    () => `GET /v1/transfers/${bytes(r, 10).toString('hex')}%%% HTTP/1.1\r\nhost: x\r\n\r\n`,
    () => `${HEAD}${TO}content-length: 5\r\ncontent-length: 6\r\n\r\nhello!`,
    // Header sets of the campaign.
    () => `${HEAD}${Array.from({ length: 65 + Math.floor(r() * 200) }, (_, i) => `x-f${i}: ${i}\r\n`).join('')}${TO}ferry-label: sensitive\r\ncontent-length: 5\r\n\r\nhello`,
    () => `${HEAD}${TO}ferry-label: public\r\n${pick(r, ['ferry-filename: a.txt\r\nferry-filename: b.txt', 'ferry-to: extranet/archive', 'ferry-label: sensitive', 'Ferry-From: x\r\nferry-from: y', 'content-type: text/plain\r\ncontent-type: image/png', 'idempotency-key: a\r\nidempotency-key: b'])}\r\ncontent-length: 5\r\n\r\nhello`,
    () => `${HEAD}${TO}ferry-label: public\r\ntransfer-encoding: ${pick(r, ['xchunked', 'gzip', 'chunked, gzip', 'identity', ' chunked x', 'chunked\r\ntransfer-encoding: chunked'])}\r\n\r\n5\r\nhello\r\n0\r\n\r\n`,
    () => `${HEAD}${TO}ferry-label: public\r\ntransfer-encoding: chunked\r\n\r\n${pick(r, ['fffffffffffffffffffffff', '-1', '0x5', '5 5', '1'.repeat(40)])}\r\nhello\r\n0\r\n\r\n`,
    () => Buffer.concat([Buffer.from(`${HEAD}${TO}ferry-label: public\r\nferry-filename: `), (r() < 0.8 ? Buffer.from(pick(r, ['季度.csv', 'x／y.txt', 'a∕b', 'é.txt', '..⁄..⁄etc']), 'utf8') : Buffer.from('café.txt', 'latin1')), Buffer.from('\r\ncontent-length: 5\r\n\r\nhello')]),
    () => `${HEAD}${TO}ferry-label: public\r\nferry-filename: ${encodeURIComponent(pick(r, ['x／y.txt', '..∕..∕x', 'a⧸b', 'c＼d', 'e.exe.', 'f\u202egnp.exe', '.', '..']))}\r\ncontent-length: 5\r\n\r\nhello`,
    () => `${HEAD}${TO}ferry-label: ${pick(r, ['', 'SECRET', '秘密', 'internal, public', 'public\u0000'])}\r\ncontent-length: 5\r\n\r\nhello`,
    () => `${pick(r, ['PUT', 'GET', 'DELETE', 'POST', 'OPTIONS', 'CONNECT'])} ${pick(r, ['/v1/files', '*', 'http://x/v1/files', '/v1/../v1/files', '/v1/inbox/%00', '//v1/files'])} HTTP/${pick(r, ['1.1', '1.0', '2.0', '0.9'])}\r\n${pick(r, ['host: x\r\n', '', 'host: a\r\nhost: b\r\n'])}\r\n`,
    () => `${HEAD}${TO}ferry-label: public\r\ncontent-length: 5\r\n${pick(r, [' folded: value', 'bad header', 'x:\u0000y', ': empty'])}\r\n\r\nhello`,
    // Second campaign: what a receiver writes otherwise, a label in the trailers, HTTP/1.0 with chunked, two Hosts.
    () => `${HEAD}${TO}ferry-label: public\r\nferry-filename: ${encodeURIComponent(pick(r, ['CON', 'nul.txt', 'COM1.pdf', 'a.txt:evil.exe', '．．', 'evil.exe\u00a0', 'a\u3164b.exe', 'a⧶b']))}\r\ncontent-length: 5\r\n\r\nhello`,
    () => `${HEAD}${TO}ferry-label: public\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n${pick(r, ['ferry-label: sensitive', 'Ferry-To: extranet/x', 'content-length: 5'])}\r\n\r\n`,
    () => `PUT /v1/files HTTP/1.0\r\nhost: x\r\n${TO}ferry-label: public\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`,
    () => `${HEAD}host: evil.example\r\n${TO}ferry-label: public\r\ncontent-length: 5\r\n\r\nhello`,
  ];
  const c = pick(r, cases)();
  return typeof c === 'string' ? Buffer.from(c, 'latin1') : c;
}

/** One WebSocket frame: usually broken (bad opcode, unmasked, reserved bits, lying lengths, bad UTF-8, huge control frames). */
function wsFrame(r: Rand): Buffer {
  const opcode = pick(r, [0x0, 0x1, 0x2, 0x3, 0x7, 0x8, 0x9, 0xa, 0xb, 0xf]);
  const fin = r() < 0.8 ? 0x80 : 0;
  const rsv = r() < 0.15 ? 0x70 : 0;
  const masked = r() < 0.85;
  const payload = pick(r, [
    () => Buffer.from(JSON.stringify({ ref: 'f', to: 'extranet/archive', label: 'public', body: 'x' })),
    () => Buffer.from('not json'),
    () => Buffer.from([0xc3, 0x28, 0xa0, 0xa1]),
    () => bytes(r, Math.floor(r() * 300)),
    () => Buffer.from('{"to": 1, "body": []}'),
  ])();
  const lenField = r() < 0.1 ? pick(r, [127, 126]) : Math.min(payload.length, 125);
  const head = [fin | rsv | opcode, (masked ? 0x80 : 0) | lenField];
  const ext = lenField === 126 ? Buffer.from([0xff, 0xff]) : lenField === 127 ? Buffer.from([0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) : Buffer.alloc(0);
  const key = bytes(r, 4);
  const body = Buffer.from(payload.subarray(0, lenField <= 125 ? lenField : payload.length));
  if (masked) for (let i = 0; i < body.length; i++) body[i]! ^= key[i % 4]!;
  return Buffer.concat([Buffer.from(head), ext, masked ? key : Buffer.alloc(0), body]);
}

function settle(s: { on(ev: string, fn: () => void): unknown; destroy(): void; setTimeout(ms: number, fn: () => void): unknown }): Promise<void> {
  return new Promise((resolve) => {
    s.on('error', () => resolve());
    s.on('close', () => resolve());
    // An attacker that gets no answer soon goes away (the gateway's own timeouts are tested elsewhere).
    s.setTimeout(1500, () => s.destroy());
  });
}

/** One attack: an HTTP request over mTLS, TLS and TCP edge cases, or a WebSocket channel fed broken frames. */
function attack(port: number, pki: TestPki, r: Rand): Promise<void> {
  const kind = r();
  const creds = pki.system('ferry://police/sys1');
  if (kind < 0.55) {
    const payload = malformedHttp(r);
    const vanish = r() < 0.4;
    const s = connect({ host: '127.0.0.1', port, ca: pki.caCert, ...creds, servername: 'localhost' }, () => {
      s.write(payload);
      if (vanish) s.destroy();
      else s.end();
    });
    s.on('data', () => undefined);
    return settle(s);
  }
  if (kind < 0.75) {
    // TLS and TCP edges: garbage instead of a ClientHello, half a ClientHello, a TLS session
    // without a certificate that then speaks HTTP or nothing, a connection closed at once.
    const edge = Math.floor(r() * 4);
    if (edge === 2) {
      const s = connect({ host: '127.0.0.1', port, ca: pki.caCert, servername: 'localhost' }, () => {
        if (r() < 0.5) s.write(`${HEAD}${TO}content-length: 1\r\n\r\nx`);
        else s.end();
      });
      s.on('data', () => undefined);
      return settle(s);
    }
    const s = tcpConnect({ host: '127.0.0.1', port }, () => {
      if (edge === 0) s.end(bytes(r, 1 + Math.floor(r() * 600)));
      else if (edge === 1) s.end(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]));
      else s.destroy();
    });
    s.on('data', () => undefined);
    return settle(s);
  }
  // A channel opened properly, then fed frames.
  const frames = Array.from({ length: 1 + Math.floor(r() * 4) }, () => wsFrame(r));
  const s = connect({ host: '127.0.0.1', port, ca: pki.caCert, ...creds, servername: 'localhost' }, () => {
    s.write(`GET /v1/channels/fuzz HTTP/1.1\r\nhost: localhost\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-key: ${randomBytes(16).toString('base64')}\r\nsec-websocket-version: 13\r\n\r\n`);
  });
  let upgraded = false;
  s.on('data', (d: Buffer) => {
    if (upgraded || !d.toString('latin1').startsWith('HTTP/1.1 101')) return;
    upgraded = true;
    for (const f of frames) s.write(f);
    s.end();
  });
  return settle(s);
}

t.test('a seeded attack campaign against a gateway process', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const dir = await mkdtemp(join(tmpdir(), 'ferry-fuzz-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'policy.yaml'), await readFile(EXAMPLE_POLICY));
  await writeFile(join(dir, 'gateway.yaml'), gatewayYaml(pki, dir, { destinationPort: dest.port, extra: 'limits: { idle_timeout: 5s, headers_timeout: 2s, handshake_timeout: 2s }\n' }));
  const child = await startGatewayProcess(join(dir, 'gateway.yaml'), 'fatal');
  t.teardown(() => child.kill9());
  const port = child.ports.police!;
  const pid = child.proc.pid!;
  const fds = async () => (await readdir(`/proc/${pid}/fd`)).length;

  const seed = Number(process.env.FERRY_FUZZ_SEED ?? 20261129);
  t.comment(`seed ${seed} (FERRY_FUZZ_SEED=${seed} replays this run)`);
  const r = rng(seed);
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const warm = await putFile(sender, `https://127.0.0.1:${port}`, Buffer.from('warm'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': '4' });
  t.equal(warm.status, 202);
  await dest.waitFor(1);
  const baseline = await fds();

  const good = Buffer.alloc(3 * 1024 * 1024, 7);
  const goodUpload = putFile(sender, `https://127.0.0.1:${port}`, good, { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': String(good.length) });
  const ROUNDS = 20;
  const PER_ROUND = 20;
  for (let round = 0; round < ROUNDS; round++) {
    await Promise.all(Array.from({ length: PER_ROUND }, () => attack(port, pki, r)));
  }
  const ok = await goodUpload;
  t.equal(ok.status, 202, 'the good upload was accepted amid the campaign');
  const [, got] = await dest.waitFor(2);
  t.equal(got!.sha256, createHash('sha256').update(good).digest('hex'), 'and arrived intact');
  t.equal(child.exited, null, `the gateway process is alive after ${ROUNDS * PER_ROUND} attacks (seed ${seed})`);
  const after = await putFile(sender, `https://127.0.0.1:${port}`, Buffer.from('still'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': '5' });
  t.equal(after.status, 202, 'and still serves');
  await dest.waitFor(3);
  // An attack the client has walked away from is still being read until the gateway sees the
  // close or its idle timeout (5 s here) ends it; only then is its .part file removed.
  const parts = async () => (await spoolFiles(join(dir, 'data'))).filter((f) => f.endsWith('.part'));
  await until(async () => ((await parts()).length === 0 ? true : false), 'no .part file', 30_000).catch(() => false);
  t.same(await parts(), [], 'no half-written spool file outlives its connection');
  const q = new Database(join(dir, 'data', 'queue.db'), { readonly: true });
  t.teardown(() => q.close());
  const rows = q.prepare(`SELECT kind, state, filename, label, size FROM transfers`).all() as Array<{ kind: string; state: string; filename: string | null; label: string }>;
  const files = rows.filter((x) => x.kind === 'file');
  t.equal(files.length, 3, `the three good uploads, and no hostile one, were accepted as files ${JSON.stringify(files)}`);
  t.ok(rows.every((x) => x.filename === null || !/[／∕⧸＼⁄/\\]/.test(x.filename)), 'no accepted name holds a separator or a look-alike');
  const settled = await until(async () => ((await fds()) <= baseline + 2 ? true : false), 'descriptors back near the baseline', 30_000).catch(() => false);
  t.ok(settled, `the gateway's descriptors return to the baseline of ${baseline} (now ${await fds()})`);
});
