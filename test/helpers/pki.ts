// A ready-made PKI for tests: one CA with gateway and system certificates,
// a second, unrelated CA (for "certificate from another CA" tests), and a
// certificate from the real CA that carries no ferry:// identity. Built with
// the real certs/ code, once per process per directory.
import { rmSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCa } from '../../certs/ca.js';
import { buildDevPki, type PkiTopology } from '../../certs/dev-pki.js';
import { issueCertificate, type IssuedCertificate } from '../../certs/issue.js';
import { generateRsaKey } from '../../certs/keys.js';
import { PUBLIC_MODE, SECRET_MODE, writeNewFile } from '../../certs/secret-file.js';
import { signCertificate } from '../../certs/x509-profile.js';
import { parseFerryId } from '../../protocol/ferry-id.js';

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
  const systems: PkiTopology['networks'] = {};
  for (const id of PKI_SYSTEMS) {
    const p = parseFerryId(id) as { network: string; system: string };
    // extranet/archive receives push deliveries in the tests, so it is also a TLS server.
    (systems[p.network] ??= []).push({ name: p.system, server: id === 'ferry://extranet/archive' });
  }
  const [real, other] = await Promise.all([
    buildDevPki(dir, { caName: 'Ferry Test CA', days: 90, gateways: [...PKI_GATEWAYS], networks: systems }),
    buildDevPki(foreignDir, { caName: 'Unrelated CA', days: 90, gateways: [], networks: { police: ['sys1'] } }),
  ]);
  const noIdentity = await issueWithoutIdentity(dir, 'no-identity');
  const creds = (c: IssuedCertificate): Credentials => ({ cert: c.certPem, key: c.keyPem, certPath: c.certPath, keyPath: c.keyPath });
  const foreign = creds(other.systems.get('police/sys1')!);
  const caCertPath = real.caCertPath;
  const foreignCaPath = other.caCertPath;
  const [caCert, foreignCa] = await Promise.all([readFile(caCertPath, 'utf8'), readFile(foreignCaPath, 'utf8')]);
  const byGateway = new Map([...real.gateways].map(([g, c]) => [g, creds(c)]));
  const bySystem = new Map([...real.systems].map(([id, c]) => [`ferry://${id}`, creds(c)]));
  return {
    dir,
    caCert,
    caCertPath,
    caKeyPath: real.caKeyPath,
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
