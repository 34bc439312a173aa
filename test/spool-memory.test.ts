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

function run(mib: number, prefer: string): Promise<{ same: boolean; maxRssKiB: number }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CHILD, root, String(mib), prefer], (err, stdout, stderr) => {
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
