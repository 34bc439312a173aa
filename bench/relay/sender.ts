// The sender, in its own process: `big URL BYTES` streams one generated body
// (1 MiB blocks, each made distinct) and prints { status, id, ms, sha256 };
// `small URL COUNT SIZE CONCURRENCY` sends many small files and prints the
// time-to-202 of each. BENCH_TARGET=nginx sends the same bodies as WebDAV PUTs
// to /up/<uuid> and counts nginx's 201 as the answer.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { Agent, request } from 'undici';

const [mode, url, a, b, c] = process.argv.slice(2) as [string, string, string, string?, string?];
const certPath = process.env.BENCH_CERT!;
const keyPath = process.env.BENCH_KEY!;
const caPath = process.env.BENCH_CA!;
const nginx = process.env.BENCH_TARGET === 'nginx';
const agent = new Agent({ connect: { cert: readFileSync(certPath), key: readFileSync(keyPath), ca: readFileSync(caPath), timeout: 60_000 }, connections: Math.max(32, Number(c ?? 0)) });
const headers = { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'content-type': 'application/octet-stream' };

async function put(body: Buffer | Readable, size: number): Promise<{ status: number; id: string }> {
  const id = randomUUID();
  const target = nginx ? `${url}/up/${id}` : `${url}/v1/files`;
  const res = await request(target, { method: 'PUT', dispatcher: agent, body, headers: { ...headers, 'content-length': String(size) }, headersTimeout: 0, bodyTimeout: 0 });
  const text = await res.body.text();
  if (nginx) {
    if (res.statusCode !== 201 && res.statusCode !== 204) throw new Error(`nginx answered ${res.statusCode}: ${text}`);
    return { status: res.statusCode, id };
  }
  const j = JSON.parse(text) as { id?: string; code?: string };
  if (res.statusCode !== 202) throw new Error(`answer ${res.statusCode}: ${text}`);
  return { status: res.statusCode, id: j.id! };
}

if (mode === 'big') {
  const total = Number(a);
  const block = randomBytes(1024 * 1024);
  const hash = createHash('sha256');
  let sent = 0;
  const body = Readable.from((function* () {
    while (sent < total) {
      const n = Math.min(block.length, total - sent);
      const chunk = Buffer.from(block.subarray(0, n));
      chunk.writeUInt32BE(sent / block.length, 0);
      sent += n;
      hash.update(chunk);
      yield chunk;
    }
  })());
  const t0 = Date.now();
  const r = await put(body, total);
  process.stdout.write(`${JSON.stringify({ ...r, start: t0, ms: Date.now() - t0, sha256: hash.digest('hex') })}\n`);
} else {
  const count = Number(a);
  const size = Number(b);
  const concurrency = Number(c);
  const times: number[] = [];
  const ids: string[] = [];
  let next = 0;
  const t0 = Date.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      next++;
      const body = randomBytes(size);
      const s = process.hrtime.bigint();
      ids.push((await put(body, size)).id);
      times.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
  }));
  process.stdout.write(`${JSON.stringify({ times, ids, start: t0, ms: Date.now() - t0 })}\n`);
}
await agent.close();
