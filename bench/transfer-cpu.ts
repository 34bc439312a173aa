// npm run bench:transfer-cpu [-- --count 2000 --in-flight 16 --size 4096 --warmup 300]
//
// What one small transfer costs the gateway in CPU time, whatever else the
// machine is doing: 4 KiB files sent 16 at a time through one gateway to a
// sink, and the CPU-ms each of the gateway's threads spent per transfer
// (/proc/<pid>/task), from after a warm-up until the sink has every file.
// Wall-clock rates on a shared machine say little; CPU per transfer is what a
// change to the path moves. BENCH_GATEWAY_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR"
// profiles the gateway (main thread and workers, one .cpuprofile each).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { startGatewayProcess } from '../gateway/process/gateway-process.js';
import { createDevSetup, writeDevConfig } from '../gateway/setup/dev-setup.js';
import { cpuSince, threadCpu } from './relay/thread-cpu.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : dflt;
};
const COUNT = Number(opt('count', '2000'));
const IN_FLIGHT = Number(opt('in-flight', '16'));
const SIZE = Number(opt('size', '4096'));
const WARMUP = Number(opt('warmup', '300'));
/** --plain: the plain Node relay of bench:file-relay instead (store, hash, fsync, 202, forward): the floor of TLS and HTTP. */
const PLAIN = args.includes('--plain');

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-bench-cpu-'));
  try {
    const setup = await createDevSetup(dir);
    // As bench:file-relay: no retention obligations, and random bytes allowed through.
    const policy = (await readFile(setup.policy, 'utf8')).replace(/\n {4}obligations:\n( {6}.*\n)+/g, '\n')
      .replace(/\n {2}- id: deny-uninspectable\n( {4}.*\n)+/, '\n');
    await writeFile(setup.policy, policy);
    const sinkChild = spawn(process.execPath, [here('./relay/sink.js'), setup.pushReceiver.cert, setup.pushReceiver.key, setup.ca], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.add(sinkChild);
    const sinkLines = createInterface({ input: sinkChild.stdout! })[Symbol.asyncIterator]();
    setup.ports.receiver = (JSON.parse((await sinkLines.next()).value as string) as { port: number }).port;
    await writeDevConfig(setup);
    await writeFile(setup.config, (await readFile(setup.config, 'utf8'))
      .replace('max_uploads_per_principal: 8', 'max_uploads_per_principal: 128')
      .replace('max_connections_per_address: 64', 'max_connections_per_address: 256'));
    let pid: number;
    let url: string;
    let stopTarget: () => Promise<void>;
    if (PLAIN) {
      await mkdir(join(dir, 'plain'));
      const child = spawn(process.execPath, [here('./relay/plain-relay.js'), setup.gateway.cert, setup.gateway.key, setup.ca, join(dir, 'plain'), `https://127.0.0.1:${setup.ports.receiver}/in`], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.add(child);
      const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
      pid = child.pid!;
      url = `https://127.0.0.1:${(JSON.parse(first.value as string) as { port: number }).port}/v1/files`;
      stopTarget = async () => void child.kill();
    } else {
      const nodeArgs = (process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean);
      const gw = await startGatewayProcess({ config: setup.config, nodeArgs });
      children.add(gw.child);
      pid = gw.child.pid!;
      url = `https://127.0.0.1:${gw.ready.ports.police!}/v1/files`;
      stopTarget = () => gw.stop();
    }
    const agent = new Agent({ connect: { cert: await readFile(setup.sender.cert), key: await readFile(setup.sender.key), ca: await readFile(setup.ca) }, connections: IN_FLIGHT * 2 });
    const headers = { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'content-type': 'application/octet-stream', 'content-length': String(SIZE) };
    let arrived = 0;
    const arrivals = (async () => {
      for (;;) {
        const { done } = await sinkLines.next();
        if (done) return;
        arrived++;
      }
    })();
    const refused = new Map<string, number>();
    const send = async (n: number): Promise<number> => {
      let next = 0;
      let accepted = 0;
      await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
        while (next < n) {
          next++;
          // A fixed first byte: a random one now and then sniffs as a zlib stream and is refused.
          const body = randomBytes(SIZE);
          body[0] = 0x42;
          const res = await request(url, { method: 'PUT', dispatcher: agent, body, headers });
          const text = await res.body.text();
          if (res.statusCode === 202) accepted++;
          else {
            const code = (JSON.parse(text) as { code?: string }).code ?? String(res.statusCode);
            refused.set(code, (refused.get(code) ?? 0) + 1);
          }
        }
      }));
      return accepted;
    };
    const delivered = async (n: number): Promise<void> => {
      while (arrived < n) await new Promise((r) => setTimeout(r, 20));
    };
    const warm = await send(WARMUP);
    await delivered(warm);
    const before = await threadCpu(pid);
    const load0 = loadavg()[0]!;
    const t0 = Date.now();
    const ok = await send(COUNT);
    const ingestMs = Date.now() - t0;
    const atAnswers = await threadCpu(pid);
    await delivered(warm + ok);
    const after = await threadCpu(pid);
    // Threads grouped by name: the gateway names its own (process/thread-name.ts); "node" are V8's and libuv's.
    const per = (xs: Array<{ name: string; seconds: number }>) => {
      const by = new Map<string, { n: number; s: number }>();
      for (const x of xs) {
        const g = by.get(x.name) ?? by.set(x.name, { n: 0, s: 0 }).get(x.name)!;
        g.n++;
        g.s += x.seconds;
      }
      return [...by].sort((a, b) => b[1].s - a[1].s).map(([name, g]) => `${name}${g.n > 1 ? ` ×${g.n}` : ''} ${((g.s * 1000) / ok).toFixed(2)}`).join(', ');
    };
    const sum = (xs: Array<{ seconds: number }>) => xs.reduce((a, x) => a + x.seconds, 0);
    const toAnswers = cpuSince(pid, before, atAnswers);
    const all = cpuSince(pid, before, after);
    console.log(`${PLAIN ? 'plain relay' : 'ferry gateway'}: ${ok} transfers of ${SIZE} B, ${IN_FLIGHT} in flight (after ${warm} to warm up); load ${load0.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`);
    if (refused.size) console.log(`refused: ${[...refused].map(([c, n]) => `${c} ${n}`).join(', ')}`);
    console.log(`${(ok / (ingestMs / 1000)).toFixed(0)} files/s to the 202 (wall clock: this machine's load decides it)`);
    console.log(`CPU-ms per transfer until the last 202: ${((sum(toAnswers) * 1000) / ok).toFixed(2)} (${per(toAnswers)})`);
    console.log(`CPU-ms per transfer until delivered:    ${((sum(all) * 1000) / ok).toFixed(2)} (${per(all)})`);
    await agent.close();
    await stopTarget();
    sinkChild.kill();
    await arrivals.catch(() => undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
