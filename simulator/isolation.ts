import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Placement } from './network-plan.js';
import { createNamespaces, namespacesOf, netnsAvailable, qdiscsAvailable, removeNamespaces, type NetnsPlan } from './netns.js';

// How a run keeps the networks apart. Loopback: everything on 127.0.0.1.
// Isolation (root with `ip netns`): this process makes the namespaces, then
// runs the simulation again inside the harness namespace (FERRY_SIM_NETNS
// names the plan), and removes the namespaces when it ends, also after
// Ctrl-C.

const FERRY = fileURLToPath(new URL('../bin/ferry.js', import.meta.url));
export const PLAN_ENV = 'FERRY_SIM_NETNS';

export type IsolationChoice = { kind: 'loopback'; why: string } | { kind: 'inside'; plan: NetnsPlan } | { kind: 'outer' };

export async function chooseIsolation(mode: 'auto' | 'on' | 'off'): Promise<IsolationChoice> {
  if (process.env[PLAN_ENV]) return { kind: 'inside', plan: JSON.parse(await readFile(process.env[PLAN_ENV]!, 'utf8')) as NetnsPlan };
  if (mode === 'off') return { kind: 'loopback', why: 'isolation off' };
  const missing = await netnsAvailable();
  if (missing && mode === 'on') throw new Error(`isolation mode needs root and ip netns: ${missing}`);
  return missing ? { kind: 'loopback', why: `no network namespaces (${missing})` } : { kind: 'outer' };
}

/** Makes the namespaces, runs `ferry sim run` inside the harness, removes them. Returns its exit status. */
export async function runIsolated(topo: import('./topology.js').Topology, args: string[], reportDir: string, signal: AbortSignal): Promise<number> {
  const plan = await createNamespaces(topo);
  const names = namespacesOf(plan);
  const cleanup = () => removeNamespaces(names);
  try {
    const first = Object.values(plan.networks)[0]!;
    const qdiscs = await qdiscsAvailable(first.ns, 'br0');
    await mkdir(reportDir, { recursive: true });
    const planFile = join(reportDir, 'netns-plan.json');
    await writeFile(planFile, JSON.stringify({ ...plan, qdiscs }, null, 2));
    // Its own process group: a Ctrl-C reaches this process only, which passes it on once.
    const child = spawn('ip', ['netns', 'exec', plan.harness, process.execPath, FERRY, 'sim', 'run', ...args], { stdio: 'inherit', detached: true, env: { ...process.env, [PLAN_ENV]: planFile } });
    const onAbort = () => child.kill('SIGINT');
    signal.addEventListener('abort', onAbort);
    const code = await new Promise<number>((r) => child.once('exit', (c, s) => r(c ?? (s ? 130 : 2))));
    signal.removeEventListener('abort', onAbort);
    return code;
  } finally {
    await cleanup();
  }
}

/** How the networks of a run are kept apart, as its report says. */
export interface RunMode {
  name: 'loopback' | 'netns';
  detail: string;
  /** The command that runs a gateway inside its namespace. */
  prefix?: (gateway: string) => string[];
}

/** Inside the harness: where each part listens and how gateways are started (the run's options). */
export function isolatedOptions(plan: NetnsPlan & { qdiscs?: string[] }): { placement: Placement; mode: RunMode; extraIps: string[]; isolationProbe: NetnsPlan } {
  const netOf = (link: string) => link.split('/')[1]!;
  const placement: Placement = {
    gatewayHost: (g, n) => plan.gateways[g]!.addrs[n]!,
    systemHost: (s) => plan.networks[s.split('/')[0]!]!.harnessAddr,
    proxyHost: (link) => plan.networks[netOf(link)]!.harnessAddr,
    adminHost: (g) => Object.values(plan.gateways[g]!.addrs)[0]!,
    clamdHost: (g) => plan.networks[Object.keys(plan.gateways[g]!.addrs)[0]!]!.harnessAddr,
    gatewayOwnsAddresses: true,
  };
  return {
    placement,
    extraIps: [...Object.values(plan.networks).map((n) => n.harnessAddr), ...Object.values(plan.gateways).flatMap((g) => Object.values(g.addrs))],
    mode: {
      name: 'netns',
      detail: `each network a Linux network namespace (${plan.prefix}-net-*), each gateway its own namespace dual-homed by veth pairs, the systems played by a harness namespace attached to each network by its own veth; no namespace forwards. The kernel offers ${plan.qdiscs?.length ? plan.qdiscs.join(', ') : 'no tc qdisc'}${plan.qdiscs?.includes('netem') ? '' : ' (no netem)'}: ${plan.qdiscs?.some((q) => q === 'tbf' || q === 'htb') ? 'a link\'s bandwidth is shaped by tc in its network\'s namespace (a tbf towards the gateway, an htb class from it), its' : 'bandwidth,'} latency, jitter and cuts by the TCP link proxies in the harness`,
      prefix: (g) => ['ip', 'netns', 'exec', plan.gateways[g]!.ns],
    },
    isolationProbe: plan,
  };
}

export interface ProbeResult { from: string; to: string; expect: 'reach' | 'blocked'; outcome: string; ok: boolean }

/**
 * From inside each network's namespace, try every gateway's listener: the
 * gateways bordering this network must answer on their address here; no
 * address on another network may be reachable (ENETUNREACH), the gateways'
 * other sides included.
 */
export async function probeIsolation(plan: NetnsPlan, ports: (gateway: string, network: string) => number): Promise<ProbeResult[]> {
  const out: ProbeResult[] = [];
  for (const [net, n] of Object.entries(plan.networks)) {
    const targets: Array<{ to: string; host: string; port: number; expect: 'reach' | 'blocked' }> = [];
    for (const [g, gw] of Object.entries(plan.gateways)) {
      for (const [m, addr] of Object.entries(gw.addrs)) targets.push({ to: `${g} on ${m}`, host: addr, port: ports(g, m), expect: m === net ? 'reach' : 'blocked' });
    }
    for (const [m, other] of Object.entries(plan.networks)) if (m !== net) targets.push({ to: `harness on ${m}`, host: other.harnessAddr, port: 9, expect: 'blocked' });
    const script = `const net=require('net');const t=${JSON.stringify(targets)};(async()=>{const r=[];for(const x of t){r.push(await new Promise((res)=>{const s=net.connect({host:x.host,port:x.port});const done=(o)=>{s.destroy();res(o)};s.setTimeout(3000,()=>done('timeout'));s.on('connect',()=>done('connected'));s.on('error',(e)=>done(e.code||e.message));}))}process.stdout.write(JSON.stringify(r))})()`;
    const child = spawn('ip', ['netns', 'exec', n.ns, process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d) => { text += d; });
    await new Promise((r) => child.once('exit', r));
    const outcomes = JSON.parse(text || '[]') as string[];
    targets.forEach((x, i) => {
      const o = outcomes[i] ?? 'no answer';
      const reached = o === 'connected' || o === 'ECONNREFUSED';
      const blocked = o === 'ENETUNREACH' || o === 'EHOSTUNREACH';
      out.push({ from: net, to: x.to, expect: x.expect, outcome: o, ok: x.expect === 'reach' ? reached : blocked });
    });
  }
  return out;
}
