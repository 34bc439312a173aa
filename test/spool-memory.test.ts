// Memory stays bounded: writing and reading back a spool 8 times larger costs
// the same peak RSS (measured in child processes, so that nothing of the test
// runner counts). Both sizes are past the first tens of MiB, where V8 settles
// how much garbage it lets pile up before collecting; what must not happen
// past that point is growth with the size of the transfer.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import t from 'tap';

const DIST = fileURLToPath(new URL('..', import.meta.url));
const root = await mkdtemp(join(tmpdir(), 'ferry-spool-mem-'));
t.teardown(() => rm(root, { recursive: true, force: true }));
const url = (p: string): string => pathToFileURL(join(DIST, p)).href;

const CHILD = join(root, 'child.mjs');
await writeFile(CHILD, `
import { randomBytes, createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { loadSodium } from '${url('gateway/spool/sodium.js')}';
import { SpoolWriter } from '${url('gateway/spool/spool-writer.js')}';
import { openSpool } from '${url('gateway/spool/spool-reader.js')}';
import { loadOrCreateGatewayKeys } from '${url('gateway/keys/gateway-keys.js')}';
const [dir, mib, prefer] = process.argv.slice(2);
const keys = await loadOrCreateGatewayKeys(dir + '/keys', 'mem');
const backend = await loadSodium(prefer);
const block = randomBytes(1024 * 1024);
const path = dir + '/' + prefer + '-' + mib + '.spool';
const w = await SpoolWriter.create(path, keys.sealPublicKey, backend);
const hw = createHash('sha256');
// 48 KiB pieces, as a TLS socket hands them over.
for (let i = 0; i < Number(mib); i++) {
  for (let off = 0; off < block.length; off += 48 * 1024) {
    const c = block.subarray(off, off + 48 * 1024);
    hw.update(c);
    await w.write(c);
  }
}
await w.commit();
const hr = createHash('sha256');
for await (const c of openSpool(path, keys, backend)) hr.update(c);
await rm(path);
console.log(JSON.stringify({ same: hw.digest('hex') === hr.digest('hex'), maxRssKiB: process.resourceUsage().maxRSS }));
`);

// The threaded path as the gateway runs it: the body's pieces batched by the
// pass (pipeline/batches.ts) and handed to the seal thread, which hashes,
// encrypts and writes them (spool/seal-thread.ts), through the store's port.
const THREADED = join(root, 'threaded.mjs');
await writeFile(THREADED, `
import { randomBytes, createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { loadSodium } from '${url('gateway/spool/sodium.js')}';
import { SealThread } from '${url('gateway/spool/seal-thread.js')}';
import { FileSpoolStore } from '${url('gateway/store/files/file-spool-store.js')}';
import { runPass } from '${url('gateway/pipeline/one-pass.js')}';
import { uuidv7 } from '${url('protocol/ids.js')}';
import { loadOrCreateGatewayKeys } from '${url('gateway/keys/gateway-keys.js')}';
const [dir, mib] = process.argv.slice(2);
const keys = await loadOrCreateGatewayKeys(dir + '/keys', 'mem');
const backend = await loadSodium('native');
const seal = new SealThread(backend.name);
const spoolDir = dir + '/spool-' + mib;
await mkdir(spoolDir);
const store = new FileSpoolStore(spoolDir, backend, () => keys, seal);
await store.prepare();
const block = randomBytes(1024 * 1024);
const hw = createHash('sha256');
async function* body() {
  // 16 KiB pieces, as a TLS socket hands a body over.
  for (let i = 0; i < Number(mib); i++) {
    for (let off = 0; off < block.length; off += 16 * 1024) {
      const c = block.subarray(off, off + 16 * 1024);
      hw.update(c);
      yield c;
    }
  }
}
const w = await store.create(uuidv7());
const pass = await runPass(body(), [], w, { maxBytes: Infinity, onLimit: () => new Error('limit') });
await w.commit();
const hr = createHash('sha256');
for await (const c of store.open(w.name)) hr.update(c);
await store.remove(w.name);
await seal.stop();
const sent = hw.digest('hex');
console.log(JSON.stringify({ same: sent === hr.digest('hex') && sent === pass.sha256 && pass.size === Number(mib) * 1024 * 1024, maxRssKiB: process.resourceUsage().maxRSS }));
`);

function run(mib: number, prefer: string, script = CHILD): Promise<{ same: boolean; maxRssKiB: number }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, root, String(mib), prefer], (err, stdout, stderr) => {
      if (err) reject(new Error(`child failed: ${stderr}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

for (const [prefer, small, big] of [['native', 64, 512], ['wasm', 48, 192]] as const) {
  t.test(`${prefer}: ${big} MiB peaks as ${small} MiB does`, async (t) => {
    const a = await run(small, prefer);
    const b = await run(big, prefer);
    t.ok(a.same && b.same, 'content read back intact');
    const growthMiB = (b.maxRssKiB - a.maxRssKiB) / 1024;
    t.comment(`peak RSS ${(a.maxRssKiB / 1024).toFixed(0)} MiB for ${small} MiB, ${(b.maxRssKiB / 1024).toFixed(0)} MiB for ${big} MiB`);
    t.ok(growthMiB < 16, `peak RSS grew by ${growthMiB.toFixed(1)} MiB for ${big / small}x the data`);
  });
}

t.test('seal thread: 384 MiB through the pass and the seal thread peaks as 64 MiB does', async (t) => {
  const a = await run(64, 'native', THREADED);
  const b = await run(384, 'native', THREADED);
  t.ok(a.same && b.same, 'the pass\'s hash (from the thread) is the sender\'s, and the content reads back intact');
  const growthMiB = (b.maxRssKiB - a.maxRssKiB) / 1024;
  t.comment(`peak RSS ${(a.maxRssKiB / 1024).toFixed(0)} MiB for 64 MiB, ${(b.maxRssKiB / 1024).toFixed(0)} MiB for 384 MiB`);
  t.ok(growthMiB < 16, `peak RSS grew by ${growthMiB.toFixed(1)} MiB for 6x the data`);
});
