// When the disk refuses a write, the writer says so and leaves nothing behind.
// A real refusal, not a mock: the child runs under `ulimit -f`, so the kernel
// answers EFBIG once the spool file passes 512 KiB.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import t from 'tap';

const DIST = fileURLToPath(new URL('..', import.meta.url));
const root = await mkdtemp(join(tmpdir(), 'ferry-spool-disk-'));
t.teardown(() => rm(root, { recursive: true, force: true }));
const url = (p: string): string => pathToFileURL(join(DIST, p)).href;

const CHILD = join(root, 'child.mjs');
await writeFile(CHILD, `
import { randomBytes } from 'node:crypto';
import { loadSodium } from '${url('gateway/spool/sodium.js')}';
import { SpoolWriter } from '${url('gateway/spool/spool-writer.js')}';
import { loadOrCreateGatewayKeys } from '${url('gateway/keys/gateway-keys.js')}';
// Handled, SIGXFSZ no longer kills the process: the write fails with EFBIG.
process.on('SIGXFSZ', () => {});
const [dir, size, prefer] = process.argv.slice(2);
const keys = await loadOrCreateGatewayKeys(dir + '/keys', 'disk');
const w = await SpoolWriter.create(dir + '/t.spool', keys.sealPublicKey, await loadSodium(prefer));
let stage = 'write';
try {
  for (let left = Number(size); left > 0; left -= 50000) await w.write(randomBytes(Math.min(left, 50000)));
  stage = 'commit';
  await w.commit();
  console.log(JSON.stringify({ ok: true }));
} catch (err) {
  await w.abort();
  console.log(JSON.stringify({ ok: false, stage, code: err.code }));
}
`);

function run(dir: string, size: number, prefer: string): Promise<{ ok: boolean; stage?: string; code?: string }> {
  return new Promise((resolve, reject) => {
    // 512 blocks of 1024 bytes (POSIX ulimit -f unit in sh/bash/dash).
    execFile('/bin/sh', ['-c', `ulimit -f 512 && exec "${process.execPath}" "${CHILD}" "${dir}" ${size} ${prefer}`], (err, stdout, stderr) => {
      if (err) reject(new Error(`child failed (${err.signal ?? err.code}): ${stderr}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

for (const prefer of ['native', 'wasm']) {
  t.test(`${prefer}: EFBIG surfaces and no file stays`, async (t) => {
    const dir = join(root, prefer);
    await rm(dir, { recursive: true, force: true });
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dir);
    t.same(await run(dir, 100_000, prefer), { ok: true }, 'a small file fits under the limit');
    await rm(join(dir, 't.spool'));
    const r = await run(dir, 4 * 1024 * 1024, prefer);
    t.equal(r.ok, false);
    t.equal(r.code, 'EFBIG');
    t.same((await readdir(dir)).filter((n) => n.startsWith('t.spool')), [], 'neither t.spool nor t.spool.part');
  });
}
