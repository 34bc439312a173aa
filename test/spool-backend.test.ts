// The fallback: in a process where sodium-native cannot load, loadSodium()
// gives the WebAssembly build, and the files it writes and reads are the same
// format as the native addon's (checked across the process boundary).
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import t from 'tap';
import { loadSodium } from '../gateway/spool/sodium.js';
import { SpoolWriter } from '../gateway/spool/spool-writer.js';
import { openSpool } from '../gateway/spool/spool-reader.js';
import { loadOrCreateGatewayKeys } from '../gateway/keys/gateway-keys.js';

const DIST = fileURLToPath(new URL('..', import.meta.url));
const root = await mkdtemp(join(tmpdir(), 'ferry-spool-backend-'));
t.teardown(() => rm(root, { recursive: true, force: true }));

// Preloaded into the child: any require of sodium-native fails, as it does on
// a platform without a prebuild.
const BLOCK_NATIVE = join(root, 'block-native.cjs');
await writeFile(BLOCK_NATIVE, `
const Module = require('node:module');
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'sodium-native') throw new Error('sodium-native blocked for this test');
  return load.call(this, request, ...rest);
};
`);

// The child: loads the default backend, then either writes a spool of
// `size` random bytes or reads one, and prints JSON facts.
const CHILD = join(root, 'child.mjs');
const url = (p: string): string => pathToFileURL(join(DIST, p)).href;
await writeFile(CHILD, `
import { createHash, randomBytes } from 'node:crypto';
import { loadSodium } from '${url('gateway/spool/sodium.js')}';
import { SpoolWriter } from '${url('gateway/spool/spool-writer.js')}';
import { openSpool } from '${url('gateway/spool/spool-reader.js')}';
import { loadOrCreateGatewayKeys } from '${url('gateway/keys/gateway-keys.js')}';
const [mode, keyDir, path, size] = process.argv.slice(2);
const backend = await loadSodium();
const keys = await loadOrCreateGatewayKeys(keyDir, 'fallback');
const h = createHash('sha256');
if (mode === 'write') {
  const w = await SpoolWriter.create(path, keys.sealPublicKey, backend);
  for (let left = Number(size); left > 0;) {
    const c = randomBytes(Math.min(left, 40000));
    h.update(c); await w.write(c); left -= c.length;
  }
  await w.commit();
} else {
  for await (const c of openSpool(path, keys, backend)) h.update(c);
}
console.log(JSON.stringify({ backend: backend.name, sha256: h.digest('hex') }));
`);

function child(args: string[], blockNative: boolean): Promise<{ backend: string; sha256: string }> {
  const pre = blockNative ? ['--require', BLOCK_NATIVE] : [];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...pre, CHILD, ...args], (err, stdout, stderr) => {
      if (err) reject(new Error(`child failed: ${stderr}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

const keyDir = join(root, 'keys');
const keys = await loadOrCreateGatewayKeys(keyDir, 'fallback');
const native = await loadSodium('native');

t.test('without the addon, loadSodium() falls back to wasm', async (t) => {
  t.equal((await child(['read-none', keyDir, '/nonexistent', '0'], true).catch(() => ({ backend: 'failed', sha256: '' }))).backend, 'failed',
    'the child reports errors (sanity check of the harness)');
  const path = join(root, 'from-wasm-child');
  const r = await child(['write', keyDir, path, String(1024 * 1024 + 3)], true);
  t.equal(r.backend, 'wasm', 'the blocked child runs on WebAssembly');
  const h = createHash('sha256');
  for await (const c of openSpool(path, keys, native)) h.update(c as Buffer);
  t.equal(h.digest('hex'), r.sha256, 'native here reads what the wasm child wrote');
});

t.test('what native writes, a fallback process reads', async (t) => {
  const path = join(root, 'from-native');
  const data = randomBytes(700 * 1024 + 1);
  const w = await SpoolWriter.create(path, keys.sealPublicKey, native);
  await w.write(data);
  await w.commit();
  const r = await child(['read', keyDir, path, '0'], true);
  t.equal(r.backend, 'wasm');
  t.equal(r.sha256, createHash('sha256').update(data).digest('hex'));
});

t.test('an unblocked child uses the addon', async (t) => {
  const path = join(root, 'from-native-child');
  const r = await child(['write', keyDir, path, '1000'], false);
  t.equal(r.backend, 'native');
});
