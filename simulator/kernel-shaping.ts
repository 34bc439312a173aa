import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { NetnsPlan } from './netns.js';
import type { LinkSpec } from './topology.js';

// Isolation mode: a link's bandwidth shaped by the kernel, in the network's
// namespace (the middle between the harness, which plays the systems and
// runs the link proxies, and the gateway). Link G/N carries every packet
// between gateway G and network N, so:
//   up   (N → G): a tbf on the network's end of G's veth: all it sends goes to G;
//   down (G → N): an htb class on the network's end of the harness's veth,
//                 chosen by a u32 filter on G's address there (other traffic
//                 is unclassified, which htb passes unshaped).
// This kernel has tbf and htb but no netem, so latency, jitter and cuts stay
// with the link proxy; a direction whose qdisc the kernel lacks keeps the
// proxy's token bucket. Everything made here lives in the run's namespaces
// (deleting them deletes it); remove() takes it down before that anyway.

const run = promisify(execFile);
const tc = (ns: string, ...args: string[]) => run('ip', ['netns', 'exec', ns, 'tc', ...args]);

export interface KernelDirection {
  qdisc: 'tbf' | 'htb';
  ns: string;
  dev: string;
  /** htb: the class of this link's gateway */
  classid?: string;
}

export interface KernelStats { sent_bytes: number; dropped: number }

/** What the kernel shapes on one link; the link shaper hands it bandwidth changes (degrade, heal). */
export interface KernelLink {
  up: KernelDirection | null;
  down: KernelDirection | null;
  setRate(dir: 'up' | 'down', bytesPerSec: number): Promise<void>;
}

// Burst: at least 64 KiB (veth hands over GSO packets up to that) and 20 ms
// of the rate, so the qdisc's timer does not cap a fast link below its rate.
const burst = (bps: number) => Math.max(64 * 1024, Math.ceil(bps / 50));
const rate = (bps: number) => `${Math.round(bps * 8)}bit`;
const tbfArgs = (bps: number) => ['tbf', 'rate', rate(bps), 'burst', String(burst(bps)), 'latency', '200ms'];
const htbArgs = (bps: number) => ['htb', 'rate', rate(bps), 'burst', String(burst(bps)), 'cburst', String(burst(bps)), 'quantum', '60000'];

export class KernelShaping {
  readonly #links = new Map<string, KernelLink>();
  /** root qdiscs added, to remove: [ns, dev] */
  readonly #roots: Array<[string, string]> = [];
  /** the htb roots: [ns, dev, the harness's address on that network] */
  readonly #htbRoots: Array<[string, string, string]> = [];
  readonly #unlimited = new Set<string>();

  /** Shapes every link with a bandwidth, in the directions the kernel offers a qdisc for. */
  static async apply(plan: NetnsPlan, links: LinkSpec[], qdiscs: string[]): Promise<KernelShaping> {
    const k = new KernelShaping();
    try {
      await k.#apply(plan, links, new Set(qdiscs));
    } catch (err) {
      await k.remove();
      throw err;
    }
    return k;
  }

