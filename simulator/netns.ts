import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { Topology } from './topology.js';

// Isolation mode: each network a Linux network namespace (a bridge inside),
// each gateway its own namespace, dual-homed into the networks it borders by
// veth pairs, and a harness namespace that plays the systems, attached to
// each network by its own veth. No namespace forwards (ip_forward is 0 in a
// new namespace), so the only way across is through a gateway. Names carry a
// random prefix; addresses are 10.77.<network>.0/24 inside these namespaces
// only; teardown removes exactly the namespaces this run made (deleting a
// namespace deletes its veths).

const run = promisify(execFile);

export interface NetnsPlan {
  prefix: string;
  harness: string;
  /** `harnessPort`: the network's end of the harness's veth (on its bridge) */
  networks: Record<string, { ns: string; index: number; harnessAddr: string; harnessPort: string }>;
  /** `ports`: per network, the network's end of the gateway's veth (on that network's bridge) */
  gateways: Record<string, { ns: string; addrs: Record<string, string>; ports: Record<string, string> }>;
}

async function ip(...args: string[]): Promise<void> {
  await run('ip', args);
}

/** Whether this process may make namespaces (root with a working `ip netns`). */
export async function netnsAvailable(): Promise<string | null> {
  if (process.getuid?.() !== 0) return 'not root';
  const probe = `fsprobe${randomBytes(3).toString('hex')}`;
  try {
    await ip('netns', 'add', probe);
    await ip('netns', 'del', probe);
    return null;
  } catch (err) {
    return `ip netns does not work here: ${(err as Error).message.split('\n')[0]}`;
  }
}

/** What the kernel offers for shaping (tbf, htb, netem), for the report. */
export async function qdiscsAvailable(ns: string, dev: string): Promise<string[]> {
  const out: string[] = [];
  for (const kind of ['tbf', 'htb', 'netem']) {
    const args = kind === 'tbf' ? ['rate', '1mbit', 'burst', '32kbit', 'latency', '400ms'] : kind === 'htb' ? [] : ['delay', '1ms'];
    try {
      await ip('netns', 'exec', ns, 'tc', 'qdisc', 'add', 'dev', dev, 'root', kind, ...args);
      await ip('netns', 'exec', ns, 'tc', 'qdisc', 'del', 'dev', dev, 'root');
      out.push(kind);
    } catch {
      // "Specified qdisc kind is unknown": not in this kernel
    }
  }
  return out;
}

export async function createNamespaces(topo: Topology): Promise<NetnsPlan> {
  const prefix = `fs${randomBytes(2).toString('hex')}`;
  const plan: NetnsPlan = { prefix, harness: `${prefix}-sim`, networks: {}, gateways: {} };
  const made: string[] = [];
  const add = async (ns: string) => {
    await ip('netns', 'add', ns);
    made.push(ns);
    await ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
  };
  try {
    await add(plan.harness);
    for (const [k, n] of topo.networks.entries()) {
      const ns = `${prefix}-net-${n}`;
      await add(ns);
      await ip('netns', 'exec', ns, 'ip', 'link', 'add', 'br0', 'type', 'bridge');
      await ip('netns', 'exec', ns, 'ip', 'link', 'set', 'br0', 'up');
      // An address on the network itself, for the reachability probes: "a system on this network".
      await ip('netns', 'exec', ns, 'ip', 'addr', 'add', `10.77.${k + 1}.2/24`, 'dev', 'br0');
      const harnessAddr = `10.77.${k + 1}.1`;
      await veth(`${prefix}H${k}`, plan.harness, `${harnessAddr}/24`, `${prefix}h${k}`, ns);
      plan.networks[n] = { ns, index: k + 1, harnessAddr, harnessPort: `${prefix}h${k}` };
    }
    for (const [g, gw] of topo.gateways.entries()) {
      const ns = `${prefix}-gw-${gw.name}`;
      await add(ns);
      const addrs: Record<string, string> = {};
      const ports: Record<string, string> = {};
      for (const n of gw.borders) {
        const net = plan.networks[n]!;
        addrs[n] = `10.77.${net.index}.${10 + g}`;
        ports[n] = `${prefix}g${g}n${net.index}`;
        await veth(`${prefix}G${g}n${net.index}`, ns, `${addrs[n]}/24`, ports[n], net.ns);
      }
      plan.gateways[gw.name] = { ns, addrs, ports };
    }
    return plan;
  } catch (err) {
    await removeNamespaces(made);
    throw err;
  }
}

/** A veth pair: `a` in namespace `nsA` with an address, `b` in network namespace `nsB` on its bridge. */
async function veth(a: string, nsA: string, addr: string, b: string, nsB: string): Promise<void> {
  await ip('link', 'add', a, 'type', 'veth', 'peer', 'name', b);
  await ip('link', 'set', a, 'netns', nsA);
  await ip('link', 'set', b, 'netns', nsB);
  await ip('netns', 'exec', nsA, 'ip', 'addr', 'add', addr, 'dev', a);
  await ip('netns', 'exec', nsA, 'ip', 'link', 'set', a, 'up');
  await ip('netns', 'exec', nsB, 'ip', 'link', 'set', b, 'master', 'br0');
  await ip('netns', 'exec', nsB, 'ip', 'link', 'set', b, 'up');
}

export function namespacesOf(plan: NetnsPlan): string[] {
  return [plan.harness, ...Object.values(plan.networks).map((n) => n.ns), ...Object.values(plan.gateways).map((g) => g.ns)];
}

export async function removeNamespaces(names: string[]): Promise<void> {
  for (const ns of names) await ip('netns', 'del', ns).catch(() => undefined);
}
