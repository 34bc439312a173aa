// Gateway keys: created once with the right modes, loaded the same ever after,
// usable for Ed25519 signatures and crypto_box_seal, and never replaced.
import { sign, verify, createPublicKey } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, unlink, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadOrCreateGatewayKeys, x25519Public, KEY_FILES } from '../gateway/keys/gateway-keys.js';
import { loadSodium } from '../gateway/spool/sodium.js';

const root = await mkdtemp(join(tmpdir(), 'ferry-keys-'));
t.teardown(() => rm(root, { recursive: true, force: true }));
const mode = async (p: string): Promise<number> => (await stat(p)).mode & 0o777;

t.test('created with private files 0600 and the directory 0700', async (t) => {
  const dir = join(root, 'a', 'keys');
  const k = await loadOrCreateGatewayKeys(dir, 'alpha');
  t.equal(k.name, 'alpha');
  t.equal(await mode(dir), 0o700);
  t.equal(await mode(join(dir, KEY_FILES.signingKey)), 0o600);
  t.equal(await mode(join(dir, KEY_FILES.sealKey)), 0o600);
  t.equal(await mode(join(dir, KEY_FILES.signingPub)), 0o644);
  t.equal(await mode(join(dir, KEY_FILES.sealPub)), 0o644);
  t.same((await readdir(dir)).filter((n) => n.endsWith('.tmp')), [], 'no temporary files left');
  t.match(await readFile(join(dir, KEY_FILES.signingKey), 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/);
  t.match(await readFile(join(dir, KEY_FILES.signingPub), 'utf8'), /^-----BEGIN PUBLIC KEY-----\n/);
  t.equal(k.signingPublicRaw.length, 32);
  t.ok((await readFile(join(dir, KEY_FILES.signingPubRaw))).equals(k.signingPublicRaw));
  t.equal(k.sealPublicKey.length, 32);
  t.equal(k.sealSecretKey.length, 32);
  t.ok((await readFile(join(dir, KEY_FILES.sealPub))).equals(k.sealPublicKey));
});

t.test('the private files are 0600 even under a permissive umask', async (t) => {
  const old = process.umask(0o000);
  t.teardown(() => { process.umask(old); });
  const dir = join(root, 'umask');
  await loadOrCreateGatewayKeys(dir, 'umask');
  t.equal(await mode(join(dir, KEY_FILES.signingKey)), 0o600);
  t.equal(await mode(join(dir, KEY_FILES.sealKey)), 0o600);
});

t.test('loading again gives the same keys', async (t) => {
  const dir = join(root, 'b');
  const k1 = await loadOrCreateGatewayKeys(dir, 'beta');
  const k2 = await loadOrCreateGatewayKeys(dir, 'beta');
  t.ok(k1.signingPublicRaw.equals(k2.signingPublicRaw));
  t.ok(k1.sealPublicKey.equals(k2.sealPublicKey));
  t.ok(k1.sealSecretKey.equals(k2.sealSecretKey));
  t.ok(k1.signingKey.equals(k2.signingKey));
  const other = await loadOrCreateGatewayKeys(join(root, 'b2'), 'beta');
  t.notOk(other.signingPublicRaw.equals(k1.signingPublicRaw), 'another directory, other keys');
});

t.test('two concurrent first starts agree on one key set', async (t) => {
  const dir = join(root, 'race');
  const all = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateGatewayKeys(dir, 'race')));
  for (const k of all) {
    t.ok(k.signingPublicRaw.equals(all[0]!.signingPublicRaw));
    t.ok(k.sealSecretKey.equals(all[0]!.sealSecretKey));
  }
  t.same((await readdir(dir)).filter((n) => n.endsWith('.tmp')), []);
});

t.test('keys of another gateway are refused', async (t) => {
  const dir = join(root, 'c');
  await loadOrCreateGatewayKeys(dir, 'gamma');
  await t.rejects(loadOrCreateGatewayKeys(dir, 'delta'), /belong to gateway "gamma", not "delta"/);
  await t.rejects(loadOrCreateGatewayKeys(join(root, 'd'), 'Bad Name'), /not a lower-case name/);
});

