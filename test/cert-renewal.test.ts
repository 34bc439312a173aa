// Renewal without a restart: the gateway's certificate and key renewed in
// place (`ferry certs renew`) while uploads keep coming: new connections get
// the new certificate, none of the uploads fails, including one in flight
// across the change. A CA bundle with a second CA rolls the CA over. A key file
// others can read stops the start with a sentence that says how to fix it.
import { spawnSync } from 'node:child_process';
import { chmod, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { connect } from 'node:tls';
import t from 'tap';
import { Agent } from 'undici';
import { initCa } from '../certs/ca.js';
import { issueCertificate } from '../certs/issue.js';
import { renewCertificate } from '../certs/renew.js';
import { normalizeSerial } from '../certs/x509-profile.js';
import { parseGatewayConfig } from '../gateway/config/gateway-config.js';
import { startGateway } from '../gateway/gateway.js';
import { createLogger } from '../gateway/log/logger.js';
import { EXAMPLE_POLICY } from '../gateway/setup/dev-setup.js';
import { clientFor, gatewayYaml, putFile, startDestination, startTestGateway, until } from './helpers/gateway-fixture.js';
import { makePki } from './helpers/pki.js';

const WITHIN_MS = 5_000;

/** The serial of the certificate a new TLS connection to the port is shown. */
function servedSerial(port: number, ca: string, creds: { cert: string; key: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, ca, cert: creds.cert, key: creds.key, servername: 'localhost' }, () => {
      const serial = normalizeSerial(s.getPeerX509Certificate()!.serialNumber);
      s.end();
      resolve(serial);
    });
    s.once('error', reject);
  });
}

t.test('the gateway certificate and key renewed under a steady load of uploads: none fails', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  // The slow upload below waits for the renewal and the uploads after it: its idle guard must outlast a loaded machine.
  const fx = await startTestGateway(t, { destinationPort: dest.port, extra: 'limits: { idle_timeout: 10m }' });
  const creds = pki.system('ferry://police/sys1');
  const port = fx.gw.ports.police!;
  const before = await servedSerial(port, pki.caCert, creds);

  let stop = false;
  const answers: number[] = [];
  const worker = async (w: number) => {
    for (let i = 0; !stop; i++) {
      // A fresh agent now and then, so that new connections are made across the change.
      const agent = new Agent({ connect: { ca: pki.caCert, cert: creds.cert, key: creds.key } });
      const r = await putFile(agent, fx.url('police'), Buffer.from(`worker ${w} upload ${i}\n`), { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'ferry-filename': `w${w}-${i}.txt` });
      answers.push(r.status);
      await agent.close();
    }
  };
  // One upload whose body trickles in across the renewal: the connection it rides on keeps its context.
  const slowAgent = clientFor(t, pki, creds);
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const slowBody = Readable.from((async function* () {
    yield Buffer.from('first half of a slow upload\n');
    await released;
    yield Buffer.from('second half, sent after the renewal\n');
  })());
  const slow = putFile(slowAgent, fx.url('police'), slowBody, { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'ferry-filename': 'slow.txt' });
  const workers = [worker(1), worker(2)];
  await until(() => answers.length >= 3, 'uploads under way', 180_000);

  const renewed = await renewCertificate(pki.dir, { name: 'gw1', days: 30 });
  t.not(renewed.serial, before);
  const after = await until(async () => {
    const s = await servedSerial(port, pki.caCert, creds);
    return s === renewed.serial ? s : null;
  }, 'new connections shown the renewed certificate', WITHIN_MS);
  t.equal(after, renewed.serial, 'a new connection gets the renewed certificate, without a restart');
  const atRenewal = answers.length;
  await until(() => answers.length >= atRenewal + 3, 'uploads after the renewal', 180_000);
  release();
  stop = true;
  await Promise.all(workers);
  const slowAnswer = await slow;
  t.equal(slowAnswer.status, 202, 'the upload in flight across the renewal is accepted');
  t.ok(answers.length >= 6, `${answers.length} uploads during the test`);
  t.same(answers.filter((s) => s !== 202), [], 'no upload failed');
  // The forwarder's new connections present the renewed certificate too; every transfer arrives.
  await dest.waitFor(answers.length + 1, 180_000);
  t.equal(dest.received.length, answers.length + 1, 'every accepted upload was delivered');
});

