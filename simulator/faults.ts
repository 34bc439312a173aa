import type { ClamdProcess } from './clamd-process.js';
import type { GatewayProcess } from './gateway-process.js';
import type { LinkShaper } from './link-shaper.js';
import type { Receiver } from './receivers.js';
import type { FaultSpec } from './topology.js';

// Faults fire at a time or once so many bytes have crossed the links, last
// `for` a while, then heal. Everything that fired is on the timeline with
// the real time it happened. heal() ends every fault still on, at once.

export interface TimelineEvent {
  atMs: number; time: string; kind: string; target: string; phase: 'start' | 'end'; detail: string;
  /** The heal did not work (a restart failed): `detail` says why. */
  failed?: boolean;
  /** A degraded link's new shape. */
  latencyMs?: number | null; bandwidth?: number | null;
}

export interface FaultTargets {
  gateways: Map<string, GatewayProcess>;
  links: Map<string, LinkShaper>;
  receivers: Map<string, Receiver[]>;
  clamds: Map<string, ClamdProcess>;
}

interface Active { spec: FaultSpec; endsAt: number; end: (() => Promise<void>) | null; ending: boolean }

export class FaultScheduler {
  readonly timeline: TimelineEvent[] = [];
  #pending: FaultSpec[];
  #active: Active[] = [];
  #t: FaultTargets;
  #clock: () => number;
  #bytes: { total: number };
  #timer: NodeJS.Timeout | null = null;
  /** begin and end actions in progress: each fault runs on its own, a slow restart delays no other fault */
  #work = new Set<Promise<void>>();
  onEvent: (e: TimelineEvent) => void = () => undefined;

  constructor(specs: FaultSpec[], targets: FaultTargets, clock: () => number, bytes: { total: number }) {
    this.#pending = [...specs];
    this.#t = targets;
    this.#clock = clock;
    this.#bytes = bytes;
  }

  start(): void {
    this.#timer = setInterval(() => this.#tick(), 50);
  }

  /** Faults that have not fired yet. */
  get pending(): number {
    return this.#pending.length;
  }

  /** Faults that fired and are not over yet. */
  get active(): number {
    return this.#active.length;
  }

  #run(p: Promise<void>): void {
    const q = p.catch(() => undefined).finally(() => this.#work.delete(q));
    this.#work.add(q);
  }

  #tick(): void {
    const now = this.#clock();
    for (const a of this.#active) {
      if (a.end && !a.ending && now >= a.endsAt) {
        a.ending = true;
        this.#run(a.end().finally(() => this.#active.splice(this.#active.indexOf(a), 1)));
      }
    }
    for (const f of [...this.#pending]) {
      const due = f.atMs !== null ? now >= f.atMs : this.#bytes.total >= f.afterBytes!;
      if (!due) continue;
      this.#pending.splice(this.#pending.indexOf(f), 1);
      const a: Active = { spec: f, endsAt: Number.POSITIVE_INFINITY, end: null, ending: false };
      this.#active.push(a);
      this.#run(this.#begin(f).then((end) => {
        a.end = end;
        a.endsAt = this.#clock() + f.forMs;
      }));
    }
  }

  #log(f: FaultSpec, phase: 'start' | 'end', detail: string, failed = false): void {
    const e: TimelineEvent = {
      atMs: Math.round(this.#clock()), time: new Date().toISOString(), kind: f.kind, target: f.target, phase, detail,
      ...(failed ? { failed } : {}),
      ...(f.kind === 'degrade' && phase === 'start' ? { latencyMs: f.latencyMs, bandwidth: f.bandwidth } : {}),
    };
    this.timeline.push(e);
    this.onEvent(e);
  }

  async #begin(f: FaultSpec): Promise<() => Promise<void>> {
    const t = this.#t;
    switch (f.kind) {
      case 'kill': {
        const g = t.gateways.get(f.target)!;
        await g.kill9();
        this.#log(f, 'start', `kill -9 ${f.target}`);
        return async () => {
          g.restarts++;
          // One end per fault: a failed restart is said as such, not followed by "restarted".
          await g.start().then(
            () => this.#log(f, 'end', `${f.target} restarted`),
            (err: Error) => this.#log(f, 'end', `restart failed: ${err.message}`, true),
          );
        };
      }
      case 'stop': {
        const g = t.gateways.get(f.target)!;
        g.freeze();
        this.#log(f, 'start', `SIGSTOP ${f.target}`);
        return async () => { g.thaw(); this.#log(f, 'end', `SIGCONT ${f.target}`); };
      }
      case 'cut': {
        const l = t.links.get(f.target)!;
        l.cut();
        this.#log(f, 'start', `link ${f.target} cut (connections reset)`);
        return async () => { l.restore(); this.#log(f, 'end', `link ${f.target} restored`); };
      }
      case 'degrade': {
        const l = t.links.get(f.target)!;
        // In isolation mode the bandwidth may be the kernel's (tc): a change it refuses is said, not hidden.
        const failed = await l.degrade({ latencyMs: f.latencyMs, bandwidth: f.bandwidth }).then(() => null, (err: Error) => err.message);
        if (failed) this.#log(f, 'start', `link ${f.target} not degraded: ${failed}`, true);
        else this.#log(f, 'start', `link ${f.target} degraded${f.latencyMs !== null ? `, latency ${f.latencyMs} ms` : ''}${f.bandwidth !== null ? `, ${f.bandwidth} B/s` : ''}${l.kernel ? ' (bandwidth in the kernel)' : ''}`);
        return async () => {
          await l.heal().then(
            () => this.#log(f, 'end', `link ${f.target} back to its configured shape`),
            (err: Error) => this.#log(f, 'end', `link ${f.target} not restored: ${err.message}`, true),
          );
        };
      }
      case 'down': {
        const rs = t.receivers.get(f.target) ?? [];
        for (const r of rs) await r.setDown(true);
        this.#log(f, 'start', `${f.target} down`);
        return async () => { for (const r of rs) await r.setDown(false); this.#log(f, 'end', `${f.target} up`); };
      }
      case 'clamd': {
        const c = t.clamds.get(f.target)!;
        await c.stop();
        this.#log(f, 'start', `clamd of ${f.target} stopped`);
        return async () => {
          await c.start().then(
            () => this.#log(f, 'end', `clamd of ${f.target} started`),
            (err: Error) => this.#log(f, 'end', `clamd restart failed: ${err.message}`, true),
          );
        };
      }
    }
  }

  /** Ends every fault now and stops firing new ones; returns the faults that never fired. */
  async heal(): Promise<FaultSpec[]> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    while (this.#work.size) await Promise.all([...this.#work]);
    for (const a of this.#active.splice(0)) if (a.end && !a.ending) await a.end().catch(() => undefined);
    return this.#pending.splice(0);
  }
}
