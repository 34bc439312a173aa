// The CA and issuance on disk, and their certificates in real TLS: a Node
// HTTPS server with requestCert verifies clients against the CA and takes the
// principal from the verified peer certificate.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import t from 'tap';
import { initCa, loadCa } from '../certs/ca.js';
import { principalFromCertificate } from '../certs/identity.js';
import { issueCertificate } from '../certs/issue.js';
import { readIssued } from '../certs/issued-registry.js';
import { describeCertificate } from '../certs/show.js';
import { type Credentials, makePki } from './helpers/pki.js';

/** What the helpers need of a tap test: somewhere to register cleanup. */
interface Teardown {
  teardown(fn: () => unknown): void;
}

const mode = async (p: string): Promise<number> => (await stat(p)).mode & 0o777;

async function tempDir(t: Teardown): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'ferry-certs-test-'));
  t.teardown(() => rm(d, { recursive: true, force: true }));
  return d;
}

t.test('init writes a CA with a 0600 key and refuses to overwrite it', async (t) => {
  const dir = join(await tempDir(t), 'pki');
  const r = await initCa(dir, { name: 'Test Root', days: 10 });
  t.equal(await mode(r.keyPath), 0o600, 'ca.key is 0600');
  t.equal(await mode(dir), 0o700, 'CA directory is 0700');
  const x = new X509Certificate(await readFile(r.certPath));
  t.equal(x.ca, true, 'basicConstraints CA');
  t.equal(x.subject, 'CN=Test Root');
  t.ok(x.verify(x.publicKey), 'self-signed');
  const days = (Date.parse(x.validTo) - Date.now()) / 86_400_000;
  t.ok(days > 9.9 && days <= 10, `validity ${days} days`);
  await t.rejects(initCa(dir), /already exists/, 'second init refused');
  t.equal(new X509Certificate(await readFile(r.certPath)).fingerprint256, x.fingerprint256, 'certificate unchanged');
});

