// Receipts: signed by the gateway, verified with any form of its public key,
// refused when any field changes, and checkable by an outsider with the
// script printed in docs/receipts.md (run here exactly as printed).
import { execFile } from 'node:child_process';
import { createHash, randomUUID, sign } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { loadOrCreateGatewayKeys, KEY_FILES } from '../gateway/keys/gateway-keys.js';
import { verifyReceipt, keyIdOf, receiptSigningBytes, type Receipt, type ReceiptBody } from '../protocol/receipt.js';
import { signReceipt } from '../gateway/receipts/sign-receipt.js';
import { canonicalJson } from '../protocol/canonical-json.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const root = await mkdtemp(join(tmpdir(), 'ferry-receipts-'));
t.teardown(() => rm(root, { recursive: true, force: true }));
const keyDir = join(root, 'keys');
const keys = await loadOrCreateGatewayKeys(keyDir, 'edge-1');
const other = await loadOrCreateGatewayKeys(join(root, 'other'), 'edge-1');
const pem = await readFile(join(keyDir, KEY_FILES.signingPub), 'utf8');

const body: ReceiptBody = {
  type: 'accepted',
  transfer: '019ab8f0-6c1e-7a3b-9d2e-5f4c3b2a1908',
  sha256: createHash('sha256').update('hello').digest('hex'),
  size: 5,
  source: 'ferry://police/records',
  destination: 'extranet/archive',
  time: '2026-11-25T00:41:07.512Z',
  gateway: 'ferry://gateway/edge-1',
};

t.test('the signature is the very one node:crypto makes over the signing bytes (libsodium signs when it loads; Ed25519 is deterministic)', async (t) => {
  for (const b of [body, { ...body, type: 'delivered' as const, delivered_to: 'ferry://extranet/archive' }]) {
    const r = signReceipt(b, keys);
    t.equal(r.signature, sign(null, receiptSigningBytes(b), keys.signingKey).toString('base64'), b.type);
  }
  // Each key signs with its own: another gateway's key gives another signature, which this key does not verify.
  const o = signReceipt(body, other);
  t.not(o.signature, signReceipt(body, keys).signature);
  t.notOk(verifyReceipt(o, keys.signingPublicKey));
  t.ok(verifyReceipt(o, other.signingPublicKey));
});

t.test('a receipt verifies with the key object, the raw key and the PEM', async (t) => {
  const r = signReceipt(body, keys);
  t.equal(r.key_id, createHash('sha256').update(keys.signingPublicRaw).digest('hex').slice(0, 8));
  t.equal(Buffer.from(r.signature, 'base64').length, 64);
  t.ok(verifyReceipt(r, keys.signingPublicKey), 'KeyObject');
  t.ok(verifyReceipt(r, keys.signingPublicRaw), 'raw 32 bytes');
  t.ok(verifyReceipt(r, pem), 'PEM');
  t.ok(verifyReceipt(JSON.parse(JSON.stringify(r)) as Receipt, pem), 'after a JSON round trip');
  t.notOk(verifyReceipt(r, other.signingPublicKey), 'another gateway\'s key');
});

t.test('the signed bytes are the context line and sorted compact JSON', async (t) => {
  const bytes = receiptSigningBytes(signReceipt(body, keys)).toString('utf8');
  t.equal(bytes, 'ferry-receipt/v1\n{"destination":"extranet/archive","gateway":"ferry://gateway/edge-1",'
    + `"sha256":"${body.sha256}","size":5,"source":"ferry://police/records","time":"2026-11-25T00:41:07.512Z",`
    + '"transfer":"019ab8f0-6c1e-7a3b-9d2e-5f4c3b2a1908","type":"accepted"}');
  t.equal(canonicalJson({ b: [1, { d: null, c: true }], a: 'é\n' }), '{"a":"é\\n","b":[1,{"c":true,"d":null}]}');
  t.throws(() => canonicalJson({ x: 1.5 }), /safe integers/);
});