  async #apply(plan: NetnsPlan, links: LinkSpec[], offered: Set<string>): Promise<void> {
    const gatewayIndex = new Map(Object.keys(plan.gateways).map((g, i) => [g, i]));
    for (const l of links) {
      if (!l.bandwidth) continue;
      const net = plan.networks[l.network]!;
      const gw = plan.gateways[l.gateway]!;
      let up: KernelDirection | null = null;
      let down: KernelDirection | null = null;
      if (offered.has('tbf')) {
        up = { qdisc: 'tbf', ns: net.ns, dev: gw.ports[l.network]! };
        await tc(up.ns, 'qdisc', 'add', 'dev', up.dev, 'root', ...tbfArgs(l.bandwidth));
        this.#roots.push([up.ns, up.dev]);
      }
      if (offered.has('htb')) {
        const dev = net.harnessPort;
        if (!this.#htbRoots.some(([, d]) => d === dev)) {
          // No default class: unclassified packets (other gateways' unshaped links) pass unshaped.
          await tc(net.ns, 'qdisc', 'add', 'dev', dev, 'root', 'handle', '1:', 'htb');
          this.#roots.push([net.ns, dev]);
          this.#htbRoots.push([net.ns, dev, net.harnessAddr]);
        }
        const classid = `1:${10 + gatewayIndex.get(l.gateway)!}`;
        down = { qdisc: 'htb', ns: net.ns, dev, classid };
        await tc(net.ns, 'class', 'add', 'dev', dev, 'parent', '1:', 'classid', classid, ...htbArgs(l.bandwidth));
        await tc(net.ns, 'filter', 'add', 'dev', dev, 'parent', '1:', 'protocol', 'ip', 'prio', '2', 'u32', 'match', 'ip', 'src', `${gw.addrs[l.network]}/32`, 'flowid', classid);
      }
      if (!up && !down) continue;
      this.#links.set(l.id, {
        up, down,
        setRate: async (dir, bps) => {
          const d = dir === 'up' ? up : down;
          if (!d) return;
          if (d.qdisc === 'tbf') await tc(d.ns, 'qdisc', 'change', 'dev', d.dev, 'root', ...tbfArgs(bps));
          else await tc(d.ns, 'class', 'change', 'dev', d.dev, 'parent', '1:', 'classid', d.classid!, ...htbArgs(bps));
        },
      });
    }
  }

  /**
   * Traffic to a service the harness runs for a gateway (its clamd) is not the link's: a clamd runs
   * next to its gateway. A filter before the links' sends it to an unlimited class.
   */
  async exempt(host: string, port: number): Promise<void> {
    for (const [ns, dev, addr] of this.#htbRoots) {
      if (addr !== host) continue;
      if (!this.#unlimited.has(dev)) {
        await tc(ns, 'class', 'add', 'dev', dev, 'parent', '1:', 'classid', '1:1', 'htb', 'rate', '10gbit', 'quantum', '60000');
        this.#unlimited.add(dev);
      }
      await tc(ns, 'filter', 'add', 'dev', dev, 'parent', '1:', 'protocol', 'ip', 'prio', '1', 'u32', 'match', 'ip', 'dst', `${host}/32`, 'match', 'ip', 'dport', String(port), '0xffff', 'flowid', '1:1');
    }
  }

  link(id: string): KernelLink | undefined {
    return this.#links.get(id);
  }

  /**
   * Bytes each link's qdisc or class has sent so far (headers included), per direction: the rate
   * the kernel let through, for the report's measured peaks. One `tc -s` per namespace and per htb
   * device; null for a direction the kernel does not shape or could not be read.
   */
  async counters(): Promise<Map<string, { up: number | null; down: number | null }>> {
    const qdiscs = new Map<string, Map<string, number>>();
    const classes = new Map<string, Map<string, number>>();
    const read = async (key: string, args: [string, ...string[]], re: RegExp, into: Map<string, Map<string, number>>) => {
      if (into.has(key)) return;
      const m = new Map<string, number>();
      into.set(key, m);
      const { stdout } = await tc(...args).catch(() => ({ stdout: '' }));
      for (const x of stdout.matchAll(re)) m.set(x[1]!, Number(x[2]));
    };
    const out = new Map<string, { up: number | null; down: number | null }>();
    for (const [id, l] of this.#links) {
      if (l.up) await read(l.up.ns, [l.up.ns, '-s', 'qdisc', 'show'], /qdisc tbf \S+ dev (\S+) [^\n]*\n\s*Sent (\d+) bytes/g, qdiscs);
      if (l.down) await read(`${l.down.ns}/${l.down.dev}`, [l.down.ns, '-s', 'class', 'show', 'dev', l.down.dev], /class htb (\S+) [^\n]*\n\s*Sent (\d+) bytes/g, classes);
      out.set(id, {
        up: l.up ? qdiscs.get(l.up.ns)!.get(l.up.dev) ?? null : null,
        down: l.down ? classes.get(`${l.down.ns}/${l.down.dev}`)!.get(l.down.classid!) ?? null : null,
      });
    }
    return out;
  }

  /** Bytes sent and packets dropped by each link's qdisc or class so far (for the report). */
  async stats(): Promise<Map<string, { up: KernelStats | null; down: KernelStats | null }>> {
    const out = new Map<string, { up: KernelStats | null; down: KernelStats | null }>();
    for (const [id, l] of this.#links) out.set(id, { up: l.up && await statsOf(l.up), down: l.down && await statsOf(l.down) });
    return out;
  }

  /** Removes every root qdisc this run added (their classes and filters go with them). */
  async remove(): Promise<void> {
    for (const [ns, dev] of this.#roots.splice(0)) await tc(ns, 'qdisc', 'del', 'dev', dev, 'root').catch(() => undefined);
  }
}

async function statsOf(d: KernelDirection): Promise<KernelStats | null> {
  try {
    // Text, not -j: this iproute2 prints htb classes as text even when asked for JSON.
    const { stdout } = await tc(d.ns, '-s', d.qdisc === 'tbf' ? 'qdisc' : 'class', 'show', 'dev', d.dev);
    const head = d.qdisc === 'tbf' ? 'qdisc tbf ' : `class htb ${d.classid} `;
    const at = stdout.indexOf(head);
    const m = at < 0 ? null : /Sent (\d+) bytes \d+ pkt \(dropped (\d+)/.exec(stdout.slice(at));
    return m ? { sent_bytes: Number(m[1]), dropped: Number(m[2]) } : null;
  } catch {
    return null;
  }
}

/** For the report: what shaped a link in isolation mode. */
export function kernelShapedBy(l: KernelLink | undefined, bandwidth: number | null, qdiscs: string[]): string {
  const proxy = 'TCP proxy in the harness namespace';
  if (!bandwidth) return `${proxy} (latency, jitter, cuts); no bandwidth limit`;
  if (!l) return `${proxy} (latency, jitter, bandwidth, cuts); the kernel offers ${qdiscs.length ? qdiscs.join(', ') : 'no qdisc'}, neither tbf nor htb`;
  const where = (d: KernelDirection) => d.qdisc === 'tbf' ? `a tbf on ${d.dev} in ${d.ns}` : `htb class ${d.classid} on ${d.dev} in ${d.ns}`;
  const parts = [l.up ? `up by ${where(l.up)}` : 'up by the proxy\'s token bucket', l.down ? `down by ${where(l.down)}` : 'down by the proxy\'s token bucket'];
  return `bandwidth in the kernel: ${parts.join(', ')}; latency, jitter and cuts by the ${proxy}`;
}
