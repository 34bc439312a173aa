// Malformed requests never crash the gateway nor harm other transfers: a
// seeded stream of broken requests (random bytes, cut-off and oversize
// headers, bad lengths, bad encodings, abrupt closes) hits a gateway running
// as its own process while a good upload goes through; afterwards the process
// is alive, the good transfer arrived intact, and nothing half-done is queued.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import t from 'tap';
import { EXAMPLE_POLICY } from '../gateway/setup/dev-setup.js';
import { makePki, type TestPki } from './helpers/pki.js';
import { clientFor, gatewayYaml, putFile, startDestination, startGatewayProcess } from './helpers/gateway-fixture.js';


/** A small deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function malformed(r: () => number): Buffer {
  const pick = Math.floor(r() * 9);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)));
  const head = 'PUT /v1/files HTTP/1.1\r\nhost: localhost\r\nferry-to: extranet/archive\r\n';
  switch (pick) {
    case 0: return bytes(1 + Math.floor(r() * 2000));
    case 1: return Buffer.from(`${head}content-length: ${Math.floor(r() * 1e6)}\r\n\r\n`).subarray(0, Math.floor(r() * 120));
    case 2: return Buffer.from(`${head}content-length: 10\r\n\r\n${'x'.repeat(Math.floor(r() * 40))}`);
    case 3: return Buffer.from(`${head}content-length: -5\r\n\r\nhello`);
    case 4: return Buffer.from(`${head}transfer-encoding: chunked\r\n\r\nzz\r\n${bytes(30).toString('latin1')}`, 'latin1');
    case 5: return Buffer.from(`${head}ferry-filename: %${bytes(4).toString('hex')}%ZZ\r\ncontent-length: 1\r\n\r\nx`);
    case 6: return Buffer.concat([Buffer.from(`PUT /v1/files HTTP/1.1\r\n`), bytes(200), Buffer.from('\r\n\r\n')]);
    case 7: return Buffer.from(`GET /v1/transfers/${bytes(10).toString('hex')}%%% HTTP/1.1\r\nhost: x\r\n\r\n`);
    default: return Buffer.from(`${head}content-length: 5\r\ncontent-length: 6\r\n\r\nhello!`);
  }
}

function hit(port: number, pki: TestPki, payload: Buffer, r: () => number): Promise<void> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, ca: pki.caCert, ...pki.system('ferry://police/sys1'), servername: 'localhost' }, () => {
      s.write(payload);
      // Sometimes vanish at once, sometimes wait for the answer.
      if (r() < 0.4) s.destroy();
      else s.end();
    });
    s.on('data', () => undefined);
    s.on('error', () => resolve());
    s.on('close', () => resolve());
    s.setTimeout(5000, () => s.destroy());
  });
}

t.test('a stream of malformed requests', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const dir = await mkdtemp(join(tmpdir(), 'ferry-fuzz-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'policy.yaml'), await readFile(EXAMPLE_POLICY));
  await writeFile(join(dir, 'gateway.yaml'), gatewayYaml(pki, dir, { destinationPort: dest.port, extra: 'limits: { idle_timeout: 5s, headers_timeout: 2s }\n' }));
  const child = await startGatewayProcess(join(dir, 'gateway.yaml'), 'fatal');
  t.teardown(() => child.kill9());
  const port = child.ports.police!;

  const seed = 20261125;
  const r = rng(seed);
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const good = Buffer.alloc(3 * 1024 * 1024, 7);
  const goodUpload = putFile(sender, `https://127.0.0.1:${port}`, good, { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': String(good.length) });
  for (let round = 0; round < 15; round++) {
    await Promise.all(Array.from({ length: 20 }, () => hit(port, pki, malformed(r), r)));
  }
  const ok = await goodUpload;
  t.equal(ok.status, 202, 'the good upload was accepted amid the noise');
  const [got] = await dest.waitFor(1);
  t.equal(got!.sha256, createHash('sha256').update(good).digest('hex'), 'and arrived intact');
  t.equal(child.exited, null, `the gateway process is alive after 300 malformed requests (seed ${seed})`);
  const after = await putFile(sender, `https://127.0.0.1:${port}`, Buffer.from('still'), { 'ferry-to': 'extranet/archive', 'ferry-label': 'public', 'content-length': '5' });
  t.equal(after.status, 202, 'and still serves');
  await dest.waitFor(2);
  const leftovers = (await readdir(join(dir, 'data', 'spool'))).filter((f) => f.endsWith('.part'));
  t.same(leftovers, [], 'no half-written spool file');
});
