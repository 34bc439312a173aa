// A ready-made PKI for tests: one CA with gateway and system certificates,
// a second, unrelated CA (for "certificate from another CA" tests), and a
// certificate from the real CA that carries no ferry:// identity. Built with
// the real certs/ code, once per process per directory.
import { rmSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCa, loadCa } from '../../certs/ca.js';
import { issueCertificate } from '../../certs/issue.js';
import { generateRsaKey } from '../../certs/keys.js';
import { PUBLIC_MODE, SECRET_MODE, writeNewFile } from '../../certs/secret-file.js';
import { signCertificate } from '../../certs/x509-profile.js';
import { gatewayId } from '../../protocol/ferry-id.js';

export interface Credentials {
  /** PEM certificate. */
  cert: string;
  /** PEM private key (unencrypted). */
  key: string;
  certPath: string;
  keyPath: string;
}

export interface TestPki {
  dir: string;
  caCert: string;
  caCertPath: string;
  caKeyPath: string;
  /** gw1, gw2 (ferry://gateway/<name>). */
  gateway(name: string): Credentials;
  /** ferry://police/sys1, ferry://extranet/archive, ferry://extranet/portal, ferry://social/hr. */
  system(id: string): Credentials;
  /** ferry://police/sys1 signed by another CA; `caCert` is that CA. */
  foreign: Credentials & { caCert: string; caCertPath: string; dir: string };
  /** Signed by the real CA, valid for TLS, but with no ferry:// URI SAN. */
  noIdentity: Credentials;
  /** Issue one more certificate from the real CA (name = file name and CN). */
  issue(id: string, name: string, opts?: { days?: number; dns?: string[]; ips?: string[]; server?: boolean }): Promise<Credentials>;
}

export const PKI_GATEWAYS = ['gw1', 'gw2'] as const;
export const PKI_SYSTEMS = ['ferry://police/sys1', 'ferry://extranet/archive', 'ferry://extranet/portal', 'ferry://social/hr'] as const;

const cache = new Map<string, Promise<TestPki>>();
const tempDirs: string[] = [];
process.once('exit', () => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

/** File name for an identity: ferry://extranet/archive → extranet-archive. */
function fileName(id: string): string {
  return id.replace(/^ferry:\/\//, '').replace(/\//g, '-');
}

async function issueCreds(dir: string, id: string, name: string, opts: { days?: number; dns?: string[]; ips?: string[]; server?: boolean } = {}): Promise<Credentials> {
  const r = await issueCertificate(dir, { id, name, ...opts });
  return { cert: r.certPem, key: r.keyPem, certPath: r.certPath, keyPath: r.keyPath };
}

/** A certificate from the CA in `dir` whose only SAN is a DNS name: TLS accepts it, Ferry must not. */
async function issueWithoutIdentity(dir: string, name: string): Promise<Credentials> {
  const ca = await loadCa(dir);
  const key = await generateRsaKey();
  const { pem } = signCertificate({
    subjectCn: 'ferry://police/sys1', // a CN that looks like an identity must not be taken for one
    publicKeyPem: key.publicKeyPem,
    days: 30,
    issuer: ca.cert,
    signingKeyPem: ca.keyPem,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'no-identity.test' }] },
    ],
  });
  const certPath = join(dir, `${name}.crt`);
  const keyPath = join(dir, `${name}.key`);
  await writeNewFile(keyPath, key.privateKeyPem, SECRET_MODE);
  await writeNewFile(certPath, pem, PUBLIC_MODE);
  return { cert: pem, key: key.privateKeyPem, certPath, keyPath };
}

async function build(dir: string): Promise<TestPki> {
  const foreignDir = join(dir, 'foreign-ca');
  await Promise.all([initCa(dir, { name: 'Ferry Test CA', days: 30 }), initCa(foreignDir, { name: 'Unrelated CA', days: 30 })]);
  // Key generation runs on libuv's thread pool, so issuing in parallel uses both cores.
  const [gateways, systems, foreign, noIdentity] = await Promise.all([
    Promise.all(PKI_GATEWAYS.map((g) => issueCreds(dir, gatewayId(g), g, { days: 30 }))),
    // extranet/archive receives push deliveries in the tests, so it is also a TLS server.
    Promise.all(PKI_SYSTEMS.map((id) => issueCreds(dir, id, fileName(id), { days: 30, server: id === 'ferry://extranet/archive' }))),
    issueCreds(foreignDir, 'ferry://police/sys1', 'police-sys1', { days: 30 }),
    issueWithoutIdentity(dir, 'no-identity'),
  ]);
  const caCertPath = join(dir, 'ca.crt');
  const foreignCaPath = join(foreignDir, 'ca.crt');
  const [caCert, foreignCa] = await Promise.all([readFile(caCertPath, 'utf8'), readFile(foreignCaPath, 'utf8')]);
  const byGateway = new Map(PKI_GATEWAYS.map((g, i) => [g as string, gateways[i]!]));
  const bySystem = new Map(PKI_SYSTEMS.map((id, i) => [id as string, systems[i]!]));
  return {
    dir,
    caCert,
    caCertPath,
    caKeyPath: join(dir, 'ca.key'),
    gateway(name) {
      const c = byGateway.get(name);
      if (!c) throw new Error(`The test PKI has no gateway ${name}; it has ${PKI_GATEWAYS.join(', ')} (or use issue()).`);
      return c;
    },
    system(id) {
      const c = bySystem.get(id);
      if (!c) throw new Error(`The test PKI has no system ${id}; it has ${PKI_SYSTEMS.join(', ')} (or use issue()).`);
      return c;
    },
    foreign: { ...foreign, caCert: foreignCa, caCertPath: foreignCaPath, dir: foreignDir },
    noIdentity,
    issue: (id, name, opts) => issueCreds(dir, id, name, opts),
  };
}

/**
 * The test PKI. Without `dir`, a temporary directory removed when the process
 * exits; the result is cached per directory for the life of the process.
 */
export function makePki(dir?: string): Promise<TestPki> {
  const key = dir ?? '';
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      let d = dir;
      if (!d) {
        d = await mkdtemp(join(tmpdir(), 'ferry-pki-'));
        tempDirs.push(d);
      }
      return build(d);
    })();
    cache.set(key, p);
    // A failed build is not cached, so the next caller sees the error afresh.
    p.catch(() => cache.delete(key));
  }
  return p;
}
