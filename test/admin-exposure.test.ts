// Regression (issue 9, item 6): admin.listen on a non-loopback address passed
// --check without a word and started. Now --check warns and says the start would
// be refused, and a start is refused, until administrator authentication is
// configured; and the admin plane answers only to the Host names it is configured
// for (421 with a code otherwise: DNS rebinding against a loopback listener).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import t from 'tap';
import { request } from 'undici';
import { EXAMPLE_POLICY } from '../gateway/setup/dev-setup.js';
import { gatewayYaml, startDestination, startTestGateway } from './helpers/gateway-fixture.js';
import { runFerry } from './helpers/ferry-process.js';
import { makePki } from './helpers/pki.js';
import { rawRequest } from './helpers/raw-request.js';

t.test('a non-loopback admin.listen: --check warns, start refuses', async (t) => {
  const pki = await makePki();
  const dir = await mkdtemp(join(tmpdir(), 'ferry-admin-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'policy.yaml'), await readFile(EXAMPLE_POLICY));
  const yaml = gatewayYaml(pki, dir, { destinationPort: 9 }).replace('admin: { listen: "127.0.0.1:0" }', 'admin: { listen: "0.0.0.0:0" }');
  t.match(yaml, /admin: \{ listen: "0\.0\.0\.0:0" \}/);
  await writeFile(join(dir, 'gateway.yaml'), yaml);
  const check = await runFerry(['gateway', '--config', join(dir, 'gateway.yaml'), '--check'], { timeoutMs: 120_000 });
  t.match(check.stderr, /warning: admin\.listen: 0\.0\.0\.0:0 is not a loopback address/, '--check warns');
  t.match(check.stderr, /no administrator authentication is configured/, 'and says why a start would be refused');
  // A start that went on running would be killed at the bound; a refusal exits (slowly, on a loaded machine).
  const start = await runFerry(['gateway', '--config', join(dir, 'gateway.yaml')], { timeoutMs: 120_000 });
  t.not(start.code, 0, 'the start is refused');
  t.not(start.code, null, 'at once, not after running');
  t.match(start.stderr, /admin\.listen: 0\.0\.0\.0:0 is not a loopback address/);
  // On loopback, nothing to say.
  await writeFile(join(dir, 'gateway.yaml'), gatewayYaml(pki, dir, { destinationPort: 9 }));
  const quiet = await runFerry(['gateway', '--config', join(dir, 'gateway.yaml'), '--check'], { timeoutMs: 120_000 });
  t.notMatch(quiet.stderr, /admin\.listen/, 'a loopback admin.listen passes without a word');
});

t.test('the admin plane answers only to its configured names', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port });
  const port = fx.gw.adminPort;
  const ask = async (host: string) => {
    const res = await request(`http://127.0.0.1:${port}/healthz`, { headers: { host } });
    const text = await res.body.text();
    return { status: res.statusCode, text };
  };
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost', `[::1]:${port}`]) {
    t.equal((await ask(host)).status, 200, `Host: ${host} is answered`);
  }
  for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1:${port + 1}`, `localhost.evil.example:${port}`, '']) {
    const r = await ask(host);
    t.equal(r.status, 421, `Host: '${host}' is refused with 421`);
    t.match(r.text, /FERRY_MISDIRECTED_REQUEST/, 'with its code');
  }
  // Second campaign: two Hosts, the good one first, passed the check that read only the first.
  const two = await new Promise<string>((resolve) => {
    const s = connect(port, '127.0.0.1', () => s.write(`GET /healthz HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nhost: evil.example\r\nconnection: close\r\n\r\n`));
    let text = '';
    s.on('data', (d: Buffer) => (text += d.toString()));
    s.on('close', () => resolve(text));
    s.on('error', () => resolve(text));
  });
  t.match(two, /^HTTP\/1\.1 400 /, 'two Host headers: 400');
  // The console and API listener had no Host check at all (the console page answered evil.example).
  const api = fx.gw.adminApiPort;
  for (const path of ['/console/', '/v1/admin/health']) {
    const evil = await rawRequest(api, pki, `GET ${path} HTTP/1.1\r\nhost: evil.example\r\nconnection: close\r\n\r\n`);
    t.equal(evil.status, 421, `admin API ${path}, Host: evil.example: 421`);
    t.equal(evil.json?.code, 'FERRY_MISDIRECTED_REQUEST');
    const dup = await rawRequest(api, pki, `GET ${path} HTTP/1.1\r\nhost: 127.0.0.1:${api}\r\nhost: evil.example\r\nconnection: close\r\n\r\n`);
    t.equal(dup.status, 400, `admin API ${path}, two Hosts: 400`);
    const good = await rawRequest(api, pki, `GET ${path} HTTP/1.1\r\nhost: 127.0.0.1:${api}\r\nconnection: close\r\n\r\n`);
    t.not(good.status, 421, `admin API ${path}, its own address: past the Host check (${good.status})`);
  }
});
