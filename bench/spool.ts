// Spool throughput: plaintext MB/s through SpoolWriter (with its fsync at
// commit) on each libsodium backend, beside a plain fs write + fsync of the
// same bytes in the same run; then openSpool read MB/s. Prints figures; it is
// not a timed test.
//
//   npm run bench:spool -- [--mib 1024] [--chunk-kib 64] [--runs 3] [--dir /tmp]
import { mkdtemp, rm } from 'node:fs/promises';
import fs from 'node:fs';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadSodium, type SodiumBackend } from '../gateway/spool/sodium.js';
import { SpoolWriter } from '../gateway/spool/spool-writer.js';
import { openSpool } from '../gateway/spool/spool-reader.js';
import { loadOrCreateGatewayKeys } from '../gateway/keys/gateway-keys.js';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, mib: { type: 'string', default: '1024' }, 'chunk-kib': { type: 'string', default: '64' }, dir: { type: 'string', default: tmpdir() } },
});
const total = Number(values.mib) * 1024 * 1024;
const chunkSize = Number(values['chunk-kib']) * 1024;
// One random pool, sliced into chunks: the bench measures the spool, not the RNG.
const pool = randomBytes(16 * 1024 * 1024);

function* chunks(): Generator<Buffer> {
  for (let done = 0; done < total; done += chunkSize) {
    const n = Math.min(chunkSize, total - done);
    const at = done % (pool.length - chunkSize);
    yield pool.subarray(at, at + n);
  }
}

const mbps = (bytes: number, ms: number): string => (bytes / 1e6 / (ms / 1000)).toFixed(0);

interface Timing { total: number; commit: number }

// The baseline writes the same bytes the same way the writer does (an
// fs.WriteStream on a raw fd, 1 MiB high-water mark), then fsyncs.
async function plainWrite(path: string): Promise<Timing> {
  const t0 = performance.now();
  const fd = await promisify(fs.open)(path, 'wx', 0o600);
  const ws = fs.createWriteStream('', { fd, highWaterMark: 1024 * 1024, autoClose: false });
  for (const c of chunks()) if (!ws.write(c)) await once(ws, 'drain');
  const t1 = performance.now();
  await new Promise<void>((resolve, reject) => ws.end((err?: Error | null) => (err ? reject(err) : resolve())));
  await promisify(fs.fsync)(fd);
  await promisify(fs.close)(fd);
  const t2 = performance.now();
  return { total: t2 - t0, commit: t2 - t1 };
}

async function spoolWrite(path: string, pub: Buffer, backend: SodiumBackend): Promise<Timing> {
  const t0 = performance.now();
  const w = await SpoolWriter.create(path, pub, backend);
  for (const c of chunks()) await w.write(c);
  const t1 = performance.now();
  await w.commit();
  const t2 = performance.now();
  return { total: t2 - t0, commit: t2 - t1 };
}

async function spoolRead(path: string, keys: { sealPublicKey: Buffer; sealSecretKey: Buffer }, backend: SodiumBackend): Promise<number> {
  const t0 = performance.now();
  let n = 0;
  for await (const c of openSpool(path, keys, backend)) n += (c as Buffer).length;
  if (n !== total) throw new Error(`read ${n} bytes, expected ${total}`);
  return performance.now() - t0;
}

async function plainRead(path: string): Promise<number> {
  const t0 = performance.now();
  let n = 0;
  for await (const c of fs.createReadStream(path, { highWaterMark: 256 * 1024 })) n += (c as Buffer).length;
  if (n === 0) throw new Error('nothing read');
  return performance.now() - t0;
}

/** The cipher alone, no file: the ceiling the writer is measured against. */
function pushOnly(backend: SodiumBackend): number {
  const { stream } = backend.initPush(backend.randomBytes(backend.KEYBYTES));
  const ad = Buffer.alloc(113);
  const out = Buffer.allocUnsafe(64 * 1024 + backend.ABYTES);
  const t0 = performance.now();
  for (const c of chunks()) {
    for (let off = 0; off < c.length; off += 64 * 1024) {
      const m = c.subarray(off, off + 64 * 1024);
      stream.pushInto(m, backend.TAG_MESSAGE, ad, out.subarray(0, m.length + backend.ABYTES));
    }
  }
  return performance.now() - t0;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const runs = Number(values.runs);
const dir = await mkdtemp(join(values.dir!, 'ferry-bench-spool-'));
try {
  const keys = await loadOrCreateGatewayKeys(join(dir, 'keys'), 'bench');
  const backends: SodiumBackend[] = [];
  for (const prefer of ['native', 'wasm'] as const) {
    const b = await loadSodium(prefer);
    if (b.name === prefer) backends.push(b);
    else console.log(`${prefer}: not available on this machine (loaded ${b.name})`);
  }
  console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`spool bench: ${values.mib} MiB in ${values['chunk-kib']} KiB chunks, ${runs} run(s), dir ${dir}`);
  const results = new Map<string, number[]>();
  const record = (label: string, ms: number): void => {
    results.set(label, [...(results.get(label) ?? []), ms]);
  };
  // The runs interleave the contenders, so a busy moment on the machine
  // does not fall on one of them only.
  for (let run = 1; run <= runs; run++) {
    const plain = await plainWrite(join(dir, 'plain'));
    record('plain fs write+fsync', plain.total);
    record('plain fs read', await plainRead(join(dir, 'plain')));
    await rm(join(dir, 'plain'));
    for (const backend of backends) {
      record(`secretstream ${backend.name}, no I/O`, pushOnly(backend));
      const path = join(dir, `spool-${backend.name}`);
      const w = await spoolWrite(path, keys.sealPublicKey, backend);
      record(`SpoolWriter ${backend.name} +fsync`, w.total);
      record(`openSpool ${backend.name} read`, await spoolRead(path, keys, backend));
      await rm(path);
    }
  }
  const plainMs = median(results.get('plain fs write+fsync')!);
  const plainReadMs = median(results.get('plain fs read')!);
  // Best as well as median: on a shared machine the best run is the one least
  // disturbed by others, and the ratios are computed from like with like.
  const plainBest = Math.min(...results.get('plain fs write+fsync')!);
  const plainReadBest = Math.min(...results.get('plain fs read')!);
  console.log(`${''.padEnd(30)}median MB/s (vs plain)   best MB/s (vs plain)   all runs`);
  for (const [label, ms] of results) {
    const reads = label.startsWith('openSpool');
    const hasBase = !label.startsWith('plain') && !label.startsWith('secretstream');
    const ratio = (base: number, x: number): string => (hasBase ? `(${(base / x).toFixed(2)}x)` : '');
    const med = median(ms);
    const best = Math.min(...ms);
    console.log(`${label.padEnd(30)}${mbps(total, med).padStart(6)} ${ratio(reads ? plainReadMs : plainMs, med).padEnd(9)}        `
      + `${mbps(total, best).padStart(6)} ${ratio(reads ? plainReadBest : plainBest, best).padEnd(9)}      ${ms.map((x) => mbps(total, x)).join(' ')}`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
