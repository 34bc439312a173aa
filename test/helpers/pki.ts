// A ready-made PKI for tests: one CA with gateway and system certificates,
// a second, unrelated CA (for "certificate from another CA" tests), and a
// certificate from the real CA that carries no ferry:// identity. Built with
// the real certs/ code.
//
// Building it makes eleven RSA keys (about 3.6 s of CPU), and 54 test files
// used to build their own. It is now built once per machine and copied: the
// first process to need it builds it into a shared cache directory (see
// cacheRoot()), and every process gets its own copy of that directory, so a
// test that revokes, renews or issues into it changes only its own. The cache
// is keyed by the certs/ code and this file, and rebuilt after a few hours.
// Certificates issued with issue() are cached the same way, by their
// arguments: a hit writes the same files, and the same line of the CA's
// issued.jsonl, that issuing them wrote.
import { createHash, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { appendFile, cp, mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CA_CERT_FILE, CA_KEY_FILE, loadCa } from '../../certs/ca.js';
import { buildDevPki, systemFileName, type PkiTopology } from '../../certs/dev-pki.js';
import { issueCertificate } from '../../certs/issue.js';
import { ISSUED_FILE } from '../../certs/issued-registry.js';
import { generateRsaKey } from '../../certs/keys.js';
import { PUBLIC_MODE, SECRET_MODE, fileExists, writeNewFile } from '../../certs/secret-file.js';
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

const FOREIGN_DIR = 'foreign-ca';
const NO_IDENTITY = 'no-identity';

/** Make the whole PKI in `dir` (empty) with the real certs/ code. */
async function build(dir: string): Promise<void> {
  const systems: PkiTopology['networks'] = {};
  for (const id of PKI_SYSTEMS) {
    const p = parseFerryId(id) as { network: string; system: string };
    // extranet/archive receives push deliveries in the tests, so it is also a TLS server.
    (systems[p.network] ??= []).push({ name: p.system, server: id === 'ferry://extranet/archive' });
  }
  await Promise.all([
    buildDevPki(dir, { caName: 'Ferry Test CA', days: 90, gateways: [...PKI_GATEWAYS], networks: systems }),
    buildDevPki(join(dir, FOREIGN_DIR), { caName: 'Unrelated CA', days: 90, gateways: [], networks: { police: ['sys1'] } }),
  ]);
  await issueWithoutIdentity(dir, NO_IDENTITY);
}

/** The PKI in `dir` (as build() made it), read from its files. */
async function load(dir: string): Promise<TestPki> {
  const creds = async (d: string, name: string): Promise<Credentials> => {
    const certPath = join(d, `${name}.crt`);
    const keyPath = join(d, `${name}.key`);
    const [cert, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
    return { cert, key, certPath, keyPath };
  };
  const foreignDir = join(dir, FOREIGN_DIR);
  const caCertPath = join(dir, CA_CERT_FILE);
  const foreignCaPath = join(foreignDir, CA_CERT_FILE);
  const [caCert, foreignCa, foreign, noIdentity, gateways, systems] = await Promise.all([
    readFile(caCertPath, 'utf8'), readFile(foreignCaPath, 'utf8'),
    creds(foreignDir, systemFileName('police', 'sys1')), creds(dir, NO_IDENTITY),
    Promise.all(PKI_GATEWAYS.map((g) => creds(dir, g))),
    Promise.all(PKI_SYSTEMS.map((id) => {
      const p = parseFerryId(id) as { network: string; system: string };
      return creds(dir, systemFileName(p.network, p.system));
    })),
  ]);
  const byGateway = new Map<string, Credentials>(PKI_GATEWAYS.map((g, i) => [g, gateways[i]!]));
  const bySystem = new Map<string, Credentials>(PKI_SYSTEMS.map((id, i) => [id, systems[i]!]));
  return {
    dir,
    caCert,
    caCertPath,
    caKeyPath: join(dir, CA_KEY_FILE),
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
    issue: (id, name, opts) => issueCached(dir, id, name, opts),
  };
}

/** How long a built PKI is reused: far inside its certificates' 90 days, and fresh enough that "issued now" stays true to within hours. */
const CACHE_MAX_AGE_MS = 6 * 3600_000;

/**
 * The shared cache: FERRY_TEST_PKI_CACHE, else a directory in the system's
 * temporary directory named after the user and a hash of the code that makes
 * the PKI (a change to certs/ or to this file starts a new cache).
 */
function cacheRoot(): string {
  if (process.env.FERRY_TEST_PKI_CACHE) return process.env.FERRY_TEST_PKI_CACHE;
  const hash = createHash('sha256');
  const certsDir = fileURLToPath(new URL('../../certs/', import.meta.url));
  for (const f of readdirSync(certsDir).filter((n) => n.endsWith('.js')).sort()) hash.update(f).update(readFileSync(join(certsDir, f)));
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  let user: string;
  try {
    user = String(userInfo().uid);
  } catch {
    user = 'user';
  }
  return join(tmpdir(), `ferry-test-pki-${user}-${hash.digest('hex').slice(0, 16)}`);
}

let root: string | null = null;
let base: Promise<string> | null = null;

/**
 * A complete PKI in the shared cache, built now if there is none young enough.
 * Each build goes to its own directory and is renamed into place when whole
 * (base-<time>), so processes that start together never see a half-built one;
 * at worst each builds its own.
 */
async function sharedBase(): Promise<string> {
  root ??= cacheRoot();
  await mkdir(root, { recursive: true, mode: 0o700 });
  const now = Date.now();
  const bases = (await readdir(root)).filter((n) => /^base-\d+$/.test(n)).map((n) => ({ n, at: Number(n.slice(5)) })).sort((a, b) => b.at - a.at);
  for (const old of bases.filter((b) => now - b.at > 2 * CACHE_MAX_AGE_MS)) {
    for (const d of [old.n, `issued-${old.at}`]) await rm(join(root, d), { recursive: true, force: true }).catch(() => undefined);
  }
  const young = bases.find((b) => now - b.at <= CACHE_MAX_AGE_MS && b.at <= now);
  if (young) return join(root, young.n);
  const building = await mkdtemp(join(root, 'building-'));
  try {
    await build(building);
    const final = join(root, `base-${Date.now()}`);
    await rename(building, final);
    return final;
  } catch (err) {
    await rm(building, { recursive: true, force: true });
    throw err;
  }
}

/** Where the certificates issue() made from the base PKI `baseDir` are kept, by their arguments. */
function issuedCache(baseDir: string): string {
  return join(dirname(baseDir), `issued-${baseDir.slice(baseDir.lastIndexOf('-') + 1)}`);
}

const baseOf = new Map<string, string>();

interface CachedLeaf { cert: string; key: string; record: string }

/** issue(): the real issueCertificate the first time, the same files and registry line after that. */
async function issueCached(dir: string, id: string, name: string, opts: { days?: number; dns?: string[]; ips?: string[]; server?: boolean } = {}): Promise<Credentials> {
  const from = baseOf.get(dir);
  const certPath = join(dir, `${name}.crt`);
  const keyPath = join(dir, `${name}.key`);
  const file = from ? join(issuedCache(from), `${createHash('sha256').update(JSON.stringify([id, name, opts])).digest('hex')}.json`) : null;
  let hit: CachedLeaf | null = null;
  if (file) {
    try {
      hit = JSON.parse(await readFile(file, 'utf8')) as CachedLeaf;
    } catch {
      hit = null;
    }
  }
  if (hit) {
    // What issueCertificate refuses, refused the same way.
    for (const p of [certPath, keyPath]) {
      if (await fileExists(p)) throw new Error(`${p} already exists; it is never overwritten. Choose another name (e.g. ${name}-2).`);
    }
    await writeNewFile(keyPath, hit.key, SECRET_MODE);
    await writeNewFile(certPath, hit.cert, PUBLIC_MODE);
    await appendFile(join(dir, ISSUED_FILE), hit.record, { mode: 0o644 });
    return { cert: hit.cert, key: hit.key, certPath, keyPath };
  }
  const r = await issueCertificate(dir, { id, name, ...opts });
  if (file) {
    const serial = new X509Certificate(r.certPem).serialNumber.toLowerCase();
    const record = (await readFile(join(dir, ISSUED_FILE), 'utf8')).split('\n').find((l) => {
      try {
        return (JSON.parse(l) as { serial: string }).serial.toLowerCase().replace(/^0+/, '') === serial.replace(/^0+/, '');
      } catch {
        return false;
      }
    });
    if (record) {
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify({ cert: r.certPem, key: r.keyPem, record: `${record}\n` } satisfies CachedLeaf), { mode: 0o600 });
      await rename(tmp, file);
    }
  }
  return { cert: r.certPem, key: r.keyPem, certPath: r.certPath, keyPath: r.keyPath };
}

/**
 * The test PKI. Without `dir`, a copy of the shared cache's PKI in a temporary
 * directory removed when the process exits; with `dir`, built there afresh.
 * Cached per directory for the life of the process.
 */
export function makePki(dir?: string): Promise<TestPki> {
  const key = dir ?? '';
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      if (dir) {
        await build(dir);
        return load(dir);
      }
      base ??= sharedBase();
      // A failed build is not kept, so the next caller tries again.
      base.catch(() => {
        base = null;
      });
      const from = await base;
      const d = await mkdtemp(join(tmpdir(), 'ferry-pki-'));
      tempDirs.push(d);
      await cp(from, d, { recursive: true });
      // The copy keeps each file's mode (keys 0600): checked, because a gateway refuses a key others can read.
      if (((await stat(join(d, CA_KEY_FILE))).mode & 0o077) !== 0) throw new Error(`the copy of the test PKI in ${d} lost its key files' mode`);
      baseOf.set(d, from);
      return load(d);
    })();
    cache.set(key, p);
    // A failed build is not cached, so the next caller sees the error afresh.
    p.catch(() => cache.delete(key));
  }
  return p;
}
