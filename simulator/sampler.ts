import { readFileSync } from 'node:fs';
import { request } from 'undici';
import type { LinkShaper } from './link-shaper.js';
import type { Receiver } from './receivers.js';
import type { Outcome } from './senders.js';

// Twice a second: per route sent / delivered / refused / in flight, each
// gateway's queue depth (from its /metrics), bytes per link and the machine's
// CPU use — the series the report draws and the live view shows.

export interface RouteSample { sent: number; accepted: number; delivered: number; refused: number; inFlight: number }
export interface Sample {
  atMs: number;
  routes: Record<string, RouteSample>;
  queue: Record<string, number | null>;
  linkBytes: Record<string, { up: number; down: number }>;
  /** Isolation mode: bytes sent by each kernel-shaped link's qdisc or class, per direction, read at `atMs` of its own. */
  kernel?: { atMs: number; bytes: Record<string, { up: number | null; down: number | null }> };
  cpuBusy: number | null;
}

/** Reads the kernel's per-link byte counters (isolation mode). */
export type KernelCounters = () => Promise<Map<string, { up: number | null; down: number | null }>>;

function cpuTimes(): { busy: number; total: number } | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

export class Sampler {
  readonly samples: Sample[] = [];
  #timer: NodeJS.Timeout | null = null;
  #lastCpu = cpuTimes();
  /** a read of the kernel's counters under way: the next sample waits for it rather than piling up `tc` processes */
  #kernelRead: Promise<Sample['kernel']> | null = null;
  constructor(
    private readonly clock: () => number,
    private readonly outcomes: Outcome[],
    private readonly receivers: Receiver[],
    private readonly links: Map<string, LinkShaper>,
    private readonly admins: Map<string, string>,
    private readonly kernel: KernelCounters | null = null,
  ) {}

  start(intervalMs = 500): void {
    this.#timer = setInterval(() => void this.take(), intervalMs);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  /** Per route, now (used by the live view too). */
  routes(): Record<string, RouteSample> {
    const out: Record<string, RouteSample> = {};
    const deliveredIds = new Set<string>();
    for (const r of this.receivers) for (const d of r.deliveries) deliveredIds.add(d.transferId);
    for (const o of this.outcomes) {
      const s = (out[o.item.route] ??= { sent: 0, accepted: 0, delivered: 0, refused: 0, inFlight: 0 });
      if (o.state === 'waiting') continue;
      s.sent++;
      if (o.state === 'refused') s.refused++;
      if (o.state === 'accepted') {
        s.accepted++;
        if (o.transferId && deliveredIds.has(o.transferId)) s.delivered++;
        else s.inFlight++;
      }
    }
    return out;
  }

  async take(): Promise<Sample> {
    const queue: Record<string, number | null> = {};
    await Promise.all([...this.admins].map(async ([g, url]) => {
      try {
        const res = await request(`${url}/metrics`, { headersTimeout: 400, bodyTimeout: 400 });
        const text = await res.body.text();
        let n = 0;
        for (const m of text.matchAll(/^ferry_queue_depth\{state="(queued|forwarding|accepted)"\} (\d+)/gm)) n += Number(m[2]);
        queue[g] = n;
      } catch {
        queue[g] = null; // down, frozen or cut off: a gap in the chart
      }
    }));
    let kernel: Sample['kernel'];
    if (this.kernel) {
      // Stamped halfway through the read: the counters were read at some moment while `tc` ran.
      const from = this.clock();
      this.#kernelRead ??= this.kernel()
        .then((m) => ({ atMs: Math.round((from + this.clock()) / 2), bytes: Object.fromEntries(m) }), () => undefined)
        .finally(() => { this.#kernelRead = null; });
      kernel = await this.#kernelRead;
    }
    const cpu = cpuTimes();
    let cpuBusy: number | null = null;
    if (cpu && this.#lastCpu && cpu.total > this.#lastCpu.total) cpuBusy = (cpu.busy - this.#lastCpu.busy) / (cpu.total - this.#lastCpu.total);
    this.#lastCpu = cpu;
    const s: Sample = {
      atMs: Math.round(this.clock()), routes: this.routes(), queue, cpuBusy,
      linkBytes: Object.fromEntries([...this.links].map(([id, l]) => [id, { up: l.up.bytes, down: l.down.bytes }])),
      ...(kernel ? { kernel } : {}),
    };
    this.samples.push(s);
    return s;
  }
}