t.test('a passphrase encrypts the CA key; issuing needs it', async (t) => {
  const dir = await tempDir(t);
  const r = await initCa(dir, { passphrase: 'correct horse' });
  const pem = await readFile(r.keyPath, 'utf8');
  t.match(pem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
  t.equal(await mode(r.keyPath), 0o600);
  await t.rejects(loadCa(dir), /encrypted; give its passphrase/);
  await t.rejects(issueCertificate(dir, { id: 'ferry://police/a', name: 'a', passphrase: 'wrong' }), /passphrase is wrong/);
  const ok = await issueCertificate(dir, { id: 'ferry://police/a', name: 'a', passphrase: 'correct horse' });
  t.equal(describeCertificate(ok.certPem).identity, 'ferry://police/a');
  await t.rejects(initCa(await tempDir(t), { passphrase: '' }), /passphrase is empty/);
});

t.test('issuance: profile, files, registry, refusals', async (t) => {
  const dir = await tempDir(t);
  const caPaths = await initCa(dir);
  const ca = new X509Certificate(await readFile(caPaths.certPath));

  const sys = await issueCertificate(dir, { id: 'ferry://police/sys1', name: 'sys1', days: 5 });
  t.equal(sys.certPath, join(dir, 'sys1.crt'));
  t.equal(await mode(sys.keyPath), 0o600, 'system key 0600');
  const sx = new X509Certificate(sys.certPem);
  t.ok(sx.verify(ca.publicKey), 'signed by the CA');
  t.ok(sx.checkIssued(ca), 'issuer matches');
  t.equal(sx.ca, false);
  t.equal(sx.subject, 'CN=sys1');
  t.equal(sx.subjectAltName, 'URI:ferry://police/sys1', 'exactly one URI SAN, nothing else');
  t.same(sx.keyUsage, ['1.3.6.1.5.5.7.3.2'], 'clientAuth only');
  t.equal(sx.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  t.ok(sx.checkPrivateKey(createPrivateKey(sys.keyPem)), 'key matches');

  const gw = await issueCertificate(dir, { id: 'ferry://gateway/gw1', name: 'gw1', dns: ['gw1.example.org'], ips: ['10.1.2.3'] });
  const gx = new X509Certificate(gw.certPem);
  t.same(gx.keyUsage?.slice().sort(), ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'], 'serverAuth and clientAuth');
  t.equal(gx.subjectAltName, 'URI:ferry://gateway/gw1, DNS:localhost, DNS:gw1.example.org, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:10.1.2.3');
  t.equal(gx.checkHost('localhost'), 'localhost');
  t.equal(gx.checkIP('127.0.0.1'), '127.0.0.1');
  t.equal(gx.checkIP('::1'), '::1');

  // Serials: 128 random bits, as in the certificate, recorded in issued.jsonl.
  t.equal(sys.serial, sx.serialNumber.toLowerCase().replace(/^00/, ''));
  t.match(sys.serial, /^[0-9a-f]{32}$/, '128-bit serial, 32 hex digits');
  t.not(sys.serial, gw.serial);
  const issued = await readIssued(dir);
  t.same(issued.map((r) => [r.serial, r.id, r.name, r.kind]), [
    [sys.serial, 'ferry://police/sys1', 'sys1', 'system'],
    [gw.serial, 'ferry://gateway/gw1', 'gw1', 'gateway'],
  ]);
  t.equal(issued[0]!.notAfter, new Date(sx.validTo).toISOString(), 'recorded notAfter is the certificate\'s');
  t.equal(issued[0]!.sha256, sx.fingerprint256);

  await t.rejects(issueCertificate(dir, { id: 'ferry://police/sys1', name: 'sys1' }), /already exists/, 'no overwrite');
  await t.rejects(issueCertificate(dir, { id: 'ferry://Police/x', name: 'x' }), /not a ferry identity/);
  await t.rejects(issueCertificate(dir, { id: 'ferry://police/x', name: '../x' }), /cannot name a certificate file/);
  await t.rejects(issueCertificate(dir, { id: 'ferry://police/x', name: 'ca' }), /cannot name a certificate file/);
  await t.rejects(issueCertificate(dir, { id: 'ferry://police/x', name: 'x', dns: ['x.test'] }), /for gateway certificates/);
  await t.rejects(issueCertificate(dir, { id: 'ferry://gateway/x', name: 'x', ips: ['300.1.1.1'] }), /not an IPv4 or IPv6/);
  await t.rejects(issueCertificate(dir, { id: 'ferry://gateway/x', name: 'x', dns: ['bad name'] }), /not a DNS name/);
  await t.rejects(issueCertificate(dir, { id: 'ferry://police/x', name: 'x', days: 0 }), /whole number of days/);
  t.equal((await readIssued(dir)).length, 2, 'refusals record nothing');
});

t.test('the test PKI fixture', async (t) => {
  const pki = await makePki();
  t.equal(await makePki(), pki, 'cached within the process');
  for (const [c, id] of [[pki.gateway('gw1'), 'ferry://gateway/gw1'], [pki.system('ferry://social/hr'), 'ferry://social/hr'], [pki.foreign, 'ferry://police/sys1']] as const) {
    t.equal(describeCertificate(c.cert).identity, id);
    t.equal(await mode(c.keyPath), 0o600, `${id} key 0600`);
  }
  const ca = new X509Certificate(pki.caCert);
  t.notOk(new X509Certificate(pki.foreign.cert).verify(ca.publicKey), 'foreign certificate is not from the CA');
  t.ok(new X509Certificate(pki.noIdentity.cert).verify(ca.publicKey), 'no-identity certificate is from the CA');
  t.throws(() => pki.system('ferry://police/nobody'), /has no system/);
  const extra = await pki.issue('ferry://police/extra', 'extra');
  t.equal(describeCertificate(extra.cert).identity, 'ferry://police/extra');
});

// --- real TLS ---------------------------------------------------------------

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** An mTLS server that answers with the principal of the verified client, as ingress will. */
async function startServer(t: Teardown, server: Credentials, ca: string): Promise<number> {
  const srv: Server = createServer({ key: server.key, cert: server.cert, ca, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const sock = req.socket as TLSSocket;
    let status = 200;
    let body: Record<string, unknown>;
    if (!sock.authorized) {
      status = 401;
      body = { code: 'FERRY_CERT_UNTRUSTED', reason: String(sock.authorizationError) };
    } else {
      const principal = principalFromCertificate(sock.getPeerX509Certificate()!);
      if (principal) body = { principal };
      else {
        status = 403;
        body = { code: 'FERRY_IDENTITY_INVALID' };
      }
    }
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => srv.close(() => resolve())));
  return (srv.address() as AddressInfo).port;
}

function get(port: number, client: Credentials | null, ca: string, host = '127.0.0.1', checkName = true): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({
      host, port, path: '/', method: 'GET', ca, agent: false,
      ...(client ? { cert: client.cert, key: client.key } : {}),
      ...(checkName ? {} : { checkServerIdentity: () => undefined }),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end();
  });
}

t.test('mTLS with the issued certificates', async (t) => {
  const pki = await makePki();
  const port = await startServer(t, pki.gateway('gw1'), pki.caCert);

  const sys = await get(port, pki.system('ferry://police/sys1'), pki.caCert);
  t.equal(sys.status, 200);
  t.same(sys.body, { principal: { kind: 'system', network: 'police', system: 'sys1', uri: 'ferry://police/sys1' } });

  const gw = await get(port, pki.gateway('gw2'), pki.caCert);
  t.same(gw.body, { principal: { kind: 'gateway', gateway: 'gw2', uri: 'ferry://gateway/gw2' } }, 'a gateway certificate works as a client');

  const foreign = await get(port, pki.foreign, pki.caCert);
  t.equal(foreign.status, 401, 'certificate of another CA is not authorized');
  t.equal(foreign.body.code, 'FERRY_CERT_UNTRUSTED');

  const none = await get(port, pki.noIdentity, pki.caCert);
  t.equal(none.status, 403, 'a trusted certificate without ferry:// URI gives no principal');

  const anonymous = await get(port, null, pki.caCert);
  t.equal(anonymous.status, 401, 'no client certificate');

  const byName = await get(port, pki.system('ferry://extranet/archive'), pki.caCert, 'localhost');
  t.equal(byName.status, 200, 'the gateway certificate is valid for localhost');
});

t.test('TLS enforces the profile: clients check the gateway, EKUs are honoured', async (t) => {
  const pki = await makePki();
  const port = await startServer(t, pki.gateway('gw1'), pki.caCert);
  await t.rejects(get(port, pki.system('ferry://police/sys1'), pki.foreign.caCert), { code: /^(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/ }, 'a client trusting another CA refuses the gateway');
  // A system certificate is clientAuth only: as a TLS server it is refused (RFC 5280 4.2.1.12).
  const sysAsServer = await startServer(t, pki.system('ferry://extranet/portal'), pki.caCert);
  // Host-name checking is off so that only the purpose check can refuse it.
  await t.rejects(get(sysAsServer, pki.system('ferry://police/sys1'), pki.caCert, '127.0.0.1', false), { code: 'INVALID_PURPOSE' }, 'system certificate cannot serve TLS');
});

t.test('a leftover certificate file blocks issuing without leaving a stray key', async (t) => {
  const dir = await tempDir(t);
  await initCa(dir);
  const first = await issueCertificate(dir, { id: 'ferry://police/a', name: 'a' });
  await rm(first.keyPath);
  await t.rejects(issueCertificate(dir, { id: 'ferry://police/a', name: 'a' }), /a\.crt already exists/);
  await t.rejects(stat(first.keyPath), { code: 'ENOENT' }, 'no new key was written');
  t.equal((await readIssued(dir)).length, 1);
});
