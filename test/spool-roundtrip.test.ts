// Spool files round-trip on both libsodium backends and across them: what the
// native addon writes the WebAssembly build reads, and the other way round.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadSodium, type SodiumBackend } from '../gateway/spool/sodium.js';
import { SpoolWriter } from '../gateway/spool/spool-writer.js';
import { openSpool } from '../gateway/spool/spool-reader.js';
import { SPOOL_HEADER_BYTES } from '../gateway/spool/spool-format.js';
import { loadOrCreateGatewayKeys, type GatewayKeys } from '../gateway/keys/gateway-keys.js';

const root = await mkdtemp(join(tmpdir(), 'ferry-spool-rt-'));
t.teardown(() => rm(root, { recursive: true, force: true }));
const keys = await loadOrCreateGatewayKeys(join(root, 'keys'), 'spooltest');
const native = await loadSodium('native');
const wasm = await loadSodium('wasm');

let seq = 0;
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Writes `data` in chunks of random size (1 byte to 200 KiB) and commits. */
async function writeSpool(data: Buffer, backend: SodiumBackend, chunking: 'random' | 'whole' = 'random'): Promise<{ path: string; w: SpoolWriter }> {
  const path = join(root, `spool-${++seq}`);
  const w = await SpoolWriter.create(path, keys.sealPublicKey, backend);
  for (let off = 0; off < data.length;) {
    const n = chunking === 'whole' ? data.length : Math.min(data.length - off, 1 + Math.floor(Math.random() * 200 * 1024));
    await w.write(data.subarray(off, off + n));
    off += n;
  }
  await w.commit();
  return { path, w };
}

async function readSpool(path: string, k: GatewayKeys, backend: SodiumBackend): Promise<Buffer> {
  const h = createHash('sha256');
  const parts: Buffer[] = [];
  for await (const c of openSpool(path, k, backend)) {
    h.update(c as Buffer);
    parts.push(c as Buffer);
  }
  return Buffer.concat(parts);
}

t.test('native loads here; wasm when asked', async (t) => {
  t.equal(native.name, 'native', 'sodium-native is installed on this machine');
  t.equal(wasm.name, 'wasm');
});

const sizes = [0, 1, 65535, 65536, 65537, 131072, 3 * 1024 * 1024 + 17];
const pairs: Array<[SodiumBackend, SodiumBackend]> = [[native, native], [wasm, wasm], [native, wasm], [wasm, native]];

for (const [wb, rb] of pairs) {
  t.test(`written by ${wb.name}, read by ${rb.name}`, async (t) => {
    for (const size of sizes) {
      const data = randomBytes(size);
      const { path, w } = await writeSpool(data, wb);
      const back = await readSpool(path, keys, rb);
      t.equal(back.length, size, `${size} bytes: length`);
      t.equal(sha(back), sha(data), `${size} bytes: content`);
      t.equal(w.plainBytes, size, `${size} bytes: plainBytes`);
      t.equal(w.bytesWritten, (await stat(path)).size, `${size} bytes: bytesWritten is the file size`);
    }
  });
}

t.test('one large write and many tiny writes give the same plaintext', async (t) => {
  const data = randomBytes(300 * 1024 + 5);
  const whole = await writeSpool(data, native, 'whole');
  t.equal(sha(await readSpool(whole.path, keys, wasm)), sha(data));
  const path = join(root, `tiny-${++seq}`);
  const w = await SpoolWriter.create(path, keys.sealPublicKey, wasm);
  for (let off = 0; off < 70 * 1024; off += 7) await w.write(data.subarray(off, Math.min(off + 7, 70 * 1024)));
  await w.commit();
  t.equal(sha(await readSpool(path, keys, native)), sha(data.subarray(0, 70 * 1024)));
});

t.test('small writes are coalesced into 64 KiB messages', async (t) => {
  // 1 MiB in 1 KiB writes: 16 full messages + an empty final one, so the
  // overhead is 16 * (4 + 17) + (4 + 17) bytes, not 1024 * 21.
  const data = randomBytes(1024 * 1024);
  const path = join(root, `coalesce-${++seq}`);
  const w = await SpoolWriter.create(path, keys.sealPublicKey, native);
  for (let off = 0; off < data.length; off += 1024) await w.write(data.subarray(off, off + 1024));
  await w.commit();
  t.equal(w.bytesWritten, SPOOL_HEADER_BYTES + 17 * 21 + data.length);
});

t.test('the spool file is 0600, no .part file remains, and the content is not in clear', async (t) => {
  const marker = Buffer.from('PLAINTEXT-MARKER-'.repeat(4000));
  const { path } = await writeSpool(marker, native);
  t.equal((await stat(path)).mode & 0o777, 0o600);
  const names = await readdir(root);
  t.notOk(names.some((n) => n.endsWith('.part')), 'no .part file left');
  const { readFile } = await import('node:fs/promises');
  t.notOk((await readFile(path)).includes(Buffer.from('PLAINTEXT-MARKER')), 'ciphertext only');
});

t.test('each transfer gets its own key: the same plaintext encrypts differently', async (t) => {
  const data = randomBytes(1000);
  const a = await writeSpool(data, native, 'whole');
  const b = await writeSpool(data, native, 'whole');
  const { readFile } = await import('node:fs/promises');
  const fa = await readFile(a.path);
  const fb = await readFile(b.path);
  t.equal(fa.length, fb.length);
  t.notOk(fa.subarray(9).equals(fb.subarray(9)));
});

t.test('the reader keeps reading bounded when the consumer stops', async (t) => {
  const data = randomBytes(8 * 1024 * 1024);
  const { path } = await writeSpool(data, native, 'whole');
  const r = openSpool(path, keys, native);
  await new Promise((resolve) => r.once('readable', resolve));
  const first = r.read() as Buffer;
  t.ok(first.length > 0, 'a first chunk arrives');
  // Give the stream every chance to run ahead; it must stop near its high-water mark.
  for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
  t.ok(r.readableLength <= 128 * 1024, `buffered ${r.readableLength} bytes, not the file`);
  r.destroy();
});