t.test('changing any field breaks the signature', async (t) => {
  const r = signReceipt({ ...body, type: 'delivered', delivered_to: 'ferry://extranet/archive' }, keys);
  t.ok(verifyReceipt(r, pem));
  const changes: Array<[string, Partial<Receipt> & Record<string, unknown>]> = [
    ['type', { type: 'accepted' }],
    ['transfer', { transfer: randomUUID() }],
    ['sha256', { sha256: createHash('sha256').update('hellO').digest('hex') }],
    ['size', { size: 6 }],
    ['source', { source: 'ferry://police/other' }],
    ['destination', { destination: 'extranet/other' }],
    ['time', { time: '2026-11-25T00:41:07.513Z' }],
    ['gateway', { gateway: 'ferry://gateway/edge-2' }],
    ['delivered_to', { delivered_to: 'ferry://extranet/other' }],
    ['an added field', { note: 'x' }],
    ['key_id', { key_id: '00000000' }],
    ['signature', { signature: Buffer.alloc(64, 1).toString('base64') }],
    ['a short signature', { signature: 'AAAA' }],
  ];
  for (const [what, change] of changes) t.notOk(verifyReceipt({ ...r, ...change } as Receipt, pem), what);
  const { delivered_to: _, ...dropped } = r;
  t.notOk(verifyReceipt(dropped as Receipt, pem), 'delivered_to removed');
  t.notOk(verifyReceipt(null as unknown as Receipt, pem), 'null never throws');
  t.notOk(verifyReceipt(r, Buffer.alloc(31)), 'a bad key never throws');
});

t.test('signReceipt refuses a body it should not sign', async (t) => {
  t.throws(() => signReceipt({ ...body, gateway: 'ferry://gateway/someone-else' }, keys), /signed by ferry:\/\/gateway\/edge-1/);
  t.throws(() => signReceipt({ ...body, sha256: 'ABC' }, keys), /sha256/);
  t.throws(() => signReceipt({ ...body, size: -1 }, keys), /size/);
  const sneaky = { ...body, extra: 'smuggled' } as ReceiptBody;
  t.notOk('extra' in signReceipt(sneaky, keys), 'undeclared properties are not signed in');
  t.equal(keyIdOf(keys.signingPublicRaw).length, 8);
});

t.test('the script in docs/receipts.md verifies receipts', async (t) => {
  const doc = await readFile(join(REPO, 'docs/receipts.md'), 'utf8');
  const block = /## Verifying one yourself[\s\S]*?```js\n([\s\S]*?)```/.exec(doc)?.[1];
  t.ok(block, 'the docs carry the script');
  t.ok(block!.trim().split('\n').length <= 12, 'about ten lines');
  const script = join(root, 'verify-receipt.mjs');
  await writeFile(script, block!);
  const run = async (r: unknown): Promise<{ code: number; out: string }> => {
    const file = join(root, `r-${randomUUID()}.json`);
    await writeFile(file, JSON.stringify(r, null, 2));
    return new Promise((resolve) => {
      execFile(process.execPath, [script, file, join(keyDir, KEY_FILES.signingPub)], (err, stdout) => {
        resolve({ code: err ? Number(err.code) : 0, out: stdout.trim() });
      });
    });
  };
  // Non-ASCII and escapes exercise the "as JSON.stringify writes them" rule.
  const r = signReceipt({ ...body, type: 'delivered', destination: 'extranet/archive', delivered_to: 'ferry://extranet/檔案"\\\t' }, keys);
  t.same(await run(r), { code: 0, out: 'valid' });
  t.same(await run({ ...r, size: 4 }), { code: 1, out: 'INVALID' });
  t.same(await run({ ...r, delivered_to: 'ferry://extranet/檔' }), { code: 1, out: 'INVALID' });
  t.same(await run(signReceipt(body, other)), { code: 1, out: 'INVALID' }, 'signed by another key');
});