t.test('public files are derived from the private ones and restored', async (t) => {
  const dir = join(root, 'e');
  const k = await loadOrCreateGatewayKeys(dir, 'eps');
  await unlink(join(dir, KEY_FILES.signingPub));
  await writeFile(join(dir, KEY_FILES.sealPub), Buffer.alloc(32));
  const k2 = await loadOrCreateGatewayKeys(dir, 'eps');
  t.ok(k2.sealPublicKey.equals(k.sealPublicKey), 'a wrong seal.pub does not change the key');
  t.ok((await readFile(join(dir, KEY_FILES.sealPub))).equals(k.sealPublicKey), 'seal.pub rewritten');
  const pem = await readFile(join(dir, KEY_FILES.signingPub), 'utf8');
  t.ok(createPublicKey(pem).equals(k.signingPublicKey), 'signing.pub restored');
});

t.test('the signing key signs and the public forms verify', async (t) => {
  const k = await loadOrCreateGatewayKeys(join(root, 'f'), 'zeta');
  const msg = Buffer.from('statement');
  const sig = sign(null, msg, k.signingKey);
  t.ok(verify(null, msg, k.signingPublicKey, sig));
  const fromRaw = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: k.signingPublicRaw.toString('base64url') }, format: 'jwk' });
  t.ok(verify(null, msg, fromRaw, sig));
  t.notOk(verify(null, Buffer.from('statemenT'), fromRaw, sig));
});

t.test('the sealing pair works with crypto_box_seal on both backends', async (t) => {
  const k = await loadOrCreateGatewayKeys(join(root, 'g'), 'eta');
  t.ok(x25519Public(k.sealSecretKey).equals(k.sealPublicKey));
  const native = await loadSodium('native');
  const wasm = await loadSodium('wasm');
  const secret = Buffer.from('per-transfer key, 32 bytes long!');
  for (const [a, b] of [[native, wasm], [wasm, native]] as const) {
    const sealed = a.boxSeal(secret, k.sealPublicKey);
    t.ok(b.boxSealOpen(sealed, k.sealPublicKey, k.sealSecretKey)?.equals(secret), `${a.name} seals, ${b.name} opens`);
  }
  const other = await loadOrCreateGatewayKeys(join(root, 'h'), 'theta');
  t.equal(native.boxSealOpen(native.boxSeal(secret, k.sealPublicKey), other.sealPublicKey, other.sealSecretKey), null);
});

t.test('a damaged key file is an error, not a new key', async (t) => {
  const dir = join(root, 'i');
  await loadOrCreateGatewayKeys(dir, 'iota');
  await writeFile(join(dir, KEY_FILES.sealKey), Buffer.alloc(31));
  await t.rejects(loadOrCreateGatewayKeys(dir, 'iota'), /not a raw 32-byte X25519 key/);
  t.equal((await readFile(join(dir, KEY_FILES.sealKey))).length, 31, 'left as it was for the operator');
});

t.test('a private key readable by others is refused', async (t) => {
  const { chmod } = await import('node:fs/promises');
  const dir = join(root, 'j');
  await loadOrCreateGatewayKeys(dir, 'kappa');
  await chmod(join(dir, KEY_FILES.sealKey), 0o644);
  await t.rejects(loadOrCreateGatewayKeys(dir, 'kappa'), /seal\.key is readable by others \(mode 644\)/);
  await chmod(join(dir, KEY_FILES.sealKey), 0o600);
  await chmod(join(dir, KEY_FILES.signingKey), 0o640);
  await t.rejects(loadOrCreateGatewayKeys(dir, 'kappa'), /signing\.key is readable by others/);
});

t.test('secret members do not reach a log line', async (t) => {
  const { inspect } = await import('node:util');
  const k = await loadOrCreateGatewayKeys(join(root, 'k'), 'lambda');
  t.equal(k.sealSecretKey.length, 32, 'readable by name');
  t.equal(k.signingKey.type, 'private');
  const secretForms = [k.sealSecretKey.toString('hex'), k.sealSecretKey.toString('base64'), JSON.stringify(k.sealSecretKey)];
  const pemBody = k.signingKey.export({ format: 'pem', type: 'pkcs8' }).toString().split('\n')[1]!;
  for (const dump of [JSON.stringify(k), JSON.stringify({ ctx: { keys: k } }), inspect(k, { depth: 5 })]) {
    for (const s of secretForms) t.notOk(dump.includes(s), 'no seal secret in the dump');
    t.notOk(dump.includes(pemBody), 'no signing key in the dump');
  }
  t.ok(JSON.stringify(k).includes('"name":"lambda"'), 'the public parts are still there');
});