t.test('a CA bundle with a second CA rolls the CA over without a restart', async (t) => {
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const dir = await mkdtemp(join(tmpdir(), 'ferry-rollover-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const caDir = join(dir, 'new-ca');
  await initCa(caDir, { name: 'Ferry CA 2027', days: 30 });
  const moved = await issueCertificate(caDir, { id: 'ferry://police/sys1', name: 'sys1', days: 30 });
  const bundle = join(dir, 'ca-bundle.crt');
  await copyFile(pki.caCertPath, bundle);
  await writeFile(join(dir, 'policy.yaml'), await readFile(EXAMPLE_POLICY, 'utf8'));
  // The test gateway, trusting a bundle file instead of the CA file.
  const config = parseGatewayConfig(gatewayYaml(pki, dir, { destinationPort: dest.port }).replace(`ca: ${pki.caCertPath}`, `ca: ${bundle}`), join(dir, 'gateway.yaml'));
  const gw = await startGateway(config, { log: createLogger({ level: 'silent' }) });
  t.teardown(() => gw.stop());
  const url = `https://127.0.0.1:${gw.ports.police}`;
  const send = async (creds: { cert: string; key: string }, name: string) => {
    const agent = new Agent({ connect: { ca: pki.caCert, cert: creds.cert, key: creds.key } });
    const r = await putFile(agent, url, Buffer.from(name), { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'ferry-filename': name });
    await agent.close();
    return r;
  };
  const refused = await send({ cert: moved.certPem, key: moved.keyPem }, 'too-early.txt');
  t.equal(refused.json.code, 'FERRY_CERT_UNTRUSTED', 'a certificate of the new CA is not trusted yet');

  await writeFile(bundle, `${pki.caCert}${await readFile(join(caDir, 'ca.crt'), 'utf8')}`);
  const accepted = await until(async () => {
    const r = await send({ cert: moved.certPem, key: moved.keyPem }, 'after-rollover.txt');
    return r.status === 202 ? r : null;
  }, 'the new CA trusted', WITHIN_MS);
  t.equal(accepted.status, 202, 'with both CAs in the bundle, a certificate of the new CA is accepted');
  t.equal((await send(pki.system('ferry://police/sys1'), 'old-ca.txt')).status, 202, 'and one of the old CA still is');
  t.equal(gw.context.trust.tls.cas.length, 2);
});

t.test('a TLS key file others can read is refused at start; a bad renewal keeps the working set', async (t) => {
  const pki = await makePki();
  const dir = await mkdtemp(join(tmpdir(), 'ferry-keymode-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const key = join(dir, 'gw1.key');
  await copyFile(pki.gateway('gw1').keyPath, key);
  await chmod(key, 0o644);
  const text = gatewayYaml(pki, dir, { destinationPort: 1 }).replace(`key: ${pki.gateway('gw1').keyPath}`, `key: ${key}`);
  await writeFile(join(dir, 'policy.yaml'), await readFile(EXAMPLE_POLICY, 'utf8'));
  const config = parseGatewayConfig(text, join(dir, 'gateway.yaml'));
  await t.rejects(startGateway(config, { log: createLogger({ level: 'silent' }) }), { message: /tls\.key: The key file .* is open to other users \(mode 0644\).*chmod 600/ });
  await writeFile(join(dir, 'gateway.yaml'), text);
  const check = spawnSync(process.execPath, [new URL('../bin/ferry.js', import.meta.url).pathname, 'gateway', '--config', join(dir, 'gateway.yaml'), '--check'], { encoding: 'utf8' });
  t.equal(check.status, 2, '`ferry gateway --check` refuses it as a configuration problem');
  t.match(check.stderr, /chmod 600/);

  await chmod(key, 0o600);
  const gw = await startGateway(config, { log: createLogger({ level: 'silent' }) });
  t.teardown(() => gw.stop());
  const serial = normalizeSerial(gw.context.trust.tls.certificate.serialNumber);
  // A key that is not the certificate's: reported, and the working pair stays.
  await writeFile(key, pki.system('ferry://police/sys1').key, { mode: 0o600 });
  await gw.reloadTrust();
  t.match(gw.context.trust.tls.rejected, /does not belong to the certificate/);
  t.equal(normalizeSerial(gw.context.trust.tls.certificate.serialNumber), serial);
  t.equal(await servedSerial(gw.ports.police!, pki.caCert, pki.system('ferry://police/sys1')), serial, 'the gateway still serves its working certificate');
  const health = JSON.parse(await (await fetch(`http://127.0.0.1:${gw.adminPort}/healthz`)).text()) as { degraded: string[] };
  t.ok(health.degraded.some((w) => /TLS files on disk are not used/.test(w)), '/healthz says the files on disk are not in use');
});
